import { futexWake } from '@shmkit/sys';
import { LockDeadlockError, LockLayoutError } from './errors.js';
import type { Guard, LockOptions, ReadWriteLock } from './guard.js';
import { type HoldRelease, HoldGuard } from './hold-guard.js';
import { describeHolder, type LockHolder, OwnerWord, validateOwnerWord } from './owner-word.js';
import { runAsync, runSync, type WaitSteps } from './park.js';
import { isHolderAlive, selfIdentity } from './process-identity.js';
import { beginHeader, completeHeader, validateHeader } from './shm-header.js';
import { type LockMemory, type LockPlace, magicOf, placeLock } from './shm-place.js';
import { planWait } from './wait-plan.js';

/*
 * ShmRwLock layout (288 bytes, 8-byte aligned, little-endian):
 *
 *   0  u32  magic 'SKRW'
 *   4  u32  layout version (1)
 *   8  u64  writer owner word (0 = no writer; see owner-word.ts)
 *  16  u32  reader bitmap: bit i set while reader slot i is in use
 *  20  u32  drain flag: 1 while the writer sleeps waiting for readers to leave
 *  24  u32  takeovers: how many times a dead writer's lock was taken over
 *  28  u32  number of reader slots (32)
 *  32  u64  reader slot 0: identity of the reading process, 0 = free
 *  ...
 * 280  u64  reader slot 31
 *
 * A writer first takes the owner word, which stops new readers from entering (writer preference:
 * a stream of readers cannot starve it), then waits until the bitmap is empty. A reader claims a
 * slot, sets its bit, and only then checks the owner word; if a writer is there it steps back and
 * waits. Both sides use sequentially consistent atomics, so at least one of them sees the other.
 * Because every reader is named in its slot, a reader that died is found and its slot freed.
 */
const MAGIC = magicOf('SKRW');
const VERSION = 1;
const SLOTS = 32;
const SIZE = 32 + SLOTS * 8;
const U64_OWNER = 1;
const I32_BITMAP = 4;
const I32_DRAIN = 5;
const I32_TAKEOVERS = 6;
const I32_SLOTS = 7;
const U64_SLOT0 = 4;

const me = selfIdentity;

const ENTERED = 0;
const WRITER_PRESENT = 1;
const NO_FREE_SLOT = 2;
type EnterResult = typeof ENTERED | typeof WRITER_PRESENT | typeof NO_FREE_SLOT;

/**
 * A robust, writer-preferring reader/writer lock in 288 bytes of shared memory. Up to 32 lock
 * handles (in any processes) can hold it for reading at once; more readers wait for a free slot.
 * A dead writer's lock is taken over (guard.recovered is true); a dead reader's slot is freed (readers
 * change nothing, so that is not reported as recovered).
 */
export class ShmRwLock implements ReadWriteLock {
  /** Bytes a ShmRwLock occupies. */
  static readonly SIZE = SIZE;
  /** Required alignment of its offset (within the underlying buffer). */
  static readonly ALIGNMENT = 8;
  /** How many lock handles can hold the read lock at the same time. */
  static readonly READER_SLOTS = SLOTS;

  readonly #i32: Int32Array;
  readonly #u64: BigUint64Array;
  readonly #owner: OwnerWord;
  readonly #readRelease: HoldRelease;
  readonly #writeRelease: HoldRelease;
  /** Read guards of this handle share one slot; this counts them. */
  #readHolds = 0;
  #readSlot = -1;
  #writeHolds = 0;
  /** Where this handle first looks for a free slot: spread processes over the slots. */
  #slotHint = process.pid % SLOTS;

  private constructor(place: LockPlace) {
    this.#i32 = place.i32;
    this.#u64 = place.u64;
    this.#owner = new OwnerWord(place.u64, U64_OWNER, place.i32, I32_TAKEOVERS);
    this.#readRelease = { releaseHold: () => this.#leaveRead() };
    this.#writeRelease = {
      releaseHold: () => {
        this.#writeHolds -= 1;
        this.#owner.release();
      },
    };
  }

  /**
   * Writes a fresh, unlocked reader/writer lock at `byteOffset` of `memory`. Do this once, when the
   * memory is created and before other processes use it: it overwrites whatever is there.
   */
  static init(memory: LockMemory, byteOffset = 0): ShmRwLock {
    const place = placeLock('ShmRwLock', memory, byteOffset, SIZE);
    beginHeader(place, VERSION);
    Atomics.store(place.u64, U64_OWNER, 0n);
    Atomics.store(place.i32, I32_BITMAP, 0);
    Atomics.store(place.i32, I32_DRAIN, 0);
    Atomics.store(place.i32, I32_TAKEOVERS, 0);
    Atomics.store(place.i32, I32_SLOTS, SLOTS);
    for (let slot = 0; slot < SLOTS; slot++) Atomics.store(place.u64, U64_SLOT0 + slot, 0n);
    completeHeader(place, MAGIC);
    return new ShmRwLock(place);
  }

  /** Attaches to a lock that `init` wrote at `byteOffset` of `memory`, after checking that it is one. */
  static at(memory: LockMemory, byteOffset = 0): ShmRwLock {
    const place = placeLock('ShmRwLock', memory, byteOffset, SIZE);
    validateHeader('ShmRwLock', place, MAGIC, VERSION);
    const slots = Atomics.load(place.i32, I32_SLOTS);
    if (slots !== SLOTS) {
      throw new LockLayoutError(`ShmRwLock at offset ${place.absoluteOffset}: ${slots} reader slots, expected ${SLOTS}`);
    }
    const drain = Atomics.load(place.i32, I32_DRAIN);
    if (drain !== 0 && drain !== 1) {
      throw new LockLayoutError(`ShmRwLock at offset ${place.absoluteOffset}: drain flag holds ${drain}`);
    }
    validateOwnerWord('ShmRwLock', place, U64_OWNER, true);
    return new ShmRwLock(place);
  }

  // ---- read side ----

  readLock(options?: LockOptions): Guard {
    const plan = options === undefined ? undefined : planWait('ShmRwLock read lock', options);
    if (this.#readHolds > 0) return this.#grantNestedRead();
    if (this.#tryEnterRead()) return this.#grantRead(false);
    if (this.#writeHolds > 0) {
      throw new LockDeadlockError('ShmRwLock.readLock(): this handle holds the write lock; waiting would never end');
    }
    return this.#grantRead(runSync(this.#readSteps(), plan ?? planWait('ShmRwLock read lock', undefined)));
  }

  tryReadLock(): Guard | null {
    if (this.#readHolds > 0) return this.#grantNestedRead();
    if (this.#tryEnterRead()) return this.#grantRead(false);
    if (this.#clearDeadWriter() && this.#tryEnterRead()) return this.#grantRead(true);
    return null;
  }

  async readLockAsync(options?: LockOptions): Promise<Guard> {
    const plan = planWait('ShmRwLock read lock', options);
    if (this.#readHolds > 0) return this.#grantNestedRead();
    if (this.#tryEnterRead()) return this.#grantRead(false);
    return this.#grantRead(await runAsync(this.#readSteps(), plan));
  }

  // ---- write side ----

  writeLock(options?: LockOptions): Guard {
    const plan = options === undefined ? undefined : planWait('ShmRwLock write lock', options);
    if (this.#readHolds > 0 || this.#writeHolds > 0) {
      throw new LockDeadlockError(
        'ShmRwLock.writeLock(): this handle already holds the lock; waiting for itself would never end',
      );
    }
    if (this.#owner.tryAcquire() || this.#owner.spin()) {
      if (Atomics.load(this.#i32, I32_BITMAP) === 0) return this.#grantWrite(false);
      return this.#grantWrite(runSync(this.#drainSteps(false), plan ?? planWait('ShmRwLock write lock', undefined)));
    }
    return this.#grantWrite(runSync(this.#writeSteps(), plan ?? planWait('ShmRwLock write lock', undefined)));
  }

  tryWriteLock(): Guard | null {
    let recovered = false;
    if (!this.#owner.tryAcquire()) {
      if (!this.#owner.tryTakeOverDead()) return null;
      recovered = true;
    }
    let bits = Atomics.load(this.#i32, I32_BITMAP);
    if (bits !== 0 && this.#reclaimDeadReaders(bits)) bits = Atomics.load(this.#i32, I32_BITMAP);
    if (bits !== 0) {
      this.#owner.release();
      return null;
    }
    return this.#grantWrite(recovered);
  }

  async writeLockAsync(options?: LockOptions): Promise<Guard> {
    const plan = planWait('ShmRwLock write lock', options);
    if (this.#owner.tryAcquire() || this.#owner.spin()) {
      if (Atomics.load(this.#i32, I32_BITMAP) === 0) return this.#grantWrite(false);
      return this.#grantWrite(await runAsync(this.#drainSteps(false), plan));
    }
    return this.#grantWrite(await runAsync(this.#writeSteps(), plan));
  }

  // ---- Mutex: the write side ----

  lock(options?: LockOptions): Guard {
    return this.writeLock(options);
  }

  tryLock(): Guard | null {
    return this.tryWriteLock();
  }

  lockAsync(options?: LockOptions): Promise<Guard> {
    return this.writeLockAsync(options);
  }

  /** The writer holding (or waiting for readers to leave), or null (a snapshot). */
  writer(): LockHolder | null {
    return describeHolder(this.#owner.holder());
  }

  /** Number of reader slots in use right now (a snapshot). */
  get readers(): number {
    let bits = Atomics.load(this.#i32, I32_BITMAP) >>> 0;
    let count = 0;
    while (bits !== 0) {
      bits &= bits - 1;
      count += 1;
    }
    return count;
  }

  /** How many times a lock left by a dead writer was taken over, since `init`. */
  get takeovers(): number {
    return Atomics.load(this.#i32, I32_TAKEOVERS) >>> 0;
  }

  // ---- internals ----

  #grantRead(recovered: boolean): Guard {
    return new HoldGuard(this.#readRelease, recovered);
  }

  #grantNestedRead(): Guard {
    this.#readHolds += 1;
    return new HoldGuard(this.#readRelease, false);
  }

  #grantWrite(recovered: boolean): Guard {
    this.#writeHolds += 1;
    return new HoldGuard(this.#writeRelease, recovered);
  }

  /** One attempt to become a reader: claim a slot, announce it, and check that no writer is there. */
  #tryEnterRead(): boolean {
    return this.#enterRead() === ENTERED;
  }

  #enterRead(): EnterResult {
    if (this.#owner.isTaken()) return WRITER_PRESENT;
    const slot = this.#claimSlot();
    if (slot < 0) return NO_FREE_SLOT;
    Atomics.or(this.#i32, I32_BITMAP, 1 << slot);
    if (!this.#owner.isTaken()) {
      this.#readSlot = slot;
      this.#readHolds = 1;
      return ENTERED;
    }
    this.#leaveSlot(slot);
    return WRITER_PRESENT;
  }

  #leaveRead(): void {
    this.#readHolds -= 1;
    if (this.#readHolds > 0) return;
    const slot = this.#readSlot;
    this.#readSlot = -1;
    this.#leaveSlot(slot);
  }

  #claimSlot(): number {
    const u64 = this.#u64;
    const i32 = this.#i32;
    const hint = this.#slotHint;
    if (Atomics.compareExchange(u64, U64_SLOT0 + hint, 0n, me) === 0n) return hint;
    for (let step = 1; step < SLOTS; step++) {
      const slot = (hint + step) % SLOTS;
      if (Atomics.load(i32, (U64_SLOT0 + slot) * 2) !== 0) continue;
      if (Atomics.compareExchange(u64, U64_SLOT0 + slot, 0n, me) === 0n) {
        this.#slotHint = slot;
        return slot;
      }
    }
    // Every slot is taken: free one whose reader died (it may have died before clearing its bit).
    for (let slot = 0; slot < SLOTS; slot++) {
      const reader = Atomics.load(u64, U64_SLOT0 + slot);
      if (reader === 0n || reader === me || isHolderAlive(reader)) continue;
      if (Atomics.compareExchange(u64, U64_SLOT0 + slot, reader, me) === reader) {
        this.#slotHint = slot;
        return slot;
      }
    }
    return -1;
  }

  /** Gives a slot back: bit first, then the slot, so that a set bit always names a claimed slot. */
  #leaveSlot(slot: number): void {
    Atomics.and(this.#i32, I32_BITMAP, ~(1 << slot));
    Atomics.store(this.#u64, U64_SLOT0 + slot, 0n);
    if (Atomics.load(this.#i32, I32_DRAIN) !== 0) futexWake(this.#i32, I32_BITMAP, 1);
  }

  /** Frees the slots of dead readers among `bits`. Returns true if it freed any. */
  #reclaimDeadReaders(bits: number): boolean {
    let freed = false;
    for (let slot = 0; slot < SLOTS; slot++) {
      if ((bits & (1 << slot)) === 0) continue;
      const reader = Atomics.load(this.#u64, U64_SLOT0 + slot);
      if (reader === 0n || isHolderAlive(reader)) continue;
      // Own the slot first, so that no reclaimer or new reader races with clearing it.
      if (Atomics.compareExchange(this.#u64, U64_SLOT0 + slot, reader, me) !== reader) continue;
      Atomics.and(this.#i32, I32_BITMAP, ~(1 << slot));
      Atomics.store(this.#u64, U64_SLOT0 + slot, 0n);
      freed = true;
    }
    return freed;
  }

  /** Clears the owner word if a dead writer holds it (for the try path). */
  #clearDeadWriter(): boolean {
    if (!this.#owner.tryTakeOverDead()) return false;
    this.#owner.release(); // wakes anyone who slept on the dead writer
    return true;
  }

  *#readSteps(): WaitSteps<boolean> {
    let recovered = false;
    for (;;) {
      if (this.#owner.isTaken() && (yield* this.#owner.waitFreeSteps())) {
        recovered = true;
        // The dead writer may have died while draining: its flag would make every reader wake nobody.
        if (!this.#owner.isTaken()) Atomics.compareExchange(this.#i32, I32_DRAIN, 1, 0);
      }
      const entered = this.#enterRead();
      if (entered === ENTERED) return recovered;
      if (entered === NO_FREE_SLOT) {
        // All slots are in use: sleep until the bitmap changes (or the liveness period ends).
        yield { view: this.#i32, index: I32_BITMAP, expected: Atomics.load(this.#i32, I32_BITMAP) };
      }
    }
  }

  *#writeSteps(): WaitSteps<boolean> {
    const recovered = yield* this.#owner.acquireSteps();
    return yield* this.#drainSteps(recovered);
  }

  /** Holding the owner word, waits until every reader has left. Gives the word back if the wait is abandoned. */
  *#drainSteps(recovered: boolean): WaitSteps<boolean> {
    const i32 = this.#i32;
    Atomics.store(i32, I32_DRAIN, 1);
    try {
      for (;;) {
        const bits = Atomics.load(i32, I32_BITMAP);
        if (bits === 0) break;
        if (this.#reclaimDeadReaders(bits)) continue;
        yield { view: i32, index: I32_BITMAP, expected: bits };
      }
    } catch (err) {
      Atomics.store(i32, I32_DRAIN, 0);
      this.#owner.release();
      throw err;
    }
    Atomics.store(i32, I32_DRAIN, 0);
    return recovered;
  }
}
