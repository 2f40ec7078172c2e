/** Every error code this package raises; they are stable and safe to branch on. */
export type RegionErrorCode =
  | 'ERR_SHMKIT_REGION_INVALID_ARGUMENT'
  | 'ERR_SHMKIT_REGION_OUT_OF_RANGE'
  | 'ERR_SHMKIT_REGION_UNALIGNED_OFFSET'
  | 'ERR_SHMKIT_REGION_FILE_NOT_FOUND'
  | 'ERR_SHMKIT_REGION_NOT_A_FILE'
  | 'ERR_SHMKIT_REGION_EMPTY_FILE'
  | 'ERR_SHMKIT_REGION_ACCESS_DENIED'
  | 'ERR_SHMKIT_REGION_NOT_WRITABLE'
  | 'ERR_SHMKIT_REGION_BAD_DESCRIPTOR'
  | 'ERR_SHMKIT_REGION_FILE_CHANGED'
  | 'ERR_SHMKIT_REGION_OPEN_FAILED'
  | 'ERR_SHMKIT_REGION_MAP_FAILED'
  | 'ERR_SHMKIT_REGION_SYNC_FAILED'
  | 'ERR_SHMKIT_REGION_ADVISE_FAILED'
  | 'ERR_SHMKIT_REGION_RELEASED'
  | 'ERR_SHMKIT_REGION_CURSOR_INVALID'
  | 'ERR_SHMKIT_REGION_CURSOR_UNASSOCIATED'
  | 'ERR_SHMKIT_REGION_CURSOR_CLOSED'
  | 'ERR_SHMKIT_REGION_WRONG_KEY_KIND'
  | 'ERR_SHMKIT_REGION_TOO_MANY_HANDLES'
  | 'ERR_SHMKIT_REGION_TOO_LARGE'
  | 'ERR_SHMKIT_REGION_MANAGER_CLOSED'
  | 'ERR_SHMKIT_REGION_BACKEND_UNAVAILABLE';

export interface RegionErrorDetails {
  /** The file the operation was about, when there is one. */
  path?: string | number;
  /** The system call that failed, when one did ('open', 'mmap', 'msync', ...). */
  syscall?: string;
  /** The system error code reported by that call ('ENOENT', 'EACCES', ...). */
  sysCode?: string;
  cause?: unknown;
}

/** State and system failures: missing files, released regions, exhausted limits. */
export class RegionError extends Error {
  readonly code: RegionErrorCode;
  readonly path: string | number | undefined;
  readonly syscall: string | undefined;
  readonly sysCode: string | undefined;

  constructor(code: RegionErrorCode, message: string, details: RegionErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'RegionError';
    this.code = code;
    this.path = details.path;
    this.syscall = details.syscall;
    this.sysCode = details.sysCode;
  }
}

/** Bad numbers: negative, fractional or unaligned offsets and sizes, indexes past the end. */
export class RegionRangeError extends RangeError {
  readonly code: RegionErrorCode;

  constructor(code: RegionErrorCode, message: string) {
    super(message);
    this.name = 'RegionRangeError';
    this.code = code;
  }
}
