import { existsSync, lstatSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { RecordLock } from '@shmkit/lock';
import { MapRegion } from '@shmkit/region';
import { Key, PosixSharedMemory, ShmId, SysvSharedMemory } from '@shmkit/shm';
import { targetError, usageError } from './cli-error.js';

export type Target =
  | { kind: 'posix'; name: string; label: string }
  | { kind: 'sysv-key'; key: number; label: string }
  | { kind: 'sysv-id'; id: number; label: string }
  | { kind: 'file'; path: string; lockPath: string | null; label: string };

export const TARGET_HELP = `targets:
  posix:/name          a POSIX shared memory object (/dev/shm/name)
  sysv:KEY             a System V segment by key (decimal or 0x hex)
  sysv-id:ID           a System V segment by id
  PATH                 a file; a .mmap file is an ipmmap file, read under its lock
                       (the lock file is <fastener-dir>/<name>.lockfile, by default the
                       .fasteners directory beside the file's directory)`;

function parseInteger(text: string, what: string): number {
  const n = /^0x[0-9a-f]+$/i.test(text) ? Number.parseInt(text, 16) : /^-?\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n)) throw usageError(`${what} must be an integer (decimal or 0x hex), got '${text}'`);
  return n;
}

/** The lock file Python ipmmap pairs with a data file: same stem, `.lockfile`, in the fasteners directory. */
export function lockFileFor(dataPath: string, fastenerDir?: string): string {
  const dir = fastenerDir ? resolve(fastenerDir) : join(dirname(dirname(dataPath)), '.fasteners');
  return join(dir, `${basename(dataPath, '.mmap')}.lockfile`);
}

export function parseTarget(text: string | undefined, fastenerDir?: string): Target {
  if (!text) throw usageError(`a target is required\n${TARGET_HELP}`);
  if (text.startsWith('posix:')) {
    const name = text.slice('posix:'.length);
    return { kind: 'posix', name, label: `POSIX shared memory ${name}` };
  }
  if (text.startsWith('sysv:')) {
    const key = parseInteger(text.slice(5), 'a System V key');
    return { kind: 'sysv-key', key, label: `System V segment with key 0x${(key >>> 0).toString(16)}` };
  }
  if (text.startsWith('sysv-id:')) {
    const id = parseInteger(text.slice(8), 'a System V id');
    return { kind: 'sysv-id', id, label: `System V segment ${id}` };
  }
  const path = resolve(text);
  const st = lstatSync(path, { throwIfNoEntry: false });
  if (!st) {
    const hint = /^\/[^/]+$/.test(text) ? ` (for a POSIX object write posix:${text})` : '';
    throw targetError(`${text}: no such file${hint}`);
  }
  if (!st.isFile()) throw targetError(`${text}: not a regular file`);
  const lockPath = path.endsWith('.mmap') ? lockFileFor(path, fastenerDir) : null;
  return {
    kind: 'file',
    path,
    lockPath: lockPath && existsSync(lockPath) ? lockPath : null,
    label: lockPath ? `ipmmap file ${path}` : `file ${path}`,
  };
}

/** The memory of a target, open for reading. */
export interface OpenTarget extends Disposable {
  bytes: Buffer;
  /** Takes the target's read lock (ipmmap files) for the duration of `fn`. */
  locked<R>(fn: () => R, timeoutMs: number): R;
}

function systemCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' ? code : undefined;
}

function openFailed(target: Target, err: unknown) {
  const code = systemCode(err);
  const why =
    code === 'ENOENT' || code === 'EINVAL' || code === 'EIDRM'
      ? 'does not exist'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : (err as Error)?.message ?? String(err);
  return targetError(`cannot open ${target.label}: ${why}${code && !why.includes(code) ? ` (${code})` : ''}`, err);
}

export function openTarget(target: Target): OpenTarget {
  try {
    switch (target.kind) {
      case 'posix': {
        const mem = PosixSharedMemory.open(target.name, { readonly: true });
        return { bytes: mem.buffer, locked: (fn) => fn(), [Symbol.dispose]: () => mem.close() };
      }
      case 'sysv-key':
      case 'sysv-id': {
        const mem = SysvSharedMemory.open(target.kind === 'sysv-key' ? new Key(target.key) : new ShmId(target.id), {
          readonly: true,
        });
        return { bytes: mem.buffer, locked: (fn) => fn(), [Symbol.dispose]: () => mem.close() };
      }
      case 'file': {
        const region = new MapRegion(target.path, 0);
        const lock = target.lockPath ? new RecordLock(target.lockPath) : null;
        return {
          bytes: region.buffer(),
          locked: (fn, timeout) => {
            if (!lock) return fn();
            using _guard = lock.readLock({ timeout });
            return fn();
          },
          [Symbol.dispose]: () => {
            region.release();
            lock?.close();
          },
        };
      }
    }
  } catch (err) {
    throw openFailed(target, err);
  }
}
