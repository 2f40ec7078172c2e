// Maps a file shared with the parent and reacts to commands on argv:
//   wake-wait <path>: waits (blocking futexWait) on word 0 while it is 0, prints the outcome
//   async-wait <path> [cancel-after-ms]: futexWaitAsync on word 0, optionally cancelled, prints the outcome
//   wake <path> <count>: sets word 0 to 1 and wakes waiters on it
import { openSync } from 'node:fs';
import { futexWait, futexWaitAsync, futexWake, MAP_SHARED, mmap, PROT_READ, PROT_WRITE } from '../../src/index.js';

const [command, path, extra] = process.argv.slice(2);
const fd = openSync(path!, 'r+');
const words = new Int32Array(mmap(fd, 0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED));

if (command === 'wake-wait') {
  console.log('waiting');
  const outcome = futexWait(words, 0, 0, 20_000);
  console.log(`result ${outcome} ${Atomics.load(words, 0)}`);
} else if (command === 'async-wait') {
  const wait = futexWaitAsync(words, 0, 0);
  console.log('pending');
  if (extra !== undefined) setTimeout(() => wait.cancel(), Number(extra));
  wait.promise.then((outcome) => console.log(`result ${outcome}`));
} else if (command === 'wake') {
  Atomics.store(words, 0, 1);
  console.log(`woken ${futexWake(words, 0, Number(extra))}`);
}
