/**
 * Every failure of @shmkit/ipmmap is an `IpmmapError` with a stable `code`. System errors from
 * the file system keep their own errno `code` ('ENOENT', 'EACCES', ...) and are attached as `cause`
 * where they explain one of ours.
 */
export type IpmmapErrorCode =
  | 'ERR_SHMKIT_IPMMAP_STRUCT_NOT_FOUND'
  | 'ERR_SHMKIT_IPMMAP_DUPLICATE_STRUCT'
  | 'ERR_SHMKIT_IPMMAP_NO_HEADER'
  | 'ERR_SHMKIT_IPMMAP_BAD_NAME'
  | 'ERR_SHMKIT_IPMMAP_FILE_MISSING'
  | 'ERR_SHMKIT_IPMMAP_NOT_A_FILE'
  | 'ERR_SHMKIT_IPMMAP_FILE_TOO_SMALL'
  | 'ERR_SHMKIT_IPMMAP_BAD_HEADER'
  | 'ERR_SHMKIT_IPMMAP_CREATE_FAILED'
  | 'ERR_SHMKIT_IPMMAP_SCOPE_CLOSED'
  | 'ERR_SHMKIT_IPMMAP_HANDLE_CLOSED'
  | 'ERR_SHMKIT_IPMMAP_NESTED'
  | 'ERR_SHMKIT_IPMMAP_UNKNOWN_KEY'
  | 'ERR_SHMKIT_IPMMAP_UNSUPPORTED_HOST';

export class IpmmapError extends Error {
  readonly code: IpmmapErrorCode;
  constructor(code: IpmmapErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IpmmapError';
    this.code = code;
  }
}
