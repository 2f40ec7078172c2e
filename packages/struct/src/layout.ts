import { MAX_TYPE_SIZE } from './composites.js';
import { invalidDefinition } from './errors.js';
import type { FieldType, Pack } from './types.js';

/** One field placed inside a struct or union. */
export interface Member {
  readonly name: string;
  readonly type: FieldType;
  /** Byte offset from the start of the enclosing type (bit fields: the byte holding the first bit). */
  readonly offset: number;
  /**
   * Bit fields only: bit position from the start of the enclosing type. Little-endian types count
   * from the least significant bit of byte 0; big-endian types from its most significant bit.
   */
  readonly bitPos?: number;
  readonly bitWidth?: number;
}

export interface CompositeLayout {
  readonly members: readonly Member[];
  readonly size: number;
  readonly align: number;
}

const roundUp = (n: number, multiple: number): number => Math.ceil(n / multiple) * multiple;

/**
 * Places fields the way ctypes and GCC do on Linux x86-64:
 * - a field goes at the next multiple of its alignment, capped at `pack` when given;
 * - a bit field continues at the current bit position unless it would cross a boundary of its
 *   declared type's natural unit; under `pack` GCC packs bit fields with no such boundary;
 *   a named bit field still gives the struct its type's (capped) alignment;
 * - a union puts every field at offset 0;
 * - the size is padded to the alignment, which is the largest field alignment (and `align`);
 * - a derived type (ctypes subclass) starts after the base's full size, tail padding included.
 */
export function computeLayout(
  kind: 'struct' | 'union',
  fields: ReadonlyArray<readonly [string, FieldType]>,
  options: { pack?: Pack | undefined; align?: number | undefined },
  base?: CompositeLayout,
): CompositeLayout {
  const pack = options.pack;
  const members: Member[] = base ? [...base.members] : [];
  let align = base ? base.align : 1;
  let bitPos = base ? base.size * 8 : 0;
  let unionSize = 0;

  for (const [name, type] of fields) {
    const fieldAlign = pack ? Math.min(type.align, pack) : type.align;
    align = Math.max(align, fieldAlign);
    if (type.kind === 'bits') {
      const width = type.width;
      if (kind === 'union') {
        members.push({ name, type, offset: 0, bitPos: 0, bitWidth: width });
        unionSize = Math.max(unionSize, Math.ceil(width / 8));
        continue;
      }
      if (!pack) {
        const unit = type.storage.size * 8;
        if (Math.floor(bitPos / unit) !== Math.floor((bitPos + width - 1) / unit)) bitPos = roundUp(bitPos, unit);
      }
      members.push({ name, type, offset: Math.floor(bitPos / 8), bitPos, bitWidth: width });
      bitPos += width;
      continue;
    }
    if (kind === 'union') {
      members.push({ name, type, offset: 0 });
      unionSize = Math.max(unionSize, type.size);
      continue;
    }
    const offset = roundUp(Math.ceil(bitPos / 8), fieldAlign);
    members.push({ name, type, offset });
    bitPos = (offset + type.size) * 8;
  }

  if (options.align !== undefined) align = Math.max(align, options.align);
  const rawSize = kind === 'union' ? Math.max(unionSize, base ? base.size : 0) : Math.ceil(bitPos / 8);
  const size = roundUp(rawSize, align);
  if (size > MAX_TYPE_SIZE) throw invalidDefinition(`size ${size} exceeds the maximum of ${MAX_TYPE_SIZE} bytes`);
  return { members, size, align };
}
