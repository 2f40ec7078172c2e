import { join } from 'node:path';
import { makeTmpDir, runTs } from '@shmkit/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { MAPPING_BACKEND } from '../src/index.js';
import { BACKENDS } from './helpers.js';

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

  it('prefers the patched mmap-io inside the repository', () => {
    expect(BACKENDS).toContain('mmap-io');
    if (!process.env.SHMKIT_REGION_BACKEND) expect(MAPPING_BACKEND).toBe('mmap-io');
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

  it('a cursor dropped without close() gives its region back when garbage collected', async () => {
    const r = await runTs(fixture('gc-cursor.ts'), [join(tmp.path, 'gc')], {
      env: { ...process.env, NODE_OPTIONS: '--expose-gc' },
      timeoutMs: 30_000,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ before: 2, after: 1, collected: 1 });
  });
});
