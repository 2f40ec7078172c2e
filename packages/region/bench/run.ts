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
const ROUNDS = 7;

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

interface Method {
  name: string;
  ops: number;
  pass: () => number | Promise<number>;
}

/**
 * Each method runs one untimed warm-up pass, then ROUNDS timed passes interleaved with the other
 * methods (round 1 of every method, round 2 of every method, ...), so that load from other work on
 * the machine falls on all of them alike. Reports the median ns per read.
 */
async function measureAll(methods: Method[]): Promise<{ name: string; nsPerOp: number }[]> {
  let check = 0;
  for (const m of methods) check ^= await m.pass();
  const times = methods.map(() => [] as number[]);
  for (let r = 0; r < ROUNDS; r++) {
    for (const [i, m] of methods.entries()) {
      const t0 = process.hrtime.bigint();
      check ^= await m.pass();
      times[i]!.push(Number(process.hrtime.bigint() - t0) / m.ops);
    }
  }
  if (check === -1) console.log('unreachable'); // keeps the reads observable
  return methods.map((m, i) => {
    const sorted = times[i]!.sort((x, y) => x - y);
    return { name: m.name, nsPerOp: sorted[Math.floor(sorted.length / 2)]! };
  });
}

makeFile();
const offsets = makeOffsets(OPS);
const target = Buffer.allocUnsafe(READ);
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

function cursorCopy(c: WindowCursor, ops = OPS, yieldEvery = 0): () => number | Promise<number> {
  if (yieldEvery === 0) {
    return () => {
      let x = 0;
      for (let i = 0; i < ops; i++) {
        c.useRegion(offsets[i]!, READ).buffer().copy(target);
        x ^= target[100]!;
      }
      return x;
    };
  }
  // mmap-io unmaps on a turn of the event loop: a loop that remaps must yield now and then
  return async () => {
    let x = 0;
    for (let i = 0; i < ops; i++) {
      if (i % yieldEvery === 0) await turn();
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

const fd = openSync(path, 'r');
const whole = new SlidingWindowMapManager();
const wholeCursor = whole.makeCursor(path);
const windows = new SlidingWindowMapManager({ windowSize: 64 * MiB });
const windowsCursor = windows.makeCursor(path);
// a budget of a quarter of the file: three reads in four unmap a window and map another
const remapping = new SlidingWindowMapManager({ windowSize: MiB, maxMemorySize: 256 * MiB });
const remapCursor = remapping.makeCursor(path);
const remapOps = Math.ceil(OPS / 10);
const bufferManager = new SlidingWindowMapManager({ windowSize: 64 * MiB });
const buffer = new SlidingWindowMapBuffer(bufferManager.makeCursor(path));

const rows = await measureAll([
  {
    name: 'fs.readSync into a Buffer (baseline)',
    ops: OPS,
    pass: () => {
      let x = 0;
      for (let i = 0; i < OPS; i++) {
        readSync(fd, target, 0, READ, offsets[i]!);
        x ^= target[100]!;
      }
      return x;
    },
  },
  { name: 'cursor, one 1 GiB window (default): zero-copy view', ops: OPS, pass: cursorView(wholeCursor) },
  { name: 'cursor, one 1 GiB window (default): copy 4 KiB out', ops: OPS, pass: cursorCopy(wholeCursor) },
  { name: 'cursor, 64 MiB windows: zero-copy view', ops: OPS, pass: cursorView(windowsCursor) },
  { name: 'cursor, 64 MiB windows: copy 4 KiB out', ops: OPS, pass: cursorCopy(windowsCursor) },
  {
    name: 'SlidingWindowMapBuffer.slice, 64 MiB windows: zero-copy view',
    ops: OPS,
    pass: () => {
      let x = 0;
      for (let i = 0; i < OPS; i++) {
        const o = offsets[i]!;
        x ^= buffer.slice(o, o + READ)[100]!;
      }
      return x;
    },
  },
  {
    name: 'cursor, 1 MiB windows, 256 MiB budget (3 in 4 reads remap): copy 4 KiB out',
    ops: remapOps,
    pass: cursorCopy(remapCursor, remapOps, 1024),
  },
]);
for (const x of [wholeCursor, windowsCursor, remapCursor, buffer, whole, windows, remapping, bufferManager]) {
  x[Symbol.dispose]();
}
closeSync(fd);

// Python smmap, same offsets, same file
let pythonNote = '';
let pythonNs: number | null = null;
let pythonViewNs = 0;
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
def copy_pass():
    x = 0
    for o in offs:
        b = bytes(c.use_region(o, 4096).buffer())
        x ^= b[100]
    return x
def view_pass():
    x = 0
    for o in offs:
        x ^= c.use_region(o, 4096).buffer()[100]
    return x
copy_pass(); view_pass()
copy_times, view_times = [], []
for _ in range(rounds):
    for f, times in ((view_pass, view_times), (copy_pass, copy_times)):
        t0 = time.perf_counter_ns(); f(); times.append((time.perf_counter_ns() - t0) / len(offs))
view_times.sort(); copy_times.sort()
print(view_times[len(view_times) // 2], copy_times[len(copy_times) // 2], smmap.__version__)
`;
  const r = spawnSync(python, ['-c', script, path, offsetsFile, String(ROUNDS)], { encoding: 'utf8', timeout: 300_000 });
  if (r.status === 0) {
    const [viewNs, copyNs, version] = r.stdout.trim().split(' ');
    pythonNs = Number(copyNs);
    pythonViewNs = Number(viewNs);
    pythonNote = `Python smmap ${version} (${python}), ${PY_OPS} reads per pass, timed in its own process`;
    rows.push({ name: `python smmap ${version}: use_region + buffer()[100] (zero-copy)`, nsPerOp: pythonViewNs });
    rows.push({ name: `python smmap ${version}: use_region + bytes() copy`, nsPerOp: pythonNs });
  } else {
    pythonNote = `python smmap run failed: ${r.stderr.trim().split('\n').pop()}`;
  }
}

rmSync(dir, { recursive: true, force: true });

const base = rows[0]!.nsPerOp;
const view = rows.find((r) => r.name.startsWith('cursor, one 1 GiB window (default): zero-copy'))!.nsPerOp;
const ours = rows.find((r) => r.name.startsWith('cursor, one 1 GiB window (default): copy'))!.nsPerOp;
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
  console.log(
    `@shmkit/region vs Python smmap, same reads: zero-copy ${(pythonViewNs / view).toFixed(1)}x faster, copying ${(pythonNs / ours).toFixed(1)}x faster`,
  );
}
const ratio = base / view;
console.log(
  `goal >= 5x faster than fs.readSync (zero-copy cursor reads, cached pages): ${ratio >= 5 ? 'met' : 'NOT met'} (${ratio.toFixed(2)}x; copying out: ${(base / ours).toFixed(2)}x)`,
);
