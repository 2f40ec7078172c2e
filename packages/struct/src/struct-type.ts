import { viewFor } from './buffers.js';
import { type Compiled, compiledOf } from './codegen/compiled.js';
import { type PathAccess, compilePathAccess } from './codegen/compile-path.js';
import { type CHeaderOptions, emitCHeader } from './emit-c.js';
import { type CtypesOptions, emitCtypes } from './emit-ctypes.js';
import { invalidDefinition } from './errors.js';
import { checkIdentifier, normalizeFields } from './field-list.js';
import type { InputOf, StructView, ValueOf } from './infer.js';
import { type CompositeLayout, type Member, computeLayout } from './layout.js';
import { type LayoutLeaf, collectStruct } from './leaves.js';
import { resolvePath } from './paths.js';
import { storageUnit } from './bit-geometry.js';
import { type FullSchema, toSchema } from './schema-out.js';
import type { Endian, FieldType, FieldsInput, FieldsOf, Pack, StructOptions } from './types.js';

type AnyFields = { readonly [name: string]: FieldType };
type Merge<A, B> = { [K in keyof A | keyof B]: K extends keyof B ? B[K] : K extends keyof A ? A[K] : never };

const PACKS = new Set([1, 2, 4, 8, 16]);
const MAX_ALIGN = 4096;
const PATH_CACHE_LIMIT = 512;

function checkOptions(name: string, options: unknown): StructOptions {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null) throw invalidDefinition(`${name}: options must be an object`);
  for (const key of Object.keys(options)) {
    if (key !== 'pack' && key !== 'endian' && key !== 'align') {
      throw invalidDefinition(`${name}: unknown option "${key}" (expected pack, endian, align)`);
    }
  }
  const { pack, endian, align } = options as StructOptions;
  if (pack !== undefined && !PACKS.has(pack)) throw invalidDefinition(`${name}: pack must be 1, 2, 4, 8 or 16, got ${String(pack)}`);
  if (endian !== undefined && endian !== 'little' && endian !== 'big') {
    throw invalidDefinition(`${name}: endian must be "little" or "big", got ${String(endian)}`);
  }
  if (
    align !== undefined &&
    (typeof align !== 'number' || !Number.isInteger(align) || align < 1 || align > MAX_ALIGN || (align & (align - 1)) !== 0)
  ) {
    throw invalidDefinition(`${name}: align must be a power of two from 1 to ${MAX_ALIGN}, got ${String(align)}`);
  }
  return { pack, endian, align };
}

/**
 * A C struct or union type with ctypes- and GCC-exact layout. Build with `struct()`, `union()`,
 * `Base.extend()` or `fromSchema()`.
 */
export class StructType<F = AnyFields> {
  readonly kind: 'struct' | 'union';
  readonly name: string;
  /** All fields by name, in layout order (a base type's fields first). */
  readonly fields: Readonly<F>;
  /** Fields declared by this type itself (without the base type's). */
  readonly ownFields: ReadonlyArray<readonly [string, FieldType]>;
  /** The type this one extends (`Base.extend(...)`), if any. */
  readonly base: StructType<any> | undefined;
  readonly pack: Pack | undefined;
  readonly endian: Endian;
  /** The `align` option (minimum alignment), if given. */
  readonly minAlign: number | undefined;
  /** sizeof: bytes, tail padding included. */
  readonly size: number;
  /** Alignment in bytes. */
  readonly align: number;
  /** Placed fields (internal representation used by the code generators and emitters). */
  readonly members: readonly Member[];

  #leaves: readonly LayoutLeaf[] | undefined;
  #compiledCache: Compiled | undefined;
  readonly #paths = new Map<string, PathAccess>();

  /** @internal Use struct(), union(), extend() or fromSchema(). */
  constructor(
    kind: 'struct' | 'union',
    name: string,
    fields: FieldsInput,
    options?: StructOptions,
    base?: StructType<any>,
  ) {
    this.kind = kind;
    this.name = checkIdentifier(`${kind} name`, name);
    const opts = checkOptions(name, options);
    const taken = new Set(base ? Object.keys(base.fields) : []);
    const own = normalizeFields(name, fields, taken);
    const layout: CompositeLayout = computeLayout(kind, own, opts, base);
    this.ownFields = Object.freeze(own.map((pair) => Object.freeze(pair) as readonly [string, FieldType]));
    this.base = base;
    this.pack = opts.pack;
    this.endian = opts.endian ?? 'little';
    this.minAlign = opts.align;
    this.size = layout.size;
    this.align = layout.align;
    this.members = Object.freeze(layout.members.map((m) => Object.freeze(m)));
    const all: Record<string, FieldType> = {};
    for (const m of this.members) all[m.name] = m.type;
    this.fields = Object.freeze(all) as F;
    Object.freeze(this);
  }

  #compiled(): Compiled {
    return (this.#compiledCache ??= compiledOf(this, this.endian !== 'big'));
  }

  /**
   * A subtype whose fields follow this type's, as a ctypes subclass: the new fields start after
   * this type's full size (tail padding included). `pack` is inherited unless given; the byte
   * order is always inherited.
   */
  extend<const G extends FieldsInput>(
    name: string,
    fields: G,
    options?: StructOptions,
  ): StructType<Merge<F, FieldsOf<G>>> {
    if (this.kind !== 'struct') throw invalidDefinition(`${this.name}: only structs can be extended, not unions`);
    const opts = checkOptions(name, options);
    if (opts.endian !== undefined && opts.endian !== this.endian) {
      throw invalidDefinition(`${name}: a derived type keeps its base's byte order (${this.endian})`);
    }
    const merged: StructOptions = { endian: this.endian };
    const pack = opts.pack ?? this.pack;
    if (pack !== undefined) merged.pack = pack;
    if (opts.align !== undefined) merged.align = opts.align;
    return new StructType('struct', name, fields, merged, this) as any;
  }

  /** Byte offset of a field, array element or nested field (bit fields: of their storage unit). */
  offsetOf(path: string): number {
    const r = resolvePath(this, path);
    if (!r.placement) return r.offset;
    return r.offset + storageUnit(r.placement).offset;
  }

  /** Every leaf with its offset, size and canonical type; arrays expanded element by element. */
  layout(): readonly LayoutLeaf[] {
    if (!this.#leaves) {
      const out: LayoutLeaf[] = [];
      collectStruct(this, 0, '', out);
      this.#leaves = Object.freeze(out.map((leaf) => Object.freeze(leaf)));
    }
    return this.#leaves;
  }

  /**
   * A live object over `buffer` at `byteOffset`: its properties read and write the memory
   * directly (nested structs and arrays too). Accessors are compiled once per type.
   */
  view(buffer: ArrayBufferLike | ArrayBufferView, byteOffset = 0): StructView<F> {
    const dv = viewFor(buffer, byteOffset, this.size, this.name, 'view');
    const View = this.#compiled().View;
    return new View(new DataView(dv.buffer, dv.byteOffset + byteOffset, this.size)) as StructView<F>;
  }

  /** A detached plain object with the current values. */
  read(buffer: ArrayBufferLike | ArrayBufferView, byteOffset = 0): ValueOf<this> {
    const dv = viewFor(buffer, byteOffset, this.size, this.name, 'read');
    return this.#compiled().read(dv, byteOffset);
  }

  /**
   * Writes the fields present in `value` (nested objects and arrays may be partial too). Every
   * value is checked before the first byte is written: on error, memory is unchanged.
   */
  write(buffer: ArrayBufferLike | ArrayBufferView, byteOffset: number, value: InputOf<this>): void;
  write(buffer: ArrayBufferLike | ArrayBufferView, value: InputOf<this>): void;
  write(buffer: ArrayBufferLike | ArrayBufferView, offsetOrValue: number | InputOf<this>, value?: InputOf<this>): void {
    const byteOffset = typeof offsetOrValue === 'number' ? offsetOrValue : 0;
    const input: unknown = typeof offsetOrValue === 'number' ? value : offsetOrValue;
    const dv = viewFor(buffer, byteOffset, this.size, this.name, 'write');
    const c = this.#compiled();
    c.check(input, '');
    c.apply(dv, byteOffset, input);
  }

  #access(path: string): PathAccess {
    let access = this.#paths.get(path);
    if (!access) {
      access = compilePathAccess(resolvePath(this, path));
      if (this.#paths.size < PATH_CACHE_LIMIT) this.#paths.set(path, access);
    }
    return access;
  }

  /** The value at a dotted path (`'multi_pts.multi_points.3.x'`); composites come back detached. */
  get(buffer: ArrayBufferLike | ArrayBufferView, path: string, byteOffset = 0): unknown {
    const access = this.#access(path);
    const dv = viewFor(buffer, byteOffset, this.size, this.name, 'get');
    return access.get(dv, byteOffset);
  }

  /** Writes the value at a dotted path; checked first, so a rejected value changes nothing. */
  set(buffer: ArrayBufferLike | ArrayBufferView, path: string, value: unknown, byteOffset = 0): void {
    const access = this.#access(path);
    const dv = viewFor(buffer, byteOffset, this.size, this.name, 'set');
    access.set(dv, byteOffset, value);
  }

  /** The JSON schema form (see fromSchema). */
  toSchema(): FullSchema {
    return toSchema(this);
  }

  /** A C header declaring this type (and the types it uses) with the same layout. */
  toCHeader(options?: CHeaderOptions): string {
    return emitCHeader(this, options);
  }

  /** A Python ctypes definition of this type (and the types it uses) with the same layout. */
  toCtypes(options?: CtypesOptions): string {
    return emitCtypes(this, options);
  }

  toString(): string {
    return `${this.kind} ${this.name} (${this.size} bytes, align ${this.align})`;
  }
}

/** A struct type: fields in order, each at the next multiple of its alignment. */
export function struct<const F extends FieldsInput>(name: string, fields: F, options?: StructOptions): StructType<FieldsOf<F>> {
  return new StructType('struct', name, fields, options);
}

/** A union type: every field at offset 0; size of the largest, padded to the alignment. */
export function union<const F extends FieldsInput>(name: string, fields: F, options?: StructOptions): StructType<FieldsOf<F>> {
  return new StructType('union', name, fields, options);
}
