import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { hasCommand, lineReader, spawnTs } from '@shmkit/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import {
  IPC_CREAT,
  IPC_EXCL,
  IPC_PRIVATE,
  IPC_RMID,
  IPC_SET,
  IPC_STAT,
  Key,
  MAX_SIZE,
  PAGE_SIZE,
  SHM_DEST,
  ShmId,
  SysvSharedMemory,
  shmat,
  shmcfg,
  shmctl,
  shmdt,
  shmget,
  shminfo,
  shmrm,
} from '../src/index.js';
import { child, leftovers, shmError, testKey } from './helpers.js';

const seen: ShmId[] = [];
function track<T extends { id: ShmId } | ShmId>(x: T): T {
  seen.push(x instanceof ShmId ? x : x.id);
  return x;
}

afterAll(() => {
  for (const id of seen) shmrm(id);
  expect(leftovers(seen)).toEqual([]);
});

describe('SysvSharedMemory', () => {
  it('volatile (default): removed right after attach, reachable by id only, gone after the last detach', () => {
    const key = testKey();
    const mem = track(SysvSharedMemory.create(key, 100));
    expect(mem).toMatchObject({ size: 100, readonly: false, volatile: true });
    expect(mem.buffer.length).toBe(100); // the requested size, although a whole page is mapped
    const info = mem.info();
    expect(info).toMatchObject({ segsz: 100, nattch: 1, key: 0, cpid: process.pid, lpid: process.pid });
    expect(info.mode & SHM_DEST).toBe(SHM_DEST);
    expect(shmError(() => SysvSharedMemory.open(key)).code).toBe('ENOENT');
    using byId = SysvSharedMemory.open(mem.id);
    expect(byId.size).toBe(100);
    mem.write('through A');
    expect(byId.read(0, 9).toString()).toBe('through A');
    mem.close();
    byId.close();
    const gone = shmError(() => SysvSharedMemory.open(mem.id));
    expect(gone.code).toBe('EINVAL');
    expect(gone.message).toContain(String(mem.id));
  });

  it('non-volatile: persists after close, opens by key and id, shmrm by key/id/handle works and is idempotent', () => {
    const key = testKey();
    const mem = track(SysvSharedMemory.create(key, 5000, { volatile: false }));
    expect(mem.volatile).toBe(false);
    mem.write('persisted', 4990);
    mem.close();
    expect(shminfo(key)).toMatchObject({ segsz: 5000, nattch: 0, key: key.value });
    using byKey = SysvSharedMemory.open(key);
    expect(byKey.id.equals(mem.id)).toBe(true);
    expect(byKey.read(4990, 9).toString()).toBe('persisted');
    using readonly = SysvSharedMemory.open(mem.id, { readonly: true });
    expect(readonly.readonly).toBe(true);
    expect(shmError(() => readonly.write('x')).code).toBe('ERR_SHMKIT_READONLY');
    expect(shmError(() => SysvSharedMemory.create(key, 10)).code).toBe('EEXIST');

    expect(shmrm(byKey)).toBe(true); // by handle: removal requested, still attached
    expect(shmrm(byKey.id)).toBe(true); // Linux accepts IPC_RMID again while attached
    expect(shmrm(key)).toBe(false); // the key is gone
    byKey.close();
    readonly.close();
    expect(shmrm(mem.id)).toBe(false);

    const other = testKey();
    track(SysvSharedMemory.create(other, 10, { volatile: false })).close();
    expect(shmrm(other)).toBe(true);
    expect(shmError(() => shminfo(other)).code).toBe('ENOENT');
  });

  it('IPC_PRIVATE creates a new segment every time, reachable by id', () => {
    using a = track(SysvSharedMemory.create(IPC_PRIVATE, 80));
    using b = track(SysvSharedMemory.create(IPC_PRIVATE, 80));
    expect(a.id.equals(b.id)).toBe(false);
    expect(String(a.id)).toMatch(/^ShmId\(\d+\)$/);
    expect(shmError(() => SysvSharedMemory.open(IPC_PRIVATE)).code).toBe('ERR_SHMKIT_INVALID_KEY');
  });

  it('shmcfg changes the permissions; shminfo and ipcs -m agree', (ctx) => {
    const key = testKey();
    using mem = track(SysvSharedMemory.create(key, 1234, { perms: 0o600, volatile: false }));
    expect(shmcfg(key, 0o640).equals(mem.id)).toBe(true);
    expect(shminfo(mem).mode & 0o777).toBe(0o640);
    const info = shminfo(mem.id);
    expect(info).toMatchObject({ segsz: 1234, nattch: 1, uid: process.getuid!(), cuid: process.getuid!(), key: key.value });
    expect(info.atime).toBeGreaterThan(0);
    expect(info.ctime).toBeGreaterThan(0);

    const listed = SysvSharedMemory.list().find((e) => e.id.equals(mem.id));
    expect(listed).toMatchObject({ size: 1234, nattch: 1, mode: 0o640, cpid: process.pid });
    expect(listed!.key.equals(key)).toBe(true);

    if (!hasCommand('ipcs')) ctx.skip('ipcs (util-linux) is not installed');
    const ipcs = execFileSync('ipcs', ['-m'], { encoding: 'utf8' });
    const row = ipcs.split('\n').map((l) => l.trim().split(/\s+/)).find((f) => f[1] === String(mem.id.value));
    expect(row, ipcs).toBeDefined();
    const [ipcsKey, , , perms, bytes, nattch] = row!;
    expect(Number(ipcsKey)).toBe(key.value >>> 0);
    expect(perms).toBe('640');
    expect(Number(bytes)).toBe(info.segsz);
    expect(Number(nattch)).toBe(info.nattch);
    mem.remove();
  });

  it('the low-level functions: shmget, shmat, shmdt, shmctl', () => {
    const key = testKey();
    const id = track(shmget(key, 100, 0o600 | IPC_CREAT | IPC_EXCL));
    expect(shmget(key, 0, 0).equals(id)).toBe(true);
    expect(shmError(() => shmget(key, 200, 0)).code).toBe('EINVAL'); // larger than the segment
    expect(shmError(() => shmget(IPC_PRIVATE, 0, IPC_CREAT)).code).toBe('EINVAL');
    const buffer = shmat(id);
    expect(buffer.length).toBe(100);
    buffer[99] = 5;
    const readonly = shmat(id, true);
    expect(readonly[99]).toBe(5);
    expect(shmctl(id, IPC_STAT).nattch).toBe(2);
    shmctl(id, IPC_SET, { mode: 0o604 });
    expect(shmctl(id, IPC_STAT).mode & 0o777).toBe(0o604);
    expect(shmdt(buffer)).toBe(true);
    expect(buffer.length).toBe(0);
    expect(shmdt(buffer)).toBe(false);
    expect(shmdt(readonly.buffer as ArrayBuffer)).toBe(true);
    shmctl(id, IPC_RMID);
    expect(shmError(() => shmctl(id, IPC_RMID)).code).toBe('EINVAL');
    expect(shmError(() => shmctl(id, IPC_STAT)).code).toBe('EINVAL');
    expect(shmError(() => shmdt(Buffer.alloc(10))).code).toBe('ERR_SHMKIT_INVALID_ARGUMENT');
    expect(shmError(() => shmget(5 as unknown as Key, 10, 0)).code).toBe('ERR_SHMKIT_INVALID_KEY');
    expect(shmError(() => shmat(5 as unknown as ShmId)).code).toBe('ERR_SHMKIT_INVALID_ID');
  });

  it('rejects bad sizes, perms, keys and ids without creating anything', () => {
    const before = SysvSharedMemory.list().length;
    for (const size of [0, -1, 1.5, Number.NaN, 2 ** 53, MAX_SIZE + 1, '10']) {
      expect(shmError(() => SysvSharedMemory.create(testKey(), size as number)).code, String(size)).toBe('ERR_SHMKIT_INVALID_SIZE');
    }
    for (const perms of [-1, 0o1000, '600']) {
      expect(shmError(() => SysvSharedMemory.create(testKey(), 10, { perms: perms as number })).code).toBe('ERR_SHMKIT_INVALID_PERMS');
    }
    expect(shmError(() => SysvSharedMemory.create(7 as unknown as Key, 10)).code).toBe('ERR_SHMKIT_INVALID_KEY');
    expect(shmError(() => new Key(2 ** 32)).code).toBe('ERR_SHMKIT_INVALID_KEY');
    expect(shmError(() => new Key(1.5)).code).toBe('ERR_SHMKIT_INVALID_KEY');
    expect(shmError(() => new ShmId(-1)).code).toBe('ERR_SHMKIT_INVALID_ID');
    expect(shmError(() => Key.fromPath(tmpdir(), 0)).code).toBe('ERR_SHMKIT_INVALID_KEY');
    expect(shmError(() => Key.fromPath(tmpdir(), 256)).code).toBe('ERR_SHMKIT_INVALID_KEY');
    expect(shmError(() => Key.fromPath('/nonexistent/shmkit', 1)).code).toBe('ENOENT');
    expect(SysvSharedMemory.list().length).toBe(before);
  });

  it('Key.fromPath follows ftok: (proj << 24) | (dev & 0xff) << 16 | (ino & 0xffff)', () => {
    const st = statSync(tmpdir(), { bigint: true });
    const expected = (0x31 << 24) | Number((st.dev & 0xffn) << 16n) | Number(st.ino & 0xffffn);
    expect(Key.fromPath(tmpdir(), '1').value).toBe(expected);
    expect(Key.fromPath(tmpdir(), 0x31).equals(new Key(expected))).toBe(true);
    expect(new Key(0xffffffff).value).toBe(-1); // key_t is signed
    expect(String(new Key(0x3100f7e8))).toBe('Key(0x3100f7e8)');
  });

  it('a separate process attaches by key and by id and sees our writes, and we see its writes', async () => {
    const key = testKey();
    using mem = track(SysvSharedMemory.create(key, 4096, { volatile: false }));
    for (const [kind, ref] of [
      ['key', String(key.value)],
      ['id', String(mem.id.value)],
    ] as const) {
      mem.write(`hello by ${kind}\0`);
      mem.buffer.fill(0, 64, 100);
      const proc = spawnTs(child('peer.ts'), ['rw', kind, ref]);
      const out = lineReader(proc);
      expect(await out.next(/^read /)).toBe(`read hello by ${kind}`);
      await out.next('done');
      expect(await out.exited).toBe(0);
      expect(mem.read(64, 16).toString()).toBe('reply from child');
    }
    mem.remove();
  });

  it('kill -9 of a creator: a volatile segment is freed by the kernel, nothing is left', async () => {
    const key = testKey();
    const proc = spawnTs(child('peer.ts'), ['hang', 'sysv', String(key.value)]);
    const out = lineReader(proc);
    const id = track(new ShmId(Number((await out.next(/^created /)).split(' ')[1])));
    expect(shminfo(id)).toMatchObject({ nattch: 1, key: 0 });
    proc.kill('SIGKILL');
    expect(await out.exited).toBe(-1);
    expect(shmError(() => shminfo(id)).code).toBe('EINVAL');
    expect(SysvSharedMemory.list().some((e) => e.id.equals(id))).toBe(false);
  });

  it('maps the page-rounded memory but exposes exactly the requested size', () => {
    using mem = track(SysvSharedMemory.create(IPC_PRIVATE, PAGE_SIZE + 1));
    expect(mem.size).toBe(PAGE_SIZE + 1);
    expect(mem.buffer.length).toBe(PAGE_SIZE + 1);
    expect(shmError(() => mem.read(PAGE_SIZE, 2)).code).toBe('ERR_SHMKIT_INVALID_ARGUMENT');
  });
});
