// Runs producer and consumer processes (ring-child.ts) against one ring in a shared file and
// checks the outcome: every element delivered exactly once, in order per producer and consumer,
// with intact contents and matching checksums.
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { collect, type RunResult, spawnTs } from '@shmkit/testkit';
import { expect } from 'vitest';
import { createSharedFile, type SharedFile } from '../bench/lib/shared-file.js';
import { Ring, RingError, type RingMode } from '../src/index.js';
import { resetPositionsForTesting } from '../src/ring-base.js';
import { type ChildConfig, S_READY, S_STOP, STATE_BYTES } from './ring-protocol.js';

export const childPath = fileURLToPath(new URL('./ring-child.ts', import.meta.url));

export interface Scenario {
  mode: RingMode;
  producers: number;
  consumers: number;
  count: number;
  capacity?: number;
  elementSize?: number;
  api: ChildConfig['api'];
  burst?: number;
  /** Start both positions here (near 2^32 to cross the wrap). */
  start?: number;
  handle?: ChildConfig['handle'];
}

export interface ChildReport {
  role: 'producer' | 'consumer';
  id: number;
  received?: number;
  orderErrors?: number;
  contentErrors?: number;
  checksum?: number;
  stats: { recovered: number; enqueued: number; dequeued: number; parks: number; wakeups: number };
}

export interface Setup {
  file: SharedFile;
  ring: Ring;
  state: Int32Array;
  seen: Uint8Array;
  config: (role: 'producer' | 'consumer', id: number, extra?: Partial<ChildConfig>) => ChildConfig;
}

export function setUp(s: Scenario): Setup {
  const ringOptions = { capacity: s.capacity ?? 64, elementSize: s.elementSize ?? 8, mode: s.mode };
  const ringOffset = STATE_BYTES;
  const seenOffset = ringOffset + Ring.sizeFor(ringOptions);
  const total = s.producers * s.count;
  const file = createSharedFile(seenOffset + total);
  const ring = Ring.create(file.buffer, ringOffset, ringOptions);
  if (s.start !== undefined) resetPositionsForTesting(ring, s.start);
  const config = (role: 'producer' | 'consumer', id: number, extra: Partial<ChildConfig> = {}): ChildConfig => ({
    path: file.path,
    ringOffset,
    seenOffset,
    role,
    id,
    count: s.count,
    producers: s.producers,
    api: s.api,
    burst: s.burst,
    handle: s.handle,
    ...extra,
  });
  return {
    file,
    ring,
    state: new Int32Array(file.buffer, 0, STATE_BYTES / 4),
    seen: new Uint8Array(file.buffer, seenOffset, total),
    config,
  };
}

export function startChild(config: ChildConfig): ChildProcess {
  return spawnTs(childPath, [JSON.stringify(config)]);
}

/** Collects a child's output; kills it after timeoutMs and resolves, so report() shows what it printed. */
export function finish(child: ChildProcess, timeoutMs = 40_000): Promise<RunResult> {
  return collect(child, timeoutMs, { rejectOnTimeout: false });
}

export function report(result: RunResult): ChildReport {
  expect(result.code, `child failed (signal ${result.signal}):\n${result.stdout}\n${result.stderr}`).toBe(0);
  return JSON.parse(result.stdout.trim().split('\n').pop()!) as ChildReport;
}

export async function waitForState(state: Int32Array, word: number, atLeast: number, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Atomics.load(state, word) < atLeast) {
    if (Date.now() > until) throw new Error(`state word ${word} did not reach ${atLeast}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The RingError code `fn` throws (failing the test if it throws anything else), or undefined. */
export function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(RingError);
    return (err as RingError).code;
  }
  return undefined;
}

/** Runs a whole scenario and asserts exactly-once, per-producer order, contents and checksums. */
export async function runScenario(s: Scenario): Promise<ChildReport[]> {
  const setup = setUp(s);
  try {
    const children: ChildProcess[] = [];
    for (let c = 0; c < s.consumers; c++) children.push(startChild(setup.config('consumer', c)));
    for (let p = 0; p < s.producers; p++) children.push(startChild(setup.config('producer', p)));
    const results = await Promise.all(children.map((child) => finish(child)));
    Atomics.store(setup.state, S_STOP, 1);
    const reports = results.map(report);
    expect(Atomics.load(setup.state, S_READY)).toBe(s.producers + s.consumers);
    const consumers = reports.filter((r) => r.role === 'consumer');
    const total = s.producers * s.count;
    expect(consumers.reduce((sum, r) => sum + r.received!, 0)).toBe(total);
    expect(consumers.map((r) => r.orderErrors)).toEqual(consumers.map(() => 0));
    expect(consumers.map((r) => r.contentErrors)).toEqual(consumers.map(() => 0));
    expect(consumers.reduce((sum, r) => sum + r.checksum!, 0)).toBe((total * (total - 1)) / 2);
    const wrong = setup.seen.findIndex((v) => v !== 1);
    expect(wrong, `element ${wrong} was seen ${setup.seen[wrong]} times`).toBe(-1);
    expect(setup.ring.count).toBe(0);
    expect(setup.ring.stats().recovered).toBe(0);
    return reports;
  } finally {
    setup.file.remove();
  }
}
