/** get(path) / set(path) accessors, compiled once per distinct path and cached by the type. */
import type { ResolvedPath } from '../paths.js';
import { CodeUnit, lit, plus } from './code-unit.js';
import { fieldCode } from './field-code.js';

export interface PathAccess {
  get(dv: DataView, base: number): unknown;
  set(dv: DataView, base: number, value: unknown): void;
}

export function compilePathAccess(r: ResolvedPath): PathAccess {
  const unit = new CodeUnit();
  const code = fieldCode(unit, r.type, r.le, r.placement);
  const off = plus('o', r.offset);
  return unit.compile<PathAccess>(`
return {
  get(dv, o) { return ${code.read('dv', off)}; },
  set(dv, o, v) { ${code.store('dv', off, 'v', lit(r.path))} },
};`);
}
