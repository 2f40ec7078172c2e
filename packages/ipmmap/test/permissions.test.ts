import { chmodSync } from 'node:fs';
import { runTs, unprivilegedUser } from '@shmkit/testkit';
import { describe, expect, it } from 'vitest';
import { DataStructMmapManager, DemoMmapStructure } from '../src/index.js';
import { ipmmapDirs } from './helpers.js';

const user = unprivilegedUser();
const TRY_OPEN = new URL('./child/try-open.ts', import.meta.url).pathname;

describe.skipIf(!user)('permissions, checked by an unprivileged user (nobody)', () => {
  it('files are owner-only by default: another user can neither read nor write them', async () => {
    using dirs = ipmmapDirs();
    chmodSync(dirs.root, 0o755);
    using m = new DataStructMmapManager(DemoMmapStructure, { ...dirs, create: true });
    await m.use((s) => s.writeData('data_int', 5)); // creates the lock file, 0o600
    for (const role of ['read', 'write']) {
      const r = await runTs(TRY_OPEN, [dirs.mmapDir, dirs.fastenerDir, role], { timeoutMs: 30_000, ...user! });
      expect(r.code, r.stderr).toBe(0);
      const outcome = JSON.parse(r.stdout);
      expect(outcome.ok).toBeUndefined();
      expect(outcome.code).toBe('EACCES');
      expect(outcome.message).toMatch(/permission|EACCES/i);
    }
  });

  it('with group/other read bits (Python ipmmap\'s usual 0644) another user still cannot lock for writing', async () => {
    using dirs = ipmmapDirs();
    chmodSync(dirs.root, 0o755);
    using m = new DataStructMmapManager(DemoMmapStructure, { ...dirs, create: true, mode: 0o644 });
    await m.use((s) => s.writeData('data_int', 6));
    chmodSync(dirs.mmapDir, 0o755);
    chmodSync(dirs.fastenerDir, 0o755);
    const r = await runTs(TRY_OPEN, [dirs.mmapDir, dirs.fastenerDir, 'write'], { timeoutMs: 30_000, ...user! });
    const outcome = JSON.parse(r.stdout);
    expect(outcome.code).toBe('EACCES');
  });
});

if (!user) describe.skip('permission tests need root (to run a child as nobody)', () => it('skipped', () => {}));
