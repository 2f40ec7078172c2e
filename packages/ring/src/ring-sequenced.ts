import { KIND_BYTES, KIND_FLOAT64, Ring, type RingHandleOptions } from './ring-base.js';
import { type RingBuffer, type RingLayout, W_CONS, W_PROD } from './ring-layout.js';
import {
  E_CONS_CLAIM,
  E_CONS_LEN,
  E_PROD_CLAIM,
  E_PROD_LEN,
  hasLiveClaimer,
  registerEntry,
  releaseEntry,
} from './ring-registry.js';
import { NOT_READY, type ProbeState, READY, STUCK } from './ring-wait.js';

/** A slot must stay claimed-but-unfinished this long before anyone asks whether its claimer lives. */
export const RECOVERY_GRACE_MS = 20;
/** ...and then is checked again at most this often. */
export const RECOVERY_RECHECK_MS = 20;

let pauseAfterClaim: (() => void) | null = null;

/**
 * Test hook: called by the bulk/burst paths between a successful claim and its publication, so a
 * test can kill a process exactly there. Not exported from the package.
 */
export function setPauseAfterClaimForTesting(hook: (() => void) | null): void {
  pauseAfterClaim = hook;
}

/** Gives back the registry entry of a handle that was garbage-collected without close(). */
const entryReleaser = new FinalizationRegistry<{ registry: Int32Array; entry: number }>(({ registry, entry }) => {
  try {
    releaseEntry(registry, entry);
  } catch {
    // The memory was unmapped meanwhile: nothing left to give back.
  }
});

/** Follows one position that stays claimed but unfinished, to decide when to check its claimer. */
class StuckWatch {
  private position = 0;
  private watching = false;
  private nextCheck = 0;

  /** True when `position` has been stuck long enough to check (again) whether its claimer lives. */
  due(position: number): boolean {
    const now = performance.now();
    if (!this.watching || this.position !== position) {
      this.watching = true;
      this.position = position;
      this.nextCheck = now + RECOVERY_GRACE_MS;
      return false;
    }
    if (now < this.nextCheck) return false;
    this.nextCheck = now + RECOVERY_RECHECK_MS;
    return true;
  }

  clear(): void {
    this.watching = false;
  }
}

/**
 * mpsc, spmc and mpmc: a bounded queue with a sequence number per slot (Vyukov). The slot of
 * position p carries seq = 2p when it is free for the producer of p, 2p + 1 once that producer
 * published, and 2(p + capacity) once the consumer of p released it (free for the next lap).
 * Doubling keeps the three states apart even with a single slot, which Vyukov's p / p + 1 /
 * p + capacity cannot do (for capacity 1, published and released would be the same value). A multi-side handle
 * claims positions with one compare-and-swap on the shared position, after writing the claim to
 * its registry entry; a single-side handle keeps its position privately and stores it for others.
 *
 * No side ever waits for the completion of another's operation except at the one slot it needs:
 * a stalled producer holds up consumers only at its own slot. A producer or consumer that dies
 * between its claim and its publication leaves that slot unfinished; after RECOVERY_GRACE_MS a
 * process waiting on the slot checks the registry, and if no live process's claim covers it, skips
 * the slot (an unpublished element: nothing to deliver) or frees it (a consumed element: it was
 * taken by the dead process), counting it in stats().recovered. Elements are read before the
 * consumer's claim succeeds, so a consumer never hands out an element another consumer also got.
 */
export class SequencedRing extends Ring {
  private readonly seq: Int32Array;
  private readonly registry: Int32Array;
  private readonly registryEntries: number;
  private readonly multiProducer: boolean;
  private readonly multiConsumer: boolean;
  /** Word index of this handle's registry entry, -1 while unregistered. */
  private entry = -1;
  /** Private positions of a single producer / single consumer. */
  private prodPos = 0;
  private consPos = 0;
  private readonly producerWatch = new StuckWatch();
  private readonly consumerWatch = new StuckWatch();

  constructor(buffer: RingBuffer, byteOffset: number, header: Int32Array, layout: RingLayout, options: RingHandleOptions) {
    super(buffer, byteOffset, header, layout, options);
    this.seq = new Int32Array(buffer, byteOffset + layout.seqOffset, layout.capacity);
    this.registry = new Int32Array(buffer, byteOffset + layout.registryOffset, (layout.maxProcesses * 64) / 4);
    this.registryEntries = layout.maxProcesses;
    this.multiProducer = layout.mode === 'mpsc' || layout.mode === 'mpmc';
    this.multiConsumer = layout.mode === 'spmc' || layout.mode === 'mpmc';
    this.prodPos = Atomics.load(header, W_PROD);
    this.consPos = Atomics.load(header, W_CONS);
  }

  protected resetPositions(start: number): void {
    start |= 0;
    const seq = this.seq;
    for (let i = 0; i < this.capacity; i++) {
      const position = (start + i) | 0;
      seq[position & this.mask] = position << 1;
    }
    Atomics.store(this.header, W_PROD, start);
    Atomics.store(this.header, W_CONS, start);
    this.prodPos = this.consPos = start;
    this.producerWatch.clear();
    this.consumerWatch.clear();
  }

  private register(): number {
    this.entry = registerEntry(this.registry, this.registryEntries);
    entryReleaser.register(this, { registry: this.registry, entry: this.entry }, this);
    return this.entry;
  }

  override close(): void {
    super.close();
    if (this.entry >= 0) {
      entryReleaser.unregister(this);
      releaseEntry(this.registry, this.entry);
      this.entry = -1;
    }
  }

  // ---- producer --------------------------------------------------------------------------------

  enqueue(value: number): boolean {
    const kind = this.kind;
    if (kind !== KIND_FLOAT64) {
      if (kind === KIND_BYTES) throw this.wrongElementSize();
      if (value >>> 0 !== value) throw this.badValue(value);
    }
    const header = this.header;
    const seq = this.seq;
    const mask = this.mask;
    if (!this.multiProducer) {
      for (;;) {
        const pos = this.prodPos;
        const slot = pos & mask;
        const d = (Atomics.load(seq, slot) - (pos << 1)) | 0;
        if (d === 0) {
          if (kind === KIND_FLOAT64) this.slotFloats[slot] = value;
          else this.slotWords[slot] = value;
          Atomics.store(seq, slot, (pos << 1) | 1);
          const next = (pos + 1) | 0;
          this.prodPos = next;
          Atomics.store(header, W_PROD, next);
          this.signalData();
          this.enqueuedCount++;
          return true;
        }
        if (d > 0) {
          // A previous producer published this position but died before storing it: move on.
          this.prodPos = (pos + 1) | 0;
          continue;
        }
        if (this.recoverConsumerClaim(pos)) continue;
        this.fullHitCount++;
        return false;
      }
    }
    // Claims are announced in the registry entry (start, then length; length 0 = no claim)
    // before the compare-and-swap that takes the position, and withdrawn after publication.
    const registry = this.registry;
    const entry = this.entry >= 0 ? this.entry : this.register();
    // Start from where this handle last succeeded: right when it is the only active producer, and
    // merely one more sequence check (then a fresh read) when others moved the position on.
    let pos = this.prodPos;
    for (;;) {
      const slot = pos & mask;
      const d = (Atomics.load(seq, slot) - (pos << 1)) | 0;
      if (d === 0) {
        registry[entry + E_PROD_CLAIM] = pos;
        registry[entry + E_PROD_LEN] = 1;
        const seen = Atomics.compareExchange(header, W_PROD, pos, (pos + 1) | 0);
        if (seen === pos) {
          if (kind === KIND_FLOAT64) this.slotFloats[slot] = value;
          else this.slotWords[slot] = value;
          Atomics.store(seq, slot, (pos << 1) | 1);
          registry[entry + E_PROD_LEN] = 0;
          this.prodPos = (pos + 1) | 0;
          this.signalData();
          this.enqueuedCount++;
          return true;
        }
        pos = seen;
      } else if (d > 0) {
        pos = Atomics.load(header, W_PROD);
      } else {
        const now = Atomics.load(header, W_PROD);
        if (now !== pos) {
          pos = now;
          continue;
        }
        if (this.recoverConsumerClaim(pos)) continue;
        registry[entry + E_PROD_LEN] = 0;
        this.fullHitCount++;
        return false;
      }
    }
  }

  protected enqueueMany(src: ArrayBufferView, n: number, index: number, all: boolean): number {
    this.copier.check(src, n, index);
    if (n === 0) return 0;
    const header = this.header;
    const seq = this.seq;
    const mask = this.mask;
    const multi = this.multiProducer;
    const registry = this.registry;
    const entry = multi ? (this.entry >= 0 ? this.entry : this.register()) : -1;
    let pos = this.prodPos;
    for (;;) {
      let k = 0;
      let d = 0;
      while (k < n) {
        const p = (pos + k) | 0;
        d = (Atomics.load(seq, p & mask) - (p << 1)) | 0;
        if (d !== 0) break;
        k++;
      }
      if (k === 0 && d > 0) {
        // Another producer took pos (multi), or a dead single producer published it without storing its position.
        pos = multi ? Atomics.load(header, W_PROD) : (this.prodPos = (pos + 1) | 0);
        continue;
      }
      if (k === 0 || (all && k < n)) {
        if (multi) {
          const now = Atomics.load(header, W_PROD);
          if (now !== pos) {
            pos = now;
            continue;
          }
        }
        if (k === 0 && this.recoverConsumerClaim(pos)) continue;
        if (multi) registry[entry + E_PROD_LEN] = 0;
        this.fullHitCount++;
        return 0;
      }
      const end = (pos + k) | 0;
      if (multi) {
        registry[entry + E_PROD_CLAIM] = pos;
        registry[entry + E_PROD_LEN] = k;
        const seen = Atomics.compareExchange(header, W_PROD, pos, end);
        if (seen !== pos) {
          pos = seen;
          continue;
        }
        if (pauseAfterClaim !== null) pauseAfterClaim();
      }
      const slot = pos & mask;
      const first = Math.min(k, this.capacity - slot);
      this.copier.copyIn(src, index, slot, first);
      if (first < k) this.copier.copyIn(src, index + first, 0, k - first);
      for (let i = 0; i < k; i++) {
        const p = (pos + i) | 0;
        Atomics.store(seq, p & mask, (p << 1) | 1);
      }
      this.prodPos = end;
      if (multi) registry[entry + E_PROD_LEN] = 0;
      else Atomics.store(header, W_PROD, end);
      this.signalData();
      this.enqueuedCount += k;
      return k;
    }
  }

  /**
   * The producer found position `pos` full. If that is because a consumer claimed the element of
   * the previous lap and never released it, and no live consumer's claim covers it, frees the slot
   * (the dead consumer took the element) and returns true so the caller tries again.
   */
  private recoverConsumerClaim(pos: number): boolean {
    if (!this.multiConsumer) return false;
    const previous = (pos - this.capacity) | 0;
    const slot = pos & this.mask;
    const s = Atomics.load(this.seq, slot);
    // Published for `previous` and the consumer position has moved past it: claimed, not released.
    if (s !== ((previous << 1) | 1) || ((Atomics.load(this.header, W_CONS) - previous) | 0) <= 0) {
      this.producerWatch.clear();
      return false;
    }
    if (!this.producerWatch.due(previous)) return false;
    if (hasLiveClaimer(this.registry, this.registryEntries, E_CONS_CLAIM, previous)) return false;
    if (Atomics.compareExchange(this.seq, slot, s, pos << 1) !== s) return true;
    this.producerWatch.clear();
    this.countRecovered();
    return true;
  }

  // ---- consumer --------------------------------------------------------------------------------

  dequeue(): number | undefined {
    const kind = this.kind;
    if (kind === KIND_BYTES) throw this.wrongElementSize();
    const header = this.header;
    const seq = this.seq;
    const mask = this.mask;
    const capacity = this.capacity;
    if (!this.multiConsumer) {
      for (;;) {
        const pos = this.consPos;
        const slot = pos & mask;
        const next = (pos + 1) | 0;
        const d = (Atomics.load(seq, slot) - ((pos << 1) | 1)) | 0;
        if (d === 0) {
          const value = kind === KIND_FLOAT64 ? this.slotFloats[slot]! : this.slotWords[slot]!;
          Atomics.store(seq, slot, (pos + capacity) << 1);
          this.consPos = next;
          Atomics.store(header, W_CONS, next);
          this.signalSpace();
          this.dequeuedCount++;
          return value;
        }
        if (d > 0) {
          // A previous consumer released this position but died before storing it: move on.
          this.consPos = next;
          continue;
        }
        if (this.recoverProducerClaim(pos)) continue;
        this.emptyHitCount++;
        return undefined;
      }
    }
    const registry = this.registry;
    const entry = this.entry >= 0 ? this.entry : this.register();
    let pos = this.consPos; // a hint, as for producers

    for (;;) {
      const slot = pos & mask;
      const next = (pos + 1) | 0;
      const d = (Atomics.load(seq, slot) - ((pos << 1) | 1)) | 0;
      if (d === 0) {
        // Read first: if the claim below succeeds, nobody can have reused the slot in between.
        const value = kind === KIND_FLOAT64 ? this.slotFloats[slot]! : this.slotWords[slot]!;
        registry[entry + E_CONS_CLAIM] = pos;
        registry[entry + E_CONS_LEN] = 1;
        const seen = Atomics.compareExchange(header, W_CONS, pos, next);
        if (seen === pos) {
          Atomics.store(seq, slot, (pos + capacity) << 1);
          registry[entry + E_CONS_LEN] = 0;
          this.consPos = next;
          this.signalSpace();
          this.dequeuedCount++;
          return value;
        }
        pos = seen;
      } else if (d > 0) {
        pos = this.consumerPositionAfter(pos);
      } else {
        const now = Atomics.load(header, W_CONS);
        if (now !== pos) {
          pos = now;
          continue;
        }
        if (this.recoverProducerClaim(pos)) continue;
        registry[entry + E_CONS_LEN] = 0;
        this.emptyHitCount++;
        return undefined;
      }
    }
  }

  protected dequeueMany(dst: ArrayBufferView, n: number, index: number, all: boolean): number {
    this.copier.check(dst, n, index);
    if (n === 0) return 0;
    const header = this.header;
    const seq = this.seq;
    const mask = this.mask;
    const capacity = this.capacity;
    const multi = this.multiConsumer;
    const registry = this.registry;
    const entry = multi ? (this.entry >= 0 ? this.entry : this.register()) : -1;
    let pos = this.consPos;
    for (;;) {
      let k = 0;
      let d = 0;
      while (k < n) {
        const p = (pos + k) | 0;
        d = (Atomics.load(seq, p & mask) - ((p << 1) | 1)) | 0;
        if (d !== 0) break;
        k++;
      }
      if (k === 0 && d > 0) {
        pos = multi ? this.consumerPositionAfter(pos) : (this.consPos = (pos + 1) | 0);
        continue;
      }
      if (k === 0 || (all && k < n)) {
        if (multi) {
          const now = Atomics.load(header, W_CONS);
          if (now !== pos) {
            pos = now;
            continue;
          }
        }
        if (k === 0 && this.recoverProducerClaim(pos)) continue;
        if (multi) registry[entry + E_CONS_LEN] = 0;
        this.emptyHitCount++;
        return 0;
      }
      const slot = pos & mask;
      const first = Math.min(k, capacity - slot);
      this.copier.copyOut(dst, index, slot, first);
      if (first < k) this.copier.copyOut(dst, index + first, 0, k - first);
      const end = (pos + k) | 0;
      if (multi) {
        registry[entry + E_CONS_CLAIM] = pos;
        registry[entry + E_CONS_LEN] = k;
        const seen = Atomics.compareExchange(header, W_CONS, pos, end);
        if (seen !== pos) {
          pos = seen;
          continue;
        }
        if (pauseAfterClaim !== null) pauseAfterClaim();
      }
      for (let i = 0; i < k; i++) {
        const p = (pos + i) | 0;
        Atomics.store(seq, p & mask, (p + capacity) << 1);
      }
      this.consPos = end;
      if (multi) registry[entry + E_CONS_LEN] = 0;
      else Atomics.store(header, W_CONS, end);
      this.signalSpace();
      this.dequeuedCount += k;
      return k;
    }
  }

  /**
   * Multi-consumer: the slot of `pos` is already past it. Normally another consumer claimed pos and
   * the shared position has moved; if it has not, the slot was revoked by a recoverer that has not
   * advanced the position yet, and this consumer does it instead. Returns the position to try next.
   */
  private consumerPositionAfter(pos: number): number {
    const now = Atomics.load(this.header, W_CONS);
    if (now !== pos) return now;
    const seen = Atomics.compareExchange(this.header, W_CONS, pos, (pos + 1) | 0);
    return seen === pos ? (pos + 1) | 0 : seen;
  }

  /**
   * The consumer found position `pos` empty. If a producer claimed it and never published, and no
   * live producer's claim covers it, skips it (nothing was published, so nothing is lost twice or
   * delivered twice) and returns true so the caller goes on with the next position.
   */
  private recoverProducerClaim(pos: number): boolean {
    if (!this.multiProducer) return false;
    const slot = pos & this.mask;
    // Free for `pos` and the producer position has moved past it: claimed, not published.
    if (Atomics.load(this.seq, slot) !== pos << 1 || ((Atomics.load(this.header, W_PROD) - pos) | 0) <= 0) {
      this.consumerWatch.clear();
      return false;
    }
    if (!this.consumerWatch.due(pos)) return false;
    if (hasLiveClaimer(this.registry, this.registryEntries, E_PROD_CLAIM, pos)) return false;
    // Revoke the slot: free for the next lap. Fails only if the producer published after all
    // (it was slow, not dead): then the caller simply consumes the element.
    if (Atomics.compareExchange(this.seq, slot, pos << 1, (pos + this.capacity) << 1) !== pos << 1) return true;
    this.consumerWatch.clear();
    this.countRecovered();
    this.advanceConsumerPast(pos);
    this.signalSpace();
    return true;
  }

  /**
   * Moves the consumer position past `pos`, a revoked slot. With several consumers anyone may do
   * it (see the d > 0 case of dequeue), so a recoverer that dies here wedges nobody.
   */
  private advanceConsumerPast(pos: number): void {
    const next = (pos + 1) | 0;
    if (this.multiConsumer) {
      Atomics.compareExchange(this.header, W_CONS, pos, next);
    } else {
      this.consPos = next;
      Atomics.store(this.header, W_CONS, next);
    }
  }

  // ---- state and waiting -----------------------------------------------------------------------

  get count(): number {
    const used = (Atomics.load(this.header, W_PROD) - Atomics.load(this.header, W_CONS)) | 0;
    return Math.max(0, Math.min(used, this.capacity));
  }

  protected readableState(): ProbeState {
    const pos = this.multiConsumer ? Atomics.load(this.header, W_CONS) : this.consPos;
    const s = Atomics.load(this.seq, pos & this.mask);
    const d = (s - ((pos << 1) | 1)) | 0;
    // d > 0: another consumer (or a dead single consumer) moved past pos; dequeue() sorts it out.
    if (d >= 0) return READY;
    if (this.multiProducer && s === pos << 1 && ((Atomics.load(this.header, W_PROD) - pos) | 0) > 0) return STUCK;
    return NOT_READY;
  }

  protected writableState(): ProbeState {
    const pos = this.multiProducer ? Atomics.load(this.header, W_PROD) : this.prodPos;
    const s = Atomics.load(this.seq, pos & this.mask);
    const d = (s - (pos << 1)) | 0;
    if (d >= 0) return READY;
    const previous = (pos - this.capacity) | 0;
    if (this.multiConsumer && s === ((previous << 1) | 1) && ((Atomics.load(this.header, W_CONS) - previous) | 0) > 0) {
      return STUCK;
    }
    return NOT_READY;
  }
}
