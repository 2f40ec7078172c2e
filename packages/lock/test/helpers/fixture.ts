import { join } from 'node:path';
import { makeTmpDir, uniqueName } from '@shmkit/testkit';
import type { Child } from './child.js';
import { initSharedLocks, SHARED_SIZE } from './layout.js';
import { mapSharedFile, type SharedFile, shmPath } from './shared-file.js';

/** A fresh shared file with both shared-memory locks initialised, a temp dir for lock files, and cleanup. */
export interface LockFixture extends Disposable {
  shared: SharedFile;
  dir: string;
  lockPath: string;
  /** Children to kill at cleanup. */
  children: Child[];
  cleanup(): void;
}

export function lockFixture(): LockFixture {
  const tmp = makeTmpDir('shmkit-lock-');
  const shared = mapSharedFile(shmPath(uniqueName('lock-test')), SHARED_SIZE, true);
  initSharedLocks(shared.buffer);
  const children: Child[] = [];
  let done = false;
  const cleanup = () => {
    if (done) return;
    done = true;
    for (const child of children) child.kill();
    shared.close();
    tmp.remove();
  };
  return {
    shared,
    dir: tmp.path,
    lockPath: join(tmp.path, 'locks', 'test.lock'),
    children,
    cleanup,
    [Symbol.dispose]: cleanup,
  };
}
