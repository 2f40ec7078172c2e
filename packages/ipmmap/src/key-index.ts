import { IpmmapError } from './errors.js';
import type { AnyStructType, LayoutLeaf } from '@shmkit/struct';

type Getter = (view: any, bytes: Buffer) => unknown;
type Setter = (view: any, bytes: Buffer, value: unknown) => void;

/**
 * The keys of one struct type (dotted paths with array indices: 'data_xy.x',
 * 'multi_pts.multi_points.3.x') and a compiled accessor per key, built on first use and cached.
 * Every key is checked against the type's layout, so an unknown key is an error at any level
 * (Python ipmmap silently ignores an unknown last key on write).
 */
export class KeyIndex {
  readonly #type: AnyStructType;
  readonly #structName: string;
  readonly #leaves = new Map<string, LayoutLeaf>();
  /** Paths of nested structs and arrays (every proper prefix of a leaf path). */
  readonly #inner = new Set<string>();
  readonly #getters = new Map<string, Getter>();
  readonly #setters = new Map<string, Setter>();

  constructor(type: AnyStructType, structName: string) {
    this.#type = type;
    this.#structName = structName;
    for (const leaf of type.layout()) {
      this.#leaves.set(leaf.path, leaf);
      const parts = leaf.path.split('.');
      for (let i = 1; i < parts.length; i++) this.#inner.add(parts.slice(0, i).join('.'));
    }
  }

  #unknown(key: unknown): IpmmapError {
    return new IpmmapError(
      'ERR_SHMKIT_IPMMAP_UNKNOWN_KEY',
      `${JSON.stringify(key)} is not a field of ${this.#structName}` +
        (typeof key === 'string' && key.length > 0 ? '' : ' (keys are dotted paths such as "data_xy.x")'),
    );
  }

  getter(key: string): Getter {
    let fn = this.#getters.get(key);
    if (fn === undefined) {
      fn = this.#compileGetter(key);
      this.#getters.set(key, fn);
    }
    return fn;
  }

  setter(key: string): Setter {
    let fn = this.#setters.get(key);
    if (fn === undefined) {
      fn = this.#compileSetter(key);
      this.#setters.set(key, fn);
    }
    return fn;
  }

  #compileGetter(key: string): Getter {
    if (typeof key !== 'string') throw this.#unknown(key);
    const leaf = this.#leaves.get(key);
    const type = this.#type;
    if (!leaf) {
      if (!this.#inner.has(key)) throw this.#unknown(key);
      // A nested struct or array: a detached copy, as Python returns.
      return (_view, bytes) => type.get(bytes, key);
    }
    if (leaf.type === 'bytes') {
      return (_view, bytes) => Uint8Array.prototype.slice.call(bytes, leaf.offset, leaf.offset + leaf.size);
    }
    return compilePropertyRead(key);
  }

  #compileSetter(key: string): Setter {
    if (typeof key !== 'string') throw this.#unknown(key);
    const leaf = this.#leaves.get(key);
    const type = this.#type;
    if (leaf) {
      // Raw byte fields are written through the codec (a view's bytes field is a live Uint8Array,
      // not an assignable property); every other leaf through the view's generated setter.
      if (leaf.type === 'bytes') return (_view, bytes, value) => type.set(bytes, key, value);
      return compilePropertyWrite(key);
    }
    if (!this.#inner.has(key)) throw this.#unknown(key);
    // A nested struct or array: write the fields the value names, refusing names that do not exist.
    return (view, bytes, value) => {
      if (value === null || typeof value !== 'object') {
        throw new IpmmapError(
          'ERR_SHMKIT_IPMMAP_UNKNOWN_KEY',
          `${key} of ${this.#structName} is a struct or array; write an object or array of its fields, or a field path`,
        );
      }
      const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
      for (const [name, v] of entries) this.setter(`${key}.${name}`)(view, bytes, v);
    };
  }
}

/** `view => view["a"]["b"]["3"]`, compiled once per key so a read is a property walk, not a parse. */
function compilePropertyRead(key: string): Getter {
  const chain = key
    .split('.')
    .map((part) => `[${JSON.stringify(part)}]`)
    .join('');
  return new Function('view', `return view${chain};`) as Getter;
}

/** `(view, _, value) => { view["a"]["b"] = value; }`, compiled once per key. */
function compilePropertyWrite(key: string): Setter {
  const parts = key.split('.').map((part) => `[${JSON.stringify(part)}]`);
  return new Function('view', '_bytes', 'value', `view${parts.join('')} = value;`) as Setter;
}

const indexes = new WeakMap<AnyStructType, KeyIndex>();

export function keyIndexOf(type: AnyStructType, structName: string): KeyIndex {
  let index = indexes.get(type);
  if (!index) {
    index = new KeyIndex(type, structName);
    indexes.set(type, index);
  }
  return index;
}
