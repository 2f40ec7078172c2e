// The waiting side of the hand-off benchmark. Each round it waits for the round to start, then
// blocks on the lock (or, for the futex reference, on a futex word) until the main process lets
// go, and records how long after the release it got through.
// argv: kind sync|async sharedPath lockPath rounds
import { futexWait, futexWaitAsync, futexWake } from '@shmkit/sys';
import { FileLock, type Guard, RecordLock, ShmMutex, ShmRwLock } from '../src/index.js';
import { mapSharedFile } from '../test/helpers/shared-file.js';
import { DONE, F64_LATENCY, F64_RELEASED_AT, FLAG, type HandoffKind, MUTEX_AT, ROUND, RWLOCK_AT, SIZE } from './layout.js';

const [kind, mode, sharedPath, lockPath, roundsArg] = process.argv.slice(2) as [
  HandoffKind,
  'sync' | 'async',
  string,
  string,
  string,
];
const shared = mapSharedFile(sharedPath, SIZE, false);
const i32 = new Int32Array(shared.buffer);
const f64 = new Float64Array(shared.buffer);

type Acquire = () => Guard | Promise<Guard>;
function acquirer(): Acquire | null {
  switch (kind) {
    case 'futex':
      return null;
    case 'shm-mutex': {
      const lock = ShmMutex.at(shared.buffer, MUTEX_AT);
      return mode === 'sync' ? () => lock.lock() : () => lock.lockAsync();
    }
    case 'shm-rwlock': {
      const lock = ShmRwLock.at(shared.buffer, RWLOCK_AT);
      return mode === 'sync' ? () => lock.writeLock() : () => lock.writeLockAsync();
    }
    case 'shm-rwlock-read': {
      const lock = ShmRwLock.at(shared.buffer, RWLOCK_AT);
      return mode === 'sync' ? () => lock.readLock() : () => lock.readLockAsync();
    }
    case 'record': {
      const lock = new RecordLock(lockPath);
      return mode === 'sync' ? () => lock.writeLock() : () => lock.writeLockAsync();
    }
    case 'file': {
      const lock = new FileLock(lockPath);
      return mode === 'sync' ? () => lock.lock() : () => lock.lockAsync();
    }
  }
}

const acquire = acquirer();
console.log('ready');
for (let round = 1; round <= Number(roundsArg); round++) {
  while (Atomics.load(i32, ROUND) < round) futexWait(i32, ROUND, round - 1);
  let guard: Guard | null = null;
  if (acquire) {
    guard = await acquire();
  } else if (mode === 'sync') {
    while (Atomics.load(i32, FLAG) < round) futexWait(i32, FLAG, round - 1);
  } else {
    while (Atomics.load(i32, FLAG) < round) await futexWaitAsync(i32, FLAG, round - 1).promise;
  }
  const through = Number(process.hrtime.bigint());
  f64[F64_LATENCY] = through - (f64[F64_RELEASED_AT] as number);
  guard?.release();
  Atomics.store(i32, DONE, round);
  futexWake(i32, DONE, 1);
}
shared.close();
