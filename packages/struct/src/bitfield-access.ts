/**
 * Bit fields whose bits do not fit one 1-, 2- or 4-byte window (packed layouts, wide 64-bit fields)
 * are read and written through these byte-wise helpers; the common cases are inlined by the code
 * generator. Positions follow the layout model: little-endian types number bits from the least
 * significant bit of byte 0, big-endian types from its most significant bit.
 */

function windowOf(bitPos: number, width: number): { first: number; count: number } {
  const first = Math.floor(bitPos / 8);
  return { first, count: Math.ceil((bitPos + width) / 8) - first };
}

function loadWindow(dv: DataView, off: number, first: number, count: number, le: boolean): bigint {
  let acc = 0n;
  for (let i = 0; i < count; i++) {
    const b = BigInt(dv.getUint8(off + first + (le ? count - 1 - i : i)));
    acc = (acc << 8n) | b;
  }
  return acc;
}

function storeWindow(dv: DataView, off: number, first: number, count: number, le: boolean, value: bigint): void {
  for (let i = 0; i < count; i++) {
    const b = Number((value >> BigInt(8 * i)) & 0xffn);
    dv.setUint8(off + first + (le ? i : count - 1 - i), b);
  }
}

function shiftOf(bitPos: number, width: number, first: number, count: number, le: boolean): bigint {
  return BigInt(le ? bitPos - first * 8 : count * 8 - (bitPos - first * 8) - width);
}

export function getBits(
  dv: DataView,
  off: number,
  bitPos: number,
  width: number,
  signed: boolean,
  le: boolean,
  asBigint: boolean,
): number | bigint {
  const { first, count } = windowOf(bitPos, width);
  const raw = loadWindow(dv, off, first, count, le) >> shiftOf(bitPos, width, first, count, le);
  const value = signed ? BigInt.asIntN(width, raw) : BigInt.asUintN(width, raw);
  return asBigint ? value : Number(value);
}

/** Stores the low `width` bits of `value` (two's complement: wraps like ctypes). */
export function setBits(
  dv: DataView,
  off: number,
  bitPos: number,
  width: number,
  le: boolean,
  value: bigint | number,
): void {
  const { first, count } = windowOf(bitPos, width);
  const shift = shiftOf(bitPos, width, first, count, le);
  const mask = ((1n << BigInt(width)) - 1n) << shift;
  const bits = (BigInt.asUintN(width, BigInt(value)) << shift) & mask;
  const current = loadWindow(dv, off, first, count, le);
  storeWindow(dv, off, first, count, le, (current & ~mask) | bits);
}
