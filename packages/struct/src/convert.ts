/**
 * Value checks and conversions behind generated setters. Each returns the value to store or throws
 * a coded error; they run before any byte is written, so a rejected value changes nothing.
 * Integers wrap modulo 2^bits exactly as ctypes does (DataView setters do the wrapping).
 */
import { StructError, describeValue, invalidValue } from './errors.js';

/** An integer for an 8/16/32-bit field: any integral number (wrapped on store) or a bigint. */
export function toInt(v: unknown, bits: number, signed: boolean, where: string): number {
  if (typeof v === 'number') {
    if (Number.isInteger(v)) return v;
    throw invalidValue(where, 'an integer (a float or NaN cannot go into an integer field)', v);
  }
  if (typeof v === 'bigint') return Number(signed ? BigInt.asIntN(bits, v) : BigInt.asUintN(bits, v));
  throw invalidValue(where, 'an integer (number or bigint)', v);
}

/** A 64-bit integer: a bigint (wrapped on store) or a safe integer number. */
export function toBig(v: unknown, where: string): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') {
    if (Number.isSafeInteger(v)) return BigInt(v);
    if (Number.isInteger(v)) {
      throw new StructError(
        'ERR_SHMKIT_STRUCT_INVALID_VALUE',
        `field "${where}": ${describeValue(v)} is beyond Number.MAX_SAFE_INTEGER and may have lost precision; pass a bigint`,
        where,
      );
    }
    throw invalidValue(where, 'a 64-bit integer (bigint or safe integer)', v);
  }
  throw invalidValue(where, 'a 64-bit integer (bigint or safe integer)', v);
}

export function toFloat(v: unknown, where: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  throw invalidValue(where, 'a number', v);
}

/** ctypes c_bool: truthiness of a boolean, number or bigint, stored as 0 or 1. */
export function toBool(v: unknown, where: string): number {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return v !== 0 ? 1 : 0;
  if (typeof v === 'bigint') return v !== 0n ? 1 : 0;
  throw invalidValue(where, 'a boolean (or a number / bigint, stored as 0 or 1)', v);
}

/** ctypes c_char: a one-character string with a code from 0 to 255, or a byte value. */
export function toChar(v: unknown, where: string): number {
  if (typeof v === 'string') {
    if (v.length === 1) {
      const code = v.charCodeAt(0);
      if (code <= 0xff) return code;
    }
  } else if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xff) {
    return v;
  }
  throw invalidValue(where, 'a one-character string with a code from 0 to 255 (or a byte value)', v);
}

/** ctypes c_wchar (UTF-32): a string of exactly one code point, or a code point value. */
export function toWchar(v: unknown, where: string): number {
  if (typeof v === 'string') {
    const cp = v.codePointAt(0);
    if (cp !== undefined && v.length === (cp > 0xffff ? 2 : 1)) return cp;
  } else if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0x10ffff) {
    return v;
  }
  throw invalidValue(where, 'a string of exactly one code point (or a code point value)', v);
}

const fromCharCode = String.fromCharCode;

/** A one-character string for a byte (V8 keeps these interned: no allocation). */
export function byteToChar(byte: number): string {
  return fromCharCode(byte);
}

/** A one-code-point string for a UTF-32 unit found in memory; never throws. */
export function codeUnitToWchar(unit: number): string {
  return unit <= 0x10ffff ? String.fromCodePoint(unit) : '\ufffd';
}

/** Joins a parent path and a field name or index for error messages. */
export function joinPath(parent: string, key: string | number): string {
  return parent === '' ? String(key) : `${parent}.${key}`;
}
