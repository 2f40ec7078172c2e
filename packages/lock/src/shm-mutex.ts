import { LockDeadlockError, LockLayoutError } from './errors.js';
import type { Guard, LockOptions, Mutex } from './guard.js';
import { type HoldRelease, HoldGuard } from './hold-guard.js';
import { describeHolder, type LockHolder, OwnerWord, validateOwnerWord } from './owner-word.js';
import { runAsync, runSync } from './park.js';
import { beginHeader, completeHeader, validateHeader } from './shm-header.js';
import { type LockMemory, type LockPlace, magicOf, placeLock } from './shm-place.js';
import { planWait } from './wait-plan.js';

/*
 * ShmMutex layout (24 bytes, 8-byte aligned, little-endian):
 *
 *   0  u32  magic 'SKMX'
 *   4  u32  layout version (1)
 *   8  u64  owner word (0 = free; see owner-word.ts)
 *  16  u32  takeovers: how many times a dead holder's lock was taken over
 *  20  u32  reserved, 0
 */
const MAGIC = magicOf('SKMX');
const VERSION = 1;
const SIZE = 24;
const U64_OWNER = 1;
const I32_TAKEOVERS = 4;
const I32_RESERVED = 5;

/**
 * A robust mutex in 24 bytes of shared memory. Uncontended, it costs one compare-and-swap to take and
 * one to release; contended, waiters spin briefly and then sleep in the kernel (futex). When the
 * holder dies, a waiter takes the lock over within about 50 ms and its guard reports `recovered`.
 */
export class ShmMutex implements Mutex {
  /** Bytes a ShmMutex occupies. */
  static readonly SIZE = SIZE;
  /** Required alignment of its offset (within the underlying buffer). */
  static readonly ALIGNMENT = 8;

  readonly #place: LockPlace;
  readonly #owner: OwnerWord;
  readonly #holds: HoldRelease;
  #held = 0;

  private constructor(place: LockPlace) {
    this.#place = place;
    this.#owner = new OwnerWord(place.u64, U64_OWNER, place.i32, I32_TAKEOVERS);
    const owner = this.#owner;
    this.#holds = {
      releaseHold: () => {
        this.#held -= 1;
        owner.release();
      },
    };
  }

  /**
   * Writes a fresh, unlocked mutex at `byteOffset` of `memory` and returns a handle to it. Do this
   * once, when the memory is created and before other processes use it: it overwrites whatever is there.
   */
  static init(memory: LockMemory, byteOffset = 0): ShmMutex {
    const place = placeLock('ShmMutex', memory, byteOffset, SIZE);
    beginHeader(place, VERSION);
    Atomics.store(place.u64, U64_OWNER, 0n);
    Atomics.store(place.i32, I32_TAKEOVERS, 0);
    Atomics.store(place.i32, I32_RESERVED, 0);
    completeHeader(place, MAGIC);
    return new ShmMutex(place);
  }

  /** Attaches to a mutex that `init` wrote at `byteOffset` of `memory`, after checking that it is one. */
  static at(memory: LockMemory, byteOffset = 0): ShmMutex {
    const place = placeLock('ShmMutex', memory, byteOffset, SIZE);
    validateHeader('ShmMutex', place, MAGIC, VERSION);
    if (Atomics.load(place.i32, I32_RESERVED) !== 0) {
      throw new LockLayoutError(`ShmMutex at offset ${place.absoluteOffset}: reserved field is not zero`);
    }
    validateOwnerWord('ShmMutex', place, U64_OWNER, false);
    return new ShmMutex(place);
  }

  lock(options?: LockOptions): Guard {
    // Options are validated (and an aborted signal honoured) before even the fast path.
    const plan = options === undefined ? undefined : planWait('ShmMutex', options);
    if (this.#owner.tryAcquire()) return this.#grant(false);
    if (this.#held > 0) {
      throw new LockDeadlockError('ShmMutex.lock(): this handle already holds the mutex; waiting would never end');
    }
    if (this.#owner.spin()) return this.#grant(false);
    return this.#grant(runSync(this.#owner.acquireSteps(), plan ?? planWait('ShmMutex', undefined)));
  }

  tryLock(): Guard | null {
    if (this.#owner.tryAcquire()) return this.#grant(false);
    if (this.#owner.tryTakeOverDead()) return this.#grant(true);
    return null;
  }

  async lockAsync(options?: LockOptions): Promise<Guard> {
    const plan = planWait('ShmMutex', options);
    if (this.#owner.tryAcquire() || this.#owner.spin()) return this.#grant(false);
    return this.#grant(await runAsync(this.#owner.acquireSteps(), plan));
  }

  /** The current holder, or null when free (a snapshot: it may change at once). */
  holder(): LockHolder | null {
    return describeHolder(this.#owner.holder());
  }

  /** How many times a lock left by a dead holder was taken over, since `init`. */
  get takeovers(): number {
    return Atomics.load(this.#place.i32, I32_TAKEOVERS) >>> 0;
  }

  #grant(recovered: boolean): Guard {
    this.#held += 1;
    return new HoldGuard(this.#holds, recovered);
  }
}
