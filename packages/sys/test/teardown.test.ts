import { openSync, closeSync } from 'node:fs';
import { lineReader, spawnTs } from '@shmkit/testkit';
import { describe, expect, it } from 'vitest';
import { fcntlLock } from '../src/index.js';
import { child, sharedFile } from './helpers.js';

describe('environments that end while async waits are pending', () => {
  for (const mode of ['exit', 'worker'] as const) {
    it(`${mode === 'exit' ? 'process.exit()' : 'worker.terminate()'} with a pending futex wait and lock wait ends cleanly`, async () => {
      using words = sharedFile(4096);
      using locked = sharedFile(4096);
      // Hold the lock here so the child's lock wait stays pending.
      const fd = openSync(locked.path, 'r+');
      expect(fcntlLock(fd, { type: 'write', ofd: true })).toBe(true);
      try {
        const proc = spawnTs(child('teardown.ts'), [mode, words.path, locked.path]);
        const out = lineReader(proc);
        await out.next(mode === 'exit' ? 'exiting' : 'terminated');
        expect(await out.exited).toBe(0);
      } finally {
        closeSync(fd);
      }
    });
  }
});
