/**
 * TypeScript inference: view() and read() types come from the definition alone. These assertions
 * are checked by `tsc` (pnpm typecheck covers test/); the runtime part checks the same shapes.
 */
import { describe, expect, expectTypeOf, test } from 'vitest';
import {
  type ArrayView,
  type InputOf,
  type ValueOf,
  array,
  bits,
  bool,
  bytes,
  c_int,
  c_long,
  char,
  chars,
  float32,
  fromSchema,
  int8,
  int64,
  struct,
  uint16,
  uint64,
  union,
  wchar,
  wchars,
} from '../src/index.js';

const Point = struct('Point', { x: float32, y: float32 });
const Rec = struct('Rec', [
  ['id', c_int],
  ['big', c_long],
  ['ok', bool],
  ['c', char],
  ['w', wchar],
  ['name', chars(8)],
  ['wide', wchars(2)],
  ['raw', bytes(3)],
  ['pts', array(Point, 2)],
  ['grid', array(array(int8, 2), 2)],
  ['flags', bits(uint16, 3)],
  ['wideFlags', bits(uint64, 40)],
  ['u', union('U', { i: int64, f: float32 })],
] as const);

describe('type inference', () => {
  test('read() gives plain values', () => {
    const value = Rec.read(new Uint8Array(Rec.size));
    expectTypeOf(value.id).toEqualTypeOf<number>();
    expectTypeOf(value.big).toEqualTypeOf<bigint>();
    expectTypeOf(value.ok).toEqualTypeOf<boolean>();
    expectTypeOf(value.c).toEqualTypeOf<string>();
    expectTypeOf(value.w).toEqualTypeOf<string>();
    expectTypeOf(value.name).toEqualTypeOf<string>();
    expectTypeOf(value.wide).toEqualTypeOf<string>();
    expectTypeOf(value.raw).toEqualTypeOf<Uint8Array>();
    expectTypeOf(value.pts).toEqualTypeOf<{ x: number; y: number }[]>();
    expectTypeOf(value.grid).toEqualTypeOf<number[][]>();
    expectTypeOf(value.flags).toEqualTypeOf<number>();
    expectTypeOf(value.wideFlags).toEqualTypeOf<bigint>();
    expectTypeOf(value.u).toEqualTypeOf<{ i: bigint; f: number }>();
    expectTypeOf<ValueOf<typeof Point>>().toEqualTypeOf<{ x: number; y: number }>();
    // @ts-expect-error no such field
    value.nope;
    expect(value.pts).toHaveLength(2);
  });

  test('view() gives live objects: nested views and array views', () => {
    const v = Rec.view(new Uint8Array(Rec.size));
    expectTypeOf(v.id).toEqualTypeOf<number>();
    expectTypeOf(v.pts).toMatchTypeOf<ArrayView<{ x: number; y: number }, InputOf<typeof Point>>>();
    expectTypeOf(v.pts.get(0).x).toEqualTypeOf<number>();
    expectTypeOf(v.grid.get(1).get(0)).toEqualTypeOf<number>();
    expectTypeOf(v.u.i).toEqualTypeOf<bigint>();
    v.pts.get(1).y = 2.5;
    v.grid.get(1).set(0, 3);
    v.u.f = 1.5;
    // @ts-expect-error a string is not a number
    expect(() => (v.id = 'x')).toThrow();
    expect(v.grid.get(1).get(0)).toBe(3);
  });

  test('write() takes partial inputs with the wider input forms', () => {
    expectTypeOf<InputOf<typeof Rec>>().toMatchTypeOf<{ id?: number | bigint; big?: bigint | number }>();
    const buf = new Uint8Array(Rec.size);
    Rec.write(buf, 0, { big: 5, pts: [{ x: 1 }], raw: [1, 2], name: new Uint8Array([65]) });
    // @ts-expect-error unknown field
    expect(() => Rec.write(buf, 0, { nope: 1 })).toThrow();
    expect(Rec.read(buf).big).toBe(5n);
  });

  test('extend() and fromSchema() infer too', () => {
    const P3 = Point.extend('P3', { z: float32 });
    expectTypeOf(P3.read(new Uint8Array(P3.size))).toEqualTypeOf<{ x: number; y: number; z: number }>();
    const S = fromSchema({
      name: 'S',
      fields: [
        ['a', 'c_ulong'],
        ['s', { chars: 4 }],
        ['arr', { array: 'int16', length: 2 }],
        ['n', { name: 'N', fields: [['q', 'bool']] }],
      ],
    });
    const value = S.read(new Uint8Array(S.size));
    expectTypeOf(value).toEqualTypeOf<{ a: bigint; s: string; arr: number[]; n: { q: boolean } }>();
    expect(value).toEqual({ a: 0n, s: '', arr: [0, 0], n: { q: false } });
  });
});
