import { closeSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTmpDir } from '@shmkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, codeOf, loadRegion, makePatternFile, type RegionLib, rng } from './helpers.js';

const WINDOW_TEST_SIZE = 1000 * 1000 * 8 + 5195;
const PAGE = 4096;

describe.each(BACKENDS)('cursors and managers (%s backend)', (backendName) => {
  let R: RegionLib;
  const tmp = makeTmpDir('shmkit-region-man-');
  let file: { path: string; data: Buffer };

  beforeAll(async () => {
    R = await loadRegion(backendName);
    file = makePatternFile(tmp.path, 'manager_test', WINDOW_TEST_SIZE);
  });
  afterAll(() => tmp.remove());

  it('smmap test 5: cursor states, copies, repeated unuse and destroy', () => {
    const man = new R.SlidingWindowMapManager();
    const ci = new R.WindowCursor(man);
    expect(ci.isValid()).toBe(false);
    expect(ci.isAssociated()).toBe(false);
    expect(ci.size()).toBe(0);

    const cv = man.makeCursor(file.path);
    expect(cv.isValid()).toBe(false);
    expect(cv.isAssociated()).toBe(true);
    expect(cv.fileSize()).toBe(file.data.length);
    expect(cv.path()).toBe(file.path);

    const cio = cv.clone();
    expect(cio.isValid()).toBe(false);
    expect(cio.isAssociated()).toBe(true);

    expect(ci.isAssociated()).toBe(false);
    ci.assign(cv);
    expect(ci.isValid()).toBe(false);
    expect(ci.isAssociated()).toBe(true);

    cv.unuseRegion();
    cv.unuseRegion();
    cv.close();
    cv[Symbol.dispose]();
    new R.WindowCursor(man).close();
    // the copies share the file's region list with the original (smmap's copies are broken)
    expect(cio.useRegion(100, 10).buffer().equals(file.data.subarray(100, 110))).toBe(true);
    expect(ci.useRegion(200, 10).region()).toBe(cio.region());
    expect(man.numOpenFiles()).toBe(1);
    expect(man.numFileHandles()).toBe(1);
    cio.close();
    ci.close();
  });

  it('a clone of a valid cursor is valid on the same window and independent afterwards', () => {
    const man = new R.SlidingWindowMapManager({ windowSize: 64 * 1024 });
    const c = man.makeCursor(file.path).useRegion(70_000, 1000);
    const region = c.region();
    expect(region.clientCount()).toBe(2);
    const d = c.clone();
    expect(d.isValid()).toBe(true);
    expect(region.clientCount()).toBe(3);
    expect([d.ofsBegin(), d.size()]).toEqual([c.ofsBegin(), c.size()]);
    expect(d.buffer().equals(c.buffer())).toBe(true);
    d.useRegion(3_000_000, 100);
    expect(d.buffer().equals(file.data.subarray(3_000_000, 3_000_100))).toBe(true);
    expect(region.clientCount()).toBe(2);
    c.close();
    expect(region.clientCount()).toBe(1);
    expect(d.isValid()).toBe(true);
    expect(d.region().clientCount()).toBe(2);
    d.close();
  });

  it('a closed cursor raises a clear error from every method but the state queries', () => {
    const man = new R.SlidingWindowMapManager();
    const c = man.makeCursor(file.path).useRegion(0, 10);
    const view = c.buffer();
    c.close();
    expect(c.isValid()).toBe(false);
    expect(c.isAssociated()).toBe(false);
    expect(c.isClosed()).toBe(true);
    for (const call of [
      () => c.useRegion(0),
      () => c.unuseRegion(),
      () => c.buffer(),
      () => c.map(),
      () => c.region(),
      () => c.ofsBegin(),
      () => c.ofsEnd(),
      () => c.size(),
      () => c.includesOfs(0),
      () => c.fileSize(),
      () => c.pathOrFd(),
      () => c.path(),
      () => c.fd(),
      () => c.clone(),
    ]) {
      expect(codeOf(call)).toBe('ERR_SHMKIT_REGION_CURSOR_CLOSED');
    }
    // the region stays cached (count 1) until collected, as in smmap; the old view is still mapped
    expect(view[3]).toBe(file.data[3]);
    expect(man.collect()).toBe(1);
    expect(view.length).toBe(0);
  });

  it('`using` gives the region back at the end of the scope', () => {
    const man = new R.SlidingWindowMapManager({ windowSize: 8192 });
    {
      using c = man.makeCursor(file.path);
      c.useRegion(0);
      expect(c.region().clientCount()).toBe(2);
    }
    expect(man.numFileHandles()).toBe(1);
    expect(man.collect()).toBe(1);
    expect(man.numFileHandles()).toBe(0);
    expect(man.numOpenFiles()).toBe(0);
  });

  it('smmap test 6: managers start empty, collect never throws, path and descriptor keys', () => {
    const slide = new R.SlidingWindowMapManager();
    const stat = new R.StaticWindowMapManager();
    expect(slide.windowSize()).toBe(1024 * 1024 * 1024);
    expect(stat.windowSize()).toBe(0);
    for (const man of [stat, slide]) {
      expect(man.numFileHandles()).toBe(0);
      expect(man.numOpenFiles()).toBe(0);
      expect(man.mappedMemorySize()).toBe(0);
      expect(man.maxMappedMemorySize()).toBe(8192 * 1024 * 1024);
      expect(man.maxFileHandles()).toBe(Number.MAX_SAFE_INTEGER);
      expect(man.collect()).toBe(0);

      const fd = openSync(file.path, 'r');
      try {
        for (const key of [file.path, fd]) {
          const c = man.makeCursor(key);
          expect(c.pathOrFd()).toBe(key);
          expect(c.useRegion(10, 10).isValid()).toBe(true);
          expect(c.ofsBegin()).toBe(10);
          expect(c.size()).toBe(10);
          expect(c.buffer().equals(readFileSync(file.path).subarray(10, 20))).toBe(true);
          // both branches (smmap's test checks only one)
          if (typeof key === 'number') {
            expect(c.fd()).toBe(fd);
            expect(codeOf(() => c.path())).toBe('ERR_SHMKIT_REGION_WRONG_KEY_KIND');
          } else {
            expect(c.path()).toBe(file.path);
            expect(codeOf(() => c.fd())).toBe('ERR_SHMKIT_REGION_WRONG_KEY_KIND');
          }
          c.close();
        }
      } finally {
        expect(man.collect()).toBe(2);
        closeSync(fd);
      }
    }
  });

  it('smmap test 7: placement, reuse, end of file, random access within the limits, collect', async () => {
    const data = file.data;
    const fsize = data.length;
    const maxHandles = 15;
    const fd = openSync(file.path, 'r');
    const random = rng(7);
    try {
      for (const [Manager, windowSize] of [
        [R.StaticWindowMapManager, 0],
        [R.SlidingWindowMapManager, Math.floor(fsize / 100)],
      ] as const) {
        for (const item of [file.path, fd]) {
          const man = new Manager({ windowSize, maxMemorySize: Math.floor(fsize / 3), maxOpenHandles: maxHandles });
          const c = man.makeCursor(item);
          expect(man.numOpenFiles()).toBe(0);
          expect(man.mappedMemorySize()).toBe(0);

          let base = 5000;
          const size = Math.floor(man.windowSize() / 2);
          expect(c.useRegion(base, size).isValid()).toBe(true);
          let rr = c.region();
          expect(rr.clientCount()).toBe(2);
          expect(man.numOpenFiles()).toBe(1);
          expect(man.numFileHandles()).toBe(1);
          expect(man.mappedMemorySize()).toBe(rr.size());
          expect(c.ofsBegin()).toBe(base);
          expect(rr.ofsBegin()).toBe(0);
          expect(rr.size()).toBe(man.windowSize() ? R.alignToMmap(man.windowSize(), true) : fsize);
          expect(c.buffer().equals(data.subarray(base, base + (size || c.size())))).toBe(true);

          // the start of the file lies in the same window
          const nsize = (size || fsize) - 10;
          expect(c.useRegion(0, nsize).isValid()).toBe(true);
          expect(c.region()).toBe(rr);
          expect(man.numFileHandles()).toBe(1);
          expect(c.size()).toBe(nsize);
          expect(c.ofsBegin()).toBe(0);
          expect(c.buffer().equals(data.subarray(0, nsize))).toBe(true);

          // near the end the requested size cannot be kept
          const overshoot = 4000;
          base = fsize - (size || c.size()) + overshoot;
          expect(c.useRegion(base, size).isValid()).toBe(true);
          if (man.windowSize()) {
            expect(man.numFileHandles()).toBe(2);
            expect(c.size()).toBeLessThan(size);
            expect(c.region()).not.toBe(rr);
            expect(rr.clientCount()).toBe(1);
          } else {
            expect(c.size()).toBeLessThan(fsize);
          }
          rr = c.region();
          expect(rr.clientCount()).toBe(2);
          expect(rr.ofsBegin()).toBeLessThan(c.ofsBegin()); // extended to the left
          expect(rr.ofsEnd()).toBeLessThanOrEqual(fsize);
          expect(c.buffer().equals(data.subarray(base, base + (size || c.size())))).toBe(true);

          c.unuseRegion();
          expect(c.isValid()).toBe(false);
          if (man.windowSize()) expect(man.numFileHandles()).toBe(2); // cached until needed

          for (let n = 0; n < 5000; n++) {
            const ofs = Math.floor(random() * fsize);
            if (man.windowSize()) expect(man.mappedMemorySize()).toBeLessThanOrEqual(man.maxMappedMemorySize());
            expect(man.numFileHandles()).toBeLessThanOrEqual(maxHandles);
            expect(c.useRegion(ofs, size || c.size()).isValid()).toBe(true);
            const csize = c.size();
            const got = c.buffer();
            if (!got.equals(data.subarray(ofs, ofs + csize))) throw new Error(`bytes differ at ${ofs}`);
            expect(c.includesOfs(ofs)).toBe(true);
            expect(c.includesOfs(ofs + csize - 1)).toBe(true);
            expect(c.includesOfs(ofs + csize)).toBe(false);
          }
          expect(c.useRegion(fsize, size).isValid()).toBe(false);
          expect(man.numFileHandles()).toBeGreaterThan(0);
          expect(man.collect()).toBeGreaterThan(0);
          expect(man.numFileHandles()).toBe(0);
          expect(man.mappedMemorySize()).toBe(0);
          c.close();
        }
      }
    } finally {
      closeSync(fd);
    }
  });

  it('collects the least recently used unused region first', () => {
    const w = 4 * PAGE;
    const man = new R.SlidingWindowMapManager({ windowSize: w, maxMemorySize: 3 * w });
    const c = man.makeCursor(file.path);
    // asking for a whole window at a window boundary places it exactly there (no alignment slack)
    const region = (ofs: number) => c.useRegion(ofs, w).region();
    const a = region(0);
    const b = region(10 * w);
    const cc = region(20 * w);
    region(0); // a is now the most recently used; b the least
    c.unuseRegion();
    expect(man.numFileHandles()).toBe(3);
    const d = region(30 * w); // needs room: exactly one region goes
    expect(b.released).toBe(true);
    expect(a.released).toBe(false);
    expect(cc.released).toBe(false);
    expect(man.numFileHandles()).toBe(3);
    expect(man.mappedMemorySize()).toBe(3 * w);
    region(40 * w);
    expect(cc.released).toBe(true); // then c (a was used after it)
    expect(a.released).toBe(false);
    expect(d.released).toBe(false);
    c.close();
  });

  it('collection skips regions in use and keeps its order across files and releases made elsewhere', () => {
    const w = 4 * PAGE;
    const other = makePatternFile(tmp.path, 'lru-other', 40 * w, 3);
    const man = new R.SlidingWindowMapManager({ windowSize: w, maxMemorySize: 3 * w });
    const held = man.makeCursor(file.path).useRegion(0, w);
    const a = held.region(); // the least recently used region, but in use throughout
    const co = man.makeCursor(other.path);
    const b = co.useRegion(0, w).region();
    co.unuseRegion();
    const c = man.makeCursor(file.path);
    const cc = c.useRegion(10 * w, w).region();
    c.unuseRegion();
    b.release(); // released by hand, not by the manager: it leaves the order
    expect(man.numFileHandles()).toBe(2);
    expect(man.mappedMemorySize()).toBe(2 * w);
    const d = c.useRegion(20 * w, w).region(); // fits: nothing is collected
    expect(cc.released).toBe(false);
    const e = c.useRegion(30 * w, w).region(); // needs room: a is older but in use, so cc goes
    expect([a.released, cc.released, d.released, e.released]).toEqual([false, true, false, false]);
    const f = co.useRegion(10 * w, w).region(); // needs room: a and e are in use, d goes
    expect(d.released).toBe(true);
    expect(f.buffer()[0]).toBe(other.data[10 * w]);
    // the count driven to 0 as the cursor gives the region back: released, and not used again
    f.incrementClientCount(-1);
    co.unuseRegion();
    expect(f.released).toBe(true);
    expect(man.collect()).toBe(0); // a and e are in use
    expect(man.numFileHandles()).toBe(2);
    expect(man.mappedMemorySize()).toBe(2 * w);
    for (const x of [held, co, c]) x.close();
    expect(man.collect()).toBe(2);
    expect(man.numFileHandles()).toBe(0);
    expect(man.mappedMemorySize()).toBe(0);
    expect(a.released && e.released).toBe(true);
  });

  it('the handle limit frees least recently used regions, and says so plainly when all are in use', () => {
    const w = 4 * PAGE;
    const man = new R.SlidingWindowMapManager({ windowSize: w, maxOpenHandles: 2 });
    const c1 = man.makeCursor(file.path).useRegion(0);
    const c2 = man.makeCursor(file.path).useRegion(10 * w);
    const c3 = man.makeCursor(file.path);
    let err: unknown;
    try {
      c3.useRegion(20 * w);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(R.RegionError);
    expect((err as { code: string }).code).toBe('ERR_SHMKIT_REGION_TOO_MANY_HANDLES');
    expect((err as Error).message).toMatch(/2 regions are mapped, every one is in use .* maxOpenHandles is 2/);
    expect(c3.isValid()).toBe(false);
    expect(man.numFileHandles()).toBe(2);
    // free one: the next mapping evicts exactly that one
    const first = c1.region();
    c1.unuseRegion();
    expect(c3.useRegion(20 * w).isValid()).toBe(true);
    expect(first.released).toBe(true);
    expect(c2.isValid()).toBe(true);
    expect(man.numFileHandles()).toBe(2);

    // the static manager enforces the limit too (smmap's does not)
    const other = makePatternFile(tmp.path, 'other', 10_000, 5);
    const stat = new R.StaticWindowMapManager({ maxOpenHandles: 1 });
    const s1 = stat.makeCursor(file.path).useRegion(0);
    expect(codeOf(() => stat.makeCursor(other.path).useRegion(0))).toBe('ERR_SHMKIT_REGION_TOO_MANY_HANDLES');
    s1.unuseRegion();
    expect(stat.makeCursor(other.path).useRegion(0).buffer()[0]).toBe(other.data[0]);
    expect(stat.numFileHandles()).toBe(1);
    for (const x of [c1, c2, c3]) x.close();
  });

  it('the memory budget is soft: a static manager maps a file larger than it, alone', () => {
    const man = new R.StaticWindowMapManager({ maxMemorySize: 1000 });
    const other = makePatternFile(tmp.path, 'budget', 50_000, 9);
    const c = man.makeCursor(file.path).useRegion(0);
    expect(man.mappedMemorySize()).toBe(file.data.length);
    c.unuseRegion();
    const d = man.makeCursor(other.path).useRegion(100);
    expect(man.mappedMemorySize()).toBe(50_000); // the unused big one was collected first
    expect(man.numOpenFiles()).toBe(1);
    expect(d.buffer()[0]).toBe(other.data[100]);
    d.close();
    c.close();
  });

  it('windows never overlap and exceed the aligned window size by at most one page', () => {
    // smmap's placement: extend to the neighbours up to the window size, then align. Moving the
    // start down to a page boundary grows the size by up to a page less one byte, and rounding the
    // size up then adds at most one page: regions stay within alignToMmap(w, true) + PAGE.
    for (const w of [3 * PAGE, 3 * PAGE + 100]) {
      const man = new R.SlidingWindowMapManager({ windowSize: w });
      const c = man.makeCursor(file.path);
      const random = rng(w);
      const regions = new Set<InstanceType<RegionLib['MapRegion']>>();
      for (let n = 0; n < 400; n++) {
        c.useRegion(Math.floor(random() * 200_000), Math.floor(random() * 2 * w));
        regions.add(c.region());
      }
      const spans = [...regions].map((r) => [r.ofsBegin(), r.ofsEnd()] as const).sort((x, y) => x[0] - y[0]);
      expect(spans.length).toBeGreaterThan(10);
      for (let i = 0; i < spans.length; i++) {
        const [b, e] = spans[i]!;
        expect(b % PAGE).toBe(0);
        expect(e - b).toBeLessThanOrEqual(R.alignToMmap(w, true) + PAGE);
        if (i > 0) expect(b).toBeGreaterThanOrEqual(spans[i - 1]![1]);
      }
      c.close();
    }
  });

  it('a file that grows is seen when an offset past the old end is asked for', () => {
    const f = makePatternFile(tmp.path, 'growing', 10_000, 2);
    const man = new R.SlidingWindowMapManager({ windowSize: 8192 });
    const c = man.makeCursor(f.path);
    expect(c.useRegion(12_000).isValid()).toBe(false);
    const more = Buffer.alloc(5000, 0x42);
    writeFileSync(f.path, more, { flag: 'a' });
    expect(c.useRegion(12_000).isValid()).toBe(true);
    expect(c.fileSize()).toBe(15_000);
    expect(c.buffer()[0]).toBe(0x42);
    c.close();
  });

  it('a closed and reused descriptor, or a replaced path, is detected rather than silently reused', () => {
    const a = makePatternFile(tmp.path, 'a', 20_000, 1);
    const b = makePatternFile(tmp.path, 'b', 30_000, 2);
    const man = new R.SlidingWindowMapManager({ windowSize: 8192 });
    const fdA = openSync(a.path, 'r');
    const c = man.makeCursor(fdA).useRegion(0, 10);
    c.unuseRegion();
    closeSync(fdA);
    const fdB = openSync(b.path, 'r'); // the lowest free number: the same as fdA
    expect(fdB).toBe(fdA);
    try {
      expect(codeOf(() => c.useRegion(12_000))).toBe('ERR_SHMKIT_REGION_FILE_CHANGED');
      expect(codeOf(() => man.makeCursor(fdB))).toBe('ERR_SHMKIT_REGION_FILE_CHANGED'); // c still holds the old file's list
      c.close();
      // with no cursor left, the cached regions of the old file are dropped and the key starts afresh
      const d = man.makeCursor(fdB).useRegion(25_000, 10);
      expect(d.buffer().equals(b.data.subarray(25_000, 25_010))).toBe(true);
      d.close();
    } finally {
      closeSync(fdB);
    }
    // a path replaced by rename
    const p = join(tmp.path, 'replaced');
    writeFileSync(p, a.data);
    const e = man.makeCursor(p).useRegion(0, 10);
    e.close();
    renameSync(b.path, p);
    const g = man.makeCursor(p).useRegion(0, 10);
    expect(g.buffer().equals(b.data.subarray(0, 10))).toBe(true);
    g.close();
  });

  it('close() unmaps everything; cursors then raise instead of reading freed memory', () => {
    const man = new R.SlidingWindowMapManager({ windowSize: 8192 });
    const c = man.makeCursor(file.path).useRegion(100, 50);
    const view = c.buffer();
    expect(view[0]).toBe(file.data[100]);
    man.close();
    expect(view.length).toBe(0);
    expect(view[0]).toBeUndefined();
    expect(c.isValid()).toBe(false);
    expect(codeOf(() => c.buffer())).toBe('ERR_SHMKIT_REGION_RELEASED');
    expect(codeOf(() => c.useRegion(0))).toBe('ERR_SHMKIT_REGION_MANAGER_CLOSED');
    expect(codeOf(() => man.makeCursor(file.path))).toBe('ERR_SHMKIT_REGION_MANAGER_CLOSED');
    expect([man.numFileHandles(), man.mappedMemorySize(), man.numOpenFiles()]).toEqual([0, 0, 0]);
    man.close();
    c.close();
  });

  it('releaseFile() unmaps one file, in use or not, and keeps the books right', () => {
    const other = makePatternFile(tmp.path, 'keep', 20_000, 4);
    const man = new R.SlidingWindowMapManager({ windowSize: 8192 });
    const c = man.makeCursor(file.path).useRegion(0);
    man.makeCursor(file.path).useRegion(100_000).close();
    const k = man.makeCursor(other.path).useRegion(0);
    expect(man.numFileHandles()).toBe(3);
    expect(man.releaseFile(file.path)).toBe(2);
    expect(man.numFileHandles()).toBe(1);
    expect(man.mappedMemorySize()).toBe(k.region().size());
    expect(codeOf(() => c.buffer())).toBe('ERR_SHMKIT_REGION_RELEASED');
    expect(c.useRegion(5).buffer()[0]).toBe(file.data[5]); // maps again on demand
    c.close();
    k.close();
  });

  it('writable managers write through to the file', () => {
    const f = makePatternFile(tmp.path, 'writable', 50_000, 6);
    const man = new R.SlidingWindowMapManager({ windowSize: 8192, writable: true });
    expect(man.isWritable()).toBe(true);
    const c = man.makeCursor(f.path);
    for (const ofs of [0, 8191, 30_000, 49_999]) c.useRegion(ofs, 1).buffer()[0] = 0xfe;
    c.region().sync();
    const disk = readFileSync(f.path);
    for (const ofs of [0, 8191, 30_000, 49_999]) expect(disk[ofs]).toBe(0xfe);
    expect(disk[1]).toBe(f.data[1]);
    c.close();
  });
});
