import { makeTmpDir } from '@shmkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, loadRegion, makePatternFile, type RegionLib } from './helpers.js';

describe.each(BACKENDS)('smmap test 9: the tutorial (%s backend)', (backendName) => {
  let R: RegionLib;
  const tmp = makeTmpDir('shmkit-region-tut-');
  let file: { path: string; data: Buffer };

  beforeAll(async () => {
    R = await loadRegion(backendName);
    file = makePatternFile(tmp.path, 'tutorial', 1000 * 1000 * 8 + 5195, 21);
  });
  afterAll(() => tmp.remove());

  it('walks through managers, cursors and buffers', () => {
    const { data } = file;
    using mman = new R.SlidingWindowMapManager();
    expect(mman.numFileHandles()).toBe(0);
    expect(mman.mappedMemorySize()).toBe(0);

    using c = mman.makeCursor(file.path);
    expect(c.isAssociated()).toBe(true);
    expect(c.isValid()).toBe(false);
    expect(c.useRegion()).toBe(c);
    expect(c.isValid()).toBe(true);

    expect(c.size()).toBeGreaterThan(0);
    expect(c.buffer()[0]).toBe(data[0]);
    expect(c.buffer().subarray(1, 10).equals(data.subarray(1, 10))).toBe(true);
    expect(c.buffer()[c.size() - 1]).toBe(data[c.size() - 1]);

    expect(c.ofsBegin()).toBeLessThan(c.ofsEnd());
    expect(c.includesOfs(100)).toBe(true);

    expect(c.useRegion(data.length, 100).isValid()).toBe(false);
    expect(c.useRegion(100).isValid()).toBe(true);
    expect(c.buffer()[0]).toBe(data[100]);
    c.unuseRegion();
    expect(c.isValid()).toBe(false);

    using buf = new R.SlidingWindowMapBuffer(mman.makeCursor(file.path));
    expect(buf.cursor()!.isValid()).toBe(true);
    expect(buf.at(0)).toBe(data[0]);
    expect(buf.at(-1)).toBe(data[data.length - 1]);
    expect(buf.slice(-10).equals(data.subarray(data.length - 10))).toBe(true);
    buf.endAccess();
    expect(buf.cursor()!.isValid()).toBe(false);
    expect(buf.beginAccess(undefined, 10)).toBe(true);
    expect(buf.at(0)).toBe(data[10]);
  });
});
