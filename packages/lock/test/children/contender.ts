// Increments a plain (non-atomic) shared counter `iterations` times under the lock.
// argv: kind sharedPath lockPath iterations sync|async|mixed (mixed alternates)
import { futexWait } from '@shmkit/sys';
import { COUNTER_INDEX, GO_INDEX, type Kind, SHARED_SIZE } from '../helpers/layout.js';
import { type Mode, openKind } from '../helpers/open-kind.js';
import { mapSharedFile } from '../helpers/shared-file.js';

const [kind, sharedPath, lockPath, iterationsArg, mode] = process.argv.slice(2) as [Kind, string, string, string, Mode | 'mixed'];
const shared = mapSharedFile(sharedPath, SHARED_SIZE, false);
const i32 = new Int32Array(shared.buffer);
const lock = openKind(kind, shared.buffer, lockPath);
const iterations = Number(iterationsArg);

console.log('ready');
while (Atomics.load(i32, GO_INDEX) === 0) futexWait(i32, GO_INDEX, 0, 100);

for (let i = 0; i < iterations; i++) {
  const guard = await lock.acquire('write', mode === 'mixed' ? (i % 2 === 0 ? 'sync' : 'async') : mode);
  const value = i32[COUNTER_INDEX] as number;
  // Widen the window between read and write so that a broken lock loses updates.
  for (let k = 0; k < 200; k++) i32[COUNTER_INDEX + 100] = k;
  i32[COUNTER_INDEX] = value + 1;
  guard.release();
}
lock.close();
shared.close();
console.log('done');
