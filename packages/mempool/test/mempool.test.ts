import { spawn, spawnSync } from 'node:child_process';
import { Ring } from '@shmkit/ring';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Mempool, type MempoolOptions } from '../src/index.js';
import { sharedMapping } from './helpers.js';

function poolOf(options: MempoolOptions) {
  const mapping = sharedMapping(Mempool.sizeFor(options));
  const pool = Mempool.create(mapping.buffer, 0, options);
  return { mapping, pool, [Symbol.dispose]: () => mapping[Symbol.dispose]() };
}

const code = (c: string) => expect.objectContaining({ code: c });

/** Header words (README layout): word 1 = version, word 3 = blockSize; metadata offset at word 9. */
function metaWords(buffer: ArrayBuffer): Int32Array {
  const header = new Int32Array(buffer, 0, 16);
  return new Int32Array(buffer, header[9]!);
}

function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

describe('Mempool layout and validation', () => {
  it('sizes header, free ring, metadata and 64-byte aligned blocks; rejects bad options', () => {
    const size = Mempool.sizeFor({ blockSize: 100, count: 10 });
    expect(size % 64).toBe(0);
    expect(size).toBeGreaterThanOrEqual(10 * 128);
    for (const bad of [
      { blockSize: 0, count: 1 },
      { blockSize: 1.5, count: 1 },
      { blockSize: 8, count: 0 },
      { blockSize: 8, count: 2 ** 27 },
      { blockSize: 8, count: 10, cacheSize: 7 }, // more than count / 1.5
      { blockSize: 8, count: 10000, cacheSize: 513 },
      { blockSize: 8, count: 10, maxProcesses: 0 },
    ]) {
      expect(() => Mempool.sizeFor(bad)).toThrow(code('ERR_SHMKIT_MEMPOOL_BAD_OPTIONS'));
    }
  });

  it('refuses a small buffer, a misaligned offset, garbage, a wrong version, an inconsistent header', () => {
    const options = { blockSize: 64, count: 8 };
    const size = Mempool.sizeFor(options);
    const buffer = new ArrayBuffer(size + 64);
    expect(() => Mempool.create(new ArrayBuffer(size - 1), 0, options)).toThrow(code('ERR_SHMKIT_MEMPOOL_BUFFER_TOO_SMALL'));
    expect(() => Mempool.create(buffer, 8, options)).toThrow(code('ERR_SHMKIT_MEMPOOL_MISALIGNED'));
    expect(() => Mempool.attach(buffer, 64)).toThrow(code('ERR_SHMKIT_MEMPOOL_BAD_MAGIC'));
    Mempool.create(buffer, 64, options);
    expect(Mempool.attach(buffer, 64).count).toBe(8);
    const header = new Int32Array(buffer, 64, 16);
    header[1] = 7;
    expect(() => Mempool.attach(buffer, 64)).toThrow(code('ERR_SHMKIT_MEMPOOL_BAD_VERSION'));
    header[1] = 1;
    header[6] = 8; // block stride no longer matches the block size
    expect(() => Mempool.attach(buffer, 64)).toThrow(code('ERR_SHMKIT_MEMPOOL_CORRUPT'));
    header[6] = 64;
    header[4] = 1 << 20; // a count the buffer cannot hold
    expect(() => Mempool.attach(buffer, 64)).toThrow(/BUFFER_TOO_SMALL|inconsistent|impossible/);
  });
});

describe('Mempool in one process', () => {
  it('hands out every block once, then -1; blocks are disjoint zero-copy views', () => {
    using p = poolOf({ blockSize: 100, count: 6 });
    const got = new Set<number>();
    for (let i = 0; i < 6; i++) got.add(p.pool.get());
    expect([...got].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(p.pool.get()).toBe(-1);
    expect(p.pool.available).toBe(0);
    expect(p.pool.inUse).toBe(6);
    for (const i of got) {
      const view = p.pool.block(i);
      expect(view.byteLength).toBe(100);
      expect(view.buffer).toBe(p.mapping.buffer);
      expect(view.byteOffset).toBe(p.pool.offsetOf(i));
      expect(view.byteOffset % 64).toBe(0);
      view.fill(i + 1);
    }
    for (const i of got) expect(p.pool.block(i).every((b) => b === i + 1)).toBe(true);
    // Another handle (as another process would) sees the same bytes at the same index.
    const other = Mempool.attach(p.mapping.buffer, 0);
    expect(other.block(3)[99]).toBe(4);
    expect(p.pool.audit()).toEqual({ free: 0, out: 6 });
    p.pool.put(3);
    expect(p.pool.audit()).toEqual({ free: 1, out: 5 });
    expect(() => p.pool.block(6)).toThrow(code('ERR_SHMKIT_MEMPOOL_BAD_INDEX'));
  });

  it('refuses a double put, a put of a block never handed out, and a foreign index; the pool is unchanged', () => {
    using p = poolOf({ blockSize: 16, count: 4 });
    const a = p.pool.get();
    p.pool.put(a);
    expect(() => p.pool.put(a)).toThrow(code('ERR_SHMKIT_MEMPOOL_DOUBLE_PUT'));
    expect(() => p.pool.put(a)).toThrow(`block ${a} is already free (double put)`);
    const never = [0, 1, 2, 3].find((i) => i !== a)!;
    expect(() => p.pool.put(never)).toThrow(code('ERR_SHMKIT_MEMPOOL_NOT_HANDED_OUT'));
    for (const bad of [-1, 4, 1.5, Number.NaN]) expect(() => p.pool.put(bad)).toThrow(code('ERR_SHMKIT_MEMPOOL_BAD_INDEX'));
    expect(p.pool.stats().refusedPuts).toBe(7);
    expect(p.pool.available).toBe(4); // pyshm would now report 5 free
    expect(p.pool.audit()).toEqual({ free: 4, out: 0 });
  });

  it('getBulk is all or nothing; putBulk returns the valid blocks and reports the first bad one', () => {
    using p = poolOf({ blockSize: 16, count: 8 });
    const out = new Uint32Array(8);
    expect(p.pool.getBulk(out, 5)).toBe(5);
    expect(p.pool.getBulk(new Uint32Array(4), 4)).toBe(0); // only 3 left
    expect(p.pool.stats().getFailures).toBe(1);
    expect(p.pool.available).toBe(3);
    const back = Uint32Array.from([out[0]!, out[1]!, out[0]!, out[2]!]);
    expect(() => p.pool.putBulk(back, 4)).toThrow(code('ERR_SHMKIT_MEMPOOL_DOUBLE_PUT'));
    expect(p.pool.audit()).toEqual({ free: 6, out: 2 });
    expect(() => p.pool.getBulk(out, 9)).toThrow(code('ERR_SHMKIT_MEMPOOL_BAD_OPTIONS'));
  });

  it('with a per-process cache: gets and puts stay local, close() returns the cache to the ring', () => {
    using p = poolOf({ blockSize: 16, count: 64, cacheSize: 8 });
    const second = Mempool.attach(p.mapping.buffer, 0);
    const a = p.pool.get();
    expect(p.pool.stats()).toMatchObject({ cacheRefills: 1, cacheHits: 1 });
    expect(p.pool.available).toBe(63); // the cached blocks count for this handle
    expect(second.available).toBe(56); // ... but not for another one
    expect(p.pool.audit()).toEqual({ free: 63, out: 1 });
    p.pool.put(a);
    expect(() => p.pool.put(a)).toThrow(code('ERR_SHMKIT_MEMPOOL_DOUBLE_PUT')); // cached, still refused
    // Put many: the cache flushes back down to its size once it reaches 1.5x.
    const taken = Array.from({ length: 20 }, () => second.get());
    for (const i of taken) p.pool.put(i);
    expect(p.pool.stats().cacheFlushes).toBeGreaterThan(0);
    expect(p.pool.audit()).toEqual({ free: 64, out: 0 });
    p.pool.close();
    expect(second.available).toBe(64);
    expect(() => p.pool.get()).toThrow(code('ERR_SHMKIT_MEMPOOL_CLOSED'));
  });

  it('audit names the first violation when the metadata was damaged', () => {
    using p = poolOf({ blockSize: 16, count: 4 });
    const meta = metaWords(p.mapping.buffer);
    const a = p.pool.get();
    meta[a * 4] = 0; // an out block marked free: lost
    expect(() => p.pool.audit()).toThrow(code('ERR_SHMKIT_MEMPOOL_AUDIT_FAILED'));
    expect(() => p.pool.audit()).toThrow(`block ${a} is marked free but is not on the free ring (lost)`);
    meta[a * 4] = 4 | 1; // out again
    expect(p.pool.audit()).toEqual({ free: 3, out: 1 });
    const free = [0, 1, 2, 3].find((i) => i !== a)!;
    meta[free * 4] = 1; // a block on the free ring marked out
    expect(() => p.pool.audit()).toThrow(new RegExp(`block ${free} is on the free ring but marked out`));
    expect(p.pool.available).toBe(3); // the audit put the free ring back
  });

  it('an index on the free ring that is not a block of the pool is reported, never handed out', () => {
    using p = poolOf({ blockSize: 16, count: 2 });
    expect(p.pool.get()).toBeGreaterThanOrEqual(0);
    expect(p.pool.get()).toBeGreaterThanOrEqual(0);
    Ring.attach(p.mapping.buffer, 128).enqueue(999); // the free ring sits at byte 128 (README)
    expect(() => p.pool.get()).toThrow(code('ERR_SHMKIT_MEMPOOL_CORRUPT'));
  });

  it('reclaimDead takes back blocks whose holder is gone, and only those', () => {
    using p = poolOf({ blockSize: 16, count: 4 });
    const meta = metaWords(p.mapping.buffer);
    const mine = p.pool.get();
    const theirs = p.pool.get();
    meta[theirs * 4 + 1] = deadPid();
    expect(p.pool.reclaimDead()).toEqual([theirs]);
    expect(p.pool.holderOf(mine)).toBe(process.pid);
    expect(p.pool.audit()).toEqual({ free: 3, out: 1 });
    // A live process whose start time differs from the recorded one reuses the pid: not the holder.
    const other = spawn('sleep', ['10']);
    try {
      const reused = p.pool.get();
      meta[reused * 4 + 1] = other.pid!;
      meta[reused * 4 + 2] = 12345;
      expect(p.pool.reclaimDead()).toEqual([reused]);
    } finally {
      other.kill('SIGKILL');
    }
  });

  it('property: any sequence of gets and puts keeps the pool consistent with a model', () => {
    fc.assert(
      fc.property(
        fc.record({
          count: fc.integer({ min: 1, max: 40 }),
          cache: fc.boolean(),
          ops: fc.array(
            fc.oneof(
              fc.record({ op: fc.constant('get' as const), handle: fc.nat(1) }),
              fc.record({ op: fc.constant('put' as const), handle: fc.nat(1), pick: fc.nat() }),
              fc.record({ op: fc.constant('getBulk' as const), handle: fc.nat(1), n: fc.integer({ min: 0, max: 10 }) }),
              fc.record({ op: fc.constant('putBulk' as const), handle: fc.nat(1), n: fc.integer({ min: 0, max: 10 }) }),
              fc.record({ op: fc.constant('badPut' as const), handle: fc.nat(1), pick: fc.nat() }),
            ),
            { maxLength: 120 },
          ),
        }),
        ({ count, cache, ops }) => {
          const cacheSize = cache ? Math.floor(count / 1.5) : 0;
          using p = poolOf({ blockSize: 8, count, cacheSize });
          const handles = [p.pool, Mempool.attach(p.mapping.buffer, 0)];
          const out = new Set<number>();
          const scratch = new Uint32Array(10);
          for (const o of ops) {
            const h = handles[o.handle]!;
            if (o.op === 'get') {
              const i = h.get();
              if (i >= 0) {
                expect(out.has(i)).toBe(false);
                out.add(i);
              } else {
                expect(h.available).toBe(0); // nothing on the ring, nothing in this handle's cache
              }
            } else if (o.op === 'put' && out.size > 0) {
              const i = [...out][o.pick % out.size]!;
              h.put(i);
              out.delete(i);
            } else if (o.op === 'getBulk') {
              if (h.getBulk(scratch, o.n) === o.n) {
                for (let k = 0; k < o.n; k++) {
                  expect(out.has(scratch[k]!)).toBe(false);
                  out.add(scratch[k]!);
                }
              }
            } else if (o.op === 'putBulk') {
              const n = Math.min(o.n, out.size);
              const some = [...out].slice(0, n);
              scratch.set(some);
              h.putBulk(scratch, n);
              for (const i of some) out.delete(i);
            } else if (o.op === 'badPut') {
              const i = o.pick % count;
              if (!out.has(i)) expect(() => h.put(i)).toThrow(/DOUBLE_PUT|never handed out|already free/);
            }
          }
          expect(p.pool.audit()).toEqual({ free: count - out.size, out: out.size });
          for (const h of handles) h.close();
          expect(Mempool.attach(p.mapping.buffer, 0).available).toBe(count - out.size);
        },
      ),
      { numRuns: 150 },
    );
  });
});
