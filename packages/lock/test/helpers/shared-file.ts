import { closeSync, ftruncateSync, openSync, rmSync } from 'node:fs';
import { MAP_SHARED, mmap, munmap, PROT_READ, PROT_WRITE } from '@shmkit/sys';

export interface SharedFile extends Disposable {
  readonly path: string;
  readonly buffer: ArrayBuffer;
  /** Unmaps; the creator also deletes the file. */
  close(): void;
}

/**
 * Maps `size` bytes of a file (in /dev/shm: shared memory) into this process. `create` makes a fresh
 * zeroed file; otherwise the file must exist. Tests share memory between processes this way.
 */
export function mapSharedFile(path: string, size: number, create: boolean): SharedFile {
  const fd = openSync(path, create ? 'wx+' : 'r+', 0o600);
  let buffer: ArrayBuffer;
  try {
    if (create) ftruncateSync(fd, size);
    buffer = mmap(fd, 0, size, PROT_READ | PROT_WRITE, MAP_SHARED);
  } finally {
    closeSync(fd);
  }
  const close = () => {
    munmap(buffer);
    if (create) rmSync(path, { force: true });
  };
  return { path, buffer, close, [Symbol.dispose]: close };
}

export function shmPath(name: string): string {
  return `/dev/shm/${name}`;
}
