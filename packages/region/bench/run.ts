// Random 4 KiB reads over a 1 GiB file (sparse, a quarter of it filled with data, page cache warm):
// through sliding-window cursors versus fs.readSync of the same ranges, measured in the same run,
// plus Python's smmap on the same offsets when Debian's python3-smmap is installed.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findPython } from '@shmkit/testkit';
import { MAPPING_BACKEND, SlidingWindowMapBuffer, SlidingWindowMapManager, type WindowCursor } from '../src/index.js';

const MiB = 1024 * 1024;
const FILE_SIZE = 1024 * MiB;
const READ = 4096;
const OPS = Number(process.env.BENCH_OPS ?? 300_000);
const PY_OPS = Math.min(OPS, 200_000);
const ROUNDS = 3;

const dir = mkdtempSync(join(tmpdir(), 'shmkit-region-bench-'));
const path = join(dir, 'data.bin');

function makeFile(): void {
  writeFileSync(path, '');
  truncateSync(path, FILE_SIZE);
  const fd = openSync(path, 'r+');
  const chunk = Buffer.allocUnsafe(MiB);
  for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 7 + 3) % 251;
  // fill one MiB in every four: 256 MiB of data, the rest stays a hole
  for (let ofs = 0; ofs < FILE_SIZE; ofs += 4 * MiB) {
    chunk[0] = (ofs / MiB) & 0xff;
    writeSync(fd, chunk, 0, chunk.length, ofs);
  }
  // warm the page cache with one sequential pass
  for (let ofs = 0; ofs < FILE_SIZE; ofs += MiB) readSync(fd, chunk, 0, MiB, ofs);
  closeSync(fd);
}

function makeOffsets(n: number): Float64Array {
  let a = 0x9e3779b9;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const r = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    out[i] = Math.floor(r * (FILE_SIZE - READ));
  }
  return out;
}

/** Median ns per op over ROUNDS timed passes, after one untimed warm-up pass. */
async function measure(
  pass: () => number | Promise<number>,
  ops: number = OPS,
): Promise<{ nsPerOp: number; check: number }> {
  let check = await pass();
  const times: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = process.hrtime.bigint();
    check ^= await pass();
    times.push(Number(process.hrtime.bigint() - t0) / ops);
  }
  times.sort((x, y) => x - y);
  return { nsPerOp: times[Math.floor(ROUNDS / 2)]!, check };
}

makeFile();
const offsets = makeOffsets(OPS);
const target = Buffer.allocUnsafe(READ);
const rows: { name: string; nsPerOp: number }[] = [];
const progress = (r: { name: string; nsPerOp: number }) => process.stderr.write(`  ${r.name}: ${r.nsPerOp.toFixed(0)} ns\n`);
const push = rows.push.bind(rows);
rows.push = (...items) => {
  items.forEach(progress);
  return push(...items);
};

// baseline: a read(2) per access
{
  const fd = openSync(path, 'r');
  const { nsPerOp } = await measure(() => {
    let x = 0;
    for (let i = 0; i < OPS; i++) {
      readSync(fd, target, 0, READ, offsets[i]!);
      x ^= target[100]!;
    }
    return x;
  });
  closeSync(fd);
  rows.push({ name: 'fs.readSync into a Buffer (baseline)', nsPerOp });
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

function cursorCopy(c: WindowCursor): () => number {
  return () => {
    let x = 0;
    for (let i = 0; i < OPS; i++) {
      c.useRegion(offsets[i]!, READ).buffer().copy(target);
      x ^= target[100]!;
    }
    return x;
  };
}

/** Same as cursorCopy, yielding to the event loop every 1024 reads (mmap-io unmaps on a turn of the loop). */
function cursorCopyYielding(c: WindowCursor, ops: number): () => Promise<number> {
  return async () => {
    let x = 0;
    for (let i = 0; i < ops; i++) {
      if ((i & 1023) === 0) await turn();
      c.useRegion(offsets[i]!, READ).buffer().copy(target);
      x ^= target[100]!;
    }
    return x;
  };
}

function cursorView(c: WindowCursor): () => number {
  return () => {
    let x = 0;
    for (let i = 0; i < OPS; i++) x ^= c.useRegion(offsets[i]!, READ).buffer()[100]!;
    return x;
  };
}

const configs: [string, ConstructorParameters<typeof SlidingWindowMapManager>[0]][] = [
  ['default 1 GiB window', {}],
  ['64 MiB windows', { windowSize: 64 * MiB }],
];
for (const [label, options] of configs) {
  using man = new SlidingWindowMapManager(options);
  using c = man.makeCursor(path);
  rows.push({ name: `cursor, ${label}: copy 4 KiB out`, nsPerOp: (await measure(cursorCopy(c))).nsPerOp });
  rows.push({ name: `cursor, ${label}: zero-copy view`, nsPerOp: (await measure(cursorView(c))).nsPerOp });
}
{
  // a budget of a quarter of the file: most reads unmap a window and map another
  using man = new SlidingWindowMapManager({ windowSize: MiB, maxMemorySize: 256 * MiB });
  using c = man.makeCursor(path);
  const ops = Math.ceil(OPS / 10); // most reads remap: far slower, so fewer reads
  const { nsPerOp } = await measure(cursorCopyYielding(c, ops), ops);
  rows.push({ name: 'cursor, 1 MiB windows, 256 MiB budget (3 in 4 reads remap): copy 4 KiB out', nsPerOp });
}
{
  using man = new SlidingWindowMapManager({ windowSize: 64 * MiB });
  using buf = new SlidingWindowMapBuffer(man.makeCursor(path));
  const { nsPerOp } = await measure(() => {
    let x = 0;
    for (let i = 0; i < OPS; i++) {
      const o = offsets[i]!;
      x ^= buf.slice(o, o + READ)[100]!;
    }
    return x;
  });
  rows.push({ name: 'SlidingWindowMapBuffer.slice, 64 MiB windows', nsPerOp });
}

// Python smmap, same offsets, same file
let pythonNote = '';
let pythonNs: number | null = null;
const python = findPython(['smmap']);
if (python === null) {
  pythonNote = 'python3-smmap not installed: Python comparison skipped (Debian: apt-get install python3-smmap)';
} else {
  const offsetsFile = join(dir, 'offsets.bin');
  writeFileSync(offsetsFile, Buffer.from(BigUint64Array.from(offsets.subarray(0, PY_OPS), (o) => BigInt(o)).buffer));
  const script = `
import sys, time, array, smmap
path, offs_path, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
offs = array.array('Q'); offs.frombytes(open(offs_path, 'rb').read())
man = smmap.SlidingWindowMapManager()
c = man.make_cursor(path)
def one_pass():
    x = 0
    for o in offs:
        b = bytes(c.use_region(o, 4096).buffer())
        x ^= b[100]
    return x
one_pass()
times = []
for _ in range(rounds):
    t0 = time.perf_counter_ns(); one_pass(); times.append((time.perf_counter_ns() - t0) / len(offs))
times.sort()
print(times[len(times) // 2], smmap.__version__)
`;
  const r = spawnSync(python, ['-c', script, path, offsetsFile, String(ROUNDS)], { encoding: 'utf8', timeout: 300_000 });
  if (r.status === 0) {
    const [ns, version] = r.stdout.trim().split(' ');
    pythonNs = Number(ns);
    pythonNote = `Python smmap ${version} (${python}), ${PY_OPS} reads per pass`;
    rows.push({ name: `python smmap ${version}: use_region + bytes() copy`, nsPerOp: pythonNs });
  } else {
    pythonNote = `python smmap run failed: ${r.stderr.trim().split('\n').pop()}`;
  }
}

rmSync(dir, { recursive: true, force: true });

const base = rows[0]!.nsPerOp;
const ours = rows.find((r) => r.name.startsWith('cursor, default 1 GiB window: copy'))!.nsPerOp;
console.log(
  `\n@shmkit/region bench — backend ${MAPPING_BACKEND}, Node ${process.version}, ${OPS} random ${READ}-byte reads over a 1 GiB file (page cache warm), median of ${ROUNDS}\n`,
);
console.log('| access | ns/read | reads/s | speed-up vs fs.readSync |');
console.log('|---|---:|---:|---:|');
for (const r of rows) {
  console.log(
    `| ${r.name} | ${r.nsPerOp.toFixed(0)} | ${Math.round(1e9 / r.nsPerOp).toLocaleString('en-US')} | ${(base / r.nsPerOp).toFixed(2)}x |`,
  );
}
console.log(`\n${pythonNote}`);
if (pythonNs !== null) {
  console.log(`@shmkit/region cursor (copy) vs Python smmap (copy): ${(pythonNs / ours).toFixed(1)}x faster`);
}
const ratio = base / ours;
console.log(`goal >= 5x faster than fs.readSync: ${ratio >= 5 ? 'met' : 'NOT met'} (${ratio.toFixed(2)}x)`);
