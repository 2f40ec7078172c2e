/** Live views: nesting, arrays, unions, odd field names, shared memory, inspection. */
import { inspect } from 'node:util';
import { describe, expect, test } from 'vitest';
import {
  array,
  bits,
  bytes,
  chars,
  float64,
  int8,
  int32,
  int64,
  struct,
  uint8,
  uint16,
  uint64,
  union,
} from '../src/index.js';

describe('views', () => {
  test('nested views are cached: the same object every time, no allocation per access', () => {
    const Inner = struct('Inner', { v: int32 });
    const Outer = struct('Outer', { inner: Inner, list: array(Inner, 3), raw: bytes(2) });
    const v = Outer.view(new ArrayBuffer(Outer.size));
    expect(v.inner).toBe(v.inner);
    expect(v.list).toBe(v.list);
    expect(v.list.get(2)).toBe(v.list.get(2));
    expect(v.raw).toBe(v.raw);
    v.list.get(2).v = 9;
    expect(v.list[2]!.v).toBe(9);
    expect([...v.list].map((x) => x.v)).toEqual([0, 0, 9]);
    expect(v.list.toArray()).toEqual([{ v: 0 }, { v: 0 }, { v: 9 }]);
  });

  test('long arrays (loop code), arrays of arrays, assignment of whole arrays', () => {
    const T = struct('T', { big: array(uint16, 1000), grid: array(array(int8, 3), 2) });
    const buf = new Uint8Array(T.size);
    const v = T.view(buf);
    v.big.set(999, 65537);
    expect(v.big.get(999)).toBe(1);
    expect(T.read(buf).big).toHaveLength(1000);
    (v as any).grid = [[1, 2, 3], [-4]];
    expect(T.read(buf).grid).toEqual([
      [1, 2, 3],
      [-4, 0, 0],
    ]);
    v.grid.get(1).set(2, 200);
    expect(v.grid.get(1).get(2)).toBe(-56);
    expect(v.big.length).toBe(1000);
  });

  test('unions: every member over the same bytes', () => {
    const U = union('U', { i: int32, f: float64, b: bytes(8), s: chars(8) });
    const buf = new Uint8Array(U.size);
    const v = U.view(buf);
    v.f = 1;
    expect([...v.b]).toEqual([0, 0, 0, 0, 0, 0, 0xf0, 0x3f]);
    v.i = 0x41424344;
    expect(v.s).toBe('DCBA');
    expect(U.size).toBe(8);
  });

  test('field names that are also Object.prototype names work as plain fields', () => {
    const PROTO = '__proto__';
    const T = struct('Odd', [
      ['constructor', int32],
      ['toString', int32],
      ['__proto__', int32],
      ['length', int32],
      ['valueOf', int32],
    ]);
    const buf = new Uint8Array(T.size);
    const v = T.view(buf) as any;
    v.constructor = 1;
    v.toString = 2;
    v[PROTO] = 3;
    v.length = 4;
    v.valueOf = 5;
    expect([v.constructor, v.toString, v[PROTO], v.length, v.valueOf]).toEqual([1, 2, 3, 4, 5]);
    const value = T.read(buf) as any;
    expect(Object.keys(value)).toEqual(['constructor', 'toString', '__proto__', 'length', 'valueOf']);
    expect(value[PROTO]).toBe(3);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    T.write(buf, 0, JSON.parse('{"__proto__": 30, "length": 40}'));
    expect([v[PROTO], v.length]).toEqual([30, 40]);
    expect(T.get(buf, '__proto__')).toBe(30);
  });

  test('views over a SharedArrayBuffer are shared with another thread of the same memory', () => {
    const T = struct('T', { a: int64, b: uint64, s: chars(6) });
    const sab = new SharedArrayBuffer(T.size);
    const one = T.view(sab);
    const two = T.view(new Uint8Array(sab));
    one.a = -5n;
    one.s = 'héé';
    expect(two.a).toBe(-5n);
    expect(two.s).toBe('héé');
    expect(T.read(sab)).toEqual({ a: -5n, b: 0n, s: 'héé' });
  });

  test('bit fields: 64-bit declared types and packed fields straddling their unit', () => {
    const T = struct('T', { a: bits(uint64, 40), b: bits(int64, 23), c: bits(uint8, 7), d: bits(int32, 30) }, { pack: 1 });
    const buf = new Uint8Array(T.size);
    const v = T.view(buf);
    v.a = 2n ** 40n - 1n;
    v.b = -1n;
    v.c = 0x7f;
    v.d = -(2 ** 29);
    expect(T.read(buf)).toEqual({ a: 2n ** 40n - 1n, b: -1n, c: 0x7f, d: -(2 ** 29) });
    v.b = 2n ** 22n; // wraps into the sign bit
    expect(v.b).toBe(-(2n ** 22n));
    expect(v.a).toBe(2n ** 40n - 1n);
    expect(T.size).toBe(13);
    expect(T.layout().map((l) => [l.path, l.offset, l.size, l.bitOffset, l.bitWidth])).toEqual([
      ['a', 0, 8, 0, 40],
      ['b', 0, 8, 40, 23], // inside its natural 8-byte unit
      ['c', 7, 2, 7, 7], // straddles its byte (pack): the smallest run of bytes holding it
      ['d', 8, 5, 6, 30],
    ]);
  });

  test('util.inspect shows the current values; a view has no own enumerable properties', () => {
    const T = struct('Shown', { a: int32, p: array(uint8, 2) });
    const v = T.view(new Uint8Array(T.size));
    v.a = 42;
    expect(inspect(v)).toContain('a: 42');
    expect(inspect(v.p)).toContain('[ 0, 0 ]');
    expect(Object.keys(v)).toEqual([]);
  });
});
