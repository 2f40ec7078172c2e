import { readFileSync } from 'node:fs';
import { fromSchema } from '@shmkit/struct';
import { describe, expect, it } from 'vitest';
import { DEMO_SCHEMA, DemoMmapStructure, describeStruct, HEADER_SCHEMA, MmapStructureHeader, SAMPLE_SCHEMA } from '../src/index.js';
import { MixedMmapStructure, SampleMmapStructure } from './fixtures/structs.js';
import { ipmmapDirs } from './helpers.js';
import { peerJson, python, SKIP_REASON } from './peer.js';

const reference = JSON.parse(readFileSync(new URL('./fixtures/demo-layout.json', import.meta.url), 'utf8')) as {
  size: number;
  align: number;
  leaves: Array<{ path: string; offset: number; size: number; type: string }>;
};

describe('layout', () => {
  it("the demo struct's layout equals the reference's offset table (688 bytes)", () => {
    expect(DemoMmapStructure.size).toBe(688);
    expect(DemoMmapStructure.align).toBe(reference.align);
    const ours = DemoMmapStructure.layout().map(({ path, offset, size, type }) => ({ path, offset, size, type }));
    expect(ours).toEqual(reference.leaves);
  });

  it('the header is 16 bytes: int16 at 0, float64 at 8', () => {
    expect(MmapStructureHeader.size).toBe(16);
    expect(MmapStructureHeader.offsetOf('time_stamp')).toBe(8);
  });

  it('the schemas as data describe the same structs as the definitions', () => {
    expect(fromSchema(DEMO_SCHEMA as any).toSchema()).toEqual(DemoMmapStructure.toSchema());
    expect(fromSchema(SAMPLE_SCHEMA as any).toSchema()).toEqual(SampleMmapStructure.toSchema());
    expect(fromSchema(HEADER_SCHEMA as any).toSchema()).toEqual(MmapStructureHeader.toSchema());
  });

  it('the reference\'s other layouts hold: Sample 296 bytes, mixed types 72 bytes', () => {
    expect(SampleMmapStructure.size).toBe(296);
    expect(['header', 'test_data_int_32', 'test_data_double', 'test_data_string_256', 'test_point_2d'].map((f) => SampleMmapStructure.offsetOf(f))).toEqual([0, 16, 20, 24, 280]);
    expect(MixedMmapStructure.size).toBe(72);
    expect(['header', 'b', 'c', 'w', 'l', 'f', 'arr', 'u8', 'ull'].map((f) => MixedMmapStructure.offsetOf(f))).toEqual([
      0, 16, 17, 20, 40, 48, 52, 58, 64,
    ]);
  });

  it.skipIf(!python)('equals Python ctypes, leaf by leaf, for every test struct', () => {
    using dirs = ipmmapDirs();
    for (const type of [DemoMmapStructure, SampleMmapStructure, MixedMmapStructure]) {
      const py = peerJson<{ size: number; align: number; leaves: Array<{ path: string; offset: number; size: number }> }>(
        { ...dirs, struct: type.name },
        ['layout'],
      );
      expect(type.size).toBe(py.size);
      expect(type.align).toBe(py.align);
      expect(type.layout().map(({ path, offset, size }) => ({ path, offset, size }))).toEqual(py.leaves);
    }
  });
  if (!python) it.skip(SKIP_REASON, () => {});

  it('describe() prints every field with offsets, padding and folded arrays', () => {
    const text = describeStruct(DemoMmapStructure, 'DemoMmapStructure');
    expect(text.split('\n')).toEqual([
      'DemoMmapStructure: 688 bytes, alignment 8',
      ' offset   size  type          field',
      '      0      2  int16         header.header_code',
      '      2      6  (padding)',
      '      8      8  float64       header.time_stamp',
      '     16      4  int32         data_int',
      '     20    256  chars[256]    data_string',
      '    276      4  (padding)',
      '    280      8  float64       data_xy.x',
      '    288      8  float64       data_xy.y',
      '    296      4  int32         multi_pts.multi_data_int',
      '    300      4  (padding)',
      '    304      8  float64       multi_pts.multi_points[i].x  ×24, stride 16',
      '    312      8  float64       multi_pts.multi_points[i].y  ×24, stride 16',
    ]);
  });
});
