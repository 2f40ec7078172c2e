/** `bytes(n)` fields: raw bytes in, raw bytes out; writes shorter than the field leave the rest. */
import { invalidValue, tooLong } from './errors.js';

export function bytesAt(dv: DataView, off: number, length: number): Uint8Array {
  return new Uint8Array(dv.buffer, dv.byteOffset + off, length);
}

/** A detached copy (what `read()` returns). */
export function copyBytes(dv: DataView, off: number, n: number): Uint8Array {
  return bytesAt(dv, off, n).slice();
}

export function checkBytes(v: unknown, n: number, where: string): void {
  if (v instanceof Uint8Array) {
    if (v.length > n) throw tooLong(where, 'bytes', v.length, n);
    return;
  }
  if (Array.isArray(v)) {
    if (v.length > n) throw tooLong(where, 'bytes', v.length, n);
    for (let i = 0; i < v.length; i++) {
      const b = v[i];
      if (typeof b !== 'number' || !Number.isInteger(b)) {
        throw invalidValue(`${where}.${i}`, 'an integer byte value', b);
      }
    }
    return;
  }
  throw invalidValue(where, `a Uint8Array or an array of byte values (at most ${n})`, v);
}

/** Writes a value accepted by `checkBytes`; array numbers wrap modulo 256. */
export function writeBytes(dv: DataView, off: number, n: number, v: Uint8Array | readonly number[]): void {
  if (v.length === 0) return;
  bytesAt(dv, off, n).set(v);
}
