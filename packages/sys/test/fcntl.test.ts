import { closeSync, openSync } from 'node:fs';
import { lineReader, spawnTs } from '@shmkit/testkit';
import { describe, expect, it } from 'vitest';
import { fcntlGetLock, fcntlLock, fcntlLockAsync } from '../src/index.js';
import { blockedLockRequests, child, sharedFile, sleep, untilBlocked } from './helpers.js';

function holder(path: string, kind: 'classic' | 'ofd', type: 'read' | 'write', start = 0, len = 0, count = 1) {
  const proc = spawnTs(child('lock-holder.ts'), [path, kind, type, String(start), String(len), String(count)], {
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

describe('async lock waits block in the kernel (F_SETLKW / F_OFD_SETLKW)', () => {
  for (const kind of ['classic', 'ofd'] as const) {
    const ofd = kind === 'ofd';
    it(`${kind}: the waiter sleeps in the kernel and is woken by another process's release`, async () => {
      using file = sharedFile(4096);
      const other = holder(file.path, kind, 'write');
      await other.locked;
      const fd = openSync(file.path, 'r+');
      try {
        const waiting = fcntlLockAsync(fd, { type: 'write', ofd, timeoutMs: 20_000 });
        await untilBlocked(fd); // a blocked request, not a polling loop
        other.proc.stdin!.write('release\n');
        expect(await waiting.promise).toBe('locked');
        expect(await other.out.next(/^released /)).toMatch(/^released \d+$/);
        expect(blockedLockRequests(fd)).toBe(0);
        expect(fcntlGetLock(fd, { type: 'write', ofd })).toBe(null);
        expect(await other.out.exited).toBe(0);
      } finally {
        closeSync(fd);
        other.proc.kill();
      }
    });

    for (const mode of ['cancel', 'timeout'] as const) {
      it(`${kind}: ${mode === 'cancel' ? 'cancel()' : 'the timeout'} ends a blocked wait and the process exits on its own`, async () => {
        using file = sharedFile(4096);
        // The lock is held by a separate process for classic locks (a process never conflicts with itself).
        const other = holder(file.path, kind, 'write');
        await other.locked;
        try {
          const proc = spawnTs(child('lock-waiter.ts'), [file.path, kind, mode]);
          const out = lineReader(proc);
          if (mode === 'cancel') await out.next('blocked');
          expect(await out.next(/^result /)).toBe(mode === 'cancel' ? 'result cancelled' : 'result timed-out');
          expect(await out.exited).toBe(0); // no process.exit(): nothing keeps the event loop alive
          expect(blockedLockRequests(file.fd)).toBe(0);
        } finally {
          other.proc.kill();
        }
      });
    }
  }

  it('16 concurrent waits on different ranges: the cancelled ones say so, the others get their lock', async () => {
    using file = sharedFile(4096);
    const count = 16;
    const other = holder(file.path, 'ofd', 'write', 0, 8, count);
    await other.locked;
    const fds = Array.from({ length: count }, () => openSync(file.path, 'r+'));
    try {
      const waits = fds.map((fd, i) =>
        fcntlLockAsync(fd, { type: 'write', ofd: true, start: i * 8, len: 8, timeoutMs: 20_000 }),
      );
      await untilBlocked(fds[0]!, count);
      for (let i = 1; i < count; i += 2) waits[i]!.cancel();
      const cancelled = await Promise.all(waits.filter((_, i) => i % 2 === 1).map((w) => w.promise));
      expect(cancelled).toEqual(Array(count / 2).fill('cancelled'));
      expect(blockedLockRequests(fds[0]!)).toBe(count / 2);
      await other.release();
      const results = await Promise.all(waits.map((w) => w.promise));
      expect(results).toEqual(Array.from({ length: count }, (_, i) => (i % 2 === 0 ? 'locked' : 'cancelled')));
      for (let i = 0; i < count; i++) {
        // Another open of the file sees exactly the ranges whose waits said 'locked'.
        const holderOf = fcntlGetLock(fds[(i + 1) % count]!, { type: 'write', ofd: true, start: i * 8, len: 8 });
        expect(holderOf === null).toBe(i % 2 === 1);
      }
    } finally {
      for (const fd of fds) closeSync(fd);
      other.proc.kill();
    }
  });

  it('a cancel right after the start, or racing with the release, never leaves a wait stuck', async () => {
    using file = sharedFile(4096);
    const other = holder(file.path, 'ofd', 'write');
    await other.locked;
    const fd = openSync(file.path, 'r+');
    const rival = openSync(file.path, 'r+'); // a second open: OFD locks of the two conflict
    try {
      // Held by another process throughout: every wait must end 'cancelled', whenever the cancel lands
      // (before the thread starts, before it blocks, or while it is blocked).
      for (let i = 0; i < 300; i++) {
        const wait = fcntlLockAsync(fd, { type: 'write', ofd: true });
        const spinUntil = process.hrtime.bigint() + BigInt((i % 50) * 1000);
        while (process.hrtime.bigint() < spinUntil) {}
        wait.cancel();
        expect(await wait.promise).toBe('cancelled');
      }
      expect(blockedLockRequests(fd)).toBe(0);
      await other.release();

      // Cancel and release at about the same moment: either outcome is fine, but it must be true.
      const outcomes = { locked: 0, cancelled: 0 };
      for (let i = 0; i < 300; i++) {
        expect(fcntlLock(rival, { type: 'write', ofd: true })).toBe(true);
        const wait = fcntlLockAsync(fd, { type: 'write', ofd: true });
        const spinUntil = process.hrtime.bigint() + BigInt((i % 30) * 1000);
        while (process.hrtime.bigint() < spinUntil) {}
        if (i % 2 === 0) {
          fcntlLock(rival, { type: 'unlock', ofd: true });
          wait.cancel();
        } else {
          wait.cancel();
          fcntlLock(rival, { type: 'unlock', ofd: true });
        }
        const outcome = await wait.promise;
        expect(['locked', 'cancelled']).toContain(outcome);
        outcomes[outcome as 'locked' | 'cancelled']++;
        // 'locked' means we hold it (release it); 'cancelled' means we do not.
        expect(fcntlLock(rival, { type: 'write', ofd: true })).toBe(outcome === 'cancelled');
        fcntlLock(outcome === 'locked' ? fd : rival, { type: 'unlock', ofd: true });
      }
      expect(outcomes.locked + outcomes.cancelled).toBe(300);
      expect(blockedLockRequests(fd)).toBe(0);
    } finally {
      closeSync(fd);
      closeSync(rival);
      other.proc.kill();
    }
  });

  it('classic locks: a wait that would close a deadlock cycle between two processes fails with EDEADLK', async () => {
    using file = sharedFile(4096);
    const fd = openSync(file.path, 'r+');
    const other = holder(file.path, 'classic', 'write', 10, 10);
    try {
      await other.locked;
      expect(fcntlLock(fd, { type: 'write', start: 0, len: 10 })).toBe(true);
      // The other process now waits (F_SETLKW) for our range while holding its own.
      other.proc.stdin!.write('wait 0 10\n');
      await untilBlocked(fd);
      await expect(fcntlLockAsync(fd, { type: 'write', start: 10, len: 10, timeoutMs: 10_000 }).promise).rejects.toMatchObject({
        code: 'EDEADLK',
        syscall: 'fcntl',
      });
      fcntlLock(fd, { type: 'unlock', start: 0, len: 10 });
      expect(await other.out.next(/^waited /)).toBe('waited 0 10');
    } finally {
      closeSync(fd);
      other.proc.kill();
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
