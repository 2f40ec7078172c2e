import { invalidDefinition } from './errors.js';
import { isIntegerScalar, isScalar } from './scalars.js';
import type {
  ArrayType,
  BitsType,
  BytesType,
  CharsType,
  ElementType,
  IntegerName,
  ScalarType,
  WcharsType,
} from './types.js';
import { isStructType } from './types.js';

/** Largest size of any one type; keeps every offset a safe integer. */
export const MAX_TYPE_SIZE = 2 ** 48;

function checkLength(what: string, n: unknown): number {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
    throw invalidDefinition(`${what}: length must be a non-negative integer, got ${String(n)}`);
  }
  return n;
}

function checkSize(what: string, size: number): number {
  if (size > MAX_TYPE_SIZE) throw invalidDefinition(`${what}: size ${size} exceeds the maximum of ${MAX_TYPE_SIZE} bytes`);
  return size;
}

export function isElementType(t: unknown): t is ElementType {
  if (isScalar(t) || isStructType(t)) return true;
  if (typeof t !== 'object' || t === null) return false;
  const kind = (t as { kind?: unknown }).kind;
  return kind === 'array' || kind === 'chars' || kind === 'bytes' || kind === 'wchars';
}

/** `type[length]`: nested arrays allowed; struct elements include their tail padding. */
export function array<const E extends ElementType>(element: E, length: number): ArrayType<E> {
  if (!isElementType(element)) {
    const bitsHint = (element as any)?.kind === 'bits' ? ' (bit fields cannot be array elements)' : '';
    throw invalidDefinition(`array(): element must be a scalar, array, chars, bytes, wchars or struct type${bitsHint}`);
  }
  checkLength('array()', length);
  return Object.freeze({
    kind: 'array',
    element,
    length,
    size: checkSize('array()', element.size * length),
    align: element.align,
  });
}

/** ctypes `c_char * n`: a UTF-8 string up to the first NUL; writes add one NUL when shorter. */
export function chars(length: number): CharsType {
  checkLength('chars()', length);
  return Object.freeze({ kind: 'chars', length, size: checkSize('chars()', length), align: 1 });
}

/** `n` raw bytes, seen as a Uint8Array (ctypes `c_ubyte * n`). */
export function bytes(length: number): BytesType {
  checkLength('bytes()', length);
  return Object.freeze({ kind: 'bytes', length, size: checkSize('bytes()', length), align: 1 });
}

/** ctypes `c_wchar * n` on Linux: `n` UTF-32 code units; a string up to the first NUL. */
export function wchars(length: number): WcharsType {
  checkLength('wchars()', length);
  return Object.freeze({ kind: 'wchars', length, size: checkSize('wchars()', length * 4), align: 4 });
}

/** A bit field of `width` bits declared with integer type `storage`, laid out as GCC does. */
export function bits<const S extends ScalarType<IntegerName>>(storage: S, width: number): BitsType<S> {
  if (!isIntegerScalar(storage)) {
    throw invalidDefinition('bits(): the declared type must be an integer scalar (int8 .. uint64 or a c_ alias)');
  }
  const max = storage.size * 8;
  if (typeof width !== 'number' || !Number.isInteger(width) || width < 1 || width > max) {
    throw invalidDefinition(`bits(): width must be an integer from 1 to ${max} for ${storage.name}, got ${String(width)}`);
  }
  return Object.freeze({ kind: 'bits', storage, width, size: storage.size, align: storage.align });
}
