/** Stable error codes of @shmkit/struct; match on `code`, never on the message. */
export type StructErrorCode =
  /** A type definition is malformed: bad field list, name, pack, width, length or option. */
  | 'ERR_SHMKIT_STRUCT_INVALID_DEFINITION'
  /** A JSON schema given to `fromSchema` is malformed. */
  | 'ERR_SHMKIT_STRUCT_INVALID_SCHEMA'
  /** A field name or dotted path does not exist in the type. */
  | 'ERR_SHMKIT_STRUCT_UNKNOWN_FIELD'
  /** An array index in a path or on an array view is outside the array. */
  | 'ERR_SHMKIT_STRUCT_INDEX_OUT_OF_RANGE'
  /** A value of the wrong kind for its field: a float into an integer, a string into a number, ... */
  | 'ERR_SHMKIT_STRUCT_INVALID_VALUE'
  /** A string, byte sequence or array longer than its fixed-size field. */
  | 'ERR_SHMKIT_STRUCT_VALUE_TOO_LONG'
  /** The buffer is not a buffer, or is too small for the type at the given offset. */
  | 'ERR_SHMKIT_STRUCT_OUT_OF_BOUNDS'
  /** The requested emitter cannot express this layout. */
  | 'ERR_SHMKIT_STRUCT_UNSUPPORTED';

/** Every error thrown on purpose by @shmkit/struct. */
export class StructError extends Error {
  override readonly name = 'StructError';
  readonly code: StructErrorCode;
  /** The dotted field path concerned, when there is one. */
  readonly path: string | undefined;

  constructor(code: StructErrorCode, message: string, path?: string) {
    super(message);
    this.code = code;
    this.path = path;
  }
}

/** Renders a value for an error message without ever throwing (the value may be anything). */
export function describeValue(value: unknown): string {
  try {
    if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
    if (typeof value === 'bigint') return `${value}n`;
    if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
    if (typeof value === 'function') return 'a function';
    if (typeof value === 'symbol') return 'a symbol';
    if (ArrayBuffer.isView(value)) return `a ${value.constructor.name} of ${value.byteLength} bytes`;
    if (Array.isArray(value)) return `an array of length ${value.length}`;
    return 'an object';
  } catch {
    return 'an unprintable value';
  }
}

export function invalidValue(path: string, expected: string, value: unknown): StructError {
  return new StructError(
    'ERR_SHMKIT_STRUCT_INVALID_VALUE',
    `field "${path}": expected ${expected}, got ${describeValue(value)}`,
    path,
  );
}

export function tooLong(path: string, what: string, length: number, maximum: number): StructError {
  return new StructError(
    'ERR_SHMKIT_STRUCT_VALUE_TOO_LONG',
    `field "${path}": ${what} too long (${length}, maximum length ${maximum})`,
    path,
  );
}

export function unknownField(typeName: string, path: string): StructError {
  return new StructError('ERR_SHMKIT_STRUCT_UNKNOWN_FIELD', `${typeName} has no field "${path}"`, path);
}

export function indexOutOfRange(path: string, index: string | number, length: number): StructError {
  return new StructError(
    'ERR_SHMKIT_STRUCT_INDEX_OUT_OF_RANGE',
    `"${path}": index ${String(index)} is outside the array (length ${length})`,
    path,
  );
}

export function invalidDefinition(message: string): StructError {
  return new StructError('ERR_SHMKIT_STRUCT_INVALID_DEFINITION', message);
}
