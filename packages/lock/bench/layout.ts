// The shared file of the hand-off benchmark.
export const SIZE = 4096;
export const MUTEX_AT = 0;
export const RWLOCK_AT = 64;
/** i32 indices: the round the main process started (-1: stop), the round the peer finished, the futex reference word, the variant of the round. */
export const ROUND = 512 / 4;
export const DONE = 516 / 4;
export const FLAG = 520 / 4;
export const VARIANT = 524 / 4;
/** f64 indices: when the main process released (hrtime ns), and the peer's measured latency (ns). */
export const F64_RELEASED_AT = 528 / 8;
export const F64_LATENCY = 536 / 8;

export type HandoffKind = 'futex' | 'futex-then-cas' | 'shm-mutex' | 'shm-rwlock' | 'shm-rwlock-read' | 'record' | 'file';

/** One way of waiting, measured by both processes; the main process tells the peer which, round by round. */
export interface Variant {
  name: string;
  kind: HandoffKind;
  mode: 'sync' | 'async';
  /** Name of the variant this one is compared with. */
  baseline?: string;
}

export const FUTEX_SYNC = 'futex wake of a parked waiter (sync)';
export const FUTEX_ASYNC = 'futex wake of a parked waiter (futexWaitAsync)';
export const FUTEX_THEN_CAS = 'futex wake, then one ShmMutex.tryLock()';

export const VARIANTS: Variant[] = [
  { name: FUTEX_SYNC, kind: 'futex', mode: 'sync' },
  { name: FUTEX_ASYNC, kind: 'futex', mode: 'async' },
  // The least any lock does after waking: one compare-and-swap and a guard object.
  { name: FUTEX_THEN_CAS, kind: 'futex-then-cas', mode: 'sync', baseline: FUTEX_SYNC },
  { name: 'ShmMutex, sync waiter', kind: 'shm-mutex', mode: 'sync', baseline: FUTEX_SYNC },
  { name: 'ShmMutex, async waiter', kind: 'shm-mutex', mode: 'async', baseline: FUTEX_ASYNC },
  { name: 'ShmRwLock writer, sync waiter', kind: 'shm-rwlock', mode: 'sync', baseline: FUTEX_SYNC },
  { name: 'ShmRwLock reader, sync waiter', kind: 'shm-rwlock-read', mode: 'sync', baseline: FUTEX_SYNC },
  { name: 'RecordLock, sync waiter (F_OFD_SETLKW)', kind: 'record', mode: 'sync', baseline: FUTEX_SYNC },
  { name: 'RecordLock, async waiter (F_OFD_SETLKW on a native thread)', kind: 'record', mode: 'async', baseline: FUTEX_ASYNC },
  { name: 'FileLock, async waiter (polling)', kind: 'file', mode: 'async', baseline: FUTEX_ASYNC },
];
