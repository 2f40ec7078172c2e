/**
 * Every failure of @shmkit/shm is a ShmError. `code` is stable: either one of the
 * ERR_SHMKIT_* codes below, or the system's errno name ('ENOENT', 'EEXIST', 'EACCES', 'EINVAL',
 * ...) when the kernel refused, in which case `errno` and `syscall` are set too.
 */
export type ShmErrorCode =
  | 'ERR_SHMKIT_INVALID_NAME'
  | 'ERR_SHMKIT_INVALID_SIZE'
  | 'ERR_SHMKIT_INVALID_PERMS'
  | 'ERR_SHMKIT_INVALID_KEY'
  | 'ERR_SHMKIT_INVALID_ID'
  | 'ERR_SHMKIT_INVALID_ARGUMENT'
  | 'ERR_SHMKIT_CLOSED'
  | 'ERR_SHMKIT_READONLY'
  | 'ERR_SHMKIT_SIZE_MISMATCH'
  | 'ERR_SHMKIT_NOT_SHARED_MEMORY'
  | (string & {});

export class ShmError extends Error {
  readonly code: ShmErrorCode;
  readonly errno: number | undefined;
  readonly syscall: string | undefined;

  constructor(code: ShmErrorCode, message: string, options: { errno?: number; syscall?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ShmError';
    this.code = code;
    this.errno = options.errno;
    this.syscall = options.syscall;
  }
}

interface SystemErrorLike {
  code?: unknown;
  errno?: unknown;
  syscall?: unknown;
  message?: unknown;
}

/** Whether `err` is a system error with the given errno name (from fs or from @shmkit/sys). */
export function hasCode(err: unknown, ...codes: string[]): boolean {
  return typeof err === 'object' && err !== null && codes.includes(String((err as SystemErrorLike).code));
}

const DESCRIPTIONS: Record<string, string> = {
  ENOENT: 'it does not exist',
  EEXIST: 'it already exists',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EINVAL: 'invalid argument (for System V: a size beyond the system limit or the segment, or an id that was removed)',
  ENOSPC: 'no space left (a system limit on shared memory was reached)',
  ENOMEM: 'not enough memory',
  ELOOP: 'the name is a symbolic link, which is never followed',
  EMFILE: 'too many open files',
  EFBIG: 'the size is too large',
  EIDRM: 'the segment was removed',
};

/**
 * Converts a system error (a Node fs error or a @shmkit/sys SysError) into a ShmError that says
 * what was being done, keeping the errno name as `code`.
 */
export function systemError(what: string, err: unknown): ShmError {
  if (err instanceof ShmError) return err;
  const e = (err ?? {}) as SystemErrorLike;
  if (typeof e.code !== 'string' || !/^E[A-Z0-9]+$/.test(e.code)) {
    return new ShmError('ERR_SHMKIT_INVALID_ARGUMENT', `${what}: ${String(e.message ?? err)}`, { cause: err });
  }
  const errno = typeof e.errno === 'number' ? Math.abs(e.errno) : undefined;
  const syscall = typeof e.syscall === 'string' ? e.syscall : undefined;
  const description = DESCRIPTIONS[e.code] ?? String(e.message ?? '');
  return new ShmError(e.code, `${what}: ${e.code} (${description})`, { errno, syscall, cause: err });
}
