// The main demo: the ipmmap editor and reader running side by side as two independent
// processes sharing one struct file, then the ring demo (a producer and a consumer process
// passing messages through @shmkit/ring and @shmkit/mempool). Exits by itself.
//   pnpm --filter @shmkit/cli run demo [-- --seconds 4 --ring-seconds 3]
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { findWorkspaceRoot } from './workspace.js';

const { values } = parseArgs({
  // pnpm passes a `--` separator through to the script.
  args: process.argv.slice(2).filter((arg, i) => !(i === 0 && arg === '--')),
  options: {
    seconds: { type: 'string', default: '4' },
    'ring-seconds': { type: 'string', default: '3' },
  },
});
const seconds = Number(values.seconds);
const ringSeconds = Number(values['ring-seconds']);
if (!(seconds > 0) || !(ringSeconds > 0)) {
  console.error('demo: --seconds and --ring-seconds must be positive numbers');
  process.exit(2);
}

const root = findWorkspaceRoot();
if (!root) {
  console.error('demo: run it inside the shmkit repository');
  process.exit(2);
}
const tsx = import.meta.resolve('tsx');
const app = (name: string) => join(root, 'apps', name, 'src', 'main.ts');

function runTs(file: string, args: string[], inherit = false): ChildProcess {
  return spawn(process.execPath, ['--import', tsx, '--conditions=@shmkit/source', file, ...args], {
    stdio: inherit ? 'inherit' : ['ignore', 'pipe', 'pipe'],
  });
}

function exited(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

/** Prints the lines of two processes in two columns, pairing them up as they arrive. */
function sideBySide(left: ChildProcess, right: ChildProcess, titles: [string, string]): () => void {
  const total = Math.max(60, Math.min(process.stdout.columns ?? 100, 160));
  const width = Math.floor((total - 3) / 2);
  const fit = (s: string) => (s.length > width ? `${s.slice(0, width - 1)}…` : s.padEnd(width));
  const queues: [string[], string[]] = [[], []];
  const flush = () => {
    while (queues[0].length || queues[1].length) {
      console.log(`${fit(queues[0].shift() ?? '')} │ ${queues[1].shift() ?? ''}`);
    }
  };
  console.log(`${fit(titles[0])} │ ${titles[1]}`);
  console.log(`${'─'.repeat(width)}─┼─${'─'.repeat(width)}`);
  [left, right].forEach((child, side) => {
    for (const stream of [child.stdout, child.stderr]) {
      if (stream) createInterface({ input: stream }).on('line', (line) => queues[side as 0 | 1].push(line));
    }
  });
  const timer = setInterval(flush, 120);
  return () => {
    clearInterval(timer);
    flush();
  };
}

const work = mkdtempSync(join(tmpdir(), 'shmkit-demo-'));
let status = 0;
try {
  const where = ['--mmap-dir', join(work, '.mmap'), '--fastener-dir', join(work, '.fasteners')];
  console.log(`shmkit demo 1/2: an ipmmap editor and a reader, two processes sharing ${join(work, '.mmap')}\n`);
  // The reader starts first and waits for the editor's file, as it would in real life.
  const reader = runTs(app('demo-reader'), [...where, '--interval', '50', '--duration', String(seconds + 0.5)]);
  const editor = runTs(app('demo-editor'), [...where, '--interval', '700', '--duration', String(seconds)]);
  const stop = sideBySide(editor, reader, ['editor (apps/demo-editor)', 'reader (apps/demo-reader)']);
  const [editorStatus, readerStatus] = await Promise.all([exited(editor), exited(reader)]);
  stop();
  if (editorStatus !== 0 || readerStatus !== 0) {
    console.error(`\ndemo: editor exited with ${editorStatus}, reader with ${readerStatus}`);
    status = 1;
  }

  console.log('\nshmkit demo 2/2: a producer and a consumer process passing messages through a ring and a mempool\n');
  const missing = await ringPackagesMissing();
  if (missing) {
    console.log(`ring demo skipped: ${missing}`);
  } else {
    const ring = runTs(app('ring-demo'), ['--duration', String(ringSeconds)], true);
    const ringStatus = await exited(ring);
    if (ringStatus !== 0) {
      console.error(`demo: the ring demo exited with ${ringStatus}`);
      status = 1;
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(status === 0 ? '\ndemo finished.' : '\ndemo finished with errors.');
process.exit(status);

/** Why the ring demo cannot run (its packages are not built into this checkout yet), or null. */
async function ringPackagesMissing(): Promise<string | null> {
  try {
    const ring = await import('@shmkit/ring');
    const mempool = await import('@shmkit/mempool');
    if (typeof (ring as { Ring?: unknown }).Ring !== 'function') return '@shmkit/ring has no Ring yet';
    if (typeof (mempool as { Mempool?: unknown }).Mempool !== 'function') return '@shmkit/mempool has no Mempool yet';
    return null;
  } catch (err) {
    return `@shmkit/ring or @shmkit/mempool cannot be loaded (${(err as Error).message.split('\n')[0]})`;
  }
}
