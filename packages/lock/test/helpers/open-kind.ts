import { FileLock, type Guard, type LockOptions, RecordLock, ShmMutex, ShmRwLock } from '../../src/index.js';
import { type Kind, MUTEX_OFFSET, RWLOCK_OFFSET } from './layout.js';

export type Side = 'read' | 'write';
export type Mode = 'sync' | 'async';

/** One lock of any kind, acquired through the shared API. */
export interface AnyLock {
  acquire(side: Side, mode: Mode, options?: LockOptions): Guard | Promise<Guard>;
  tryAcquire(side: Side): Guard | null;
  close(): void;
}

/** FileLock stale time in tests: proper-lockfile's minimum, so that a dead holder is taken over soon. */
export const FILE_LOCK_STALE_MS = 2000;

export function openKind(kind: Kind, buffer: ArrayBuffer, lockPath: string): AnyLock {
  switch (kind) {
    case 'shm-mutex': {
      const lock = ShmMutex.at(buffer, MUTEX_OFFSET);
      return mutexOf(lock, () => {});
    }
    case 'file': {
      const lock = new FileLock(lockPath, { stale: FILE_LOCK_STALE_MS, update: 1000 });
      return mutexOf(lock, () => {});
    }
    case 'shm-rwlock': {
      const lock = ShmRwLock.at(buffer, RWLOCK_OFFSET);
      return rwOf(lock, () => {});
    }
    case 'record': {
      const lock = new RecordLock(lockPath);
      return rwOf(lock, () => lock.close());
    }
  }
}

function mutexOf(lock: ShmMutex | FileLock, close: () => void): AnyLock {
  return {
    acquire: (_side, mode, options) => (mode === 'sync' ? lock.lock(options) : lock.lockAsync(options)),
    tryAcquire: () => lock.tryLock(),
    close,
  };
}

function rwOf(lock: ShmRwLock | RecordLock, close: () => void): AnyLock {
  return {
    acquire: (side, mode, options) => {
      if (side === 'read') return mode === 'sync' ? lock.readLock(options) : lock.readLockAsync(options);
      return mode === 'sync' ? lock.writeLock(options) : lock.writeLockAsync(options);
    },
    tryAcquire: (side) => (side === 'read' ? lock.tryReadLock() : lock.tryWriteLock()),
    close,
  };
}
