import { ShmMutex, ShmRwLock } from '../../src/index.js';

/*
 * The shared file every test maps (4096 bytes):
 *   0    ShmMutex
 *   64   ShmRwLock (288 bytes)
 *   512  i32 start flag: children wait on it so that they all begin at once
 *   516  i32 plain counter, incremented under the lock with non-atomic reads and writes
 *   520  i32 writers done
 *   576  i32 × RECORD_FIELDS: a record that writers fill with one value, field by field
 */
export const SHARED_SIZE = 4096;
export const MUTEX_OFFSET = 0;
export const RWLOCK_OFFSET = 64;
export const GO_INDEX = 512 / 4;
export const COUNTER_INDEX = 516 / 4;
export const WRITERS_DONE_INDEX = 520 / 4;
export const RECORD_INDEX = 576 / 4;
export const RECORD_FIELDS = 16;

export function initSharedLocks(buffer: ArrayBuffer): void {
  ShmMutex.init(buffer, MUTEX_OFFSET);
  ShmRwLock.init(buffer, RWLOCK_OFFSET);
}

export const KINDS = ['shm-mutex', 'shm-rwlock', 'record', 'file'] as const;
export type Kind = (typeof KINDS)[number];
