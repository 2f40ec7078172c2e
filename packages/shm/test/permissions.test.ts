import { lineReader, spawnTs, unprivilegedUser } from '@shmkit/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { PosixSharedMemory, type ShmId, SysvSharedMemory, shmcfg } from '../src/index.js';
import { child, leftovers, posixName, testKey } from './helpers.js';

// Root bypasses these checks, so the opener runs as an unprivileged user (nobody).
const user = unprivilegedUser();
const seen: ShmId[] = [];

afterAll(() => {
  expect(leftovers(seen)).toEqual([]);
});

async function openAsNobody(kind: 'posix' | 'key' | 'id', ref: string, access: 'readonly' | 'readwrite'): Promise<string> {
  const proc = spawnTs(child('peer.ts'), ['open', kind, ref, access], { uid: user!.uid, gid: user!.gid });
  const out = lineReader(proc);
  const line = await out.next(/^(ok|error) /);
  expect(await out.exited).toBe(0);
  return line;
}

describe.skipIf(user === null)('permissions as an unprivileged user', () => {
  it('POSIX 0o600 refuses every open; 0o644 allows read-only and refuses read-write', async () => {
    const name = posixName();
    using secret = PosixSharedMemory.create(name, 4096, { perms: 0o600 });
    expect(await openAsNobody('posix', name, 'readonly')).toBe('error EACCES');
    expect(await openAsNobody('posix', name, 'readwrite')).toBe('error EACCES');
    secret.close();

    const shared = posixName();
    using readable = PosixSharedMemory.create(shared, 4096, { perms: 0o644 });
    expect(await openAsNobody('posix', shared, 'readonly')).toBe('ok 4096');
    expect(await openAsNobody('posix', shared, 'readwrite')).toBe('error EACCES');
    readable.close();
  });

  it('System V 0o600 refuses by key and by id; 0o644 allows read-only; shmcfg opens it up', async () => {
    const key = testKey();
    using mem = SysvSharedMemory.create(key, 100, { perms: 0o600, volatile: false });
    seen.push(mem.id);
    const byKey = String(key.value);
    const byId = String(mem.id.value);
    for (const [kind, ref] of [
      ['key', byKey],
      ['id', byId],
    ] as const) {
      expect(await openAsNobody(kind, ref, 'readonly')).toBe('error EACCES');
      expect(await openAsNobody(kind, ref, 'readwrite')).toBe('error EACCES');
    }
    shmcfg(mem, 0o644);
    for (const [kind, ref] of [
      ['key', byKey],
      ['id', byId],
    ] as const) {
      expect(await openAsNobody(kind, ref, 'readonly')).toBe('ok 100');
      expect(await openAsNobody(kind, ref, 'readwrite')).toBe('error EACCES');
    }
    shmcfg(key, 0o666);
    expect(await openAsNobody('key', byKey, 'readwrite')).toBe('ok 100');
    mem.remove();
  });
});

if (user === null) {
  describe('permissions as an unprivileged user', () => {
    it.skip('needs root to run the opener as nobody (root itself bypasses the checks)', () => {});
  });
}
