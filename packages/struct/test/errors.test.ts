/** Every misuse is a StructError with a stable code, and a rejected write changes nothing. */
import { describe, expect, test } from 'vitest';
import {
  StructError,
  type StructErrorCode,
  array,
  bits,
  bytes,
  chars,
  float32,
  float64,
  int32,
  struct,
  uint8,
  uint32,
  union,
} from '../src/index.js';

function codeOf(fn: () => unknown): StructErrorCode | 'no error' {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof StructError)) throw e;
    expect(e.message.length).toBeGreaterThan(10);
    return e.code;
  }
  return 'no error';
}

const Point = struct('Point', { x: float64, y: float64 });
const Shape = struct('Shape', {
  id: int32,
  name: chars(8),
  pts: array(Point, 3),
  raw: bytes(4),
  flags: bits(uint32, 3),
});

describe('definitions', () => {
  test.each([
    ['duplicate field', () => struct('S', [['a', int32], ['a', int32]] as const)],
    ['field name not an identifier', () => struct('S', { 'a-b': int32 })],
    ['field name a C keyword', () => struct('S', { int: int32 })],
    ['struct name not an identifier', () => struct('1S', { a: int32 })],
    ['not a type', () => struct('S', { a: 'int32' as any })],
    ['bad pack', () => struct('S', { a: int32 }, { pack: 3 as any })],
    ['bad align', () => struct('S', { a: int32 }, { align: 3 })],
    ['bad endian', () => struct('S', { a: int32 }, { endian: 'middle' as any })],
    ['unknown option', () => struct('S', { a: int32 }, { packed: true } as any)],
    ['bit width 0', () => bits(uint8, 0)],
    ['bit width too wide', () => bits(uint8, 9)],
    ['bit field of a float', () => bits(float32 as any, 3)],
    ['bit field as array element', () => array(bits(uint8, 3) as any, 2)],
    ['negative array length', () => array(int32, -1)],
    ['fractional chars length', () => chars(2.5)],
    ['extend a union', () => union('U', { a: int32 }).extend('V', { b: int32 })],
    ['extend with a clashing name', () => Point.extend('P3', { x: float64 })],
    ['extend with another byte order', () => Point.extend('P3', { z: float64 }, { endian: 'big' })],
    ['fields not a list', () => struct('S', 42 as any)],
  ])('%s', (_label, fn) => {
    expect(codeOf(fn)).toBe('ERR_SHMKIT_STRUCT_INVALID_DEFINITION');
  });
});

describe('paths and fields', () => {
  const buf = new Uint8Array(Shape.size);

  test('unknown field names and paths', () => {
    for (const fn of [
      () => Shape.get(buf, 'nope'),
      () => Shape.set(buf, 'pts.0.z', 1),
      () => Shape.offsetOf('id.x'),
      () => Shape.get(buf, 'pts.x'),
      () => Shape.get(buf, ''),
      () => Shape.write(buf, 0, { nope: 1 } as any),
      () => Shape.write(buf, 0, { pts: [{ z: 1 }] } as any),
      () => {
        (Shape.view(buf) as any).nmae = 'typo';
      },
    ]) {
      expect(codeOf(fn)).toBe('ERR_SHMKIT_STRUCT_UNKNOWN_FIELD');
    }
  });

  test('indices outside arrays', () => {
    const v = Shape.view(buf);
    for (const fn of [
      () => Shape.get(buf, 'pts.3.x'),
      () => Shape.offsetOf('pts.-1'),
      () => v.pts.get(3),
      () => v.pts.set(-1, { x: 1 }),
      () => v.pts.get(1.5),
      () => v.pts[3],
      () => {
        v.pts[7] = { x: 1, y: 2 } as any;
      },
    ]) {
      expect(codeOf(fn)).toBe('ERR_SHMKIT_STRUCT_INDEX_OUT_OF_RANGE');
    }
  });

  test('too long values', () => {
    expect(codeOf(() => Shape.write(buf, 0, { pts: [{}, {}, {}, {}] }))).toBe('ERR_SHMKIT_STRUCT_VALUE_TOO_LONG');
    expect(codeOf(() => Shape.set(buf, 'name', '123456789'))).toBe('ERR_SHMKIT_STRUCT_VALUE_TOO_LONG');
    expect(codeOf(() => Shape.set(buf, 'raw', new Uint8Array(5)))).toBe('ERR_SHMKIT_STRUCT_VALUE_TOO_LONG');
  });

  test('wrong kinds of value', () => {
    for (const fn of [
      () => Shape.write(buf, 0, 5 as any),
      () => Shape.write(buf, 0, [] as any),
      () => Shape.set(buf, 'pts', 'abc'),
      () => Shape.set(buf, 'pts.0', 3),
      () => Shape.set(buf, 'name', 42),
      () => Shape.set(buf, 'flags', 1.25),
      () => Shape.set(buf, 'raw', 'bytes'),
    ]) {
      expect(codeOf(fn)).toBe('ERR_SHMKIT_STRUCT_INVALID_VALUE');
    }
  });

  test('a rejected write() changes nothing, even when valid fields come first', () => {
    const mem = new Uint8Array(Shape.size);
    Shape.write(mem, 0, { id: 1, name: 'abc', pts: [{ x: 1 }] });
    const before = mem.slice();
    expect(codeOf(() => Shape.write(mem, 0, { id: 2, name: 'def', pts: [{ x: 2 }, { y: 'bad' as any }] }))).toBe(
      'ERR_SHMKIT_STRUCT_INVALID_VALUE',
    );
    expect(codeOf(() => Shape.write(mem, 0, { id: 3, name: 'too long for it' }))).toBe('ERR_SHMKIT_STRUCT_VALUE_TOO_LONG');
    expect(codeOf(() => (Shape.view(mem).pts[0] = { x: 5, y: 'bad' as any }))).toBe('ERR_SHMKIT_STRUCT_INVALID_VALUE');
    expect(mem).toEqual(before);
  });

  test('error messages name the field path', () => {
    let caught: StructError | undefined;
    try {
      Shape.write(buf, 0, { pts: [{}, { y: 'bad' as any }] });
    } catch (e) {
      caught = e as StructError;
    }
    expect(caught?.path).toBe('pts.1.y');
    expect(caught?.message).toContain('pts.1.y');
  });
});

describe('buffers', () => {
  test('not a buffer, too small, bad offsets', () => {
    expect(codeOf(() => Shape.read({} as any))).toBe('ERR_SHMKIT_STRUCT_OUT_OF_BOUNDS');
    expect(codeOf(() => Shape.read('abc' as any))).toBe('ERR_SHMKIT_STRUCT_OUT_OF_BOUNDS');
    expect(codeOf(() => Shape.view(new ArrayBuffer(Shape.size - 1)))).toBe('ERR_SHMKIT_STRUCT_OUT_OF_BOUNDS');
    expect(codeOf(() => Shape.read(new Uint8Array(Shape.size), 1))).toBe('ERR_SHMKIT_STRUCT_OUT_OF_BOUNDS');
    expect(codeOf(() => Shape.read(new Uint8Array(Shape.size), -1))).toBe('ERR_SHMKIT_STRUCT_OUT_OF_BOUNDS');
    expect(codeOf(() => Shape.read(new Uint8Array(Shape.size), 0.5))).toBe('ERR_SHMKIT_STRUCT_OUT_OF_BOUNDS');
    expect(codeOf(() => Shape.get(new Uint8Array(4), 'id'))).toBe('ERR_SHMKIT_STRUCT_OUT_OF_BOUNDS');
  });

  test('offsets are relative to the typed array given (Buffer slices, subarrays)', () => {
    const big = new Uint8Array(Shape.size + 16);
    const window = big.subarray(8, 8 + Shape.size);
    Shape.set(window, 'id', 77);
    expect(new DataView(big.buffer).getInt32(8, true)).toBe(77);
    expect(codeOf(() => Shape.read(window, 1))).toBe('ERR_SHMKIT_STRUCT_OUT_OF_BOUNDS');
  });

  test('a detached buffer (an unmapped region) is an error, not a crash', () => {
    const ab = new ArrayBuffer(Shape.size);
    const v = Shape.view(ab);
    Shape.read(ab);
    structuredClone(ab, { transfer: [ab] }); // detaches ab
    expect(codeOf(() => Shape.read(ab))).toBe('ERR_SHMKIT_STRUCT_OUT_OF_BOUNDS');
    expect(() => v.id).toThrow(TypeError);
  });
});
