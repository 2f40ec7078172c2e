/**
 * toCHeader(): a C declaration with the same layout as the type, for the C side of a mapping.
 * `pack` becomes `#pragma pack(push, n)`, `endian: 'big'` GCC's `scalar_storage_order`, `align`
 * `__attribute__((aligned(n)))`. A derived type (extend) embeds its base as an anonymous struct
 * (C11), so C code names the base's fields directly, as Python does. Static assertions check
 * size, alignment and field offsets at compile time.
 */
import { namedTypes } from './emit-order.js';
import type { Member } from './layout.js';
import type { AnyStructType, ElementType, FieldType, ScalarName } from './types.js';

export interface CHeaderOptions {
  /** Wrap in an include guard (default true). */
  guard?: boolean;
  /** Emit _Static_assert checks of size, alignment and offsets (default true). */
  asserts?: boolean;
  /** Emit the #include lines (default true). */
  includes?: boolean;
}

const C_SCALAR: Record<ScalarName, string> = {
  int8: 'int8_t',
  uint8: 'uint8_t',
  int16: 'int16_t',
  uint16: 'uint16_t',
  int32: 'int32_t',
  uint32: 'uint32_t',
  int64: 'int64_t',
  uint64: 'uint64_t',
  float32: 'float',
  float64: 'double',
  bool: '_Bool',
  char: 'char',
  wchar: 'wchar_t',
};

type NameOf = (t: AnyStructType) => string;

/** `int32_t name[2][3]`, `struct P pts[24]`, `uint32_t flags : 3`. */
function declaration(type: FieldType, name: string, nameOf: NameOf): string {
  if (type.kind === 'bits') return `${C_SCALAR[type.storage.name]} ${name} : ${type.width}`;
  let dims = '';
  let e: ElementType = type;
  while (e.kind === 'array') {
    dims += `[${e.length}]`;
    e = e.element;
  }
  switch (e.kind) {
    case 'scalar':
      return `${C_SCALAR[e.name]} ${name}${dims}`;
    case 'chars':
      return `char ${name}${dims}[${e.length}]`;
    case 'bytes':
      return `uint8_t ${name}${dims}[${e.length}]`;
    case 'wchars':
      return `wchar_t ${name}${dims}[${e.length}]`;
    default:
      return `${e.kind} ${nameOf(e)} ${name}${dims}`;
  }
}

function attributes(t: AnyStructType, extraAlign: number | undefined): string {
  const parts: string[] = [];
  if (t.endian === 'big') parts.push('scalar_storage_order("big-endian")');
  const align = Math.max(t.minAlign ?? 0, extraAlign ?? 0);
  if (align > 0) parts.push(`aligned(${align})`);
  return parts.length ? ` __attribute__((${parts.join(', ')}))` : '';
}

function pragmaOpen(pack: number | undefined): string[] {
  if (pack !== undefined) return [`#pragma pack(push, ${pack})`];
  // Inside a packed derived type, a base without pack must reset to the default packing.
  return ['#pragma pack(push)', '#pragma pack()'];
}

/**
 * GCC caps an anonymous base member's alignment at the derived type's pack; a ctypes subclass keeps
 * the base's alignment. An explicit aligned() on the derived type restores it.
 */
function restoredAlign(t: AnyStructType): number | undefined {
  return t.base && t.pack !== undefined && t.pack < t.base.align ? t.align : undefined;
}

/** Body lines of a struct: the base (inlined anonymously) then the own fields. */
function bodyLines(t: AnyStructType, nameOf: NameOf, indent: string, outerPack: number | undefined): string[] {
  const lines: string[] = [];
  if (t.base) {
    const base = t.base;
    const open = base.pack !== outerPack ? pragmaOpen(base.pack) : [];
    lines.push(...open);
    lines.push(`${indent}struct${attributes(base, restoredAlign(base))} {`);
    lines.push(...bodyLines(base, nameOf, `${indent}  `, base.pack));
    lines.push(`${indent}};`);
    if (open.length) lines.push('#pragma pack(pop)');
  }
  for (const [name, type] of t.ownFields) lines.push(`${indent}${declaration(type, name, nameOf)};`);
  return lines;
}

/** The declaration of one struct or union (its dependencies must precede it). */
function definition(t: AnyStructType, nameOf: NameOf): string[] {
  const needsAlign = restoredAlign(t);
  const name = nameOf(t);
  const lines: string[] = [];
  if (t.pack !== undefined) lines.push(`#pragma pack(push, ${t.pack})`);
  lines.push(`${t.kind}${attributes(t, needsAlign)} ${name} {`);
  lines.push(...bodyLines(t, nameOf, '  ', t.pack));
  lines.push('};');
  if (t.pack !== undefined) lines.push('#pragma pack(pop)');
  lines.push(`typedef ${t.kind} ${name} ${name};`);
  return lines;
}

function assertions(t: AnyStructType, nameOf: NameOf): string[] {
  const c = `${t.kind} ${nameOf(t)}`;
  const lines = [
    `_Static_assert(sizeof(${c}) == ${t.size}, "${nameOf(t)}: size");`,
    `_Static_assert(_Alignof(${c}) == ${t.align}, "${nameOf(t)}: alignment");`,
  ];
  for (const m of t.members as readonly Member[]) {
    if (m.type.kind === 'bits') continue;
    lines.push(`_Static_assert(offsetof(${c}, ${m.name}) == ${m.offset}, "${nameOf(t)}.${m.name}: offset");`);
  }
  return lines;
}

export function emitCHeader(root: AnyStructType, options: CHeaderOptions = {}): string {
  const { guard = true, asserts = true, includes = true } = options;
  const { order, nameOf } = namedTypes(root);
  const out: string[] = [`/* ${root.kind} ${root.name}: ${root.size} bytes, alignment ${root.align}. Generated by @shmkit/struct. */`];
  const guardName = `SHMKIT_STRUCT_${root.name.toUpperCase()}_H`;
  if (guard) out.push(`#ifndef ${guardName}`, `#define ${guardName}`);
  if (includes) out.push('', '#include <stddef.h>', '#include <stdint.h>');
  for (const t of order) {
    out.push('', ...definition(t, nameOf));
    if (asserts) out.push(...assertions(t, nameOf));
  }
  if (guard) out.push('', `#endif /* ${guardName} */`);
  return `${out.join('\n')}\n`;
}
