import { rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  FileLock,
  type FileLockGuard,
  type Guard,
  LockDeadlockError,
  LockTimeoutError,
  type Mutex,
  RecordLock,
  type ReadWriteLock,
  ShmMutex,
  ShmRwLock,
} from '../src/index.js';
import { type LockFixture, lockFixture } from './helpers/fixture.js';
import { MUTEX_OFFSET, RWLOCK_OFFSET } from './helpers/layout.js';

let fixture: LockFixture;
afterEach(() => fixture?.cleanup());

/** Two independent handles on one lock, as two processes would have. */
type MutexPair = () => [Mutex, Mutex, () => void];
type RwPair = () => [ReadWriteLock, ReadWriteLock, ReadWriteLock, () => void];

const mutexes: Array<[string, MutexPair]> = [
  [
    'ShmMutex',
    () => [ShmMutex.at(fixture.shared.buffer, MUTEX_OFFSET), ShmMutex.at(fixture.shared.buffer, MUTEX_OFFSET), () => {}],
  ],
  ['FileLock', () => [new FileLock(fixture.lockPath), new FileLock(fixture.lockPath), () => {}]],
  [
    'ShmRwLock (as a mutex)',
    () => [ShmRwLock.at(fixture.shared.buffer, RWLOCK_OFFSET), ShmRwLock.at(fixture.shared.buffer, RWLOCK_OFFSET), () => {}],
  ],
  [
    'RecordLock (as a mutex)',
    () => {
      const a = new RecordLock(fixture.lockPath);
      const b = new RecordLock(fixture.lockPath);
      return [
        a,
        b,
        () => {
          a.close();
          b.close();
        },
      ];
    },
  ],
];

const rwlocks: Array<[string, RwPair]> = [
  [
    'ShmRwLock',
    () => [
      ShmRwLock.at(fixture.shared.buffer, RWLOCK_OFFSET),
      ShmRwLock.at(fixture.shared.buffer, RWLOCK_OFFSET),
      ShmRwLock.at(fixture.shared.buffer, RWLOCK_OFFSET),
      () => {},
    ],
  ],
  [
    'RecordLock',
    () => {
      const locks = [0, 1, 2].map(() => new RecordLock(fixture.lockPath));
      const close = () => {
        for (const lock of locks) lock.close();
      };
      return [locks[0]!, locks[1]!, locks[2]!, close];
    },
  ],
];

describe.each(mutexes)('%s: guards', (_name, pair) => {
  it('excludes a second handle, and a second release is harmless', async () => {
    fixture = lockFixture();
    const [a, b, close] = pair();
    const guard = a.lock();
    expect(guard.recovered).toBe(false);
    expect(guard.released).toBe(false);
    expect(b.tryLock()).toBeNull();
    guard.release();
    expect(guard.released).toBe(true);
    guard.release();
    // The next holder is not disturbed by the old guard being released again.
    const other = await b.lockAsync({ timeout: 5000 });
    guard.release();
    guard[Symbol.dispose]();
    expect(a.tryLock()).toBeNull();
    other.release();
    close();
  });

  it('`using` releases at the end of the block', () => {
    fixture = lockFixture();
    const [a, b, close] = pair();
    {
      using held = a.lock();
      expect(held.released).toBe(false);
      expect(b.tryLock()).toBeNull();
    }
    const after = b.tryLock();
    expect(after).not.toBeNull();
    after?.release();
    close();
  });

  it('a handle waiting asynchronously is granted the lock when the holder releases', async () => {
    fixture = lockFixture();
    const [a, b, close] = pair();
    const held = a.lock();
    let granted: Guard | null = null;
    const waiting = b.lockAsync({ timeout: 10_000 }).then((g) => {
      granted = g;
      return g;
    });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(granted).toBeNull();
    held.release();
    const guard = await waiting;
    expect(a.tryLock()).toBeNull();
    guard.release();
    close();
  });
});

describe.each(rwlocks)('%s: reader/writer guards', (_name, trio) => {
  it('admits many readers and no writer while they read', () => {
    fixture = lockFixture();
    const [a, b, c, close] = trio();
    const r1 = a.readLock();
    const r2 = b.readLock({ timeout: 1000 });
    expect(c.tryWriteLock()).toBeNull();
    expect(c.tryReadLock()?.release()).toBeUndefined();
    r1.release();
    expect(c.tryWriteLock()).toBeNull();
    r2.release();
    const w = c.tryWriteLock();
    expect(w).not.toBeNull();
    expect(a.tryReadLock()).toBeNull();
    w?.release();
    close();
  });

  it('nested read guards of one handle keep the lock until the last is released', () => {
    fixture = lockFixture();
    const [a, _b, c, close] = trio();
    const outer = a.readLock();
    const inner = a.tryReadLock();
    expect(inner).not.toBeNull();
    outer.release();
    expect(c.tryWriteLock()).toBeNull();
    inner?.release();
    const w = c.tryWriteLock();
    expect(w).not.toBeNull();
    w?.release();
    close();
  });

  it("releasing a read guard twice never releases someone else's write lock", async () => {
    fixture = lockFixture();
    const [a, b, c, close] = trio();
    const read = a.readLock();
    read.release();
    const write = await b.writeLockAsync({ timeout: 5000 });
    read.release();
    read[Symbol.dispose]();
    expect(c.tryReadLock()).toBeNull();
    expect(c.tryWriteLock()).toBeNull();
    write.release();
    write.release();
    const again = c.tryWriteLock();
    expect(again).not.toBeNull();
    again?.release();
    close();
  });
});

describe('ShmRwLock reader slots', () => {
  it('a 33rd reading handle waits for a free slot, and gets one when a reader leaves', async () => {
    fixture = lockFixture();
    const handles = Array.from({ length: ShmRwLock.READER_SLOTS + 1 }, () =>
      ShmRwLock.at(fixture.shared.buffer, RWLOCK_OFFSET),
    );
    const last = handles.pop() as ShmRwLock;
    const reads = handles.map((h) => h.readLock());
    expect(handles[0]?.readers).toBe(ShmRwLock.READER_SLOTS);
    expect(last.tryReadLock()).toBeNull();
    expect(() => last.readLock({ timeout: 20 })).toThrow(LockTimeoutError);
    const waiting = last.readLockAsync({ timeout: 5000 });
    reads.pop()?.release();
    const granted = await waiting;
    expect(last.readers).toBe(ShmRwLock.READER_SLOTS);
    granted.release();
    for (const read of reads) read.release();
    expect(last.readers).toBe(0);
    const write = last.tryWriteLock();
    expect(write).not.toBeNull();
    write?.release();
  });
});

describe('a blocking wait for a lock this thread holds fails instead of hanging', () => {
  it('ShmMutex: the same handle', () => {
    fixture = lockFixture();
    const mutex = ShmMutex.at(fixture.shared.buffer, MUTEX_OFFSET);
    const held = mutex.lock();
    expect(() => mutex.lock()).toThrow(LockDeadlockError);
    expect(mutex.tryLock()).toBeNull();
    held.release();
  });

  it('ShmRwLock: the same handle, write after read and read after write', () => {
    fixture = lockFixture();
    const rw = ShmRwLock.at(fixture.shared.buffer, RWLOCK_OFFSET);
    const read = rw.readLock();
    expect(() => rw.writeLock()).toThrow(LockDeadlockError);
    read.release();
    const write = rw.writeLock();
    expect(() => rw.readLock()).toThrow(LockDeadlockError);
    write.release();
  });

  it('RecordLock: any object on the same file; the async wait works', async () => {
    fixture = lockFixture();
    using a = new RecordLock(fixture.lockPath);
    using b = new RecordLock(join(fixture.lockPath, '..', 'test.lock'));
    const write = a.writeLock();
    expect(() => b.readLock()).toThrow(LockDeadlockError);
    expect(() => b.writeLock({ timeout: 10 })).toThrow(LockDeadlockError);
    const waiting = b.readLockAsync({ timeout: 5000 });
    setTimeout(() => write.release(), 20);
    const read = await waiting;
    const otherRead = a.readLock(); // readers share
    read.release();
    otherRead.release();
  });

  it('FileLock: any object on the same lock directory; the async wait works', async () => {
    fixture = lockFixture();
    const a = new FileLock(fixture.lockPath);
    const b = new FileLock(fixture.lockPath);
    const held = a.lock();
    expect(() => b.lock({ timeout: 10 })).toThrow(LockDeadlockError);
    const waiting = b.lockAsync({ timeout: 5000 });
    setTimeout(() => held.release(), 20);
    const guard = await waiting;
    guard.release();
  });
});

describe('FileLock: a compromised lock is reported, never thrown', () => {
  it('emits "compromised" and marks the guard when its directory disappears', async () => {
    fixture = lockFixture();
    const lock = new FileLock(fixture.lockPath, { stale: 2000, update: 1000 });
    const guard = lock.lock();
    const reported = new Promise<[Error, FileLockGuard]>((resolve) =>
      lock.once('compromised', (err, g) => resolve([err, g])),
    );
    rmdirSync(lock.lockPath); // someone removes the lock directory under our feet
    const [error, reportedGuard] = await reported;
    expect(reportedGuard).toBe(guard);
    expect(guard.compromised).toBe(error);
    expect((error as NodeJS.ErrnoException).code).toBe('ECOMPROMISED');
    guard.release(); // harmless
    const next = lock.tryLock();
    expect(next).not.toBeNull();
    next?.release();
  });

  it('a compromised lock without listeners does not crash the process', async () => {
    fixture = lockFixture();
    const lock = new FileLock(fixture.lockPath, { stale: 2000, update: 1000 });
    const guard = lock.lock();
    rmdirSync(lock.lockPath);
    for (let i = 0; i < 40 && guard.compromised === null; i++) await new Promise((r) => setTimeout(r, 100));
    expect(guard.compromised).not.toBeNull();
    guard.release();
  });
});
