/** Generates read / check / apply functions and the live view class of one struct or union type. */
import { INSPECT } from '../inspect.js';
import { invalidValue, unknownField } from '../errors.js';
import { joinPath } from '../convert.js';
import { structGuard } from '../view-guards.js';
import type { BitPlacement } from '../bit-geometry.js';
import type { AnyStructType } from '../types.js';
import type { Member } from '../layout.js';
import { CodeUnit, lit, plus } from './code-unit.js';
import type { Compiled } from './compiled.js';
import { fieldCode } from './field-code.js';
import { viewMemberCode } from './view-code.js';

function placementOf(t: AnyStructType, m: Member, le: boolean): BitPlacement | undefined {
  if (m.type.kind !== 'bits') return undefined;
  return { bitPos: m.bitPos!, width: m.bitWidth!, storageSize: m.type.storage.size, containerSize: t.size, le };
}

export function compileStruct(t: AnyStructType): Compiled {
  const unit = new CodeUnit();
  const le = t.endian !== 'big';
  const members: readonly Member[] = t.members;
  const join = unit.ref(joinPath, 'join');
  const typeName = lit(t.name);

  const reads: string[] = [];
  const checks: string[] = [];
  const applies: string[] = [];
  const slots: string[] = [];
  const accessors: string[] = [];
  members.forEach((m, i) => {
    const placement = placementOf(t, m, le);
    const code = fieldCode(unit, m.type, le, placement);
    const key = lit(m.name);
    const off = m.type.kind === 'bits' ? 'o' : plus('o', m.offset);
    // Plain keys keep V8's fast object-literal path (names are identifiers; __proto__ must be computed).
    reads.push(`${m.name === '__proto__' ? `[${key}]` : m.name}: ${code.read('dv', off)}`);
    checks.push(`case ${key}: ${code.check('x', `${join}(p, ${key})`)} break;`);
    applies.push(`case ${key}: ${code.apply('dv', off, 'x')} break;`);
    const viewOff = m.type.kind === 'bits' ? '0' : String(m.offset);
    const vm = viewMemberCode(unit, m.type, le, viewOff, key, `this.#c${i}`, placement);
    slots.push(...vm.slots.map(() => `#c${i} = undefined;`));
    accessors.push(`get [${key}]() { ${vm.getter} }`, `set [${key}](v) { ${vm.setter} }`);
  });

  const src = `
function read(dv, o) {
  return { ${reads.join(',\n    ')} };
}
function check(v, p) {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw ${unit.ref(invalidValue, 'invalid')}(p === '' ? ${typeName} : p, ${lit(`an object with fields of ${t.name}`)}, v);
  for (const k in v) {
    const x = v[k];
    if (x === undefined) continue;
    switch (k) {
      ${checks.join('\n      ')}
      default: throw ${unit.ref(unknownField, 'unknown')}(${typeName}, ${join}(p, k));
    }
  }
}
function apply(dv, o, v) {
  for (const k in v) {
    const x = v[k];
    if (x === undefined) continue;
    switch (k) {
      ${applies.join('\n      ')}
    }
  }
}
class View {
  #dv;
  ${slots.join('\n  ')}
  constructor(dv) { this.#dv = dv; }
  ${accessors.join('\n  ')}
  [${unit.ref(INSPECT, 'inspect')}]() { return read(this.#dv, 0); }
}
Object.defineProperty(View, 'name', { value: ${typeName} });
Object.setPrototypeOf(View.prototype, ${unit.ref(structGuard(t.name), 'guard')});
return { read, check, apply, View };
`;
  return unit.compile<Compiled>(src);
}
