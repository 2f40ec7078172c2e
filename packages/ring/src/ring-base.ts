import { ElementCopier } from './ring-copy.js';
import { RingError } from './ring-errors.js';
import {
  planLayout,
  type RingBuffer,
  type RingLayout,
  type RingMode,
  type RingOptions,
  readHeader,
  W_DATA_EVENT,
  W_DATA_WANTED,
  W_RECOVERED,
  W_SPACE_EVENT,
  W_SPACE_WANTED,
  writeHeader,
} from './ring-layout.js';
import {
  deadlineAfter,
  type ParkCounter,
  type PendingWaits,
  type ProbeState,
  parkAsync,
  parkSync,
  wakeAll,
} from './ring-wait.js';

/** Per-handle settings: they live in the calling process, not in shared memory. */
export interface RingHandleOptions {
  /**
   * spsc producers only: make enqueued elements visible to the consumer once `publishBatch`
   * elements are pending instead of at every call (1, the default: each enqueue and each
   * bulk/burst call publishes). Pending elements are also published when the ring looks full,
   * before any wait, on flush(), and in a microtask at the end of the current job. Trades latency
   * for throughput: one atomic store per batch instead of one per call.
   */
  publishBatch?: number;
  /**
   * spsc consumers only: give read slots back to the producer once `releaseBatch` are pending
   * instead of at every call (1, the default). Read slots are also released when the ring looks
   * empty, before any wait, on flush(), and in a microtask at the end of the current job.
   * Caution: a consumer killed with unreleased slots leaves up to releaseBatch - 1 elements that
   * a replacement consumer will receive again.
   */
  releaseBatch?: number;
  /** Synchronous waits spin this long (microseconds) before parking on the futex. Default 20. */
  spinMicros?: number;
}

export type RingCreateOptions = RingOptions & RingHandleOptions;

export interface WaitOptions {
  /** Cancels the wait: the promise rejects with signal.reason. */
  signal?: AbortSignal;
  /** Give up after this many milliseconds (the promise resolves undefined / false). Default: no limit. */
  timeoutMs?: number;
}

export interface RingStats {
  /** Elements this handle enqueued. */
  enqueued: number;
  /** Elements this handle dequeued. */
  dequeued: number;
  /** Enqueue calls of this handle that found the ring full (moved nothing). */
  fullHits: number;
  /** Dequeue calls of this handle that found the ring empty (moved nothing). */
  emptyHits: number;
  /** Times this handle parked on the futex. */
  parks: number;
  /** Times this handle issued a futex wake because another process was parked. */
  wakeups: number;
  /** Ring-wide: slots claimed by a process that died mid-operation and recovered by a survivor. */
  recovered: number;
}

/** Element kinds: how single-element calls read and write a slot. */
export const KIND_FLOAT64 = 0;
export const KIND_UINT32 = 1;
export const KIND_BYTES = 2;

const DEFAULT_SPIN_MICROS = 20;

type RingImplementation = new (
  buffer: RingBuffer,
  byteOffset: number,
  header: Int32Array,
  layout: RingLayout,
  options: RingHandleOptions,
) => Ring;

const implementations: Partial<Record<'spsc' | 'sequenced', RingImplementation>> = {};

/** Called once by ring.ts: which class serves which mode. */
export function registerRingImplementation(kind: 'spsc' | 'sequenced', impl: RingImplementation): void {
  implementations[kind] = impl;
}

function instantiate(
  buffer: RingBuffer,
  byteOffset: number,
  header: Int32Array,
  layout: RingLayout,
  options: RingHandleOptions,
): Ring {
  const impl = implementations[layout.mode === 'spsc' ? 'spsc' : 'sequenced'];
  if (impl === undefined) throw new Error('ring implementations are not loaded: import the package entry point');
  return new impl(buffer, byteOffset, header, layout, options);
}

function checkHandleOptions(options: RingHandleOptions): void {
  const { publishBatch, releaseBatch, spinMicros } = options;
  for (const [name, value] of [
    ['publishBatch', publishBatch],
    ['releaseBatch', releaseBatch],
  ] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
      throw new RingError('ERR_SHMKIT_RING_BAD_OPTIONS', `${name} must be a positive integer, got ${String(value)}`);
    }
  }
  if (spinMicros !== undefined && (typeof spinMicros !== 'number' || !(spinMicros >= 0))) {
    throw new RingError('ERR_SHMKIT_RING_BAD_OPTIONS', `spinMicros must be a non-negative number, got ${String(spinMicros)}`);
  }
}

/** Test hook: empties the ring with both positions at `start` (to cross the 2^32 wrap soon). Not exported from the package. */
export function resetPositionsForTesting(ring: Ring, start: number): void {
  (ring as unknown as { resetPositions(start: number): void }).resetPositions(start);
}

/**
 * A FIFO of fixed-size elements in shared memory, usable by independent processes. See the
 * package README for modes, guarantees and the memory layout.
 */
export abstract class Ring {
  /** Bytes a ring with these options occupies (a multiple of 64). */
  static sizeFor(options: RingOptions): number {
    return planLayout(options).totalBytes;
  }

  /** Lays a new, empty ring out at buffer[byteOffset..] (a multiple of 64) and returns a handle to it. */
  static create(buffer: RingBuffer, byteOffset: number, options: RingCreateOptions): Ring {
    const layout = planLayout(options);
    checkHandleOptions(options);
    const header = writeHeader(buffer, byteOffset, layout);
    const ring = instantiate(buffer, byteOffset, header, layout, options);
    ring.resetPositions(0);
    return ring;
  }

  /** A handle to a ring another process (or this one) created; validates the header first. */
  static attach(buffer: RingBuffer, byteOffset: number, options: RingHandleOptions = {}): Ring {
    checkHandleOptions(options);
    const { header, layout } = readHeader(buffer, byteOffset);
    return instantiate(buffer, byteOffset, header, layout, options);
  }

  readonly mode: RingMode;
  /** Number of slots; a full ring holds exactly this many elements. */
  readonly capacity: number;
  readonly elementSize: number;
  /** Bytes the ring occupies in the buffer. */
  readonly byteLength: number;
  readonly buffer: RingBuffer;
  readonly byteOffset: number;

  protected readonly header: Int32Array;
  protected readonly mask: number;
  protected readonly kind: number;
  protected readonly slotBytes: Uint8Array;
  protected readonly slotWords: Uint32Array;
  protected readonly slotFloats: Float64Array;
  protected readonly copier: ElementCopier;
  protected readonly spinMicros: number;
  protected readonly pendingWaits: PendingWaits = new Set();

  protected enqueuedCount = 0;
  protected dequeuedCount = 0;
  protected fullHitCount = 0;
  protected emptyHitCount = 0;
  protected readonly parkCounter: ParkCounter = { parks: 0 };
  protected wakeupCount = 0;

  private readonly readableProbe = () => this.readableState();
  private readonly writableProbe = () => this.writableState();

  protected constructor(buffer: RingBuffer, byteOffset: number, header: Int32Array, layout: RingLayout, options: RingHandleOptions) {
    this.buffer = buffer;
    this.byteOffset = byteOffset;
    this.header = header;
    this.mode = layout.mode;
    this.capacity = layout.capacity;
    this.elementSize = layout.elementSize;
    this.byteLength = layout.totalBytes;
    this.mask = layout.capacity - 1;
    this.kind = layout.elementSize === 8 ? KIND_FLOAT64 : layout.elementSize === 4 ? KIND_UINT32 : KIND_BYTES;
    const slotsStart = byteOffset + layout.slotsOffset;
    const slotsBytes = layout.capacity * layout.elementSize;
    this.slotBytes = new Uint8Array(buffer, slotsStart, slotsBytes);
    this.slotWords = new Uint32Array(buffer, slotsStart, slotsBytes >>> 2);
    this.slotFloats = new Float64Array(buffer, slotsStart, slotsBytes >>> 3);
    this.copier = new ElementCopier(layout.elementSize, this.slotBytes, this.slotWords, this.slotFloats);
    this.spinMicros = options.spinMicros ?? DEFAULT_SPIN_MICROS;
  }

  // ---- single elements -------------------------------------------------------------------

  /** Adds one element (uint32 for 4-byte rings, float64 for 8-byte rings). False when full. */
  abstract enqueue(value: number): boolean;
  /** Removes the oldest element; undefined when empty. */
  abstract dequeue(): number | undefined;

  /** Adds one element copied from the first elementSize bytes of `bytes`. False when full. */
  enqueueFrom(bytes: ArrayBufferView): boolean {
    return this.enqueueMany(bytes, 1, 0, true) === 1;
  }

  /** Removes the oldest element into the first elementSize bytes of `bytes`. False when empty. */
  dequeueInto(bytes: ArrayBufferView): boolean {
    return this.dequeueMany(bytes, 1, 0, true) === 1;
  }

  // ---- bulk (all or nothing) and burst (up to n) -----------------------------------------

  /** Enqueues elements [index, index + n) of src, or none if they do not all fit. Returns n or 0. */
  enqueueBulk(src: ArrayBufferView, n: number, index = 0): number {
    return this.enqueueMany(src, n, index, true);
  }
  /** Enqueues as many of elements [index, index + n) of src as fit; returns how many. */
  enqueueBurst(src: ArrayBufferView, n: number, index = 0): number {
    return this.enqueueMany(src, n, index, false);
  }
  /** Dequeues n elements into dst starting at element `index`, or none if fewer are there. Returns n or 0. */
  dequeueBulk(dst: ArrayBufferView, n: number, index = 0): number {
    return this.dequeueMany(dst, n, index, true);
  }
  /** Dequeues up to n elements into dst starting at element `index`; returns how many. */
  dequeueBurst(dst: ArrayBufferView, n: number, index = 0): number {
    return this.dequeueMany(dst, n, index, false);
  }

  protected abstract enqueueMany(src: ArrayBufferView, n: number, index: number, all: boolean): number;
  protected abstract dequeueMany(dst: ArrayBufferView, n: number, index: number, all: boolean): number;

  // ---- spsc extras ---------------------------------------------------------------------------

  /** spsc: the oldest element without removing it; undefined when empty. */
  peek(): number | undefined {
    throw this.onlySpsc('peek()');
  }
  /**
   * spsc zero-copy write: reserves up to n free slots that are contiguous in memory and returns how
   * many. Write them in place (slots() gives the views; element i starts at byte
   * (reservedAt + i) * elementSize), then commit(count).
   */
  reserve(_n: number): number {
    throw this.onlySpsc('reserve()');
  }
  /** Slot index of the first slot of the last reserve(). */
  get reservedAt(): number {
    throw this.onlySpsc('reservedAt');
  }
  /** Publishes `count` slots written after reserve(). */
  commit(_count: number): void {
    throw this.onlySpsc('commit()');
  }
  /** spsc zero-copy read: up to n readable contiguous slots starting at slot acquiredAt; returns how many. */
  acquire(_n: number): number {
    throw this.onlySpsc('acquire()');
  }
  /** Slot index of the first slot of the last acquire(). */
  get acquiredAt(): number {
    throw this.onlySpsc('acquiredAt');
  }
  /** Releases `count` slots read in place after acquire(). */
  release(_count: number): void {
    throw this.onlySpsc('release()');
  }
  /**
   * Makes every element this handle enqueued visible and every slot it read free now (spsc with
   * publishBatch / releaseBatch > 1; otherwise a no-op).
   */
  flush(): void {}

  /** Views of the slot area, for reserve()/acquire(): element i begins at byte i * elementSize. */
  slots(): { bytes: Uint8Array; words: Uint32Array; floats: Float64Array } {
    return { bytes: this.slotBytes, words: this.slotWords, floats: this.slotFloats };
  }

  protected onlySpsc(what: string): RingError {
    return new RingError('ERR_SHMKIT_RING_WRONG_MODE', `${what} is only available in spsc mode; this ring is ${this.mode}`);
  }

  // ---- state ---------------------------------------------------------------------------------

  /** Elements in the ring (a snapshot; other processes move it). */
  abstract get count(): number;
  /** Free slots (a snapshot). */
  get freeCount(): number {
    return this.capacity - this.count;
  }
  isEmpty(): boolean {
    return this.count === 0;
  }
  isFull(): boolean {
    return this.count === this.capacity;
  }

  /**
   * Empties the ring. Only while no other process uses it; handles attached elsewhere keep private
   * copies of positions and must attach again afterwards.
   */
  reset(): void {
    this.resetPositions(0);
  }

  /** Puts both positions at `start` with an empty ring (tests start near 2^32 to cross the wrap). */
  protected abstract resetPositions(start: number): void;

  stats(): RingStats {
    return {
      enqueued: this.enqueuedCount,
      dequeued: this.dequeuedCount,
      fullHits: this.fullHitCount,
      emptyHits: this.emptyHitCount,
      parks: this.parkCounter.parks,
      wakeups: this.wakeupCount,
      recovered: Atomics.load(this.header, W_RECOVERED) >>> 0,
    };
  }

  /** Counts a recovered slot ring-wide. */
  protected countRecovered(): void {
    Atomics.add(this.header, W_RECOVERED, 1);
  }

  // ---- waking --------------------------------------------------------------------------------

  /** After publishing elements: wake parked consumers, if any. One load when nobody is parked. */
  protected signalData(): void {
    if (Atomics.load(this.header, W_DATA_WANTED) !== 0) {
      wakeAll(this.header, W_DATA_WANTED, W_DATA_EVENT);
      this.wakeupCount++;
    }
  }
  /** After releasing slots: wake parked producers, if any. */
  protected signalSpace(): void {
    if (Atomics.load(this.header, W_SPACE_WANTED) !== 0) {
      wakeAll(this.header, W_SPACE_WANTED, W_SPACE_EVENT);
      this.wakeupCount++;
    }
  }

  // ---- waiting -------------------------------------------------------------------------------

  /** Whether a dequeue could succeed now (READY), not (NOT_READY), or is held up by a slot that may need recovery (STUCK). */
  protected abstract readableState(): ProbeState;
  /** Whether an enqueue could succeed now. */
  protected abstract writableState(): ProbeState;
  /** Called before parking as a producer (publishes deferred elements). */
  protected beforeProducerPark(): void {}
  /** Called before parking as a consumer (releases deferred slots). */
  protected beforeConsumerPark(): void {}

  /**
   * Blocks until the ring looks non-empty (spin, then futex park) or the timeout passes; true if
   * it does. With several consumers another one may take the element first: loop on dequeue.
   */
  waitNotEmpty(timeoutMs?: number): boolean {
    this.beforeConsumerPark();
    return this.parkUntil(true, deadlineAfter(timeoutMs)) !== 'timed-out';
  }
  /** Blocks until the ring looks non-full or the timeout passes; true if it does. */
  waitNotFull(timeoutMs?: number): boolean {
    this.beforeProducerPark();
    return this.parkUntil(false, deadlineAfter(timeoutMs)) !== 'timed-out';
  }

  private parkUntil(readable: boolean, deadline: number) {
    return readable
      ? parkSync(this.header, W_DATA_WANTED, W_DATA_EVENT, this.readableProbe, deadline, this.spinMicros, this.parkCounter)
      : parkSync(this.header, W_SPACE_WANTED, W_SPACE_EVENT, this.writableProbe, deadline, this.spinMicros, this.parkCounter);
  }

  /** dequeue(), blocking until an element arrives or timeoutMs passes (then undefined). */
  dequeueWait(timeoutMs?: number): number | undefined {
    const deadline = deadlineAfter(timeoutMs);
    for (;;) {
      const value = this.dequeue();
      if (value !== undefined) return value;
      if (this.parkUntil(true, deadline) === 'timed-out') return this.dequeue();
    }
  }

  /** enqueue(), blocking until there is room or timeoutMs passes (then false). */
  enqueueWait(value: number, timeoutMs?: number): boolean {
    const deadline = deadlineAfter(timeoutMs);
    for (;;) {
      if (this.enqueue(value)) return true;
      this.beforeProducerPark();
      if (this.parkUntil(false, deadline) === 'timed-out') return this.enqueue(value);
    }
  }

  /** Resolves true once the ring looks non-empty, false on timeout; rejects on abort. Never blocks the event loop. */
  async waitNotEmptyAsync(options: WaitOptions = {}): Promise<boolean> {
    this.beforeConsumerPark();
    return (await this.parkUntilAsync(true, options, deadlineAfter(options.timeoutMs))) !== 'timed-out';
  }
  /** Resolves true once the ring looks non-full, false on timeout; rejects on abort. */
  async waitNotFullAsync(options: WaitOptions = {}): Promise<boolean> {
    this.beforeProducerPark();
    return (await this.parkUntilAsync(false, options, deadlineAfter(options.timeoutMs))) !== 'timed-out';
  }

  private parkUntilAsync(readable: boolean, options: WaitOptions, deadline: number) {
    const { signal } = options;
    return readable
      ? parkAsync(this.header, W_DATA_WANTED, W_DATA_EVENT, this.readableProbe, deadline, signal, this.pendingWaits, this.parkCounter)
      : parkAsync(this.header, W_SPACE_WANTED, W_SPACE_EVENT, this.writableProbe, deadline, signal, this.pendingWaits, this.parkCounter);
  }

  /** dequeue() that waits without blocking the event loop; undefined on timeout, rejects on abort. */
  async dequeueAsync(options: WaitOptions = {}): Promise<number | undefined> {
    options.signal?.throwIfAborted();
    const deadline = deadlineAfter(options.timeoutMs);
    for (;;) {
      const value = this.dequeue();
      if (value !== undefined) return value;
      if ((await this.parkUntilAsync(true, options, deadline)) === 'timed-out') return this.dequeue();
    }
  }

  /** enqueue() that waits for room without blocking the event loop; false on timeout, rejects on abort. */
  async enqueueAsync(value: number, options: WaitOptions = {}): Promise<boolean> {
    options.signal?.throwIfAborted();
    const deadline = deadlineAfter(options.timeoutMs);
    for (;;) {
      if (this.enqueue(value)) return true;
      this.beforeProducerPark();
      if ((await this.parkUntilAsync(false, options, deadline)) === 'timed-out') return this.enqueue(value);
    }
  }

  /**
   * Dequeued values, waiting (without blocking the event loop) whenever the ring is empty. Ends
   * never on its own: break out of the loop, or abort the signal (the loop then throws signal.reason).
   */
  async *values(options: { signal?: AbortSignal } = {}): AsyncGenerator<number, void, undefined> {
    for (;;) {
      options.signal?.throwIfAborted();
      const value = this.dequeue();
      if (value !== undefined) {
        yield value;
        continue;
      }
      await this.parkUntilAsync(true, options, Number.POSITIVE_INFINITY);
    }
  }

  /** Like values(), for any element size: yields a fresh copy of each element. */
  async *copies(options: { signal?: AbortSignal } = {}): AsyncGenerator<Uint8Array, void, undefined> {
    for (;;) {
      options.signal?.throwIfAborted();
      const element = new Uint8Array(this.elementSize);
      if (this.dequeueInto(element)) {
        yield element;
        continue;
      }
      await this.parkUntilAsync(true, options, Number.POSITIVE_INFINITY);
    }
  }

  /** `for await (const v of ring)`: same as values(). */
  [Symbol.asyncIterator](): AsyncGenerator<number, void, undefined> {
    return this.values();
  }

  // ---- lifetime ------------------------------------------------------------------------------

  /**
   * Releases what this handle holds: publishes deferred elements, gives back its registry entry and
   * ends pending async waits (they reject with ERR_SHMKIT_RING_CLOSED). The ring itself lives on in
   * the buffer; the handle stays usable (it registers again if needed).
   */
  close(): void {
    this.flush();
    for (const wait of this.pendingWaits) wait.cancel();
    this.pendingWaits.clear();
  }

  [Symbol.dispose](): void {
    this.close();
  }

  /** Throws the error single-element calls throw when the element size needs enqueueFrom/dequeueInto. */
  protected wrongElementSize(): RingError {
    return new RingError(
      'ERR_SHMKIT_RING_WRONG_ELEMENT_SIZE',
      `enqueue()/dequeue() move plain numbers, which needs 4- or 8-byte elements; this ring has ${this.elementSize}-byte elements: use enqueueFrom()/dequeueInto() or the bulk calls`,
    );
  }

  protected badValue(value: number): RingError {
    return new RingError('ERR_SHMKIT_RING_BAD_ARGUMENT', `4-byte elements hold a uint32 (0 to 4294967295), got ${String(value)}`);
  }
}
