import { closeSync, constants, fstatSync, mkdirSync, openSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { LockArgumentError, LockPathError } from './errors.js';

/** Checks that a lock path is a usable string (the file system judges the rest). */
export function validateLockPath(kind: string, path: unknown): string {
  if (typeof path !== 'string' || path.length === 0) {
    throw new LockArgumentError(`${kind}: path must be a non-empty string`);
  }
  if (path.includes('\0')) throw new LockArgumentError(`${kind}: path must not contain NUL characters`);
  return path;
}

export function validateMode(kind: string, name: string, mode: unknown): number {
  if (typeof mode !== 'number' || !Number.isInteger(mode) || mode < 0 || mode > 0o7777) {
    throw new LockArgumentError(`${kind}: ${name} must be a permission mode such as 0o600, got ${String(mode)}`);
  }
  return mode;
}

const REASONS: Record<string, string> = {
  ELOOP: 'it is a symbolic link, and lock files are never opened through one',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a component of its directory is not a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOENT: 'its directory does not exist',
  ENAMETOOLONG: 'the name is too long',
};

/** Turns a file-system error about `path` into a LockPathError that says what is wrong with it. */
export function lockPathError(path: string, err: unknown, doing = ''): LockPathError {
  const code = (err as NodeJS.ErrnoException)?.code ?? 'EIO';
  const reason = REASONS[code] ?? String((err as Error)?.message ?? err);
  return new LockPathError(path, code, doing ? `${doing}: ${reason}` : reason, err);
}

/** Creates the directory that will hold a lock, with its parents; refuses with a LockPathError. */
export function ensureLockDirectory(lockPath: string, dirMode: number): void {
  const dir = dirname(lockPath);
  try {
    mkdirSync(dir, { recursive: true, mode: dirMode });
  } catch (err) {
    throw lockPathError(lockPath, err, `cannot create its directory '${dir}'`);
  }
}

function describeType(stat: Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/**
 * Opens (creating it, and its directory, if missing) a lock file for fcntl locking. The flags are
 * those of Python fasteners (read-write, create, append) plus O_NOFOLLOW, so that a symbolic link
 * planted at the lock's path is refused rather than followed, and O_NONBLOCK, so that a FIFO planted
 * there cannot block the open. The file is never written and never deleted.
 */
export function openLockFile(path: string, mode: number, dirMode: number): { fd: number; stat: Stats } {
  const flags =
    constants.O_RDWR | constants.O_CREAT | constants.O_APPEND | constants.O_NOFOLLOW | constants.O_NONBLOCK;
  let fd: number;
  try {
    fd = openSync(path, flags, mode);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw lockPathError(path, err);
    ensureLockDirectory(path, dirMode);
    try {
      fd = openSync(path, flags, mode);
    } catch (again) {
      throw lockPathError(path, again);
    }
  }
  const stat = fstatSync(fd);
  if (!stat.isFile()) {
    closeSync(fd);
    throw new LockPathError(path, 'ERR_SHMKIT_LOCK_NOT_A_FILE', `it is ${describeType(stat)}`);
  }
  return { fd, stat };
}
