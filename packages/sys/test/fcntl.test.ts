import { closeSync, openSync } from 'node:fs';
import { lineReader, spawnTs } from '@shmkit/testkit';
import { describe, expect, it } from 'vitest';
import { fcntlGetLock, fcntlLock, fcntlLockAsync } from '../src/index.js';
import { child, sharedFile, sleep } from './helpers.js';

function holder(path: string, kind: 'classic' | 'ofd', type: 'read' | 'write', start = 0, len = 0) {
  const proc = spawnTs(child('lock-holder.ts'), [path, kind, type, String(start), String(len)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const out = lineReader(proc);
  return {
    proc,
    out,
    locked: out.next(/^locked /).then((l) => Number(l.split(' ')[1])),
    async release() {
      proc.stdin!.write('release\n');
      await out.next('released');
      return out.exited;
    },
  };
}

describe('record locks between processes', () => {
  for (const kind of ['classic', 'ofd'] as const) {
    const ofd = kind === 'ofd';
    it(`${kind}: a write lock held by another process blocks ours until released`, async () => {
      using file = sharedFile(4096);
      const other = holder(file.path, kind, 'write', 100, 50);
      const pid = await other.locked;
      const fd = openSync(file.path, 'r+');
      try {
        expect(fcntlLock(fd, { type: 'write', ofd, start: 0, len: 0 })).toBe(false);
        expect(fcntlLock(fd, { type: 'read', ofd, start: 120, len: 1 })).toBe(false);
        expect(fcntlLock(fd, { type: 'write', ofd, start: 0, len: 100 })).toBe(true); // the bytes before are free
        expect(fcntlLock(fd, { type: 'unlock', ofd, start: 0, len: 100 })).toBe(true);
        expect(fcntlGetLock(fd, { type: 'read', ofd, start: 0, len: 0 })).toEqual({
          type: 'write',
          pid: ofd ? -1 : pid,
          start: 100,
          len: 50,
        });
        expect(fcntlGetLock(fd, { type: 'write', ofd, start: 150, len: 0 })).toBe(null);
        expect(fcntlLock(fd, { type: 'write', ofd, start: 100, wait: true, timeoutMs: 30 })).toBe(false);
        expect(await fcntlLockAsync(fd, { type: 'write', ofd, timeoutMs: 30 }).promise).toBe('timed-out');

        const cancelled = fcntlLockAsync(fd, { type: 'write', ofd });
        await sleep(10);
        cancelled.cancel();
        expect(await cancelled.promise).toBe('cancelled');

        const waiting = fcntlLockAsync(fd, { type: 'write', ofd });
        await sleep(20);
        expect(await other.release()).toBe(0);
        expect(await waiting.promise).toBe('locked');
        expect(fcntlGetLock(fd, { type: 'write', ofd })).toBe(null); // our own lock does not block us
      } finally {
        closeSync(fd);
        other.proc.kill();
      }
    });
  }

  it('read locks are shared between processes; a write waits for all of them', async () => {
    using file = sharedFile(4096);
    const a = holder(file.path, 'ofd', 'read');
    const b = holder(file.path, 'classic', 'read');
    await Promise.all([a.locked, b.locked]);
    const fd = openSync(file.path, 'r+');
    try {
      expect(fcntlLock(fd, { type: 'read' })).toBe(true);
      fcntlLock(fd, { type: 'unlock' });
      const write = fcntlLockAsync(fd, { type: 'write', ofd: true, timeoutMs: 20_000 });
      await a.release();
      await sleep(20);
      expect(fcntlLock(fd, { type: 'write', ofd: true })).toBe(false); // b still reads
      await b.release();
      expect(await write.promise).toBe('locked');
    } finally {
      closeSync(fd);
      a.proc.kill();
      b.proc.kill();
    }
  });

  it('a lock of a killed process is released by the kernel', async () => {
    using file = sharedFile(4096);
    const other = holder(file.path, 'ofd', 'write');
    await other.locked;
    const fd = openSync(file.path, 'r+');
    try {
      const waiting = fcntlLockAsync(fd, { type: 'write', ofd: true, timeoutMs: 20_000 });
      other.proc.kill('SIGKILL');
      expect(await waiting.promise).toBe('locked');
    } finally {
      closeSync(fd);
    }
  });
});

describe('OFD versus classic semantics in one process', () => {
  it('OFD locks conflict between two opens of one file; classic locks do not', () => {
    using file = sharedFile(4096);
    const fd1 = openSync(file.path, 'r+');
    const fd2 = openSync(file.path, 'r+');
    try {
      expect(fcntlLock(fd1, { type: 'write', ofd: true })).toBe(true);
      expect(fcntlLock(fd2, { type: 'write', ofd: true })).toBe(false);
      expect(fcntlGetLock(fd2, { type: 'write', ofd: true })).toMatchObject({ type: 'write', pid: -1 });
      expect(fcntlLock(fd1, { type: 'unlock', ofd: true })).toBe(true);

      expect(fcntlLock(fd1, { type: 'write' })).toBe(true);
      expect(fcntlLock(fd2, { type: 'write' })).toBe(true); // same process: the lock is just replaced
    } finally {
      closeSync(fd1);
      closeSync(fd2);
    }
  });

  it('closing any descriptor drops classic locks but keeps OFD locks', async () => {
    using file = sharedFile(4096);
    const fd1 = openSync(file.path, 'r+');
    const fd2 = openSync(file.path, 'r+');
    const fd3 = openSync(file.path, 'r+');
    expect(fcntlLock(fd1, { type: 'write', start: 0, len: 10 })).toBe(true);
    expect(fcntlLock(fd1, { type: 'write', ofd: true, start: 20, len: 10 })).toBe(true);
    closeSync(fd2);
    // Another process sees which locks remain: only the OFD one.
    const probe = holder(file.path, 'classic', 'write', 0, 10);
    expect(await probe.locked).toBeGreaterThan(0);
    await probe.release();
    expect(fcntlLock(fd3, { type: 'write', ofd: true, start: 20, len: 10 })).toBe(false);
    closeSync(fd1);
    expect(fcntlLock(fd3, { type: 'write', ofd: true, start: 20, len: 10 })).toBe(true);
    closeSync(fd3);
  });

  it('rejects bad requests', () => {
    using file = sharedFile(4096);
    expect(() => fcntlLock(file.fd, { type: 'exclusive' as 'write' })).toThrow(TypeError);
    expect(() => fcntlLock(file.fd, { type: 'write', start: -1 })).toThrow(RangeError);
    expect(() => fcntlGetLock(file.fd, { type: 'unlock' })).toThrow(RangeError);
    expect(() => fcntlLock(987654, { type: 'write' })).toThrow(expect.objectContaining({ code: 'EBADF' }));
  });
});
