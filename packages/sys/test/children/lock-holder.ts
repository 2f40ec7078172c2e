// Takes a record lock on a file and holds it until told to release on stdin ("release\n"), then
// exits. argv: path, 'classic' | 'ofd', 'read' | 'write', start, len, count (default 1: with more,
// `count` ranges of `len` bytes each, side by side from `start`). Prints `released <ns>` with the
// CLOCK_MONOTONIC time of the release (process.hrtime, the same clock in every process). The line
// "wait <start> <len>" makes it also take that write range, blocking until it is free.
import { openSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fcntlLock } from '../../src/index.js';

const [path, kind, type, start, len, count] = process.argv.slice(2);
const fd = openSync(path!, 'r+');
const ranges = Array.from({ length: Number(count ?? 1) }, (_, i) => ({
  type: type as 'read' | 'write',
  ofd: kind === 'ofd',
  start: Number(start) + i * Number(len),
  len: Number(len),
}));
for (const req of ranges) fcntlLock(fd, { ...req, wait: true, timeoutMs: 10_000 });
console.log(`locked ${process.pid}`);
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'release') {
    for (const req of ranges) fcntlLock(fd, { ...req, type: 'unlock' });
    const at = process.hrtime.bigint();
    console.log(`released ${at}`);
    process.exit(0);
  }
  // "wait <start> <len>": also take that write range, blocking (F_SETLKW) until it is free.
  const wait = /^wait (\d+) (\d+)$/.exec(line);
  if (wait) {
    const req = { type: 'write' as const, ofd: kind === 'ofd', start: Number(wait[1]), len: Number(wait[2]) };
    fcntlLock(fd, { ...req, wait: true });
    console.log(`waited ${req.start} ${req.len}`);
  }
});
