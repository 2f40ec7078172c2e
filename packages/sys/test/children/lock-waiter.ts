// Waits for a record lock that another process holds with fcntlLockAsync, then ends the wait
// itself and must exit on its own. argv: path, 'classic' | 'ofd', mode:
//   'cancel'  — once the request is blocked in the kernel, cancel() it
//   'timeout' — wait with timeoutMs 200
// Prints 'blocked' (cancel mode) and then `result <outcome>`; never calls process.exit.
import { openSync } from 'node:fs';
import { fcntlLockAsync } from '../../src/index.js';
import { untilBlocked } from '../helpers.js';

const [path, kind, mode] = process.argv.slice(2);
const fd = openSync(path!, 'r+');
const ofd = kind === 'ofd';
if (mode === 'cancel') {
  const wait = fcntlLockAsync(fd, { type: 'write', ofd });
  await untilBlocked(fd);
  console.log('blocked');
  wait.cancel();
  console.log(`result ${await wait.promise}`);
} else {
  console.log(`result ${await fcntlLockAsync(fd, { type: 'write', ofd, timeoutMs: 200 }).promise}`);
}
