/**
 * Getter and setter bodies for one field of a live view class. Views hold a private `#dv` spanning
 * exactly their value; composite fields (nested structs, arrays, bytes) are sub-views created on
 * first access and cached in a private slot, so steady-state access allocates nothing.
 */
import type { BitPlacement } from '../bit-geometry.js';
import type { FieldType } from '../types.js';
import type { CodeUnit } from './code-unit.js';
import { compiledOf } from './compiled.js';
import { fieldCode } from './field-code.js';

export interface ViewMemberCode {
  /** Private cache slot declarations needed by this member (class body). */
  slots: string[];
  getter: string;
  setter: string;
}

/**
 * `off` is a JS expression for the member's offset inside the view's DataView; `slot` names the
 * cache slot (a private field, or an indexed cache expression for array elements).
 */
export function viewMemberCode(
  unit: CodeUnit,
  type: FieldType,
  le: boolean,
  off: string,
  where: string,
  slot: string,
  placement?: BitPlacement,
): ViewMemberCode {
  const code = fieldCode(unit, type, le, placement);
  const setter = code.store('this.#dv', off, 'v', where);
  const subView = (ctor: string, size: number) =>
    `${ctor}(this.#dv.buffer, this.#dv.byteOffset + ${off === '0' ? '0' : `(${off})`}, ${size})`;
  switch (type.kind) {
    case 'struct':
    case 'union':
    case 'array': {
      const View = unit.ref(compiledOf(type, le).View, 'View');
      return {
        slots: [slot],
        getter: `return ${slot} ??= new ${View}(new ${subView('DataView', type.size)});`,
        setter,
      };
    }
    case 'bytes':
      return { slots: [slot], getter: `return ${slot} ??= new ${subView('Uint8Array', type.size)};`, setter };
    default:
      return { slots: [], getter: `return ${code.read('this.#dv', off)};`, setter };
  }
}

