import { RingError } from './ring-errors.js';

/**
 * Shared-memory layout of a MessageRing (all words little-endian int32, offsets from byteOffset):
 *
 *   0   line 0   magic, version, header bytes, data bytes, mode, max message     (written once)
 *   128 line 2   producer side: head, claim owner                              (written per send)
 *   256 line 4   consumer side: tail, recovered records                     (written per receive)
 *   384 line 6   parking: data wanted, data bell, space wanted, space bell, claim wanted
 *   512          data area: `bytes` bytes of 8-byte aligned records
 *
 * Producer and consumer state sit 128 bytes apart so that neither side's writes pull the other
 * side's cache line (nor its adjacent-line prefetch partner). The parking words, which both sides
 * read on every operation but write only when someone sleeps, have a line of their own, so those
 * reads hit the local cache.
 */
export const MAGIC = 0x474e524d; // "MRNG" read as a little-endian word
export const LAYOUT_VERSION = 1;
export const HEADER_BYTES = 512;
export const MIN_DATA_BYTES = 64;
export const MAX_DATA_BYTES = 2 ** 30;

// Word indices into the header.
export const W_MAGIC = 0;
export const W_VERSION = 1;
export const W_HEADER_BYTES = 2;
export const W_DATA_BYTES = 3;
export const W_MODE = 4;
export const W_MAX_MESSAGE = 5;

export const W_HEAD = 32; // free-running byte position: spsc = published end, mpsc = claimed end
export const W_CLAIM_OWNER = 33; // mpsc: pid of the producer inside the claim step, 0 = free

export const W_TAIL = 64; // free-running byte position of the oldest record not yet released
export const W_RECOVERED = 65; // records skipped because their producer died mid-write

export const W_DATA_WANTED = 96; // set by the consumer about to park until a record is committed
export const W_DATA_BELL = 97; // futex word bumped by producers to wake the consumer
export const W_SPACE_WANTED = 98; // set by a producer about to park until space frees up
export const W_SPACE_BELL = 99; // futex word bumped by the consumer to wake parked producers
export const W_CLAIM_WANTED = 100; // mpsc: set by a producer about to park on the claim word

export const HEADER_WORDS = HEADER_BYTES / 4;

/**
 * Record header, 8 bytes, at an 8-byte aligned position:
 *   word 0: bit 31 committed, bit 30 padding, bits 0..29 payload length (padding: bytes to skip)
 *   word 1: pid of the producer that wrote it (lets the consumer skip records of dead producers)
 * A record never crosses the end of the data area; the space left before the end is covered by
 * one padding record instead.
 */
export const RECORD_HEADER_BYTES = 8;
export const COMMITTED = 0x80000000 | 0;
export const PADDING = 0x40000000;
export const LENGTH_MASK = 0x3fffffff;

export const MODE_CODES = { spsc: 0, mpsc: 1 } as const;
export type MessageRingMode = keyof typeof MODE_CODES;

export interface MessageRingOptions {
  /** Size of the data area in bytes: a power of two from 64 to 2^30. */
  bytes: number;
  /** 'spsc' (default): one producer, one consumer; 'mpsc': many producers, one consumer. */
  mode?: MessageRingMode;
}

export interface ResolvedLayout {
  bytes: number;
  mode: MessageRingMode;
  maxMessageBytes: number;
}

export function recordBytes(payloadLength: number): number {
  return (RECORD_HEADER_BYTES + payloadLength + 7) & ~7;
}

export function resolveOptions(options: MessageRingOptions): ResolvedLayout {
  if (options === null || typeof options !== 'object') {
    throw new RingError('ERR_SHMKIT_RING_BAD_OPTIONS', 'MessageRing options must be an object with `bytes`');
  }
  const { bytes, mode = 'spsc' } = options;
  if (!Number.isInteger(bytes) || bytes < MIN_DATA_BYTES || bytes > MAX_DATA_BYTES || (bytes & (bytes - 1)) !== 0) {
    throw new RingError(
      'ERR_SHMKIT_RING_BAD_OPTIONS',
      `MessageRing bytes must be a power of two from ${MIN_DATA_BYTES} to ${MAX_DATA_BYTES}, got ${String(bytes)}`,
    );
  }
  if (!Object.hasOwn(MODE_CODES, mode)) {
    throw new RingError(
      'ERR_SHMKIT_RING_BAD_OPTIONS',
      `MessageRing mode must be 'spsc' or 'mpsc', got ${JSON.stringify(mode)}`,
    );
  }
  return { bytes, mode, maxMessageBytes: bytes - RECORD_HEADER_BYTES };
}

export function messageRingSizeFor(options: MessageRingOptions): number {
  return HEADER_BYTES + resolveOptions(options).bytes;
}

/** Throws unless [byteOffset, byteOffset + needed) is a usable, aligned range of `buffer`. */
export function checkRange(buffer: ArrayBufferLike, byteOffset: number, needed: number): void {
  if (!(buffer instanceof ArrayBuffer) && !(buffer instanceof SharedArrayBuffer)) {
    throw new RingError('ERR_SHMKIT_RING_BAD_OPTIONS', 'MessageRing needs an ArrayBuffer or SharedArrayBuffer');
  }
  if (!Number.isSafeInteger(byteOffset) || byteOffset < 0 || byteOffset % 64 !== 0) {
    throw new RingError(
      'ERR_SHMKIT_RING_MISALIGNED',
      `MessageRing byteOffset must be a non-negative multiple of 64 (a cache line), got ${String(byteOffset)}`,
    );
  }
  if (buffer.byteLength < byteOffset + needed) {
    throw new RingError(
      'ERR_SHMKIT_RING_BUFFER_TOO_SMALL',
      `MessageRing needs ${needed} bytes at offset ${byteOffset}, but the buffer has ${buffer.byteLength} bytes`,
    );
  }
}

export function writeHeader(header: Int32Array, layout: ResolvedLayout): void {
  header.fill(0);
  header[W_VERSION] = LAYOUT_VERSION;
  header[W_HEADER_BYTES] = HEADER_BYTES;
  header[W_DATA_BYTES] = layout.bytes;
  header[W_MODE] = MODE_CODES[layout.mode];
  header[W_MAX_MESSAGE] = layout.maxMessageBytes;
  // The magic goes last, so a concurrent attach never accepts a half-written header.
  Atomics.store(header, W_MAGIC, MAGIC);
}

/** Reads and validates the header of an existing ring; throws a clear error for anything off. */
export function readHeader(buffer: ArrayBufferLike, byteOffset: number): ResolvedLayout {
  checkRange(buffer, byteOffset, HEADER_BYTES);
  const header = new Int32Array(buffer, byteOffset, HEADER_WORDS);
  const magic = Atomics.load(header, W_MAGIC);
  if (magic !== MAGIC) {
    throw new RingError(
      'ERR_SHMKIT_RING_BAD_MAGIC',
      `no MessageRing at offset ${byteOffset}: magic is 0x${(magic >>> 0).toString(16)}, expected 0x${MAGIC.toString(16)}`,
    );
  }
  const version = header[W_VERSION]!;
  if (version !== LAYOUT_VERSION) {
    throw new RingError(
      'ERR_SHMKIT_RING_BAD_VERSION',
      `MessageRing layout version ${version} is not supported (this library reads version ${LAYOUT_VERSION})`,
    );
  }
  const bytes = header[W_DATA_BYTES]!;
  const modeCode = header[W_MODE]!;
  const mode = (Object.keys(MODE_CODES) as MessageRingMode[]).find((m) => MODE_CODES[m] === modeCode);
  const sane =
    header[W_HEADER_BYTES] === HEADER_BYTES &&
    bytes >= MIN_DATA_BYTES &&
    bytes <= MAX_DATA_BYTES &&
    (bytes & (bytes - 1)) === 0 &&
    mode !== undefined &&
    header[W_MAX_MESSAGE] === bytes - RECORD_HEADER_BYTES;
  if (!sane || mode === undefined) {
    throw new RingError('ERR_SHMKIT_RING_CORRUPT', `MessageRing header at offset ${byteOffset} is inconsistent`);
  }
  checkRange(buffer, byteOffset, HEADER_BYTES + bytes);
  return { bytes, mode, maxMessageBytes: bytes - RECORD_HEADER_BYTES };
}
