import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { spawnTs, waitForLine } from '@shmkit/testkit';
import { createSharedFile } from '../bench/lib/shared-file.js';
import { Ring, RingError } from '../src/index.js';
import { HEADER_WORDS, W_DATA_WANTED, W_SPACE_WANTED } from '../src/ring-layout.js';
import { finish } from './ring-harness.js';

const child = fileURLToPath(new URL('./ring-wait-child.ts', import.meta.url));

async function until(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('Ring waits in one process', () => {
  it('blocking calls give up at the timeout', () => {
    const ring = Ring.create(new ArrayBuffer(Ring.sizeFor({ capacity: 1 })), 0, { capacity: 1 });
    expect(ring.dequeueWait(5)).toBeUndefined();
    expect(ring.waitNotEmpty(0)).toBe(false);
    expect(ring.enqueueWait(1, 5)).toBe(true);
    expect(ring.enqueueWait(2, 5)).toBe(false);
    expect(ring.waitNotFull(1)).toBe(false);
    expect(ring.waitNotEmpty()).toBe(true);
    expect(ring.dequeueWait()).toBe(1);
    expect(ring.stats().parks).toBeGreaterThan(0);
    expect(() => ring.dequeueWait(Number.NaN)).toThrow(RingError);
  });

  it('async waits: abort rejects with the reason, timeout resolves undefined/false, close rejects pending waits', async () => {
    const ring = Ring.create(new ArrayBuffer(Ring.sizeFor({ capacity: 1, mode: 'mpmc' })), 0, { capacity: 1, mode: 'mpmc' });
    const controller = new AbortController();
    const waiting = ring.dequeueAsync({ signal: controller.signal });
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    await expect(ring.dequeueAsync({ signal: AbortSignal.abort(new Error('early')) })).rejects.toThrow('early');
    expect(await ring.dequeueAsync({ timeoutMs: 10 })).toBeUndefined();
    expect(await ring.enqueueAsync(1, { timeoutMs: 10 })).toBe(true);
    expect(await ring.enqueueAsync(2, { timeoutMs: 10 })).toBe(false);
    const full = ring.waitNotFullAsync({ signal: AbortSignal.timeout(20) });
    await expect(full).rejects.toMatchObject({ name: 'TimeoutError' });
    const pending = ring.enqueueAsync(3);
    ring.close();
    await expect(pending).rejects.toMatchObject({ code: 'ERR_SHMKIT_RING_CLOSED' });
    expect(await ring.dequeueAsync()).toBe(1);
  });
});

describe('Ring waits between processes', () => {
  it('a parked consumer is woken by the producer of another process (one wake, no spinning)', async () => {
    using file = createSharedFile(1 << 16);
    const ring = Ring.create(file.buffer, 0, { capacity: 8, mode: 'mpsc' });
    const header = new Int32Array(file.buffer, 0, HEADER_WORDS);
    const done = finish(spawnTs(child, ['park-consumer', file.path, '0']));
    await until(() => Atomics.load(header, W_DATA_WANTED) === 1);
    expect(ring.enqueue(42.5)).toBe(true);
    const result = JSON.parse((await done).stdout);
    expect(result.value).toBe(42.5);
    expect(result.stats.parks).toBeGreaterThanOrEqual(1);
    expect(ring.stats().wakeups).toBe(1);
    // Nobody waits any more: further enqueues issue no wake.
    ring.enqueue(1);
    expect(ring.stats().wakeups).toBe(1);
  });

  it('a producer parked on a full ring is woken when a consumer makes room', async () => {
    using file = createSharedFile(1 << 16);
    const ring = Ring.create(file.buffer, 0, { capacity: 2, mode: 'spsc' });
    const header = new Int32Array(file.buffer, 0, HEADER_WORDS);
    ring.enqueue(1);
    ring.enqueue(2);
    const done = finish(spawnTs(child, ['park-producer', file.path, '0']));
    await until(() => Atomics.load(header, W_SPACE_WANTED) === 1);
    expect(ring.dequeue()).toBe(1);
    const result = JSON.parse((await done).stdout);
    expect(result.ok).toBe(true);
    expect(ring.stats().wakeups).toBe(1);
    expect([ring.dequeue(), ring.dequeue()]).toEqual([2, 77]);
  });

  it('async iteration, aborts, timeouts and close leave nothing behind: the child exits on its own', async () => {
    using file = createSharedFile(1 << 16);
    const ring = Ring.create(file.buffer, 0, { capacity: 8, mode: 'spsc', elementSize: 4 });
    const proc = spawnTs(child, ['async', file.path, '0']);
    const done = finish(proc);
    for (const v of [10, 11, 12]) ring.enqueue(v);
    await waitForLine(proc, '"ready"');
    await new Promise((r) => setTimeout(r, 50));
    ring.enqueue(13);
    const outcome = await done;
    expect(outcome.code, outcome.stderr).toBe(0);
    const result = JSON.parse(outcome.stdout.trim().split('\n').pop()!);
    expect(result).toEqual({
      got: [10, 11, 12],
      abortOutcome: 'AbortError',
      timedOut: null,
      iterationError: 'enough',
      closeOutcome: 'ERR_SHMKIT_RING_CLOSED',
      last: 13,
    });
  });
});
