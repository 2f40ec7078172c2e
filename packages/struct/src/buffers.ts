/**
 * Accepts any buffer a caller may hold (ArrayBuffer, SharedArrayBuffer, Buffer or any typed array,
 * DataView) and yields a DataView over the bytes it covers, cached so that repeated read()/get()
 * on the same buffer allocate nothing. Offsets are relative to the caller's buffer.
 */
import { StructError, describeValue } from './errors.js';

// One-entry cache in front of the WeakMap (hot loops use one buffer). It is dropped at the end of
// the current job so it never keeps a buffer alive after its last use.
let lastSource: unknown = null;
let lastView: DataView | null = null;
let forgetQueued = false;
const views = new WeakMap<object, DataView>();

function forget(): void {
  lastSource = null;
  lastView = null;
  forgetQueued = false;
}

function makeView(source: unknown, typeName: string, op: string): DataView {
  if (source instanceof DataView) return source;
  if (ArrayBuffer.isView(source)) return new DataView(source.buffer, source.byteOffset, source.byteLength);
  if (source instanceof ArrayBuffer || (typeof SharedArrayBuffer === 'function' && source instanceof SharedArrayBuffer)) {
    return new DataView(source);
  }
  throw new StructError(
    'ERR_SHMKIT_STRUCT_OUT_OF_BOUNDS',
    `${typeName}.${op}: expected an ArrayBuffer, SharedArrayBuffer, Buffer, typed array or DataView, got ${describeValue(source)}`,
  );
}

/** Current length of what `source` covers; 0 once its memory is detached (an unmapped region). */
function lengthOf(source: unknown): number {
  if (source instanceof DataView) {
    try {
      return source.byteLength;
    } catch {
      return 0;
    }
  }
  // ArrayBuffer, SharedArrayBuffer and typed arrays report 0 when detached.
  return (source as ArrayBufferView).byteLength;
}

function rangeError(byteOffset: unknown, size: number, length: number, typeName: string, op: string): StructError {
  const who = `${typeName}.${op}`;
  if (typeof byteOffset !== 'number' || !Number.isSafeInteger(byteOffset) || byteOffset < 0) {
    return new StructError(
      'ERR_SHMKIT_STRUCT_OUT_OF_BOUNDS',
      `${who}: byteOffset must be a non-negative integer, got ${describeValue(byteOffset)}`,
    );
  }
  return new StructError(
    'ERR_SHMKIT_STRUCT_OUT_OF_BOUNDS',
    `${who}: ${size} bytes at offset ${byteOffset} do not fit in a buffer of ${length} bytes${length === 0 ? ' (empty, detached or unmapped?)' : ''}`,
  );
}

/**
 * A DataView over the bytes `source` covers, after checking that `[byteOffset, byteOffset + size)`
 * lies inside them. Offsets stay relative to `source`.
 */
export function viewFor(source: unknown, byteOffset: number, size: number, typeName: string, op: string): DataView {
  let dv: DataView;
  if (source === lastSource) {
    dv = lastView!;
  } else {
    const cached = typeof source === 'object' && source !== null ? views.get(source) : undefined;
    dv = cached ?? makeView(source, typeName, op);
    if (!cached) views.set(source as object, dv);
    lastSource = source;
    lastView = dv;
    if (!forgetQueued) {
      forgetQueued = true;
      queueMicrotask(forget);
    }
  }
  const length = lengthOf(source);
  if (!(byteOffset >= 0 && byteOffset <= length - size && Number.isInteger(byteOffset))) {
    throw rangeError(byteOffset, size, length, typeName, op);
  }
  return dv;
}
