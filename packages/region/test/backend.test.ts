import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTmpDir, runTs } from '@shmkit/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { MAPPING_BACKEND } from '../src/index.js';
import { UNMAP_BACKLOG_LIMIT } from '../src/backend.js';
import { BACKENDS, loadRegion } from './helpers.js';

const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url).pathname;

describe('backend choice', () => {
  const tmp = makeTmpDir('shmkit-region-backend-');
  afterAll(() => tmp.remove());

  let files = 0;
  async function which(env: Record<string, string>) {
    files += 1;
    const r = await runTs(fixture('which-backend.ts'), [join(tmp.path, `f-${files}`)], {
      env: { ...process.env, SHMKIT_REGION_BACKEND: '', ...env },
      timeoutMs: 30_000,
    });
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as { backend: string; result: string };
  }

  it('prefers @shmkit/sys when it loads, else the patched mmap-io', async () => {
    expect(BACKENDS).toContain('mmap-io');
    if (!process.env.SHMKIT_REGION_BACKEND) expect(MAPPING_BACKEND).toBe(BACKENDS.includes('sys') ? 'sys' : 'mmap-io');
    const got = await which({ NODE_OPTIONS: `--import ${fixture('hide-sys.mjs')}` });
    expect(got).toEqual({ backend: 'mmap-io', result: '0123456789' });
  });

  it('SHMKIT_REGION_BACKEND forces a backend', async () => {
    for (const name of BACKENDS) {
      expect(await which({ SHMKIT_REGION_BACKEND: name })).toEqual({ backend: name, result: '0123456789' });
    }
  });

  it('falls back to @shmkit/sys when mmap-io is missing or lacks unmap() (what npm users get)', async () => {
    const sysLoads = BACKENDS.includes('sys');
    for (const hide of ['missing', 'no-unmap']) {
      const got = await which({ HIDE_MMAP_IO: hide, NODE_OPTIONS: `--require ${fixture('hide-mmap-io.cjs')}` });
      expect(got).toEqual(
        sysLoads
          ? { backend: 'sys', result: '0123456789' }
          : { backend: 'sys', result: 'ERR_SHMKIT_REGION_BACKEND_UNAVAILABLE' },
      );
    }
  });

  it('a forced backend that cannot load fails clearly when used, not at import', async () => {
    const got = await which({
      SHMKIT_REGION_BACKEND: 'mmap-io',
      HIDE_MMAP_IO: 'missing',
      NODE_OPTIONS: `--require ${fixture('hide-mmap-io.cjs')}`,
    });
    expect(got.result).toBe('ERR_SHMKIT_REGION_BACKEND_UNAVAILABLE');
  });

  it('mmap-io: a burst of remaps without yielding gets a clear error, never a crash; yielding clears it', async () => {
    const R = await loadRegion('mmap-io');
    const file = join(tmp.path, 'burst');
    writeFileSync(file, Buffer.alloc(64 * 4096, 1));
    const man = new R.SlidingWindowMapManager({ windowSize: 4096, maxMemorySize: 4096 });
    const c = man.makeCursor(file);
    let code = '';
    let remaps = 0;
    try {
      for (; remaps < 3 * UNMAP_BACKLOG_LIMIT; remaps++) c.useRegion((remaps % 64) * 4096, 1).buffer();
    } catch (err) {
      code = (err as { code: string }).code;
    }
    expect(code).toBe('ERR_SHMKIT_REGION_UNMAP_BACKLOG');
    expect(remaps).toBeGreaterThanOrEqual(UNMAP_BACKLOG_LIMIT);
    expect(man.numFileHandles()).toBe(0);
    await new Promise((r) => setImmediate(r));
    expect(c.useRegion(5 * 4096, 1).buffer()[0]).toBe(1);
    c.close();
  });

  it('a cursor dropped without close() gives its region back when garbage collected', async () => {
    const r = await runTs(fixture('gc-cursor.ts'), [join(tmp.path, 'gc')], {
      env: { ...process.env, NODE_OPTIONS: '--expose-gc' },
      timeoutMs: 30_000,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ before: 2, after: 1, collected: 1 });
  });
});
