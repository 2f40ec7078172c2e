/**
 * Accepts any buffer a caller may hold (ArrayBuffer, SharedArrayBuffer, Buffer or any typed array,
 * DataView) and yields a DataView over the bytes it covers, cached so that repeated read()/get()
 * on the same buffer allocate nothing. Offsets are relative to the caller's buffer.
 */
import { StructError, describeValue } from './errors.js';

let lastSource: unknown = null;
let lastView: DataView | null = null;
const views = new WeakMap<object, DataView>();

function makeView(source: unknown, who: string): DataView {
  if (source instanceof DataView) return source;
  if (ArrayBuffer.isView(source)) return new DataView(source.buffer, source.byteOffset, source.byteLength);
  if (source instanceof ArrayBuffer || (typeof SharedArrayBuffer === 'function' && source instanceof SharedArrayBuffer)) {
    return new DataView(source);
  }
  throw new StructError(
    'ERR_SHMKIT_STRUCT_OUT_OF_BOUNDS',
    `${who}: expected an ArrayBuffer, SharedArrayBuffer, Buffer, typed array or DataView, got ${describeValue(source)}`,
  );
}

/** A DataView over the bytes `source` covers. */
export function dataViewOf(source: unknown, who: string): DataView {
  if (source === lastSource) return lastView!;
  let dv = typeof source === 'object' && source !== null ? views.get(source) : undefined;
  if (!dv) {
    dv = makeView(source, who);
    views.set(source as object, dv);
  }
  lastSource = source;
  lastView = dv;
  return dv;
}

function lengthOf(dv: DataView): number {
  try {
    return dv.byteLength;
  } catch {
    return 0; // detached (for example an unmapped region)
  }
}

/** Throws unless `[byteOffset, byteOffset + size)` lies inside `dv`. */
export function checkRange(dv: DataView, byteOffset: number, size: number, who: string): void {
  if (typeof byteOffset !== 'number' || !Number.isSafeInteger(byteOffset) || byteOffset < 0) {
    throw new StructError(
      'ERR_SHMKIT_STRUCT_OUT_OF_BOUNDS',
      `${who}: byteOffset must be a non-negative integer, got ${describeValue(byteOffset)}`,
    );
  }
  const length = lengthOf(dv);
  if (byteOffset + size > length) {
    throw new StructError(
      'ERR_SHMKIT_STRUCT_OUT_OF_BOUNDS',
      `${who}: ${size} bytes at offset ${byteOffset} do not fit in a buffer of ${length} bytes${length === 0 ? ' (empty, detached or unmapped?)' : ''}`,
    );
  }
}
