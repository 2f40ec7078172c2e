import { closeSync, constants, existsSync, fstatSync, ftruncateSync, openSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { MAP_SHARED, mmap, munmap, PROT_READ, PROT_WRITE } from '@shmkit/sys';

/** A file mapped MAP_SHARED: what two independent processes use to share a ring in tests and benches. */
export interface SharedFile {
  path: string;
  buffer: ArrayBuffer;
  /** Unmaps (the file stays). */
  close(): void;
  /** Unmaps and deletes the file. */
  remove(): void;
  [Symbol.dispose](): void;
}

function mapFile(path: string, fd: number, bytes: number, owner: boolean): SharedFile {
  let buffer: ArrayBuffer;
  try {
    buffer = mmap(fd, 0, bytes, PROT_READ | PROT_WRITE, MAP_SHARED);
  } finally {
    closeSync(fd);
  }
  const close = () => {
    munmap(buffer);
  };
  const remove = () => {
    close();
    if (existsSync(path)) unlinkSync(path);
  };
  return { path, buffer, close, remove, [Symbol.dispose]: owner ? remove : close };
}

let counter = 0;

/** Creates a new owner-only file (never following a symlink) of `bytes` bytes and maps it. */
export function createSharedFile(bytes: number, dir = existsSync('/dev/shm') ? '/dev/shm' : '/tmp'): SharedFile {
  counter += 1;
  const path = join(dir, `shmkit-ring-${process.pid}-${counter}-${Math.random().toString(36).slice(2, 8)}`);
  const fd = openSync(path, constants.O_CREAT | constants.O_EXCL | constants.O_RDWR | constants.O_NOFOLLOW, 0o600);
  try {
    ftruncateSync(fd, bytes);
  } catch (err) {
    closeSync(fd);
    unlinkSync(path);
    throw err;
  }
  return mapFile(path, fd, bytes, true);
}

/** Maps an existing file created by createSharedFile (in another process). */
export function openSharedFile(path: string): SharedFile {
  const fd = openSync(path, constants.O_RDWR | constants.O_NOFOLLOW);
  return mapFile(path, fd, fstatSync(fd).size, false);
}
