/**
 * Collects the values a generated function closes over and compiles its source once. Generated code
 * refers to every outside value through a parameter name handed out by `ref`, so no value is ever
 * spliced into source text; strings are spliced only through `lit` (JSON quoting).
 */
export class CodeUnit {
  private readonly names: string[] = [];
  private readonly values: unknown[] = [];
  private readonly byValue = new Map<unknown, string>();

  ref(value: unknown, hint = 'v'): string {
    let name = this.byValue.get(value);
    if (name === undefined) {
      name = `${hint}$${this.names.length}`;
      this.names.push(name);
      this.values.push(value);
      this.byValue.set(value, name);
    }
    return name;
  }

  compile<T>(body: string): T {
    // Compiled once per type, from vetted identifiers and JSON-quoted strings only.
    const factory = new Function(...this.names, `'use strict';\n${body}`);
    return factory(...this.values) as T;
  }
}

/** A JS string literal. */
export function lit(s: string): string {
  return JSON.stringify(s);
}

/** `base + k`, folded when k is 0 or base is a literal. */
export function plus(base: string, k: number): string {
  if (k === 0) return base;
  if (/^\d+$/.test(base)) return String(Number(base) + k);
  return `${base} + ${k}`;
}
