import { readFileSync, statSync } from 'node:fs';
import { runTs, spawnTs, waitForLine } from '@shmkit/testkit';
import { describe, expect, it } from 'vitest';
import { DataStructMmapEditor, DataStructMmapManager, DemoMmapStructure } from '../src/index.js';
import { CHILD, ipmmapDirs } from './helpers.js';

describe('crashes and concurrent creation', () => {
  it('kill -9 of a process inside an editor scope: the lock is free at once, its write is visible', async () => {
    using dirs = ipmmapDirs();
    using m = new DataStructMmapManager(DemoMmapStructure, { ...dirs, create: true });
    const child = spawnTs(CHILD, [dirs.mmapDir, dirs.fastenerDir, 'hold', 'write', '99'], { stdio: ['pipe', 'pipe', 'pipe'] });
    await waitForLine(child, 'LOCKED');
    expect(m.tryOpen()).toBeNull();
    child.kill('SIGKILL');
    await new Promise((r) => child.once('close', r));
    using s = m.open({ timeout: 1000 });
    expect(s.readData('data_int')).toBe(99);
  });

  it('force re-creation under a live mapper never truncates the file (no SIGBUS, no short file)', async () => {
    using dirs = ipmmapDirs();
    using first = new DataStructMmapManager(DemoMmapStructure, { ...dirs, create: true });
    const ino = statSync(first.mmapFilePath).ino;
    const watcher = spawnTs(CHILD, [dirs.mmapDir, dirs.fastenerDir, 'map-watch', '1500']);
    let out = '';
    watcher.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
    });
    await new Promise((r) => setTimeout(r, 300));
    let resets = 0;
    const until = Date.now() + 800;
    while (Date.now() < until) {
      new DataStructMmapManager(DemoMmapStructure, { ...dirs, create: true, force: true }).close();
      resets += 1;
    }
    const [code, signal] = await new Promise<[number | null, string | null]>((r) =>
      watcher.once('close', (c, s) => r([c, s])),
    );
    expect(signal).toBeNull();
    expect(code).toBe(0);
    const result = JSON.parse(out.trim().split('\n').pop()!);
    expect(result.reads).toBeGreaterThan(0);
    expect(result.minSize).toBe(688);
    expect(result.badHeader).toBe(0);
    expect(resets).toBeGreaterThan(10);
    expect(statSync(first.mmapFilePath).ino).toBe(ino);
  });

  it('racing creators: every one succeeds, exactly one creates, the file is whole', async () => {
    using dirs = ipmmapDirs();
    const script = new URL('./child/create-race.ts', import.meta.url).pathname;
    const startAt = String(Date.now() + 4000);
    const results = await Promise.all(
      Array.from({ length: 4 }, () => runTs(script, [dirs.mmapDir, dirs.fastenerDir, startAt], { timeoutMs: 30_000 })),
    );
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const created = results.filter((r) => r.stdout.trim() === 'created').length;
    expect(created).toBe(1);
    using e = new DataStructMmapEditor(DemoMmapStructure, dirs);
    expect(readFileSync(e.mmapFilePath).length).toBe(688);
    using s = e.open();
    expect(s.readData('header.header_code')).toBe(0x1128);
  });
});
