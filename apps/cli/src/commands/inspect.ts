import { parseArgs } from 'node:util';
import { EXIT, usageError } from '../cli-error.js';
import { checkFits, decodeRows, headerLine, renderRows } from '../decode.js';
import { loadSchema } from '../schema.js';
import { openTarget, parseTarget, TARGET_HELP } from '../targets.js';

export const INSPECT_HELP = `usage: shmkit inspect <target> --schema <file.json> [--offset N] [--json] [--fastener-dir DIR]

Decodes the struct the schema describes (a @shmkit/struct JSON schema) from the target's
memory and prints every field. ipmmap files are read under their read lock.
${TARGET_HELP}`;

export const VIEW_OPTIONS = {
  schema: { type: 'string' },
  offset: { type: 'string', default: '0' },
  'fastener-dir': { type: 'string' },
  'lock-timeout': { type: 'string', default: '5000' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function numberOption(text: string, name: string, min = 0): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n < min) throw usageError(`--${name} must be a number >= ${min}, got '${text}'`);
  return n;
}

export function inspectCommand(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { ...VIEW_OPTIONS, json: { type: 'boolean', default: false } },
  });
  if (values.help) {
    console.log(INSPECT_HELP);
    return EXIT.ok;
  }
  if (positionals.length > 1) throw usageError(`inspect takes one target, got ${positionals.length}`);
  const offset = numberOption(values.offset, 'offset');
  const timeout = numberOption(values['lock-timeout'], 'lock-timeout');
  const target = parseTarget(positionals[0], values['fastener-dir']);
  const type = loadSchema(values.schema);
  using memory = openTarget(target);
  checkFits(type, memory.bytes, offset, target.label);
  const snapshot = memory.locked(() => Buffer.from(memory.bytes.subarray(offset, offset + type.size)), timeout);
  if (values.json) {
    const value = type.read(snapshot, 0);
    console.log(JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v), 2));
    return EXIT.ok;
  }
  const name = type.toSchema().name;
  console.log(`${target.label}: ${memory.bytes.length} bytes; ${name} (${type.size} bytes) at offset ${offset}`);
  const header = headerLine(snapshot, 0);
  if (header) console.log(header);
  for (const line of renderRows(decodeRows(type, snapshot, 0))) console.log(line);
  return EXIT.ok;
}
