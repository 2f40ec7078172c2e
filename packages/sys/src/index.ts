/**
 * @shmkit/sys — the one native addon of shmkit: thin, synchronous wrappers of the system calls
 * that neither Node nor mmap-io offers. No policy lives here (no layouts, no retries).
 * Every failure is a `SysError` carrying `errno`, `code` ('EEXIST', 'EACCES', ...) and `syscall`.
 */
export * from './constants.js';
export { SysError } from './errors.js';
export { fcntlGetLock, fcntlLock, fcntlLockAsync, type LockRequest, type LockType, type LockHolder } from './fcntl.js';
export { futexWait, futexWaitAsync, futexWake, type FutexWaitResult, type AsyncWait } from './futex.js';
export { madvise, mmap, msync, munmap } from './mmap.js';
export { bootTicksNow, isProcessAlive, processStartTime, readProcessStat, type ProcessStat } from './process.js';
export { ftok, shmat, shmctlRemove, shmctlSet, shmctlStat, shmdt, shmget, type ShmStat } from './sysv.js';
