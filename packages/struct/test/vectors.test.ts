/** The verified layouts of the ipmmap compatibility reference, section 4, as fixed vectors. */
import { describe, expect, test } from 'vitest';
import { Demo, Header, Mixed, MultiPointsData, PackedOne, Point2D, Sample } from './fixtures/demo.js';

describe('reference layouts', () => {
  test('MmapStructureHeader: 16 bytes, alignment 8, time_stamp at 8', () => {
    expect([Header.size, Header.align, Header.offsetOf('time_stamp')]).toEqual([16, 8, 8]);
  });

  test('DemoMmapStructure: 688 bytes, every offset of section 4.4', () => {
    expect(Demo.size).toBe(688);
    expect(Demo.align).toBe(8);
    expect(Point2D.size).toBe(16);
    expect(MultiPointsData.size).toBe(392);
    const offsets = Object.fromEntries(Demo.layout().map((l) => [l.path, [l.offset, l.size, l.type]]));
    expect(offsets['header.header_code']).toEqual([0, 2, 'int16']);
    expect(offsets['header.time_stamp']).toEqual([8, 8, 'float64']);
    expect(offsets.data_int).toEqual([16, 4, 'int32']);
    expect(offsets.data_string).toEqual([20, 256, 'chars']);
    expect(offsets['data_xy.x']).toEqual([280, 8, 'float64']);
    expect(offsets['data_xy.y']).toEqual([288, 8, 'float64']);
    expect(offsets['multi_pts.multi_data_int']).toEqual([296, 4, 'int32']);
    for (let i = 0; i < 24; i++) {
      expect(offsets[`multi_pts.multi_points.${i}.x`]).toEqual([304 + 16 * i, 8, 'float64']);
      expect(offsets[`multi_pts.multi_points.${i}.y`]).toEqual([312 + 16 * i, 8, 'float64']);
    }
    expect(Demo.layout()).toHaveLength(2 + 1 + 1 + 2 + 1 + 48);
    expect(Demo.offsetOf('multi_pts.multi_points')).toBe(304);
    expect(Demo.offsetOf('multi_pts.multi_points.23')).toBe(304 + 16 * 23);
  });

  test('SampleMmapStructure: offsets 0, 16, 20, 24, 280; 296 bytes', () => {
    const names = ['header', 'test_data_int_32', 'test_data_double', 'test_data_string_256', 'test_point_2d'];
    expect(names.map((n) => Sample.offsetOf(n))).toEqual([0, 16, 20, 24, 280]);
    expect(Sample.size).toBe(296);
  });

  test('mixed types: offsets 0, 16, 17, 20 (16 bytes), 40, 48, 52, 58, 64; 72 bytes', () => {
    const names = ['header', 'b', 'c', 'w', 'l', 'f', 'arr', 'u8', 'ull'];
    expect(names.map((n) => Mixed.offsetOf(n))).toEqual([0, 16, 17, 20, 40, 48, 52, 58, 64]);
    expect(Mixed.layout().find((l) => l.path === 'w')).toEqual({ path: 'w', offset: 20, size: 16, type: 'wchars' });
    expect(Mixed.size).toBe(72);
  });

  test('_pack_ = 1: the int8 at 16, the double at 17, size 25 (the header keeps its padding)', () => {
    expect([PackedOne.offsetOf('i8'), PackedOne.offsetOf('d'), PackedOne.size, PackedOne.align]).toEqual([16, 17, 25, 1]);
    expect(PackedOne.offsetOf('header.time_stamp')).toBe(8);
  });

  test('the header as Python leaves it: 28 11 at offset 0, padding zero, float64 at 8', () => {
    const buf = new Uint8Array(Demo.size);
    const v = Demo.view(buf);
    v.header.header_code = 0x1128;
    v.header.time_stamp = 1795460610.97;
    expect([...buf.subarray(0, 8)]).toEqual([0x28, 0x11, 0, 0, 0, 0, 0, 0]);
    expect(new DataView(buf.buffer).getFloat64(8, true)).toBe(1795460610.97);
  });
});
