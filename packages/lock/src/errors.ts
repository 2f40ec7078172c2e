/** Raised when a lock could not be acquired within the `timeout` given to a wait. */
export class LockTimeoutError extends Error {
  readonly code = 'ERR_SHMKIT_LOCK_TIMEOUT';
  /** The timeout that elapsed, in milliseconds. */
  readonly timeout: number;

  constructor(what: string, timeout: number) {
    super(`timed out after ${timeout} ms waiting for ${what}`);
    this.name = 'LockTimeoutError';
    this.timeout = timeout;
  }
}

/**
 * Raised by `ShmMutex.at` / `ShmRwLock.at` when the bytes at the given place do not hold a lock
 * written by `init` (wrong magic value, unknown layout version, impossible field values).
 */
export class LockLayoutError extends Error {
  readonly code = 'ERR_SHMKIT_LOCK_BAD_LAYOUT';

  constructor(message: string) {
    super(message);
    this.name = 'LockLayoutError';
  }
}

/** Raised when a shared-memory lock is placed at an unaligned offset or does not fit its buffer. */
export class LockOffsetError extends RangeError {
  readonly code = 'ERR_SHMKIT_LOCK_BAD_OFFSET';

  constructor(message: string) {
    super(message);
    this.name = 'LockOffsetError';
  }
}

/** Raised for an invalid argument (a negative timeout, a non-signal `signal`, an empty path...). */
export class LockArgumentError extends TypeError {
  readonly code = 'ERR_SHMKIT_LOCK_INVALID_ARGUMENT';

  constructor(message: string) {
    super(message);
    this.name = 'LockArgumentError';
  }
}

/**
 * Raised by a synchronous acquisition that would wait for a lock held by the calling thread itself:
 * blocking would never end, because the holder cannot run to release it.
 */
export class LockDeadlockError extends Error {
  readonly code = 'ERR_SHMKIT_LOCK_DEADLOCK';

  constructor(message: string) {
    super(message);
    this.name = 'LockDeadlockError';
  }
}

/** Raised when a lock object is used after `close()`. */
export class LockClosedError extends Error {
  readonly code = 'ERR_SHMKIT_LOCK_CLOSED';

  constructor(what: string) {
    super(`${what} is closed`);
    this.name = 'LockClosedError';
  }
}

/**
 * Raised when a lock file cannot be opened or created. `code` is the system error code ('ELOOP' for
 * a symbolic link, 'EISDIR' for a directory, 'EACCES', 'ENOTDIR'...) or 'ERR_SHMKIT_LOCK_NOT_A_FILE'
 * when the path names something other than a regular file (a FIFO, a device).
 */
export class LockPathError extends Error {
  readonly code: string;
  readonly path: string;

  constructor(path: string, code: string, reason: string, cause?: unknown) {
    super(`cannot use '${path}' as a lock file: ${reason}`, cause === undefined ? undefined : { cause });
    this.name = 'LockPathError';
    this.code = code;
    this.path = path;
  }
}
