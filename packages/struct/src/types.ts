import type { StructType } from './struct-type.js';

/** Canonical scalar names (ctypes aliases map onto these). */
export type ScalarName =
  | 'int8'
  | 'uint8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64'
  | 'float32'
  | 'float64'
  | 'bool'
  | 'char'
  | 'wchar';

/** Integer scalars: the ones a bit field may be declared with. */
export type IntegerName = 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64';

export interface ScalarType<N extends ScalarName = ScalarName> {
  readonly kind: 'scalar';
  readonly name: N;
  readonly size: number;
  readonly align: number;
}

/** `array(type, length)`: `length` consecutive elements, each padded as the element type is. */
export interface ArrayType<E extends ElementType = ElementType> {
  readonly kind: 'array';
  readonly element: E;
  readonly length: number;
  readonly size: number;
  readonly align: number;
}

/** `chars(n)`: ctypes `c_char * n`, read and written as a NUL-terminated UTF-8 string. */
export interface CharsType {
  readonly kind: 'chars';
  readonly length: number;
  readonly size: number;
  readonly align: 1;
}

/** `bytes(n)`: `n` raw bytes, seen as a Uint8Array. */
export interface BytesType {
  readonly kind: 'bytes';
  readonly length: number;
  readonly size: number;
  readonly align: 1;
}

/** `wchars(n)`: ctypes `c_wchar * n` on Linux, `n` UTF-32 code units. */
export interface WcharsType {
  readonly kind: 'wchars';
  readonly length: number;
  readonly size: number;
  readonly align: 4;
}

/** `bits(type, width)`: a bit field, laid out as GCC does on Linux x86-64. Only valid as a field. */
export interface BitsType<S extends ScalarType<IntegerName> = ScalarType<IntegerName>> {
  readonly kind: 'bits';
  readonly storage: S;
  readonly width: number;
  readonly size: number;
  readonly align: number;
}

/** Any struct or union type, whatever its fields. */
export type AnyStructType = StructType<any>;

/** Types that can be array elements or struct fields. */
export type ElementType = ScalarType | ArrayType<any> | CharsType | BytesType | WcharsType | AnyStructType;

/** Everything that can be a struct or union field. */
export type FieldType = ElementType | BitsType;

/** Field lists: an ordered object, or an array of `[name, type]` pairs. */
export type FieldsInput = Readonly<Record<string, FieldType>> | ReadonlyArray<readonly [string, FieldType]>;

/** Turns either field-list form into an object type. */
export type FieldsOf<F> = F extends ReadonlyArray<readonly [string, FieldType]>
  ? { [P in F[number] as P[0]]: P[1] }
  : F extends Readonly<Record<string, FieldType>>
    ? F
    : never;

export type Endian = 'little' | 'big';
export type Pack = 1 | 2 | 4 | 8 | 16;

export interface StructOptions {
  /** ctypes `_pack_` / GCC `#pragma pack(n)`: caps every field's alignment at `pack`. */
  pack?: Pack;
  /** Byte order of the scalars of this type (not of nested structs, which keep their own). */
  endian?: Endian;
  /** Minimum alignment of the whole type, as `__attribute__((aligned(n)))`. A power of two. */
  align?: number;
}

export function isStructType(t: unknown): t is AnyStructType {
  return typeof t === 'object' && t !== null && ((t as any).kind === 'struct' || (t as any).kind === 'union');
}
