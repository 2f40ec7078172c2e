import { closeSync, constants, fstatSync, lstatSync, openSync, type Stats } from 'node:fs';
import { MapRegion } from '@shmkit/region';
import { IpmmapError } from './errors.js';

/**
 * Checks the data file before any lock is taken: it must exist, be a regular file (a symbolic
 * link planted in its place is refused) and hold at least the whole struct. Python ipmmap finds
 * these problems only after locking, and then leaks the lock.
 */
function probeDataFile(path: string, structSize: number): Stats {
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
 * The data file of one handle, opened once and mapped once for as long as it stays the same file:
 * lock cycles then cost no open/mmap/munmap/close. Before each lock, `probe()` checks the file:
 * one fstat of the open descriptor while it is still linked under its name and big enough (a file
 * deleted or replaced by a rename has no link left), otherwise an lstat of the path, and the new
 * file is mapped by `bytes()` once the lock is held.
 */
export class DataFileMapping {
  readonly #path: string;
  readonly #size: number;
  readonly #writable: boolean;
  #fd = -1;
  #region: MapRegion | null = null;

  constructor(path: string, size: number, writable: boolean) {
    this.#path = path;
    this.#size = size;
    this.#writable = writable;
  }

  /**
   * Checks the file before locking. Returns null when the current mapping is still the file's,
   * or the path's stats when the file has to be (re)mapped. Throws for a missing, non-regular or
   * too small file.
   */
  probe(): Stats | null {
    if (this.#region) {
      const st = fstatSync(this.#fd);
      if (st.nlink > 0 && st.size >= this.#size) return null;
    }
    return probeDataFile(this.#path, this.#size);
  }

  /** The mapped struct bytes; `probed` is what probe() returned (call it with the lock held). */
  bytes(probed: Stats | null): Buffer {
    if (probed === null && this.#region) return this.#region.buffer();
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
      const region = new MapRegion(fd, 0, this.#size, { writable: this.#writable });
      // The region is clamped to the file's length: checked again here because the file may have
      // changed between the probe and the open.
      if (region.size() < this.#size) {
        region.release();
        checkStats(this.#path, fstatSync(fd), this.#size);
      }
      this.#region = region;
      this.#fd = fd;
      return region.buffer();
    } catch (err) {
      closeSync(fd);
      if ((err as { code?: unknown }).code === 'ERR_SHMKIT_REGION_EMPTY_FILE') {
        throw new IpmmapError('ERR_SHMKIT_IPMMAP_FILE_TOO_SMALL', `${this.#path} is empty`, { cause: err });
      }
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
    try {
      region?.release();
    } finally {
      if (fd >= 0) closeSync(fd);
    }
  }
}
