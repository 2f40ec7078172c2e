import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { munmap } from '@shmkit/sys';
import { hasCommand, makeTmpDir, unprivilegedUser } from '@shmkit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import {
  FileLock,
  LockArgumentError,
  LockClosedError,
  LockLayoutError,
  LockOffsetError,
  LockPathError,
  RecordLock,
  ShmMutex,
  ShmRwLock,
} from '../src/index.js';
import { startChild } from './helpers/child.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function tmpDir(): string {
  const tmp = makeTmpDir('shmkit-lock-bad-');
  cleanups.push(() => tmp.remove());
  return tmp.path;
}

function pathError(fn: () => unknown): LockPathError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(LockPathError);
    return err as LockPathError;
  }
  throw new Error('expected a LockPathError');
}

describe('RecordLock: bad lock paths', () => {
  it('creates a missing lock file and its directories, owner-only', () => {
    const dir = tmpDir();
    const path = join(dir, 'a', 'b', 'data.lock');
    using lock = new RecordLock(path);
    expect(lock.path).toBe(path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'a', 'b')).mode & 0o777).toBe(0o700);
    lock.tryWriteLock()?.release();
    lock.close();
    expect(existsSync(path)).toBe(true); // never deleted
  });

  it('refuses a directory', () => {
    const dir = tmpDir();
    const err = pathError(() => new RecordLock(dir));
    expect(err.code).toBe('EISDIR');
    expect(err.message).toContain('directory');
  });

  it('refuses a symbolic link, dangling or not, and never touches its target', () => {
    const dir = tmpDir();
    const target = join(dir, 'target');
    const dangling = join(dir, 'dangling.lock');
    symlinkSync(target, dangling);
    expect(pathError(() => new RecordLock(dangling)).code).toBe('ELOOP');
    expect(existsSync(target)).toBe(false);

    writeFileSync(target, 'precious');
    const link = join(dir, 'link.lock');
    symlinkSync(target, link);
    const err = pathError(() => new RecordLock(link));
    expect(err.code).toBe('ELOOP');
    expect(err.message).toContain('symbolic link');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });

  it('refuses a FIFO without blocking on it', () => {
    if (!hasCommand('mkfifo')) return;
    const dir = tmpDir();
    const fifo = join(dir, 'fifo.lock');
    spawnSync('mkfifo', [fifo]);
    expect(pathError(() => new RecordLock(fifo)).code).toBe('ERR_SHMKIT_LOCK_NOT_A_FILE');
  });

  it('refuses a path under a regular file (its directory cannot be created)', () => {
    const dir = tmpDir();
    const file = join(dir, 'plain');
    writeFileSync(file, '');
    const err = pathError(() => new RecordLock(join(file, 'sub', 'x.lock')));
    expect(err.code).toBe('ENOTDIR');
  });

  it('refuses empty paths, NUL characters and bad modes', () => {
    expect(() => new RecordLock('')).toThrow(LockArgumentError);
    expect(() => new RecordLock('/tmp/a\0b')).toThrow(LockArgumentError);
    expect(() => new RecordLock(join(tmpDir(), 'x.lock'), { mode: -1 })).toThrow(LockArgumentError);
  });

  it('fails cleanly after close()', async () => {
    const lock = new RecordLock(join(tmpDir(), 'x.lock'));
    lock.close();
    expect(() => lock.tryLock()).toThrow(LockClosedError);
    expect(() => lock.readLock()).toThrow(LockClosedError);
    await expect(lock.writeLockAsync()).rejects.toBeInstanceOf(LockClosedError);
  });
});

describe('FileLock: bad lock paths and options', () => {
  it('refuses a symbolic link or a file where its lock directory goes', () => {
    const dir = tmpDir();
    mkdirSync(join(dir, 'real'));
    symlinkSync(join(dir, 'real'), join(dir, 'res.lock'));
    expect(pathError(() => new FileLock(join(dir, 'res'))).code).toBe('ELOOP');
    writeFileSync(join(dir, 'other.lock'), '');
    expect(pathError(() => new FileLock(join(dir, 'other'))).code).toBe('ERR_SHMKIT_LOCK_NOT_A_DIRECTORY');
  });

  it('refuses a lock directory planted after construction instead of waiting on it', () => {
    const dir = tmpDir();
    const lock = new FileLock(join(dir, 'res'));
    writeFileSync(lock.lockPath, '');
    expect(pathError(() => lock.tryLock()).code).toBe('ERR_SHMKIT_LOCK_NOT_A_DIRECTORY');
  });

  it('refuses a directory that cannot be created', () => {
    const dir = tmpDir();
    writeFileSync(join(dir, 'plain'), '');
    expect(pathError(() => new FileLock(join(dir, 'plain', 'sub', 'res'))).code).toBe('ENOTDIR');
  });

  it('validates its options', () => {
    const path = join(tmpDir(), 'res');
    expect(() => new FileLock(path, { stale: 100 })).toThrow(LockArgumentError);
    expect(() => new FileLock(path, { update: 10 })).toThrow(LockArgumentError);
    expect(() => new FileLock(path, { retries: { factor: 0.5 } })).toThrow(LockArgumentError);
  });
});

describe('permission denials, as an unprivileged user', () => {
  const user = unprivilegedUser();
  it.skipIf(!user)('RecordLock and FileLock report EACCES for a directory they may not write', async () => {
    if (!user) return;
    const dir = tmpDir();
    chmodSync(dir, 0o755);
    const readOnly = join(dir, 'root-only');
    mkdirSync(readOnly, { mode: 0o755 });
    writeFileSync(join(readOnly, 'owned.lock'), '', { mode: 0o600 });
    const run = async (kind: string, path: string) => {
      const child = startChild('try-open.ts', [kind, path], { uid: user.uid, gid: user.gid });
      return JSON.parse((await child.succeeded()).trim().split('\n').pop() as string);
    };
    expect((await run('record', join(readOnly, 'sub', 'x.lock'))).code).toBe('EACCES');
    expect((await run('record', join(readOnly, 'owned.lock'))).code).toBe('EACCES');
    expect((await run('file', join(readOnly, 'res'))).code).toBe('EACCES');
  });
});

describe('shared-memory locks: bad places and garbage', () => {
  const kinds = [
    ['ShmMutex', ShmMutex],
    ['ShmRwLock', ShmRwLock],
  ] as const;

  it.each(kinds)('%s: unaligned, outside the buffer, negative or non-integer offsets', (_name, Kind) => {
    const buffer = new SharedArrayBuffer(1024);
    expect(() => Kind.init(buffer, 4)).toThrow(LockOffsetError);
    expect(() => Kind.init(buffer, 1024 - 8)).toThrow(LockOffsetError);
    expect(() => Kind.init(buffer, 1024)).toThrow(LockOffsetError);
    expect(() => Kind.init(buffer, -8)).toThrow(LockOffsetError);
    expect(() => Kind.init(buffer, 8.5)).toThrow(LockOffsetError);
    expect(() => Kind.init(new Uint8Array(buffer, 4, 512), 0)).toThrow(LockOffsetError); // 4 bytes in
    expect(() => Kind.init(new Uint8Array(buffer, 8, 512), 0)).not.toThrow(); // views are fine when aligned
    expect(() => Kind.init('memory' as never, 0)).toThrow(LockArgumentError);
    const err = (() => {
      try {
        Kind.init(buffer, 4);
      } catch (e) {
        return e as LockOffsetError;
      }
    })();
    expect(err?.code).toBe('ERR_SHMKIT_LOCK_BAD_OFFSET');
  });

  it.each(kinds)('%s: attach refuses zeroed memory, garbage, and the other kind', (_name, Kind) => {
    const buffer = new SharedArrayBuffer(1024);
    expect(() => Kind.at(buffer, 0)).toThrow(/was init\(\) called/);
    const bytes = new Uint8Array(buffer);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 73 + 41) & 0xff;
    expect(() => Kind.at(buffer, 0)).toThrow(LockLayoutError);
    const Other = Kind === (ShmMutex as unknown) ? ShmRwLock : ShmMutex;
    Other.init(buffer, 0);
    expect(() => Kind.at(buffer, 0)).toThrow(LockLayoutError);
  });

  it.each(kinds)('%s: attach refuses another layout version and an impossible owner word', (_name, Kind) => {
    const buffer = new SharedArrayBuffer(1024);
    Kind.init(buffer, 0);
    const i32 = new Int32Array(buffer);
    i32[1] = 99;
    expect(() => Kind.at(buffer, 0)).toThrow(/layout version 99/);
    Kind.init(buffer, 0);
    i32[2] = 0x3fc0_0001; // reserved bits set
    let error: unknown;
    try {
      Kind.at(buffer, 0);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(LockLayoutError);
    expect((error as LockLayoutError).code).toBe('ERR_SHMKIT_LOCK_BAD_LAYOUT');
  });

  it.each(kinds)('%s: an owner word naming no live process is taken over, recovered = true', (_name, Kind) => {
    const buffer = new SharedArrayBuffer(1024);
    const lock = Kind.init(buffer, 0);
    // A plausible holder that does not exist: pid 4194303 never runs (pid_max is at most 2^22).
    new BigUint64Array(buffer)[1] = (123n << 32n) | 0x3f_ffffn;
    const guard = lock.lock({ timeout: 5000 });
    expect(guard.recovered).toBe(true);
    guard.release();
  });

  it('an unmapped buffer is refused, and a handle over it throws instead of crashing', async () => {
    const { mapSharedFile, shmPath } = await import('./helpers/shared-file.js');
    const { uniqueName } = await import('@shmkit/testkit');
    const shared = mapSharedFile(shmPath(uniqueName('lock-unmapped')), 4096, true);
    const mutex = ShmMutex.init(shared.buffer, 0);
    munmap(shared.buffer);
    expect(() => ShmMutex.at(shared.buffer, 0)).toThrow(LockOffsetError);
    expect(() => mutex.lock()).toThrow(TypeError);
    shared.close();
  });

  it('rejects bad wait options', async () => {
    const mutex = ShmMutex.init(new SharedArrayBuffer(64), 0);
    expect(() => mutex.lock({ timeout: -1 })).toThrow(LockArgumentError);
    expect(() => mutex.lock({ timeout: Number.NaN })).toThrow(LockArgumentError);
    expect(() => mutex.lock({ signal: {} as AbortSignal })).toThrow(LockArgumentError);
    await expect(mutex.lockAsync({ timeout: -5 })).rejects.toBeInstanceOf(LockArgumentError);
  });
});
