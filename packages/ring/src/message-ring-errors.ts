export type MessageRingErrorCode =
  | 'ERR_SHMKIT_RING_BAD_OPTIONS'
  | 'ERR_SHMKIT_RING_BUFFER_TOO_SMALL'
  | 'ERR_SHMKIT_RING_MISALIGNED'
  | 'ERR_SHMKIT_RING_BAD_MAGIC'
  | 'ERR_SHMKIT_RING_BAD_VERSION'
  | 'ERR_SHMKIT_RING_CORRUPT'
  | 'ERR_SHMKIT_RING_MESSAGE_TOO_LARGE'
  | 'ERR_SHMKIT_RING_BAD_ARGUMENT'
  | 'ERR_SHMKIT_RING_CLOSED';

/** Every error MessageRing throws on purpose; `code` is stable, the message explains. */
export class MessageRingError extends Error {
  override readonly name = 'MessageRingError';
  readonly code: MessageRingErrorCode;

  constructor(code: MessageRingErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
