import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, closeSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTmpDir, runTs, unprivilegedUser } from '@shmkit/testkit';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BACKENDS, codeOf, loadRegion, makePatternFile, type RegionLib } from './helpers.js';

/** Names, sizes, modes, mtimes and contents of every file under `dir`: must not change on bad input. */
function snapshot(dir: string): string {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .sort()
    .map((name) => {
      const p = join(dir, name);
      const st = statSync(p);
      const body = st.isFile() ? readFileSync(p).toString('base64') : '';
      return `${name} ${st.mode} ${st.size} ${st.mtimeMs} ${body}`;
    })
    .join('\n');
}

const INVALID = 'ERR_SHMKIT_REGION_INVALID_ARGUMENT';

describe.each(BACKENDS)('bad input gets a stable code and changes nothing on disk (%s backend)', (backendName) => {
  let R: RegionLib;
  const tmp = makeTmpDir('shmkit-region-bad-');
  let file: { path: string; data: Buffer };
  let empty: string;
  let before: string;

  beforeAll(async () => {
    R = await loadRegion(backendName);
    file = makePatternFile(tmp.path, 'data', 3 * 4096 + 77);
    empty = join(tmp.path, 'empty');
    writeFileSync(empty, '');
    mkdirSync(join(tmp.path, 'dir'));
    execFileSync('mkfifo', [join(tmp.path, 'fifo')]);
  });
  beforeEach(() => {
    before = snapshot(tmp.path);
  });
  afterEach(() => {
    expect(snapshot(tmp.path)).toBe(before);
  });
  afterAll(() => tmp.remove());

  it('missing files', () => {
    const missing = join(tmp.path, 'nope');
    expect(codeOf(() => new R.MapRegion(missing, 0))).toBe('ERR_SHMKIT_REGION_FILE_NOT_FOUND');
    expect(codeOf(() => new R.MapRegion(missing, 0, 10, { writable: true }))).toBe('ERR_SHMKIT_REGION_FILE_NOT_FOUND');
    expect(codeOf(() => new R.MapRegion(join(file.path, 'below-a-file'), 0))).toBe('ERR_SHMKIT_REGION_FILE_NOT_FOUND');
    const m = new R.SlidingWindowMapManager();
    expect(codeOf(() => m.makeCursor(missing))).toBe('ERR_SHMKIT_REGION_FILE_NOT_FOUND');
    expect(m.numOpenFiles()).toBe(0);
    const err = (() => {
      try {
        new R.MapRegion(missing, 0);
      } catch (e) {
        return e as InstanceType<RegionLib['RegionError']>;
      }
    })()!;
    expect(err).toBeInstanceOf(R.RegionError);
    expect(err.syscall).toBe('open');
    expect(err.sysCode).toBe('ENOENT');
    expect(err.message).toContain(missing);
  });

  it('directories, FIFOs and devices are not files (and a FIFO never blocks)', () => {
    for (const p of [join(tmp.path, 'dir'), join(tmp.path, 'fifo'), '/dev/zero']) {
      expect(codeOf(() => new R.MapRegion(p, 0))).toBe('ERR_SHMKIT_REGION_NOT_A_FILE');
      expect(codeOf(() => new R.StaticWindowMapManager().makeCursor(p))).toBe('ERR_SHMKIT_REGION_NOT_A_FILE');
    }
    expect(codeOf(() => new R.MapRegion(join(tmp.path, 'dir'), 0, 10, { writable: true }))).toBe(
      'ERR_SHMKIT_REGION_NOT_A_FILE',
    );
  });

  it('negative, fractional and non-number offsets and sizes', () => {
    for (const ofs of [-4096, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, '0', null]) {
      expect(codeOf(() => new R.MapRegion(file.path, ofs as number))).toBe(INVALID);
    }
    for (const size of [0, -1, 2.5, Number.NaN, '10', null]) {
      expect(codeOf(() => new R.MapRegion(file.path, 0, size as number))).toBe(INVALID);
    }
    expect(() => new R.MapRegion(file.path, -1)).toThrow(RangeError);
    const c = new R.SlidingWindowMapManager().makeCursor(file.path);
    for (const [o, s] of [
      [-1, 0],
      [0.5, 0],
      [0, -1],
      [0, 1.5],
      [Number.NaN, 0],
    ]) {
      expect(codeOf(() => c.useRegion(o, s))).toBe(INVALID);
    }
    expect(c.isValid()).toBe(false);
  });

  it('unaligned offsets are rejected before anything is opened', () => {
    expect(codeOf(() => new R.MapRegion(file.path, 4200))).toBe('ERR_SHMKIT_REGION_UNALIGNED_OFFSET');
    expect(codeOf(() => new R.MapRegion(join(tmp.path, 'nope'), 1))).toBe('ERR_SHMKIT_REGION_UNALIGNED_OFFSET');
  });

  it('offsets at or past the end of the file', () => {
    expect(codeOf(() => new R.MapRegion(file.path, 4 * 4096))).toBe('ERR_SHMKIT_REGION_OUT_OF_RANGE');
    expect(codeOf(() => new R.MapRegion(file.path, 40 * 4096))).toBe('ERR_SHMKIT_REGION_OUT_OF_RANGE');
    const exact = makePatternFile(tmp.path, 'exact', 8192);
    expect(codeOf(() => new R.MapRegion(exact.path, 8192))).toBe('ERR_SHMKIT_REGION_OUT_OF_RANGE');
    const c = new R.SlidingWindowMapManager().makeCursor(file.path);
    expect(c.useRegion(file.data.length).isValid()).toBe(false);
    expect(codeOf(() => new R.SlidingWindowMapBuffer(c, file.data.length))).toBe('ERR_SHMKIT_REGION_OUT_OF_RANGE');
    before = snapshot(tmp.path); // the exact-size fixture was created above on purpose
  });

  it('zero-length files', () => {
    expect(codeOf(() => new R.MapRegion(empty, 0))).toBe('ERR_SHMKIT_REGION_EMPTY_FILE');
    expect(codeOf(() => new R.MapRegion(empty, 0, 1, { writable: true }))).toBe('ERR_SHMKIT_REGION_EMPTY_FILE');
    const m = new R.StaticWindowMapManager();
    const c = m.makeCursor(empty); // the file may grow later, so a cursor is fine...
    expect(c.fileSize()).toBe(0);
    expect(c.useRegion(0).isValid()).toBe(false); // ...but there is nothing to map
    expect(m.numFileHandles()).toBe(0);
    expect(codeOf(() => new R.SlidingWindowMapBuffer(c))).toBe('ERR_SHMKIT_REGION_OUT_OF_RANGE');
  });

  it('writable mapping through a read-only descriptor', () => {
    const fd = openSync(file.path, 'r');
    try {
      expect(codeOf(() => new R.MapRegion(fd, 0, 100, { writable: true }))).toBe('ERR_SHMKIT_REGION_NOT_WRITABLE');
      const m = new R.SlidingWindowMapManager({ writable: true });
      const c = m.makeCursor(fd);
      expect(codeOf(() => c.useRegion(0))).toBe('ERR_SHMKIT_REGION_NOT_WRITABLE');
      expect(m.numFileHandles()).toBe(0);
      expect(m.mappedMemorySize()).toBe(0);
    } finally {
      closeSync(fd);
    }
  });

  it('bad keys and closed descriptors', () => {
    for (const key of ['', 'a\0b', -1, 1.5, 2 ** 40, {}, null, undefined]) {
      expect(codeOf(() => new R.MapRegion(key as string, 0))).toBe(INVALID);
    }
    const fd = openSync(file.path, 'r');
    closeSync(fd);
    expect(codeOf(() => new R.MapRegion(fd, 0))).toBe('ERR_SHMKIT_REGION_BAD_DESCRIPTOR');
    expect(codeOf(() => new R.SlidingWindowMapManager().makeCursor(fd))).toBe('ERR_SHMKIT_REGION_BAD_DESCRIPTOR');
  });

  it('bad options', () => {
    expect(codeOf(() => new R.MapRegion(file.path, 0, 10, { writable: 'yes' as unknown as boolean }))).toBe(INVALID);
    expect(codeOf(() => new R.MapRegion(file.path, 0, 10, null as unknown as {}))).toBe(INVALID);
    expect(codeOf(() => new R.SlidingWindowMapManager({ windowSize: 1.5 }))).toBe(INVALID);
    expect(codeOf(() => new R.StaticWindowMapManager({ windowSize: -1 }))).toBe(INVALID);
    expect(codeOf(() => new R.SlidingWindowMapManager({ maxMemorySize: -1 }))).toBe(INVALID);
    expect(codeOf(() => new R.SlidingWindowMapManager({ maxOpenHandles: 0 }))).toBe(INVALID);
    expect(codeOf(() => new R.SlidingWindowMapManager({ writable: 1 as unknown as boolean }))).toBe(INVALID);
    expect(codeOf(() => new R.WindowCursor({} as never, file.path))).toBe(INVALID);
  });
});

describe('permission denials, as an unprivileged user', () => {
  const user = unprivilegedUser();
  // Root without a usable unprivileged account (see unprivilegedUser) would bypass every check.
  const rootWithoutUser = process.getuid?.() === 0 && user === null;
  const tmp = makeTmpDir('shmkit-region-perm-');
  afterAll(() => tmp.remove());

  it.skipIf(rootWithoutUser)('read-only and unreadable files', async () => {
    chmodSync(tmp.path, 0o755);
    const readOnly = makePatternFile(tmp.path, 'read-only', 10000);
    chmodSync(readOnly.path, 0o444);
    const secret = makePatternFile(tmp.path, 'secret', 10000);
    chmodSync(secret.path, 0o600);
    if (user === null) {
      // Not root: this process is the unprivileged one; make the file someone else's is impossible,
      // so drop the owner's read bit instead.
      chmodSync(secret.path, 0o200);
    } else {
      chownSync(readOnly.path, 0, 0);
      chownSync(secret.path, 0, 0);
    }
    const before = [readFileSync(readOnly.path), readFileSync(secret.path)];
    const child = new URL('./fixtures/try-map.ts', import.meta.url).pathname;
    for (const backend of BACKENDS) {
      const opts = { timeoutMs: 30_000, env: { ...process.env, SHMKIT_REGION_BACKEND: backend }, ...(user ?? {}) };
      const rw = await runTs(child, [readOnly.path, 'rw'], opts);
      expect(rw.code, rw.stderr).toBe(0);
      expect(JSON.parse(rw.stdout)).toEqual({
        region: 'ERR_SHMKIT_REGION_NOT_WRITABLE',
        cursor: 'ERR_SHMKIT_REGION_NOT_WRITABLE',
      });
      const ro = await runTs(child, [readOnly.path, 'ro'], opts);
      expect(JSON.parse(ro.stdout)).toEqual({ region: 'ok', cursor: 'ok' });
      const denied = await runTs(child, [secret.path, 'ro'], opts);
      expect(JSON.parse(denied.stdout)).toEqual({
        region: 'ERR_SHMKIT_REGION_ACCESS_DENIED',
        cursor: 'ERR_SHMKIT_REGION_ACCESS_DENIED',
      });
    }
    expect(readFileSync(readOnly.path).equals(before[0]!)).toBe(true);
    expect(readFileSync(secret.path).equals(before[1]!)).toBe(true);
  });
});
