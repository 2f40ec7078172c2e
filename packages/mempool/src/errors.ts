export type MempoolErrorCode =
  | 'ERR_SHMKIT_MEMPOOL_BAD_OPTIONS'
  | 'ERR_SHMKIT_MEMPOOL_BUFFER_TOO_SMALL'
  | 'ERR_SHMKIT_MEMPOOL_MISALIGNED'
  | 'ERR_SHMKIT_MEMPOOL_BAD_MAGIC'
  | 'ERR_SHMKIT_MEMPOOL_BAD_VERSION'
  | 'ERR_SHMKIT_MEMPOOL_CORRUPT'
  | 'ERR_SHMKIT_MEMPOOL_BAD_INDEX'
  | 'ERR_SHMKIT_MEMPOOL_DOUBLE_PUT'
  | 'ERR_SHMKIT_MEMPOOL_NOT_HANDED_OUT'
  | 'ERR_SHMKIT_MEMPOOL_AUDIT_FAILED'
  | 'ERR_SHMKIT_MEMPOOL_CLOSED';

/** Every error Mempool throws on purpose; `code` is stable, the message names the block. */
export class MempoolError extends Error {
  override readonly name = 'MempoolError';
  readonly code: MempoolErrorCode;
  /** The block index the error is about, when there is one. */
  readonly index: number | undefined;

  constructor(code: MempoolErrorCode, message: string, index?: number) {
    super(message);
    this.code = code;
    this.index = index;
  }
}
