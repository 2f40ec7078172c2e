import * as sys from '@shmkit/sys';
import { createSharedMapping, openSharedMapping } from '@shmkit/testkit';

export interface SharedFile extends Disposable {
  readonly path: string;
  readonly buffer: ArrayBuffer;
  /** Unmaps; the creator also deletes the file. */
  close(): void;
}

/**
 * Maps `size` bytes of a file (in /dev/shm: shared memory) into this process. `create` makes a fresh
 * zeroed owner-only file; otherwise the file must exist. Tests share memory between processes this way.
 */
export function mapSharedFile(path: string, size: number, create: boolean): SharedFile {
  const mapping = create ? createSharedMapping(sys, size, { path }) : openSharedMapping(sys, path, size);
  const close = () => mapping[Symbol.dispose]();
  return { path, buffer: mapping.buffer, close, [Symbol.dispose]: close };
}

export function shmPath(name: string): string {
  return `/dev/shm/${name}`;
}
