import { type AsyncWait, type FutexWaitResult, futexWait, futexWaitAsync, futexWake } from '@shmkit/sys';
import { RingError } from './ring-errors.js';

/**
 * Parking and waking on a pair of shared words: a "wanted" flag and an event counter (the futex
 * word). A waiter reads the event, sets the flag, checks its condition once more, then sleeps
 * while the event is unchanged. A publisher, after its publishing store, reads the flag (one load,
 * no system call while nobody sleeps); only when it is set does it clear it, bump the event and
 * wake every sleeper. Sequentially consistent atomics make the two orders meet: either the
 * waiter's last check sees the publication, or the publisher sees the flag and its bump lands
 * after the waiter read the event. A flag rather than a count of sleepers: a waiter killed while
 * asleep costs one spurious wake, not a system call on every later publication.
 */

/** Probe result: the condition holds, does not hold, or does not hold because of a slot that may need recovery. */
export const NOT_READY = 0;
export const READY = 1;
export const STUCK = 2;
export type ProbeState = typeof NOT_READY | typeof READY | typeof STUCK;

/** How often a waiter that sees a possibly abandoned slot comes back to check on it. */
export const STUCK_POLL_MS = 10;

export type ParkOutcome = 'ready' | 'timed-out' | 'poll';

/** Where the park functions count the times they actually went to sleep. */
export interface ParkCounter {
  parks: number;
}

/** An absolute deadline on the performance.now() clock; undefined, Infinity or negative mean none. */
export function deadlineAfter(timeoutMs: number | undefined): number {
  if (timeoutMs === undefined || timeoutMs < 0 || timeoutMs === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
  if (typeof timeoutMs !== 'number' || Number.isNaN(timeoutMs)) {
    throw new RingError('ERR_SHMKIT_RING_BAD_ARGUMENT', `timeoutMs must be a number of milliseconds, got ${String(timeoutMs)}`);
  }
  return performance.now() + timeoutMs;
}

/** Wakes every process parked on (wantedWord, eventWord). Called by a publisher that saw the flag set. */
export function wakeAll(header: Int32Array, wantedWord: number, eventWord: number): number {
  Atomics.store(header, wantedWord, 0);
  Atomics.add(header, eventWord, 1);
  return futexWake(header, eventWord, 0x7fffffff);
}

/**
 * Spins on `probe` for up to spinMicros, then parks the thread on the futex until probe() is
 * READY, the deadline passes, or (when probe() says STUCK) STUCK_POLL_MS pass.
 */
export function parkSync(
  header: Int32Array,
  wantedWord: number,
  eventWord: number,
  probe: () => ProbeState,
  deadline: number,
  spinMicros: number,
  counter: ParkCounter,
): ParkOutcome {
  let state = probe();
  if (state === READY) return 'ready';
  if (spinMicros > 0 && state === NOT_READY) {
    const spinEnd = Math.min(deadline, performance.now() + spinMicros / 1000);
    for (let i = 1; ; i++) {
      state = probe();
      if (state !== NOT_READY) break;
      if ((i & 31) === 0 && performance.now() >= spinEnd) break;
    }
    if (state === READY) return 'ready';
  }
  for (;;) {
    const event = Atomics.load(header, eventWord);
    Atomics.store(header, wantedWord, 1);
    state = probe();
    if (state === READY) return 'ready';
    const left = deadline - performance.now();
    if (left <= 0) return 'timed-out';
    const slice = state === STUCK ? Math.min(left, STUCK_POLL_MS) : left;
    counter.parks++;
    futexWait(header, eventWord, event, slice === Number.POSITIVE_INFINITY ? undefined : slice);
    if (state === STUCK) return 'poll';
    // Check before setting the flag again: a waiter that got what it wanted leaves the flag clear,
    // so the next publication costs no wake-up call.
    if (probe() === READY) return 'ready';
  }
}

export type PendingWaits = Set<AsyncWait<FutexWaitResult | 'cancelled'>>;

/**
 * The event-loop friendly parkSync: no spinning, the sleep happens on a native thread. Rejects
 * with signal.reason when the signal aborts, with ERR_SHMKIT_RING_CLOSED when the handle closes.
 */
export async function parkAsync(
  header: Int32Array,
  wantedWord: number,
  eventWord: number,
  probe: () => ProbeState,
  deadline: number,
  signal: AbortSignal | undefined,
  pending: PendingWaits,
  counter: ParkCounter,
): Promise<ParkOutcome> {
  for (;;) {
    signal?.throwIfAborted();
    const event = Atomics.load(header, eventWord);
    Atomics.store(header, wantedWord, 1);
    const state = probe();
    if (state === READY) return 'ready';
    const left = deadline - performance.now();
    if (left <= 0) return 'timed-out';
    const slice = state === STUCK ? Math.min(left, STUCK_POLL_MS) : left;
    counter.parks++;
    const wait = futexWaitAsync(header, eventWord, event, slice === Number.POSITIVE_INFINITY ? undefined : slice);
    pending.add(wait);
    const onAbort = () => wait.cancel();
    signal?.addEventListener('abort', onAbort, { once: true });
    let outcome: FutexWaitResult | 'cancelled';
    try {
      outcome = await wait.promise;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      pending.delete(wait);
    }
    if (outcome === 'cancelled') {
      signal?.throwIfAborted();
      throw new RingError('ERR_SHMKIT_RING_CLOSED', 'the ring handle was closed while waiting');
    }
    if (state === STUCK) return 'poll';
    if (probe() === READY) return 'ready';
  }
}
