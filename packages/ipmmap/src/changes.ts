import { setTimeout as sleep } from 'node:timers/promises';
import type { ReadScope } from './scope.js';
import type { AnyStructType, ValueOf } from '@shmkit/struct';

export interface ChangesOptions {
  /** Milliseconds between two checks of the time stamp. Default 100. */
  intervalMs?: number;
  /** Ends the iteration (normally, without an error) when it aborts. */
  signal?: AbortSignal;
}

export interface Snapshot<T extends AnyStructType> {
  /** The header's time stamp of this snapshot, in Unix seconds. */
  timeStamp: number;
  /** A detached copy of the whole struct, read under the same lock as the time stamp. */
  data: ValueOf<T>;
}

interface Usable<T extends AnyStructType> {
  use<R>(fn: (scope: ReadScope<T>) => R, options?: { signal?: AbortSignal }): Promise<R>;
}

/**
 * Polls the time stamp under a short read lock and yields a snapshot whenever it differs from the
 * last one seen. The lock is never held while waiting for the next check, so writers are not
 * held back by a watcher.
 */
export async function* watchChanges<T extends AnyStructType>(
  handle: Usable<T>,
  { intervalMs = 100, signal }: ChangesOptions = {},
): AsyncGenerator<Snapshot<T>, void, undefined> {
  if (!(intervalMs >= 0) || !Number.isFinite(intervalMs)) {
    throw new RangeError(`intervalMs must be a finite number >= 0, got ${intervalMs}`);
  }
  let last: number | undefined;
  while (!signal?.aborted) {
    let snapshot: Snapshot<T> | null;
    try {
      snapshot = await handle.use(
        (scope) => {
          const timeStamp = scope.getLastUpdate();
          if (last !== undefined && Object.is(timeStamp, last)) return null;
          return { timeStamp, data: scope.readMappedBuffer() };
        },
        { signal },
      );
    } catch (err) {
      if (signal?.aborted && err === signal.reason) return;
      throw err;
    }
    if (snapshot) {
      last = snapshot.timeStamp;
      yield snapshot;
    }
    try {
      await sleep(intervalMs, undefined, { signal });
    } catch (err) {
      if (signal?.aborted) return;
      throw err;
    }
  }
}
