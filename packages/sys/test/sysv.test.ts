import { statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { lineReader, spawnTs } from '@shmkit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ftok,
  IPC_CREAT,
  IPC_EXCL,
  IPC_PRIVATE,
  type ShmStat,
  SysError,
  shmat,
  shmctlRemove,
  shmctlSet,
  shmctlStat,
  shmdt,
  shmget,
} from '../src/index.js';
import { child } from './helpers.js';

const created: number[] = [];
function createSegment(size: number, perms = 0o600, key = IPC_PRIVATE): number {
  const id = shmget(key, size, perms | IPC_CREAT | IPC_EXCL);
  created.push(id);
  return id;
}
afterEach(() => {
  for (const id of created.splice(0)) {
    try {
      shmctlRemove(id);
    } catch {
      // already removed and gone
    }
  }
});

function sysError(fn: () => unknown): SysError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SysError);
    return err as SysError;
  }
  throw new Error('expected a SysError');
}

// A key unlikely to be in use: derived from the pid, well away from ftok-style keys.
const testKey = 0x5a000000 + (process.pid & 0xffffff);

describe('System V shared memory', () => {
  it('create, stat, attach, write, detach, remove', () => {
    const id = createSegment(100, 0o640, testKey);
    let stat: ShmStat = shmctlStat(id);
    expect(stat).toMatchObject({ key: testKey, size: 100, nattch: 0, atime: 0, lpid: 0, cpid: process.pid });
    expect(stat.mode & 0o777).toBe(0o640);
    expect(stat.uid).toBe(process.getuid!());

    const buffer = shmat(id, false);
    expect(buffer.byteLength).toBe(100); // the requested size, not the page
    stat = shmctlStat(id);
    expect(stat.nattch).toBe(1);
    expect(stat.lpid).toBe(process.pid);
    expect(stat.atime).toBeGreaterThan(0);

    const view = new Uint8Array(buffer);
    view[99] = 42;
    const second = shmat(shmget(testKey, 0, 0), true);
    expect(new Uint8Array(second)[99]).toBe(42);
    expect(shmctlStat(id).nattch).toBe(2);

    expect(shmdt(buffer)).toBe(true);
    expect(view.length).toBe(0);
    expect(shmdt(buffer)).toBe(false);
    expect(shmctlStat(id).nattch).toBe(1);

    shmctlRemove(id);
    stat = shmctlStat(id); // still attached (second): marked for destruction, key gone
    expect(stat.key).toBe(0);
    expect(stat.mode & 0o1000).toBe(0o1000);
    expect(sysError(() => shmget(testKey, 0, 0)).code).toBe('ENOENT');
    shmctlRemove(id); // a second IPC_RMID while attached succeeds on Linux
    const third = shmat(id, false); // attach by id still works
    expect(new Uint8Array(third)[99]).toBe(42);
    shmdt(third);
    shmdt(second);
    const gone = sysError(() => shmctlStat(id));
    expect(gone).toMatchObject({ code: 'EINVAL', errno: 22, syscall: 'shmctl' });
  });

  it('exclusive create of an existing key fails with EEXIST; larger lookup with EINVAL', () => {
    createSegment(64, 0o600, testKey + 1);
    expect(sysError(() => shmget(testKey + 1, 64, 0o600 | IPC_CREAT | IPC_EXCL))).toMatchObject({
      code: 'EEXIST',
      errno: 17,
      syscall: 'shmget',
    });
    expect(sysError(() => shmget(testKey + 1, 65, 0)).code).toBe('EINVAL');
    expect(shmget(testKey + 1, 10, 0)).toBe(created.at(-1));
    expect(sysError(() => shmget(IPC_PRIVATE, 0, IPC_CREAT)).code).toBe('EINVAL');
  });

  it('IPC_SET changes the permission bits and keeps the rest', () => {
    const id = createSegment(10, 0o600);
    shmctlSet(id, { mode: 0o644 });
    expect(shmctlStat(id).mode & 0o777).toBe(0o644);
    shmctlSet(id, { mode: 0o7777 }); // only the nine permission bits are settable
    expect(shmctlStat(id).mode & 0o7777).toBe(0o777);
    if (process.getuid!() === 0) {
      // Only a privileged process may give a segment away.
      shmctlSet(id, { uid: 65534, gid: 65534 });
      expect(shmctlStat(id)).toMatchObject({ uid: 65534, gid: 65534, cuid: 0 });
    } else {
      expect(sysError(() => shmctlSet(id, { uid: process.getuid!() + 1 })).code).toBe('EPERM');
    }
  });

  it('a separate process attaches by id, sees our bytes, and its writes come back', async () => {
    const id = createSegment(4096);
    const buffer = Buffer.from(shmat(id, false));
    buffer.write('hello from parent\0', 0);
    const proc = spawnTs(child('sysv-peer.ts'), [String(id)]);
    const out = lineReader(proc);
    expect(await out.next(/^read /)).toBe('read hello from parent');
    await out.next('done');
    expect(await out.exited).toBe(0);
    expect(buffer.toString('utf8', 64, 80)).toBe('reply from child');
    shmdt(buffer.buffer as ArrayBuffer);
  });

  it('a write through a read-only attachment faults the writing process (as in C)', async () => {
    const id = createSegment(4096);
    const proc = spawnTs(child('sysv-peer.ts'), [String(id), 'readonly-write']);
    const signal = new Promise<NodeJS.Signals | null>((resolve) => proc.once('exit', (_c, s) => resolve(s)));
    const out = lineReader(proc);
    await out.next('writing');
    expect(await signal).toBe('SIGSEGV');
    expect(out.output()).not.toContain('survived');
  });

  it('ftok matches the documented glibc formula', () => {
    const dir = tmpdir();
    const st = statSync(dir, { bigint: true });
    const expected = ((0x31 << 24) | Number((st.dev & 0xffn) << 16n) | Number(st.ino & 0xffffn)) | 0;
    expect(ftok(dir, 0x31)).toBe(expected);
    expect(sysError(() => ftok('/nonexistent/shmkit', 1)).code).toBe('ENOENT');
  });
});
