/**
 * A failed system call: `errno` is the number, `code` its name ('EACCES', 'EEXIST', ...), `syscall`
 * the call that failed. Thrown by every function of @shmkit/sys (bad arguments raise TypeError or
 * RangeError instead, with Node's ERR_INVALID_ARG_TYPE / ERR_OUT_OF_RANGE codes).
 */
export class SysError extends Error {
  readonly errno: number;
  readonly code: string;
  readonly syscall: string;

  constructor(syscall: string, errno: number, code: string, description?: string) {
    super(`${syscall} failed with ${code}${description ? `: ${description}` : ''}`);
    this.name = 'SysError';
    this.errno = errno;
    this.code = code;
    this.syscall = syscall;
  }
}
