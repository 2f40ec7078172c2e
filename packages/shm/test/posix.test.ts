import { mkdirSync, readdirSync, rmSync, statfsSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { hasCommand, lineReader, makeTmpDir, spawnTs } from '@shmkit/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_SIZE, PAGE_SIZE, PosixSharedMemory } from '../src/index.js';
import { child, devShmPath, existsSync, leftovers, posixName, shmError } from './helpers.js';

afterAll(() => {
  expect(leftovers([])).toEqual([]);
});

describe('PosixSharedMemory', () => {
  it('create, write, open elsewhere, read, remove', () => {
    const name = posixName();
    using created = PosixSharedMemory.create(name, 100);
    expect(created).toMatchObject({ id: name, name, size: 100, readonly: false, volatile: true, created: true, closed: false });
    expect(created.buffer.length).toBe(100);
    expect(statSync(devShmPath(name)).size).toBe(100);
    created.write('hello', 10);

    using opened = PosixSharedMemory.open(name);
    expect(opened).toMatchObject({ size: 100, readonly: false, volatile: false, created: false });
    expect(opened.read(10, 5).toString()).toBe('hello');
    opened.buffer[99] = 7;
    expect(created.buffer[99]).toBe(7);

    expect(PosixSharedMemory.list().find((e) => e.name === name)).toMatchObject({ size: 100, perms: 0o600, uid: process.getuid!() });
    created.remove();
    expect(existsSync(devShmPath(name))).toBe(false);
    // Existing mappings survive the unlink.
    opened.buffer[0] = 1;
    expect(created.buffer[0]).toBe(1);
    expect(PosixSharedMemory.unlink(name)).toBe(false);
    expect(shmError(() => PosixSharedMemory.open(name)).code).toBe('ENOENT');
  });

  it('applies perms exactly, whatever the umask, with owner read/write forced on', () => {
    const old = process.umask(0o077);
    try {
      for (const [perms, expected] of [
        [0o666, 0o666],
        [0o644, 0o644],
        [0o040, 0o640],
        [0o000, 0o600],
      ] as const) {
        const name = posixName();
        using mem = PosixSharedMemory.create(name, 16, { perms });
        expect(statSync(devShmPath(name)).mode & 0o777).toBe(expected);
        expect(mem.size).toBe(16);
      }
    } finally {
      process.umask(old);
    }
  });

  it('is exclusive by default; exclusive: false opens an existing object of the same size', () => {
    const name = posixName();
    using first = PosixSharedMemory.create(name, 64);
    const exists = shmError(() => PosixSharedMemory.create(name, 64));
    expect(exists.code).toBe('EEXIST');
    expect(exists.message).toContain(name);
    first.write('shared');
    using again = PosixSharedMemory.create(name, 64, { exclusive: false, volatile: true });
    expect(again.created).toBe(false);
    expect(again.volatile).toBe(false); // only the creator unlinks
    expect(again.read(0, 6).toString()).toBe('shared');
    expect(shmError(() => PosixSharedMemory.create(name, 65, { exclusive: false })).code).toBe('ERR_SHMKIT_SIZE_MISMATCH');
  });

  it('volatile: close unlinks the name; non-volatile names persist until removed', () => {
    const a = posixName();
    const volatileMem = PosixSharedMemory.create(a, 32);
    const other = PosixSharedMemory.open(a);
    volatileMem.close();
    expect(existsSync(devShmPath(a))).toBe(false);
    other.buffer[0] = 3; // another mapping is unaffected
    other.close();

    const b = posixName();
    const persistent = PosixSharedMemory.create(b, 32, { volatile: false });
    persistent.buffer[5] = 9;
    persistent[Symbol.dispose]();
    expect(existsSync(devShmPath(b))).toBe(true);
    using reopened = PosixSharedMemory.open(b);
    expect(reopened.buffer[5]).toBe(9);
    expect(PosixSharedMemory.unlink(b)).toBe(true);
  });

  it('close detaches every view; later access raises ERR_SHMKIT_CLOSED; close is idempotent', () => {
    const mem = PosixSharedMemory.create(posixName(), PAGE_SIZE);
    const buffer = mem.buffer;
    const words = new Int32Array(buffer.buffer, 0, 16);
    mem.close();
    expect(mem.closed).toBe(true);
    expect(buffer.length).toBe(0);
    expect(words.length).toBe(0);
    expect(shmError(() => mem.buffer).code).toBe('ERR_SHMKIT_CLOSED');
    expect(shmError(() => mem.read()).code).toBe('ERR_SHMKIT_CLOSED');
    expect(shmError(() => mem.write('x')).code).toBe('ERR_SHMKIT_CLOSED');
    mem.close();
  });

  it('read-only opens are mapped read-only and refuse writes through the API', () => {
    const name = posixName();
    using mem = PosixSharedMemory.create(name, 64);
    mem.write('visible');
    using ro = PosixSharedMemory.open(name, { readonly: true });
    expect(ro.readonly).toBe(true);
    expect(ro.read(0, 7).toString()).toBe('visible');
    expect(shmError(() => ro.write('nope')).code).toBe('ERR_SHMKIT_READONLY');
    mem.write('changed');
    expect(ro.read(0, 7).toString()).toBe('changed');
    expect(shmError(() => mem.write('x', 64)).code).toBe('ERR_SHMKIT_INVALID_ARGUMENT');
  });

  it('never follows symlinks and refuses what is not a regular file', () => {
    using tmp = makeTmpDir();
    const target = `${tmp.path}/target`;
    writeFileSync(target, 'do not touch');
    const name = posixName();
    symlinkSync(target, devShmPath(name));
    try {
      expect(shmError(() => PosixSharedMemory.create(name, 64)).code).toBe('EEXIST');
      expect(shmError(() => PosixSharedMemory.create(name, 64, { exclusive: false })).code).toBe('ELOOP');
      expect(shmError(() => PosixSharedMemory.open(name)).code).toBe('ELOOP');
      expect(statSync(target).size).toBe(12);
    } finally {
      rmSync(devShmPath(name));
    }
    const dirName = posixName();
    mkdirSync(devShmPath(dirName));
    try {
      expect(shmError(() => PosixSharedMemory.open(dirName)).code).toMatch(/^(EISDIR|ERR_SHMKIT_NOT_SHARED_MEMORY)$/);
    } finally {
      rmSync(devShmPath(dirName), { recursive: true });
    }
    if (hasCommand('mkfifo')) {
      const fifo = posixName();
      execFileSync('mkfifo', [devShmPath(fifo)]);
      try {
        expect(shmError(() => PosixSharedMemory.open(fifo)).code).toBe('ERR_SHMKIT_NOT_SHARED_MEMORY');
      } finally {
        rmSync(devShmPath(fifo));
      }
    }
  });

  it('rejects bad names and sizes before touching the filesystem', () => {
    const before = readdirSync('/dev/shm').sort();
    const longest = `/${'a'.repeat(255)}`;
    const names: unknown[] = ['', '/', 'noslash', '/a/b', '/..', '/.', '..', '/../etc', '/a\0b', `/${'a'.repeat(256)}`, `/${'é'.repeat(128)}`, 42, null];
    for (const name of names) {
      expect(shmError(() => PosixSharedMemory.create(name as string, 16)).code, String(name)).toBe('ERR_SHMKIT_INVALID_NAME');
      expect(shmError(() => PosixSharedMemory.open(name as string)).code).toBe('ERR_SHMKIT_INVALID_NAME');
      expect(shmError(() => PosixSharedMemory.unlink(name as string)).code).toBe('ERR_SHMKIT_INVALID_NAME');
    }
    const sizes: unknown[] = [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, MAX_SIZE + 1, '16', undefined];
    for (const size of sizes) {
      expect(shmError(() => PosixSharedMemory.create(posixName(), size as number)).code, String(size)).toBe('ERR_SHMKIT_INVALID_SIZE');
    }
    for (const perms of [-1, 0o1000, 0.5, '600']) {
      expect(shmError(() => PosixSharedMemory.create(posixName(), 16, { perms: perms as number })).code).toBe('ERR_SHMKIT_INVALID_PERMS');
    }
    expect(readdirSync('/dev/shm').sort()).toEqual(before);
    // The longest valid name works.
    const mem = PosixSharedMemory.create(longest, 16);
    mem.close();
    expect(existsSync(devShmPath(longest))).toBe(false);
  });

  it('refuses sizes beyond the free space of /dev/shm with ENOSPC instead of faulting later', (ctx) => {
    const st = statfsSync('/dev/shm');
    const free = st.bavail * st.bsize;
    if (free + 1 > MAX_SIZE) {
      ctx.skip(`/dev/shm has ${free} bytes free, more than the ${MAX_SIZE}-byte limit of one Buffer`);
    }
    const err = shmError(() => PosixSharedMemory.create(posixName(), free + PAGE_SIZE));
    expect(err.code).toBe('ENOSPC');
  });

  it('another process opens by name, sees our writes, and its writes come back', async () => {
    const name = posixName();
    using mem = PosixSharedMemory.create(name, 4096);
    mem.write('hello from parent\0');
    const proc = spawnTs(child('peer.ts'), ['rw', 'posix', name]);
    const out = lineReader(proc);
    expect(await out.next(/^read /)).toBe('read hello from parent');
    await out.next('done');
    expect(await out.exited).toBe(0);
    expect(mem.read(64, 16).toString()).toBe('reply from child');
  });

  it('kill -9 of a creator leaves a volatile name behind (POSIX names outlive processes)', async () => {
    const name = posixName();
    const proc = spawnTs(child('peer.ts'), ['hang', 'posix', name]);
    const out = lineReader(proc);
    await out.next(/^created /);
    proc.kill('SIGKILL');
    expect(await out.exited).toBe(-1);
    expect(existsSync(devShmPath(name))).toBe(true);
    using survivor = PosixSharedMemory.open(name);
    expect(survivor.buffer[0]).toBe(1);
    expect(PosixSharedMemory.unlink(name)).toBe(true);
  });
});
