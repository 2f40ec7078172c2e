import { native } from './binding.js';

export type FutexWaitResult = 'ok' | 'not-equal' | 'timed-out';

/** A wait running on a dedicated native thread. */
export interface AsyncWait<T> {
  promise: Promise<T>;
  /**
   * Ends the wait promptly: the promise resolves 'cancelled', unless the wait had already ended,
   * in which case it resolves with that outcome (for a lock: 'locked' — then the lock is held).
   */
  cancel(): void;
}

/**
 * Blocks the calling thread while view[index] === expected (FUTEX_WAIT on a shared word: other
 * processes mapping the same memory can wake it). timeoutMs undefined, Infinity or negative: no
 * timeout. 'ok' means woken (or interrupted): the caller re-checks the word.
 */
export function futexWait(view: Int32Array, index: number, expected: number, timeoutMs?: number): FutexWaitResult {
  return native.futexWait(view, index, expected, timeoutMs) as FutexWaitResult;
}

/** Wakes up to `count` waiters (Infinity: all) on view[index]; returns how many were woken. */
export function futexWake(view: Int32Array, index: number, count: number): number {
  return native.futexWake(view, index, count);
}

/**
 * Like futexWait, on a dedicated native thread: never blocks the event loop, keeps the process
 * alive while pending, and keeps the view's buffer referenced until it ends.
 */
export function futexWaitAsync(
  view: Int32Array,
  index: number,
  expected: number,
  timeoutMs?: number,
): AsyncWait<FutexWaitResult | 'cancelled'> {
  const [promise, handle] = native.futexWaitAsync(view, index, expected, timeoutMs);
  return {
    promise: promise as Promise<FutexWaitResult | 'cancelled'>,
    cancel: () => native.cancelWait(handle),
  };
}
