/** layout(): every leaf (scalar, bit field, whole chars/bytes/wchars field) with its place. */
import { storageUnit } from './bit-geometry.js';
import type { Member } from './layout.js';
import type { AnyStructType, ElementType } from './types.js';

export interface LayoutLeaf {
  /** Dotted path, array elements by index: `pts.2.x`. */
  readonly path: string;
  /** Byte offset from the start of the outermost type (bit fields: of the storage unit). */
  readonly offset: number;
  /** Size in bytes (bit fields: of the storage unit). */
  readonly size: number;
  /** Canonical scalar name (`int32`, not `c_int`), or `chars` / `bytes` / `wchars`. */
  readonly type: string;
  /** Bit fields: position of the field's least significant bit in the storage unit. */
  readonly bitOffset?: number;
  readonly bitWidth?: number;
}

function collectElement(type: ElementType, offset: number, path: string, out: LayoutLeaf[]): void {
  switch (type.kind) {
    case 'scalar':
      out.push({ path, offset, size: type.size, type: type.name });
      return;
    case 'chars':
    case 'bytes':
    case 'wchars':
      out.push({ path, offset, size: type.size, type: type.kind });
      return;
    case 'array':
      for (let i = 0; i < type.length; i++) collectElement(type.element, offset + i * type.element.size, `${path}.${i}`, out);
      return;
    default:
      collectStruct(type, offset, `${path}.`, out);
  }
}

export function collectStruct(t: AnyStructType, offset: number, prefix: string, out: LayoutLeaf[]): void {
  const le = t.endian !== 'big';
  for (const m of t.members as readonly Member[]) {
    const path = prefix + m.name;
    if (m.type.kind === 'bits') {
      const unit = storageUnit({
        bitPos: m.bitPos!,
        width: m.bitWidth!,
        storageSize: m.type.storage.size,
        containerSize: t.size,
        le,
      });
      out.push({
        path,
        offset: offset + unit.offset,
        size: unit.size,
        type: m.type.storage.name,
        bitOffset: unit.shift,
        bitWidth: m.bitWidth!,
      });
    } else {
      collectElement(m.type, offset + m.offset, path, out);
    }
  }
}
