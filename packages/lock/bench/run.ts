// Benchmarks of @shmkit/lock. Every figure is set against a baseline measured in the same run (the
// machine is shared and noisy: only same-run ratios mean anything).
//   1. Uncontended acquire + release, one process, per kind; baselines: a bare compare-and-swap
//      spinlock in shared memory, raw proper-lockfile, and Python fasteners (when installed).
//   2. Hand-off latency between two processes: the main process holds the lock, the peer is
//      parked waiting for it, the main process releases; time from release to the peer getting
//      through. Baseline: the same measurement with a bare futex wake (and a futex ping-pong).
// Run: pnpm --filter @shmkit/lock bench
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { futexWait, futexWake } from '@shmkit/sys';
import { findPython, spawnTs } from '@shmkit/testkit';
import lockfile from 'proper-lockfile';
import { FileLock, type Guard, RecordLock, ShmMutex, ShmRwLock } from '../src/index.js';
import { Child } from '../test/helpers/child.js';
import { mapSharedFile } from '../test/helpers/shared-file.js';
import { DONE, F64_LATENCY, F64_RELEASED_AT, FLAG, type HandoffKind, MUTEX_AT, ROUND, RWLOCK_AT, SIZE } from './layout.js';

interface Row {
  section: string;
  name: string;
  value: number; // ns (median)
  p90?: number;
  baseline?: string;
  note?: string;
}
const rows: Row[] = [];
const quick = process.argv.includes('--quick');

const work = mkdtempSync(join(tmpdir(), 'shmkit-lock-bench-'));
const shared = mapSharedFile(`/dev/shm/shmkit-lock-bench-${process.pid}`, SIZE, true);
const i32 = new Int32Array(shared.buffer);
const f64 = new Float64Array(shared.buffer);
const lockPath = join(work, 'bench.lock');
const python = findPython(['fasteners']);
const pause = new Int32Array(new SharedArrayBuffer(4));
const sleepMs = (ms: number) => Atomics.wait(pause, 0, 0, ms);

/** Median over `runs` runs of ns per iteration of `body`. */
function perOp(iterations: number, body: (n: number) => void, runs = 5): number {
  const samples: number[] = [];
  body(Math.min(iterations, 1000)); // warm up
  for (let r = 0; r < runs; r++) {
    const start = process.hrtime.bigint();
    body(iterations);
    samples.push(Number(process.hrtime.bigint() - start) / iterations);
  }
  return median(samples);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1] as number;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] as number;
}

function uncontended(): void {
  const section = 'uncontended acquire + release (one process)';
  const scale = quick ? 10 : 1;
  const mutexIters = 1_000_000 / scale;
  const cas = new BigUint64Array(shared.buffer, 1024, 1);
  rows.push({
    section,
    name: 'CAS spinlock in shared memory (compareExchange + store)',
    value: perOp(mutexIters, (n) => {
      for (let i = 0; i < n; i++) {
        if (Atomics.compareExchange(cas, 0, 0n, 1n) !== 0n) throw new Error('busy');
        Atomics.store(cas, 0, 0n);
      }
    }),
    note: 'baseline',
  });
  const mutex = ShmMutex.init(shared.buffer, MUTEX_AT);
  rows.push({
    section,
    name: 'ShmMutex lock + release',
    value: perOp(mutexIters, (n) => {
      for (let i = 0; i < n; i++) mutex.lock().release();
    }),
    baseline: 'CAS spinlock in shared memory (compareExchange + store)',
  });
  const rw = ShmRwLock.init(shared.buffer, RWLOCK_AT);
  rows.push({
    section,
    name: 'ShmRwLock readLock + release',
    value: perOp(mutexIters, (n) => {
      for (let i = 0; i < n; i++) rw.readLock().release();
    }),
    baseline: 'CAS spinlock in shared memory (compareExchange + store)',
  });
  rows.push({
    section,
    name: 'ShmRwLock writeLock + release',
    value: perOp(mutexIters, (n) => {
      for (let i = 0; i < n; i++) rw.writeLock().release();
    }),
    baseline: 'CAS spinlock in shared memory (compareExchange + store)',
  });

  let fasteners: Record<string, number> | null = null;
  if (python) {
    const n = quick ? 2000 : 20_000;
    const out = runPython(['uncontended', join(work, 'py.lock'), String(n)]);
    fasteners = JSON.parse(out);
    rows.push({
      section,
      name: 'Python fasteners write lock, new lock object each time (as ipmmap)',
      value: fasteners?.write_new_object_ns as number,
      note: 'baseline',
    });
    rows.push({
      section,
      name: 'Python fasteners read lock, reused lock object',
      value: fasteners?.read_reused_ns as number,
      note: 'baseline',
    });
  } else {
    console.error('python3 with fasteners not found: the fasteners rows are skipped');
  }
  const fastenersBase = fasteners ? 'Python fasteners write lock, new lock object each time (as ipmmap)' : undefined;
  const record = new RecordLock(lockPath);
  const recordIters = 100_000 / scale;
  rows.push({
    section,
    name: 'RecordLock writeLock + release',
    value: perOp(recordIters, (n) => {
      for (let i = 0; i < n; i++) record.writeLock().release();
    }),
    baseline: fastenersBase,
  });
  rows.push({
    section,
    name: 'RecordLock readLock + release',
    value: perOp(recordIters, (n) => {
      for (let i = 0; i < n; i++) record.readLock().release();
    }),
    baseline: fasteners ? 'Python fasteners read lock, reused lock object' : undefined,
  });
  record.close();

  const fileIters = 2000 / scale;
  const rawTarget = join(work, 'raw-resource');
  rows.push({
    section,
    name: 'proper-lockfile lockSync + release (raw)',
    value: perOp(
      fileIters,
      (n) => {
        for (let i = 0; i < n; i++) lockfile.lockSync(rawTarget, { realpath: false })();
      },
      3,
    ),
    note: 'baseline',
  });
  const file = new FileLock(join(work, 'file-resource'));
  rows.push({
    section,
    name: 'FileLock lock + release',
    value: perOp(
      fileIters,
      (n) => {
        for (let i = 0; i < n; i++) file.lock().release();
      },
      3,
    ),
    baseline: 'proper-lockfile lockSync + release (raw)',
  });
}

function runPython(args: string[]): string {
  const r = spawnSync(python as string, [join(import.meta.dirname, 'fasteners_peer.py'), ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`fasteners_peer.py ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/** Starts one of the peer scripts of this directory in a child process. */
function startPeer(script: string, args: string[]): Child {
  return new Child(spawnTs(join(import.meta.dirname, script), args, { stdio: ['pipe', 'pipe', 'pipe'] }));
}

/** Main side of one hand-off series: hold, let the peer park, release, wait for the peer to get through. */
async function handoff(kind: HandoffKind, mode: 'sync' | 'async', rounds: number): Promise<number[]> {
  Atomics.store(i32, ROUND, 0);
  Atomics.store(i32, DONE, 0);
  Atomics.store(i32, FLAG, 0);
  ShmMutex.init(shared.buffer, MUTEX_AT);
  ShmRwLock.init(shared.buffer, RWLOCK_AT);
  const lock =
    kind === 'shm-mutex'
      ? ShmMutex.at(shared.buffer, MUTEX_AT)
      : kind === 'shm-rwlock' || kind === 'shm-rwlock-read'
        ? ShmRwLock.at(shared.buffer, RWLOCK_AT)
        : kind === 'record'
          ? new RecordLock(lockPath)
          : kind === 'file'
            ? new FileLock(join(work, 'handoff-resource'))
            : null;
  const peer = startPeer('handoff-peer.ts', [kind, mode, shared.path, lockPath, String(rounds)]);
  await peer.waitFor('ready');
  const latencies: number[] = [];
  for (let round = 1; round <= rounds; round++) {
    let guard: Guard | null = null;
    if (lock) guard = await lock.lockAsync();
    Atomics.store(i32, ROUND, round);
    futexWake(i32, ROUND, 1);
    sleepMs(2); // the peer finds the lock taken and parks
    f64[F64_RELEASED_AT] = Number(process.hrtime.bigint());
    if (guard) {
      guard.release();
    } else {
      Atomics.store(i32, FLAG, round);
      futexWake(i32, FLAG, 1);
    }
    while (Atomics.load(i32, DONE) < round) futexWait(i32, DONE, round - 1, 1000);
    latencies.push(f64[F64_LATENCY] as number);
  }
  await peer.succeeded();
  if (lock instanceof RecordLock) lock.close();
  return latencies;
}

/** Classic ping-pong on one futex word between two processes; returns half the round trip (ns). */
async function pingPong(rounds: number): Promise<number> {
  Atomics.store(i32, FLAG, 0);
  const peer = startPeer('ping-peer.ts', [shared.path, String(rounds)]);
  await peer.waitFor('ready');
  const start = process.hrtime.bigint();
  for (let round = 1; round <= rounds; round++) {
    Atomics.store(i32, FLAG, 2 * round - 1);
    futexWake(i32, FLAG, 1);
    while (Atomics.load(i32, FLAG) !== 2 * round) futexWait(i32, FLAG, 2 * round - 1, 1000);
  }
  const elapsed = Number(process.hrtime.bigint() - start);
  await peer.succeeded();
  return elapsed / rounds / 2;
}

async function pythonHandoff(rounds: number): Promise<number[]> {
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
    sleepMs(20); // fasteners' first retry sleeps 10 ms: let it get into its polling
    const releasedAt = process.hrtime.bigint();
    guard.release();
    const line = await py.waitFor(/^got /);
    latencies.push(Number(BigInt(line.slice(4)) - releasedAt));
  }
  py.send('stop');
  await py.exited;
  lock.close();
  return latencies;
}

async function handoffs(): Promise<void> {
  const section = 'hand-off: release to the parked peer getting through (two processes, unpinned)';
  const rounds = quick ? 30 : 300;
  const futexName = 'futex wake of a parked waiter (sync)';
  const futexAsyncName = 'futex wake of a parked waiter (futexWaitAsync)';
  const add = (name: string, values: number[], baseline?: string, note?: string) =>
    rows.push({ section, name, value: median(values), p90: percentile(values, 0.9), baseline, note });
  add(futexName, await handoff('futex', 'sync', rounds), undefined, 'baseline');
  add(futexAsyncName, await handoff('futex', 'async', rounds), undefined, 'baseline');
  rows.push({ section, name: PING_PONG, value: await pingPong(quick ? 500 : 5000), note: 'baseline' });
  add('ShmMutex, sync waiter', await handoff('shm-mutex', 'sync', rounds), futexName);
  add('ShmMutex, async waiter', await handoff('shm-mutex', 'async', rounds), futexAsyncName);
  add('ShmRwLock writer, sync waiter', await handoff('shm-rwlock', 'sync', rounds), futexName);
  add('ShmRwLock reader, sync waiter', await handoff('shm-rwlock-read', 'sync', rounds), futexName);
  add('RecordLock, sync waiter (F_OFD_SETLKW)', await handoff('record', 'sync', rounds), futexName);
  add('RecordLock, async waiter (polling thread)', await handoff('record', 'async', rounds), futexAsyncName);
  add('FileLock, async waiter (polling)', await handoff('file', 'async', quick ? 10 : 50), futexAsyncName);
  if (python) add('Python fasteners waiter (polling)', await pythonHandoff(quick ? 3 : 8), futexName);
}

const PING_PONG = 'futex ping-pong, half a round trip';

function fmt(ns: number): string {
  if (ns < 1_000) return `${ns.toFixed(1)} ns`;
  if (ns < 1_000_000) return `${(ns / 1_000).toFixed(2)} µs`;
  return `${(ns / 1_000_000).toFixed(2)} ms`;
}

function ratio(row: Row): string {
  if (!row.baseline) return '';
  const base = rows.find((r) => r.name === row.baseline);
  if (!base) return '';
  const r = row.value / base.value;
  return r >= 1 ? `${r.toFixed(2)}× ${shortName(base.name)}` : `${(1 / r).toFixed(1)}× faster than ${shortName(base.name)}`;
}

function shortName(name: string): string {
  if (name.startsWith('CAS')) return 'CAS spinlock';
  if (name.startsWith('Python fasteners write')) return 'fasteners (new object)';
  if (name.startsWith('Python fasteners read')) return 'fasteners read (reused)';
  if (name.startsWith('proper-lockfile')) return 'proper-lockfile';
  if (name.includes('futexWaitAsync')) return 'futexWaitAsync wake';
  if (name.startsWith('futex wake')) return 'futex wake';
  return name;
}

try {
  uncontended();
  await handoffs();
  let section = '';
  console.log(`node ${process.version}, ${new Date().toISOString().slice(0, 10)}, lock files in ${work}`);
  const pingPong = rows.find((r) => r.name === PING_PONG);
  for (const row of rows) {
    const handoffRow = row.section.startsWith('hand-off');
    if (row.section !== section) {
      section = row.section;
      console.log(`\n${section}\n`);
      if (handoffRow) {
        console.log('| measurement | median | p90 | vs baseline (same run) | vs ping-pong ½ RTT |');
        console.log('|---|---:|---:|---|---:|');
      } else {
        console.log('| measurement | per acquire + release | vs baseline (same run) |');
        console.log('|---|---:|---|');
      }
    }
    if (handoffRow) {
      const vsPing = pingPong && row !== pingPong ? `${(row.value / pingPong.value).toFixed(2)}×` : '';
      const p90 = row.p90 === undefined ? '' : fmt(row.p90);
      console.log(`| ${row.name} | ${fmt(row.value)} | ${p90} | ${ratio(row) || row.note || ''} | ${vsPing} |`);
    } else {
      console.log(`| ${row.name} | ${fmt(row.value)} | ${ratio(row) || row.note || ''} |`);
    }
  }
} finally {
  shared.close();
  rmSync(work, { recursive: true, force: true });
}
