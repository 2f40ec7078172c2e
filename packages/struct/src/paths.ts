/** Dotted paths (`'multi_pts.multi_points.3.x'`): field names, and indices into arrays. */
import type { BitPlacement } from './bit-geometry.js';
import { StructError, indexOutOfRange, unknownField } from './errors.js';
import type { Member } from './layout.js';
import type { AnyStructType, FieldType } from './types.js';

export interface ResolvedPath {
  readonly path: string;
  readonly type: FieldType;
  /** Byte offset from the start of the root type (bit fields: of their enclosing struct). */
  readonly offset: number;
  /** Byte order of the struct that (directly or through arrays) holds the node. */
  readonly le: boolean;
  readonly placement?: BitPlacement;
}

const INDEX = /^(?:0|[1-9][0-9]*)$/;

function memberNamed(t: AnyStructType, name: string): Member | undefined {
  for (const m of t.members as readonly Member[]) if (m.name === name) return m;
  return undefined;
}

export function resolvePath(root: AnyStructType, path: string): ResolvedPath {
  if (typeof path !== 'string' || path === '') {
    throw new StructError('ERR_SHMKIT_STRUCT_UNKNOWN_FIELD', `${root.name}: a path must be a non-empty string like "a.b.3.c"`);
  }
  let type: FieldType = root;
  let offset = 0;
  let le = root.endian !== 'big';
  let placement: BitPlacement | undefined;
  const segments = path.split('.');
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const sofar = segments.slice(0, i + 1).join('.');
    if (type.kind === 'struct' || type.kind === 'union') {
      const m = memberNamed(type, segment);
      if (!m) throw unknownField(root.name, sofar);
      le = type.endian !== 'big';
      if (m.type.kind === 'bits') {
        placement = { bitPos: m.bitPos!, width: m.bitWidth!, storageSize: m.type.storage.size, containerSize: type.size, le };
      } else {
        offset += m.offset;
      }
      type = m.type;
    } else if (type.kind === 'array') {
      if (!INDEX.test(segment)) {
        throw new StructError(
          /^-?\d+$/.test(segment) ? 'ERR_SHMKIT_STRUCT_INDEX_OUT_OF_RANGE' : 'ERR_SHMKIT_STRUCT_UNKNOWN_FIELD',
          `${root.name}: "${sofar}": an array needs an index from 0 to ${type.length - 1}`,
          sofar,
        );
      }
      const index = Number(segment);
      if (index >= type.length) throw indexOutOfRange(sofar, index, type.length);
      offset += index * type.element.size;
      type = type.element;
    } else {
      throw unknownField(root.name, sofar);
    }
  }
  return placement ? { path, type, offset, le, placement } : { path, type, offset, le };
}
