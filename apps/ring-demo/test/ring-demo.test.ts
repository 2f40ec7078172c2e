import { fileURLToPath } from 'node:url';
import { PosixSharedMemory } from '@shmkit/shm';
import { runTs } from '@shmkit/testkit';
import { expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

it('a producer and a consumer process pass every message intact, and the pool audits clean', async () => {
  const r = await runTs(MAIN, ['--duration', '1', '--size', '128'], { timeoutMs: 60_000 });
  expect(r.code, r.stderr).toBe(0);
  const received = /consumer: received ([\d,]+) messages/.exec(r.stdout);
  const sent = /producer: sent ([\d,]+) messages/.exec(r.stdout);
  expect(received?.[1]).toBeDefined();
  expect(received?.[1]).toBe(sent?.[1]);
  expect(Number(received![1]!.replaceAll(',', ''))).toBeGreaterThan(0);
  expect(r.stdout).toMatch(/every message in order and intact/);
  expect(r.stdout).toMatch(/mempool audit: 2048 blocks free, 0 out/);
  // The shared memory object was volatile: nothing is left in /dev/shm.
  const name = /through (\/shmkit-ring-demo-\d+)/.exec(r.stdout)?.[1];
  expect(name).toBeDefined();
  expect(PosixSharedMemory.list().filter((e) => e.name === name)).toEqual([]);
});

it('refuses bad options with status 2', async () => {
  const r = await runTs(MAIN, ['--size', '10'], { timeoutMs: 30_000 });
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/--size must be/);
});
