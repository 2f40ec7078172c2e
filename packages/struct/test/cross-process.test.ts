/**
 * Views over a real shared mapping (@shmkit/region, MAP_SHARED) in two separate processes: what a
 * child writes through its view, the parent reads through its own, and the other way round; and
 * what a process killed with SIGKILL in the middle of writes leaves behind.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MapRegion } from '@shmkit/region';
import { makeTmpDir, runTs, spawnTs, waitForLine } from '@shmkit/testkit';
import { afterEach, describe, expect, test } from 'vitest';
import { Demo, Generations } from './fixtures/shared.js';

const child = join(import.meta.dirname, 'children', 'shared-demo.ts');
const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function sharedFile(size: number): { path: string; region: MapRegion } {
  const dir = makeTmpDir('shmkit-struct-xproc-');
  const path = join(dir.path, 'demo.bin');
  writeFileSync(path, new Uint8Array(size), { mode: 0o600 });
  const region = new MapRegion(path, 0, size, { writable: true });
  cleanups.push(() => {
    region.release();
    dir.remove();
  });
  return { path, region };
}

describe('cross-process views', () => {
  test('a child writes through its view; the parent reads the same values through its own', async () => {
    const { path, region } = sharedFile(Demo.size);
    const view = Demo.view(region.buffer()); // mapped before the child writes
    const result = await runTs(child, ['write', path], { timeoutMs: 30_000 });
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('written');
    expect(view.header.header_code).toBe(0x1128);
    expect(view.header.time_stamp).toBe(1700000000.25);
    expect(view.data_int).toBe(-123456);
    expect(view.data_string).toBe('written by the child ✓');
    expect([view.data_xy.x, view.data_xy.y]).toEqual([1.5, -2.5]);
    expect(view.multi_pts.multi_data_int).toBe(24);
    const points = Demo.read(region.buffer()).multi_pts.multi_points;
    expect(points).toEqual(Array.from({ length: 24 }, (_, i) => ({ x: i * 10, y: i * 10 + 0.5 })));
    expect(Demo.get(region.buffer(), 'multi_pts.multi_points.23.y')).toBe(230.5);
  });

  test('the parent writes through a view; a child reads the values', async () => {
    const { path, region } = sharedFile(Demo.size);
    const view = Demo.view(region.buffer());
    view.data_int = 99;
    view.data_string = 'from the parent';
    view.multi_pts.multi_points.get(5).y = 0.125;
    const result = await runTs(child, ['read', path], { timeoutMs: 30_000 });
    expect(result.stderr).toBe('');
    const seen = JSON.parse(result.stdout);
    expect(seen.data_int).toBe(99);
    expect(seen.data_string).toBe('from the parent');
    expect(seen.multi_pts.multi_points[5]).toEqual({ x: 0, y: 0.125 });
  });

  test('kill -9 during writes: memory stays readable, each field holds a whole generation, in write order', async () => {
    const { path, region } = sharedFile(Generations.size);
    const proc = spawnTs(child, ['generations', path]);
    await waitForLine(proc, 'writing', 20_000);
    const view = Generations.view(region.buffer());
    // Let the child get well into its loop, then kill it wherever it is.
    const deadline = Date.now() + 10_000;
    while (view.g7 < 1000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGKILL');
    await exited;
    const values = Object.values(Generations.read(region.buffer()));
    const g = values[0]!;
    expect(g).toBeGreaterThan(0);
    // Fields are written g0..g7 in order: a prefix holds the newest generation, the rest the one before.
    const k = values.findIndex((x) => x !== g);
    const prefix = k < 0 ? values.length : k;
    expect(values.slice(0, prefix).every((x) => x === g)).toBe(true);
    expect(values.slice(prefix).every((x) => x === g - 1)).toBe(true);
    view.g0 = 1; // and the mapping is still writable
    expect(Generations.get(region.buffer(), 'g0')).toBe(1);
  });
});
