import { type BigIntStats, closeSync, constants, fstatSync, openSync, statSync } from 'node:fs';
import { BackendCallError } from './backend.js';
import { RegionError } from './errors.js';
import type { PathOrFd } from './validate.js';

/** Device and inode, as one string: tells whether a path or descriptor still names the same file. */
export type FileIdentity = string;

export interface FileStat {
  size: number;
  identity: FileIdentity;
}

function describeKey(pathOrFd: PathOrFd): string {
  return typeof pathOrFd === 'number' ? `file descriptor ${pathOrFd}` : `'${pathOrFd}'`;
}

/** Turns a failed system call on `pathOrFd` into a RegionError with a stable code. */
export function fileError(err: unknown, pathOrFd: PathOrFd, syscall: string, writable: boolean): RegionError {
  const sysCode =
    err instanceof BackendCallError ? err.code : ((err as NodeJS.ErrnoException | undefined)?.code ?? 'UNKNOWN');
  const what = describeKey(pathOrFd);
  const details = { path: pathOrFd, syscall, sysCode, cause: err };
  switch (sysCode) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new RegionError('ERR_SHMKIT_REGION_FILE_NOT_FOUND', `${what} does not exist (${sysCode})`, details);
    case 'EISDIR':
      return new RegionError('ERR_SHMKIT_REGION_NOT_A_FILE', `${what} is a directory, not a regular file`, details);
    case 'EBADF':
      return new RegionError('ERR_SHMKIT_REGION_BAD_DESCRIPTOR', `${what} is not an open descriptor (EBADF)`, details);
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
    case 'ETXTBSY':
      return writable
        ? new RegionError(
            'ERR_SHMKIT_REGION_NOT_WRITABLE',
            `${what} cannot be mapped for writing (${sysCode} in ${syscall}): the file or descriptor is read-only`,
            details,
          )
        : new RegionError('ERR_SHMKIT_REGION_ACCESS_DENIED', `${what} cannot be read (${sysCode} in ${syscall})`, details);
    default:
      return new RegionError(
        syscall === 'mmap' ? 'ERR_SHMKIT_REGION_MAP_FAILED' : 'ERR_SHMKIT_REGION_OPEN_FAILED',
        `${syscall} of ${what} failed: ${sysCode}`,
        details,
      );
  }
}

function statOf(pathOrFd: PathOrFd, writable: boolean, fd?: number): FileStat {
  const descriptor = fd ?? (typeof pathOrFd === 'number' ? pathOrFd : undefined);
  let st: BigIntStats;
  try {
    st =
      descriptor !== undefined
        ? fstatSync(descriptor, { bigint: true })
        : statSync(pathOrFd as string, { bigint: true });
  } catch (err) {
    throw fileError(err, pathOrFd, descriptor !== undefined ? 'fstat' : 'stat', writable);
  }
  if (!st.isFile()) {
    const kind = st.isDirectory() ? 'a directory' : 'not a regular file';
    throw new RegionError('ERR_SHMKIT_REGION_NOT_A_FILE', `${describeKey(pathOrFd)} is ${kind}; only regular files can be mapped`, {
      path: pathOrFd,
    });
  }
  return { size: Number(st.size), identity: `${st.dev}:${st.ino}` };
}

/** Size and identity of a path or descriptor, for bookkeeping (no descriptor is kept). */
export function statFile(pathOrFd: PathOrFd): FileStat {
  return statOf(pathOrFd, false);
}

export interface OpenedFile extends FileStat {
  fd: number;
  /** True when the descriptor was opened here and must be closed by the caller of openForMapping. */
  owned: boolean;
}

/**
 * A descriptor ready to map: a path is opened (read-write when `writable`, never blocking on a
 * FIFO); a caller's descriptor is used as it is and never closed.
 */
export function openForMapping(pathOrFd: PathOrFd, writable: boolean): OpenedFile {
  if (typeof pathOrFd === 'number') return { fd: pathOrFd, owned: false, ...statOf(pathOrFd, writable) };
  let fd: number;
  try {
    fd = openSync(pathOrFd, (writable ? constants.O_RDWR : constants.O_RDONLY) | constants.O_NONBLOCK);
  } catch (err) {
    throw fileError(err, pathOrFd, 'open', writable);
  }
  try {
    return { fd, owned: true, ...statOf(pathOrFd, writable, fd) };
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}
