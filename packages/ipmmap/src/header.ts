import { IpmmapError } from './errors.js';
import type { AnyStructType } from '@shmkit/struct';

/** `header_code` written at offset 0 of every ipmmap file (bytes `28 11`). */
export const HEADER_CODE = 0x1128;
/** Offset of the float64 `time_stamp` (Unix seconds) inside the 16-byte header. */
export const TIME_STAMP_OFFSET = 8;
export const HEADER_SIZE = 16;

/**
 * Checks that a struct starts with an ipmmap header: its first field is a nested struct of 16
 * bytes holding exactly an int16 at offset 0 and a float64 at offset 8. The check is by position
 * and type, not by name (Python ipmmap only finds the header under the name `header`; shmkit reads
 * it at its fixed offsets).
 */
const checked = new WeakSet<AnyStructType>();

export function checkHeaderFirst(type: AnyStructType, structName: string): void {
  if (checked.has(type)) return;
  const schema = type.toSchema();
  const first = schema.fields[0];
  const leaves = type.layout();
  const fail = (why: string) =>
    new IpmmapError(
      'ERR_SHMKIT_IPMMAP_NO_HEADER',
      `struct '${structName}' cannot be used with ipmmap: its first field must be an MmapStructureHeader ` +
        `(int16 header_code at 0, float64 time_stamp at 8); ${why}`,
    );
  if (!first) throw fail('it has no fields');
  if (schema.kind === 'union') throw fail('it is a union');
  const prefix = `${first[0]}.`;
  const inHeader = leaves.filter((l) => l.path.startsWith(prefix));
  const [code, stamp] = inHeader;
  if (inHeader.length !== 2 || !code || !stamp) throw fail(`its first field '${first[0]}' is not a two-field struct`);
  if (code.offset !== 0 || code.type !== 'int16') throw fail(`'${code.path}' is not an int16 at offset 0`);
  if (stamp.offset !== TIME_STAMP_OFFSET || stamp.type !== 'float64') {
    throw fail(`'${stamp.path}' is not a float64 at offset ${TIME_STAMP_OFFSET}`);
  }
  if (type.size < HEADER_SIZE) throw fail(`it is only ${type.size} bytes`);
  checked.add(type);
}

/** The image of a freshly created file: header code, zero padding, time stamp, every other byte zero. */
export function freshImage(size: number, timeStamp: number): Buffer {
  const image = Buffer.alloc(size);
  image.writeInt16LE(HEADER_CODE, 0);
  image.writeDoubleLE(timeStamp, TIME_STAMP_OFFSET);
  return image;
}

/** Seconds since the Unix epoch with a fraction, like Python's time.time(). */
export function nowSeconds(): number {
  return Date.now() / 1000;
}
