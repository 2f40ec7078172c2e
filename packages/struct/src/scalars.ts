import type { IntegerName, ScalarName, ScalarType } from './types.js';

function scalar<N extends ScalarName>(name: N, size: number): ScalarType<N> {
  return Object.freeze({ kind: 'scalar', name, size, align: size });
}

export const int8 = scalar('int8', 1);
export const uint8 = scalar('uint8', 1);
export const int16 = scalar('int16', 2);
export const uint16 = scalar('uint16', 2);
export const int32 = scalar('int32', 4);
export const uint32 = scalar('uint32', 4);
/** Read as a bigint; writes accept a bigint or a safe integer. */
export const int64 = scalar('int64', 8);
/** Read as a bigint; writes accept a bigint or a safe integer. */
export const uint64 = scalar('uint64', 8);
export const float32 = scalar('float32', 4);
export const float64 = scalar('float64', 8);
/** One byte, read as a boolean (any non-zero byte is true), written as 0 or 1. */
export const bool = scalar('bool', 1);
/** One byte, read and written as a one-character string (code 0..255), like ctypes `c_char`. */
export const char = scalar('char', 1);
/** One UTF-32 code unit (4 bytes on Linux), read and written as a one-code-point string. */
export const wchar = scalar('wchar', 4);

// ctypes names with Linux x86-64 (LP64) sizes, so a ctypes definition transcribes name for name.
export const c_byte = int8;
export const c_ubyte = uint8;
export const c_short = int16;
export const c_ushort = uint16;
export const c_int = int32;
export const c_uint = uint32;
export const c_long = int64;
export const c_ulong = uint64;
export const c_longlong = int64;
export const c_ulonglong = uint64;
export const c_size_t = uint64;
export const c_ssize_t = int64;
export const c_float = float32;
export const c_double = float64;
export const c_bool = bool;
export const c_char = char;
export const c_wchar = wchar;
export const c_int8 = int8;
export const c_uint8 = uint8;
export const c_int16 = int16;
export const c_uint16 = uint16;
export const c_int32 = int32;
export const c_uint32 = uint32;
export const c_int64 = int64;
export const c_uint64 = uint64;

/** Every scalar by canonical name. */
export const SCALARS = Object.freeze({
  int8,
  uint8,
  int16,
  uint16,
  int32,
  uint32,
  int64,
  uint64,
  float32,
  float64,
  bool,
  char,
  wchar,
} satisfies Record<ScalarName, ScalarType>);

/** Scalar names accepted in schemas: canonical names and ctypes aliases. */
export const SCALAR_NAMES = Object.freeze({
  ...SCALARS,
  c_byte,
  c_ubyte,
  c_short,
  c_ushort,
  c_int,
  c_uint,
  c_long,
  c_ulong,
  c_longlong,
  c_ulonglong,
  c_size_t,
  c_ssize_t,
  c_float,
  c_double,
  c_bool,
  c_char,
  c_wchar,
  c_int8,
  c_uint8,
  c_int16,
  c_uint16,
  c_int32,
  c_uint32,
  c_int64,
  c_uint64,
} as const);

export type ScalarAlias = keyof typeof SCALAR_NAMES;

const INTEGER_NAMES: ReadonlySet<string> = new Set<IntegerName>([
  'int8',
  'uint8',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'uint64',
]);

export function isIntegerScalar(t: unknown): t is ScalarType<IntegerName> {
  return isScalar(t) && INTEGER_NAMES.has(t.name);
}

export function isScalar(t: unknown): t is ScalarType {
  if (typeof t !== 'object' || t === null || (t as ScalarType).kind !== 'scalar') return false;
  const known: ScalarType | undefined = Object.hasOwn(SCALARS, (t as ScalarType).name)
    ? SCALARS[(t as ScalarType).name]
    : undefined;
  return known !== undefined && known.size === (t as ScalarType).size;
}

export function isSigned(name: ScalarName): boolean {
  return name === 'int8' || name === 'int16' || name === 'int32' || name === 'int64';
}
