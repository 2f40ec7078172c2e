// A reader or a writer of a shared multi-field record.
// Writers fill every field with one value, field by field, `count` times; readers check that all
// fields agree (a torn record means a reader overlapped a writer) until every writer is done.
// argv: kind sharedPath lockPath reader|writer count writersTotal sync|async
import { futexWait } from '@shmkit/sys';
import { GO_INDEX, type Kind, RECORD_FIELDS, RECORD_INDEX, SHARED_SIZE, WRITERS_DONE_INDEX } from '../helpers/layout.js';
import { type Mode, openKind } from '../helpers/open-kind.js';
import { mapSharedFile } from '../helpers/shared-file.js';

const [kind, sharedPath, lockPath, role, countArg, writersArg, mode] = process.argv.slice(2) as [
  Kind,
  string,
  string,
  'reader' | 'writer',
  string,
  string,
  Mode,
];
const shared = mapSharedFile(sharedPath, SHARED_SIZE, false);
const i32 = new Int32Array(shared.buffer);
const lock = openKind(kind, shared.buffer, lockPath);
const pause = new Int32Array(new SharedArrayBuffer(4));

console.log('ready');
while (Atomics.load(i32, GO_INDEX) === 0) futexWait(i32, GO_INDEX, 0, 100);

if (role === 'writer') {
  const waits: number[] = [];
  for (let i = 1; i <= Number(countArg); i++) {
    const asked = performance.now();
    const guard = await lock.acquire('write', mode);
    waits.push(performance.now() - asked);
    const value = process.pid * 1000 + i;
    for (let f = 0; f < RECORD_FIELDS; f++) {
      i32[RECORD_INDEX + f] = value;
      for (let k = 0; k < 50; k++) i32[RECORD_INDEX + RECORD_FIELDS] = k; // widen the tearing window
    }
    guard.release();
    Atomics.wait(pause, 0, 0, 1);
  }
  Atomics.add(i32, WRITERS_DONE_INDEX, 1);
  waits.sort((a, b) => a - b);
  const medianWaitMs = waits[waits.length >> 1] ?? 0;
  console.log(JSON.stringify({ role, medianWaitMs, maxWaitMs: waits[waits.length - 1] ?? 0 }));
} else {
  let reads = 0;
  let torn = 0;
  const writers = Number(writersArg);
  while (Atomics.load(i32, WRITERS_DONE_INDEX) < writers) {
    const guard = await lock.acquire('read', mode);
    const first = i32[RECORD_INDEX];
    for (let f = 1; f < RECORD_FIELDS; f++) {
      if (i32[RECORD_INDEX + f] !== first) {
        torn += 1;
        break;
      }
    }
    guard.release();
    reads += 1;
  }
  console.log(JSON.stringify({ role, reads, torn }));
}
lock.close();
shared.close();
