/** fast-check arbitraries of valid input values for any type, and what reading them back gives. */
import fc from 'fast-check';
import type { AnyStructType, FieldType } from '../../src/index.js';

const SIGNED = new Set(['int8', 'int16', 'int32', 'int64']);
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function utf8Length(s: string): number {
  return encoder.encode(s).length;
}

/** What a chars field reads after writing `s`: UTF-8 round trip (lone surrogates become U+FFFD), up to the first NUL. */
export function charsReadBack(s: string): string {
  const text = decoder.decode(encoder.encode(s));
  const nul = text.indexOf('\0');
  return nul < 0 ? text : text.slice(0, nul);
}

function wrapInteger(name: string, bitsWide: number, v: number | bigint): number | bigint {
  const big = SIGNED.has(name) ? BigInt.asIntN(bitsWide, BigInt(v)) : BigInt.asUintN(bitsWide, BigInt(v));
  return name.endsWith('64') ? big : Number(big);
}

function integerInput(name: string): fc.Arbitrary<number | bigint> {
  const bigs = fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n });
  if (name.endsWith('64')) return fc.oneof(bigs, fc.maxSafeInteger());
  return fc.oneof(fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), fc.integer(), bigs);
}

export function inputArb(type: FieldType): fc.Arbitrary<unknown> {
  switch (type.kind) {
    case 'bits':
      return integerInput(type.storage.name);
    case 'scalar':
      switch (type.name) {
        case 'float32':
        case 'float64':
          return fc.double();
        case 'bool':
          return fc.oneof(fc.boolean(), fc.integer(), fc.double(), fc.bigInt());
        case 'char':
          return fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c));
        case 'wchar':
          return fc.integer({ min: 0, max: 0x10ffff }).map((c) => String.fromCodePoint(c));
        default:
          return integerInput(type.name);
      }
    case 'chars':
      return fc.string({ unit: 'binary', maxLength: type.length }).filter((s) => utf8Length(s) <= type.length);
    case 'bytes':
      return fc.uint8Array({ minLength: type.length, maxLength: type.length });
    case 'wchars':
      return fc
        .array(fc.integer({ min: 0, max: 0x10ffff }), { maxLength: type.length })
        .map((cps) => String.fromCodePoint(...cps))
        .filter((s) => [...s].length <= type.length);
    case 'array':
      return fc.array(inputArb(type.element), { minLength: type.length, maxLength: type.length });
    default: {
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [name, t] of Object.entries(type.fields as Record<string, FieldType>)) record[name] = inputArb(t);
      return fc.record(record);
    }
  }
}

/** The value read() gives back after a write of `input` (a full value). */
export function readBack(type: FieldType, input: unknown): unknown {
  switch (type.kind) {
    case 'bits': {
      const v = wrapInteger(type.storage.name, type.width, input as number | bigint);
      return v;
    }
    case 'scalar':
      switch (type.name) {
        case 'float32':
          return Math.fround(input as number);
        case 'float64':
        case 'char':
          return input;
        case 'wchar':
          return input;
        case 'bool':
          return typeof input === 'bigint' ? input !== 0n : typeof input === 'number' ? input !== 0 : input;
        default:
          return wrapInteger(type.name, type.size * 8, input as number | bigint);
      }
    case 'chars':
      return charsReadBack(input as string);
    case 'bytes':
      return input;
    case 'wchars': {
      const s = input as string;
      const nul = s.indexOf('\0');
      return nul < 0 ? s : s.slice(0, nul);
    }
    case 'array':
      return (input as unknown[]).map((x) => readBack(type.element, x));
    default: {
      const out: Record<string, unknown> = {};
      for (const [name, t] of Object.entries(type.fields as Record<string, FieldType>)) {
        out[name] = readBack(t, (input as Record<string, unknown>)[name]);
      }
      return out;
    }
  }
}

/** The value at a dotted path inside a plain value (or a live view, through get(i) on arrays). */
export function at(value: unknown, path: string): unknown {
  let v: any = value;
  for (const segment of path.split('.')) {
    if (/^\d+$/.test(segment)) v = typeof v.get === 'function' && !(v instanceof Map) ? v.get(Number(segment)) : v[Number(segment)];
    else v = v[segment];
  }
  return v;
}

export function structArb(t: AnyStructType): fc.Arbitrary<Record<string, unknown>> {
  return inputArb(t) as fc.Arbitrary<Record<string, unknown>>;
}
