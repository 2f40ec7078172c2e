import { closeSync, fstatSync, ftruncateSync, openSync, readFileSync, rmSync } from 'node:fs';
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

/**
 * How many lock requests on the file behind `fd` are blocked in the kernel right now (the `->` lines
 * of /proc/locks for its inode). A wait that polls with F_SETLK never shows up here; one sleeping in
 * F_SETLKW / F_OFD_SETLKW does.
 */
export function blockedLockRequests(fd: number): number {
  const inode = fstatSync(fd).ino;
  return readFileSync('/proc/locks', 'utf8')
    .split('\n')
    .filter((line) => line.includes('->') && line.split(/\s+/).some((field) => field.endsWith(`:${inode}`))).length;
}

/** Resolves once `count` requests on `fd`'s file are blocked in the kernel; throws after `timeoutMs`. */
export async function untilBlocked(fd: number, count = 1, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (blockedLockRequests(fd) < count) {
    if (Date.now() > deadline) throw new Error(`fewer than ${count} lock requests blocked after ${timeoutMs} ms`);
    await sleep(2);
  }
}
