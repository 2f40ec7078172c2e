import { KIND_BYTES, KIND_FLOAT64, Ring, type RingHandleOptions } from './ring-base.js';
import { RingError } from './ring-errors.js';
import { type RingBuffer, type RingLayout, W_CONS, W_PROD } from './ring-layout.js';
import { NOT_READY, type ProbeState, READY } from './ring-wait.js';

/**
 * Single producer, single consumer: a head/tail ring with no per-slot metadata. Each side keeps
 * a private copy of the other side's position and re-reads the shared one only when the copy says
 * the ring is full (producer) or empty (consumer), so in steady state neither side pulls the
 * other's cache line. Elements are written with plain stores and published by one atomic store
 * of the position per call (or per publishBatch elements); the consumer likewise releases slots
 * with one store per call (or per releaseBatch elements).
 */
export class SpscRing extends Ring {
  /** Producer: next position to write (may run ahead of the published one). */
  private prodPos = 0;
  /** Producer: the consumer position as last read. */
  private consSeen = 0;
  /** Consumer: next position to read. */
  private consPos = 0;
  /** Consumer: the published producer position as last read. */
  private prodSeen = 0;
  private readonly publishBatch: number;
  private unpublished = 0;
  private flushQueued = false;
  private readonly flushTask = () => {
    this.flushQueued = false;
    if (this.unpublished !== 0) this.publish();
  };
  private readonly releaseBatch: number;
  private unreleased = 0;
  private releaseQueued = false;
  private readonly releaseTask = () => {
    this.releaseQueued = false;
    if (this.unreleased !== 0) this.releaseNow();
  };
  private reservedSlot = 0;
  private reservedCount = 0;
  private acquiredSlot = 0;
  private acquiredCount = 0;

  constructor(buffer: RingBuffer, byteOffset: number, header: Int32Array, layout: RingLayout, options: RingHandleOptions) {
    super(buffer, byteOffset, header, layout, options);
    this.publishBatch = options.publishBatch ?? 1;
    this.releaseBatch = options.releaseBatch ?? 1;
    this.syncPositions();
  }

  private syncPositions(): void {
    this.prodPos = this.prodSeen = Atomics.load(this.header, W_PROD);
    this.consPos = this.consSeen = Atomics.load(this.header, W_CONS);
    this.unpublished = 0;
    this.unreleased = 0;
  }

  protected resetPositions(start: number): void {
    Atomics.store(this.header, W_PROD, start | 0);
    Atomics.store(this.header, W_CONS, start | 0);
    this.syncPositions();
  }

  private publish(): void {
    this.unpublished = 0;
    Atomics.store(this.header, W_PROD, this.prodPos);
    this.signalData();
  }

  /** Stores the consumer position: the slots read so far become free for the producer. */
  private releaseNow(): void {
    this.unreleased = 0;
    Atomics.store(this.header, W_CONS, this.consPos);
    this.signalSpace();
  }

  override flush(): void {
    if (this.unpublished !== 0) this.publish();
    if (this.unreleased !== 0) this.releaseNow();
  }

  protected override beforeProducerPark(): void {
    if (this.unpublished !== 0) this.publish();
  }

  protected override beforeConsumerPark(): void {
    if (this.unreleased !== 0) this.releaseNow();
  }

  /** Free slots as the producer sees them, re-reading the consumer position only if fewer than `wanted`. */
  private freeSlots(wanted: number): number {
    let free = this.capacity - ((this.prodPos - this.consSeen) | 0);
    if (free < wanted) {
      this.consSeen = Atomics.load(this.header, W_CONS);
      free = this.capacity - ((this.prodPos - this.consSeen) | 0);
    }
    return free;
  }

  /** Elements as the consumer sees them, re-reading the producer position only if fewer than `wanted`. */
  private readySlots(wanted: number): number {
    let ready = (this.prodSeen - this.consPos) | 0;
    if (ready < wanted) {
      this.prodSeen = Atomics.load(this.header, W_PROD);
      ready = (this.prodSeen - this.consPos) | 0;
    }
    return ready;
  }

  enqueue(value: number): boolean {
    const kind = this.kind;
    if (kind !== KIND_FLOAT64) {
      if (kind === KIND_BYTES) throw this.wrongElementSize();
      if (value >>> 0 !== value) throw this.badValue(value);
    }
    const pos = this.prodPos;
    if (((pos - this.consSeen) | 0) >= this.capacity) {
      this.consSeen = Atomics.load(this.header, W_CONS);
      if (((pos - this.consSeen) | 0) >= this.capacity) {
        if (this.unpublished !== 0) this.publish();
        this.fullHitCount++;
        return false;
      }
    }
    if (kind === KIND_FLOAT64) this.slotFloats[pos & this.mask] = value;
    else this.slotWords[pos & this.mask] = value;
    this.prodPos = (pos + 1) | 0;
    this.enqueuedCount++;
    if (++this.unpublished >= this.publishBatch) {
      this.publish();
    } else if (!this.flushQueued) {
      this.flushQueued = true;
      queueMicrotask(this.flushTask);
    }
    return true;
  }

  dequeue(): number | undefined {
    const kind = this.kind;
    if (kind === KIND_BYTES) throw this.wrongElementSize();
    const pos = this.consPos;
    if (pos === this.prodSeen) {
      this.prodSeen = Atomics.load(this.header, W_PROD);
      if (pos === this.prodSeen) {
        // Found empty: release what was read, or a producer could see full while we see empty.
        if (this.unreleased !== 0) this.releaseNow();
        this.emptyHitCount++;
        return undefined;
      }
    }
    const value = kind === KIND_FLOAT64 ? this.slotFloats[pos & this.mask]! : this.slotWords[pos & this.mask]!;
    this.consPos = (pos + 1) | 0;
    this.dequeuedCount++;
    if (++this.unreleased >= this.releaseBatch) {
      this.releaseNow();
    } else if (!this.releaseQueued) {
      this.releaseQueued = true;
      queueMicrotask(this.releaseTask);
    }
    return value;
  }

  override peek(): number | undefined {
    const kind = this.kind;
    if (kind === KIND_BYTES) throw this.wrongElementSize();
    if (this.readySlots(1) < 1) return undefined;
    const slot = this.consPos & this.mask;
    return kind === KIND_FLOAT64 ? this.slotFloats[slot]! : this.slotWords[slot]!;
  }

  protected enqueueMany(src: ArrayBufferView, n: number, index: number, all: boolean): number {
    this.copier.check(src, n, index);
    if (n === 0) return 0;
    const free = this.freeSlots(n);
    if (free < n) {
      if (all || free === 0) {
        this.flush();
        this.fullHitCount++;
        return 0;
      }
      n = free;
    }
    const pos = this.prodPos;
    const slot = pos & this.mask;
    const first = Math.min(n, this.capacity - slot);
    this.copier.copyIn(src, index, slot, first);
    if (first < n) this.copier.copyIn(src, index + first, 0, n - first);
    this.prodPos = (pos + n) | 0;
    this.enqueuedCount += n;
    this.unpublished += n;
    if (this.unpublished >= this.publishBatch) {
      this.publish();
    } else if (!this.flushQueued) {
      this.flushQueued = true;
      queueMicrotask(this.flushTask);
    }
    return n;
  }

  protected dequeueMany(dst: ArrayBufferView, n: number, index: number, all: boolean): number {
    this.copier.check(dst, n, index);
    if (n === 0) return 0;
    const ready = this.readySlots(n);
    if (ready < n) {
      if (all || ready === 0) {
        if (this.unreleased !== 0) this.releaseNow();
        this.emptyHitCount++;
        return 0;
      }
      n = ready;
    }
    const pos = this.consPos;
    const slot = pos & this.mask;
    const first = Math.min(n, this.capacity - slot);
    this.copier.copyOut(dst, index, slot, first);
    if (first < n) this.copier.copyOut(dst, index + first, 0, n - first);
    this.consPos = (pos + n) | 0;
    this.dequeuedCount += n;
    this.unreleased += n;
    if (this.unreleased >= this.releaseBatch) {
      this.releaseNow();
    } else if (!this.releaseQueued) {
      this.releaseQueued = true;
      queueMicrotask(this.releaseTask);
    }
    return n;
  }

  override reserve(n: number): number {
    if (!Number.isInteger(n) || n < 0) throw new RingError('ERR_SHMKIT_RING_BAD_ARGUMENT', `reserve(n) needs a non-negative integer, got ${String(n)}`);
    const slot = this.prodPos & this.mask;
    const count = Math.min(n, this.freeSlots(n), this.capacity - slot);
    this.reservedSlot = slot;
    this.reservedCount = count;
    if (count === 0 && n > 0) this.fullHitCount++;
    return count;
  }

  override get reservedAt(): number {
    return this.reservedSlot;
  }

  override commit(count: number): void {
    if (!Number.isInteger(count) || count < 0 || count > this.reservedCount) {
      throw new RingError('ERR_SHMKIT_RING_BAD_ARGUMENT', `commit(count) needs 0..${this.reservedCount} (the last reserve()), got ${String(count)}`);
    }
    this.reservedCount = 0;
    if (count === 0) return;
    this.prodPos = (this.prodPos + count) | 0;
    this.enqueuedCount += count;
    this.publish();
  }

  override acquire(n: number): number {
    if (!Number.isInteger(n) || n < 0) throw new RingError('ERR_SHMKIT_RING_BAD_ARGUMENT', `acquire(n) needs a non-negative integer, got ${String(n)}`);
    const slot = this.consPos & this.mask;
    const count = Math.min(n, this.readySlots(n), this.capacity - slot);
    this.acquiredSlot = slot;
    this.acquiredCount = count;
    if (count === 0 && n > 0) this.emptyHitCount++;
    return count;
  }

  override get acquiredAt(): number {
    return this.acquiredSlot;
  }

  override release(count: number): void {
    if (!Number.isInteger(count) || count < 0 || count > this.acquiredCount) {
      throw new RingError('ERR_SHMKIT_RING_BAD_ARGUMENT', `release(count) needs 0..${this.acquiredCount} (the last acquire()), got ${String(count)}`);
    }
    this.acquiredCount = 0;
    if (count === 0) return;
    this.consPos = (this.consPos + count) | 0;
    this.releaseNow();
    this.dequeuedCount += count;
  }

  get count(): number {
    const prod = this.unpublished !== 0 ? this.prodPos : Atomics.load(this.header, W_PROD);
    const cons = this.unreleased !== 0 ? this.consPos : Atomics.load(this.header, W_CONS);
    const used = (prod - cons) | 0;
    return Math.max(0, Math.min(used, this.capacity));
  }

  protected readableState(): ProbeState {
    return this.consPos !== Atomics.load(this.header, W_PROD) ? READY : NOT_READY;
  }

  protected writableState(): ProbeState {
    return ((this.prodPos - Atomics.load(this.header, W_CONS)) | 0) < this.capacity ? READY : NOT_READY;
  }
}
