import { RingError } from './ring-errors.js';

/**
 * Shared-memory layout of a Ring. Every offset is relative to the ring's byteOffset, which must be
 * a multiple of 64 (one cache line). All words are little-endian int32.
 *
 *   byte 0    line 0  config, written once by create(): magic, version, mode, capacity, element
 *                     size, registry size, offsets of the three areas, total size, check word
 *   byte 64   line 1  empty (keeps the adjacent-line prefetcher off the producer line)
 *   byte 128  line 2  producer state: published producer position (spsc) / enqueue position
 *   byte 192  line 3  empty
 *   byte 256  line 4  consumer state: published consumer position (spsc) / dequeue position
 *   byte 320  line 5  empty
 *   byte 384  line 6  waiting: data wanted, data event, space wanted, space event, recovered
 *   byte 448  line 7  empty
 *   byte 512          registry (not spsc): maxProcesses entries of one line each
 *                     sequence numbers (not spsc): capacity int32, one per slot
 *                     slots: capacity * elementSize bytes
 *
 * Positions are free-running 32-bit counters (they wrap); slot = position & (capacity - 1).
 * Only positions and offsets live here, never pointers, so the ring works at any address.
 */
export const RING_MAGIC = 0x47524b53; // "SKRG" as little-endian bytes
export const RING_LAYOUT_VERSION = 1;
export const CACHE_LINE = 64;
export const HEADER_BYTES = 512;
export const REGISTRY_ENTRY_BYTES = CACHE_LINE;
export const MAX_CAPACITY = 2 ** 30;
/** Sequenced modes store 2 * position in 32-bit sequence words, so a lap must stay below 2^30. */
export const MAX_SEQUENCED_CAPACITY = 2 ** 29;
export const MAX_ELEMENT_SIZE = 65_536;
export const DEFAULT_MAX_PROCESSES = 64;
export const MAX_PROCESSES_LIMIT = 4096;

// Word indices into the header (Int32Array starting at byteOffset).
export const W_MAGIC = 0;
export const W_VERSION = 1;
export const W_MODE = 2;
export const W_CAPACITY = 3;
export const W_ELEMENT_SIZE = 4;
export const W_MAX_PROCESSES = 5;
export const W_REGISTRY_OFFSET = 6;
export const W_SEQ_OFFSET = 7;
export const W_SLOTS_OFFSET = 8;
export const W_TOTAL_LO = 9;
export const W_TOTAL_HI = 10;
export const W_CHECK = 11;

export const W_PROD = 32; // byte 128
export const W_CONS = 64; // byte 256
export const W_DATA_WANTED = 96; // byte 384: set by a consumer about to park until an element is published
export const W_DATA_EVENT = 97; // futex word bumped by producers that found the flag set
export const W_SPACE_WANTED = 98; // set by a producer about to park until a slot is released
export const W_SPACE_EVENT = 99; // futex word bumped by consumers that found the flag set
export const W_RECOVERED = 100; // slots skipped or freed because their claimer died

export const HEADER_WORDS = HEADER_BYTES / 4;

export const MODE_CODES = { spsc: 0, mpsc: 1, spmc: 2, mpmc: 3 } as const;
export type RingMode = keyof typeof MODE_CODES;
const MODE_NAMES: readonly RingMode[] = ['spsc', 'mpsc', 'spmc', 'mpmc'];

export interface RingOptions {
  /**
   * Number of slots: a power of two from 1 to 2^30 (2^29 outside spsc). Every slot is usable: a
   * full ring holds exactly `capacity` elements.
   */
  capacity: number;
  /** Bytes per element: a multiple of 4 from 4 to 65536. Default 8 (a float64). */
  elementSize?: number;
  /** Producer/consumer multiplicity. Default 'spsc'. */
  mode?: RingMode;
  /**
   * Multi-producer/consumer modes only: how many ring handles may take part at the same time
   * (each producing or consuming handle registers once, so that a dead process's half-done
   * operation can be recognised). Default 64.
   */
  maxProcesses?: number;
}

/** The configuration a ring was created with, as read back from shared memory. */
export interface RingLayout {
  mode: RingMode;
  capacity: number;
  elementSize: number;
  maxProcesses: number;
  registryOffset: number;
  seqOffset: number;
  slotsOffset: number;
  totalBytes: number;
}

function alignUp(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}

function bad(message: string): never {
  throw new RingError('ERR_SHMKIT_RING_BAD_OPTIONS', message);
}

/** Validates the options and computes where everything goes. */
export function planLayout(options: RingOptions): RingLayout {
  if (options === null || typeof options !== 'object') bad('options must be an object with at least { capacity }');
  const { capacity, elementSize = 8, mode = 'spsc' } = options;
  if (!Number.isInteger(capacity) || capacity < 1 || capacity > MAX_CAPACITY || (capacity & (capacity - 1)) !== 0) {
    bad(`capacity must be a power of two from 1 to 2^30, got ${String(capacity)}`);
  }
  if (!Number.isInteger(elementSize) || elementSize < 4 || elementSize > MAX_ELEMENT_SIZE || elementSize % 4 !== 0) {
    bad(`elementSize must be a multiple of 4 from 4 to ${MAX_ELEMENT_SIZE}, got ${String(elementSize)}`);
  }
  if (!Object.hasOwn(MODE_CODES, mode)) bad(`mode must be one of ${MODE_NAMES.join(', ')}, got ${String(mode)}`);
  const sequenced = mode !== 'spsc';
  if (sequenced && capacity > MAX_SEQUENCED_CAPACITY) bad(`capacity must be at most 2^29 in ${mode} mode, got ${capacity}`);
  const maxProcesses = sequenced ? (options.maxProcesses ?? DEFAULT_MAX_PROCESSES) : 0;
  if (sequenced && (!Number.isInteger(maxProcesses) || maxProcesses < 1 || maxProcesses > MAX_PROCESSES_LIMIT)) {
    bad(`maxProcesses must be an integer from 1 to ${MAX_PROCESSES_LIMIT}, got ${String(maxProcesses)}`);
  }
  const registryOffset = sequenced ? HEADER_BYTES : 0;
  const seqOffset = sequenced ? registryOffset + maxProcesses * REGISTRY_ENTRY_BYTES : 0;
  const slotsOffset = sequenced ? seqOffset + alignUp(capacity * 4, CACHE_LINE) : HEADER_BYTES;
  const totalBytes = slotsOffset + alignUp(capacity * elementSize, CACHE_LINE);
  return { mode, capacity, elementSize, maxProcesses, registryOffset, seqOffset, slotsOffset, totalBytes };
}

function checkWord(words: ArrayLike<number>): number {
  // FNV-1a over the config words: attach refuses a header whose fields do not match it.
  let h = 0x811c9dc5 | 0;
  for (let i = W_MAGIC; i < W_CHECK; i++) h = Math.imul(h ^ words[i]!, 0x01000193);
  return h;
}

function configWords(layout: RingLayout): number[] {
  const words = new Array<number>(W_CHECK + 1).fill(0);
  words[W_MAGIC] = RING_MAGIC;
  words[W_VERSION] = RING_LAYOUT_VERSION;
  words[W_MODE] = MODE_CODES[layout.mode];
  words[W_CAPACITY] = layout.capacity;
  words[W_ELEMENT_SIZE] = layout.elementSize;
  words[W_MAX_PROCESSES] = layout.maxProcesses;
  words[W_REGISTRY_OFFSET] = layout.registryOffset;
  words[W_SEQ_OFFSET] = layout.seqOffset;
  words[W_SLOTS_OFFSET] = layout.slotsOffset;
  words[W_TOTAL_LO] = layout.totalBytes % 2 ** 32 | 0;
  words[W_TOTAL_HI] = Math.floor(layout.totalBytes / 2 ** 32);
  words[W_CHECK] = checkWord(words);
  return words;
}

export type RingBuffer = ArrayBuffer | SharedArrayBuffer;

/** Throws unless [byteOffset, byteOffset + bytes) is a usable, cache-line aligned range of buffer. */
export function checkPlacement(buffer: RingBuffer, byteOffset: number, bytes: number): void {
  if (!(buffer instanceof ArrayBuffer) && !(typeof SharedArrayBuffer !== 'undefined' && buffer instanceof SharedArrayBuffer)) {
    throw new RingError('ERR_SHMKIT_RING_BAD_ARGUMENT', 'buffer must be an ArrayBuffer or SharedArrayBuffer');
  }
  if (!Number.isSafeInteger(byteOffset) || byteOffset < 0) {
    throw new RingError('ERR_SHMKIT_RING_BAD_ARGUMENT', `byteOffset must be a non-negative integer, got ${String(byteOffset)}`);
  }
  if (byteOffset % CACHE_LINE !== 0) {
    throw new RingError('ERR_SHMKIT_RING_MISALIGNED', `byteOffset must be a multiple of ${CACHE_LINE} (a cache line), got ${byteOffset}`);
  }
  if (byteOffset + bytes > buffer.byteLength) {
    throw new RingError(
      'ERR_SHMKIT_RING_BUFFER_TOO_SMALL',
      `the ring needs ${bytes} bytes at offset ${byteOffset}, but the buffer has ${buffer.byteLength} bytes` +
        (buffer.byteLength === 0 ? ' (was it unmapped?)' : ''),
    );
  }
}

/**
 * Writes a fresh header and returns the header view. The magic word is stored last, so a process
 * attaching concurrently sees either no ring or a complete one.
 */
export function writeHeader(buffer: RingBuffer, byteOffset: number, layout: RingLayout): Int32Array {
  checkPlacement(buffer, byteOffset, layout.totalBytes);
  const header = new Int32Array(buffer, byteOffset, HEADER_WORDS);
  Atomics.store(header, W_MAGIC, 0);
  header.fill(0, 1);
  const words = configWords(layout);
  for (let i = W_VERSION; i <= W_CHECK; i++) header[i] = words[i]!;
  if (layout.registryOffset !== 0) {
    new Int32Array(buffer, byteOffset + layout.registryOffset, (layout.maxProcesses * REGISTRY_ENTRY_BYTES) / 4).fill(0);
  }
  Atomics.store(header, W_MAGIC, RING_MAGIC);
  return header;
}

/** Reads and validates a header written by writeHeader; throws a RingError naming what is wrong. */
export function readHeader(buffer: RingBuffer, byteOffset: number): { header: Int32Array; layout: RingLayout } {
  checkPlacement(buffer, byteOffset, HEADER_BYTES);
  const header = new Int32Array(buffer, byteOffset, HEADER_WORDS);
  const magic = Atomics.load(header, W_MAGIC);
  if (magic !== RING_MAGIC) {
    throw new RingError(
      'ERR_SHMKIT_RING_BAD_MAGIC',
      `no ring at offset ${byteOffset}: magic is 0x${(magic >>> 0).toString(16).padStart(8, '0')}, expected 0x${RING_MAGIC.toString(16)}` +
        (magic === 0 ? ' (not created yet, or zeroed memory)' : ''),
    );
  }
  const version = header[W_VERSION]!;
  if (version !== RING_LAYOUT_VERSION) {
    throw new RingError(
      'ERR_SHMKIT_RING_BAD_VERSION',
      `the ring at offset ${byteOffset} has layout version ${version}; this library reads version ${RING_LAYOUT_VERSION}`,
    );
  }
  if (checkWord(header) !== header[W_CHECK]) {
    throw new RingError('ERR_SHMKIT_RING_CORRUPT', `the ring header at offset ${byteOffset} fails its check word (overwritten memory?)`);
  }
  const modeCode = header[W_MODE]!;
  const mode = MODE_NAMES[modeCode];
  let layout: RingLayout;
  try {
    if (mode === undefined) throw new Error(`mode code ${modeCode}`);
    layout = planLayout({
      capacity: header[W_CAPACITY]!,
      elementSize: header[W_ELEMENT_SIZE]!,
      mode,
      maxProcesses: mode === 'spsc' ? undefined : header[W_MAX_PROCESSES]!,
    });
  } catch (cause) {
    throw new RingError('ERR_SHMKIT_RING_CORRUPT', `the ring header at offset ${byteOffset} holds invalid options: ${(cause as Error).message}`);
  }
  const expected = configWords(layout);
  for (let i = W_VERSION; i <= W_CHECK; i++) {
    if (header[i] !== expected[i]) {
      throw new RingError('ERR_SHMKIT_RING_CORRUPT', `the ring header at offset ${byteOffset} is inconsistent (word ${i})`);
    }
  }
  checkPlacement(buffer, byteOffset, layout.totalBytes);
  return { header, layout };
}
