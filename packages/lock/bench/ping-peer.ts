// The echo side of the futex ping-pong: waits for an odd value, answers with the next even one.
// argv: sharedPath rounds
import { futexWait, futexWake } from '@shmkit/sys';
import { mapSharedFile } from '../test/helpers/shared-file.js';
import { FLAG, SIZE } from './layout.js';

const [sharedPath, roundsArg] = process.argv.slice(2) as [string, string];
const shared = mapSharedFile(sharedPath, SIZE, false);
const i32 = new Int32Array(shared.buffer);
console.log('ready');
for (let round = 1; round <= Number(roundsArg); round++) {
  for (let seen = Atomics.load(i32, FLAG); seen !== 2 * round - 1; seen = Atomics.load(i32, FLAG)) {
    futexWait(i32, FLAG, seen, 1000);
  }
  Atomics.store(i32, FLAG, 2 * round);
  futexWake(i32, FLAG, 1);
}
shared.close();
