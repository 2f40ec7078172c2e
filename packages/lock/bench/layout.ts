// The shared file of the hand-off benchmark.
export const SIZE = 4096;
export const MUTEX_AT = 0;
export const RWLOCK_AT = 64;
/** i32 indices: the round the main process started, the round the peer finished, the futex reference word. */
export const ROUND = 512 / 4;
export const DONE = 516 / 4;
export const FLAG = 520 / 4;
/** f64 indices: when the main process released (hrtime ns), and the peer's measured latency (ns). */
export const F64_RELEASED_AT = 528 / 8;
export const F64_LATENCY = 536 / 8;

export type HandoffKind = 'futex' | 'shm-mutex' | 'shm-rwlock' | 'shm-rwlock-read' | 'record' | 'file';
