/**
 * Source snippets that read, check and store one field of any type at a given offset. Expressions
 * take identifiers for values (`v`) and JS expressions for DataViews, offsets and error paths;
 * error paths sit in slow branches only, so building them costs nothing on the fast path.
 */
import { type BitPlacement, fastWindow } from '../bit-geometry.js';
import { getBits, setBits } from '../bitfield-access.js';
import { byteToChar, codeUnitToWchar, toBig, toBool, toChar, toFloat, toInt, toWchar } from '../convert.js';
import { checkBytes, copyBytes, writeBytes } from '../raw-bytes.js';
import { isSigned } from '../scalars.js';
import { checkChars, checkWchars, readChars, readWchars, writeChars, writeWchars } from '../text.js';
import type { BitsType, FieldType, ScalarType } from '../types.js';
import type { CodeUnit } from './code-unit.js';
import { compiledOf } from './compiled.js';
import { plus } from './code-unit.js';

export interface FieldCode {
  /** Expression: the field's value (a detached copy for composites). */
  read(dv: string, off: string): string;
  /** Statement: throws a coded error when `v` cannot be stored; writes nothing. */
  check(v: string, where: string): string;
  /** Statement: stores an already checked `v`. */
  apply(dv: string, off: string, v: string): string;
  /** Statement: checks and stores `v`; on error nothing is written. */
  store(dv: string, off: string, v: string, where: string): string;
}

const ACCESSOR: Record<ScalarType['name'], string> = {
  int8: 'Int8',
  uint8: 'Uint8',
  int16: 'Int16',
  uint16: 'Uint16',
  int32: 'Int32',
  uint32: 'Uint32',
  int64: 'BigInt64',
  uint64: 'BigUint64',
  float32: 'Float32',
  float64: 'Float64',
  bool: 'Uint8',
  char: 'Uint8',
  wchar: 'Uint32',
};

function endianArg(size: number, le: boolean): string {
  return size > 1 ? `, ${le}` : '';
}

/** Expression converting identifier `v` to the number or bigint a scalar setter stores. */
function convertScalar(unit: CodeUnit, s: ScalarType, v: string, where: string): string {
  switch (s.name) {
    case 'int8':
    case 'uint8':
    case 'int16':
    case 'uint16':
    case 'int32':
    case 'uint32':
      return `(typeof ${v} === 'number' && (${v} | 0) === ${v} ? ${v} : ${unit.ref(toInt, 'toInt')}(${v}, ${s.size * 8}, ${isSigned(s.name)}, ${where}))`;
    case 'int64':
    case 'uint64':
      return `(typeof ${v} === 'bigint' ? ${v} : ${unit.ref(toBig, 'toBig')}(${v}, ${where}))`;
    case 'float32':
    case 'float64':
      return `(typeof ${v} === 'number' ? ${v} : ${unit.ref(toFloat, 'toFloat')}(${v}, ${where}))`;
    case 'bool':
      return `(${v} === true ? 1 : ${v} === false ? 0 : ${unit.ref(toBool, 'toBool')}(${v}, ${where}))`;
    case 'char':
      return `${unit.ref(toChar, 'toChar')}(${v}, ${where})`;
    case 'wchar':
      return `${unit.ref(toWchar, 'toWchar')}(${v}, ${where})`;
  }
}

function scalarCode(unit: CodeUnit, s: ScalarType, le: boolean): FieldCode {
  const acc = ACCESSOR[s.name];
  const e = endianArg(s.size, le);
  const read = (dv: string, off: string): string => {
    const raw = `${dv}.get${acc}(${off}${e})`;
    if (s.name === 'bool') return `(${raw} !== 0)`;
    if (s.name === 'char') return `${unit.ref(byteToChar, 'chr')}(${raw})`;
    if (s.name === 'wchar') return `${unit.ref(codeUnitToWchar, 'wchr')}(${raw})`;
    return raw;
  };
  const check = (v: string, where: string): string => {
    switch (s.name) {
      case 'int8':
      case 'uint8':
      case 'int16':
      case 'uint16':
      case 'int32':
      case 'uint32':
        return `if (typeof ${v} !== 'number' || (${v} | 0) !== ${v}) ${convertScalar(unit, s, v, where)};`;
      case 'int64':
      case 'uint64':
        return `if (typeof ${v} !== 'bigint') ${convertScalar(unit, s, v, where)};`;
      case 'float32':
      case 'float64':
        return `if (typeof ${v} !== 'number') ${convertScalar(unit, s, v, where)};`;
      default:
        return `${convertScalar(unit, s, v, where)};`;
    }
  };
  const store = (dv: string, off: string, v: string, where: string): string =>
    `${dv}.set${acc}(${off}, ${convertScalar(unit, s, v, where)}${e});`;
  return { read, check, store, apply: (dv, off, v) => store(dv, off, v, '""') };
}

function bitsCode(unit: CodeUnit, type: BitsType, p: BitPlacement): FieldCode {
  const storage = type.storage;
  const signed = isSigned(storage.name);
  const big = storage.size === 8;
  const width = type.width;
  // The number (<= 32 bits) or bigint to store, before masking.
  const convert = (v: string, where: string): string => convertScalar(unit, storage, v, where);
  const window = fastWindow(p);
  let read: FieldCode['read'];
  let store: FieldCode['store'];
  if (window) {
    const acc = window.size === 1 ? 'Uint8' : window.size === 2 ? 'Uint16' : 'Uint32';
    const e = endianArg(window.size, p.le);
    const shift = window.shift;
    const mask = 2 ** width - 1;
    const shiftedMask = mask * 2 ** shift;
    const clear = (~shiftedMask >>> 0) | 0;
    read = (dv, off) => {
      const raw = `${dv}.get${acc}(${plus(off, window.offset)}${e})`;
      let value: string;
      if (signed) value = `((${raw} << ${32 - shift - width}) >> ${32 - width})`;
      else if (width === 32) value = raw;
      else value = `((${raw} >>> ${shift}) & ${mask})`;
      return big ? `BigInt(${value})` : value;
    };
    store = (dv, off, v, where) => {
      const at = plus(off, window.offset);
      const converted = big ? `Number(BigInt.asUintN(${width}, ${convert(v, where)}))` : convert(v, where);
      return `{ const bits$ = ${converted}; ${dv}.set${acc}(${at}, (${dv}.get${acc}(${at}${e}) & ${clear}) | ((bits$ << ${shift}) & ${shiftedMask | 0})${e}); }`;
    };
  } else {
    const get = unit.ref(getBits, 'getBits');
    const set = unit.ref(setBits, 'setBits');
    read = (dv, off) => `${get}(${dv}, ${off}, ${p.bitPos}, ${width}, ${signed}, ${p.le}, ${big})`;
    store = (dv, off, v, where) => `${set}(${dv}, ${off}, ${p.bitPos}, ${width}, ${p.le}, ${convert(v, where)});`;
  }
  const scalar = scalarCode(unit, storage, p.le);
  return { read, store, check: scalar.check, apply: (dv, off, v) => store(dv, off, v, '""') };
}

/**
 * chars / wchars / bytes: helper calls `read(dv, off, n[, le])`, `check(v, n, where)`,
 * `write(dv, off, n, v[, le])`.
 */
function byteRunCode(
  unit: CodeUnit,
  read: (...args: any[]) => unknown,
  check: (...args: any[]) => void,
  write: (...args: any[]) => void,
  n: string,
  extra = '',
): FieldCode {
  const readFn = unit.ref(read, read.name);
  const checkFn = unit.ref(check, check.name);
  const writeFn = unit.ref(write, write.name);
  const checkCode = (v: string, where: string) => `${checkFn}(${v}, ${n}, ${where});`;
  const applyCode = (dv: string, off: string, v: string) => `${writeFn}(${dv}, ${off}, ${n}, ${v}${extra});`;
  return {
    read: (dv, off) => `${readFn}(${dv}, ${off}, ${n}${extra})`,
    check: checkCode,
    apply: applyCode,
    store: (dv, off, v, where) => `${checkCode(v, where)} ${applyCode(dv, off, v)}`,
  };
}

/** Code for a field of `type` in a type of byte order `le` (bit fields need their placement). */
export function fieldCode(unit: CodeUnit, type: FieldType, le: boolean, placement?: BitPlacement): FieldCode {
  switch (type.kind) {
    case 'scalar':
      return scalarCode(unit, type, le);
    case 'bits':
      if (!placement) throw new Error('internal: bit field without placement');
      return bitsCode(unit, type, placement);
    case 'chars':
      return byteRunCode(unit, readChars, checkChars, writeChars, `${type.length}`);
    case 'wchars':
      return byteRunCode(unit, readWchars, checkWchars, writeWchars, `${type.length}`, `, ${le}`);
    case 'bytes':
      return byteRunCode(unit, copyBytes, checkBytes, writeBytes, `${type.length}`);
    case 'array':
    case 'struct':
    case 'union': {
      const compiled = compiledOf(type, le);
      const readFn = unit.ref(compiled.read, 'read');
      const checkFn = unit.ref(compiled.check, 'check');
      const applyFn = unit.ref(compiled.apply, 'apply');
      const check = (v: string, where: string) => `${checkFn}(${v}, ${where});`;
      const apply = (dv: string, off: string, v: string) => `${applyFn}(${dv}, ${off}, ${v});`;
      return {
        read: (dv, off) => `${readFn}(${dv}, ${off})`,
        check,
        apply,
        store: (dv, off, v, where) => `${check(v, where)} ${apply(dv, off, v)}`,
      };
    }
  }
}
