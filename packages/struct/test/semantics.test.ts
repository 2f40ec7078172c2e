/** ctypes read / write semantics at byte level (reference section 5), case by case. */
import { describe, expect, test } from 'vitest';
import {
  StructError,
  bool,
  bytes,
  char,
  chars,
  float32,
  int8,
  int32,
  int64,
  struct,
  uint8,
  uint32,
  uint64,
  wchar,
  wchars,
} from '../src/index.js';

const All = struct('All', {
  i8: int8,
  u8: uint8,
  i32: int32,
  u32: uint32,
  i64: int64,
  u64: uint64,
  f32: float32,
  b: bool,
  c: char,
  w: wchar,
  s: chars(8),
  raw: bytes(4),
  ws: wchars(3),
});

function fresh() {
  const buf = new Uint8Array(All.size);
  return { buf, v: All.view(buf) };
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(StructError);
    return (e as StructError).code;
  }
  return undefined;
}

describe('integers wrap modulo 2^bits, exactly as ctypes', () => {
  test('through views, write() and set()', () => {
    const { buf, v } = fresh();
    v.i32 = 2 ** 31;
    expect(v.i32).toBe(-2147483648);
    v.u8 = 300;
    expect(v.u8).toBe(44);
    v.u8 = -1;
    expect(v.u8).toBe(255);
    v.u64 = 2n ** 64n + 5n;
    expect(v.u64).toBe(5n);
    v.i64 = 2n ** 63n;
    expect(v.i64).toBe(-(2n ** 63n));
    All.write(buf, 0, { i8: 200, u32: -1 });
    expect([v.i8, v.u32]).toEqual([-56, 4294967295]);
    All.set(buf, 'i32', 2n ** 32n + 7n);
    expect(All.get(buf, 'i32')).toBe(7);
    (v as any).u64 = 42; // a safe integer is fine for 64-bit fields
    expect(v.u64).toBe(42n);
  });

  test('a float, NaN, an unsafe integer or a string into an integer field is an error', () => {
    const { buf, v } = fresh();
    v.i32 = 5;
    expect(codeOf(() => (v.i32 = 1.5))).toBe('ERR_SHMKIT_STRUCT_INVALID_VALUE');
    expect(codeOf(() => (v.i32 = Number.NaN))).toBe('ERR_SHMKIT_STRUCT_INVALID_VALUE');
    expect(codeOf(() => ((v as any).i32 = '5'))).toBe('ERR_SHMKIT_STRUCT_INVALID_VALUE');
    expect(codeOf(() => ((v as any).u64 = 2 ** 53 + 2))).toBe('ERR_SHMKIT_STRUCT_INVALID_VALUE');
    expect(codeOf(() => ((v as any).i64 = 0.5))).toBe('ERR_SHMKIT_STRUCT_INVALID_VALUE');
    expect(codeOf(() => All.set(buf, 'u8', {}))).toBe('ERR_SHMKIT_STRUCT_INVALID_VALUE');
    expect(codeOf(() => All.write(buf, 0, { i32: null as any }))).toBe('ERR_SHMKIT_STRUCT_INVALID_VALUE');
    expect(codeOf(() => ((v as any).f32 = '1'))).toBe('ERR_SHMKIT_STRUCT_INVALID_VALUE');
    expect(v.i32).toBe(5);
  });
});

describe('bool, float32, char, wchar', () => {
  test('bool stores 0/1 from truthiness and reads any non-zero byte as true', () => {
    const { buf, v } = fresh();
    const at = All.offsetOf('b');
    v.b = 5 as any;
    expect(buf[at]).toBe(1);
    v.b = false;
    expect(buf[at]).toBe(0);
    buf[at] = 0x7f;
    expect(v.b).toBe(true);
    expect(codeOf(() => ((v as any).b = 'yes'))).toBe('ERR_SHMKIT_STRUCT_INVALID_VALUE');
  });

  test('float32 rounds to single precision', () => {
    const { v } = fresh();
    v.f32 = 0.1;
    expect(v.f32).toBe(0.10000000149011612);
  });

  test('char is one byte seen as a one-character string', () => {
    const { buf, v } = fresh();
    v.c = 'A';
    expect(buf[All.offsetOf('c')]).toBe(0x41);
    buf[All.offsetOf('c')] = 0xe9;
    expect(v.c).toBe('\u00e9');
    v.c = 0 as any;
    expect(v.c).toBe('\0');
    expect(codeOf(() => (v.c = 'AB'))).toBe('ERR_SHMKIT_STRUCT_INVALID_VALUE');
    expect(codeOf(() => (v.c = '\u0100'))).toBe('ERR_SHMKIT_STRUCT_INVALID_VALUE');
  });

  test('wchar is one UTF-32 code point; an invalid unit in memory reads as U+FFFD', () => {
    const { buf, v } = fresh();
    v.w = '😀';
    expect(new DataView(buf.buffer).getUint32(All.offsetOf('w'), true)).toBe(0x1f600);
    expect(v.w).toBe('😀');
    new DataView(buf.buffer).setUint32(All.offsetOf('w'), 0x110000, true);
    expect(v.w).toBe('\ufffd');
    expect(codeOf(() => (v.w = 'ab'))).toBe('ERR_SHMKIT_STRUCT_INVALID_VALUE');
  });
});

describe('chars(n): ctypes c_char * n', () => {
  const at = All.offsetOf('s');

  test('a shorter value writes its bytes and ONE NUL; the rest keeps its old bytes', () => {
    const { buf, v } = fresh();
    buf.fill(0x41, at, at + 8);
    v.s = 'hi';
    expect([...buf.subarray(at, at + 8)]).toEqual([0x68, 0x69, 0, 0x41, 0x41, 0x41, 0x41, 0x41]);
    expect(v.s).toBe('hi');
  });

  test('a value of exactly n bytes has no terminator and reads back whole', () => {
    const { buf, v } = fresh();
    buf[at + 8] = 0x5a; // the next field's first byte must survive
    v.s = 'abcdefgh';
    expect(v.s).toBe('abcdefgh');
    expect(buf[at + 8]).toBe(0x5a);
  });

  test('a longer value (in UTF-8 bytes) is rejected and changes nothing', () => {
    const { buf, v } = fresh();
    v.s = 'keep';
    const before = buf.slice();
    const err = (() => {
      try {
        v.s = 'abcdefghi';
      } catch (e) {
        return e as StructError;
      }
    })();
    expect(err?.code).toBe('ERR_SHMKIT_STRUCT_VALUE_TOO_LONG');
    expect(err?.message).toMatch(/too long \(9, maximum length 8\)/);
    expect(codeOf(() => (v.s = 'ééééé'))).toBe('ERR_SHMKIT_STRUCT_VALUE_TOO_LONG'); // 10 bytes
    expect(buf).toEqual(before);
  });

  test('multibyte UTF-8 round-trips; bytes cut mid-sequence read as U+FFFD, never throw', () => {
    const { buf, v } = fresh();
    v.s = 'né€';
    expect(v.s).toBe('né€');
    buf.set([0x61, 0xe2, 0x82], at); // 'a' + first two bytes of '€'
    buf[at + 3] = 0;
    expect(v.s).toBe('a\ufffd');
    buf.fill(0xff, at, at + 8);
    expect(v.s).toBe('\ufffd'.repeat(8));
  });

  test('Uint8Array values are written as raw bytes with the same NUL rule', () => {
    const { buf, v } = fresh();
    buf.fill(0x41, at, at + 8);
    (v as any).s = new Uint8Array([0x31, 0x32]);
    expect([...buf.subarray(at, at + 4)]).toEqual([0x31, 0x32, 0, 0x41]);
  });
});

describe('bytes(n) and wchars(n)', () => {
  test('bytes fields are live Uint8Arrays in views and copies in read()', () => {
    const { buf, v } = fresh();
    v.raw[1] = 7;
    expect(buf[All.offsetOf('raw') + 1]).toBe(7);
    const copy = All.read(buf).raw;
    copy[1] = 9;
    expect(v.raw[1]).toBe(7);
    v.raw[3] = 4;
    (v as any).raw = [1, 2];
    expect([...v.raw]).toEqual([1, 2, 0, 4]);
    expect(codeOf(() => (v.raw = new Uint8Array(5)))).toBe('ERR_SHMKIT_STRUCT_VALUE_TOO_LONG');
    expect(codeOf(() => ((v as any).raw = [1.5]))).toBe('ERR_SHMKIT_STRUCT_INVALID_VALUE');
  });

  test('wchars follow the chars rules in UTF-32', () => {
    const { buf, v } = fresh();
    v.ws = 'x😀z';
    expect(v.ws).toBe('x😀z');
    v.ws = 'a';
    const dv = new DataView(buf.buffer);
    const at = All.offsetOf('ws');
    expect([dv.getUint32(at, true), dv.getUint32(at + 4, true), dv.getUint32(at + 8, true)]).toEqual([0x61, 0, 0x7a]);
    expect(v.ws).toBe('a');
    expect(codeOf(() => (v.ws = 'abcd'))).toBe('ERR_SHMKIT_STRUCT_VALUE_TOO_LONG');
  });
});
