/**
 * Fixed-size text fields with ctypes semantics. `chars(n)` is `c_char * n`: read up to the first
 * NUL as UTF-8 (invalid sequences become U+FFFD, so bytes another process left there never make a
 * read throw); a write encodes, adds one NUL when shorter than the field, leaves the bytes after it
 * untouched and rejects a longer value. `wchars(n)` is `c_wchar * n` (UTF-32) with the same rules.
 */
import { invalidValue, tooLong } from './errors.js';

const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
const encoder = new TextEncoder();
const fromCharCode = String.fromCharCode;

function bytesAt(dv: DataView, off: number, length: number): Uint8Array {
  return new Uint8Array(dv.buffer, dv.byteOffset + off, length);
}

export function readChars(dv: DataView, off: number, n: number): string {
  // ASCII fast path, four bytes per step; the first NUL or non-ASCII byte ends it.
  let s = '';
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const a = dv.getUint8(off + i);
    const b = dv.getUint8(off + i + 1);
    const c = dv.getUint8(off + i + 2);
    const d = dv.getUint8(off + i + 3);
    if ((a | b | c | d) > 0x7f || a === 0 || b === 0 || c === 0 || d === 0) break;
    s += fromCharCode(a, b, c, d);
  }
  for (; i < n; i++) {
    const a = dv.getUint8(off + i);
    if (a === 0) return s;
    if (a > 0x7f) return decodeChars(dv, off, n);
    s += fromCharCode(a);
  }
  return s;
}

function decodeChars(dv: DataView, off: number, n: number): string {
  let end = 0;
  while (end < n && dv.getUint8(off + end) !== 0) end++;
  // Decode a private copy: the shared bytes may change while the decoder runs.
  return decoder.decode(bytesAt(dv, off, end).slice());
}

/** UTF-8 length of a JS string (lone surrogates count as U+FFFD, 3 bytes, as TextEncoder writes). */
export function utf8Length(s: string): number {
  let length = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) length += 1;
    else if (c < 0x800) length += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        length += 4;
        i++;
      } else length += 3;
    } else length += 3;
  }
  return length;
}

export function checkChars(v: unknown, n: number, where: string): void {
  if (typeof v === 'string') {
    // UTF-8 never takes fewer bytes than UTF-16 code units.
    if (v.length > n || utf8Length(v) > n) throw tooLong(where, 'string (UTF-8 bytes)', utf8Length(v), n);
    return;
  }
  if (v instanceof Uint8Array) {
    if (v.length > n) throw tooLong(where, 'bytes', v.length, n);
    return;
  }
  throw invalidValue(where, `a string (at most ${n} UTF-8 bytes) or a Uint8Array`, v);
}

/** Writes a value accepted by `checkChars`. */
export function writeChars(dv: DataView, off: number, n: number, v: string | Uint8Array): void {
  let length: number;
  if (typeof v === 'string') {
    length = v.length;
    let i = 0;
    if (length <= n) {
      for (; i < length; i++) {
        const c = v.charCodeAt(i);
        if (c > 0x7f) break;
        dv.setUint8(off + i, c);
      }
    }
    if (i < length) length = encoder.encodeInto(v, bytesAt(dv, off, n)).written;
  } else {
    length = v.length;
    bytesAt(dv, off, n).set(v);
  }
  if (length < n) dv.setUint8(off + length, 0);
}

export function readWchars(dv: DataView, off: number, n: number, le: boolean): string {
  let s = '';
  for (let i = 0; i < n; i++) {
    const unit = dv.getUint32(off + i * 4, le);
    if (unit === 0) break;
    s += unit <= 0xffff ? fromCharCode(unit) : unit <= 0x10ffff ? String.fromCodePoint(unit) : '\ufffd';
  }
  return s;
}

function codePointCount(s: string): number {
  let count = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}

export function checkWchars(v: unknown, n: number, where: string): void {
  if (typeof v !== 'string') throw invalidValue(where, `a string (at most ${n} code points)`, v);
  // A string has no more code points than UTF-16 code units.
  if (v.length > n && codePointCount(v) > n) throw tooLong(where, 'string (code points)', codePointCount(v), n);
}

export function writeWchars(dv: DataView, off: number, n: number, v: string, le: boolean): void {
  let i = 0;
  for (const ch of v) {
    dv.setUint32(off + i * 4, ch.codePointAt(0)!, le);
    i++;
  }
  if (i < n) dv.setUint32(off + i * 4, 0, le);
}
