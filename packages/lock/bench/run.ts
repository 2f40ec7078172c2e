// Benchmarks of @shmkit/lock. The machine is shared and noisy, so every figure is set against a
// baseline measured in the same run, and the things compared are measured interleaved (round by
// round), so that they all see the same load.
//   1. Uncontended acquire + release, one process, per kind; baselines: a bare compare-and-swap
//      spinlock in shared memory, raw proper-lockfile, and Python fasteners (when installed).
//   2. Hand-off latency between two processes: the main process holds the lock, the peer is parked
//      waiting for it, the main process releases; time from the release to the peer getting
//      through. Baselines: the same measurement with a bare futex wake, and a futex ping-pong.
// Run: pnpm --filter @shmkit/lock bench   (--quick for a short run)
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { futexWait, futexWake } from '@shmkit/sys';
import { findPython, spawnTs } from '@shmkit/testkit';
import lockfile from 'proper-lockfile';
import { FileLock, type Guard, RecordLock, ShmMutex, ShmRwLock } from '../src/index.js';
import { Child } from '../test/helpers/child.js';
import { mapSharedFile } from '../test/helpers/shared-file.js';
import {
  DONE,
  F64_LATENCY,
  F64_RELEASED_AT,
  FLAG,
  MUTEX_AT,
  ROUND,
  RWLOCK_AT,
  SIZE,
  VARIANT,
  VARIANTS,
} from './layout.js';

interface Row {
  name: string;
  median: number; // ns
  p90?: number;
  baseline?: string;
}

const quick = process.argv.includes('--quick');
// Lock files and directories on tmpfs: disk journaling would drown FileLock's figures in noise.
const work = mkdtempSync(join('/dev/shm', 'shmkit-lock-bench-'));
const shared = mapSharedFile(`/dev/shm/shmkit-lock-bench-${process.pid}`, SIZE, true);
const i32 = new Int32Array(shared.buffer);
const f64 = new Float64Array(shared.buffer);
const lockPath = join(work, 'bench.lock');
const fileLockPath = join(work, 'file-resource');
const python = findPython(['fasteners']);
const pause = new Int32Array(new SharedArrayBuffer(4));
const sleepMs = (ms: number) => Atomics.wait(pause, 0, 0, ms);
/** Busy-waits: the releasing side then runs warm, as a holder that was working does. */
function spinMs(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {}
}

function median(values: number[]): number {
  return percentile(values, 0.5);
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] as number;
}

// ---- 1. uncontended ----

interface Loop {
  name: string;
  iterations: number;
  body: (n: number) => void;
  baseline?: string;
}

/** Runs every loop `runs` times, round-robin, and reports the median ns per iteration of each. */
function measureInterleaved(loops: Loop[], runs: number): Row[] {
  const samples = loops.map(() => [] as number[]);
  for (const loop of loops) loop.body(Math.min(loop.iterations, 200)); // warm up
  for (let run = 0; run < runs; run++) {
    loops.forEach((loop, i) => {
      const start = process.hrtime.bigint();
      loop.body(loop.iterations);
      samples[i]?.push(Number(process.hrtime.bigint() - start) / loop.iterations);
    });
  }
  return loops.map((loop, i) => ({ name: loop.name, median: median(samples[i] ?? []), baseline: loop.baseline }));
}

const CAS = 'CAS spinlock in shared memory (compareExchange + store)';
const FASTENERS_WRITE = 'Python fasteners write lock, new lock object each time (as ipmmap)';
const FASTENERS_READ = 'Python fasteners read lock, new lock object each time';
const PROPER_LOCKFILE = 'proper-lockfile lockSync + release (raw)';

function uncontended(): Row[] {
  const scale = quick ? 10 : 1;
  const cas = new BigUint64Array(shared.buffer, 1024, 1);
  const mutex = ShmMutex.init(shared.buffer, MUTEX_AT);
  const rw = ShmRwLock.init(shared.buffer, RWLOCK_AT);
  const record = new RecordLock(lockPath);
  const fastLoops: Loop[] = [
    {
      name: CAS,
      iterations: 500_000 / scale,
      body: (n) => {
        for (let i = 0; i < n; i++) {
          if (Atomics.compareExchange(cas, 0, 0n, 1n) !== 0n) throw new Error('busy');
          Atomics.store(cas, 0, 0n);
        }
      },
    },
    {
      name: 'ShmMutex lock + release',
      iterations: 500_000 / scale,
      body: (n) => {
        for (let i = 0; i < n; i++) mutex.lock().release();
      },
      baseline: CAS,
    },
    {
      name: 'ShmRwLock readLock + release',
      iterations: 500_000 / scale,
      body: (n) => {
        for (let i = 0; i < n; i++) rw.readLock().release();
      },
      baseline: CAS,
    },
    {
      name: 'ShmRwLock writeLock + release',
      iterations: 500_000 / scale,
      body: (n) => {
        for (let i = 0; i < n; i++) rw.writeLock().release();
      },
      baseline: CAS,
    },
    {
      name: 'RecordLock writeLock + release',
      iterations: 20_000 / scale,
      body: (n) => {
        for (let i = 0; i < n; i++) record.writeLock().release();
      },
      baseline: python ? FASTENERS_WRITE : undefined,
    },
    {
      name: 'RecordLock readLock + release',
      iterations: 20_000 / scale,
      body: (n) => {
        for (let i = 0; i < n; i++) record.readLock().release();
      },
      baseline: python ? FASTENERS_READ : undefined,
    },
  ];
  const rows = measureInterleaved(fastLoops, quick ? 5 : 15);
  record.close();

  const rawTarget = join(work, 'raw-resource');
  const file = new FileLock(join(work, 'timed-resource'));
  const fileLoops: Loop[] = [
    {
      name: PROPER_LOCKFILE,
      iterations: 200 / scale,
      body: (n) => {
        for (let i = 0; i < n; i++) lockfile.lockSync(rawTarget, { realpath: false })();
      },
    },
    {
      name: 'FileLock lock + release',
      iterations: 200 / scale,
      body: (n) => {
        for (let i = 0; i < n; i++) file.lock().release();
      },
      baseline: PROPER_LOCKFILE,
    },
  ];
  rows.push(...measureInterleaved(fileLoops, quick ? 3 : 9));

  if (python) {
    // Python runs in its own process; it is measured between the Node runs above, not interleaved.
    const r = spawnSync(python, [join(import.meta.dirname, 'fasteners_peer.py'), 'uncontended', join(work, 'py.lock'), String(quick ? 2000 : 20_000)], {
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`fasteners_peer.py failed: ${r.stderr}`);
    const py = JSON.parse(r.stdout) as Record<string, number>;
    rows.splice(4, 0, { name: FASTENERS_WRITE, median: py.write_new_object_ns as number }, { name: FASTENERS_READ, median: py.read_new_object_ns as number });
  } else {
    console.error('no python3 with fasteners: the fasteners rows are skipped (apt-get install python3-fasteners)');
  }
  return rows;
}

// ---- 2. hand-off ----

/** 0..n-1 in random order: no variant always runs right after the same other one. */
function shuffled(n: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  return order;
}

async function handoffs(): Promise<Row[]> {
  const roundsPerVariant = quick ? 20 : 200;
  Atomics.store(i32, ROUND, 0);
  Atomics.store(i32, DONE, 0);
  Atomics.store(i32, FLAG, 0);
  const mutex = ShmMutex.init(shared.buffer, MUTEX_AT);
  const rw = ShmRwLock.init(shared.buffer, RWLOCK_AT);
  const record = new RecordLock(lockPath);
  const file = new FileLock(fileLockPath);
  const peer = new Child(
    spawnTs(join(import.meta.dirname, 'handoff-peer.ts'), [shared.path, lockPath, fileLockPath], {
      stdio: ['pipe', 'pipe', 'pipe'],
    }),
    600_000,
  );
  await peer.waitFor('ready');
  const samples = VARIANTS.map(() => [] as number[]);
  let round = 0;
  for (let repeat = 0; repeat < roundsPerVariant; repeat++) {
    for (const v of shuffled(VARIANTS.length)) {
      const variant = VARIANTS[v];
      if (!variant) continue;
      round += 1;
      let guard: Guard | null = null;
      switch (variant.kind) {
        case 'shm-mutex':
          guard = mutex.lock();
          break;
        case 'shm-rwlock':
        case 'shm-rwlock-read':
          guard = rw.writeLock();
          break;
        case 'record':
          guard = await record.writeLockAsync();
          break;
        case 'file':
          guard = await file.lockAsync();
          break;
        case 'futex':
        case 'futex-then-cas':
          break;
      }
      Atomics.store(i32, VARIANT, v);
      Atomics.store(i32, ROUND, round);
      futexWake(i32, ROUND, 1);
      spinMs(2); // the peer finds the lock taken and parks; this process stays on its CPU
      f64[F64_RELEASED_AT] = Number(process.hrtime.bigint());
      if (guard) {
        guard.release();
      } else {
        Atomics.store(i32, FLAG, round);
        futexWake(i32, FLAG, 1);
      }
      while (Atomics.load(i32, DONE) < round) futexWait(i32, DONE, Atomics.load(i32, DONE), 1000);
      samples[v]?.push(f64[F64_LATENCY] as number);
    }
  }
  Atomics.store(i32, ROUND, -1);
  futexWake(i32, ROUND, 1);
  await peer.succeeded();
  record.close();
  return VARIANTS.map((variant, v) => ({
    name: variant.name,
    median: median(samples[v] ?? []),
    p90: percentile(samples[v] ?? [], 0.9),
    baseline: variant.baseline,
  }));
}

const PING_PONG = 'futex ping-pong, half a round trip';

/** Classic ping-pong on one futex word between two processes; returns half the round trip (ns). */
async function pingPong(rounds: number): Promise<Row> {
  Atomics.store(i32, FLAG, 0);
  const peer = new Child(
    spawnTs(join(import.meta.dirname, 'ping-peer.ts'), [shared.path, String(rounds)], { stdio: ['pipe', 'pipe', 'pipe'] }),
  );
  await peer.waitFor('ready');
  const start = process.hrtime.bigint();
  for (let round = 1; round <= rounds; round++) {
    Atomics.store(i32, FLAG, 2 * round - 1);
    futexWake(i32, FLAG, 1);
    for (let seen = Atomics.load(i32, FLAG); seen !== 2 * round; seen = Atomics.load(i32, FLAG)) {
      futexWait(i32, FLAG, seen, 1000);
    }
  }
  const elapsed = Number(process.hrtime.bigint() - start);
  await peer.succeeded();
  return { name: PING_PONG, median: elapsed / rounds / 2 };
}

const PYTHON_HANDOFF = 'Python fasteners waiter (polling), RecordLock holder';

async function pythonHandoff(rounds: number): Promise<Row> {
  const py = new Child(
    spawn(python as string, ['-u', join(import.meta.dirname, 'fasteners_peer.py'), 'handoff', lockPath], {
      stdio: ['pipe', 'pipe', 'pipe'],
    }),
  );
  await py.waitFor('ready');
  const lock = new RecordLock(lockPath);
  const latencies: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const guard = lock.writeLock();
    py.send('round');
    await py.waitFor('waiting');
    sleepMs(20); // let fasteners get into its polling (its first retry sleeps 10 ms)
    const releasedAt = process.hrtime.bigint();
    guard.release();
    const line = await py.waitFor(/^got /);
    latencies.push(Number(BigInt(line.slice(4)) - releasedAt));
  }
  py.send('stop');
  await py.exited;
  lock.close();
  return { name: PYTHON_HANDOFF, median: median(latencies), p90: percentile(latencies, 0.9), baseline: VARIANTS[0]?.name };
}

// ---- report ----

function fmt(ns: number): string {
  if (ns < 1_000) return `${ns.toFixed(1)} ns`;
  if (ns < 1_000_000) return `${(ns / 1_000).toFixed(2)} µs`;
  return `${(ns / 1_000_000).toFixed(2)} ms`;
}

function versus(row: Row, rows: Row[]): string {
  if (!row.baseline) return 'baseline';
  const base = rows.find((r) => r.name === row.baseline);
  if (!base) return '';
  const ratio = row.median / base.median;
  return ratio >= 1 ? `${ratio.toFixed(2)}× ${shortName(base.name)}` : `${(1 / ratio).toFixed(1)}× faster than ${shortName(base.name)}`;
}

function shortName(name: string): string {
  if (name === CAS) return 'CAS spinlock';
  if (name === FASTENERS_WRITE) return 'fasteners write';
  if (name === FASTENERS_READ) return 'fasteners read';
  if (name === PROPER_LOCKFILE) return 'proper-lockfile';
  if (name === VARIANTS[1]?.name) return 'futexWaitAsync wake';
  if (name === VARIANTS[0]?.name) return 'futex wake';
  return name;
}

try {
  const cold = uncontended();
  const handoffRows = await handoffs();
  handoffRows.splice(2, 0, await pingPong(quick ? 500 : 5000));
  if (python) handoffRows.push(await pythonHandoff(quick ? 3 : 8));
  else console.error('no python3 with fasteners: the fasteners hand-off row is skipped');

  console.log(`node ${process.version}, ${new Date().toISOString().slice(0, 10)}; lock files and shared memory on tmpfs (/dev/shm)\n`);
  console.log('Uncontended acquire + release, one process (median of interleaved runs)\n');
  console.log('| measurement | per acquire + release | vs baseline (same run) |');
  console.log('|---|---:|---|');
  for (const row of cold) console.log(`| ${row.name} | ${fmt(row.median)} | ${versus(row, cold)} |`);

  const ping = handoffRows.find((r) => r.name === PING_PONG) as Row;
  console.log('\nHand-off: release to the parked peer getting through (two processes, unpinned, variants interleaved)\n');
  console.log('| measurement | median | p90 | vs baseline (same run) | vs ping-pong ½ RTT |');
  console.log('|---|---:|---:|---|---:|');
  for (const row of handoffRows) {
    const vsPing = row === ping ? '' : `${(row.median / ping.median).toFixed(1)}×`;
    const p90 = row.p90 === undefined ? '' : fmt(row.p90);
    console.log(`| ${row.name} | ${fmt(row.median)} | ${p90} | ${versus(row, handoffRows)} | ${vsPing} |`);
  }
} finally {
  shared.close();
  rmSync(work, { recursive: true, force: true });
}
