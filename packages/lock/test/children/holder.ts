// Takes a lock and holds it until told to release it ("release" on stdin) or killed.
// argv: kind sharedPath lockPath read|write
import { createInterface } from 'node:readline';
import type { Guard } from '../../src/index.js';
import { type Kind, SHARED_SIZE } from '../helpers/layout.js';
import { openKind, type Side } from '../helpers/open-kind.js';
import { mapSharedFile } from '../helpers/shared-file.js';

const [kind, sharedPath, lockPath, side] = process.argv.slice(2) as [Kind, string, string, Side];
const shared = mapSharedFile(sharedPath, SHARED_SIZE, false);
const lock = openKind(kind, shared.buffer, lockPath);
console.log('acquiring');
let guard: Guard | null = await lock.acquire(side, 'sync');
console.log(`locked ${process.pid} recovered=${guard.recovered}`);

for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'release' && guard) {
    guard.release();
    guard = null;
    console.log('released');
  } else if (line === 'lock' && !guard) {
    guard = await lock.acquire(side, 'sync');
    console.log(`locked ${process.pid} recovered=${guard.recovered}`);
  } else if (line === 'exit') {
    break;
  }
}
guard?.release();
lock.close();
shared.close();
process.exit(0); // stdin would keep the process alive
