/**
 * @shmkit/shm — POSIX named shared memory objects and System V segments, created, opened,
 * inspected, re-permissioned and removed from TypeScript, and handed out as Buffers that the other
 * shmkit packages build on.
 */
export { PAGE_SIZE } from '@shmkit/sys';
export { ShmError, type ShmErrorCode } from './errors.js';
export { MAX_NAME_BYTES } from './posix-name.js';
export {
  type PosixCreateOptions,
  type PosixOpenOptions,
  PosixSharedMemory,
  type PosixShmEntry,
} from './posix.js';
export type { SharedMemory } from './shared-memory.js';
export { SHM_DEST, type ShmInfo } from './sysv-info.js';
export { IPC_PRIVATE, Key, ShmId } from './sysv-key.js';
export type { SysvShmEntry } from './sysv-list.js';
export { type SysvCreateOptions, type SysvOpenOptions, SysvSharedMemory } from './sysv.js';
export {
  IPC_RMID,
  IPC_SET,
  IPC_STAT,
  type ShmSetRequest,
  shmat,
  shmcfg,
  shmctl,
  shmdt,
  shmget,
  shminfo,
  shmrm,
} from './sysv-functions.js';
export { IPC_CREAT, IPC_EXCL } from '@shmkit/sys';
export { MAX_SIZE } from './validate.js';
