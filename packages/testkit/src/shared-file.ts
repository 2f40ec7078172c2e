import { closeSync, constants, existsSync, fstatSync, ftruncateSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uniqueName } from './tmp.js';

/**
 * The part of @shmkit/sys that mapping needs. Callers pass the module itself (`import * as sys from
 * '@shmkit/sys'`): testkit cannot import sys, whose own tests use testkit.
 */
export interface MmapApi {
  mmap(fd: number, offset: number, length: number, prot: number, flags: number): ArrayBuffer;
  /** Detaches and unmaps; harmless on a buffer already unmapped. */
  munmap(buffer: ArrayBuffer): unknown;
  readonly PROT_READ: number;
  readonly PROT_WRITE: number;
  readonly MAP_SHARED: number;
}

/** A file mapped MAP_SHARED: how independent test processes share memory. */
export interface SharedMapping extends Disposable {
  readonly path: string;
  readonly buffer: ArrayBuffer;
  /** Unmaps; the file stays. */
  close(): void;
  /** Unmaps and deletes the file. */
  remove(): void;
}

/** A fresh path for a shared test file: in /dev/shm (memory) when present, else the temp directory. */
export function sharedFilePath(prefix = 'shmkit'): string {
  return join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), uniqueName(prefix));
}

/**
 * Creates an owner-only file of `size` zero bytes (never following a symlink, never reusing an existing
 * file) and maps it read-write, MAP_SHARED; `path` defaults to a fresh sharedFilePath(prefix).
 * Disposing unmaps and deletes it.
 */
export function createSharedMapping(
  sys: MmapApi,
  size: number,
  options: { path?: string; prefix?: string } = {},
): SharedMapping {
  const path = options.path ?? sharedFilePath(options.prefix);
  const fd = openSync(path, constants.O_CREAT | constants.O_EXCL | constants.O_RDWR | constants.O_NOFOLLOW, 0o600);
  try {
    ftruncateSync(fd, size);
  } catch (err) {
    closeSync(fd);
    rmSync(path, { force: true });
    throw err;
  }
  return mapOpenFile(sys, path, fd, size, true);
}

/** Maps an existing shared file (what a child process does); `size` defaults to the file's size. Disposing only unmaps. */
export function openSharedMapping(sys: MmapApi, path: string, size?: number): SharedMapping {
  const fd = openSync(path, constants.O_RDWR | constants.O_NOFOLLOW);
  let bytes: number;
  try {
    bytes = size ?? fstatSync(fd).size;
  } catch (err) {
    closeSync(fd);
    throw err;
  }
  return mapOpenFile(sys, path, fd, bytes, false);
}

/** Maps `fd` and closes it (the mapping keeps the file alive). */
function mapOpenFile(sys: MmapApi, path: string, fd: number, size: number, owner: boolean): SharedMapping {
  let buffer: ArrayBuffer;
  try {
    buffer = sys.mmap(fd, 0, size, sys.PROT_READ | sys.PROT_WRITE, sys.MAP_SHARED);
  } catch (err) {
    if (owner) rmSync(path, { force: true });
    throw err;
  } finally {
    closeSync(fd);
  }
  const close = () => {
    sys.munmap(buffer);
  };
  const remove = () => {
    close();
    rmSync(path, { force: true });
  };
  return { path, buffer, close, remove, [Symbol.dispose]: owner ? remove : close };
}
