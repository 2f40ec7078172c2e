import * as sys from '@shmkit/sys';
import { createSharedMapping, openSharedMapping, type SharedMapping } from '@shmkit/testkit';

/** A file mapped MAP_SHARED: what two independent processes use to share a ring in tests and benches. */
export type SharedFile = SharedMapping;

/** Creates a new owner-only file (never following a symlink) of `bytes` bytes and maps it; disposing deletes it. */
export function createSharedFile(bytes: number): SharedFile {
  return createSharedMapping(sys, bytes, { prefix: 'shmkit-ring' });
}

/** Maps an existing file created by createSharedFile (in another process); disposing only unmaps. */
export function openSharedFile(path: string): SharedFile {
  return openSharedMapping(sys, path);
}
