/** Generates read / check / apply functions and the live view class of one array type. */
import { joinPath } from '../convert.js';
import { indexOutOfRange, invalidValue, tooLong } from '../errors.js';
import { INSPECT } from '../inspect.js';
import type { ArrayType, BytesType, CharsType, WcharsType } from '../types.js';
import { arrayGuard } from '../view-guards.js';
import { CodeUnit, lit, plus } from './code-unit.js';
import type { Compiled } from './compiled.js';
import { fieldCode } from './field-code.js';
import { viewMemberCode } from './view-code.js';

/** Arrays up to this length are read with unrolled code. */
const UNROLL = 32;

export function typeLabel(t: ArrayType): string {
  const inner = (e: ArrayType['element']): string =>
    e.kind === 'scalar'
      ? e.name
      : e.kind === 'array'
        ? `${inner(e.element)}[${e.length}]`
        : e.kind === 'struct' || e.kind === 'union'
          ? e.name
          : `${e.kind}(${(e as CharsType | BytesType | WcharsType).length})`;
  return `${inner(t.element)}[${t.length}]`;
}

export function compileArray(t: ArrayType, le: boolean): Compiled {
  const unit = new CodeUnit();
  const n = t.length;
  const e = t.element;
  const stride = e.size;
  const code = fieldCode(unit, e, le);
  const join = unit.ref(joinPath, 'join');
  const label = lit(typeLabel(t));

  const readBody =
    n <= UNROLL
      ? `return [${Array.from({ length: n }, (_, i) => code.read('dv', plus('o', i * stride))).join(', ')}];`
      : `const r = new Array(${n}); for (let i = 0; i < ${n}; i++) r[i] = ${code.read('dv', `o + i * ${stride}`)}; return r;`;

  const composite = e.kind === 'struct' || e.kind === 'union' || e.kind === 'array' || e.kind === 'bytes';
  const member = viewMemberCode(unit, e, le, `i * ${stride}`, 'String(i)', 'c[i]');
  const getter = composite ? `const c = this.#c ??= new Array(${n}); ${member.getter}` : member.getter;

  const src = `
function read(dv, o) { ${readBody} }
function check(v, p) {
  if (typeof v !== 'object' || v === null || typeof v.length !== 'number') throw ${unit.ref(invalidValue, 'invalid')}(p, ${lit(`an array (or typed array) of at most ${n} elements`)}, v);
  if (v.length > ${n}) throw ${unit.ref(tooLong, 'tooLong')}(p, 'array', v.length, ${n});
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (x !== undefined) { ${code.check('x', `${join}(p, i)`)} }
  }
}
function apply(dv, o, v) {
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (x !== undefined) { ${code.apply('dv', `o + i * ${stride}`, 'x')} }
  }
}
const range = ${unit.ref(indexOutOfRange, 'range')};
class View {
  #dv;
  #c = undefined;
  constructor(dv) { this.#dv = dv; }
  get length() { return ${n}; }
  get(i) {
    if (!(i >= 0 && i < ${n} && Number.isInteger(i))) throw range(${label}, i, ${n});
    ${getter}
  }
  set(i, v) {
    if (!(i >= 0 && i < ${n} && Number.isInteger(i))) throw range(${label}, i, ${n});
    ${member.setter}
  }
  *[Symbol.iterator]() { for (let i = 0; i < ${n}; i++) yield this.get(i); }
  toArray() { return read(this.#dv, 0); }
  [${unit.ref(INSPECT, 'inspect')}]() { return read(this.#dv, 0); }
}
Object.defineProperty(View, 'name', { value: 'ArrayView' });
Object.setPrototypeOf(View.prototype, ${unit.ref(arrayGuard(typeLabel(t)), 'guard')});
return { read, check, apply, View };
`;
  return unit.compile<Compiled>(src);
}
