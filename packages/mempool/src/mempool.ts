import { Ring } from '@shmkit/ring';
import {
  CACHED,
  FREE,
  generation,
  META_PID,
  META_START,
  META_WORDS,
  nextOut,
  OUT,
  WHERE_MASK,
  where,
  withWhere,
} from './block-state.js';
import { MempoolError } from './errors.js';
import { HolderLiveness, ownStartTicks } from './holder.js';
import {
  checkRange,
  computeLayout,
  type MempoolOptions,
  type PoolLayout,
  publishMagic,
  readHeader,
  writeHeader,
} from './layout.js';

export type { MempoolOptions } from './layout.js';

export interface MempoolStats {
  /** Successful gets (single or in bulk, counted per block) by this process. */
  gets: number;
  /** get/getBulk calls that found too few free blocks. */
  getFailures: number;
  /** Blocks this process put back. */
  puts: number;
  /** Puts refused (double put, never handed out, bad index). */
  refusedPuts: number;
  /** Gets served from the per-process cache without touching the shared ring. */
  cacheHits: number;
  /** Cache refills from, and flushes to, the shared free ring. */
  cacheRefills: number;
  cacheFlushes: number;
  /** Blocks returned by reclaimDead() calls of this process. */
  reclaimed: number;
}

export interface AuditResult {
  /** Blocks free: on the shared free ring or parked in a per-process cache. */
  free: number;
  /** Blocks handed out. */
  out: number;
}

/** Anything index-shaped that bulk calls read from or write to. */
export type IndexArray = Uint32Array | Int32Array;

/**
 * A pool of fixed-size blocks in shared memory, between independent processes. Blocks are named by
 * their index (never by address), so processes that map the pool at different addresses agree.
 * The free list is a @shmkit/ring mpmc Ring of block indices, as rte_mempool builds on rte_ring.
 */
export class Mempool {
  /** Bytes of shared memory a pool with these options needs. */
  static sizeFor(options: MempoolOptions): number {
    return computeLayout(options).totalBytes;
  }

  /** Initialises a new pool with every block free, at `byteOffset` (a multiple of 64) of `buffer`. */
  static create(buffer: ArrayBufferLike, byteOffset: number, options: MempoolOptions): Mempool {
    const layout = computeLayout(options);
    checkRange(buffer, byteOffset, layout.totalBytes);
    writeHeader(buffer, byteOffset, layout);
    new Int32Array(buffer, byteOffset + layout.metaOffset, layout.count * META_WORDS).fill(0);
    const ring = Ring.create(buffer, byteOffset + layout.ringOffset, {
      capacity: layout.ringCapacity,
      elementSize: 4,
      mode: 'mpmc',
      maxProcesses: layout.maxProcesses,
    });
    const all = new Uint32Array(layout.count);
    for (let i = 0; i < layout.count; i++) all[i] = i;
    if (ring.enqueueBulk(all, layout.count) !== layout.count) {
      throw new MempoolError('ERR_SHMKIT_MEMPOOL_CORRUPT', 'the free ring refused the initial block indices');
    }
    publishMagic(buffer, byteOffset);
    return new Mempool(buffer, byteOffset, layout, ring);
  }

  /** Opens a pool another process created; validates its header and its free ring. */
  static attach(buffer: ArrayBufferLike, byteOffset: number): Mempool {
    const layout = readHeader(buffer, byteOffset);
    const ring = Ring.attach(buffer, byteOffset + layout.ringOffset);
    return new Mempool(buffer, byteOffset, layout, ring);
  }

  readonly buffer: ArrayBufferLike;
  readonly byteOffset: number;
  readonly blockSize: number;
  readonly count: number;
  readonly cacheSize: number;
  /** Distance between the starts of consecutive blocks (blockSize rounded up to 64). */
  readonly blockStride: number;

  private readonly ring: Ring;
  private readonly meta: Int32Array;
  private readonly blocksByteOffset: number;
  private readonly views: (Uint8Array | undefined)[];
  private readonly pid = process.pid;
  private readonly startTicks = ownStartTicks();

  /** Per-process cache: a stack of free indices in cache[0 .. cacheLength). */
  private readonly cache: Uint32Array;
  private cacheLength = 0;
  private readonly flushThreshold: number;
  private readonly scratch = new Uint32Array(1);

  private closed = false;
  private readonly counters: MempoolStats = {
    gets: 0,
    getFailures: 0,
    puts: 0,
    refusedPuts: 0,
    cacheHits: 0,
    cacheRefills: 0,
    cacheFlushes: 0,
    reclaimed: 0,
  };

  private constructor(buffer: ArrayBufferLike, byteOffset: number, layout: PoolLayout, ring: Ring) {
    this.buffer = buffer;
    this.byteOffset = byteOffset;
    this.blockSize = layout.blockSize;
    this.count = layout.count;
    this.cacheSize = layout.cacheSize;
    this.blockStride = layout.blockStride;
    this.ring = ring;
    this.meta = new Int32Array(buffer, byteOffset + layout.metaOffset, layout.count * META_WORDS);
    this.blocksByteOffset = byteOffset + layout.blocksOffset;
    this.views = new Array(layout.count);
    // As DPDK: flush once the cache holds 1.5x its size, back down to its size.
    this.flushThreshold = Math.ceil(layout.cacheSize * 1.5);
    this.cache = new Uint32Array(layout.cacheSize === 0 ? 0 : this.flushThreshold + 1);
  }

  // ---------------------------------------------------------------- get

  /** Takes a free block and returns its index, or -1 when none is free. Never throws on empty. */
  get(): number {
    if (this.closed) this.throwClosed();
    let index: number;
    if (this.cacheSize !== 0) {
      if (this.cacheLength === 0 && !this.refill(this.cacheSize)) {
        this.counters.getFailures++;
        return -1;
      }
      index = this.cache[--this.cacheLength]!;
      this.counters.cacheHits++;
    } else {
      const taken = this.ring.dequeue();
      if (taken === undefined) {
        this.counters.getFailures++;
        return -1;
      }
      index = taken;
      this.holdByMe(index);
    }
    const m = index * META_WORDS;
    this.meta[m] = nextOut(this.meta[m]!);
    this.counters.gets++;
    return index;
  }

  /** Takes exactly `n` free blocks into `out[0..n)`, or none: returns n or 0. */
  getBulk(out: IndexArray, n: number): number {
    if (this.closed) this.throwClosed();
    this.checkCount(out, n);
    if (n === 0) return 0;
    if (this.cacheSize !== 0 && n <= this.cache.length) {
      // Top the cache up to its size plus this request, as DPDK does; serve from it.
      if (this.cacheLength < n) this.refill(this.cacheSize + n - this.cacheLength);
      if (this.cacheLength < n) {
        this.counters.getFailures++;
        return 0;
      }
      for (let i = 0; i < n; i++) out[i] = this.cache[--this.cacheLength]!;
      this.counters.cacheHits += n;
    } else {
      if (this.ring.dequeueBulk(out, n) !== n) {
        this.counters.getFailures++;
        return 0;
      }
      for (let i = 0; i < n; i++) this.holdByMe(out[i]!);
    }
    for (let i = 0; i < n; i++) {
      const m = out[i]! * META_WORDS;
      this.meta[m] = nextOut(this.meta[m]!);
    }
    this.counters.gets += n;
    return n;
  }

  /** Pulls up to `want` indices from the shared ring onto the cache stack; false if none came. */
  private refill(want: number): boolean {
    const from = this.cacheLength;
    const room = this.cache.length - from;
    const got = this.ring.dequeueBurst(this.cache, Math.min(want, room), from);
    if (got === 0) return false;
    for (let i = from; i < from + got; i++) {
      const index = this.cache[i]!;
      this.holdByMe(index);
      const m = index * META_WORDS;
      this.meta[m] = withWhere(this.meta[m]!, CACHED);
    }
    this.cacheLength += got;
    this.counters.cacheRefills++;
    return true;
  }

  /** Records this process as the holder of an index just taken from the shared ring. */
  private holdByMe(index: number): void {
    if (index >= this.count) {
      throw new MempoolError(
        'ERR_SHMKIT_MEMPOOL_CORRUPT',
        `the free ring held ${index}, which is not a block of this pool: the pool memory was overwritten`,
      );
    }
    const m = index * META_WORDS;
    this.meta[m + META_PID] = this.pid;
    this.meta[m + META_START] = this.startTicks;
  }

  // ---------------------------------------------------------------- put

  /**
   * Returns a block to the pool. Refuses (throws, pool unchanged) a block that is not out: a
   * double put (ERR_SHMKIT_MEMPOOL_DOUBLE_PUT), one that was never handed out
   * (ERR_SHMKIT_MEMPOOL_NOT_HANDED_OUT) or an index outside the pool (ERR_SHMKIT_MEMPOOL_BAD_INDEX).
   */
  put(index: number): void {
    if (this.closed) this.throwClosed();
    const place = this.cacheSize !== 0 ? CACHED : FREE;
    const error = this.release(index, place);
    if (error !== undefined) throw error;
    this.counters.puts++;
    if (place === CACHED) {
      this.holdByMe(index);
      this.cache[this.cacheLength++] = index;
      if (this.cacheLength >= this.flushThreshold) this.flush(this.cacheLength - this.cacheSize);
    } else {
      this.scratch[0] = index;
      this.pushToRing(this.scratch, 1);
    }
  }

  /**
   * Returns `n` blocks from `src[0..n)`. Every valid block is returned; if any is refused, the
   * error for the first refused one is thrown after the others are back in the pool.
   */
  putBulk(src: IndexArray, n: number): void {
    if (this.closed) this.throwClosed();
    this.checkCount(src, n);
    const place = this.cacheSize !== 0 ? CACHED : FREE;
    const accepted = new Uint32Array(n);
    let kept = 0;
    let firstError: MempoolError | undefined;
    for (let i = 0; i < n; i++) {
      const index = src[i]!;
      const error = this.release(index, place);
      if (error !== undefined) {
        firstError ??= error;
        continue;
      }
      accepted[kept++] = index;
    }
    this.counters.puts += kept;
    if (place === CACHED) {
      for (let i = 0; i < kept; i++) {
        const index = accepted[i]!;
        this.holdByMe(index);
        if (this.cacheLength === this.cache.length) this.flush(this.cacheLength - this.cacheSize);
        this.cache[this.cacheLength++] = index;
      }
      if (this.cacheLength >= this.flushThreshold) this.flush(this.cacheLength - this.cacheSize);
    } else if (kept > 0) {
      this.pushToRing(accepted, kept);
    }
    if (firstError !== undefined) throw firstError;
  }

  /** Moves a block from OUT to `place` atomically; returns the refusal instead on a bad put. */
  private release(index: number, place: number): MempoolError | undefined {
    if (!(index >= 0 && index < this.count && index === Math.floor(index))) {
      this.counters.refusedPuts++;
      return new MempoolError(
        'ERR_SHMKIT_MEMPOOL_BAD_INDEX',
        `put(${String(index)}): not a block index of this pool (0 to ${this.count - 1})`,
        Number.isInteger(index) ? index : undefined,
      );
    }
    const m = index * META_WORDS;
    // The plain read is current whenever the block reached this process through a proper
    // hand-over; the compare-exchange decides, and an atomic re-read covers anything else.
    let state = this.meta[m]!;
    for (let attempt = 0; attempt < 2; attempt++) {
      if (where(state) === OUT && Atomics.compareExchange(this.meta, m, state, withWhere(state, place)) === state) {
        return undefined;
      }
      state = Atomics.load(this.meta, m);
    }
    this.counters.refusedPuts++;
    const now = Atomics.load(this.meta, m);
    if (generation(now) === 0) {
      return new MempoolError(
        'ERR_SHMKIT_MEMPOOL_NOT_HANDED_OUT',
        `put(${index}): block ${index} was never handed out by get()`,
        index,
      );
    }
    return new MempoolError(
      'ERR_SHMKIT_MEMPOOL_DOUBLE_PUT',
      `put(${index}): block ${index} is already free (double put)`,
      index,
    );
  }

  /** Sends the top `n` cached indices back to the shared ring. */
  private flush(n: number): void {
    const from = this.cacheLength - n;
    for (let i = from; i < this.cacheLength; i++) {
      const m = this.cache[i]! * META_WORDS;
      this.meta[m] = withWhere(this.meta[m]!, FREE);
    }
    this.pushToRing(this.cache, n, from);
    this.cacheLength = from;
    this.counters.cacheFlushes++;
  }

  private pushToRing(src: Uint32Array, n: number, index = 0): void {
    // The ring holds as many slots as there are blocks and only blocks that were out get here,
    // so it cannot be full; if it is, the shared memory was damaged behind the pool's back.
    if (this.ring.enqueueBulk(src, n, index) !== n) {
      throw new MempoolError(
        'ERR_SHMKIT_MEMPOOL_CORRUPT',
        'the free ring is full although blocks are out: the pool memory was overwritten',
      );
    }
  }

  // ---------------------------------------------------------------- blocks

  /** A zero-copy view of the block's `blockSize` bytes (the same view object on every call). */
  block(index: number): Uint8Array {
    let view = this.views[index];
    if (view === undefined) {
      this.checkIndex(index);
      view = new Uint8Array(this.buffer, this.blocksByteOffset + index * this.blockStride, this.blockSize);
      this.views[index] = view;
    }
    return view;
  }

  /** Byte offset of the block in `buffer` (to build other views over it). */
  offsetOf(index: number): number {
    this.checkIndex(index);
    return this.blocksByteOffset + index * this.blockStride;
  }

  /**
   * Records this process as the holder of a block it received from another process (for example
   * through a Ring), so reclaimDead() does not take it back if the sender dies.
   */
  adopt(index: number): void {
    this.checkIndex(index);
    const m = index * META_WORDS;
    if (where(Atomics.load(this.meta, m)) !== OUT) {
      throw new MempoolError('ERR_SHMKIT_MEMPOOL_NOT_HANDED_OUT', `adopt(${index}): block ${index} is not out`, index);
    }
    this.holdByMe(index);
  }

  /** Pid of the process recorded as holding the block, or 0 if it is free on the shared ring. */
  holderOf(index: number): number {
    this.checkIndex(index);
    const m = index * META_WORDS;
    return where(Atomics.load(this.meta, m)) === FREE ? 0 : this.meta[m + META_PID]!;
  }

  // ---------------------------------------------------------------- accounting

  /** Free blocks on the shared ring plus those in this process's own cache. */
  get available(): number {
    return this.ring.count + this.cacheLength;
  }

  /** count - available: blocks handed out, plus free blocks parked in other processes' caches. */
  get inUse(): number {
    return this.count - this.available;
  }

  stats(): MempoolStats {
    return { ...this.counters };
  }

  /**
   * Gives back to the pool every block whose recorded holder process has exited (out, or parked in
   * its cache). Returns the indices returned. Safe while other processes use the pool.
   */
  reclaimDead(): number[] {
    if (this.closed) this.throwClosed();
    const liveness = new HolderLiveness();
    const reclaimed: number[] = [];
    for (let index = 0; index < this.count; index++) {
      const m = index * META_WORDS;
      const state = Atomics.load(this.meta, m);
      if (where(state) === FREE) continue;
      if (liveness.isAlive(this.meta[m + META_PID]!, this.meta[m + META_START]!)) continue;
      if (Atomics.compareExchange(this.meta, m, state, withWhere(state, FREE)) !== state) continue;
      reclaimed.push(index);
    }
    if (reclaimed.length > 0) this.pushToRing(Uint32Array.from(reclaimed), reclaimed.length);
    this.counters.reclaimed += reclaimed.length;
    return reclaimed;
  }

  /**
   * Checks that every block is exactly once either free or out: each index on the free ring is in
   * range, appears once and is marked free; every block marked free is on the ring; this
   * process's cache holds only its own cached blocks. Returns the counts, or throws
   * ERR_SHMKIT_MEMPOOL_AUDIT_FAILED naming the first violation. Exact on a quiet pool: it takes
   * the whole free ring out and puts it back, so concurrent gets may briefly see an empty pool.
   */
  audit(): AuditResult {
    if (this.closed) this.throwClosed();
    const drained = new Uint32Array(this.ring.capacity);
    let onRing = 0;
    for (;;) {
      const got = this.ring.dequeueBurst(drained, drained.length - onRing, onRing);
      if (got === 0) break;
      onRing += got;
    }
    try {
      return this.check(drained, onRing);
    } finally {
      if (onRing > 0 && this.ring.enqueueBulk(drained, onRing) !== onRing) {
        // Unreachable unless someone enqueued foreign indices meanwhile; report it, do not lose blocks silently.
        // biome-ignore lint/correctness/noUnsafeFinally: the pool is damaged; this error must win
        throw new MempoolError('ERR_SHMKIT_MEMPOOL_AUDIT_FAILED', 'could not put the free ring back after the audit');
      }
    }
  }

  private check(drained: Uint32Array, onRing: number): AuditResult {
    const fail = (message: string, index?: number): never => {
      throw new MempoolError('ERR_SHMKIT_MEMPOOL_AUDIT_FAILED', `audit: ${message}`, index);
    };
    const seen = new Uint8Array(this.count);
    for (let i = 0; i < onRing; i++) {
      const index = drained[i]!;
      if (index >= this.count) fail(`the free ring holds ${index}, which is not a block of this pool`);
      if (seen[index] !== 0) fail(`block ${index} is on the free ring twice`, index);
      seen[index] = 1;
      const state = Atomics.load(this.meta, index * META_WORDS);
      if (where(state) !== FREE) {
        fail(`block ${index} is on the free ring but marked ${describe(state)}`, index);
      }
    }
    for (let i = 0; i < this.cacheLength; i++) {
      const index = this.cache[i]!;
      if (seen[index] !== 0) fail(`block ${index} is both in this process's cache and on the free ring`, index);
      seen[index] = 2;
      const m = index * META_WORDS;
      if (where(this.meta[m]!) !== CACHED || this.meta[m + META_PID] !== this.pid) {
        fail(`block ${index} is in this process's cache but marked ${describe(this.meta[m]!)}`, index);
      }
    }
    let free = onRing;
    let out = 0;
    for (let index = 0; index < this.count; index++) {
      const state = Atomics.load(this.meta, index * META_WORDS);
      const place = where(state);
      if (place === FREE && seen[index] !== 1) {
        fail(`block ${index} is marked free but is not on the free ring (lost)`, index);
      } else if (place === OUT) {
        out++;
      } else if (place === CACHED) {
        free++;
      } else if (place !== FREE) {
        fail(`block ${index} has an invalid state word 0x${(state >>> 0).toString(16)}`, index);
      }
    }
    if (free + out !== this.count) fail(`free (${free}) + out (${out}) is not the block count (${this.count})`);
    return { free, out };
  }

  // ---------------------------------------------------------------- lifecycle

  /** Returns the cached blocks to the shared ring and stops using the pool from this object. */
  close(): void {
    if (this.closed) return;
    if (this.cacheLength > 0) this.flush(this.cacheLength);
    this.closed = true;
    this.ring.close();
  }

  [Symbol.dispose](): void {
    this.close();
  }

  private checkIndex(index: number): void {
    if (!(Number.isInteger(index) && index >= 0 && index < this.count)) {
      throw new MempoolError(
        'ERR_SHMKIT_MEMPOOL_BAD_INDEX',
        `${String(index)} is not a block index of this pool (0 to ${this.count - 1})`,
        Number.isInteger(index) ? index : undefined,
      );
    }
  }

  private checkCount(array: IndexArray, n: number): void {
    if (!(array instanceof Uint32Array || array instanceof Int32Array)) {
      throw new MempoolError('ERR_SHMKIT_MEMPOOL_BAD_OPTIONS', 'bulk calls take a Uint32Array or Int32Array');
    }
    if (!Number.isInteger(n) || n < 0 || n > array.length) {
      throw new MempoolError(
        'ERR_SHMKIT_MEMPOOL_BAD_OPTIONS',
        `n must be an integer from 0 to the array length (${array.length}), got ${String(n)}`,
      );
    }
  }

  private throwClosed(): never {
    throw new MempoolError('ERR_SHMKIT_MEMPOOL_CLOSED', 'this Mempool has been closed');
  }
}

function describe(state: number): string {
  const place = state & WHERE_MASK;
  const name = place === FREE ? 'free' : place === OUT ? 'out' : place === CACHED ? 'cached' : 'invalid';
  return `${name} (generation ${generation(state)})`;
}
