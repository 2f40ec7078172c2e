/**
 * The demo's shared file, all fields little-endian, offsets from the start of the file:
 *
 *   0        4        6        8        12       16       20       24                 24+256
 *   +--------+--------+--------+--------+--------+--------+--------+------------------+
 *   | magic  |version |reserved| size   |counter | msgLen | done   | message (UTF-8)  |
 *   | 'RGD1' | u16 =1 | u16 =0 | u32    | u32    | u32    | u32    | up to 256 bytes  |
 *   +--------+--------+--------+--------+--------+--------+--------+------------------+
 *
 * `counter` is a sequence number (a seqlock for one writer): odd while the writer changes the
 * message, even when the message is whole; update n leaves it at 2n. A reader takes the counter,
 * the message, then the counter again, and keeps the message only when both counters are equal
 * and even.
 */
export const MAGIC = 0x31444752; // 'RGD1' read as a little-endian u32
export const VERSION = 1;
export const HEADER = 24;
export const MESSAGE_MAX = 256;
export const FILE_SIZE = HEADER + MESSAGE_MAX;

// Indexes into a Uint32Array over the file.
export const SIZE_WORD = 2;
export const COUNTER_WORD = 3;
export const LENGTH_WORD = 4;
export const DONE_WORD = 5;

export function initHeader(bytes: Buffer): void {
  bytes.fill(0, 0, FILE_SIZE);
  bytes.writeUInt32LE(MAGIC, 0);
  bytes.writeUInt16LE(VERSION, 4);
  bytes.writeUInt32LE(FILE_SIZE, 8);
}

/** Throws unless `bytes` holds this layout: the reader's check on attach. */
export function validateHeader(bytes: Buffer): void {
  if (bytes.length < HEADER) throw new Error(`file too short for the demo header: ${bytes.length} bytes`);
  const magic = bytes.readUInt32LE(0);
  if (magic !== MAGIC) throw new Error(`not a region-demo file (magic 0x${magic.toString(16)})`);
  const version = bytes.readUInt16LE(4);
  if (version !== VERSION) throw new Error(`layout version ${version}, this demo reads version ${VERSION}`);
  const size = bytes.readUInt32LE(8);
  if (size !== FILE_SIZE || bytes.length < size) throw new Error(`size field ${size} does not match ${bytes.length}`);
}

export function words(bytes: Buffer): Uint32Array {
  return new Uint32Array(bytes.buffer, bytes.byteOffset, HEADER / 4);
}
