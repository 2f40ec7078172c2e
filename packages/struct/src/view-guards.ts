/**
 * Prototypes placed at the end of every view's prototype chain. Known fields and indices are
 * accessors found before the guard is reached, so the guard costs nothing on the fast path; it
 * only sees what the view does not have: a write to an unknown field (a typo would otherwise add a
 * silent own property) or an index outside an array.
 */
import { unknownField } from './errors.js';

const INDEX = /^(?:0|[1-9][0-9]*)$/;

function isIndexKey(key: string | symbol): key is string {
  return typeof key === 'string' && (INDEX.test(key) || (key.length > 0 && key[0] === '-' && INDEX.test(key.slice(1))));
}

/** Guard for struct and union views: unknown reads see Object.prototype, unknown writes throw. */
export function structGuard(typeName: string): object {
  return new Proxy(Object.prototype, {
    set(_target, key) {
      throw unknownField(typeName, String(key));
    },
    defineProperty(_target, key) {
      throw unknownField(typeName, String(key));
    },
  });
}

interface IndexedView {
  get(index: number): unknown;
  set(index: number, value: unknown): void;
}

/** Guard for array views: `arr[i]` goes to `get(i)` / `set(i, v)`, which check the range. */
export function arrayGuard(typeName: string): object {
  return new Proxy(Object.prototype, {
    get(target, key, receiver) {
      if (isIndexKey(key)) return (receiver as IndexedView).get(Number(key));
      return Reflect.get(target, key, receiver);
    },
    set(_target, key, value, receiver) {
      if (isIndexKey(key)) {
        (receiver as IndexedView).set(Number(key), value);
        return true;
      }
      throw unknownField(typeName, String(key));
    },
    defineProperty(_target, key) {
      throw unknownField(typeName, String(key));
    },
  });
}
