import { stopRequested } from './control.js';

/** What a consumer measured: items taken in the measured window, and that window's length. */
export interface ConsumedRate {
  count: number;
  seconds: number;
}

/**
 * The consumer side of every throughput bench: calls `take` (which consumes what is there and
 * returns how many items it took, 0 when there was nothing) until the parent says stop, and counts
 * only what arrives after `warmMs` (so JIT warm-up is not measured). The clock is read once every
 * 1024 polls to keep it out of the hot loop.
 */
export function consumeUntilStopped(control: Int32Array, warmMs: number, take: () => number): ConsumedRate {
  let count = 0;
  let warmCount = -1;
  let warmAt = 0;
  const warmDeadline = performance.now() + warmMs;
  for (let iter = 0; ; iter++) {
    if ((iter & 1023) === 0 && warmCount < 0 && performance.now() >= warmDeadline) {
      warmCount = count;
      warmAt = performance.now();
    }
    const n = take();
    if (n === 0) {
      if (stopRequested(control)) break;
      continue;
    }
    count += n;
  }
  const end = performance.now();
  if (warmCount < 0) {
    warmCount = 0;
    warmAt = warmDeadline - warmMs;
  }
  return { count: count - warmCount, seconds: (end - warmAt) / 1000 };
}
