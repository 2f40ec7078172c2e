import { closeSync, constants, fstatSync, lstatSync, openSync, type Stats } from 'node:fs';
import { MapRegion } from '@shmkit/region';
import { IpmmapError } from './errors.js';

/**
 * Checks the data file before any lock is taken: it must exist, be a regular file (a symbolic
 * link planted in its place is refused) and hold at least the whole struct. Python ipmmap finds
 * these problems only after locking, and then leaks the lock.
 */
export function probeDataFile(path: string, structSize: number): Stats {
  const st = lstatSync(path, { throwIfNoEntry: false });
  if (!st) {
    throw new IpmmapError(
      'ERR_SHMKIT_IPMMAP_FILE_MISSING',
      `${path} does not exist; create it with a DataStructMmapManager({ create: true })`,
    );
  }
  checkStats(path, st, structSize);
  return st;
}

function checkStats(path: string, st: Stats, structSize: number): void {
  if (!st.isFile()) {
    const what = st.isSymbolicLink() ? 'a symbolic link' : st.isDirectory() ? 'a directory' : 'not a regular file';
    throw new IpmmapError('ERR_SHMKIT_IPMMAP_NOT_A_FILE', `${path} is ${what}; an ipmmap data file must be a regular file`);
  }
  if (st.size < structSize) {
    throw new IpmmapError(
      'ERR_SHMKIT_IPMMAP_FILE_TOO_SMALL',
      `${path} holds ${st.size} bytes but the struct needs ${structSize}` +
        (st.size === 0 ? ' (the file is empty)' : ''),
    );
  }
}

/**
 * The data file of one handle, opened once and mapped once for as long as it stays the same file
 * (same device and inode): lock cycles then cost no open/mmap/munmap/close. When the path comes
 * to name another file (deleted and created again), the old mapping is dropped and the new file
 * mapped.
 */
export class DataFileMapping {
  readonly #path: string;
  readonly #size: number;
  readonly #writable: boolean;
  #fd = -1;
  #region: MapRegion | null = null;
  #dev = -1;
  #ino = -1;

  constructor(path: string, size: number, writable: boolean) {
    this.#path = path;
    this.#size = size;
    this.#writable = writable;
  }

  /** The mapped struct bytes for the file `st` describes (from probeDataFile), mapping it if needed. */
  bytes(st: Stats): Buffer {
    if (this.#region && st.ino === this.#ino && st.dev === this.#dev) {
      // Same file. Its size was checked by the probe; a file truncated since then by a process
      // that ignores the lock is caught here, before any byte is touched.
      const now = fstatSync(this.#fd);
      if (now.size < this.#size) checkStats(this.#path, now, this.#size);
      return this.#region.buffer();
    }
    this.release();
    const flags = (this.#writable ? constants.O_RDWR : constants.O_RDONLY) | constants.O_NOFOLLOW;
    let fd: number;
    try {
      fd = openSync(this.#path, flags);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ELOOP') {
        throw new IpmmapError('ERR_SHMKIT_IPMMAP_NOT_A_FILE', `${this.#path} is a symbolic link; refusing to follow it`);
      }
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new IpmmapError('ERR_SHMKIT_IPMMAP_FILE_MISSING', `${this.#path} disappeared`, { cause: err });
      }
      throw err;
    }
    try {
      const opened = fstatSync(fd);
      checkStats(this.#path, opened, this.#size);
      this.#region = new MapRegion(fd, 0, this.#size, { writable: this.#writable });
      this.#fd = fd;
      this.#dev = opened.dev;
      this.#ino = opened.ino;
      return this.#region.buffer();
    } catch (err) {
      closeSync(fd);
      throw err;
    }
  }

  /** A second, separate mapping of the same file, for live views that must die with a scope. */
  mapSeparately(): MapRegion {
    if (this.#fd < 0) throw new Error('internal: mapSeparately before bytes()');
    return new MapRegion(this.#fd, 0, this.#size, { writable: this.#writable });
  }

  release(): void {
    const region = this.#region;
    const fd = this.#fd;
    this.#region = null;
    this.#fd = -1;
    this.#dev = this.#ino = -1;
    try {
      region?.release();
    } finally {
      if (fd >= 0) closeSync(fd);
    }
  }
}
