import { futexWait, futexWake } from '@shmkit/sys';
import { RingError } from './ring-errors.js';
import {
  COMMITTED,
  checkRange,
  HEADER_BYTES,
  HEADER_WORDS,
  LENGTH_MASK,
  type MessageRingMode,
  type MessageRingOptions,
  messageRingSizeFor,
  PADDING,
  RECORD_HEADER_BYTES,
  type ResolvedLayout,
  readHeader,
  recordBytes,
  resolveOptions,
  W_CLAIM_OWNER,
  W_CLAIM_WANTED,
  W_DATA_BELL,
  W_DATA_WANTED,
  W_HEAD,
  W_RECOVERED,
  W_SPACE_BELL,
  W_SPACE_WANTED,
  W_TAIL,
  writeHeader,
} from './message-ring-layout.js';
import { bootTicksNow, isProcessGone } from './message-ring-liveness.js';
import {
  deadlineAfter,
  NOT_READY,
  type ParkOutcome,
  type PendingWaits,
  type ProbeState,
  parkAsync,
  parkSync,
  READY,
  STUCK,
  wakeAll,
} from './ring-wait.js';

export type { MessageRingMode, MessageRingOptions } from './message-ring-layout.js';

/** Per-handle settings: they live in the calling process, not in shared memory. */
export interface MessageRingHandleOptions {
  /** Synchronous waits spin this long (microseconds) before parking on the futex. Default 20. */
  spinMicros?: number;
  /**
   * spsc producers: make sent messages visible every `publishBatch` sends instead of at each one
   * (1, the default). Pending messages are also published when the ring looks full, before any
   * wait, on flush(), and in a microtask at the end of the current job. One atomic store per batch
   * instead of one per message, and fewer cache-line transfers while the consumer polls.
   */
  publishBatch?: number;
  /**
   * Consumers: give the space of received messages back every `releaseBatch` messages instead of
   * at each one (1, the default); also when the ring is found empty, before any wait, on flush()
   * and in a microtask. A consumer that dies may then see up to that many messages again when a
   * new consumer takes over.
   */
  releaseBatch?: number;
}

export interface MessageRingWaitOptions {
  signal?: AbortSignal;
  /** Give up after this many milliseconds (the call then resolves false / undefined). */
  timeoutMs?: number;
}

export interface MessageRingStats {
  /** Messages this process sent / received. */
  sent: number;
  received: number;
  bytesSent: number;
  bytesReceived: number;
  /** send attempts that found no room / receive attempts that found nothing. */
  fullHits: number;
  emptyHits: number;
  /** Padding records written to keep a record from crossing the end of the data area. */
  paddings: number;
  /** Times this process parked on a futex, and wake-up calls it issued. */
  parks: number;
  wakeups: number;
  /** Records skipped, ring-wide, because their producer died before committing them. */
  recovered: number;
  /** Claim locks this process took over from a dead producer. */
  claimsRecovered: number;
}

const DEFAULT_SPIN_MICROS = 20;
/** A record pending this long gets its producer's liveness checked, then again at this period. */
const STALL_CHECK_MS = 10;
/** Spins on a busy claim word before a producer considers parking. */
const CLAIM_SPINS = 128;
/** Results of the internal record lookup. */
const NONE = -1;
const PENDING = -2;

/**
 * A ring of variable-size messages in shared memory, between independent processes. Each message
 * is one length-prefixed record that never crosses the end of the data area, so the consumer can
 * read it in place. 'spsc': one producer and one consumer at a time. 'mpsc': any number of
 * producers, one consumer.
 */
export class MessageRing {
  /** Bytes of shared memory a ring with these options needs (header + data area). */
  static sizeFor(options: MessageRingOptions): number {
    return messageRingSizeFor(options);
  }

  /** Initialises a new, empty ring at `byteOffset` of `buffer` (a mapping shared with peers). */
  static create(
    buffer: ArrayBufferLike,
    byteOffset: number,
    options: MessageRingOptions & MessageRingHandleOptions,
  ): MessageRing {
    const layout = resolveOptions(options);
    const handle = checkHandleOptions(options);
    checkRange(buffer, byteOffset, HEADER_BYTES + layout.bytes);
    writeHeader(new Int32Array(buffer, byteOffset, HEADER_WORDS), layout);
    return new MessageRing(buffer, byteOffset, layout, handle);
  }

  /** Opens a ring another process created; validates magic, version and sizes. */
  static attach(buffer: ArrayBufferLike, byteOffset: number, options: MessageRingHandleOptions = {}): MessageRing {
    const handle = checkHandleOptions(options);
    return new MessageRing(buffer, byteOffset, readHeader(buffer, byteOffset), handle);
  }

  readonly buffer: ArrayBufferLike;
  readonly byteOffset: number;
  /** Size of the data area; records plus padding never exceed it. */
  readonly bytes: number;
  readonly mode: MessageRingMode;
  /** The largest payload `send` accepts: the data area minus one record header. */
  readonly maxMessageBytes: number;

  private readonly ctrl: Int32Array;
  private readonly words: Int32Array;
  private readonly data: Buffer;
  private readonly dataByteOffset: number;
  private readonly mask: number;
  private readonly multiProducer: boolean;
  private readonly pid = process.pid;
  private readonly spinMicros: number;

  /** Producer: last tail seen; only ever behind the real one, so free space is never overstated. */
  private tailSeen = 0;
  /** Producer (spsc): where the next record goes, head after the one being written, and how many
   * sent messages the shared head does not show yet. */
  private prodHead = 0;
  private pendingHead = 0;
  private unpublished = 0;
  private flushQueued = false;
  private readonly publishBatch: number;
  private readonly flushTask = () => {
    this.flushQueued = false;
    if (this.unpublished !== 0 && !this.closed) this.publishHead();
  };
  /** Consumer: last head seen. */
  private headSeen = 0;
  /** Consumer: where the next record starts, and how many released ones the shared tail lags. */
  private consTail = 0;
  private unreleased = 0;
  private releaseQueued = false;
  private readonly releaseBatch: number;
  private readonly releaseTask = () => {
    this.releaseQueued = false;
    if (this.unreleased !== 0 && !this.closed) this.releaseNow();
  };
  /** Consumer: the record handed out by the last receive (released by the next one). */
  private heldBytes = 0;
  private heldLength = 0;
  /** Consumer: the uncommitted record it is waiting on, and since when. */
  private stallTail = 0;
  private stallActive = false;
  private stallSinceMs = 0;
  private stallCheckedMs = 0;

  private closed = false;
  private readonly pendingWaits: PendingWaits = new Set();
  private readonly counters = {
    sent: 0,
    received: 0,
    bytesSent: 0,
    bytesReceived: 0,
    fullHits: 0,
    emptyHits: 0,
    paddings: 0,
    parks: 0,
    wakeups: 0,
    claimsRecovered: 0,
  };

  private constructor(buffer: ArrayBufferLike, byteOffset: number, layout: ResolvedLayout, handle: HandleSettings) {
    this.spinMicros = handle.spinMicros;
    this.publishBatch = layout.mode === 'spsc' ? handle.publishBatch : 1;
    this.releaseBatch = handle.releaseBatch;
    this.buffer = buffer;
    this.byteOffset = byteOffset;
    this.bytes = layout.bytes;
    this.mode = layout.mode;
    this.maxMessageBytes = layout.maxMessageBytes;
    this.ctrl = new Int32Array(buffer, byteOffset, HEADER_WORDS);
    this.dataByteOffset = byteOffset + HEADER_BYTES;
    this.words = new Int32Array(buffer, this.dataByteOffset, layout.bytes >>> 2);
    this.data = Buffer.from(buffer, this.dataByteOffset, layout.bytes);
    this.mask = layout.bytes - 1;
    this.multiProducer = layout.mode === 'mpsc';
    // A handle continues from the positions in shared memory (a producer or consumer that takes
    // over from one that exited starts where it stopped).
    this.prodHead = Atomics.load(this.ctrl, W_HEAD);
    this.consTail = Atomics.load(this.ctrl, W_TAIL);
    this.tailSeen = this.consTail;
    this.headSeen = this.consTail;
  }

  // ---------------------------------------------------------------- producer

  /**
   * Appends one message (bytes, or a string sent as UTF-8). Returns false when the ring has no
   * room for it right now; throws ERR_SHMKIT_RING_MESSAGE_TOO_LARGE when it could never fit.
   */
  send(data: Uint8Array | string): boolean {
    const length = this.lengthOf(data);
    if (this.trySend(data, length)) return true;
    this.counters.fullHits++;
    return false;
  }

  /** Like send, but waits for room: spins briefly, then parks. False when `timeoutMs` ran out. */
  sendWait(data: Uint8Array | string, timeoutMs?: number): boolean {
    const length = this.lengthOf(data);
    if (this.trySend(data, length)) return true;
    this.counters.fullHits++;
    const deadline = deadlineAfter(timeoutMs);
    const probe = (): ProbeState => (this.trySend(data, length) ? READY : NOT_READY);
    const outcome = parkSync(this.ctrl, W_SPACE_WANTED, W_SPACE_BELL, probe, deadline, this.spinMicros, this.counters);
    this.assertOpen();
    return outcome === 'ready';
  }

  /** Like sendWait without blocking the event loop; rejects with the signal's reason on abort. */
  async sendAsync(data: Uint8Array | string, options: MessageRingWaitOptions = {}): Promise<boolean> {
    const length = this.lengthOf(data);
    if (this.trySend(data, length)) return true;
    this.counters.fullHits++;
    const { signal, timeoutMs } = options;
    const deadline = deadlineAfter(timeoutMs);
    const probe = (): ProbeState => (this.trySend(data, length) ? READY : NOT_READY);
    const outcome = await this.parkAsyncOrClosed(W_SPACE_WANTED, W_SPACE_BELL, probe, deadline, signal);
    return outcome === 'ready';
  }

  private lengthOf(data: Uint8Array | string): number {
    this.assertOpen();
    let length: number;
    if (typeof data === 'string') length = Buffer.byteLength(data, 'utf8');
    else if (data instanceof Uint8Array) length = data.byteLength;
    else {
      throw new RingError('ERR_SHMKIT_RING_BAD_ARGUMENT', 'a message must be a Uint8Array (or Buffer) or a string');
    }
    if (length > this.maxMessageBytes) {
      throw new RingError(
        'ERR_SHMKIT_RING_MESSAGE_TOO_LARGE',
        `message of ${length} bytes does not fit: this ring carries at most ${this.maxMessageBytes} bytes per message`,
      );
    }
    return length;
  }

  private trySend(data: Uint8Array | string, length: number): boolean {
    const pos = this.multiProducer ? this.claimShared(length) : this.claimSingle(length);
    if (pos < 0) {
      // Publish what is pending (and padding written by the failed claim): a parked consumer
      // must see it, or the space this producer is about to wait for never comes back.
      if (this.multiProducer) this.wakeConsumer();
      else this.publishHead();
      return false;
    }
    const payload = pos + RECORD_HEADER_BYTES;
    if (typeof data === 'string') this.data.write(data, payload, length, 'utf8');
    else this.data.set(data, payload);
    const w = pos >>> 2;
    this.counters.sent++;
    this.counters.bytesSent += length;
    if (this.multiProducer) {
      Atomics.store(this.words, w, COMMITTED | length);
      this.wakeConsumer();
      return true;
    }
    this.words[w] = COMMITTED | length;
    this.words[w + 1] = this.pid;
    this.prodHead = this.pendingHead;
    if (++this.unpublished >= this.publishBatch) {
      this.publishHead();
    } else if (!this.flushQueued) {
      this.flushQueued = true;
      queueMicrotask(this.flushTask);
    }
    return true;
  }

  /** spsc: makes everything sent so far visible to the consumer. */
  private publishHead(): void {
    this.unpublished = 0;
    Atomics.store(this.ctrl, W_HEAD, this.prodHead);
    this.wakeConsumer();
  }

  /**
   * Publishes messages held back by publishBatch and releases space held back by releaseBatch.
   * Also done when the ring looks full or empty, before any wait, and at the end of each job.
   */
  flush(): void {
    if (this.unpublished !== 0) this.publishHead();
    if (this.unreleased !== 0) this.releaseNow();
  }

  /** True if `need` bytes are free at `head`; re-reads the shared tail only when it looks short. */
  private hasRoom(head: number, need: number): boolean {
    const used = (head - this.tailSeen) | 0;
    if (used >= 0 && this.bytes - used >= need) return true;
    this.tailSeen = Atomics.load(this.ctrl, W_TAIL);
    return this.bytes - ((head - this.tailSeen) | 0) >= need;
  }

  /** spsc: finds room for a record; the head is published by the caller after the copy. */
  private claimSingle(length: number): number {
    const size = recordBytes(length);
    let head = this.prodHead;
    for (;;) {
      const pos = head & this.mask;
      const contiguous = this.bytes - pos;
      if (size <= contiguous) {
        if (this.hasRoom(head, size)) {
          this.pendingHead = (head + size) | 0;
          return pos;
        }
        break;
      }
      if (!this.hasRoom(head, contiguous)) break;
      this.writePadding(pos, contiguous);
      head = (head + contiguous) | 0;
      this.prodHead = head; // the padding goes out with the next publication
    }
    return -1;
  }

  /** mpsc: reserves a record under the claim word; the copy and commit happen outside it. */
  private claimShared(length: number): number {
    const ctrl = this.ctrl;
    const size = recordBytes(length);
    if (Atomics.compareExchange(ctrl, W_CLAIM_OWNER, 0, this.pid) !== 0) this.lockClaimSlow();
    let head = Atomics.load(ctrl, W_HEAD);
    let pos = -1;
    for (;;) {
      const at = head & this.mask;
      const contiguous = this.bytes - at;
      if (size <= contiguous) {
        if (this.hasRoom(head, size)) {
          // Uncommitted header (length + owner) first, then the head: the consumer reads records
          // only below the head, so it never sees a stale header from an earlier lap.
          this.words[at >>> 2] = length;
          this.words[(at >>> 2) + 1] = this.pid;
          Atomics.store(ctrl, W_HEAD, (head + size) | 0);
          pos = at;
        }
        break;
      }
      if (!this.hasRoom(head, contiguous)) break;
      this.writePadding(at, contiguous);
      head = (head + contiguous) | 0;
      Atomics.store(ctrl, W_HEAD, head);
    }
    Atomics.store(ctrl, W_CLAIM_OWNER, 0);
    if (Atomics.load(ctrl, W_CLAIM_WANTED) !== 0 && Atomics.exchange(ctrl, W_CLAIM_WANTED, 0) !== 0) {
      this.counters.wakeups++;
      futexWake(ctrl, W_CLAIM_OWNER, 0x7fffffff);
    }
    return pos;
  }

  private writePadding(pos: number, bytes: number): void {
    this.words[pos >>> 2] = COMMITTED | PADDING | bytes;
    this.words[(pos >>> 2) + 1] = this.pid;
    this.counters.paddings++;
  }

  /**
   * The claim word is held only for a few stores, so contention normally resolves by spinning. A
   * holder that is descheduled gets short parks; a holder that died has its claim taken over (the
   * claim step leaves the ring consistent after each of its stores).
   */
  private lockClaimSlow(): void {
    const ctrl = this.ctrl;
    let spins = 0;
    let observed = 0;
    let sinceMs = 0;
    for (;;) {
      const owner = Atomics.load(ctrl, W_CLAIM_OWNER);
      if (owner === 0) {
        if (Atomics.compareExchange(ctrl, W_CLAIM_OWNER, 0, this.pid) === 0) return;
        continue;
      }
      if (++spins < CLAIM_SPINS) continue;
      const now = performance.now();
      if (owner !== observed) {
        observed = owner;
        sinceMs = now;
      } else if (now - sinceMs >= STALL_CHECK_MS && isProcessGone(owner, ticksAgo(now - sinceMs))) {
        if (Atomics.compareExchange(ctrl, W_CLAIM_OWNER, owner, this.pid) === owner) {
          this.counters.claimsRecovered++;
          return;
        }
        continue;
      }
      Atomics.store(ctrl, W_CLAIM_WANTED, 1);
      this.counters.parks++;
      futexWait(ctrl, W_CLAIM_OWNER, owner, 2);
    }
  }

  private wakeConsumer(): void {
    if (Atomics.load(this.ctrl, W_DATA_WANTED) !== 0) {
      this.counters.wakeups++;
      wakeAll(this.ctrl, W_DATA_WANTED, W_DATA_BELL);
    }
  }

  // ---------------------------------------------------------------- consumer

  /**
   * The next message as a zero-copy view into the ring, or undefined when none is ready. The view
   * stays valid until the next receive* call (which releases its bytes to the producers).
   */
  receive(): Uint8Array | undefined {
    this.assertOpen();
    const pos = this.nextRecord();
    if (pos >= 0) return this.viewOf(pos);
    this.counters.emptyHits++;
    return undefined;
  }

  /** The next message copied into a fresh array (its ring space is released at once). */
  receiveCopy(): Uint8Array | undefined {
    this.assertOpen();
    const pos = this.nextRecord();
    if (pos >= 0) return this.copyOf(pos);
    this.counters.emptyHits++;
    return undefined;
  }

  /**
   * Copies the next message into `target` and returns its length, or -1 when none is ready.
   * Throws (and keeps the message) if `target` is shorter than the message.
   */
  receiveInto(target: Uint8Array): number {
    this.assertOpen();
    const pos = this.nextRecord();
    if (pos < 0) {
      this.counters.emptyHits++;
      return -1;
    }
    const length = this.heldLength;
    if (target.byteLength < length) {
      this.heldBytes = 0; // not consumed: the next receive returns the same message
      throw new RingError(
        'ERR_SHMKIT_RING_BAD_ARGUMENT',
        `target of ${target.byteLength} bytes is too small for the next message (${length} bytes)`,
      );
    }
    this.data.copy(target, 0, pos + RECORD_HEADER_BYTES, pos + RECORD_HEADER_BYTES + length);
    this.release();
    return length;
  }

  /** Waits for the next message (zero-copy view, as receive). Undefined when `timeoutMs` ran out. */
  receiveWait(timeoutMs?: number): Uint8Array | undefined {
    this.assertOpen();
    const pos = this.waitRecord(timeoutMs);
    return pos < 0 ? undefined : this.viewOf(pos);
  }

  /** Waits without blocking the event loop; rejects with the signal's reason on abort. */
  async receiveAsync(options: MessageRingWaitOptions = {}): Promise<Uint8Array | undefined> {
    this.assertOpen();
    const pos = await this.waitRecordAsync(options);
    return pos < 0 ? undefined : this.viewOf(pos);
  }

  /**
   * Async iteration over incoming messages, each copied (safe to keep). Ends when the ring is
   * closed; a `signal` abort ends it with the signal's reason.
   */
  async *messages(options: { signal?: AbortSignal } = {}): AsyncGenerator<Uint8Array, void, undefined> {
    for (;;) {
      if (this.closed) return;
      let pos: number;
      try {
        pos = await this.waitRecordAsync(options);
      } catch (err) {
        if (this.closed && !options.signal?.aborted) return;
        throw err;
      }
      if (pos >= 0) yield this.copyOf(pos);
    }
  }

  [Symbol.asyncIterator](): AsyncGenerator<Uint8Array, void, undefined> {
    return this.messages();
  }

  private viewOf(pos: number): Uint8Array {
    this.counters.received++;
    this.counters.bytesReceived += this.heldLength;
    return new Uint8Array(this.buffer, this.dataByteOffset + pos + RECORD_HEADER_BYTES, this.heldLength);
  }

  private copyOf(pos: number): Uint8Array {
    const start = pos + RECORD_HEADER_BYTES;
    const copy = new Uint8Array(this.heldLength);
    this.data.copy(copy, 0, start, start + this.heldLength);
    this.counters.received++;
    this.counters.bytesReceived += this.heldLength;
    this.release();
    return copy;
  }

  /** Gives the held record's space back (to producers at once, or with the next release batch). */
  private release(): void {
    if (this.heldBytes === 0) return;
    this.consTail = (this.consTail + this.heldBytes) | 0;
    this.heldBytes = 0;
    if (++this.unreleased >= this.releaseBatch) {
      this.releaseNow();
    } else if (!this.releaseQueued) {
      this.releaseQueued = true;
      queueMicrotask(this.releaseTask);
    }
  }

  private releaseNow(): void {
    this.unreleased = 0;
    const ctrl = this.ctrl;
    Atomics.store(ctrl, W_TAIL, this.consTail);
    if (Atomics.load(ctrl, W_SPACE_WANTED) !== 0) {
      this.counters.wakeups++;
      wakeAll(ctrl, W_SPACE_WANTED, W_SPACE_BELL);
    }
  }

  /**
   * Releases the previously handed-out record, then finds the next committed one. Returns its
   * position in the data area, NONE when the ring is empty, or PENDING when the next record is
   * claimed but not committed yet (mpsc).
   */
  private nextRecord(): number {
    this.release();
    for (;;) {
      const tail = this.consTail;
      if (((this.headSeen - tail) | 0) <= 0) {
        this.headSeen = Atomics.load(this.ctrl, W_HEAD);
        if (((this.headSeen - tail) | 0) <= 0) {
          // Found empty: give back what was read, or a producer could see full while we see empty.
          if (this.unreleased !== 0) this.releaseNow();
          return NONE;
        }
      }
      const pos = tail & this.mask;
      const word = this.multiProducer ? Atomics.load(this.words, pos >>> 2) : this.words[pos >>> 2]!;
      if ((word & COMMITTED) === 0) {
        if (this.unreleased !== 0) this.releaseNow();
        if (this.skipIfAbandoned(tail, pos, word)) continue;
        return PENDING;
      }
      this.stallActive = false;
      const length = word & LENGTH_MASK;
      if ((word & PADDING) !== 0) {
        if (length < RECORD_HEADER_BYTES || length > this.bytes - pos) this.throwCorrupt(tail, word);
        this.consTail = (tail + length) | 0;
        this.releaseNow();
        continue;
      }
      const size = recordBytes(length);
      if (size > this.bytes - pos) this.throwCorrupt(tail, word);
      this.heldLength = length;
      this.heldBytes = size;
      return pos;
    }
  }

  /**
   * An uncommitted record is normal for a moment (its producer is copying). When it stays so,
   * check its producer; if that process is gone, the record is skipped unseen and counted.
   */
  private skipIfAbandoned(tail: number, pos: number, word: number): boolean {
    const now = performance.now();
    if (!this.stallActive || this.stallTail !== tail) {
      this.stallActive = true;
      this.stallTail = tail;
      this.stallSinceMs = now;
      this.stallCheckedMs = now;
      return false;
    }
    if (now - this.stallCheckedMs < STALL_CHECK_MS) return false;
    this.stallCheckedMs = now;
    const owner = this.words[(pos >>> 2) + 1]!;
    if (!isProcessGone(owner, ticksAgo(now - this.stallSinceMs))) return false;
    this.stallActive = false;
    if (recordBytes(word & LENGTH_MASK) > this.bytes - pos) this.throwCorrupt(tail, word);
    Atomics.add(this.ctrl, W_RECOVERED, 1);
    this.consTail = (tail + recordBytes(word & LENGTH_MASK)) | 0;
    this.releaseNow();
    return true;
  }

  /** Waits for a committed record; returns its position or NONE when the deadline passed. */
  private waitRecord(timeoutMs: number | undefined): number {
    let pos = this.nextRecord();
    if (pos >= 0) return pos;
    this.counters.emptyHits++;
    const deadline = deadlineAfter(timeoutMs);
    const probe = (): ProbeState => {
      pos = this.nextRecord();
      return pos >= 0 ? READY : pos === PENDING ? STUCK : NOT_READY;
    };
    for (;;) {
      const outcome = parkSync(this.ctrl, W_DATA_WANTED, W_DATA_BELL, probe, deadline, this.spinMicros, this.counters);
      this.assertOpen();
      if (outcome === 'ready') return pos;
      if (outcome === 'timed-out') return NONE;
      // 'poll': a pending record's producer is checked by the next probe.
    }
  }

  private async waitRecordAsync(options: MessageRingWaitOptions): Promise<number> {
    let pos = this.nextRecord();
    if (pos >= 0) return pos;
    this.counters.emptyHits++;
    const { signal, timeoutMs } = options;
    const deadline = deadlineAfter(timeoutMs);
    const probe = (): ProbeState => {
      pos = this.nextRecord();
      return pos >= 0 ? READY : pos === PENDING ? STUCK : NOT_READY;
    };
    for (;;) {
      const outcome = await this.parkAsyncOrClosed(W_DATA_WANTED, W_DATA_BELL, probe, deadline, signal);
      if (outcome === 'ready') return pos;
      if (outcome === 'timed-out') return NONE;
    }
  }

  /** parkAsync, with the ring's own error when close() cancelled the wait. */
  private async parkAsyncOrClosed(
    wantedWord: number,
    eventWord: number,
    probe: () => ProbeState,
    deadline: number,
    signal: AbortSignal | undefined,
  ): Promise<ParkOutcome> {
    this.assertOpen();
    try {
      return await parkAsync(this.ctrl, wantedWord, eventWord, probe, deadline, signal, this.pendingWaits, this.counters);
    } catch (err) {
      if (this.closed && !signal?.aborted) {
        throw new RingError('ERR_SHMKIT_RING_CLOSED', 'the MessageRing was closed while waiting');
      }
      throw err;
    }
  }

  // ---------------------------------------------------------------- queries and lifecycle

  /** Bytes currently taken by records and padding (claimed ones included). */
  get usedBytes(): number {
    return (Atomics.load(this.ctrl, W_HEAD) - Atomics.load(this.ctrl, W_TAIL)) | 0;
  }

  get freeBytes(): number {
    return this.bytes - this.usedBytes;
  }

  isEmpty(): boolean {
    return this.usedBytes === 0;
  }

  stats(): MessageRingStats {
    return { ...this.counters, recovered: Atomics.load(this.ctrl, W_RECOVERED) };
  }

  /**
   * Drops every queued message. Only while no other process uses the ring (as DPDK's reset):
   * a concurrent send or receive may be lost or see a half-reset ring.
   */
  reset(): void {
    this.assertOpen();
    const ctrl = this.ctrl;
    this.heldBytes = 0;
    this.unpublished = 0;
    this.unreleased = 0;
    this.stallActive = false;
    const head = Atomics.load(ctrl, W_HEAD);
    Atomics.store(ctrl, W_CLAIM_OWNER, 0);
    Atomics.store(ctrl, W_TAIL, head);
    this.prodHead = head;
    this.consTail = head;
    this.tailSeen = head;
    this.headSeen = head;
    Atomics.add(ctrl, W_SPACE_BELL, 1);
    futexWake(ctrl, W_SPACE_BELL, 0x7fffffff);
  }

  /**
   * Stops using the ring from this object: releases a held message, cancels pending async waits
   * (they reject with ERR_SHMKIT_RING_CLOSED; iterators just end). The memory stays the caller's.
   */
  close(): void {
    if (this.closed) return;
    this.release();
    this.flush();
    this.closed = true;
    for (const wait of this.pendingWaits) wait.cancel();
  }

  [Symbol.dispose](): void {
    this.close();
  }

  /** A record header that cannot have been written by a producer: stop rather than loop or misread. */
  private throwCorrupt(position: number, word: number): never {
    throw new RingError(
      'ERR_SHMKIT_RING_CORRUPT',
      `MessageRing record header 0x${(word >>> 0).toString(16)} at position ${position >>> 0} does not fit the data area: the ring memory was overwritten`,
    );
  }

  private assertOpen(): void {
    if (this.closed) throw new RingError('ERR_SHMKIT_RING_CLOSED', 'this MessageRing has been closed');
  }
}

interface HandleSettings {
  spinMicros: number;
  publishBatch: number;
  releaseBatch: number;
}

function checkHandleOptions(options: MessageRingHandleOptions): HandleSettings {
  const { spinMicros = DEFAULT_SPIN_MICROS, publishBatch = 1, releaseBatch = 1 } = options;
  if (typeof spinMicros !== 'number' || !(spinMicros >= 0)) {
    throw new RingError('ERR_SHMKIT_RING_BAD_OPTIONS', `spinMicros must be a non-negative number, got ${String(spinMicros)}`);
  }
  for (const [name, value] of [
    ['publishBatch', publishBatch],
    ['releaseBatch', releaseBatch],
  ] as const) {
    if (!Number.isInteger(value) || value < 1) {
      throw new RingError('ERR_SHMKIT_RING_BAD_OPTIONS', `${name} must be a positive integer, got ${String(value)}`);
    }
  }
  return { spinMicros, publishBatch, releaseBatch };
}

/** Boot-tick timestamp of a moment `elapsedMs` ago, for pid-reuse detection. */
function ticksAgo(elapsedMs: number): number {
  return bootTicksNow() - Math.ceil(elapsedMs / 10);
}
