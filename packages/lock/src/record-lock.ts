import { closeSync } from 'node:fs';
import { resolve } from 'node:path';
import { fcntlLock, fcntlLockAsync } from '@shmkit/sys';
import { LockClosedError, LockDeadlockError } from './errors.js';
import type { Guard, LockOptions, ReadWriteLock } from './guard.js';
import { openLockFile, validateLockPath, validateMode } from './lock-path.js';
import { awaitNative } from './native-wait.js';
import { addThreadHold, conflictsWithThisThread, type HoldType, removeThreadHold } from './thread-holds.js';
import { planWait, remainingMs, timeoutError } from './wait-plan.js';

export interface RecordLockOptions {
  /** Permissions of the lock file when this call creates it. Default 0o600 (owner only). */
  mode?: number;
  /** Permissions of directories created for it. Default 0o700. */
  dirMode?: number;
}

/**
 * The open descriptions of one lock file. Every guard locks through a descriptor of its own, so
 * that the kernel arbitrates between guards exactly as between processes (an open-file-description
 * lock belongs to the open file, not to the process). Descriptors are reused, not reopened.
 */
class LockFileHandles {
  readonly path: string;
  readonly key: string;
  readonly #mode: number;
  readonly #dirMode: number;
  readonly #idle: number[] = [];
  #closed = false;

  constructor(path: string, mode: number, dirMode: number) {
    this.path = path;
    this.#mode = mode;
    this.#dirMode = dirMode;
    const { fd, stat } = openLockFile(path, mode, dirMode);
    this.key = `${stat.dev}:${stat.ino}`;
    this.#idle.push(fd);
  }

  get closed(): boolean {
    return this.#closed;
  }

  take(): number {
    if (this.#closed) throw new LockClosedError(`RecordLock '${this.path}'`);
    return this.#idle.pop() ?? openLockFile(this.path, this.#mode, this.#dirMode).fd;
  }

  /** Takes back a descriptor that holds no lock. */
  put(fd: number): void {
    if (this.#closed) closeSync(fd);
    else this.#idle.push(fd);
  }

  close(): void {
    this.#closed = true;
    for (const fd of this.#idle.splice(0)) closeSync(fd);
  }
}

class RecordGuard implements Guard {
  readonly recovered = false;
  readonly type: HoldType;
  #handles: LockFileHandles | null;
  readonly #fd: number;

  constructor(handles: LockFileHandles, fd: number, type: HoldType) {
    this.#handles = handles;
    this.#fd = fd;
    this.type = type;
    addThreadHold(handles.key, type);
  }

  get released(): boolean {
    return this.#handles === null;
  }

  release(): void {
    const handles = this.#handles;
    if (handles === null) return;
    this.#handles = null;
    removeThreadHold(handles.key, this.type);
    try {
      fcntlLock(this.#fd, { type: 'unlock', ofd: true });
    } finally {
      handles.put(this.#fd);
    }
  }

  [Symbol.dispose](): void {
    this.release();
  }
}

/**
 * A reader/writer lock on a lock file, with fcntl record locks over the whole file: it excludes,
 * and is excluded by, Python fasteners' InterProcessReaderWriterLock (and so Python ipmmap) on the
 * same file. Its locks are open-file-description locks, so two RecordLocks (or two guards of one)
 * exclude each other even inside one process. The kernel drops the lock of a process that dies, so
 * the next waiter gets it at once (the kernel gives no sign of it: `recovered` is always false).
 */
export class RecordLock implements ReadWriteLock, Disposable {
  /** Absolute path of the lock file. */
  readonly path: string;
  readonly #handles: LockFileHandles;

  /**
   * Opens the lock file, creating it (and its directory) if missing. Throws a LockPathError when
   * the path is a symbolic link, a directory or anything but a regular file, or cannot be created.
   */
  constructor(path: string, options: RecordLockOptions = {}) {
    this.path = resolve(validateLockPath('RecordLock', path));
    const mode = validateMode('RecordLock', 'mode', options.mode ?? 0o600);
    const dirMode = validateMode('RecordLock', 'dirMode', options.dirMode ?? 0o700);
    this.#handles = new LockFileHandles(this.path, mode, dirMode);
  }

  readLock(options?: LockOptions): Guard {
    return this.#lockSync('read', options);
  }

  writeLock(options?: LockOptions): Guard {
    return this.#lockSync('write', options);
  }

  tryReadLock(): Guard | null {
    return this.#tryLock('read');
  }

  tryWriteLock(): Guard | null {
    return this.#tryLock('write');
  }

  readLockAsync(options?: LockOptions): Promise<Guard> {
    return this.#lockAsync('read', options);
  }

  writeLockAsync(options?: LockOptions): Promise<Guard> {
    return this.#lockAsync('write', options);
  }

  lock(options?: LockOptions): Guard {
    return this.#lockSync('write', options);
  }

  tryLock(): Guard | null {
    return this.#tryLock('write');
  }

  lockAsync(options?: LockOptions): Promise<Guard> {
    return this.#lockAsync('write', options);
  }

  /** Closes the idle descriptors. Guards still held keep theirs until released; new acquisitions fail. */
  close(): void {
    this.#handles.close();
  }

  [Symbol.dispose](): void {
    this.close();
  }

  #lockSync(type: HoldType, options: LockOptions | undefined): Guard {
    const plan = planWait(`the ${type} lock on '${this.path}'`, options);
    const handles = this.#handles;
    if (conflictsWithThisThread(handles.key, type)) {
      throw new LockDeadlockError(
        `RecordLock '${this.path}': this thread already holds a lock that a ${type} lock must wait for; ` +
          'a blocking wait would never end (release it first, or wait with the async method)',
      );
    }
    const fd = handles.take();
    let locked: boolean;
    try {
      const remaining = remainingMs(plan);
      locked = fcntlLock(fd, {
        type,
        ofd: true,
        wait: true,
        timeoutMs: remaining === Number.POSITIVE_INFINITY ? undefined : remaining,
      });
    } catch (err) {
      handles.put(fd);
      throw err;
    }
    if (!locked) {
      handles.put(fd);
      throw timeoutError(plan);
    }
    return new RecordGuard(handles, fd, type);
  }

  #tryLock(type: HoldType): Guard | null {
    const handles = this.#handles;
    const fd = handles.take();
    let locked = false;
    try {
      locked = fcntlLock(fd, { type, ofd: true });
    } finally {
      if (!locked) handles.put(fd);
    }
    return locked ? new RecordGuard(handles, fd, type) : null;
  }

  async #lockAsync(type: HoldType, options: LockOptions | undefined): Promise<Guard> {
    const plan = planWait(`the ${type} lock on '${this.path}'`, options);
    const handles = this.#handles;
    const fd = handles.take();
    let locked = false;
    try {
      locked = fcntlLock(fd, { type, ofd: true });
      if (locked) return new RecordGuard(handles, fd, type);
      const remaining = remainingMs(plan);
      const wait = fcntlLockAsync(fd, {
        type,
        ofd: true,
        timeoutMs: remaining === Number.POSITIVE_INFINITY ? undefined : remaining,
      });
      const outcome = await awaitNative(wait, plan.signal);
      locked = outcome === 'locked';
      // An abort wins even over a lock obtained in the same instant: give that lock back.
      plan.signal?.throwIfAborted();
      if (outcome === 'timed-out') throw timeoutError(plan);
      if (!locked) throw new Error(`RecordLock '${this.path}': the wait ended without the lock (${outcome})`);
      return new RecordGuard(handles, fd, type);
    } catch (err) {
      if (locked) fcntlLock(fd, { type: 'unlock', ofd: true });
      handles.put(fd);
      throw err;
    }
  }
}
