import { closeSync } from 'node:fs';
import { type Advice, backend } from './backend.js';
import { ALLOCATION_GRANULARITY, MAX_MAPPING_SIZE } from './constants.js';
import { RegionError, RegionRangeError } from './errors.js';
import { type FileStat, fileError, openForMapping } from './file.js';
import { kNewer, kOlder, type RecencyLinks } from './recency-list.js';
import { type PathOrFd, validateOffset, validatePathOrFd, validatePositiveSize } from './validate.js';

/** Called once with the mapped size when a region is released, whatever released it; the owning manager updates its books. */
export const kOnRelease: unique symbol = Symbol('shmkit.region.onRelease');
/** Size and identity of the file at the moment it was mapped. */
export const kFileStat: unique symbol = Symbol('shmkit.region.fileStat');

export interface MapRegionOptions {
  /** Map MAP_SHARED and read-write: writes reach the file and every other process mapping it. Default false. */
  writable?: boolean;
}

export interface SyncOptions {
  /** First byte to flush, relative to the region. Default 0. */
  offset?: number;
  /** Bytes to flush. Default: to the end of the region. */
  length?: number;
  /** true (default): wait until the data is written (MS_SYNC); false: schedule it (MS_ASYNC). */
  wait?: boolean;
}

const ADVICE = new Set<Advice>(['normal', 'random', 'sequential', 'willneed', 'dontneed']);

/**
 * One mapping of part of a file, `[ofsBegin(), ofsEnd())`. A path is opened for the mapping and
 * closed right after; a caller's descriptor is never closed. The size is clamped to the end of the
 * file and to MAX_MAPPING_SIZE. The client count starts at 1 (the
 * owner's reference); reaching 0 releases the mapping.
 *
 * Read-only regions (the default) are private copy-on-write mappings: a write through `buffer()`
 * changes this process's copy only. Writable regions are MAP_SHARED.
 *
 * After `release()` every view handed out becomes empty (length 0) and every method except
 * `release()` throws ERR_SHMKIT_REGION_RELEASED.
 */
export class MapRegion implements RecencyLinks<MapRegion> {
  #buffer: Buffer;
  readonly #begin: number;
  readonly #size: number;
  readonly #writable: boolean;
  readonly #pathOrFd: PathOrFd;
  #clients = 1;
  #released = false;

  [kOnRelease]: ((region: MapRegion, size: number) => void) | undefined = undefined;
  // The owning manager's least-recently-used order (acquisition and release by cursors count as use).
  [kOlder]: MapRegion | undefined = undefined;
  [kNewer]: MapRegion | undefined = undefined;
  readonly [kFileStat]: FileStat;

  constructor(pathOrFd: PathOrFd, ofs: number, size: number = Number.POSITIVE_INFINITY, options: MapRegionOptions = {}) {
    validatePathOrFd(pathOrFd);
    validateOffset('ofs', ofs);
    validatePositiveSize('size', size);
    if (options === null || typeof options !== 'object') {
      throw new RegionError('ERR_SHMKIT_REGION_INVALID_ARGUMENT', 'options must be an object');
    }
    const writable = options.writable ?? false;
    if (typeof writable !== 'boolean') {
      throw new RegionError('ERR_SHMKIT_REGION_INVALID_ARGUMENT', 'options.writable must be a boolean');
    }
    if (ofs % ALLOCATION_GRANULARITY !== 0) {
      throw new RegionRangeError(
        'ERR_SHMKIT_REGION_UNALIGNED_OFFSET',
        `ofs ${ofs} is not a multiple of the allocation granularity (${ALLOCATION_GRANULARITY}); use alignToMmap(ofs, false)`,
      );
    }
    const file = openForMapping(pathOrFd, writable);
    try {
      const what = typeof pathOrFd === 'number' ? `file descriptor ${pathOrFd}` : `'${pathOrFd}'`;
      if (file.size === 0) {
        throw new RegionError('ERR_SHMKIT_REGION_EMPTY_FILE', `${what} is empty; a zero-length file cannot be mapped`, {
          path: pathOrFd,
        });
      }
      if (ofs >= file.size) {
        throw new RegionRangeError(
          'ERR_SHMKIT_REGION_OUT_OF_RANGE',
          `ofs ${ofs} is at or past the end of ${what} (${file.size} bytes)`,
        );
      }
      const length = Math.min(file.size - ofs, size, MAX_MAPPING_SIZE);
      try {
        this.#buffer = backend.map(file.fd, ofs, length, writable);
      } catch (err) {
        if (err instanceof RegionError) throw err;
        throw fileError(err, pathOrFd, 'mmap', writable);
      }
      this.#begin = ofs;
      this.#size = length;
      this.#writable = writable;
      this.#pathOrFd = pathOrFd;
      this[kFileStat] = { size: file.size, identity: file.identity };
    } finally {
      if (file.owned) closeSync(file.fd);
    }
  }

  #live(): void {
    if (this.#released) {
      throw new RegionError(
        'ERR_SHMKIT_REGION_RELEASED',
        `the region [${this.#begin}, ${this.#begin + this.#size}) was released; map it again to use it`,
      );
    }
  }

  /** True after release(): the mapping is gone and every view of it is empty. */
  get released(): boolean {
    return this.#released;
  }

  /** The mapped bytes, zero-copy. The view becomes empty (length 0) when the region is released. */
  buffer(): Buffer {
    this.#live();
    return this.#buffer;
  }

  /** The whole mapping (same as buffer(); smmap has both names). */
  map(): Buffer {
    this.#live();
    return this.#buffer;
  }

  ofsBegin(): number {
    this.#live();
    return this.#begin;
  }

  ofsEnd(): number {
    this.#live();
    return this.#begin + this.#size;
  }

  /** The real mapped length: the request clamped to the end of the file and to MAX_MAPPING_SIZE. */
  size(): number {
    this.#live();
    return this.#size;
  }

  includesOfs(ofs: number): boolean {
    this.#live();
    return this.#begin <= ofs && ofs < this.#begin + this.#size;
  }

  isWritable(): boolean {
    this.#live();
    return this.#writable;
  }

  /** The path or descriptor the region was mapped from. */
  pathOrFd(): PathOrFd {
    this.#live();
    return this.#pathOrFd;
  }

  clientCount(): number {
    this.#live();
    return this.#clients;
  }

  /**
   * Adds `n` (which may be negative) to the client count. Returns true when the count reached 0
   * and the region was released.
   */
  incrementClientCount(n = 1): boolean {
    this.#live();
    if (!Number.isSafeInteger(n)) {
      throw new RegionRangeError('ERR_SHMKIT_REGION_INVALID_ARGUMENT', `n must be a safe integer, got ${String(n)}`);
    }
    if (this.#clients + n < 0) {
      throw new RegionRangeError(
        'ERR_SHMKIT_REGION_INVALID_ARGUMENT',
        `client count ${this.#clients} cannot be decremented by ${-n}: it would go below 0`,
      );
    }
    this.#clients += n;
    if (this.#clients === 0) {
      this.release();
      return true;
    }
    return false;
  }

  /** Flushes written bytes to the file (msync). A no-op in effect for read-only regions. */
  sync(options: SyncOptions = {}): void {
    this.#live();
    const { offset, length } = this.#subRange(options.offset, options.length);
    const start = offset - (offset % ALLOCATION_GRANULARITY);
    try {
      backend.sync(this.#buffer, start, offset + length - start, options.wait ?? true);
    } catch (err) {
      throw new RegionError('ERR_SHMKIT_REGION_SYNC_FAILED', `msync failed: ${(err as Error).message}`, {
        path: this.#pathOrFd,
        syscall: 'msync',
        sysCode: (err as { code?: string }).code,
        cause: err,
      });
    }
  }

  /** Tells the kernel how the range will be accessed (madvise). Purely a hint; data never changes. */
  advise(advice: Advice, offset?: number, length?: number): void {
    this.#live();
    if (!ADVICE.has(advice)) {
      throw new RegionError(
        'ERR_SHMKIT_REGION_INVALID_ARGUMENT',
        `advice must be one of ${[...ADVICE].join(', ')}, got ${String(advice)}`,
      );
    }
    const range = this.#subRange(offset, length);
    const start = range.offset - (range.offset % ALLOCATION_GRANULARITY);
    try {
      backend.advise(this.#buffer, start, range.offset + range.length - start, advice);
    } catch (err) {
      throw new RegionError('ERR_SHMKIT_REGION_ADVISE_FAILED', `madvise failed: ${(err as Error).message}`, {
        path: this.#pathOrFd,
        syscall: 'madvise',
        sysCode: (err as { code?: string }).code,
        cause: err,
      });
    }
  }

  #subRange(offset = 0, length?: number): { offset: number; length: number } {
    validateOffset('offset', offset);
    if (offset > this.#size) {
      throw new RegionRangeError('ERR_SHMKIT_REGION_OUT_OF_RANGE', `offset ${offset} is past the region's ${this.#size} bytes`);
    }
    const len = length ?? this.#size - offset;
    validateOffset('length', len);
    if (offset + len > this.#size) {
      throw new RegionRangeError(
        'ERR_SHMKIT_REGION_OUT_OF_RANGE',
        `range [${offset}, ${offset + len}) runs past the region's ${this.#size} bytes`,
      );
    }
    return { offset, length: len };
  }

  /**
   * Unmaps now. Every Buffer handed out becomes empty at once and the mapping is gone when this
   * returns (both backends). Idempotent.
   */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    const buffer = this.#buffer;
    this.#buffer = Buffer.alloc(0);
    backend.unmap(buffer);
    const onRelease = this[kOnRelease];
    this[kOnRelease] = undefined;
    onRelease?.(this, this.#size);
  }

  [Symbol.dispose](): void {
    this.release();
  }
}
