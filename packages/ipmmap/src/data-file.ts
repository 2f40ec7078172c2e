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

/** One mapping of the data file, shared by the scopes that use it. */
export interface MappedFile {
  readonly bytes: Buffer;
}

interface Generation extends MappedFile {
  fd: number;
  region: MapRegion;
  /** Scopes using this mapping right now. */
  users: number;
  /** Replaced by a newer mapping (or closed): unmapped as soon as its last user is done. */
  retired: boolean;
}

/**
 * The data file of a struct, opened once and mapped once for as long as it stays the same file:
 * lock cycles then cost no open/mmap/munmap/close. Before each lock, `probe()` checks the file:
 * one fstat of the open descriptor while it is still linked under its name and big enough (a file
 * deleted or replaced by a rename has no link left), otherwise an lstat of the path. `enter()`,
 * with the lock held, hands out the current mapping, or maps the new file; a mapping that is
 * replaced stays valid until the scopes still using it have ended.
 */
export class DataFileMapping {
  readonly #path: string;
  readonly #size: number;
  readonly #writable: boolean;
  #current: Generation | null = null;

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
    const current = this.#current;
    if (current) {
      const st = fstatSync(current.fd);
      if (st.nlink > 0 && st.size >= this.#size) return null;
    }
    return probeDataFile(this.#path, this.#size);
  }

  /** The mapping for a scope (call with the lock held; `probed` is what probe() returned). Pair with leave(). */
  enter(probed: Stats | null): MappedFile {
    let current = this.#current;
    if (probed !== null || !current) {
      const next = this.#map();
      if (current) this.#retire(current);
      this.#current = current = next;
    }
    current.users += 1;
    return current;
  }

  /** Ends a scope's use of a mapping returned by enter(). */
  leave(mapped: MappedFile): void {
    const gen = mapped as Generation;
    gen.users -= 1;
    if (gen.retired && gen.users === 0) unmap(gen);
  }

  /** A second, separate mapping of the same file, for live views that must die with a scope. */
  mapSeparately(mapped: MappedFile): MapRegion {
    return new MapRegion((mapped as Generation).fd, 0, this.#size, { writable: this.#writable });
  }

  /** Unmaps the file (at once, or when the last scope using it ends). */
  close(): void {
    const current = this.#current;
    this.#current = null;
    if (current) this.#retire(current);
  }

  #retire(gen: Generation): void {
    gen.retired = true;
    if (gen.users === 0) unmap(gen);
  }

  #map(): Generation {
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
      return { fd, region, bytes: region.buffer(), users: 0, retired: false };
    } catch (err) {
      closeSync(fd);
      if ((err as { code?: unknown }).code === 'ERR_SHMKIT_REGION_EMPTY_FILE') {
        throw new IpmmapError('ERR_SHMKIT_IPMMAP_FILE_TOO_SMALL', `${this.#path} is empty`, { cause: err });
      }
      throw err;
    }
  }
}

function unmap(gen: Generation): void {
  try {
    gen.region.release();
  } finally {
    closeSync(gen.fd);
  }
}
