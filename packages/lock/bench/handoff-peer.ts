// The waiting side of the hand-off benchmark. Each round the main process picks a variant (a lock
// kind and a way of waiting), holds the lock, and releases it once this process is parked; this
// process records how long after the release it got through. Interleaving the variants round by
// round exposes them all to the same machine load.
// argv: sharedPath lockPath fileLockPath
import { futexWait, futexWaitAsync, futexWake } from '@shmkit/sys';
import { FileLock, type Guard, RecordLock, ShmMutex, ShmRwLock } from '../src/index.js';
import { mapSharedFile } from '../test/helpers/shared-file.js';
import {
  DONE,
  F64_LATENCY,
  F64_RELEASED_AT,
  FLAG,
  MUTEX_AT,
  ROUND,
  RWLOCK_AT,
  SIZE,
  VARIANT,
  VARIANTS,
  type Variant,
} from './layout.js';

const [sharedPath, lockPath, fileLockPath] = process.argv.slice(2) as [string, string, string];
const shared = mapSharedFile(sharedPath, SIZE, false);
const i32 = new Int32Array(shared.buffer);
const f64 = new Float64Array(shared.buffer);
const mutex = ShmMutex.at(shared.buffer, MUTEX_AT);
const rw = ShmRwLock.at(shared.buffer, RWLOCK_AT);
const record = new RecordLock(lockPath);
const file = new FileLock(fileLockPath);

async function waitThrough(variant: Variant, round: number): Promise<Guard | null> {
  const sync = variant.mode === 'sync';
  switch (variant.kind) {
    case 'futex':
      if (sync) {
        while (Atomics.load(i32, FLAG) < round) futexWait(i32, FLAG, round - 1);
      } else {
        while (Atomics.load(i32, FLAG) < round) await futexWaitAsync(i32, FLAG, round - 1).promise;
      }
      return null;
    case 'futex-then-cas':
      while (Atomics.load(i32, FLAG) < round) futexWait(i32, FLAG, round - 1);
      return mutex.tryLock();
    case 'shm-mutex':
      return sync ? mutex.lock() : mutex.lockAsync();
    case 'shm-rwlock':
      return sync ? rw.writeLock() : rw.writeLockAsync();
    case 'shm-rwlock-read':
      return sync ? rw.readLock() : rw.readLockAsync();
    case 'record':
      return sync ? record.writeLock() : record.writeLockAsync();
    case 'file':
      return sync ? file.lock() : file.lockAsync();
  }
}

console.log('ready');
for (let round = 1; ; round++) {
  let started = Atomics.load(i32, ROUND);
  while (started !== -1 && started < round) {
    futexWait(i32, ROUND, started);
    started = Atomics.load(i32, ROUND);
  }
  if (started === -1) break;
  const variant = VARIANTS[Atomics.load(i32, VARIANT)] as Variant;
  const guard = await waitThrough(variant, round);
  f64[F64_LATENCY] = Number(process.hrtime.bigint()) - (f64[F64_RELEASED_AT] as number);
  guard?.release();
  Atomics.store(i32, DONE, round);
  futexWake(i32, DONE, 1);
}
record.close();
shared.close();
