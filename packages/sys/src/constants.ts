import { native } from './binding.js';

const c = native.constants as Record<string, number>;

/** The system page size (queried at run time); mmap offsets must be multiples of it. */
export const PAGE_SIZE: number = c.PAGE_SIZE!;
export const PROT_NONE: number = c.PROT_NONE!;
export const PROT_READ: number = c.PROT_READ!;
export const PROT_WRITE: number = c.PROT_WRITE!;
export const MAP_SHARED: number = c.MAP_SHARED!;
export const MAP_PRIVATE: number = c.MAP_PRIVATE!;
export const MS_ASYNC: number = c.MS_ASYNC!;
export const MS_SYNC: number = c.MS_SYNC!;
export const MS_INVALIDATE: number = c.MS_INVALIDATE!;
export const MADV_NORMAL: number = c.MADV_NORMAL!;
export const MADV_RANDOM: number = c.MADV_RANDOM!;
export const MADV_SEQUENTIAL: number = c.MADV_SEQUENTIAL!;
export const MADV_WILLNEED: number = c.MADV_WILLNEED!;
export const MADV_DONTNEED: number = c.MADV_DONTNEED!;
/** System V key that always creates a new segment. */
export const IPC_PRIVATE: number = c.IPC_PRIVATE!;
export const IPC_CREAT: number = c.IPC_CREAT!;
export const IPC_EXCL: number = c.IPC_EXCL!;
export const SHM_RDONLY: number = c.SHM_RDONLY!;
