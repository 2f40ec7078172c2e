// Benchmarks of @shmkit/shm: full lifecycles (create + attach + detach + remove) and attach alone,
// for POSIX and System V, set against fs.openSync + mmap-io on a /dev/shm file measured in the
// same run. Run: pnpm --filter @shmkit/shm bench
import { closeSync, ftruncateSync, openSync, unlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { IPC_PRIVATE, PosixSharedMemory, SysvSharedMemory } from '../src/index.js';

// mmap-io is CommonJS; the patched copy of this workspace adds an explicit unmap (not in its types).
interface MmapIo {
  map(size: number, protection: number, flags: number, fd: number): Buffer;
  unmap(buffer: Buffer): void;
  PROT_READ: number;
  PROT_WRITE: number;
  MAP_SHARED: number;
}
const mmapIo = createRequire(import.meta.url)('mmap-io') as MmapIo;
const unmap = mmapIo.unmap;

interface Row {
  name: string;
  ops: number;
  ns: number;
  baseline?: string;
}
const rows: Row[] = [];
const SIZE = 64 * 1024;
const prefix = `/shmkit-shm-bench-${process.pid}`;

const turn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Runs `fn` in batches of 100 with an event-loop turn between batches, so that finalisers queued
 * by released buffers run as they would in a real program, for every case alike.
 */
async function time(name: string, ops: number, fn: (i: number) => void, baseline?: string): Promise<void> {
  for (let i = 0; i < Math.min(200, ops); i++) fn(ops + i); // warm up
  await turn();
  const start = process.hrtime.bigint();
  for (let i = 0; i < ops; i++) {
    fn(i);
    if (i % 100 === 99) await turn();
  }
  rows.push({ name, ops, ns: Number(process.hrtime.bigint() - start) / ops, baseline });
}

const cycles = 3_000;
const BASE_CYCLE = 'openSync + ftruncate + mmap-io map/unmap + unlink (baseline)';
await time(BASE_CYCLE, cycles, (i) => {
  const path = `/dev/shm${prefix}-base-${i}`;
  const fd = openSync(path, 'wx+', 0o600);
  ftruncateSync(fd, SIZE);
  const buffer = mmapIo.map(SIZE, mmapIo.PROT_READ | mmapIo.PROT_WRITE, mmapIo.MAP_SHARED, fd);
  closeSync(fd);
  buffer[0] = 1;
  unmap(buffer);
  unlinkSync(path);
});
await time('POSIX create + attach + close (volatile: unlinks)', cycles, (i) => {
  const mem = PosixSharedMemory.create(`${prefix}-p-${i}`, SIZE);
  mem.buffer[0] = 1;
  mem.close();
}, BASE_CYCLE);
await time('System V create + attach + close (volatile: removed at attach)', cycles, () => {
  const mem = SysvSharedMemory.create(IPC_PRIVATE, SIZE);
  mem.buffer[0] = 1;
  mem.close();
}, BASE_CYCLE);

const attaches = 10_000;
const BASE_ATTACH = 'openSync + mmap-io map/unmap + close (baseline)';
const basePath = `/dev/shm${prefix}-attach`;
const baseFd = openSync(basePath, 'wx+', 0o600);
ftruncateSync(baseFd, SIZE);
closeSync(baseFd);
const posix = PosixSharedMemory.create(`${prefix}-attach-posix`, SIZE);
const sysv = SysvSharedMemory.create(IPC_PRIVATE, SIZE);
try {
  await time(BASE_ATTACH, attaches, () => {
    const fd = openSync(basePath, 'r+');
    const buffer = mmapIo.map(SIZE, mmapIo.PROT_READ | mmapIo.PROT_WRITE, mmapIo.MAP_SHARED, fd);
    closeSync(fd);
    buffer[0] = 1;
    unmap(buffer);
  });
  await time('POSIX open + close', attaches, () => {
    const mem = PosixSharedMemory.open(posix.name);
    mem.buffer[0] = 1;
    mem.close();
  }, BASE_ATTACH);
  await time('System V open by id + close', attaches, () => {
    const mem = SysvSharedMemory.open(sysv.id);
    mem.buffer[0] = 1;
    mem.close();
  }, BASE_ATTACH);
} finally {
  unlinkSync(basePath);
  posix.close();
  sysv.close();
}

const byName = new Map(rows.map((r) => [r.name, r]));
const fmt = (ns: number) => (ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : `${(ns / 1e3).toFixed(2)} µs`);
console.log(`\n@shmkit/shm benchmark, ${SIZE / 1024} KiB segments (Node ${process.version}, ${process.platform} ${process.arch})\n`);
console.log('| case | ops | time per op | ops/s | vs baseline |');
console.log('|---|---:|---:|---:|---|');
for (const r of rows) {
  const base = r.baseline ? byName.get(r.baseline) : undefined;
  const ratio = base ? `${(base.ns / r.ns).toFixed(2)}x the speed of the baseline` : 'baseline';
  console.log(`| ${r.name} | ${r.ops} | ${fmt(r.ns)} | ${Math.round(1e9 / r.ns).toLocaleString('en-US')} | ${ratio} |`);
}
