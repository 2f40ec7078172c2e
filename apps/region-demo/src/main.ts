// Two processes, one file: this process maps it writable and updates a counter and a message
// every 100 ms; a child process it starts maps the same file read-only and prints what it sees.
// Ends by itself after about three seconds, exit status 0.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MapRegion, MAPPING_BACKEND } from '@shmkit/region';
import {
  COUNTER_WORD,
  DONE_WORD,
  FILE_SIZE,
  HEADER,
  initHeader,
  LENGTH_WORD,
  MESSAGE_MAX,
  validateHeader,
  words,
} from './layout.js';

const ROUNDS = 25;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function reader(path: string): Promise<void> {
  using region = new MapRegion(path, 0); // read-only: sees the writer's stores through the page cache
  const bytes = region.buffer();
  validateHeader(bytes);
  const w = words(bytes);
  let last = 0;
  let seen = 0;
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const done = w[DONE_WORD] === 1;
    const before = w[COUNTER_WORD]!;
    const length = Math.min(w[LENGTH_WORD]!, MESSAGE_MAX);
    const message = bytes.toString('utf8', HEADER, HEADER + length);
    const whole = before % 2 === 0 && w[COUNTER_WORD] === before;
    if (whole && before !== last) {
      last = before;
      seen += 1;
      console.log(`[reader pid ${process.pid}] update ${String(before / 2).padStart(2)}  message "${message}"`);
    }
    if (done && last === w[COUNTER_WORD]) {
      console.log(`[reader pid ${process.pid}] writer is done; saw ${seen} of ${last / 2} updates (the last one always)`);
      return;
    }
    await sleep(10);
  }
  throw new Error('reader timed out');
}

async function writer(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'shmkit-region-demo-'));
  const path = join(dir, 'shared.bin');
  try {
    writeFileSync(path, Buffer.alloc(FILE_SIZE), { mode: 0o600 });
    using region = new MapRegion(path, 0, FILE_SIZE, { writable: true });
    const bytes = region.buffer();
    initHeader(bytes);
    const w = words(bytes);
    console.log(`[writer pid ${process.pid}] mapped ${path} (${FILE_SIZE} bytes, backend ${MAPPING_BACKEND})`);

    const child = fork(fileURLToPath(import.meta.url), ['reader', path], { execArgv: process.execArgv });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);

    for (let n = 1; n <= ROUNDS; n++) {
      const message = `hello #${n} from pid ${process.pid} at ${new Date().toISOString().slice(11, 23)}`;
      w[COUNTER_WORD] = 2 * n - 1; // odd: the message is changing
      w[LENGTH_WORD] = bytes.write(message, HEADER, MESSAGE_MAX, 'utf8');
      w[COUNTER_WORD] = 2 * n; // even: update n is whole
      await sleep(100);
    }
    w[DONE_WORD] = 1;
    region.sync();
    const code = await exited;
    clearTimeout(killer);
    if (code !== 0) throw new Error(`reader exited with ${code}`);
    console.log(`[writer pid ${process.pid}] wrote ${ROUNDS} updates; the reader saw them through its own mapping`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'reader') await reader(process.argv[3]!);
else await writer();
