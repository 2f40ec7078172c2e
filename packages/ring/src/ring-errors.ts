export type RingErrorCode =
  | 'ERR_SHMKIT_RING_BAD_OPTIONS'
  | 'ERR_SHMKIT_RING_BUFFER_TOO_SMALL'
  | 'ERR_SHMKIT_RING_MISALIGNED'
  | 'ERR_SHMKIT_RING_BAD_MAGIC'
  | 'ERR_SHMKIT_RING_BAD_VERSION'
  | 'ERR_SHMKIT_RING_CORRUPT'
  | 'ERR_SHMKIT_RING_BAD_ARGUMENT'
  | 'ERR_SHMKIT_RING_WRONG_ELEMENT_SIZE'
  | 'ERR_SHMKIT_RING_WRONG_MODE'
  | 'ERR_SHMKIT_RING_TOO_MANY_PROCESSES'
  | 'ERR_SHMKIT_RING_MESSAGE_TOO_LARGE'
  | 'ERR_SHMKIT_RING_CLOSED';

/**
 * Every error a Ring or a MessageRing throws on purpose. `code` is stable; the message explains.
 * Full and empty are never errors: they are return values (false, undefined, 0).
 */
export class RingError extends Error {
  override readonly name = 'RingError';
  readonly code: RingErrorCode;

  constructor(code: RingErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** The name MessageRing's errors had before Ring and MessageRing shared one error class. */
export const MessageRingError = RingError;
export type MessageRingError = RingError;
export type MessageRingErrorCode = RingErrorCode;
