/**
 * Round-trip properties: random values written through a view, write() or set() read back the
 * same through a view, read() and get(), for every scalar (with ctypes wrap-around of out-of-range
 * integers), chars / wchars / bytes edge cases, and random nested struct types with bit fields,
 * pack and both byte orders.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  type FieldType,
  type ScalarType,
  bool,
  bytes,
  char,
  chars,
  float32,
  float64,
  int8,
  int16,
  int32,
  int64,
  struct,
  uint8,
  uint16,
  uint32,
  uint64,
  wchar,
  wchars,
} from '../src/index.js';
import { makeStructType } from './support/corpus.js';
import { at, charsReadBack, inputArb, readBack, structArb, utf8Length } from './support/values.js';

const RUNS = { numRuns: 200 };
const SCALARS: ScalarType[] = [int8, uint8, int16, uint16, int32, uint32, int64, uint64, float32, float64, bool, char, wchar];

describe('scalars', () => {
  for (const scalar of SCALARS) {
    for (const endian of ['little', 'big'] as const) {
      test(`${scalar.name} (${endian}-endian): view, write, set, read, get agree and wrap like ctypes`, () => {
        const T = struct('Holder', { pad: uint8, x: scalar, tail: uint8 }, { endian });
        fc.assert(
          fc.property(inputArb(scalar), inputArb(scalar), fc.nat(7), (a, b, offset) => {
            const buf = new Uint8Array(T.size + 8);
            const v = T.view(buf, offset) as any;
            v.x = a;
            expect(v.x).toEqual(readBack(scalar, a));
            expect(T.get(buf, 'x', offset)).toEqual(readBack(scalar, a));
            T.write(buf, offset, { x: b } as any);
            expect((T.read(buf, offset) as any).x).toEqual(readBack(scalar, b));
            T.set(buf, 'x', a, offset);
            expect(v.x).toEqual(readBack(scalar, a));
            expect([v.pad, v.tail]).toEqual([0, 0]); // neighbours untouched
          }),
          RUNS,
        );
      });
    }
  }
});

describe('chars / wchars / bytes', () => {
  test('chars(n): any string up to n UTF-8 bytes reads back (up to its first NUL); the rest is kept', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 24 }),
        fc.string({ unit: 'binary', maxLength: 30 }),
        fc.uint8Array({ minLength: 24, maxLength: 24 }),
        (n, s, before) => {
          const T = struct('C', { s: chars(n) });
          const buf = before.slice(0, n);
          const v = T.view(buf);
          const length = utf8Length(s);
          if (length > n) {
            expect(() => (v.s = s)).toThrow(expect.objectContaining({ code: 'ERR_SHMKIT_STRUCT_VALUE_TOO_LONG' }));
            expect(buf).toEqual(before.slice(0, n));
            return;
          }
          v.s = s;
          expect(v.s).toBe(charsReadBack(s));
          expect(T.read(buf).s).toBe(charsReadBack(s));
          expect(T.get(buf, 's')).toBe(charsReadBack(s));
          if (length < n) {
            expect(buf[length]).toBe(0);
            expect(buf.subarray(length + 1)).toEqual(before.subarray(length + 1, n));
          }
        },
      ),
      RUNS,
    );
  });

  test('chars edge cases: exact length, empty, embedded NUL, multibyte cut at the boundary', () => {
    const T = struct('C', { s: chars(4), next: uint8 });
    const buf = new Uint8Array(T.size).fill(0x41);
    const v = T.view(buf);
    v.s = 'wxyz';
    expect(v.s).toBe('wxyz');
    expect(v.next).toBe(0x41);
    v.s = '';
    expect(v.s).toBe('');
    expect([...buf.subarray(0, 4)]).toEqual([0, 0x78, 0x79, 0x7a]);
    v.s = 'a\0b';
    expect(v.s).toBe('a');
    expect([...buf.subarray(0, 4)]).toEqual([0x61, 0, 0x62, 0]);
    expect(() => (v.s = 'ab€')).toThrow(expect.objectContaining({ code: 'ERR_SHMKIT_STRUCT_VALUE_TOO_LONG' }));
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }), (s) => {
        // Whatever bytes sit in the field, reading never throws and matches a lenient decoder.
        const raw = new TextEncoder().encode(s).subarray(0, 4);
        buf.fill(0, 0, 4);
        buf.set(raw);
        const expected = new TextDecoder().decode(raw).split('\0')[0];
        expect(v.s).toBe(expected);
      }),
      RUNS,
    );
  });

  test('wchars(n) and bytes(n) round-trip', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.context(), (n, ctx) => {
        const T = struct('W', { w: wchars(n), b: bytes(n) }, { endian: n % 2 ? 'big' : 'little' });
        const buf = new Uint8Array(T.size);
        const v = T.view(buf);
        const [w, b] = fc.sample(fc.tuple(inputArb(T.fields.w as FieldType), inputArb(T.fields.b as FieldType)), {
          numRuns: 1,
          seed: n,
        })[0] as [string, Uint8Array];
        ctx.log(JSON.stringify(w));
        v.w = w;
        v.b = b;
        expect(T.read(buf)).toEqual({ w: readBack(T.fields.w as FieldType, w), b });
      }),
      { numRuns: 50 },
    );
  });
});

describe('random struct types', () => {
  const typed = fc
    .tuple(fc.integer({ min: 1, max: 1_000_000 }), fc.boolean())
    .map(([seed, withBits]) => makeStructType(seed, withBits))
    .chain((T) => structArb(T).map((value) => ({ T, value })));

  test('write() then read(), get() and the view give back the value, leaf by leaf', () => {
    fc.assert(
      fc.property(typed, fc.nat(16), ({ T, value }, offset) => {
        const buf = new Uint8Array(offset + T.size);
        T.write(buf, offset, value as any);
        const expected = readBack(T, value);
        expect(T.read(buf, offset)).toEqual(expected);
        const view = T.view(buf, offset);
        for (const leaf of T.layout()) {
          expect(T.get(buf, leaf.path, offset)).toEqual(at(expected, leaf.path));
          expect(at(view, leaf.path)).toEqual(at(expected, leaf.path));
        }
      }),
      { numRuns: 120 },
    );
  });

  test('writing through the view leaf by leaf produces the same bytes as write()', () => {
    fc.assert(
      fc.property(typed, ({ T, value }) => {
        const viaWrite = new Uint8Array(T.size);
        T.write(viaWrite, 0, value as any);
        const viaSet = new Uint8Array(T.size);
        const expected = readBack(T, value);
        for (const leaf of T.layout()) T.set(viaSet, leaf.path, at(value, leaf.path));
        expect(T.read(viaSet)).toEqual(expected);
        // Same bytes except unused bytes of chars/wchars fields after their terminator.
        const spare = new Set<number>();
        for (const leaf of T.layout()) {
          if (leaf.type !== 'chars' && leaf.type !== 'wchars') continue;
          for (let i = 0; i < leaf.size; i++) spare.add(leaf.offset + i);
        }
        for (let i = 0; i < T.size; i++) if (!spare.has(i)) expect(viaSet[i], `byte ${i}`).toBe(viaWrite[i]);
      }),
      { numRuns: 80 },
    );
  });
});
