import { RingError } from './ring-errors.js';

/** Below this many 32-bit words a plain loop beats TypedArray.prototype.set (which needs a subarray). */
const LOOP_WORDS = 64;

/**
 * Copies whole elements between caller typed arrays and the slot area. Every kind of typed array
 * is accepted; its bytes are taken as packed elements. Float64Array goes through float64 loads and
 * stores; everything else (BigUint64Array included, so raw 64-bit words never become BigInts)
 * through a 32-bit word alias of the caller's memory, cached for the last array seen so that
 * reusing one array costs no allocation.
 */
export class ElementCopier {
  private readonly wordsPerElement: number;
  private aliasOf: ArrayBufferView | null = null;
  private aliasWords: Uint32Array | null = null;
  private aliasBytes: Uint8Array | null = null;

  constructor(
    private readonly elementSize: number,
    private readonly slotBytes: Uint8Array,
    private readonly slotWords: Uint32Array,
    private readonly slotFloats: Float64Array,
  ) {
    this.wordsPerElement = elementSize >>> 2;
  }

  /** Throws unless `view` holds elements [index, index + n). */
  check(view: ArrayBufferView, n: number, index: number): void {
    if (!ArrayBuffer.isView(view)) {
      throw new RingError('ERR_SHMKIT_RING_BAD_ARGUMENT', 'expected a typed array (or DataView)');
    }
    if (!Number.isInteger(n) || n < 0 || !Number.isInteger(index) || index < 0) {
      throw new RingError('ERR_SHMKIT_RING_BAD_ARGUMENT', `element count and index must be non-negative integers, got n=${String(n)}, index=${String(index)}`);
    }
    if ((index + n) * this.elementSize > view.byteLength) {
      throw new RingError(
        'ERR_SHMKIT_RING_BAD_ARGUMENT',
        `the array holds ${Math.floor(view.byteLength / this.elementSize)} elements of ${this.elementSize} bytes; elements ${index}..${index + n - 1} were asked for`,
      );
    }
  }

  private alias(view: ArrayBufferView): void {
    if (view === this.aliasOf) return;
    this.aliasOf = view;
    if (view instanceof Uint32Array) {
      this.aliasWords = view;
      this.aliasBytes = null;
    } else if ((view.byteOffset & 3) === 0) {
      this.aliasWords = new Uint32Array(view.buffer, view.byteOffset, view.byteLength >>> 2);
      this.aliasBytes = null;
    } else {
      this.aliasWords = null;
      this.aliasBytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
    }
  }

  /** Copies n elements from src (starting at element srcIndex) into slots [slot, slot + n); no wrap. */
  copyIn(src: ArrayBufferView, srcIndex: number, slot: number, n: number): void {
    if (this.elementSize === 8 && src instanceof Float64Array) {
      const slots = this.slotFloats;
      if (n <= LOOP_WORDS) for (let i = 0; i < n; i++) slots[slot + i] = src[srcIndex + i]!;
      else slots.set(src.subarray(srcIndex, srcIndex + n), slot);
      return;
    }
    this.alias(src);
    const words = this.aliasWords;
    if (words !== null) {
      const count = n * this.wordsPerElement;
      const from = srcIndex * this.wordsPerElement;
      const to = slot * this.wordsPerElement;
      const slots = this.slotWords;
      if (count <= LOOP_WORDS) for (let i = 0; i < count; i++) slots[to + i] = words[from + i]!;
      else slots.set(words.subarray(from, from + count), to);
    } else {
      const from = srcIndex * this.elementSize;
      this.slotBytes.set(this.aliasBytes!.subarray(from, from + n * this.elementSize), slot * this.elementSize);
    }
  }

  /** Copies slots [slot, slot + n) into dst starting at element dstIndex; no wrap. */
  copyOut(dst: ArrayBufferView, dstIndex: number, slot: number, n: number): void {
    if (this.elementSize === 8 && dst instanceof Float64Array) {
      const slots = this.slotFloats;
      if (n <= LOOP_WORDS) for (let i = 0; i < n; i++) dst[dstIndex + i] = slots[slot + i]!;
      else dst.set(slots.subarray(slot, slot + n), dstIndex);
      return;
    }
    this.alias(dst);
    const words = this.aliasWords;
    if (words !== null) {
      const count = n * this.wordsPerElement;
      const from = slot * this.wordsPerElement;
      const to = dstIndex * this.wordsPerElement;
      const slots = this.slotWords;
      if (count <= LOOP_WORDS) for (let i = 0; i < count; i++) words[to + i] = slots[from + i]!;
      else words.set(slots.subarray(from, from + count), to);
    } else {
      const from = slot * this.elementSize;
      this.aliasBytes!.set(this.slotBytes.subarray(from, from + n * this.elementSize), dstIndex * this.elementSize);
    }
  }
}
