import { futexWake } from '@shmkit/sys';
import { LockLayoutError } from './errors.js';
import type { Park, WaitSteps } from './park.js';
import { identityPid, identityStartTime, isHolderAlive, selfIdentity } from './process-identity.js';
import type { LockPlace } from './shm-place.js';

/*
 * The owner word: one 64-bit little-endian word that is 0 when free and holds the holder's identity
 * (see process-identity.ts) when taken. Two bits of its low half, above any pid, say who sleeps on
 * it, so that an uncontended release is a single compare-and-swap and a contended one knows whom to
 * wake. Waiters sleep on the low 32 bits with futex.
 *
 *   bits  0..21  pid of the holder
 *   bits 22..29  zero
 *   bit  30      READERS_PARKED: a reader sleeps until the word is free (ShmRwLock)
 *   bit  31      WRITERS_PARKED: a would-be holder sleeps until the word is free
 *   bits 32..63  low 32 bits of the holder's start time
 */
export const WRITERS_PARKED = 0x8000_0000n;
export const READERS_PARKED = 0x4000_0000n;
const PARKED_BITS = WRITERS_PARKED | READERS_PARKED;
const RESERVED_BITS = 0x3fc0_0000n;
const IDENTITY_MASK = 0xffff_ffff_ffff_ffffn ^ PARKED_BITS;
const LOW_HALF = 0xffff_ffffn;
const WAKE_ALL = 0x7fff_ffff;
/** Compare-and-swap attempts before sleeping; each costs ~15 ns, so this spins for about a microsecond. */
const SPIN_LIMIT = 64;

const me = selfIdentity;

/** Whether an owner word value (with the parked bits masked off) names a holder that may still run. */
function holderAlive(holder: bigint): boolean {
  if ((holder & RESERVED_BITS) !== 0n) return false; // not something init or a holder ever writes
  return isHolderAlive(holder);
}

function low32(value: bigint): number {
  return Number(value & LOW_HALF) | 0;
}

/** Identity of a lock holder: its pid and the low 32 bits of its start time in clock ticks since boot. */
export interface LockHolder {
  pid: number;
  startTime: number;
}

export function describeHolder(value: bigint): LockHolder | null {
  const id = value & IDENTITY_MASK;
  return id === 0n ? null : { pid: identityPid(id), startTime: identityStartTime(id) };
}

/** Refuses an owner word that no holder could have written (attach-time check against garbage). */
export function validateOwnerWord(kind: string, place: LockPlace, index: number, readersAllowed: boolean): void {
  const value = Atomics.load(place.u64, index);
  const badBits = readersAllowed ? RESERVED_BITS : RESERVED_BITS | READERS_PARKED;
  if ((value & badBits) !== 0n || (value !== 0n && (value & 0x3f_ffffn) === 0n)) {
    throw new LockLayoutError(
      `${kind} at offset ${place.absoluteOffset}: owner word 0x${value.toString(16)} holds no valid holder`,
    );
  }
}

/** The owner word of one lock: `u64[index]`, whose low half is `i32[2 * index]` (little-endian). */
export class OwnerWord {
  readonly #u64: BigUint64Array;
  readonly #index: number;
  readonly #i32: Int32Array;
  readonly #lowIndex: number;
  readonly #takeoverIndex: number;

  /** `takeoverIndex` is an i32 counter incremented on every takeover from a dead holder. */
  constructor(u64: BigUint64Array, index: number, i32: Int32Array, takeoverIndex: number) {
    this.#u64 = u64;
    this.#index = index;
    this.#i32 = i32;
    this.#lowIndex = index * 2;
    this.#takeoverIndex = takeoverIndex;
  }

  /** True while anyone (a live or a dead holder) holds the word. */
  isTaken(): boolean {
    return Atomics.load(this.#i32, this.#lowIndex) !== 0;
  }

  /** The holder's identity, or 0n when free. */
  holder(): bigint {
    return Atomics.load(this.#u64, this.#index) & IDENTITY_MASK;
  }

  /** Takes the word if it is free right now. */
  tryAcquire(): boolean {
    return Atomics.compareExchange(this.#u64, this.#index, 0n, me) === 0n;
  }

  /** Takes the word from a holder that is dead, if it is held by one right now. Returns true if taken. */
  tryTakeOverDead(): boolean {
    const current = Atomics.load(this.#u64, this.#index);
    if (current === 0n || holderAlive(current & IDENTITY_MASK)) return false;
    return this.#takeOver(current);
  }

  /** Briefly retries a taken word before anyone sleeps: a holder on another CPU may be about to release. */
  spin(): boolean {
    for (let i = 0; i < SPIN_LIMIT; i++) {
      if (Atomics.load(this.#i32, this.#lowIndex) === 0 && this.tryAcquire()) return true;
    }
    return false;
  }

  /**
   * Waits until the word is this process's. Returns true when it was taken over from a dead holder.
   */
  *acquireSteps(): WaitSteps<boolean> {
    let slept = false;
    for (;;) {
      const current = Atomics.load(this.#u64, this.#index);
      if (current === 0n) {
        // After sleeping, others may still sleep too: keep the flag so that our release wakes them.
        const mine = slept ? me | WRITERS_PARKED : me;
        if (Atomics.compareExchange(this.#u64, this.#index, 0n, mine) === 0n) return false;
        continue;
      }
      if (!holderAlive(current & IDENTITY_MASK)) {
        if (this.#takeOver(current)) return true;
        continue;
      }
      const flagged = current | WRITERS_PARKED;
      if (flagged !== current && Atomics.compareExchange(this.#u64, this.#index, current, flagged) !== current) {
        continue;
      }
      yield this.#park(flagged);
      slept = true;
    }
  }

  /**
   * Waits until no live process holds the word (readers of ShmRwLock wait so for the writer).
   * Returns true when it had to clear a dead holder.
   */
  *waitFreeSteps(): WaitSteps<boolean> {
    let recovered = false;
    for (;;) {
      const current = Atomics.load(this.#u64, this.#index);
      if (current === 0n) return recovered;
      if (!holderAlive(current & IDENTITY_MASK)) {
        if (Atomics.compareExchange(this.#u64, this.#index, current, 0n) === current) {
          Atomics.add(this.#i32, this.#takeoverIndex, 1);
          if ((current & PARKED_BITS) !== 0n) futexWake(this.#i32, this.#lowIndex, WAKE_ALL);
          recovered = true;
        }
        continue;
      }
      const flagged = current | READERS_PARKED;
      if (flagged !== current && Atomics.compareExchange(this.#u64, this.#index, current, flagged) !== current) {
        continue;
      }
      yield this.#park(flagged);
    }
  }

  /** Gives the word back and wakes whoever sleeps on it. Does nothing if this process no longer holds it. */
  release(): void {
    if (Atomics.compareExchange(this.#u64, this.#index, me, 0n) === me) return;
    for (;;) {
      const current = Atomics.load(this.#u64, this.#index);
      if ((current & IDENTITY_MASK) !== me) return;
      if (Atomics.compareExchange(this.#u64, this.#index, current, 0n) === current) {
        if ((current & PARKED_BITS) !== 0n) {
          futexWake(this.#i32, this.#lowIndex, (current & READERS_PARKED) !== 0n ? WAKE_ALL : 1);
        }
        return;
      }
    }
  }

  #takeOver(current: bigint): boolean {
    // Keep the parked bits: whoever sleeps on the dead holder must be woken by our release.
    const mine = me | (current & PARKED_BITS);
    if (Atomics.compareExchange(this.#u64, this.#index, current, mine) !== current) return false;
    Atomics.add(this.#i32, this.#takeoverIndex, 1);
    return true;
  }

  #park(expected: bigint): Park {
    return { view: this.#i32, index: this.#lowIndex, expected: low32(expected) };
  }
}
