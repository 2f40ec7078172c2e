import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTmpDir, runTs } from '@shmkit/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { MAPPING_BACKEND } from '../src/index.js';
import { readFileSync } from 'node:fs';
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

  it('prefers the patched mmap-io when it loads, else @shmkit/sys', async () => {
    expect(BACKENDS).toContain('mmap-io');
    if (!process.env.SHMKIT_REGION_BACKEND) expect(MAPPING_BACKEND).toBe('mmap-io');
    expect(await which({})).toEqual({ backend: 'mmap-io', result: '0123456789' });
    const withoutMmapIo = await which({ NODE_OPTIONS: `--require ${fixture('hide-mmap-io.cjs')}` });
    expect(withoutMmapIo).toEqual({ backend: 'sys', result: '0123456789' });
    const withoutSys = await which({ NODE_OPTIONS: `--import ${fixture('hide-sys.mjs')}` });
    expect(withoutSys).toEqual({ backend: 'mmap-io', result: '0123456789' });
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

  it.each(BACKENDS)('%s: a burst of remaps without yielding leaves only the live window mapped', async (name) => {
    const R = await loadRegion(name);
    const file = join(tmp.path, `burst-${name}`);
    writeFileSync(file, Buffer.alloc(64 * 4096, 1));
    const man = new R.SlidingWindowMapManager({ windowSize: 4096, maxMemorySize: 4096 });
    const c = man.makeCursor(file);
    for (let remaps = 0; remaps < 20_000; remaps++) {
      expect(c.useRegion((remaps % 64) * 4096, 1).buffer()[0]).toBe(1);
    }
    const mapped = readFileSync('/proc/self/maps', 'utf8')
      .split('\n')
      .filter((l) => l.endsWith(file)).length;
    expect(mapped).toBe(1);
    expect(man.numFileHandles()).toBe(1);
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
