import { fileURLToPath } from 'node:url';
import { runTs } from '@shmkit/testkit';
import { expect, it } from 'vitest';

const DEMO = fileURLToPath(new URL('../src/demo.ts', import.meta.url));

it('the main demo runs the editor and reader side by side, then the ring demo, and exits 0', async () => {
  const r = await runTs(DEMO, ['--seconds', '2', '--ring-seconds', '1'], { timeoutMs: 90_000 });
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/editor \(apps\/demo-editor\)\s+│ reader \(apps\/demo-reader\)/);
  expect(r.stdout).toMatch(/\[data_int\] \d+\s+│/);
  expect(r.stdout).toMatch(/│ .*data age/);
  expect(r.stdout).toMatch(/demo 2\/2/);
  expect(r.stdout).toMatch(/ring demo skipped|messages/);
  expect(r.stdout).toMatch(/demo finished\./);
}, 120_000);
