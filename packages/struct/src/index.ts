/**
 * @shmkit/struct — C structs with ctypes- and GCC-exact layout: zero-copy live views with
 * generated accessors, detached reads and checked writes, JSON schemas, and C / ctypes emitters so
 * a TypeScript process, a Python ctypes process and a C program can share one mapping.
 */
export {
  bool,
  c_bool,
  c_byte,
  c_char,
  c_double,
  c_float,
  c_int,
  c_int8,
  c_int16,
  c_int32,
  c_int64,
  c_long,
  c_longlong,
  c_short,
  c_size_t,
  c_ssize_t,
  c_ubyte,
  c_uint,
  c_uint8,
  c_uint16,
  c_uint32,
  c_uint64,
  c_ulong,
  c_ulonglong,
  c_ushort,
  c_wchar,
  char,
  float32,
  float64,
  int8,
  int16,
  int32,
  int64,
  uint8,
  uint16,
  uint32,
  uint64,
  wchar,
  type ScalarAlias,
} from './scalars.js';
export { array, bits, bytes, chars, wchars } from './composites.js';
export { StructType, struct, union } from './struct-type.js';
export { fromSchema, type SchemaFieldType, type SchemaFields } from './schema-in.js';
export type { FullSchema, Schema, TypeSchema } from './schema-out.js';
export type { CHeaderOptions } from './emit-c.js';
export type { CtypesOptions } from './emit-ctypes.js';
export type { LayoutLeaf } from './leaves.js';
export { StructError, type StructErrorCode } from './errors.js';
export type {
  ArrayView,
  FieldsOfType,
  InputOf,
  ScalarInput,
  ScalarValue,
  StructView,
  ValueOf,
  ViewOf,
} from './infer.js';
export type {
  AnyStructType,
  ArrayType,
  BitsType,
  BytesType,
  CharsType,
  ElementType,
  Endian,
  FieldType,
  FieldsInput,
  FieldsOf,
  IntegerName,
  Pack,
  ScalarName,
  ScalarType,
  StructOptions,
  WcharsType,
} from './types.js';
