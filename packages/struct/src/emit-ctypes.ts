/**
 * toCtypes(): a Python ctypes definition with the same layout, for the Python side of a mapping.
 * Notes on what ctypes cannot say directly:
 * - `align` becomes a trailing zero-length array of a type with that alignment (works on every
 *   Python version), wrapped in an outer class when `pack` would cap it; above 16, `_align_`
 *   (Python >= 3.13).
 * - In big-endian types, ctypes (through 3.13) has no byte-swapped `c_bool` / `c_wchar`: they are
 *   declared as `c_uint8` / `c_uint32` (same bytes; Python sees integers). Unions used inside
 *   big-endian types are marked so that ctypes accepts them (their own byte order applies).
 * - `_pack_` comes with `_layout_ = "ms"` (what `_pack_` has always meant; required from 3.14 on).
 *   Python before 3.14 lays out some bit-field structs differently from GCC; GCC is the reference.
 */
import { namedTypes } from './emit-order.js';
import type { AnyStructType, ElementType, FieldType, ScalarName } from './types.js';

export interface CtypesOptions {
  /** Emit `import ctypes` (default true). */
  imports?: boolean;
}

const PY_SCALAR: Record<ScalarName, string> = {
  int8: 'ctypes.c_int8',
  uint8: 'ctypes.c_uint8',
  int16: 'ctypes.c_int16',
  uint16: 'ctypes.c_uint16',
  int32: 'ctypes.c_int32',
  uint32: 'ctypes.c_uint32',
  int64: 'ctypes.c_int64',
  uint64: 'ctypes.c_uint64',
  float32: 'ctypes.c_float',
  float64: 'ctypes.c_double',
  bool: 'ctypes.c_bool',
  char: 'ctypes.c_char',
  wchar: 'ctypes.c_wchar',
};

// Same bytes, byte-swappable by ctypes.
const BIG_ENDIAN_SUBSTITUTE: Partial<Record<ScalarName, string>> = { bool: 'ctypes.c_uint8', wchar: 'ctypes.c_uint32' };

const PY_RESERVED = new Set(
  (
    'False None True and as assert async await break class continue def del elif else except finally for from ' +
    'global if import in is lambda nonlocal not or pass raise return try while with yield ctypes _ShmkitAlign16'
  ).split(' '),
);

const ALIGN_TYPE: Record<number, string> = {
  2: 'ctypes.c_int16',
  4: 'ctypes.c_int32',
  8: 'ctypes.c_int64',
  16: '_ShmkitAlign16',
};

type NameOf = (t: AnyStructType) => string;

function scalarExpr(name: ScalarName, big: boolean): string {
  return (big && BIG_ENDIAN_SUBSTITUTE[name]) || PY_SCALAR[name];
}

function typeExpr(t: ElementType, big: boolean, nameOf: NameOf): string {
  switch (t.kind) {
    case 'scalar':
      return scalarExpr(t.name, big);
    case 'chars':
      return `ctypes.c_char * ${t.length}`;
    case 'bytes':
      return `ctypes.c_uint8 * ${t.length}`;
    case 'wchars':
      return `${scalarExpr('wchar', big)} * ${t.length}`;
    case 'array': {
      const inner = typeExpr(t.element, big, nameOf);
      return `${/ \* /.test(inner) ? `(${inner})` : inner} * ${t.length}`;
    }
    default:
      return nameOf(t);
  }
}

function fieldEntry(name: string, type: FieldType, big: boolean, nameOf: NameOf): string {
  if (type.kind === 'bits') return `("${name}", ${PY_SCALAR[type.storage.name]}, ${type.width}),`;
  return `("${name}", ${typeExpr(type, big, nameOf)}),`;
}

function baseClass(t: AnyStructType): string {
  const big = t.endian === 'big';
  if (t.kind === 'union') return big ? 'ctypes.BigEndianUnion' : 'ctypes.Union';
  return big ? 'ctypes.BigEndianStructure' : 'ctypes.Structure';
}

function unionsInside(t: FieldType): AnyStructType | undefined {
  let e: FieldType = t;
  while (e.kind === 'array') e = e.element;
  return e.kind === 'union' ? e : undefined;
}

function alignmentLines(align: number): { field?: string; attribute?: string } {
  if (align <= 1) return {};
  if (align > 16) return { attribute: `_align_ = ${align}  # Python >= 3.13` };
  return { field: `("_shmkit_align_", ${ALIGN_TYPE[align]} * 0),` };
}

function classLines(name: string, parent: string, attrs: string[], fields: string[]): string[] {
  return [
    `class ${name}(${parent}):`,
    ...attrs.map((a) => `    ${a}`),
    '    _fields_ = [',
    ...fields.map((f) => `        ${f}`),
    '    ]',
  ];
}

/** Whether ctypes needs an aligned wrapper class around the packed body (see definition()). */
function isWrapped(t: AnyStructType): boolean {
  return (t.minAlign ?? 1) > 1 && t.pack !== undefined && t.pack < (t.minAlign ?? 1);
}

/** The `_pack_` a subclass of `t`'s emitted class inherits (a wrapper class has none). */
function inheritedPack(t: AnyStructType): number | undefined {
  return isWrapped(t) ? undefined : t.pack;
}

function definition(t: AnyStructType, nameOf: NameOf, reserveName: (n: string) => string): string[] {
  const big = t.endian === 'big';
  const name = nameOf(t);
  const parent = t.base ? nameOf(t.base) : baseClass(t);
  const attrs: string[] = [];
  const packChanged = t.base ? t.pack !== inheritedPack(t.base) : t.pack !== undefined;
  if (packChanged) {
    attrs.push(`_pack_ = ${t.pack ?? 0}`);
    if (t.pack !== undefined) attrs.push('_layout_ = "ms"');
    if (t.ownFields.some(([, f]) => f.kind === 'bits')) {
      attrs.push('# Bit fields with _pack_: ctypes may place them differently from GCC\'s #pragma pack.');
    }
  }
  const fields = t.ownFields.map(([n, f]) => fieldEntry(n, f, big, nameOf));
  const minAlign = t.minAlign ?? 1;
  const { field: alignField, attribute: alignAttr } = alignmentLines(minAlign);
  if (isWrapped(t)) {
    // _pack_ would cap the alignment field: put the packed body inside an aligned wrapper. The
    // wrapper lifts the body's fields (and, through a nested anonymous field, the base's).
    const body = reserveName(`${name}_body`);
    const bodyAttrs = [...attrs];
    let bodyParent = parent;
    if (t.base) {
      bodyParent = baseClass(t);
      bodyAttrs.unshift('_anonymous_ = ("_shmkit_base_",)');
      if (!packChanged) bodyAttrs.push(`_pack_ = ${t.pack}`, '_layout_ = "ms"');
      fields.unshift(`("_shmkit_base_", ${nameOf(t.base)}),`);
    }
    const wrap = alignmentLines(t.align);
    const wrapperFields = [`("_shmkit_body_", ${body}),`];
    if (wrap.field) wrapperFields.push(wrap.field);
    return [
      ...classLines(body, bodyParent, bodyAttrs, fields),
      '',
      '',
      ...classLines(name, 'ctypes.Structure', ['_anonymous_ = ("_shmkit_body_",)', ...(wrap.attribute ? [wrap.attribute] : [])], wrapperFields),
    ];
  }
  if (alignField) fields.push(alignField);
  if (alignAttr) attrs.push(alignAttr);
  return classLines(name, parent, attrs, fields);
}

export function emitCtypes(root: AnyStructType, options: CtypesOptions = {}): string {
  const { imports = true } = options;
  const { order, nameOf } = namedTypes(root, PY_RESERVED);
  const taken = new Set<string>([...PY_RESERVED, ...order.map(nameOf)]);
  const reserveName = (wanted: string): string => {
    let n = wanted;
    for (let i = 2; taken.has(n); i++) n = `${wanted}_${i}`;
    taken.add(n);
    return n;
  };
  const nestedInBig = new Set<AnyStructType>();
  for (const t of order) {
    if (t.endian !== 'big') continue;
    for (const [, f] of t.ownFields) {
      const u = unionsInside(f);
      if (u) nestedInBig.add(u);
    }
  }
  const body: string[] = [];
  for (const t of order) {
    body.push('', '', ...definition(t, nameOf, reserveName));
    if (nestedInBig.has(t)) {
      const n = nameOf(t);
      body.push(`${n}.__ctype_be__ = ${n}  # lets ctypes nest this union in big-endian types as is`);
    }
  }
  const out: string[] = [`# ${root.kind} ${root.name}: ${root.size} bytes, alignment ${root.align}. Generated by @shmkit/struct.`];
  if (imports) out.push('import ctypes');
  if (body.some((line) => line.includes('_ShmkitAlign16'))) {
    out.push('', '', ...classLines('_ShmkitAlign16', 'ctypes.Structure', [], ['("_", ctypes.c_longdouble * 0),']));
  }
  out.push(...body);
  return `${out.join('\n')}\n`;
}
