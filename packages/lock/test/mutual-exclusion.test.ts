import { join } from 'node:path';
import { futexWake } from '@shmkit/sys';
import { makeTmpDir, uniqueName } from '@shmkit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { startChild } from './helpers/child.js';
import { COUNTER_INDEX, GO_INDEX, initSharedLocks, type Kind, SHARED_SIZE } from './helpers/layout.js';
import { mapSharedFile, type SharedFile, shmPath } from './helpers/shared-file.js';

const PROCESSES = 4;
const ITERATIONS: Record<Kind, number> = {
  'shm-mutex': 20_000,
  'shm-rwlock': 20_000,
  record: 20_000,
  // Every FileLock acquisition is a mkdir, an mtime probe and an rmdir, and waiters poll.
  file: 150,
};
// Two processes block in the kernel (sync), two wait on native threads (async) and alternate.
const MODES = ['sync', 'async', 'mixed', 'sync'] as const;

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

describe('mutual exclusion: 4 processes increment a plain shared counter under the lock', () => {
  it.each(Object.keys(ITERATIONS) as Kind[])('%s: the final count is exact', async (kind) => {
    const tmp = makeTmpDir('shmkit-lock-mx-');
    cleanups.push(() => tmp.remove());
    const shared: SharedFile = mapSharedFile(shmPath(uniqueName('lock-mx')), SHARED_SIZE, true);
    cleanups.push(() => shared.close());
    initSharedLocks(shared.buffer);
    const i32 = new Int32Array(shared.buffer);
    const lockPath = join(tmp.path, 'locks', 'counter.lock');
    const iterations = ITERATIONS[kind];

    const children = MODES.slice(0, PROCESSES).map((mode) =>
      startChild('contender.ts', [kind, shared.path, lockPath, String(iterations), mode]),
    );
    cleanups.push(() => {
      for (const child of children) child.kill();
    });
    await Promise.all(children.map((child) => child.waitFor('ready')));
    Atomics.store(i32, GO_INDEX, 1);
    futexWake(i32, GO_INDEX, PROCESSES);
    await Promise.all(children.map((child) => child.succeeded()));

    expect(i32[COUNTER_INDEX]).toBe(PROCESSES * iterations);
  });
});
