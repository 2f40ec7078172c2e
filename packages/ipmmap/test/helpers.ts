import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { makeTmpDir } from '@shmkit/testkit';

/** A fresh pair of ipmmap directories (data and locks) in a temporary directory. */
export function ipmmapDirs(): { mmapDir: string; fastenerDir: string; root: string; [Symbol.dispose](): void } {
  const tmp = makeTmpDir('shmkit-ipmmap-');
  const mmapDir = join(tmp.path, '.mmap');
  const fastenerDir = join(tmp.path, '.fasteners');
  mkdirSync(mmapDir);
  mkdirSync(fastenerDir);
  return { mmapDir, fastenerDir, root: tmp.path, [Symbol.dispose]: () => tmp.remove() };
}

export const CHILD = new URL('./child/ipmmap-child.ts', import.meta.url).pathname;
export const INTEROP_TIMEOUT = 30_000;
