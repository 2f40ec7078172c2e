import { closeSync, openSync } from 'node:fs';
import { makeTmpDir } from '@shmkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, codeOf, loadRegion, makePatternFile, type RegionLib, rng } from './helpers.js';

const WINDOW_TEST_SIZE = 1000 * 1000 * 8 + 5195;

describe.each(BACKENDS)('SlidingWindowMapBuffer (%s backend)', (backendName) => {
  let R: RegionLib;
  const tmp = makeTmpDir('shmkit-region-buf-');
  let file: { path: string; data: Buffer };

  beforeAll(async () => {
    R = await loadRegion(backendName);
    file = makePatternFile(tmp.path, 'buffer_test', WINDOW_TEST_SIZE, 13);
  });
  afterAll(() => tmp.remove());

  it('smmap test 8: construction, begin/end access, indexing and slicing (relative indexes)', () => {
    const data = file.data;
    const fsize = data.length;
    const optimal = new R.SlidingWindowMapManager();
    const c = optimal.makeCursor(file.path);
    expect(codeOf(() => new R.SlidingWindowMapBuffer(new R.WindowCursor()))).toBe('ERR_SHMKIT_REGION_CURSOR_UNASSOCIATED');
    expect(codeOf(() => new R.SlidingWindowMapBuffer(c, fsize))).toBe('ERR_SHMKIT_REGION_OUT_OF_RANGE');

    const buf = new R.SlidingWindowMapBuffer();
    expect(buf.cursor()).toBeUndefined();
    buf.endAccess();
    buf.endAccess();
    expect(buf.length).toBe(0);

    const offset = 100;
    expect(buf.beginAccess(c, fsize)).toBe(false);
    expect(buf.beginAccess(c, offset)).toBe(true);
    expect(buf.length).toBe(fsize - offset);
    expect(buf.cursor()!.isValid()).toBe(true);
    // indexes are relative to the buffer's offset (smmap's are absolute)
    expect(buf.at(0)).toBe(data[offset]);
    expect(buf.slice(0, offset).equals(data.subarray(offset, 2 * offset))).toBe(true);
    expect(buf.at(-1)).toBe(data[fsize - 1]);

    expect(buf.beginAccess()).toBe(true);
    expect(buf.length).toBe(fsize);
    expect(buf.cursor()!.isValid()).toBe(true);
    expect(buf.at(0)).toBe(data[0]);
    expect(buf.at(offset)).toBe(data[offset]);
    expect(buf.slice(0, offset).equals(data.subarray(0, offset))).toBe(true);
    expect(buf.at(-1)).toBe(buf.at(buf.length - 1));
    expect(buf.slice(-10).equals(buf.slice(buf.length - 10, buf.length))).toBe(true);
    expect(buf.slice(-10).equals(data.subarray(fsize - 10))).toBe(true);

    buf.endAccess();
    expect(buf.cursor()!.isValid()).toBe(false);
    expect(buf.cursor()!.isAssociated()).toBe(true);
    expect(buf.beginAccess()).toBe(true);
    expect(buf.cursor()!.isValid()).toBe(true);
    buf[Symbol.dispose]();
    c.close();
    expect(optimal.numFileHandles()).toBe(1);
    optimal.collect();

    const worst = new R.SlidingWindowMapManager({
      windowSize: Math.floor(fsize / 100),
      maxMemorySize: Math.floor(fsize / 3),
      maxOpenHandles: 15,
    });
    const stat = new R.StaticWindowMapManager();
    const random = rng(8);
    const randint = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
    const fd = openSync(file.path, 'r');
    try {
      for (const item of [file.path, fd]) {
        for (const manager of [optimal, worst, stat]) {
          const b = new R.SlidingWindowMapBuffer(manager.makeCursor(item));
          expect(manager.numFileHandles()).toBe(1);
          for (const multi of [false, true]) {
            expect(b.beginAccess()).toBe(true);
            for (let n = 0; n < 100; n++) {
              if (multi) {
                const start = randint(0, fsize);
                const end = randint(start, fsize);
                const d = b.slice(start, end);
                expect(d.length).toBe(end - start);
                if (!d.equals(data.subarray(start, end))) throw new Error(`slice ${start}..${end} differs`);
              } else {
                const pos = randint(0, fsize - 1);
                expect(b.at(pos)).toBe(data[pos]);
              }
            }
            b.endAccess();
            expect(manager.numFileHandles()).toBeGreaterThan(0);
            expect(manager.collect()).toBeGreaterThan(0);
            expect(manager.numFileHandles()).toBe(0);
          }
          b.cursor()!.close();
        }
      }
    } finally {
      closeSync(fd);
    }
  });

  it('a buffer at offset K: index 0 is file byte K, length is size - K, and sizes are clamped', () => {
    const man = new R.SlidingWindowMapManager({ windowSize: 16 * 1024 });
    const K = 123_457;
    const b = new R.SlidingWindowMapBuffer(man.makeCursor(file.path), K);
    expect(b.length).toBe(file.data.length - K);
    for (const i of [0, 1, 5000, 16_384, 1_000_000, b.length - 1]) expect(b.at(i)).toBe(file.data[K + i]);
    const sized = new R.SlidingWindowMapBuffer(man.makeCursor(file.path), K, 1000);
    expect(sized.length).toBe(1000);
    expect(sized.slice().equals(file.data.subarray(K, K + 1000))).toBe(true);
    expect(codeOf(() => sized.at(1000))).toBe('ERR_SHMKIT_REGION_OUT_OF_RANGE');
    const tail = new R.SlidingWindowMapBuffer(man.makeCursor(file.path), file.data.length - 10, 1_000_000);
    expect(tail.length).toBe(10);
  });

  it('out-of-range indexes throw RangeError; slice bounds follow Array.prototype.slice', () => {
    const man = new R.SlidingWindowMapManager({ windowSize: 8192 });
    const b = new R.SlidingWindowMapBuffer(man.makeCursor(file.path), 10, 50_000);
    for (const i of [50_000, 60_000, -50_001]) {
      expect(() => b.at(i)).toThrow(RangeError);
      expect(codeOf(() => b.at(i))).toBe('ERR_SHMKIT_REGION_OUT_OF_RANGE');
    }
    expect(codeOf(() => b.at(1.5))).toBe('ERR_SHMKIT_REGION_INVALID_ARGUMENT');
    expect(codeOf(() => b.slice(0.5))).toBe('ERR_SHMKIT_REGION_INVALID_ARGUMENT');
    expect(b.slice(5, 0).length).toBe(0); // stop 0 means 0, not "to the end"
    expect(b.slice(100, 50).length).toBe(0);
    expect(b.slice(-5).equals(file.data.subarray(50_005, 50_010))).toBe(true);
    expect(b.slice(-60_000, 3).equals(file.data.subarray(10, 13))).toBe(true);
    expect(b.slice(49_990, 1e9).length).toBe(10);
    const empty = new R.SlidingWindowMapBuffer();
    expect(codeOf(() => empty.at(0))).toBe('ERR_SHMKIT_REGION_OUT_OF_RANGE');
    expect(empty.slice().length).toBe(0);
  });

  it('slice() is a zero-copy view inside one window and a copy across windows', () => {
    const man = new R.SlidingWindowMapManager({ windowSize: 8192 });
    const b = new R.SlidingWindowMapBuffer(man.makeCursor(file.path));
    const inside = b.slice(100, 200);
    const region = b.cursor()!.region();
    expect(inside.buffer).toBe(region.buffer().buffer); // same memory
    const across = b.slice(8000, 20_000);
    expect(across.equals(file.data.subarray(8000, 20_000))).toBe(true);
    expect(man.numFileHandles()).toBeGreaterThan(1);
    const regions = new Set([region.buffer().buffer]);
    expect(regions.has(across.buffer as ArrayBuffer)).toBe(false);
    // a view of a window that is later unmapped becomes empty, never dangling
    b.endAccess();
    man.collect();
    expect(inside.length).toBe(0);
    expect(across.length).toBe(12_000); // copies stay
  });
});
