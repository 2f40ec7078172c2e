import { closeSync, ftruncateSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { uniqueName } from '@shmkit/testkit';

/** A file in /dev/shm (tmpfs) of `size` bytes, opened read-write; dispose to close and remove it. */
export function sharedFile(size: number): { path: string; fd: number; [Symbol.dispose](): void } {
  const path = join('/dev/shm', uniqueName('shmkit-sys'));
  const fd = openSync(path, 'wx+', 0o600);
  ftruncateSync(fd, size);
  return {
    path,
    fd,
    [Symbol.dispose]() {
      closeSync(fd);
      rmSync(path, { force: true });
    },
  };
}

export function child(name: string): string {
  return join(import.meta.dirname, 'children', name);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
