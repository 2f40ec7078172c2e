import { chmodSync, closeSync, openSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { makeTmpDir } from '@shmkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MapRegionList } from '../src/region-list.js';
import { BACKENDS, codeOf, loadRegion, makePatternFile, type RegionLib } from './helpers.js';

const WINDOW_TEST_SIZE = 1000 * 1000 * 8 + 5195;

/** Lines of /proc/self/maps that map `path`. */
function mappingsOf(path: string): number {
  return readFileSync('/proc/self/maps', 'utf8')
    .split('\n')
    .filter((l) => l.endsWith(path)).length;
}

describe.each(BACKENDS)('MapRegion (%s backend)', (backendName) => {
  let R: RegionLib;
  const tmp = makeTmpDir('shmkit-region-');
  let file: { path: string; data: Buffer };

  beforeAll(async () => {
    R = await loadRegion(backendName);
    file = makePatternFile(tmp.path, 'window_test', WINDOW_TEST_SIZE);
  });
  afterAll(() => tmp.remove());

  it('smmap test 2: bounds, clamping, includesOfs, client count, fromRegion', () => {
    const size = file.data.length;
    const halfSize = Math.floor(size / 2);
    const rofs = R.alignToMmap(4200, false);
    expect(rofs).toBe(4096);
    const rfull = new R.MapRegion(file.path, 0, size);
    const rhalfofs = new R.MapRegion(file.path, rofs, size);
    const rhalfsize = new R.MapRegion(file.path, 0, halfSize);

    expect([rfull.ofsBegin(), rfull.size(), rfull.ofsEnd()]).toEqual([0, size, size]);
    expect([rhalfofs.ofsBegin(), rhalfofs.size(), rhalfofs.ofsEnd()]).toEqual([rofs, size - rofs, size]);
    expect([rhalfsize.ofsBegin(), rhalfsize.size()]).toEqual([0, halfSize]);

    expect(rfull.includesOfs(0)).toBe(true);
    expect(rfull.includesOfs(size - 1)).toBe(true);
    expect(rfull.includesOfs(halfSize)).toBe(true);
    expect(rfull.includesOfs(-1)).toBe(false);
    expect(rfull.includesOfs(Number.MAX_SAFE_INTEGER)).toBe(false);
    expect(rfull.includesOfs(size)).toBe(false);

    // bytes are the file's bytes at the right offsets
    expect(rfull.buffer().equals(file.data)).toBe(true);
    expect(rhalfofs.buffer().equals(file.data.subarray(rofs))).toBe(true);
    expect(rhalfsize.buffer()[halfSize - 1]).toBe(file.data[halfSize - 1]);
    expect(rhalfofs.map()[0]).toBe(file.data[4096]);

    expect(rfull.clientCount()).toBe(1);
    const alias = rfull;
    expect(alias.clientCount()).toBe(1); // no automatic counting

    const w = R.MapWindow.fromRegion(rfull);
    expect([w.ofs, w.ofsEnd()]).toEqual([rfull.ofsBegin(), rfull.ofsEnd()]);

    // far more than the file maps to the end of the file
    const huge = new R.MapRegion(file.path, 8192, 1e9);
    expect(huge.size()).toBe(size - 8192);
    for (const r of [rfull, rhalfofs, rhalfsize, huge]) r.release();
  });

  it('smmap test 3: region list for a path and a descriptor', () => {
    const small = makePatternFile(tmp.path, 'list', 100, 7);
    const fd = openSync(small.path, 'r');
    try {
      for (const key of [small.path, fd]) {
        const list = new MapRegionList(key);
        expect(list.regions.length).toBe(0);
        expect(list.pathOrFd()).toBe(key);
        expect(list.fileSize()).toBe(100);
      }
    } finally {
      closeSync(fd);
    }
  });

  it('maps through a caller descriptor and never closes it; a path leaves no descriptor behind', () => {
    const fd = openSync(file.path, 'r');
    try {
      const r = new R.MapRegion(fd, 8192, 5000);
      expect(r.buffer().equals(file.data.subarray(8192, 13192))).toBe(true);
      r.release();
      expect(statSync(`/proc/self/fd/${fd}`).isFile()).toBe(true); // still open
    } finally {
      closeSync(fd);
    }
    const before = readFdCount();
    const r = new R.MapRegion(file.path, 0, 100);
    expect(readFdCount()).toBe(before);
    r.release();
  });

  it('incrementClientCount releases at zero and refuses to go below', () => {
    const r = new R.MapRegion(file.path, 0, 4096);
    expect(r.incrementClientCount()).toBe(false);
    expect(r.clientCount()).toBe(2);
    expect(codeOf(() => r.incrementClientCount(-3))).toBe('ERR_SHMKIT_REGION_INVALID_ARGUMENT');
    expect(r.clientCount()).toBe(2);
    expect(r.incrementClientCount(-1)).toBe(false);
    expect(r.incrementClientCount(-1)).toBe(true);
    expect(r.released).toBe(true);
  });

  it('release empties every view at once and later access raises, never crashes', async () => {
    const r = new R.MapRegion(file.path, 4096, 3 * 4096);
    const whole = r.buffer();
    const part = whole.subarray(100, 200);
    const u32 = new Uint32Array(whole.buffer, whole.byteOffset, 16);
    const dv = new DataView(whole.buffer, whole.byteOffset, 64);
    expect(part[0]).toBe(file.data[4196]);
    expect(mappingsOf(file.path)).toBeGreaterThan(0);

    r.release();
    expect(whole.length).toBe(0);
    expect(part.length).toBe(0);
    expect(u32.length).toBe(0);
    expect(whole[0]).toBeUndefined();
    expect(part[5]).toBeUndefined();
    expect(() => dv.getUint8(0)).toThrow(TypeError); // detached: a JS error, not a fault
    whole[0] = 1; // ignored: the memory is no longer reachable
    for (const call of [
      () => r.buffer(),
      () => r.map(),
      () => r.ofsBegin(),
      () => r.ofsEnd(),
      () => r.size(),
      () => r.includesOfs(0),
      () => r.clientCount(),
      () => r.incrementClientCount(),
      () => r.sync(),
      () => r.advise('random'),
      () => r.isWritable(),
      () => r.pathOrFd(),
    ]) {
      expect(codeOf(call)).toBe('ERR_SHMKIT_REGION_RELEASED');
    }
    r.release(); // idempotent
    r[Symbol.dispose]();

    // The operating-system mapping is gone when release() returns, with either backend.
    expect(mappingsOf(file.path)).toBe(0);
  });

  it('`using` releases at the end of the scope', () => {
    let view: Buffer;
    {
      using r = new R.MapRegion(file.path, 0, 100);
      view = r.buffer();
      expect(view[3]).toBe(file.data[3]);
    }
    expect(view.length).toBe(0);
  });

  it('writable regions write through to the file; sync() flushes ranges', () => {
    const f = makePatternFile(tmp.path, 'rw', 3 * 4096 + 123, 3);
    const r = new R.MapRegion(f.path, 4096, Number.POSITIVE_INFINITY, { writable: true });
    expect(r.isWritable()).toBe(true);
    r.buffer().write('hello', 10);
    r.buffer()[r.size() - 1] = 0xee;
    r.sync();
    r.sync({ offset: 5000, length: 10 }); // unaligned start: aligned down inside
    r.sync({ wait: false });
    const disk = readFileSync(f.path);
    expect(disk.subarray(4096 + 10, 4096 + 15).toString()).toBe('hello');
    expect(disk[disk.length - 1]).toBe(0xee);
    expect(disk[4096 + 9]).toBe(f.data[4096 + 9]);
    expect(codeOf(() => r.sync({ offset: r.size() + 1 }))).toBe('ERR_SHMKIT_REGION_OUT_OF_RANGE');
    expect(codeOf(() => r.sync({ offset: 10, length: r.size() }))).toBe('ERR_SHMKIT_REGION_OUT_OF_RANGE');
    expect(codeOf(() => r.sync({ offset: -1 }))).toBe('ERR_SHMKIT_REGION_INVALID_ARGUMENT');
    r.release();
  });

  it('read-only regions: writes through the Buffer stay private and never reach the file', () => {
    const f = makePatternFile(tmp.path, 'ro', 8192, 11);
    chmodSync(f.path, 0o400);
    const r = new R.MapRegion(f.path, 0);
    expect(r.isWritable()).toBe(false);
    r.buffer()[0] = 0xaa; // no SIGSEGV: copy-on-write page of this process
    expect(r.buffer()[0]).toBe(0xaa);
    r.sync();
    r.release();
    expect(readFileSync(f.path).equals(f.data)).toBe(true);
  });

  it('advise() accepts every hint and checks its range', () => {
    const r = new R.MapRegion(file.path, 0, 64 * 1024);
    for (const a of ['normal', 'random', 'sequential', 'willneed', 'dontneed'] as const) r.advise(a);
    r.advise('willneed', 5000, 100);
    expect(r.buffer().equals(file.data.subarray(0, 64 * 1024))).toBe(true); // dontneed changes no data
    expect(codeOf(() => r.advise('bogus' as 'normal'))).toBe('ERR_SHMKIT_REGION_INVALID_ARGUMENT');
    expect(codeOf(() => r.advise('random', 0, 64 * 1024 + 1))).toBe('ERR_SHMKIT_REGION_OUT_OF_RANGE');
    r.release();
  });

  it('a file that changes size after mapping keeps the mapped length', () => {
    const f = makePatternFile(tmp.path, 'grow', 5000, 1);
    const r = new R.MapRegion(f.path, 0);
    writeFileSync(f.path, Buffer.alloc(3000, 1), { flag: 'a' });
    expect(r.size()).toBe(5000);
    r.release();
  });
});

function readFdCount(): number {
  return readdirSync('/proc/self/fd').length;
}
