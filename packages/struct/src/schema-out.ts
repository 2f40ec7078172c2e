/** toSchema(): the JSON form of a type, so layouts can be shared with other languages and tools. */
import type { AnyStructType, ElementType, Endian, FieldType, Pack } from './types.js';

/** A field type in a schema: a scalar name (canonical or c_ alias) or an object form. */
export type TypeSchema =
  | string
  | { readonly chars: number }
  | { readonly bytes: number }
  | { readonly wchars: number }
  | { readonly array: TypeSchema; readonly length: number }
  | { readonly bits: string; readonly width: number }
  | Schema;

/** A struct or union in JSON form. */
export interface Schema {
  readonly name?: string;
  readonly kind?: 'struct' | 'union';
  readonly pack?: Pack;
  readonly endian?: Endian;
  readonly align?: number;
  /** The type this one extends: its fields come first, and the own fields start after its size. */
  readonly base?: Schema;
  readonly fields: ReadonlyArray<readonly [string, TypeSchema]>;
}

/** What toSchema() returns: a Schema with every defaulted key spelled out. */
export interface FullSchema extends Schema {
  readonly name: string;
  readonly kind: 'struct' | 'union';
  readonly endian: Endian;
  readonly base?: FullSchema;
}

function elementSchema(t: ElementType): TypeSchema {
  switch (t.kind) {
    case 'scalar':
      return t.name;
    case 'chars':
      return { chars: t.length };
    case 'bytes':
      return { bytes: t.length };
    case 'wchars':
      return { wchars: t.length };
    case 'array':
      return { array: elementSchema(t.element), length: t.length };
    default:
      return toSchema(t);
  }
}

function fieldSchema(t: FieldType): TypeSchema {
  return t.kind === 'bits' ? { bits: t.storage.name, width: t.width } : elementSchema(t);
}

export function toSchema(t: AnyStructType): FullSchema {
  const out: {
    name: string;
    kind: 'struct' | 'union';
    pack?: Pack;
    endian: Endian;
    align?: number;
    base?: FullSchema;
    fields: Array<[string, TypeSchema]>;
  } = { name: t.name, kind: t.kind, endian: t.endian, fields: [] };
  if (t.pack !== undefined) out.pack = t.pack;
  if (t.minAlign !== undefined) out.align = t.minAlign;
  if (t.base) out.base = toSchema(t.base);
  out.fields = t.ownFields.map(([name, type]) => [name, fieldSchema(type)]);
  // Key order as documented: name, kind, pack, endian, align, base, fields.
  const { name, kind, pack, endian, align, base, fields } = out;
  return JSON.parse(JSON.stringify({ name, kind, pack, endian, align, base, fields }));
}
