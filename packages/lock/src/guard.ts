/**
 * Proof of holding a lock. `release()` gives it back (calling it again does nothing), and
 * `[Symbol.dispose]` does the same, so `using guard = lock.writeLock()` releases at the end of the block.
 */
export interface Guard extends Disposable {
  /**
   * True when the lock was taken over from a holder that died while holding it: the data it
   * protects may be half-written, so check or repair it before trusting it.
   */
  readonly recovered: boolean;
  /** True once `release()` has run. */
  readonly released: boolean;
  /** Releases the lock. Idempotent: a second call does nothing. */
  release(): void;
}

/** Options of every waiting acquisition. */
export interface LockOptions {
  /** Give up after this many milliseconds with a `LockTimeoutError`. Default: wait without limit. */
  timeout?: number;
  /**
   * Give up when this signal aborts: the wait rejects (or throws) with exactly `signal.reason`.
   * A synchronous wait blocks the thread, so it can only see a signal that aborted before it began.
   */
  signal?: AbortSignal;
}

/** A lock with one owner at a time: FileLock, ShmMutex, and (as the write side) RecordLock and ShmRwLock. */
export interface Mutex {
  /** Blocks until the lock is held. */
  lock(options?: LockOptions): Guard;
  /** Takes the lock if it is free right now; otherwise returns null without waiting. */
  tryLock(): Guard | null;
  /** Resolves once the lock is held, without blocking the event loop. */
  lockAsync(options?: LockOptions): Promise<Guard>;
}

/** A reader/writer lock: many readers at once, or one writer. `lock*` are the write side. */
export interface ReadWriteLock extends Mutex {
  readLock(options?: LockOptions): Guard;
  writeLock(options?: LockOptions): Guard;
  tryReadLock(): Guard | null;
  tryWriteLock(): Guard | null;
  readLockAsync(options?: LockOptions): Promise<Guard>;
  writeLockAsync(options?: LockOptions): Promise<Guard>;
}
