// Benchmarks of @shmkit/sys. Every figure is set against a baseline measured in the same run, so
// the ratios stay meaningful on a loaded machine. Run: pnpm --filter @shmkit/sys bench
import type { ChildProcess } from 'node:child_process';
import { closeSync, fstatSync, ftruncateSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { lineReader, spawnTs } from '@shmkit/testkit';
import {
  fcntlLock,
  futexWait,
  futexWaitAsync,
  futexWake,
  MAP_SHARED,
  mmap,
  munmap,
  PROT_READ,
  PROT_WRITE,
} from '../src/index.js';

interface Row {
  name: string;
  ops: number;
  ns: number;
  baseline?: string;
}
const rows: Row[] = [];

function time(name: string, ops: number, fn: () => void, baseline?: string): void {
  const start = process.hrtime.bigint();
  fn();
  rows.push({ name, ops, ns: Number(process.hrtime.bigint() - start) / ops, baseline });
}

async function timeAsync(name: string, ops: number, fn: () => Promise<void>, baseline?: string): Promise<void> {
  const start = process.hrtime.bigint();
  await fn();
  rows.push({ name, ops, ns: Number(process.hrtime.bigint() - start) / ops, baseline });
}

const path = join('/dev/shm', `shmkit-sys-bench-${process.pid}`);
const fd = openSync(path, 'wx+', 0o600);
ftruncateSync(fd, 4096);
const buffer = mmap(fd, 0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED);
const words = new Int32Array(buffer);

function peer(mode: 'futex' | 'pipe', rounds: number): { proc: ChildProcess; ready: Promise<string>; exited: Promise<number | null> } {
  const proc = spawnTs(join(import.meta.dirname, 'peer.ts'), [mode, path, String(rounds)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const out = lineReader(proc);
  return { proc, ready: out.next('ready'), exited: out.exited };
}

try {
  // 1. Cost of one call with nobody waiting, against Atomics.notify (in-process, no syscall).
  const local = new Int32Array(new SharedArrayBuffer(4));
  const calls = 300_000;
  time('Atomics.notify, no waiter (baseline)', calls, () => {
    for (let i = 0; i < calls; i++) Atomics.notify(local, 0, 1);
  });
  time('futexWake, no waiter', calls, () => {
    for (let i = 0; i < calls; i++) futexWake(words, 0, 1);
  }, 'Atomics.notify, no waiter (baseline)');
  time('futexWait, value differs (not-equal)', calls, () => {
    for (let i = 0; i < calls; i++) futexWait(words, 0, 12345);
  }, 'Atomics.notify, no waiter (baseline)');

  // 2. Uncontended record lock + unlock, against one fstat (a cheap syscall through Node).
  const lockPairs = 100_000;
  time('fs.fstatSync (baseline)', lockPairs, () => {
    for (let i = 0; i < lockPairs; i++) fstatSync(fd);
  });
  time('fcntlLock OFD write + unlock', lockPairs, () => {
    for (let i = 0; i < lockPairs; i++) {
      fcntlLock(fd, { type: 'write', ofd: true });
      fcntlLock(fd, { type: 'unlock', ofd: true });
    }
  }, 'fs.fstatSync (baseline)');

  // 3. Round trips between two processes: pipe echo (baseline) versus futex ping-pong.
  const pipeRounds = 3_000;
  {
    const { proc, ready, exited } = peer('pipe', pipeRounds);
    await ready;
    const stdout = proc.stdout!;
    const one = Buffer.from([1]);
    await timeAsync('pipe round trip, 1 byte (baseline)', pipeRounds, async () => {
      for (let i = 0; i < pipeRounds; i++) {
        const echoed = new Promise((resolve) => stdout.once('data', resolve));
        proc.stdin!.write(one);
        await echoed;
      }
    });
    proc.stdin!.end();
    await exited;
  }

  const futexRounds = 20_000;
  {
    Atomics.store(words, 0, 0);
    const { ready, exited } = peer('futex', futexRounds);
    await ready;
    time('futex ping-pong round trip (sync waits)', futexRounds, () => {
      for (let i = 0; i < futexRounds; i++) {
        const ping = 2 * i + 1;
        Atomics.store(words, 0, ping);
        futexWake(words, 0, 1);
        let seen: number;
        while ((seen = Atomics.load(words, 0)) !== ping + 1) futexWait(words, 0, seen);
      }
    }, 'pipe round trip, 1 byte (baseline)');
    await exited;
  }

  const asyncRounds = 3_000;
  {
    Atomics.store(words, 0, 0);
    const { ready, exited } = peer('futex', asyncRounds);
    await ready;
    await timeAsync('futex ping-pong round trip (futexWaitAsync here)', asyncRounds, async () => {
      for (let i = 0; i < asyncRounds; i++) {
        const ping = 2 * i + 1;
        Atomics.store(words, 0, ping);
        futexWake(words, 0, 1);
        let seen: number;
        while ((seen = Atomics.load(words, 0)) !== ping + 1) await futexWaitAsync(words, 0, seen).promise;
      }
    }, 'pipe round trip, 1 byte (baseline)');
    await exited;
  }
} finally {
  munmap(buffer);
  closeSync(fd);
  rmSync(path, { force: true });
}

const byName = new Map(rows.map((r) => [r.name, r]));
const fmt = (ns: number) => (ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : ns >= 1e3 ? `${(ns / 1e3).toFixed(2)} µs` : `${ns.toFixed(0)} ns`);
console.log(`\n@shmkit/sys benchmark (Node ${process.version}, ${process.platform} ${process.arch})\n`);
console.log('| case | ops | time per op | ops/s | vs baseline |');
console.log('|---|---:|---:|---:|---|');
for (const r of rows) {
  const base = r.baseline ? byName.get(r.baseline) : undefined;
  const ratio = base ? `${(base.ns / r.ns).toFixed(2)}x the speed of ${r.baseline!.replace(' (baseline)', '')}` : 'baseline';
  console.log(`| ${r.name} | ${r.ops} | ${fmt(r.ns)} | ${Math.round(1e9 / r.ns).toLocaleString('en-US')} | ${ratio} |`);
}
