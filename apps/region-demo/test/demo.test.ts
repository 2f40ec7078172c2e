import { runTs } from '@shmkit/testkit';
import { expect, it } from 'vitest';

it('runs two processes, the reader prints what the writer wrote, and exits 0 by itself', async () => {
  const main = new URL('../src/main.ts', import.meta.url).pathname;
  const r = await runTs(main, [], { timeoutMs: 40_000 });
  expect(r.code, r.stderr).toBe(0);
  const seen = r.stdout.split('\n').filter((l) => l.startsWith('[reader') && l.includes('message "hello #'));
  expect(seen.length).toBeGreaterThan(3);
  // the last update is always seen: the reader stops only after the final counter
  expect(r.stdout).toMatch(/update 25 {2}message "hello #25 from pid \d+/);
  expect(r.stdout).toMatch(/writer is done; saw \d+ of 25 updates/);
  // every message printed is whole: its number matches the update number
  for (const line of seen) {
    const [, update, hello] = /update +(\d+) +message "hello #(\d+) /.exec(line)!;
    expect(hello).toBe(update);
  }
});
