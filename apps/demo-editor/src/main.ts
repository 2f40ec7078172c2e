// The ipmmap demo editor in TypeScript: creates DemoMmapStructure's file (like Python's demo,
// with create + force), then rewrites random values and the time stamp in a loop. A Python
// ipmmap demo_reader started in the same directory reads what it writes, and so does
// apps/demo-reader.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { DataStructMmapEditor, DataStructMmapManager, DemoMmapStructure } from '@shmkit/ipmmap';

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
    interval: { type: 'string', default: '1000' },
    duration: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (opts.help) {
  console.log(`usage: demo-editor [--mmap-dir ./.mmap] [--fastener-dir ./.fasteners] [--tag ""]
                   [--interval ms (1000)] [--duration seconds (run until Ctrl-C)]`);
  process.exit(0);
}

const intervalMs = Number(opts.interval);
const durationMs = opts.duration === undefined ? Number.POSITIVE_INFINITY : Number(opts.duration) * 1000;
if (!(intervalMs >= 0) || !(durationMs >= 0)) {
  console.error('demo-editor: --interval and --duration must be numbers >= 0');
  process.exit(2);
}

const where = { tag: opts.tag, mmapDir: opts['mmap-dir'], fastenerDir: opts['fastener-dir'] };
using manager = new DataStructMmapManager(DemoMmapStructure, { ...where, create: true, force: true });
manager.openMemory();
console.log(`memory mapped: ${manager.mmapFilePath}`);
using editor = new DataStructMmapEditor(DemoMmapStructure, where);

const stop = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.log(`process interrupted: ${signal}`);
    stop.abort();
  });
}
const deadline = Date.now() + durationMs;
let round = 0;

while (!stop.signal.aborted && Date.now() < deadline) {
  round += 1;
  const started = performance.now();
  const written = await editor.use((s) => {
    const values = {
      dataInt: Math.floor(Math.random() * 101),
      dataString: randomUUID(),
      x: Math.random() * 100,
      y: Math.random() * 100,
    };
    s.writeData('data_int', values.dataInt);
    s.writeData('data_string', values.dataString);
    s.writeData('data_xy.x', values.x);
    s.writeData('data_xy.y', values.y);
    s.writeData('multi_pts.multi_data_int', round);
    s.updateLastUpdate();
    return { ...values, stamp: s.getLastUpdate() };
  });
  const took = performance.now() - started;
  console.log(`------ insert #${round} ------`);
  console.log(`[last update] ${new Date(written.stamp * 1000).toISOString()}`);
  console.log(`[data_int] ${written.dataInt}`);
  console.log(`[data_string] ${written.dataString}`);
  console.log(`[data_xy] x: ${written.x.toFixed(3)}, y: ${written.y.toFixed(3)}`);
  console.log(`performance: ${took.toFixed(4)} ms`);
  const wait = Math.min(intervalMs, deadline - Date.now());
  if (wait > 0) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, wait);
      stop.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
manager.closeMemory();
console.log(`editor done after ${round} updates`);
