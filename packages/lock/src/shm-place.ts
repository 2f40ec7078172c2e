import { LockArgumentError, LockOffsetError } from './errors.js';
import { requireProc } from './process-identity.js';

/** Memory a shared-memory lock can live in: a mapping's ArrayBuffer, a SharedArrayBuffer, or a view of either. */
export type LockMemory = ArrayBuffer | SharedArrayBuffer | ArrayBufferView;

/** Where a lock's bytes are: its typed-array views, starting at the lock's first byte. */
export interface LockPlace {
  readonly u64: BigUint64Array;
  readonly i32: Int32Array;
  /** Offset of the lock within the underlying ArrayBuffer (for messages). */
  readonly absoluteOffset: number;
}

export const LOCK_ALIGNMENT = 8;

/**
 * Validates that `size` bytes at `byteOffset` of `memory` are inside it and 8-byte aligned (64-bit
 * atomics and futex words need natural alignment), and returns views over exactly those bytes.
 */
export function placeLock(kind: string, memory: LockMemory, byteOffset: number, size: number): LockPlace {
  requireProc(kind);
  let buffer: ArrayBufferLike;
  let base = 0;
  let available: number;
  if (ArrayBuffer.isView(memory)) {
    buffer = memory.buffer;
    base = memory.byteOffset;
    available = memory.byteLength;
  } else if (memory instanceof ArrayBuffer || isSharedArrayBuffer(memory)) {
    buffer = memory;
    available = memory.byteLength;
  } else {
    throw new LockArgumentError(`${kind}: memory must be an ArrayBuffer, a SharedArrayBuffer or a view of one`);
  }
  if (!Number.isSafeInteger(byteOffset) || byteOffset < 0) {
    throw new LockOffsetError(`${kind}: byteOffset must be a non-negative integer, got ${String(byteOffset)}`);
  }
  if (available === 0) {
    throw new LockOffsetError(`${kind}: the memory is empty or detached (unmapped)`);
  }
  if (byteOffset + size > available) {
    throw new LockOffsetError(
      `${kind}: ${size} bytes at offset ${byteOffset} do not fit in ${available} bytes of memory`,
    );
  }
  const absoluteOffset = base + byteOffset;
  if (absoluteOffset % LOCK_ALIGNMENT !== 0) {
    throw new LockOffsetError(
      `${kind}: offset ${absoluteOffset} in its buffer is not a multiple of ${LOCK_ALIGNMENT} bytes`,
    );
  }
  return {
    u64: new BigUint64Array(buffer, absoluteOffset, size / 8),
    i32: new Int32Array(buffer, absoluteOffset, size / 4),
    absoluteOffset,
  };
}

function isSharedArrayBuffer(value: unknown): value is SharedArrayBuffer {
  return typeof SharedArrayBuffer !== 'undefined' && value instanceof SharedArrayBuffer;
}

/** Renders a 32-bit magic value as its four ASCII bytes (little-endian), for error messages. */
export function describeMagic(value: number): string {
  const bytes = [value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff];
  const printable = bytes.every((b) => b >= 0x20 && b < 0x7f);
  const hex = `0x${(value >>> 0).toString(16).padStart(8, '0')}`;
  return printable ? `'${String.fromCharCode(...bytes)}' (${hex})` : hex;
}

/** The little-endian 32-bit value of a 4-character ASCII tag. */
export function magicOf(tag: string): number {
  return (tag.charCodeAt(0) | (tag.charCodeAt(1) << 8) | (tag.charCodeAt(2) << 16) | (tag.charCodeAt(3) << 24)) | 0;
}
