import { parseArgs } from 'node:util';
import { EXIT, usageError } from '../cli-error.js';
import { checkFits, decodeRows, headerLine, renderRows } from '../decode.js';
import { loadSchema } from '../schema.js';
import { openTarget, parseTarget, TARGET_HELP } from '../targets.js';
import { numberOption, VIEW_OPTIONS } from './inspect.js';

export const WATCH_HELP = `usage: shmkit watch <target> --schema <file.json> [--interval ms (250)] [--duration s]
                    [--offset N] [--fastener-dir DIR]

Shows the struct live, redrawn in place; changed fields are highlighted. Press q or Ctrl-C
to quit; --duration ends it by itself.
${TARGET_HELP}`;

const CLEAR_TO_END = '\x1b[J';
const CLEAR_LINE = '\x1b[K';
const HOME = '\x1b[H';
const HIDE_CURSOR = '\x1b[?25l';
const SHOW_CURSOR = '\x1b[?25h';
const BOLD = '\x1b[1m';
const RESET = '\x1b[0m';

export async function watchCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { ...VIEW_OPTIONS, interval: { type: 'string', default: '250' }, duration: { type: 'string' } },
  });
  if (values.help) {
    console.log(WATCH_HELP);
    return EXIT.ok;
  }
  if (positionals.length > 1) throw usageError(`watch takes one target, got ${positionals.length}`);
  const offset = numberOption(values.offset, 'offset');
  const interval = numberOption(values.interval, 'interval', 10);
  const duration = values.duration === undefined ? undefined : numberOption(values.duration, 'duration');
  const timeout = numberOption(values['lock-timeout'], 'lock-timeout');
  const target = parseTarget(positionals[0], values['fastener-dir']);
  const type = loadSchema(values.schema);
  using memory = openTarget(target);
  checkFits(type, memory.bytes, offset, target.label);

  const tty = process.stdout.isTTY === true;
  const stop = new AbortController();
  const quit = () => stop.abort();
  process.on('SIGINT', quit);
  process.on('SIGTERM', quit);
  const stdin = process.stdin;
  const keys = (data: Buffer) => {
    const key = data.toString('utf8');
    if (key === 'q' || key === 'Q' || key === '\u0003') quit();
  };
  if (stdin.isTTY) {
    stdin.setRawMode(true);
    stdin.on('data', keys).resume();
  }
  if (duration !== undefined) setTimeout(quit, duration * 1000).unref();

  let previous = new Map<string, string>();
  let frames = 0;
  if (tty) process.stdout.write(HIDE_CURSOR);
  try {
    while (!stop.signal.aborted) {
      const snapshot = memory.locked(() => Buffer.from(memory.bytes.subarray(offset, offset + type.size)), timeout);
      const rows = decodeRows(type, snapshot, 0);
      const changed = new Set(rows.filter((r) => frames > 0 && previous.get(r.path) !== r.value).map((r) => r.path));
      previous = new Map(rows.map((r) => [r.path, r.value]));
      frames += 1;
      const lines = [
        `${target.label} — ${type.toSchema().name} at offset ${offset} — ${new Date().toISOString()} — q to quit`,
        headerLine(snapshot, 0) ?? '',
        ...renderRows(rows).map((line, i) => (i > 0 && tty && changed.has(rows[i - 1]!.path) ? BOLD + line + RESET : line)),
      ];
      if (tty) {
        process.stdout.write(HOME + lines.map((l) => l + CLEAR_LINE).join('\n') + '\n' + CLEAR_TO_END);
      } else {
        // Not a terminal (a pipe or a file): one block per frame, separated by a blank line.
        process.stdout.write(`${lines.join('\n')}\n\n`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, interval);
        stop.signal.addEventListener(
          'abort',
          () => {
            clearTimeout(timer);
            resolve();
          },
          { once: true },
        );
      });
    }
  } finally {
    if (tty) process.stdout.write(SHOW_CURSOR);
    if (stdin.isTTY) {
      stdin.setRawMode(false);
      stdin.off('data', keys).pause();
    }
    process.off('SIGINT', quit);
    process.off('SIGTERM', quit);
  }
  return EXIT.ok;
}
