/** fromSchema(): builds types from the JSON form produced by toSchema() or written by hand. */
import { array, bits, bytes, chars, wchars } from './composites.js';
import { StructError } from './errors.js';
import { SCALAR_NAMES } from './scalars.js';
import type { Schema } from './schema-out.js';
import { StructType } from './struct-type.js';
import type {
  ArrayType,
  BitsType,
  BytesType,
  CharsType,
  ElementType,
  FieldType,
  IntegerName,
  ScalarType,
  StructOptions,
  WcharsType,
} from './types.js';

type Scalars = typeof SCALAR_NAMES;
type Merge<A, B> = { [K in keyof A | keyof B]: K extends keyof B ? B[K] : K extends keyof A ? A[K] : never };

/** The field type a schema entry denotes (type-level mirror of fromSchema). */
export type SchemaFieldType<T> = T extends keyof Scalars
  ? Scalars[T]
  : T extends { readonly chars: number }
    ? CharsType
    : T extends { readonly bytes: number }
      ? BytesType
      : T extends { readonly wchars: number }
        ? WcharsType
        : T extends { readonly array: infer E; readonly length: number }
          ? ArrayType<Extract<SchemaFieldType<E>, ElementType>>
          : T extends { readonly bits: infer B; readonly width: number }
            ? B extends keyof Scalars
              ? Scalars[B] extends ScalarType<IntegerName>
                ? BitsType<Scalars[B]>
                : never
              : BitsType
            : T extends { readonly fields: unknown }
              ? StructType<SchemaFields<T>>
              : FieldType;

type OwnSchemaFields<S> = S extends { readonly fields: infer L }
  ? L extends ReadonlyArray<readonly [string, unknown]>
    ? { [P in L[number] as P[0]]: SchemaFieldType<P[1]> }
    : { readonly [name: string]: FieldType }
  : { readonly [name: string]: FieldType };

/** The fields object type a schema denotes (base fields first). */
export type SchemaFields<S> = S extends { readonly base: infer B }
  ? Merge<SchemaFields<B>, OwnSchemaFields<S>>
  : OwnSchemaFields<S>;

const SCHEMA_KEYS = new Set(['name', 'kind', 'pack', 'endian', 'align', 'base', 'fields']);

function fail(where: string, message: string): never {
  throw new StructError('ERR_SHMKIT_STRUCT_INVALID_SCHEMA', `schema ${where}: ${message}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function onlyKeys(where: string, v: Record<string, unknown>, keys: string[]): void {
  for (const k of Object.keys(v)) if (!keys.includes(k)) fail(where, `unexpected key "${k}" (expected ${keys.join(', ')})`);
}

class SchemaReader {
  // A schema object used in several places (the same Point in two fields) becomes one type.
  private readonly built = new Map<object, StructType<any>>();

  structOf(s: unknown, where: string, defaultName: string): StructType<any> {
    if (!isObject(s)) fail(where, 'expected an object with "fields"');
    const cached = this.built.get(s);
    if (cached) return cached;
    for (const k of Object.keys(s)) if (!SCHEMA_KEYS.has(k)) fail(where, `unexpected key "${k}"`);
    const name = s.name ?? defaultName;
    if (typeof name !== 'string') fail(where, '"name" must be a string');
    const kind = s.kind ?? 'struct';
    if (kind !== 'struct' && kind !== 'union') fail(where, `"kind" must be "struct" or "union", got ${JSON.stringify(kind)}`);
    if (!Array.isArray(s.fields)) fail(where, '"fields" must be an array of [name, type] pairs');
    const options: Record<string, unknown> = {};
    for (const k of ['pack', 'endian', 'align'] as const) if (s[k] !== undefined) options[k] = s[k];
    const fields: Array<[string, FieldType]> = s.fields.map((entry: unknown, i: number) => {
      const at = `${where}.fields[${i}]`;
      if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string') {
        fail(at, 'expected a [name, type] pair');
      }
      return [entry[0], this.fieldOf(entry[1], `${at} "${entry[0]}"`, `${name}_${entry[0]}`)];
    });
    const built = this.guard(where, () => {
      if (s.base === undefined) return new StructType(kind, name, fields, options as StructOptions);
      if (kind !== 'struct') fail(where, 'only structs can have a "base"');
      const base = this.structOf(s.base, `${where}.base`, `${name}_base`);
      const own = { ...(options as StructOptions) };
      if (own.endian === undefined) own.endian = base.endian;
      if (s.pack === undefined && base.pack !== undefined) own.pack = base.pack;
      return new StructType('struct', name, fields, own, base);
    });
    this.built.set(s, built);
    return built;
  }

  private guard<T>(where: string, build: () => T): T {
    try {
      return build();
    } catch (e) {
      if (e instanceof StructError && e.code === 'ERR_SHMKIT_STRUCT_INVALID_DEFINITION') fail(where, e.message);
      throw e;
    }
  }

  fieldOf(t: unknown, where: string, defaultName: string): FieldType {
    if (typeof t === 'string') {
      if (!Object.hasOwn(SCALAR_NAMES, t)) fail(where, `unknown type name ${JSON.stringify(t)}`);
      return SCALAR_NAMES[t as keyof typeof SCALAR_NAMES];
    }
    if (!isObject(t)) fail(where, 'expected a type name or a type object');
    if ('fields' in t) return this.structOf(t, where, defaultName);
    if ('chars' in t) {
      onlyKeys(where, t, ['chars']);
      return this.guard(where, () => chars(t.chars as number));
    }
    if ('bytes' in t) {
      onlyKeys(where, t, ['bytes']);
      return this.guard(where, () => bytes(t.bytes as number));
    }
    if ('wchars' in t) {
      onlyKeys(where, t, ['wchars']);
      return this.guard(where, () => wchars(t.wchars as number));
    }
    if ('array' in t) {
      onlyKeys(where, t, ['array', 'length']);
      const element = this.fieldOf(t.array, `${where}.array`, defaultName);
      if (element.kind === 'bits') fail(where, 'bit fields cannot be array elements');
      return this.guard(where, () => array(element, t.length as number));
    }
    if ('bits' in t) {
      onlyKeys(where, t, ['bits', 'width']);
      const storage = typeof t.bits === 'string' && Object.hasOwn(SCALAR_NAMES, t.bits) ? SCALAR_NAMES[t.bits as keyof Scalars] : undefined;
      if (!storage) fail(where, `unknown bit field type ${JSON.stringify(t.bits)}`);
      return this.guard(where, () => bits(storage as ScalarType<IntegerName>, t.width as number));
    }
    return fail(where, 'expected one of "chars", "bytes", "wchars", "array", "bits" or "fields"');
  }
}

/**
 * Builds a struct or union type from its JSON schema:
 * `{ "name": "Demo", "kind": "struct", "pack": 8, "endian": "little", "fields": [["a", "int32"],
 * ["s", {"chars": 16}], ["p", {"array": "float64", "length": 3}], ["f", {"bits": "uint32", "width": 3}]] }`.
 */
export function fromSchema<const S extends Schema>(schema: S): StructType<SchemaFields<S>> {
  return new SchemaReader().structOf(schema, 'root', 'Struct') as any;
}



