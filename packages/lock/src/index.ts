/**
 * @shmkit/lock — inter-process locks behind one API:
 * - RecordLock: fcntl record locks on a lock file, compatible with Python fasteners / ipmmap;
 * - FileLock: proper-lockfile's mkdir locks, for directories shared across machines (NFS);
 * - ShmMutex / ShmRwLock: robust locks inside shared memory, the fastest kind.
 */
export {
  LockArgumentError,
  LockClosedError,
  LockDeadlockError,
  LockLayoutError,
  LockOffsetError,
  LockPathError,
  LockTimeoutError,
} from './errors.js';
export { FileLock, type FileLockEvents, type FileLockGuard, type FileLockOptions } from './file-lock.js';
export type { Guard, LockOptions, Mutex, ReadWriteLock } from './guard.js';
export type { LockHolder } from './owner-word.js';
export { RecordLock, type RecordLockOptions } from './record-lock.js';
export { ShmMutex } from './shm-mutex.js';
export type { LockMemory } from './shm-place.js';
export { ShmRwLock } from './shm-rwlock.js';
