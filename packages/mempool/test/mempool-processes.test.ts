import type { ChildProcess } from 'node:child_process';
import { Ring } from '@shmkit/ring';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { Mempool } from '../src/index.js';
import { alignUp, type Command, lines, sharedMapping, startChild } from './helpers.js';

const running: ChildProcess[] = [];
afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

describe('Mempool between processes', () => {
  it('property: random gets and puts in several processes at once leave every block exactly once free or out', async () => {
    const command: fc.Arbitrary<Command> = fc.oneof(
      { weight: 4, arbitrary: fc.constant({ op: 'get' as const }) },
      { weight: 3, arbitrary: fc.record({ op: fc.constant('put' as const), pick: fc.nat(1000) }) },
      { weight: 1, arbitrary: fc.record({ op: fc.constant('getBulk' as const), n: fc.integer({ min: 1, max: 12 }) }) },
      { weight: 1, arbitrary: fc.record({ op: fc.constant('putBulk' as const), n: fc.integer({ min: 1, max: 12 }) }) },
      { weight: 1, arbitrary: fc.constant({ op: 'doublePut' as const }) },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          count: fc.integer({ min: 8, max: 96 }),
          cache: fc.boolean(),
          programs: fc.array(fc.array(command, { minLength: 20, maxLength: 300 }), { minLength: 2, maxLength: 3 }),
        }),
        async ({ count, cache, programs }) => {
          const options = { blockSize: 32, count, cacheSize: cache ? Math.min(8, Math.floor(count / 1.5)) : 0 };
          const barrier = alignUp(Mempool.sizeFor(options));
          const size = barrier + 64;
          using mapping = sharedMapping(size);
          const pool = Mempool.create(mapping.buffer, 0, options);
          const parties = String(programs.length);
          const children = programs.map((program) =>
            lines(
              startChild(['random', mapping.path, String(size), String(barrier), parties, '20', JSON.stringify(program)], running),
            ),
          );
          const held: number[] = [];
          for (const child of children) {
            const line = await child.next(/^held /);
            held.push(...(JSON.parse(line.slice(5)) as { held: number[] }).held);
            expect(await child.exited).toBe(0);
          }
          expect(new Set(held).size).toBe(held.length); // nobody was handed a block someone else held
          expect(pool.audit()).toEqual({ free: count - held.length, out: held.length });
          // The children have exited: what they still held is reclaimable, and nothing else.
          expect(pool.reclaimDead().sort((a, b) => a - b)).toEqual([...held].sort((a, b) => a - b));
          expect(pool.audit()).toEqual({ free: count, out: 0 });
        },
      ),
      { numRuns: 4 },
    );
  });

  it('reclaimDead returns the blocks (and the cache) of a process killed with SIGKILL', async () => {
    const options = { blockSize: 64, count: 32, cacheSize: 8 };
    const size = Mempool.sizeFor(options);
    using mapping = sharedMapping(size);
    const pool = Mempool.create(mapping.buffer, 0, options);
    const child = startChild(['hold', mapping.path, String(size), '5'], running);
    const out = lines(child);
    const held = JSON.parse((await out.next(/^holding /)).slice(8)) as number[];
    expect(held).toHaveLength(5);
    for (const i of held) expect(pool.holderOf(i)).toBe(child.pid);
    expect(pool.audit()).toEqual({ free: 27, out: 5 });
    expect(pool.reclaimDead()).toEqual([]); // alive: nothing to take
    child.kill('SIGKILL');
    expect(await out.exited).toBe(-1) // killed by a signal;
    const reclaimed = pool.reclaimDead();
    // Its 5 blocks plus the 3 still parked in its cache (a refill takes 8).
    expect(reclaimed).toHaveLength(8);
    for (const i of held) expect(reclaimed).toContain(i);
    expect(pool.audit()).toEqual({ free: 32, out: 0 });
    expect(pool.available).toBe(32);
  });

  it('a put of a block by another process is fine once, refused the second time', async () => {
    const options = { blockSize: 64, count: 4 };
    const size = Mempool.sizeFor(options);
    using mapping = sharedMapping(size);
    const pool = Mempool.create(mapping.buffer, 0, options);
    const index = pool.get();
    const first = lines(startChild(['put-after', mapping.path, String(size), String(index)], running));
    expect(await first.next(/accepted|refused/)).toBe('accepted');
    const second = lines(startChild(['put-after', mapping.path, String(size), String(index)], running));
    expect(await second.next(/accepted|refused/)).toBe('refused ERR_SHMKIT_MEMPOOL_DOUBLE_PUT');
    expect(() => pool.put(index)).toThrow(expect.objectContaining({ code: 'ERR_SHMKIT_MEMPOOL_DOUBLE_PUT' }));
    expect(pool.audit()).toEqual({ free: 4, out: 0 });
  });

  for (const cacheSize of [0, 16]) {
    it(`the pyshm pattern end to end (cacheSize ${cacheSize}): get, fill, pass the index on a Ring, read in place, put back`, async () => {
      const options = { blockSize: 256, count: 64, cacheSize };
      const poolBytes = Mempool.sizeFor(options);
      const ringOffset = alignUp(poolBytes);
      const ringOptions = { capacity: 64, elementSize: 4, mode: 'spsc' as const };
      const size = ringOffset + Ring.sizeFor(ringOptions);
      using mapping = sharedMapping(size);
      const pool = Mempool.create(mapping.buffer, 0, options);
      Ring.create(mapping.buffer, ringOffset, ringOptions);
      const count = 5000;
      const consumer = lines(startChild(['pipe-consumer', mapping.path, String(size), String(ringOffset), String(count)], running));
      const producer = lines(
        startChild(['pipe-producer', mapping.path, String(size), String(ringOffset), String(count), '256'], running),
      );
      expect(await producer.next(/^produced /)).toBe(`produced ${count}`);
      const summary = await consumer.next(/^consumed /);
      expect(summary).toMatch(new RegExp(`^consumed ${count} `));
      expect(await producer.exited).toBe(0);
      expect(await consumer.exited).toBe(0);
      // Both closed their handles: every block is back on the shared ring, none was lost or doubled.
      expect(pool.audit()).toEqual({ free: 64, out: 0 });
      expect(pool.available).toBe(64);
    });
  }
});
