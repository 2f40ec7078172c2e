import { futexWait, futexWaitAsync, futexWake } from '@shmkit/sys';
import { awaitNative } from './native-wait.js';
import { checkWait, remainingMs, type WaitPlan } from './wait-plan.js';

/**
 * How long a parked waiter sleeps at most before it looks again. Nobody wakes the waiters of a
 * holder that died, so they wake on their own this often to check whether the holder still lives.
 */
export const LIVENESS_PERIOD_MS = 50;

/** A request to sleep until the 32-bit word `view[index]` may no longer equal `expected`. */
export interface Park {
  readonly view: Int32Array;
  readonly index: number;
  readonly expected: number;
}

/**
 * The waiting logic of the shared-memory locks is written once, as a generator that yields each
 * time it must sleep and returns its result; these two drivers run it synchronously (blocking the
 * thread in the kernel) or asynchronously (the kernel wait runs on a native thread). When the wait
 * must stop (timeout, abort) the driver throws into the generator so that it can undo partial work.
 */
export type WaitSteps<T> = Generator<Park, T, void>;

/**
 * Stops a wait. A release wakes one sleeper when only would-be holders sleep; if that sleeper now
 * gives up, it passes the wake on so that the next sleeper does not wait a whole liveness period.
 */
function abandon<T>(steps: WaitSteps<T>, err: unknown, woken: Park | null): never {
  if (woken !== null) futexWake(woken.view, woken.index, 1);
  try {
    steps.throw(err);
  } catch {
    // The generator cleaned up and rethrew; the original error is the one to report.
  }
  throw err;
}

/** Before each sleep: a passed deadline or an abort ends the wait (and undoes the generator's partial work). */
function checkOrAbandon<T>(steps: WaitSteps<T>, plan: WaitPlan, woken: Park | null): void {
  try {
    checkWait(plan);
  } catch (err) {
    abandon(steps, err, woken);
  }
}

export function runSync<T>(steps: WaitSteps<T>, plan: WaitPlan): T {
  let woken: Park | null = null;
  let step = steps.next();
  while (!step.done) {
    checkOrAbandon(steps, plan, woken);
    const park: Park = step.value;
    let result: string;
    try {
      result = futexWait(park.view, park.index, park.expected, Math.min(remainingMs(plan), LIVENESS_PERIOD_MS));
    } catch (err) {
      abandon(steps, err, null); // e.g. the memory was unmapped: undo, never leave the lock held
    }
    woken = result === 'ok' ? park : null;
    step = steps.next();
  }
  return step.value;
}

export async function runAsync<T>(steps: WaitSteps<T>, plan: WaitPlan): Promise<T> {
  let woken: Park | null = null;
  let step = steps.next();
  while (!step.done) {
    checkOrAbandon(steps, plan, woken);
    const park: Park = step.value;
    let result: string;
    try {
      const wait = futexWaitAsync(park.view, park.index, park.expected, Math.min(remainingMs(plan), LIVENESS_PERIOD_MS));
      result = await awaitNative(wait, plan.signal);
    } catch (err) {
      abandon(steps, err, null);
    }
    if (result === 'cancelled' && plan.signal?.aborted) abandon(steps, plan.signal.reason, null);
    woken = result === 'ok' ? park : null;
    step = steps.next();
  }
  return step.value;
}
