import { schemaError } from './cli-error.js';
import type { SchemaType } from './schema.js';

const HEADER_CODE = 0x1128;

export interface DecodedRow {
  path: string;
  offset: number;
  type: string;
  value: string;
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value instanceof Uint8Array) return `<${Buffer.from(value).toString('hex')}>`;
  return String(value);
}

/** Checks that the struct fits the memory at `offset`. */
export function checkFits(type: SchemaType, bytes: Uint8Array, offset: number, label: string): void {
  if (offset + type.size > bytes.length) {
    throw schemaError(
      `the schema describes ${type.size} bytes at offset ${offset}, but ${label} holds only ${bytes.length} bytes`,
    );
  }
}

/** Every leaf of the struct with its value, decoded from a private copy of the bytes. */
export function decodeRows(type: SchemaType, bytes: Uint8Array, offset: number): DecodedRow[] {
  // Copy first: the memory may change while we decode, and the copy makes the rows one snapshot.
  const copy = Buffer.from(bytes.subarray(offset, offset + type.size));
  return type.layout().map((leaf) => ({
    path: leaf.path,
    offset: leaf.offset,
    type: leaf.bitWidth !== undefined ? `${leaf.type}:${leaf.bitWidth}` : leaf.type,
    value: show(type.get(copy, leaf.path)),
  }));
}

/** A line about the ipmmap header, when the memory starts with one. */
export function headerLine(bytes: Uint8Array, offset: number): string | null {
  if (bytes.length < offset + 16) return null;
  const view = Buffer.from(bytes.buffer, bytes.byteOffset + offset, 16);
  if (view.readInt16LE(0) !== HEADER_CODE) return null;
  const stamp = view.readDoubleLE(8);
  const age = Date.now() / 1000 - stamp;
  const when = Number.isFinite(stamp) && stamp > 0 ? new Date(stamp * 1000).toISOString() : String(stamp);
  return `ipmmap header: time_stamp ${when} (${age >= 0 ? `${age.toFixed(3)} s ago` : 'in the future'})`;
}

export function renderRows(rows: DecodedRow[]): string[] {
  const pathWidth = Math.min(48, Math.max(5, ...rows.map((r) => r.path.length)));
  const typeWidth = Math.max(4, ...rows.map((r) => r.type.length));
  return [
    `${'offset'.padStart(6)}  ${'type'.padEnd(typeWidth)}  ${'field'.padEnd(pathWidth)}  value`,
    ...rows.map(
      (r) => `${String(r.offset).padStart(6)}  ${r.type.padEnd(typeWidth)}  ${r.path.padEnd(pathWidth)}  ${r.value}`,
    ),
  ];
}
