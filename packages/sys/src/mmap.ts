import { native } from './binding.js';
import { PAGE_SIZE } from './constants.js';

/**
 * Maps `length` bytes of the file `fd` starting at `offset` (a multiple of PAGE_SIZE; any safe
 * integer, so offsets beyond 4 GiB work). Returns an external ArrayBuffer over the mapping; Node 20
 * limits one ArrayBuffer to 4 GiB. Errors: SysError (syscall 'mmap') with the kernel's errno.
 */
export function mmap(fd: number, offset: number, length: number, prot: number, flags: number): ArrayBuffer {
  if (Number.isSafeInteger(offset) && offset % PAGE_SIZE !== 0) {
    throw Object.assign(new RangeError(`mmap offset ${offset} is not a multiple of the page size (${PAGE_SIZE})`), {
      code: 'ERR_OUT_OF_RANGE',
    });
  }
  return native.mmap(fd, offset, length, prot, flags);
}

/**
 * Detaches `buffer` (every view over it becomes empty, so JavaScript can never touch unmapped
 * memory), then unmaps it at once. Returns false when it was already unmapped. A buffer that is
 * never released is unmapped by its garbage-collection finaliser, never twice.
 */
export function munmap(buffer: ArrayBuffer): boolean {
  return native.munmap(buffer);
}

/** Flushes [offset, offset + length) of a mapping to its file (the range is widened to whole pages). */
export function msync(buffer: ArrayBuffer, offset: number, length: number, flags: number): void {
  native.msync(buffer, offset, length, flags);
}

/** Gives the kernel advice about [offset, offset + length) of a mapping; offset must be page aligned. */
export function madvise(buffer: ArrayBuffer, offset: number, length: number, advice: number): void {
  native.madvise(buffer, offset, length, advice);
}
