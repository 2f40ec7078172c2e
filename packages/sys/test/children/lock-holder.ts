// Takes a record lock on a file and holds it until told to release on stdin ("release\n"), then
// exits. argv: path, 'classic' | 'ofd', 'read' | 'write', start, len
import { openSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fcntlLock } from '../../src/index.js';

const [path, kind, type, start, len] = process.argv.slice(2);
const fd = openSync(path!, 'r+');
const req = { type: type as 'read' | 'write', ofd: kind === 'ofd', start: Number(start), len: Number(len) };
fcntlLock(fd, { ...req, wait: true, timeoutMs: 10_000 });
console.log(`locked ${process.pid}`);
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'release') {
    fcntlLock(fd, { ...req, type: 'unlock' });
    console.log('released');
    process.exit(0);
  }
});
