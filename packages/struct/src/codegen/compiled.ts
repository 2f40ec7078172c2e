/** Compiled accessors per type, built on first use and cached for the life of the type. */
import type { ArrayType, AnyStructType } from '../types.js';
import { compileArray } from './compile-array.js';
import { compileStruct } from './compile-struct.js';

export interface Compiled {
  /** A detached plain value of the type at `off`. */
  read(dv: DataView, off: number): any;
  /** Throws a coded error if `value` cannot be written (unknown field, wrong kind, too long). */
  check(value: unknown, path: string): void;
  /** Writes a checked (partial) value at `off`. */
  apply(dv: DataView, off: number, value: any): void;
  /** Live view class over a DataView spanning exactly one value of the type. */
  View: new (dv: DataView) => object;
}

// Arrays take their byte order from the struct that holds them, so they are compiled per order.
const structs = new WeakMap<object, Compiled>();
const littleArrays = new WeakMap<object, Compiled>();
const bigArrays = new WeakMap<object, Compiled>();

export function compiledOf(type: ArrayType | AnyStructType, le: boolean): Compiled {
  if (type.kind === 'array') {
    const cache = le ? littleArrays : bigArrays;
    let c = cache.get(type);
    if (!c) {
      c = compileArray(type, le);
      cache.set(type, c);
    }
    return c;
  }
  let c = structs.get(type);
  if (!c) {
    c = compileStruct(type);
    structs.set(type, c);
  }
  return c;
}
