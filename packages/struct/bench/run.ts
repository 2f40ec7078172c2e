/**
 * @shmkit/struct benchmark. Every row is measured in this run, next to its baseline, with the
 * candidate and its baseline alternating round by round (so machine noise hits both alike):
 * - view() accessors vs a hand-written class of DataView getters/setters (goal: within 1.5x),
 *   over a plain ArrayBuffer and over a real shared mapping (@shmkit/region);
 * - get() by path and read() of the same three fields;
 * - read() of the 688-byte ipmmap demo struct (goal: >= 2 M reads/s);
 * - Python ctypes from_buffer reading the same three fields, when python3 is present.
 * Struct: { int32 a; double b; uint16 c; } (24 bytes). ns per operation: median over rounds; ratios:
 * median over rounds of candidate / baseline measured in the same round.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MapRegion } from '@shmkit/region';
import { array, chars, float64, int16, int32, struct, uint16 } from '../src/index.js';

const Three = struct('Three', { a: int32, b: float64, c: uint16 });
const Header = struct('MmapStructureHeader', { header_code: int16, time_stamp: float64 });
const Point2D = struct('Point2D', { x: float64, y: float64 });
const Demo = struct('DemoMmapStructure', {
  header: Header,
  data_int: int32,
  data_string: chars(256),
  data_xy: Point2D,
  multi_pts: struct('MultiPointsData', { multi_data_int: int32, multi_points: array(Point2D, 24) }),
});

/** The baseline: what one writes by hand for this struct (offsets 0, 8, 16). */
class HandWritten {
  constructor(private readonly dv: DataView) {}
  get a(): number {
    return this.dv.getInt32(0, true);
  }
  set a(v: number) {
    this.dv.setInt32(0, v, true);
  }
  get b(): number {
    return this.dv.getFloat64(8, true);
  }
  set b(v: number) {
    this.dv.setFloat64(8, v, true);
  }
  get c(): number {
    return this.dv.getUint16(16, true);
  }
  set c(v: number) {
    this.dv.setUint16(16, v, true);
  }
}

const SLOTS = 64; // rotate over 64 structs so nothing can be hoisted out of a loop
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const N = Number(process.env.BENCH_ITERATIONS ?? 2_000_000);
let sink = 0;

function median(xs: number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)]!;
}

type Body = (n: number) => number;

function once(body: Body, n: number): number {
  const t0 = process.hrtime.bigint();
  sink += body(n);
  return Number(process.hrtime.bigint() - t0) / n;
}

interface Measured {
  /** Median ns/op of each body. */
  ns: number[];
  /** Median over rounds of each body's time divided by the first body's time in the same round. */
  ratio: number[];
}

/** Runs the bodies in interleaved rounds; the first body is the baseline of the ratios. */
function measure(bodies: Body[], n = N): Measured {
  for (const body of bodies) once(body, Math.min(n, 200_000)); // warm up, optimise
  const samples = bodies.map(() => [] as number[]);
  for (let r = 0; r < ROUNDS; r++) {
    for (let i = 0; i < bodies.length; i++) samples[i]!.push(once(bodies[i]!, n));
  }
  return {
    ns: samples.map(median),
    ratio: samples.map((xs) => median(xs.map((x, r) => x / samples[0]![r]!))),
  };
}

type Fields = { a: number; b: number; c: number };

function readLoop(objs: Fields[]): Body {
  return (n) => {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const o = objs[i & (SLOTS - 1)]!;
      s += o.a + o.b + o.c;
    }
    return s;
  };
}

function writeLoop(objs: Fields[]): Body {
  return (n) => {
    for (let i = 0; i < n; i++) {
      const o = objs[i & (SLOTS - 1)]!;
      o.a = i;
      o.b = i * 0.5;
      o.c = i & 0xffff;
    }
    return objs[0]!.a;
  };
}

function objects(bytes: Uint8Array): { hand: Fields[]; generated: Fields[] } {
  const hand: Fields[] = [];
  const generated: Fields[] = [];
  for (let k = 0; k < SLOTS; k++) {
    hand.push(new HandWritten(new DataView(bytes.buffer, bytes.byteOffset + k * Three.size, Three.size)));
    generated.push(Three.view(bytes, k * Three.size));
  }
  return { hand, generated };
}

interface Row {
  name: string;
  ns: number;
  baseline: string;
  ratio?: number;
  note?: string;
}
const rows: Row[] = [];

function accessorRows(label: string, bytes: Uint8Array): number {
  const { hand, generated } = objects(bytes);
  const reads = measure([readLoop(hand), readLoop(generated)]);
  const writes = measure([writeLoop(hand), writeLoop(generated)]);
  rows.push({ name: `${label}: hand-written class, read a, b, c`, ns: reads.ns[0]!, baseline: '—', ratio: 1 });
  rows.push({ name: `${label}: view(), read a, b, c`, ns: reads.ns[1]!, baseline: 'hand-written read', ratio: reads.ratio[1]! });
  rows.push({ name: `${label}: hand-written class, write a, b, c`, ns: writes.ns[0]!, baseline: '—', ratio: 1 });
  rows.push({ name: `${label}: view(), write a, b, c`, ns: writes.ns[1]!, baseline: 'hand-written write', ratio: writes.ratio[1]! });
  return reads.ns[1]!;
}

const plain = new Uint8Array(Three.size * SLOTS);
const viewRead = accessorRows('ArrayBuffer', plain);

const dir = mkdtempSync(join(tmpdir(), 'shmkit-struct-bench-'));
try {
  const file = join(dir, 'bench.bin');
  writeFileSync(file, new Uint8Array(Three.size * SLOTS), { mode: 0o600 });
  const region = new MapRegion(file, 0, Three.size * SLOTS, { writable: true });
  accessorRows('shared mapping', region.buffer());
  region.release();
} finally {
  rmSync(dir, { recursive: true, force: true });
}

// Path access and detached reads of the same struct, against hand-written reads.
const { hand } = objects(plain);
const access = measure(
  [
    readLoop(hand),
    (n) => {
      let s = 0;
      for (let i = 0; i < n; i++) {
        const off = (i & (SLOTS - 1)) * Three.size;
        s += (Three.get(plain, 'a', off) as number) + (Three.get(plain, 'b', off) as number) + (Three.get(plain, 'c', off) as number);
      }
      return s;
    },
    (n) => {
      let s = 0;
      for (let i = 0; i < n; i++) {
        const o = Three.read(plain, (i & (SLOTS - 1)) * Three.size);
        s += o.a + o.b + o.c;
      }
      return s;
    },
  ],
  N / 4,
);
rows.push({ name: 'get(buffer, path) x3: a, b, c', ns: access.ns[1]!, baseline: 'hand-written read', ratio: access.ratio[1]! });
rows.push({ name: 'read(): detached { a, b, c }', ns: access.ns[2]!, baseline: 'hand-written read', ratio: access.ratio[2]! });

// The 688-byte demo struct.
const demoBuf = new Uint8Array(Demo.size);
Demo.write(demoBuf, 0, {
  header: { header_code: 0x1128, time_stamp: 1.5 },
  data_int: 5,
  data_string: 'hello from the demo',
  multi_pts: { multi_data_int: 24, multi_points: Array.from({ length: 24 }, (_, i) => ({ x: i, y: -i })) },
});
const demo = measure(
  [
    (n) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += Demo.read(demoBuf).multi_pts.multi_points.length;
      return s;
    },
  ],
  N / 20,
);
rows.push({
  name: 'read(): 688-byte ipmmap demo struct',
  ns: demo.ns[0]!,
  baseline: 'goal >= 2 M/s',
  note: `${(1e3 / demo.ns[0]!).toFixed(2)} M reads/s`,
});

// Python ctypes, the same three-field read, when python3 is present.
const pyScript = `
import ctypes, time
class Three(ctypes.Structure):
    _fields_ = [("a", ctypes.c_int32), ("b", ctypes.c_double), ("c", ctypes.c_uint16)]
buf = bytearray(ctypes.sizeof(Three) * 64)
objs = [Three.from_buffer(buf, k * ctypes.sizeof(Three)) for k in range(64)]
n = 200000
samples = []
for r in range(5):
    t0 = time.perf_counter_ns(); s = 0
    for i in range(n):
        o = objs[i & 63]
        s += o.a + o.b + o.c
    samples.append((time.perf_counter_ns() - t0) / n)
samples.sort(); print(samples[len(samples) // 2])
`;
try {
  const ns = Number(execFileSync('python3', ['-c', pyScript], { encoding: 'utf8', timeout: 120_000 }).trim());
  rows.push({ name: 'Python ctypes from_buffer: read a, b, c', ns, baseline: 'view() read', ratio: ns / viewRead });
} catch {
  rows.push({ name: 'Python ctypes from_buffer: read a, b, c', ns: Number.NaN, baseline: '—', note: 'python3 not available' });
}

const lines = ['| operation | ns/op | compared with | ratio |', '|---|---:|---|---:|'];
for (const r of rows) {
  const ns = Number.isNaN(r.ns) ? 'n/a' : r.ns.toFixed(1);
  const ratio = [r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}x`, r.note ?? ''].filter(Boolean).join(' ');
  lines.push(`| ${r.name} | ${ns} | ${r.baseline} | ${ratio} |`);
}
console.log(`Node ${process.version}; median of ${ROUNDS} interleaved rounds of ${N} operations; ratio = median of per-round ratios\n`);
console.log(lines.join('\n'));
if (sink === 0.5) console.log('');
