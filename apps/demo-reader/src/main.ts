// The ipmmap demo reader in TypeScript: prints DemoMmapStructure every time its time stamp
// changes, with the age of the data. Works against apps/demo-editor or a Python ipmmap
// demo_editor started in the same directory.
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { DataStructMmapReader, DemoMmapStructure, IpmmapError } from '@shmkit/ipmmap';

// Started as a package script (`pnpm --filter ... start`), the process begins in the app's own
// directory; the default ./.mmap should be the one of the directory the command was typed in,
// where a Python ipmmap demo would look for it.
if (process.env.npm_lifecycle_event === 'start' && process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);

const { values: opts } = parseArgs({
  // pnpm passes a `--` separator through to the script.
  args: process.argv.slice(2).filter((arg, i) => !(i === 0 && arg === '--')),
  options: {
    'mmap-dir': { type: 'string', default: './.mmap' },
    'fastener-dir': { type: 'string', default: './.fasteners' },
    tag: { type: 'string', default: '' },
    interval: { type: 'string', default: '100' },
    duration: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (opts.help) {
  console.log(`usage: demo-reader [--mmap-dir ./.mmap] [--fastener-dir ./.fasteners] [--tag ""]
                   [--interval ms between checks (100)] [--duration seconds (run until Ctrl-C)]`);
  process.exit(0);
}

const intervalMs = Number(opts.interval);
const durationMs = opts.duration === undefined ? undefined : Number(opts.duration) * 1000;
if (!(intervalMs >= 0) || (durationMs !== undefined && !(durationMs >= 0))) {
  console.error('demo-reader: --interval and --duration must be numbers >= 0');
  process.exit(2);
}

const stop = new AbortController();
if (durationMs !== undefined) setTimeout(() => stop.abort(), durationMs).unref();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => stop.abort());
}

using reader = new DataStructMmapReader(DemoMmapStructure, {
  tag: opts.tag,
  mmapDir: opts['mmap-dir'],
  fastenerDir: opts['fastener-dir'],
});

// The editor may start after us: wait for its file instead of failing.
let announced = false;
let seen = 0;
while (!stop.signal.aborted) {
  try {
    for await (const { timeStamp, data } of reader.changes({ intervalMs, signal: stop.signal })) {
      seen += 1;
      const ageMs = Date.now() - timeStamp * 1000;
      console.log(`------ read #${seen} (data age ${ageMs.toFixed(1)} ms) ------`);
      console.log(`[data_int] ${data.data_int}`);
      console.log(`[data_string] ${data.data_string}`);
      console.log(`[data_xy] x: ${data.data_xy.x.toFixed(3)}, y: ${data.data_xy.y.toFixed(3)}`);
    }
  } catch (err) {
    const waiting = err instanceof IpmmapError && ['ERR_SHMKIT_IPMMAP_FILE_MISSING', 'ERR_SHMKIT_IPMMAP_FILE_TOO_SMALL'].includes(err.code);
    if (!waiting) throw err;
    if (!announced) console.log(`waiting for ${reader.mmapFilePath} ...`);
    announced = true;
    await sleep(intervalMs, undefined, { signal: stop.signal }).catch(() => {});
  }
}
console.log(`reader done after ${seen} updates`);
