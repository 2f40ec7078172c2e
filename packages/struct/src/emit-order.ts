/**
 * For the emitters: every struct/union type a type depends on, dependencies first, each with a
 * unique name (distinct types that share a name get `_2`, `_3`, ... suffixes).
 */
import type { AnyStructType, ElementType, FieldType } from './types.js';

export interface NamedTypes {
  /** Dependencies first; the requested type last. */
  readonly order: readonly AnyStructType[];
  nameOf(t: AnyStructType): string;
}

function structsIn(t: FieldType | ElementType): AnyStructType | undefined {
  let e: FieldType | ElementType = t;
  while (e.kind === 'array') e = e.element;
  return e.kind === 'struct' || e.kind === 'union' ? e : undefined;
}

export function namedTypes(root: AnyStructType, reserved: ReadonlySet<string> = new Set()): NamedTypes {
  const order: AnyStructType[] = [];
  const seen = new Set<AnyStructType>();
  const visit = (t: AnyStructType): void => {
    if (seen.has(t)) return;
    seen.add(t);
    if (t.base) visit(t.base);
    for (const [, type] of t.ownFields) {
      const s = structsIn(type);
      if (s) visit(s);
    }
    order.push(t);
  };
  visit(root);

  const names = new Map<AnyStructType, string>();
  const used = new Set(reserved);
  // The requested type keeps its own name; dependencies are renamed on collision.
  for (const t of [root, ...order.filter((t) => t !== root)]) {
    let name = t.name;
    for (let i = 2; used.has(name); i++) name = `${t.name}_${i}`;
    used.add(name);
    names.set(t, name);
  }
  return { order, nameOf: (t) => names.get(t)! };
}
