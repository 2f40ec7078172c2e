import { Ring } from '@shmkit/ring';
import { META_WORDS } from './block-state.js';
import { MempoolError } from './errors.js';

/**
 * Shared-memory layout of a Mempool (offsets from byteOffset; every section 64-byte aligned):
 *
 *   0                 header, one cache line: magic, version, sizes, section offsets
 *   64                reserved (keeps the free ring's header off the pool header's line)
 *   128               free ring: a @shmkit/ring mpmc Ring of uint32 block indices,
 *                     capacity = count rounded up to a power of two
 *   metaOffset        block metadata, 16 bytes per block: state word, holder pid,
 *                     holder start time (boot ticks), spare
 *   blocksOffset      `count` blocks, each `blockStride` bytes (blockSize rounded up to 64)
 */
export const MAGIC = 0x4c4f504d; // "MPOL" read as a little-endian word
export const LAYOUT_VERSION = 1;
export const HEADER_BYTES = 128;
export const RING_OFFSET = 128;
export const BLOCK_ALIGN = 64;
export const MAX_COUNT = 2 ** 26;
export const MAX_BLOCK_SIZE = 2 ** 30;
export const MAX_CACHE_SIZE = 512;
export const DEFAULT_MAX_PROCESSES = 64;

const W_MAGIC = 0;
const W_VERSION = 1;
const W_HEADER_BYTES = 2;
const W_BLOCK_SIZE = 3;
const W_COUNT = 4;
const W_CACHE_SIZE = 5;
const W_BLOCK_STRIDE = 6;
const W_RING_OFFSET = 7;
const W_RING_CAPACITY = 8;
const W_META_OFFSET = 9;
const W_BLOCKS_OFFSET = 10;
const W_MAX_PROCESSES = 11; // float64 words 12..13 hold the total size (may exceed 2^32)
const F_TOTAL_BYTES = 6; // Float64Array index (byte 48)
export const HEADER_WORDS = 16;

export interface MempoolOptions {
  /** Usable bytes per block (each block starts on a 64-byte boundary). */
  blockSize: number;
  /** Number of blocks. */
  count: number;
  /**
   * Per-process cache of free block indices (0 = none, at most 512 and at most count / 1.5), as
   * DPDK's per-core cache: gets and puts served from it touch no shared counter.
   */
  cacheSize?: number;
  /**
   * How many processes may use the pool at the same time (each takes one entry of the free
   * ring's registry, which lets survivors repair the ring after a process dies mid-operation).
   * Default 64.
   */
  maxProcesses?: number;
}

export interface PoolLayout {
  blockSize: number;
  count: number;
  cacheSize: number;
  maxProcesses: number;
  blockStride: number;
  ringOffset: number;
  ringCapacity: number;
  metaOffset: number;
  blocksOffset: number;
  totalBytes: number;
}

function alignUp(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}

function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

function bad(message: string): never {
  throw new MempoolError('ERR_SHMKIT_MEMPOOL_BAD_OPTIONS', message);
}

export function computeLayout(options: MempoolOptions): PoolLayout {
  if (options === null || typeof options !== 'object') bad('Mempool options must be an object with blockSize and count');
  const { blockSize, count, cacheSize = 0, maxProcesses = DEFAULT_MAX_PROCESSES } = options;
  if (!Number.isInteger(blockSize) || blockSize < 1 || blockSize > MAX_BLOCK_SIZE) {
    bad(`Mempool blockSize must be an integer from 1 to ${MAX_BLOCK_SIZE}, got ${String(blockSize)}`);
  }
  if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT) {
    bad(`Mempool count must be an integer from 1 to ${MAX_COUNT}, got ${String(count)}`);
  }
  if (!Number.isInteger(cacheSize) || cacheSize < 0 || cacheSize > MAX_CACHE_SIZE || cacheSize * 1.5 > count) {
    bad(
      `Mempool cacheSize must be an integer from 0 to ${MAX_CACHE_SIZE} and at most count / 1.5 ` +
        `(${Math.floor(count / 1.5)} for ${count} blocks), got ${String(cacheSize)}`,
    );
  }
  if (!Number.isInteger(maxProcesses) || maxProcesses < 1) {
    bad(`Mempool maxProcesses must be a positive integer, got ${String(maxProcesses)}`);
  }
  const ringCapacity = nextPowerOfTwo(count);
  let ringBytes: number;
  try {
    ringBytes = Ring.sizeFor({ capacity: ringCapacity, elementSize: 4, mode: 'mpmc', maxProcesses });
  } catch (err) {
    bad(`Mempool free ring: ${(err as Error).message}`);
  }
  const metaOffset = alignUp(RING_OFFSET + ringBytes, BLOCK_ALIGN);
  const blocksOffset = alignUp(metaOffset + count * META_WORDS * 4, BLOCK_ALIGN);
  const blockStride = alignUp(blockSize, BLOCK_ALIGN);
  return {
    blockSize,
    count,
    cacheSize,
    maxProcesses,
    blockStride,
    ringOffset: RING_OFFSET,
    ringCapacity,
    metaOffset,
    blocksOffset,
    totalBytes: blocksOffset + count * blockStride,
  };
}

export function checkRange(buffer: ArrayBufferLike, byteOffset: number, needed: number): void {
  if (!(buffer instanceof ArrayBuffer) && !(buffer instanceof SharedArrayBuffer)) {
    bad('Mempool needs an ArrayBuffer or SharedArrayBuffer (for example a mapping from @shmkit/sys)');
  }
  if (!Number.isSafeInteger(byteOffset) || byteOffset < 0 || byteOffset % BLOCK_ALIGN !== 0) {
    throw new MempoolError(
      'ERR_SHMKIT_MEMPOOL_MISALIGNED',
      `Mempool byteOffset must be a non-negative multiple of ${BLOCK_ALIGN}, got ${String(byteOffset)}`,
    );
  }
  if (buffer.byteLength < byteOffset + needed) {
    throw new MempoolError(
      'ERR_SHMKIT_MEMPOOL_BUFFER_TOO_SMALL',
      `Mempool needs ${needed} bytes at offset ${byteOffset}, but the buffer has ${buffer.byteLength} bytes`,
    );
  }
}

export function writeHeader(buffer: ArrayBufferLike, byteOffset: number, layout: PoolLayout): void {
  const words = new Int32Array(buffer, byteOffset, HEADER_WORDS);
  words.fill(0);
  words[W_VERSION] = LAYOUT_VERSION;
  words[W_HEADER_BYTES] = HEADER_BYTES;
  words[W_BLOCK_SIZE] = layout.blockSize;
  words[W_COUNT] = layout.count;
  words[W_CACHE_SIZE] = layout.cacheSize;
  words[W_BLOCK_STRIDE] = layout.blockStride;
  words[W_RING_OFFSET] = layout.ringOffset;
  words[W_RING_CAPACITY] = layout.ringCapacity;
  words[W_META_OFFSET] = layout.metaOffset;
  words[W_BLOCKS_OFFSET] = layout.blocksOffset;
  words[W_MAX_PROCESSES] = layout.maxProcesses;
  new Float64Array(buffer, byteOffset, HEADER_WORDS / 2)[F_TOTAL_BYTES] = layout.totalBytes;
}

/** The magic is stored last by create(), once everything else is in place. */
export function publishMagic(buffer: ArrayBufferLike, byteOffset: number): void {
  Atomics.store(new Int32Array(buffer, byteOffset, HEADER_WORDS), W_MAGIC, MAGIC);
}

export function readHeader(buffer: ArrayBufferLike, byteOffset: number): PoolLayout {
  checkRange(buffer, byteOffset, HEADER_BYTES);
  const words = new Int32Array(buffer, byteOffset, HEADER_WORDS);
  const magic = Atomics.load(words, W_MAGIC);
  if (magic !== MAGIC) {
    throw new MempoolError(
      'ERR_SHMKIT_MEMPOOL_BAD_MAGIC',
      `no Mempool at offset ${byteOffset}: magic is 0x${(magic >>> 0).toString(16)}, expected 0x${MAGIC.toString(16)}`,
    );
  }
  if (words[W_VERSION] !== LAYOUT_VERSION) {
    throw new MempoolError(
      'ERR_SHMKIT_MEMPOOL_BAD_VERSION',
      `Mempool layout version ${words[W_VERSION]} is not supported (this library reads version ${LAYOUT_VERSION})`,
    );
  }
  let expected: PoolLayout;
  try {
    expected = computeLayout({
      blockSize: words[W_BLOCK_SIZE]!,
      count: words[W_COUNT]!,
      cacheSize: words[W_CACHE_SIZE]!,
      maxProcesses: words[W_MAX_PROCESSES]!,
    });
  } catch (err) {
    throw new MempoolError(
      'ERR_SHMKIT_MEMPOOL_CORRUPT',
      `Mempool header at offset ${byteOffset} holds impossible options: ${(err as Error).message}`,
    );
  }
  const total = new Float64Array(buffer, byteOffset, HEADER_WORDS / 2)[F_TOTAL_BYTES];
  const consistent =
    words[W_HEADER_BYTES] === HEADER_BYTES &&
    words[W_BLOCK_STRIDE] === expected.blockStride &&
    words[W_RING_OFFSET] === expected.ringOffset &&
    words[W_RING_CAPACITY] === expected.ringCapacity &&
    words[W_META_OFFSET] === expected.metaOffset &&
    words[W_BLOCKS_OFFSET] === expected.blocksOffset &&
    total === expected.totalBytes;
  if (!consistent) {
    throw new MempoolError('ERR_SHMKIT_MEMPOOL_CORRUPT', `Mempool header at offset ${byteOffset} is inconsistent`);
  }
  checkRange(buffer, byteOffset, expected.totalBytes);
  return expected;
}
