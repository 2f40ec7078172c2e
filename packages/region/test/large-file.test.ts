import { closeSync, openSync, readSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTmpDir } from '@shmkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, loadRegion, patternBytes, type RegionLib } from './helpers.js';

const GiB = 1024 ** 3;
const SIZE = 5 * GiB + 12_345; // sparse: only the pages written take disk space

function readAt(path: string, offset: number, length: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const out = Buffer.alloc(length);
    readSync(fd, out, 0, length, offset);
    return out;
  } finally {
    closeSync(fd);
  }
}

describe.each(BACKENDS)('files larger than 4 GiB (%s backend)', (backendName) => {
  let R: RegionLib;
  const tmp = makeTmpDir('shmkit-region-big-');
  const path = join(tmp.path, 'sparse');

  beforeAll(async () => {
    R = await loadRegion(backendName);
    writeFileSync(path, '');
    truncateSync(path, SIZE);
  });
  afterAll(() => tmp.remove());

  it('writes near the 5 GiB mark through a sliding window and reads them back', () => {
    expect(statSync(path).size).toBe(SIZE);
    const payload = patternBytes(3 * 4096 + 77, 101);
    const at = 5 * GiB - 5000; // crosses the 5 GiB boundary and a window boundary
    {
      using man = new R.SlidingWindowMapManager({ windowSize: 64 * 1024 * 1024, writable: true });
      using c = man.makeCursor(path);
      let done = 0;
      while (done < payload.length) {
        const view = c.useRegion(at + done, payload.length - done).buffer();
        done += payload.copy(view, 0, done);
      }
      c.region().sync();
      // beyond 2^32 and 2^31 in one mapping window
      c.useRegion(4 * GiB + 4096 + 7, 1).buffer()[0] = 0x5a;
      c.useRegion(SIZE - 1, 1).buffer()[0] = 0xa5;
    }
    // what plain file reads see
    expect(readAt(path, at, payload.length).equals(payload)).toBe(true);
    expect(readAt(path, 4 * GiB + 4096 + 7, 1)[0]).toBe(0x5a);
    expect(readAt(path, SIZE - 1, 1)[0]).toBe(0xa5);
    // no 32-bit wrap-around: the same offsets modulo 4 GiB are untouched
    expect(readAt(path, at - 4 * GiB, payload.length).every((b) => b === 0)).toBe(true);
    expect(readAt(path, 4096 + 7, 1)[0]).toBe(0);

    // read back through read-only sliding windows and a buffer
    using man = new R.SlidingWindowMapManager({ windowSize: 16 * 1024 * 1024 });
    using buf = new R.SlidingWindowMapBuffer(man.makeCursor(path), 4 * GiB);
    expect(buf.length).toBe(SIZE - 4 * GiB);
    expect(buf.slice(at - 4 * GiB, at - 4 * GiB + payload.length).equals(payload)).toBe(true);
    expect(buf.at(4096 + 7)).toBe(0x5a);
    expect(buf.at(-1)).toBe(0xa5);
    expect(man.mappedMemorySize()).toBeLessThanOrEqual(2 * 16 * 1024 * 1024 + 4096);
  });

  it('maps regions past 4 GiB; single mappings are clamped to the longest Buffer Node can make', () => {
    const r = new R.MapRegion(path, 4 * GiB + 4096, 8192);
    expect(r.ofsBegin()).toBe(4 * GiB + 4096);
    expect(r.buffer()[7]).toBe(0x5a);
    r.release();
    // "as much as possible" from 0: clamped like a request past the end of the file
    const whole = new R.MapRegion(path, 0);
    expect(whole.size()).toBe(R.MAX_MAPPING_SIZE);
    expect(whole.buffer().length).toBe(R.MAX_MAPPING_SIZE);
    whole.release();
    // a sliding manager with whole-file windows caps them the same way and still reaches the end
    using slide = new R.SlidingWindowMapManager({ windowSize: 0 });
    using s = slide.makeCursor(path).useRegion(SIZE - 1);
    expect(s.buffer()[0]).toBe(0xa5);
    expect(s.region().size()).toBeLessThanOrEqual(R.MAX_MAPPING_SIZE);
    // the static manager maps one region per file: past it, a clear error names the remedy
    using stat = new R.StaticWindowMapManager();
    using c = stat.makeCursor(path);
    expect(c.useRegion(4096 + 7).buffer()[0]).toBe(0);
    let code = '';
    try {
      c.useRegion(SIZE - 1);
    } catch (err) {
      code = (err as { code: string }).code;
      expect((err as Error).message).toContain('SlidingWindowMapManager');
    }
    expect(code).toBe('ERR_SHMKIT_REGION_TOO_LARGE');
    expect(c.isValid()).toBe(false);
  });
});
