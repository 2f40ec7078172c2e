import { join } from 'node:path';
import { futexWake } from '@shmkit/sys';
import { makeTmpDir, uniqueName } from '@shmkit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { startChild } from './helpers/child.js';
import { GO_INDEX, initSharedLocks, type Kind, SHARED_SIZE } from './helpers/layout.js';
import { mapSharedFile, shmPath } from './helpers/shared-file.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

const READERS = 3;
const WRITERS = 2;
const WRITES = 40;

describe('reader/writer locks: records are never torn and writers are not starved', () => {
  it.each(['shm-rwlock', 'record'] as Kind[])('%s', async (kind) => {
    const tmp = makeTmpDir('shmkit-lock-rw-');
    cleanups.push(() => tmp.remove());
    const shared = mapSharedFile(shmPath(uniqueName('lock-rw')), SHARED_SIZE, true);
    cleanups.push(() => shared.close());
    initSharedLocks(shared.buffer);
    const i32 = new Int32Array(shared.buffer);
    const lockPath = join(tmp.path, 'record.lock');

    const start = (role: string, mode: string) =>
      startChild('rw-worker.ts', [kind, shared.path, lockPath, role, String(WRITES), String(WRITERS), mode]);
    // Readers loop back to back without pausing; writers pause 1 ms between writes.
    const readers = [start('reader', 'sync'), start('reader', 'async'), start('reader', 'sync')].slice(0, READERS);
    const writers = [start('writer', 'sync'), start('writer', 'async')].slice(0, WRITERS);
    const all = [...readers, ...writers];
    cleanups.push(() => {
      for (const child of all) child.kill();
    });
    await Promise.all(all.map((child) => child.waitFor('ready')));
    Atomics.store(i32, GO_INDEX, 1);
    futexWake(i32, GO_INDEX, all.length);

    // Starved writers would never finish, and the readers loop until they do.
    const outputs = await Promise.all(all.map((child) => child.succeeded()));
    const results = outputs.map((out) => JSON.parse(out.trim().split('\n').pop() as string));
    const readerResults = results.filter((r) => r.role === 'reader');
    const writerResults = results.filter((r) => r.role === 'writer');
    for (const r of readerResults) expect(r.torn).toBe(0);
    expect(readerResults.reduce((sum, r) => sum + r.reads, 0)).toBeGreaterThan(0);
    console.log(
      `${kind}: reads ${readerResults.map((r) => r.reads).join('/')}, ` +
        `writer waits: median ${writerResults.map((r) => r.medianWaitMs.toFixed(2)).join('/')} ms, ` +
        `longest ${Math.max(...writerResults.map((r) => r.maxWaitMs)).toFixed(1)} ms`,
    );
  });
});
