import { readFileSync } from 'node:fs';
import { makeTmpDir } from '@shmkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, codeOf, loadRegion, makePatternFile, type RegionLib } from './helpers.js';

describe.each(BACKENDS)('views handed out by cursors and sliding buffers (%s backend)', (backendName) => {
  let R: RegionLib;
  const tmp = makeTmpDir('shmkit-region-view-');
  let file: { path: string; data: Buffer };

  beforeAll(async () => {
    R = await loadRegion(backendName);
    file = makePatternFile(tmp.path, 'views', 3 * 65536 + 123);
  });
  afterAll(() => tmp.remove());

  it('are real Buffers over the mapped bytes: Buffer methods work and writes reach the file', () => {
    const man = new R.SlidingWindowMapManager({ windowSize: 65536 });
    using c = man.makeCursor(file.path);
    const view = c.useRegion(70_000, 4096).buffer();
    expect(Buffer.isBuffer(view)).toBe(true);
    expect(view).toBeInstanceOf(Buffer);
    expect(view.length).toBe(4096);
    expect(view.equals(file.data.subarray(70_000, 74_096))).toBe(true);
    expect(view.readUInt32LE(8)).toBe(file.data.readUInt32LE(70_008));
    expect(view.toString('hex', 0, 4)).toBe(file.data.toString('hex', 70_000, 70_004));
    expect(view.subarray(10, 20).equals(file.data.subarray(70_010, 70_020))).toBe(true);

    const buf = new R.SlidingWindowMapBuffer(c, 1000);
    const slice = buf.slice(5, 25);
    expect(Buffer.isBuffer(slice)).toBe(true);
    expect(slice.equals(file.data.subarray(1005, 1025))).toBe(true);
    buf.endAccess();
    man.close();
    expect(view.length).toBe(0); // released: detached, never a dangling view
    expect(codeOf(() => c.buffer())).toMatch(/^ERR_SHMKIT_REGION_/);
  });

  it('write through a writable region lands in the file', () => {
    const r = new R.MapRegion(file.path, 65536, 4096, { writable: true });
    const man = new R.StaticWindowMapManager();
    using c = man.makeCursor(file.path);
    c.useRegion(65536 + 100, 8);
    expect(Buffer.isBuffer(c.buffer())).toBe(true);
    r.buffer().write('mapped!', 100);
    expect(readFileSync(file.path).toString('latin1', 65636, 65643)).toBe('mapped!');
    expect(c.buffer().toString('latin1', 0, 7)).toBe('mapped!');
    r.release();
    man.close();
  });
});
