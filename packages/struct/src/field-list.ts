import { isElementType } from './composites.js';
import { invalidDefinition } from './errors.js';
import type { FieldType, FieldsInput } from './types.js';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,254}$/;

// Names must survive as C identifiers in the emitted header (and as JS property names).
const C_KEYWORDS = new Set(
  (
    'auto break case char const continue default do double else enum extern float for goto if inline int long ' +
    'register restrict return short signed sizeof static struct switch typedef union unsigned void volatile while ' +
    '_Alignas _Alignof _Atomic _Bool _Complex _Generic _Imaginary _Noreturn _Static_assert _Thread_local'
  ).split(' '),
);

export function checkIdentifier(what: string, name: unknown): string {
  if (typeof name !== 'string' || !IDENTIFIER.test(name) || C_KEYWORDS.has(name)) {
    throw invalidDefinition(
      `${what} must be a C identifier (letters, digits, underscore; not starting with a digit; not a C keyword), got ${JSON.stringify(String(name))}`,
    );
  }
  return name;
}

function isFieldType(t: unknown): t is FieldType {
  return isElementType(t) || (typeof t === 'object' && t !== null && (t as { kind?: unknown }).kind === 'bits');
}

/**
 * Normalises either field-list form to `[name, type]` pairs, checking names (identifiers, no
 * duplicates, none shadowing `taken`, the names of a base type) and types.
 */
export function normalizeFields(
  typeName: string,
  fields: FieldsInput,
  taken: ReadonlySet<string> = new Set(),
): Array<[string, FieldType]> {
  let pairs: Array<readonly [unknown, unknown]>;
  if (Array.isArray(fields)) {
    pairs = fields.map((entry, i) => {
      if (!Array.isArray(entry) || entry.length !== 2) {
        throw invalidDefinition(`${typeName}: field #${i} must be a [name, type] pair`);
      }
      return entry as unknown as readonly [unknown, unknown];
    });
  } else if (typeof fields === 'object' && fields !== null) {
    pairs = Object.entries(fields);
  } else {
    throw invalidDefinition(`${typeName}: fields must be an object or an array of [name, type] pairs`);
  }
  const seen = new Set(taken);
  return pairs.map(([name, type]) => {
    checkIdentifier(`${typeName}: field name`, name);
    const key = name as string;
    if (seen.has(key)) throw invalidDefinition(`${typeName}: duplicate field name "${key}"`);
    seen.add(key);
    if (!isFieldType(type)) {
      throw invalidDefinition(
        `${typeName}.${key}: not a field type (use a scalar, array(), chars(), bytes(), wchars(), bits() or a struct/union type)`,
      );
    }
    return [key, type];
  });
}
