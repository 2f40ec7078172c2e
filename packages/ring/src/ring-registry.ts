import { isProcessAlive, selfIdentity } from './process-identity.js';
import { RingError } from './ring-errors.js';
import { REGISTRY_ENTRY_BYTES } from './ring-layout.js';

/**
 * The registry of a multi-producer/multi-consumer ring: one cache line per taking-part handle.
 * Before a handle tries to claim positions [start, start + length) with a compare-and-swap, it
 * writes start and then length here (its "claim"); once the operation is published it sets the
 * length back to 0 (no claim). A process that finds a slot claimed but never finished can then
 * tell whether any live process may still finish it: if no live entry's claim covers the
 * position, the claimer is dead (its entry is dead, or was reclaimed after it died) and the slot
 * may be recovered. Claims are plain stores: the compare-and-swap that follows is a sequentially
 * consistent write, so whoever sees the claimed position also sees the claim. A stale read can
 * only make a recoverer wait longer, or try a recovery whose compare-and-swap then fails.
 *
 * Entry words: owner pid (0 = free), start time lo, start time hi, -, producer claim start,
 * producer claim length, -, -, consumer claim start, consumer claim length.
 */
export const ENTRY_WORDS = REGISTRY_ENTRY_BYTES / 4;
export const E_OWNER = 0;
export const E_START_LO = 1;
export const E_START_HI = 2;
export const E_PROD_CLAIM = 4;
export const E_PROD_LEN = 5;
export const E_CONS_CLAIM = 8;
export const E_CONS_LEN = 9;

function startTimeOf(view: Int32Array, base: number): number {
  return (view[base + E_START_LO]! >>> 0) + (view[base + E_START_HI]! >>> 0) * 2 ** 32;
}

/** Takes a free entry (or one left by a dead process) for the calling process; returns its first word index. */
export function registerEntry(view: Int32Array, entries: number): number {
  const me = selfIdentity();
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < entries; i++) {
      const base = i * ENTRY_WORDS;
      const owner = Atomics.load(view, base + E_OWNER);
      if (owner === 0) {
        if (Atomics.compareExchange(view, base + E_OWNER, 0, me.pid) !== 0) continue;
      } else if (pass === 1 && !isProcessAlive(owner, startTimeOf(view, base))) {
        if (Atomics.compareExchange(view, base + E_OWNER, owner, me.pid) !== owner) continue;
      } else {
        continue;
      }
      // Until the start time is written the entry looks dead; it claims nothing yet, so that is harmless.
      Atomics.store(view, base + E_PROD_LEN, 0);
      Atomics.store(view, base + E_CONS_LEN, 0);
      Atomics.store(view, base + E_START_HI, Math.floor(me.startTime / 2 ** 32));
      Atomics.store(view, base + E_START_LO, me.startTime % 2 ** 32 | 0);
      return base;
    }
  }
  throw new RingError(
    'ERR_SHMKIT_RING_TOO_MANY_PROCESSES',
    `all ${entries} registry entries of this ring are held by live handles; create the ring with a larger maxProcesses or close unused handles`,
  );
}

/** Gives an entry back. Only between operations (no claim of this handle is unfinished). */
export function releaseEntry(view: Int32Array, base: number): void {
  Atomics.store(view, base + E_PROD_LEN, 0);
  Atomics.store(view, base + E_CONS_LEN, 0);
  Atomics.compareExchange(view, base + E_OWNER, process.pid, 0);
}

/**
 * True when a live process's claim (producer or consumer side, per claimWord) covers `position`.
 * Reads /proc for each candidate: a slow path.
 */
export function hasLiveClaimer(view: Int32Array, entries: number, claimWord: number, position: number): boolean {
  for (let i = 0; i < entries; i++) {
    const base = i * ENTRY_WORDS;
    const owner = Atomics.load(view, base + E_OWNER);
    if (owner === 0) continue;
    const len = Atomics.load(view, base + claimWord + 1);
    const start = Atomics.load(view, base + claimWord);
    const d = (position - start) | 0;
    if (d >= 0 && d < len && isProcessAlive(owner, startTimeOf(view, base))) return true;
  }
  return false;
}
