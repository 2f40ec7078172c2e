import { EventEmitter } from 'node:events';
import fs, { lstatSync } from 'node:fs';
import { resolve } from 'node:path';
import lockfile from 'proper-lockfile';
import type { LockOptions as ProperLockfileOptions } from 'proper-lockfile';
import { LockArgumentError, LockDeadlockError, LockPathError } from './errors.js';
import type { Guard, LockOptions, Mutex } from './guard.js';
import { ensureLockDirectory, lockPathError, validateLockPath, validateMode } from './lock-path.js';
import { sleepAsync, sleepSync } from './sleep.js';
import { addThreadHold, conflictsWithThisThread, removeThreadHold } from './thread-holds.js';
import { checkWait, planWait, remainingMs, type WaitPlan } from './wait-plan.js';

export interface FileLockOptions {
  /**
   * A lock whose directory was not refreshed for this many milliseconds is considered abandoned
   * and is taken over. At least 2000 (proper-lockfile's minimum). Default 10000.
   */
  stale?: number;
  /** How often the holder refreshes the lock's mtime, in ms. Default stale / 2; between 1000 and stale / 2. */
  update?: number;
  /** Backoff between acquisition attempts while waiting. Defaults: 1 ms growing by 1.5× up to 50 ms. */
  retries?: { minTimeout?: number; maxTimeout?: number; factor?: number };
  /** The lock directory. Default `<path>.lock` (proper-lockfile's convention, so both exclude each other). */
  lockfilePath?: string;
  /** Permissions of parent directories this lock creates. Default 0o700. */
  dirMode?: number;
}

/** A FileLock guard; `compromised` is set when the lock was lost while held. */
export interface FileLockGuard extends Guard {
  /**
   * Set when the lock was lost while held: its directory was removed, or it could not be refreshed
   * within the stale time and another process may have taken it. Releasing it afterwards is harmless.
   */
  readonly compromised: Error | null;
}

export interface FileLockEvents {
  /** A held lock was lost (see FileLockGuard.compromised). Reported here; never thrown. */
  compromised: [error: Error, guard: FileLockGuard];
}

interface Attempt {
  guard: FileGuard | null;
}

/** The file-system calls proper-lockfile makes (a small object: spreading all of node:fs costs ~70 µs). */
type Rmdir = (path: fs.PathLike, callback: fs.NoParamCallback) => void;
type RmdirSync = (path: fs.PathLike) => void;

function lockfileFs(rmdir: Rmdir, rmdirSync: RmdirSync): object {
  return {
    mkdir: fs.mkdir,
    mkdirSync: fs.mkdirSync,
    realpath: fs.realpath,
    realpathSync: fs.realpathSync,
    stat: fs.stat,
    statSync: fs.statSync,
    utimes: fs.utimes,
    utimesSync: fs.utimesSync,
    rmdir,
    rmdirSync,
  };
}

const plainFs = lockfileFs(
  (path, callback) => fs.rmdir(path, callback),
  (path) => fs.rmdirSync(path),
);

class FileGuard implements FileLockGuard {
  readonly recovered: boolean;
  #owner: FileLock | null;
  #compromised: Error | null = null;
  readonly #unlock: () => void;

  constructor(owner: FileLock, recovered: boolean, unlock: () => void) {
    this.#owner = owner;
    this.recovered = recovered;
    this.#unlock = unlock;
  }

  get released(): boolean {
    return this.#owner === null;
  }

  get compromised(): Error | null {
    return this.#compromised;
  }

  markCompromised(err: Error): void {
    this.#compromised = err;
  }

  release(): void {
    if (this.#owner === null) return;
    this.#owner = null;
    // A compromised lock is no longer ours: its directory may belong to someone else now.
    if (this.#compromised === null) this.#unlock();
  }

  [Symbol.dispose](): void {
    this.release();
  }
}

const DEFAULT_STALE = 10_000;

/**
 * A mutex built on proper-lockfile: the lock is a directory created with mkdir (atomic on local
 * file systems and NFS), kept fresh by updating its mtime, and taken over when its holder stops
 * refreshing it for `stale` ms (the holder crashed, or its machine did). For directories shared across
 * machines, where neither fcntl nor shared memory reach. A lost lock is reported through the
 * 'compromised' event and the guard, never as an uncaught exception.
 */
export class FileLock extends EventEmitter<FileLockEvents> implements Mutex {
  /** The path the lock guards. */
  readonly path: string;
  /** The lock directory. */
  readonly lockPath: string;
  readonly #stale: number;
  readonly #update: number | undefined;
  readonly #minDelay: number;
  readonly #maxDelay: number;
  readonly #factor: number;
  readonly #holdKey: string;
  /** node:fs for acquisitions, noting when proper-lockfile removes a stale lock directory: a takeover. */
  readonly #acquireFs: object;
  /** Set by such a removal; the next acquisition of this object reports `recovered` and clears it. */
  #staleRemoved = false;

  constructor(path: string, options: FileLockOptions = {}) {
    super();
    this.path = resolve(validateLockPath('FileLock', path));
    this.lockPath = resolve(
      options.lockfilePath === undefined
        ? `${this.path}.lock`
        : validateLockPath('FileLock', options.lockfilePath),
    );
    this.#stale = positive('stale', options.stale ?? DEFAULT_STALE, 2000);
    this.#update = options.update === undefined ? undefined : positive('update', options.update, 1000);
    this.#minDelay = positive('retries.minTimeout', options.retries?.minTimeout ?? 1, 0);
    this.#maxDelay = positive('retries.maxTimeout', options.retries?.maxTimeout ?? 50, this.#minDelay);
    this.#factor = positive('retries.factor', options.retries?.factor ?? 1.5, 1);
    this.#holdKey = `dir:${this.lockPath}`;
    this.#acquireFs = lockfileFs(
      (path, callback) =>
        fs.rmdir(path, (err) => {
          if (!err) this.#staleRemoved = true;
          callback(err);
        }),
      (path) => {
        fs.rmdirSync(path);
        this.#staleRemoved = true;
      },
    );
    ensureLockDirectory(this.lockPath, validateMode('FileLock', 'dirMode', options.dirMode ?? 0o700));
    this.#checkLockPath();
  }

  lock(options?: LockOptions): FileLockGuard {
    const plan = planWait(`the file lock '${this.lockPath}'`, options);
    if (conflictsWithThisThread(this.#holdKey, 'write')) {
      throw new LockDeadlockError(
        `FileLock '${this.lockPath}': this thread already holds it; a blocking wait would never end`,
      );
    }
    let delay = this.#minDelay;
    for (;;) {
      const guard = this.#attemptSync();
      if (guard !== null) return guard;
      checkWait(plan);
      sleepSync(Math.min(delay, remainingMs(plan)));
      delay = Math.min(delay * this.#factor, this.#maxDelay);
    }
  }

  tryLock(): FileLockGuard | null {
    return this.#attemptSync();
  }

  async lockAsync(options?: LockOptions): Promise<FileLockGuard> {
    const plan = planWait(`the file lock '${this.lockPath}'`, options);
    let delay = this.#minDelay;
    for (;;) {
      const guard = await this.#attemptAsync(plan);
      if (guard !== null) return guard;
      checkWait(plan);
      await sleepAsync(Math.min(delay, remainingMs(plan)), plan.signal);
      delay = Math.min(delay * this.#factor, this.#maxDelay);
    }
  }

  #attemptSync(): FileGuard | null {
    const attempt: Attempt = { guard: null };
    try {
      lockfile.lockSync(this.path, this.#lockfileOptions(attempt));
    } catch (err) {
      return this.#attemptFailed(err);
    }
    return this.#granted(attempt);
  }

  async #attemptAsync(plan: WaitPlan): Promise<FileGuard | null> {
    const attempt: Attempt = { guard: null };
    try {
      await lockfile.lock(this.path, this.#lockfileOptions(attempt));
    } catch (err) {
      return this.#attemptFailed(err);
    }
    const guard = this.#granted(attempt);
    if (plan.signal?.aborted) {
      guard.release();
      throw plan.signal.reason;
    }
    return guard;
  }

  #attemptFailed(err: unknown): null {
    // Something planted at the lock's path shows up as a held lock or an odd error: name it.
    this.#checkLockPath();
    if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') throw lockPathError(this.lockPath, err);
    return null;
  }

  #granted(attempt: Attempt): FileGuard {
    const unlockOptions = { realpath: false, lockfilePath: this.lockPath, fs: plainFs };
    const recovered = this.#staleRemoved;
    this.#staleRemoved = false;
    const guard = new FileGuard(this, recovered, () => {
      removeThreadHold(this.#holdKey, 'write');
      try {
        lockfile.unlockSync(this.path, unlockOptions);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== 'ERELEASED' && code !== 'ENOTACQUIRED') throw err;
      }
    });
    attempt.guard = guard;
    addThreadHold(this.#holdKey, 'write');
    return guard;
  }

  #lockfileOptions(attempt: Attempt): ProperLockfileOptions {
    return {
      stale: this.#stale,
      update: this.#update,
      retries: 0, // waiting is done here, so that timeouts and AbortSignal apply
      realpath: false, // the guarded path need not exist
      lockfilePath: this.lockPath,
      fs: this.#acquireFs,
      onCompromised: (err) => this.#compromised(err, attempt),
    };
  }

  #compromised(err: Error, attempt: Attempt): void {
    const guard = attempt.guard;
    if (guard === null || guard.released) return;
    guard.markCompromised(err);
    removeThreadHold(this.#holdKey, 'write');
    try {
      this.emit('compromised', err, guard);
    } catch (listenerError) {
      // A throwing listener must not become an uncaught exception inside proper-lockfile's timer.
      process.emitWarning(`a FileLock 'compromised' listener threw: ${String(listenerError)}`);
    }
  }

  /** The lock directory must be a real directory (or absent): never a symbolic link or a file. */
  #checkLockPath(): void {
    let stat: fs.Stats;
    try {
      stat = lstatSync(this.lockPath);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw lockPathError(this.lockPath, err);
    }
    if (stat.isSymbolicLink()) {
      throw new LockPathError(this.lockPath, 'ELOOP', 'it is a symbolic link, and lock paths are never followed');
    }
    if (!stat.isDirectory()) {
      throw new LockPathError(
        this.lockPath,
        'ERR_SHMKIT_LOCK_NOT_A_DIRECTORY',
        'something other than a lock directory is in its place',
      );
    }
  }
}

function positive(name: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new LockArgumentError(`FileLock: ${name} must be a number >= ${min}, got ${String(value)}`);
  }
  return value;
}
