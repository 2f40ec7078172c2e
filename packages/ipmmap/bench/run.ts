// Benchmark: locked single-field access through shmkit's ipmmap handles versus the same loops
// in Python (ctypes + mmap + fasteners, ipmmap's per-`with` work), timed in the same run.
//   pnpm --filter @shmkit/ipmmap bench            (SHMKIT_BENCH_QUICK=1 for a short run)
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DataStructMmapEditor,
  DataStructMmapManager,
  DataStructMmapReader,
  DemoMmapStructure,
} from '../src/index.js';

const quick = process.env.SHMKIT_BENCH_QUICK === '1';
const SECONDS = quick ? 0.15 : 0.5;
/** Rounds alternate shmkit and Python, so that load from other processes hits both alike. */
const ROUNDS = quick ? 1 : 5;

const root = mkdtempSync(join(tmpdir(), 'shmkit-ipmmap-bench-'));
const dirs = { mmapDir: join(root, '.mmap'), fastenerDir: join(root, '.fasteners') };
mkdirSync(dirs.mmapDir);
mkdirSync(dirs.fastenerDir);

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * ops/s of `fn` (which does `unit` operations) looped for SECONDS. Every 64 calls the event loop
 * gets a turn, as in any real program: mmap-io frees unmapped memory there.
 */
async function measure(fn: () => void | Promise<void>, unit = 1): Promise<number> {
  let n = 0;
  const start = performance.now();
  const end = start + SECONDS * 1000;
  let now = start;
  while (now < end) {
    for (let i = 0; i < 64; i++) await fn();
    n += 64;
    await turn();
    now = performance.now();
  }
  return (n * unit * 1000) / (now - start);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

using manager = new DataStructMmapManager(DemoMmapStructure, { ...dirs, create: true });
using reader = new DataStructMmapReader(DemoMmapStructure, dirs);
using editor = new DataStructMmapEditor(DemoMmapStructure, dirs);
void manager;

const INNER = 1000;
let sink = 0;

/** One round of every shmkit case. */
async function measureOurs(): Promise<Record<string, number>> {
  const r: Record<string, number> = {};
  r.read_new_handle = await measure(() => {
    using h = new DataStructMmapReader(DemoMmapStructure, dirs);
    using s = h.open();
    sink += s.readData('data_int') as number;
  });
  r.read_reused_handle = await measure(() => {
    using s = reader.open();
    sink += s.readData('data_int') as number;
  });
  r.read_async_use = await measure(async () => {
    sink += (await reader.use((s) => s.readData('data_int'))) as number;
  });
  r.write_new_handle = await measure(() => {
    using h = new DataStructMmapEditor(DemoMmapStructure, dirs);
    using s = h.open();
    s.writeData('data_int', 7);
  });
  r.write_reused_handle = await measure(() => {
    using s = editor.open();
    s.writeData('data_int', 7);
  });
  {
    using s = reader.open();
    r.read_held = await measure(() => {
      for (let i = 0; i < INNER; i++) sink += s.readData('data_int') as number;
    }, INNER);
    r.read_held_nested = await measure(() => {
      for (let i = 0; i < INNER; i++) sink += s.readData('data_xy.x') as number;
    }, INNER);
  }
  {
    using s = editor.open();
    r.write_held = await measure(() => {
      for (let i = 0; i < INNER; i++) s.writeData('data_int', i);
    }, INNER);
  }
  return r;
}

// The Python side: same struct, same loops, ipmmap's per-`with` work (a new fasteners lock
// object, open + mmap + munmap + close of the data file, readData copying the whole struct).
let pythonNote = '';
const peer = fileURLToPath(new URL('../test/python/ipmmap_peer.py', import.meta.url));
const python = ['/usr/bin/python3', 'python3'].find(
  (p) => spawnSync(p, ['-c', 'import fasteners'], { stdio: 'ignore' }).status === 0,
);
if (!python) pythonNote = 'python3 with fasteners not found (apt-get install python3-fasteners): Python column skipped';

/** One round of every Python case, in a fresh interpreter. */
function measureTheirs(): Record<string, number> | null {
  if (!python || pythonNote) return null;
  const args = ['--mmap-dir', dirs.mmapDir, '--fastener-dir', dirs.fastenerDir, 'bench', '--seconds', String(SECONDS), '--repeats', '1'];
  const r = spawnSync(python, [peer, ...args], { encoding: 'utf8', timeout: 300_000 });
  if (r.status === 0) return JSON.parse(r.stdout);
  pythonNote = `Python bench failed: ${r.stderr.trim().split('\n').pop()}`;
  return null;
}

const oursRounds: Array<Record<string, number>> = [];
const theirsRounds: Array<Record<string, number>> = [];
for (let round = 0; round < ROUNDS; round++) {
  oursRounds.push(await measureOurs());
  const t = measureTheirs();
  if (t) theirsRounds.push(t);
}
const ours: Record<string, number> = {};
for (const key of Object.keys(oursRounds[0]!)) ours[key] = median(oursRounds.map((r) => r[key]!));
const theirs: Record<string, number> | null = theirsRounds.length ? {} : null;
if (theirs) for (const key of Object.keys(theirsRounds[0]!)) theirs[key] = median(theirsRounds.map((r) => r[key]!));

const fmt = (n: number | undefined) =>
  n === undefined ? '—' : n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : n.toFixed(0);
const per = (n: number) => (n >= 1e6 ? `${(1e9 / n).toFixed(0)} ns` : `${(1e6 / n).toFixed(2)} µs`);

const rows: Array<[label: string, key: string, pyKey: string | null, goal: number | null]> = [
  ['reader scope + readData, new handle per op', 'read_new_handle', 'read_new_handle', 4],
  ['reader scope + readData, reused handle', 'read_reused_handle', 'read_reused_handle', 4],
  ['reader use() (async) + readData, reused handle', 'read_async_use', 'read_reused_handle', null],
  ['editor scope + writeData, new handle per op', 'write_new_handle', 'write_new_handle', 4],
  ['editor scope + writeData, reused handle', 'write_reused_handle', 'write_reused_handle', 4],
  ["readData('data_int') in a held scope", 'read_held', 'read_held', 10],
  ["readData('data_xy.x') in a held scope", 'read_held_nested', 'read_held_nested', 10],
  ["writeData('data_int') in a held scope", 'write_held', 'write_held', 10],
];

console.log(`ipmmap: DemoMmapStructure (688 bytes), files on ${root}; median of ${ROUNDS} rounds × ${SECONDS} s per case, shmkit and Python alternating\n`);
console.log('| case | shmkit ops/s | per op | Python ops/s | shmkit / Python | goal |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const [label, key, pyKey, goal] of rows) {
  const a = ours[key]!;
  const b = pyKey && theirs ? theirs[pyKey] : undefined;
  const ratio = b ? `${(a / b).toFixed(1)}×` : '—';
  console.log(`| ${label} | ${fmt(a)} | ${per(a)} | ${fmt(b)} | ${ratio} | ${goal ? `≥ ${goal}×` : ''} |`);
}
if (pythonNote) console.log(`\n${pythonNote}`);
if (sink === Number.MIN_SAFE_INTEGER) console.log(sink);

reader.close();
editor.close();
manager.close();
rmSync(root, { recursive: true, force: true });
