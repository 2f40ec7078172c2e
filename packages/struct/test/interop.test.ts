/**
 * The emitters in use: a Python process loads the toCtypes() output and a C program includes the
 * toCHeader() output; each reads bytes written by TypeScript and writes bytes TypeScript reads.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findPython, hasCommand, makeTmpDir } from '@shmkit/testkit';
import { afterAll, describe, expect, test } from 'vitest';
import { bits, int16, struct, uint8, uint32 } from '../src/index.js';
import { Demo, Mixed } from './fixtures/demo.js';

const python = findPython();
const cc = hasCommand('cc');
const tmp = makeTmpDir('shmkit-struct-interop-');
afterAll(() => tmp.remove());

const Flags = struct('Flags', { kind: bits(uint8, 3), level: bits(uint32, 20), delta: bits(int16, 5), tail: uint8 });

function sampleDemo(): Uint8Array {
  const buf = new Uint8Array(Demo.size);
  Demo.write(buf, 0, {
    header: { header_code: 0x1128, time_stamp: 1234.5 },
    data_int: -7,
    data_string: 'héllo from TS',
    data_xy: { x: 0.25, y: -8 },
    multi_pts: { multi_data_int: 3, multi_points: [{ x: 1, y: 2 }, { x: 3, y: 4 }] },
  });
  return buf;
}

function sampleMixed(): Uint8Array {
  const buf = new Uint8Array(Mixed.size);
  Mixed.write(buf, 0, { b: true, c: 'Z', w: 'añ😀', l: -(2n ** 40n), f: 0.5, arr: [-1, 2, -3], u8: 250, ull: 2n ** 63n + 1n });
  return buf;
}

describe.skipIf(!python)('Python ctypes with the emitted classes', () => {
  test('reads what TypeScript wrote and writes what TypeScript reads', () => {
    const demoPath = join(tmp.path, 'demo.bin');
    const mixedPath = join(tmp.path, 'mixed.bin');
    writeFileSync(demoPath, sampleDemo());
    writeFileSync(mixedPath, sampleMixed());
    const script = `${Demo.toCtypes()}\n${Mixed.toCtypes({ imports: false })}\n${Flags.toCtypes({ imports: false })}
import json, sys
d = DemoMmapStructure.from_buffer_copy(open(sys.argv[1], 'rb').read())
m = MixedTypes.from_buffer_copy(open(sys.argv[2], 'rb').read())
print(json.dumps({
  'code': d.header.header_code, 'ts': d.header.time_stamp, 'int': d.data_int,
  'string': d.data_string.decode('utf-8'), 'xy': [d.data_xy.x, d.data_xy.y],
  'pts': [[p.x, p.y] for p in d.multi_pts.multi_points[:3]],
  'mixed': [m.b, m.c.decode('latin-1'), m.w, m.l, m.f, list(m.arr), m.u8, str(m.ull)],
}))
out = DemoMmapStructure()
out.data_int = 2**31 + 5
out.data_string = b'from python'
out.multi_pts.multi_points[23].y = 6.75
open(sys.argv[3], 'wb').write(bytes(out))
`;
    const scriptPath = join(tmp.path, 'interop.py');
    const outPath = join(tmp.path, 'from-python.bin');
    writeFileSync(scriptPath, script);
    const stdout = execFileSync(python!, [scriptPath, demoPath, mixedPath, outPath], { encoding: 'utf8', timeout: 30_000 });
    expect(JSON.parse(stdout)).toEqual({
      code: 0x1128,
      ts: 1234.5,
      int: -7,
      string: 'héllo from TS',
      xy: [0.25, -8],
      pts: [
        [1, 2],
        [3, 4],
        [0, 0],
      ],
      mixed: [true, 'Z', 'añ😀', -(2 ** 40), 0.5, [-1, 2, -3], 250, String(2n ** 63n + 1n)],
    });
    const back = Demo.read(readFileSync(outPath));
    expect(back.data_int).toBe(-(2 ** 31) + 5);
    expect(back.data_string).toBe('from python');
    expect(back.multi_pts.multi_points[23]).toEqual({ x: 0, y: 6.75 });
  });
});

describe.skipIf(!cc)('C with the emitted header', () => {
  test('reads what TypeScript wrote (bit fields included) and writes what TypeScript reads', () => {
    const demoPath = join(tmp.path, 'demo-c.bin');
    const flagsPath = join(tmp.path, 'flags.bin');
    writeFileSync(demoPath, sampleDemo());
    const flags = new Uint8Array(Flags.size);
    Flags.write(flags, 0, { kind: 5, level: 0xabcde, delta: -3, tail: 9 });
    writeFileSync(flagsPath, flags);
    const source = `${Demo.toCHeader()}\n${Flags.toCHeader()}
#include <stdio.h>
int main(int argc, char **argv) {
  DemoMmapStructure d; Flags f;
  FILE *in = fopen(argv[1], "rb"); fread(&d, sizeof d, 1, in); fclose(in);
  in = fopen(argv[2], "rb"); fread(&f, sizeof f, 1, in); fclose(in);
  printf("%d %.2f %d %s %.2f %.2f %d\\n", d.header.header_code, d.header.time_stamp, d.data_int, d.data_string,
         d.multi_pts.multi_points[1].x, d.multi_pts.multi_points[1].y, d.multi_pts.multi_data_int);
  printf("%u %u %d %u\\n", (unsigned)f.kind, (unsigned)f.level, (int)f.delta, (unsigned)f.tail);
  d.data_int = 4242; d.data_xy.y = -0.5; snprintf(d.data_string, sizeof d.data_string, "from C");
  f.level = 77; f.delta = 15;
  FILE *out = fopen(argv[3], "wb"); fwrite(&d, sizeof d, 1, out); fwrite(&f, sizeof f, 1, out); fclose(out);
  return 0;
}
`;
    const cPath = join(tmp.path, 'interop.c');
    const binary = join(tmp.path, 'interop');
    const outPath = join(tmp.path, 'from-c.bin');
    writeFileSync(cPath, source);
    execFileSync('cc', ['-std=c11', '-Wall', '-Werror', '-o', binary, cPath], { timeout: 60_000, stdio: 'pipe' });
    const stdout = execFileSync(binary, [demoPath, flagsPath, outPath], { encoding: 'utf8', timeout: 30_000 });
    expect(stdout.split('\n')).toEqual(['4392 1234.50 -7 héllo from TS 3.00 4.00 3', '5 703710 -3 9', '']);
    const out = readFileSync(outPath);
    const d = Demo.read(out);
    expect([d.data_int, d.data_xy.y, d.data_string]).toEqual([4242, -0.5, 'from C']);
    expect(Flags.read(out, Demo.size)).toEqual({ kind: 5, level: 77, delta: 15, tail: 9 });
  });
});
