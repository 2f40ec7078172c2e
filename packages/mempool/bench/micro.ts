// Single-process costs, run in a fresh process: get()+put() of one block with and without the
// per-process cache, against a private JavaScript free list (an array stack: no sharing, no
// checks) and the shared free ring alone (mpmc enqueue + dequeue). Prints ns per pair as JSON.
import { MAP_SHARED, mmap, PROT_READ, PROT_WRITE } from '@shmkit/sys';
import { openSync, closeSync, ftruncateSync, unlinkSync } from 'node:fs';
import { Ring } from '@shmkit/ring';
import { Mempool } from '../src/index.js';

const ITERATIONS = 4_000_000;
const REPEATS = 5;

function mapped(bytes: number): ArrayBuffer {
  const path = `/dev/shm/shmkit-mempool-bench-${process.pid}-${Math.random().toString(36).slice(2)}`;
  const fd = openSync(path, 'wx+', 0o600);
  try {
    ftruncateSync(fd, bytes);
    return mmap(fd, 0, bytes, PROT_READ | PROT_WRITE, MAP_SHARED);
  } finally {
    closeSync(fd);
    unlinkSync(path);
  }
}

/** Best of REPEATS runs of `body(ITERATIONS)`, in ns per iteration. */
function best(body: (n: number) => number): number {
  let min = Number.POSITIVE_INFINITY;
  let sink = 0;
  for (let r = 0; r < REPEATS; r++) {
    const t = process.hrtime.bigint();
    sink += body(ITERATIONS);
    const ns = Number(process.hrtime.bigint() - t) / ITERATIONS;
    if (ns < min) min = ns;
  }
  if (sink === -1) console.error(sink);
  return min;
}

function poolLoop(cacheSize: number): number {
  const options = { blockSize: 256, count: 4096, cacheSize };
  const pool = Mempool.create(mapped(Mempool.sizeFor(options)), 0, options);
  return best((n) => {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const index = pool.get();
      sum += index;
      pool.put(index);
    }
    return sum;
  });
}

const cached = poolLoop(32);
const uncached = poolLoop(0);

const stack: number[] = Array.from({ length: 4096 }, (_, i) => i);
const jsArray = best((n) => {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const index = stack.pop()!;
    sum += index;
    stack.push(index);
  }
  return sum;
});

const ringOptions = { capacity: 4096, elementSize: 4, mode: 'mpmc' as const };
const ring = Ring.create(mapped(Ring.sizeFor(ringOptions)), 0, ringOptions);
for (let i = 0; i < 4096; i++) ring.enqueue(i);
const ringOnly = best((n) => {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const index = ring.dequeue()!;
    sum += index;
    ring.enqueue(index);
  }
  return sum;
});

console.log(JSON.stringify({ cached, uncached, jsArray, ringOnly }));
