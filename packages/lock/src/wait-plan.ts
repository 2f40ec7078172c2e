import { LockArgumentError, LockTimeoutError } from './errors.js';
import type { LockOptions } from './guard.js';

/** The bounds of one acquisition: when it must give up, and what may abort it. */
export interface WaitPlan {
  readonly what: string;
  readonly timeout: number | undefined;
  /** `performance.now()` value after which the wait fails; Infinity without a timeout. */
  readonly deadline: number;
  readonly signal: AbortSignal | undefined;
}

/** Validates options and starts the clock. Throws the signal's reason at once if it already aborted. */
export function planWait(what: string, options: LockOptions | undefined): WaitPlan {
  const timeout = options?.timeout;
  const signal = options?.signal;
  if (timeout !== undefined && (typeof timeout !== 'number' || Number.isNaN(timeout) || timeout < 0)) {
    throw new LockArgumentError(`timeout must be a number of milliseconds >= 0, got ${String(timeout)}`);
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new LockArgumentError('signal must be an AbortSignal');
  }
  signal?.throwIfAborted();
  const deadline = timeout === undefined ? Number.POSITIVE_INFINITY : performance.now() + timeout;
  return { what, timeout, deadline, signal };
}

/** Milliseconds left before the deadline (never negative; Infinity without a timeout). */
export function remainingMs(plan: WaitPlan): number {
  if (plan.deadline === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
  return Math.max(0, plan.deadline - performance.now());
}

/** Throws the signal's reason if it aborted, or a LockTimeoutError if the deadline passed. */
export function checkWait(plan: WaitPlan): void {
  plan.signal?.throwIfAborted();
  if (plan.deadline !== Number.POSITIVE_INFINITY && performance.now() >= plan.deadline) {
    throw new LockTimeoutError(plan.what, plan.timeout ?? 0);
  }
}

export function timeoutError(plan: WaitPlan): LockTimeoutError {
  return new LockTimeoutError(plan.what, plan.timeout ?? 0);
}
