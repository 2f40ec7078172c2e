/**
 * Value types inferred from type definitions, so views and read() results are typed without any
 * hand-written interface: numbers for 8..32-bit integers and floats, bigint for 64-bit integers,
 * boolean, string for char/wchar/chars/wchars, Uint8Array for bytes, nested objects and arrays.
 */
import type { StructType } from './struct-type.js';
import type {
  ArrayType,
  BitsType,
  BytesType,
  CharsType,
  FieldType,
  ScalarName,
  ScalarType,
  WcharsType,
} from './types.js';

export type ScalarValue<N extends ScalarName> = N extends 'int64' | 'uint64'
  ? bigint
  : N extends 'bool'
    ? boolean
    : N extends 'char' | 'wchar'
      ? string
      : number;

export type ScalarInput<N extends ScalarName> = N extends 'int64' | 'uint64'
  ? bigint | number
  : N extends 'bool'
    ? boolean | number | bigint
    : N extends 'char' | 'wchar'
      ? string | number
      : number | bigint;

/** What `read()` returns for a value of type `T` (a detached plain value). */
export type ValueOf<T> = T extends ScalarType<infer N>
  ? ScalarValue<N>
  : T extends BitsType<infer S>
    ? ValueOf<S>
    : T extends CharsType | WcharsType
      ? string
      : T extends BytesType
        ? Uint8Array
        : T extends ArrayType<infer E>
          ? ValueOf<E>[]
          : T extends StructType<infer F>
            ? { -readonly [K in keyof F]: ValueOf<F[K]> }
            : never;

/** What `write()`, `set()` and view setters accept for a value of type `T`. */
export type InputOf<T> = T extends ScalarType<infer N>
  ? ScalarInput<N>
  : T extends BitsType<infer S>
    ? InputOf<S>
    : T extends CharsType
      ? string | Uint8Array
      : T extends WcharsType
        ? string
        : T extends BytesType
          ? Uint8Array | readonly number[]
          : T extends ArrayType<infer E>
            ? ArrayLike<InputOf<E> | undefined>
            : T extends StructType<infer F>
              ? { [K in keyof F]?: InputOf<F[K]> }
              : never;

/** A live array inside a view. Index syntax works; `get(i)` / `set(i, v)` are the fast path. */
export interface ArrayView<V, I> extends Iterable<V> {
  readonly length: number;
  [index: number]: V;
  get(index: number): V;
  set(index: number, value: I): void;
  /** A detached copy of the whole array. */
  toArray(): unknown[];
}

/** What `view()` returns for a value of type `T`: properties read and write the memory. */
export type ViewOf<T> = T extends ArrayType<infer E>
  ? ArrayView<ViewOf<E>, InputOf<E>>
  : T extends StructType<infer F>
    ? StructView<F>
    : ValueOf<T>;

export type StructView<F> = { -readonly [K in keyof F]: ViewOf<F[K]> };

/** Fields of a struct type as an object type (name → field type). */
export type FieldsOfType<T> = T extends StructType<infer F> ? F : never;

export type AnyFields = { readonly [name: string]: FieldType };
