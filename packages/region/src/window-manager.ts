import { MAX_MAPPING_SIZE } from './constants.js';
import { RegionError } from './errors.js';
import {
  type CursorHost,
  kAttach,
  kAttachList,
  kCheckOpen,
  kDetach,
  kObtain,
  kTouch,
} from './manager-internals.js';
import { kFileStat, kOnRelease, MapRegion } from './map-region.js';
import { kNewer, RecencyList } from './recency-list.js';
import { statFile } from './file.js';
import { MapRegionList } from './region-list.js';
import { type PathOrFd, validateOffset, validatePathOrFd } from './validate.js';
import { WindowCursor } from './window-cursor.js';

const MiB = 1024 * 1024;
const is64Bit = /64/.test(process.arch);

/** smmap's defaults: 1024 MiB windows and an 8192 MiB budget on 64-bit hosts (64 / 1024 MiB on 32-bit). */
export const DEFAULT_WINDOW_SIZE: number = (is64Bit ? 1024 : 64) * MiB;
export const DEFAULT_MAX_MEMORY_SIZE: number = (is64Bit ? 8192 : 1024) * MiB;

export interface WindowManagerOptions {
  /**
   * Most bytes one region maps. Static manager: default 0 (each file is mapped whole). Sliding
   * manager: a negative value or none means the default (1024 MiB on 64-bit hosts); 0 means
   * windows as large as the file.
   */
  windowSize?: number;
  /** Soft limit on mapped bytes; 0 or none means the default (8192 MiB on 64-bit hosts). */
  maxMemorySize?: number;
  /** Most regions mapped at once (both managers enforce it); default unlimited. */
  maxOpenHandles?: number;
  /** Map files MAP_SHARED and read-write: writes reach the file and other processes. Default false. */
  writable?: boolean;
}

function isRetryable(err: unknown): boolean {
  // Out of memory or descriptors: freeing unused regions may help. Anything else will not.
  return err instanceof RegionError && (err.code === 'ERR_SHMKIT_REGION_MAP_FAILED' || err.code === 'ERR_SHMKIT_REGION_OPEN_FAILED');
}

/**
 * Maps each file whole, as one region (smmap's StaticWindowMapManager), sharing it between all
 * cursors of that file. The base of SlidingWindowMapManager, which maps windows instead.
 */
export class StaticWindowMapManager implements CursorHost {
  readonly #files = new Map<PathOrFd, MapRegionList>();
  readonly #windowSize: number;
  readonly #maxMemory: number;
  readonly #maxHandles: number;
  readonly #writable: boolean;
  #mapped = 0;
  #handles = 0;
  /** Every mapped region of this manager, least recently used first. */
  readonly #recency = new RecencyList<MapRegion>();
  #closed = false;

  constructor(options: WindowManagerOptions = {}) {
    this.#windowSize = this.resolveWindowSize(options.windowSize);
    const maxMemory = options.maxMemorySize ?? 0;
    validateOffset('maxMemorySize', maxMemory);
    this.#maxMemory = maxMemory === 0 ? DEFAULT_MAX_MEMORY_SIZE : maxMemory;
    const maxHandles = options.maxOpenHandles ?? Number.MAX_SAFE_INTEGER;
    validateOffset('maxOpenHandles', maxHandles);
    if (maxHandles === 0) {
      throw new RegionError('ERR_SHMKIT_REGION_INVALID_ARGUMENT', 'maxOpenHandles must be at least 1');
    }
    this.#maxHandles = maxHandles;
    if (options.writable !== undefined && typeof options.writable !== 'boolean') {
      throw new RegionError('ERR_SHMKIT_REGION_INVALID_ARGUMENT', 'writable must be a boolean');
    }
    this.#writable = options.writable ?? false;
  }

  /** The window size this manager uses, given the constructor option. */
  protected resolveWindowSize(option: number | undefined): number {
    const size = option ?? 0;
    validateOffset('windowSize', size);
    return size;
  }

  /** A cursor on `pathOrFd`, associated but not yet valid. Paths make better keys than descriptors. */
  makeCursor(pathOrFd: PathOrFd): WindowCursor {
    return new WindowCursor(this, pathOrFd);
  }

  /** Unmaps every region no cursor uses; returns how many were unmapped. */
  collect(): number {
    return this.#collectLru(() => false);
  }

  /** Unmaps every region of one file, even regions cursors use (their views become empty); returns how many. */
  releaseFile(pathOrFd: PathOrFd): number {
    validatePathOrFd(pathOrFd);
    const list = this.#files.get(pathOrFd);
    if (!list) return 0;
    const regions = [...list.regions];
    for (const r of regions) r.release();
    return regions.length;
  }

  /** Regions currently mapped. */
  numFileHandles(): number {
    return this.#handles;
  }

  /** Files with at least one mapped region. */
  numOpenFiles(): number {
    let n = 0;
    for (const list of this.#files.values()) if (list.regions.length > 0) n += 1;
    return n;
  }

  mappedMemorySize(): number {
    return this.#mapped;
  }

  maxFileHandles(): number {
    return this.#maxHandles;
  }

  maxMappedMemorySize(): number {
    return this.#maxMemory;
  }

  windowSize(): number {
    return this.#windowSize;
  }

  isWritable(): boolean {
    return this.#writable;
  }

  /** Unmaps every region, used or not; cursors of this manager can no longer map anything. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const list of [...this.#files.values()]) {
      for (const r of [...list.regions]) r.release();
    }
    this.#files.clear();
  }

  [Symbol.dispose](): void {
    this.close();
  }

  // ---- for cursors -------------------------------------------------------------------------

  [kCheckOpen](): void {
    if (this.#closed) {
      throw new RegionError('ERR_SHMKIT_REGION_MANAGER_CLOSED', 'this window manager was closed; it maps nothing more');
    }
  }

  [kAttach](pathOrFd: PathOrFd): MapRegionList {
    this[kCheckOpen]();
    validatePathOrFd(pathOrFd);
    let list = this.#files.get(pathOrFd);
    if (list !== undefined) {
      const now = statFile(pathOrFd);
      if (!list.sameFile(now.identity)) {
        if (list.cursorCount > 0) list.noteFile(now.identity, now.size); // throws FILE_CHANGED
        // Only cached regions of a file this key no longer names: drop them, start afresh.
        for (const r of [...list.regions]) r.release();
        this.#files.delete(pathOrFd);
        list = undefined;
      } else {
        list.noteFile(now.identity, now.size);
      }
    }
    if (list === undefined) {
      list = new MapRegionList(pathOrFd);
      this.#files.set(pathOrFd, list);
    }
    list.cursorCount += 1;
    return list;
  }

  [kAttachList](list: MapRegionList): void {
    list.cursorCount += 1;
  }

  [kDetach](list: MapRegionList): void {
    list.cursorCount -= 1;
    this.#forgetIfIdle(list);
  }

  [kTouch](region: MapRegion): void {
    // A region released meanwhile (its count driven to 0) must not come back into the order.
    if (!region.released) this.#recency.touch(region);
  }

  [kObtain](list: MapRegionList, offset: number, size: number): MapRegion {
    this[kCheckOpen]();
    return this.obtainRegion(list, offset, size);
  }

  // ---- for subclasses ----------------------------------------------------------------------

  /** The static policy: one region per file, the whole file. */
  protected obtainRegion(list: MapRegionList, offset: number, _size: number): MapRegion {
    const region =
      list.regions[0] ??
      this.mapWithRetry(() => {
        this.makeRoom(Math.min(list.fileSize(), MAX_MAPPING_SIZE));
        return this.mapInto(list, 0, Number.POSITIVE_INFINITY, 0);
      });
    if (!region.includesOfs(offset)) {
      throw new RegionError(
        'ERR_SHMKIT_REGION_TOO_LARGE',
        `offset ${offset} lies past the first ${MAX_MAPPING_SIZE} bytes, the longest single mapping Node allows; use a SlidingWindowMapManager for this file (${list.fileSize()} bytes)`,
        { path: list.pathOrFd() },
      );
    }
    return region;
  }

  /** Runs `attempt`; when mapping fails for lack of memory or descriptors, collects unused regions and tries once more. */
  protected mapWithRetry(attempt: () => MapRegion): MapRegion {
    try {
      return attempt();
    } catch (err) {
      if (!isRetryable(err) || this.collect() === 0) throw err;
      return attempt();
    }
  }

  /**
   * Frees least-recently-used unused regions until `bytes` more fit the memory budget and one
   * more region fits the handle limit; returns how many were freed. The memory budget is soft:
   * when nothing more can be freed it may be exceeded. The handle limit is hard.
   */
  protected makeRoom(bytes: number): number {
    const freed = this.#collectLru(() => this.#mapped + bytes <= this.#maxMemory && this.#handles < this.#maxHandles);
    if (this.#handles >= this.#maxHandles) {
      throw new RegionError(
        'ERR_SHMKIT_REGION_TOO_MANY_HANDLES',
        `cannot map another region: ${this.#handles} regions are mapped, every one is in use by a cursor, and maxOpenHandles is ${this.#maxHandles}; release cursors (unuseRegion(), close()) or raise maxOpenHandles`,
      );
    }
    return freed;
  }

  /** True when `bytes` more would stay within the memory budget and one more region within the handle limit. */
  protected fits(bytes: number): boolean {
    return this.#mapped + bytes <= this.#maxMemory && this.#handles < this.#maxHandles;
  }

  /** Maps `[ofs, ofs + size)` of the list's file and inserts the region at `index`. */
  protected mapInto(list: MapRegionList, ofs: number, size: number, index: number): MapRegion {
    const region = new MapRegion(list.pathOrFd(), ofs, size, { writable: this.#writable });
    const stat = region[kFileStat];
    try {
      list.noteFile(stat.identity, stat.size);
    } catch (err) {
      region.release();
      throw err;
    }
    list.regions.splice(index, 0, region);
    this.#mapped += region.size();
    this.#handles += 1;
    region[kOnRelease] = (r, bytes) => this.#forget(list, r, bytes);
    this[kTouch](region);
    return region;
  }

  #forget(list: MapRegionList, region: MapRegion, bytes: number): void {
    const i = list.regions.indexOf(region);
    if (i >= 0) list.regions.splice(i, 1);
    this.#recency.remove(region);
    this.#mapped -= bytes;
    this.#handles -= 1;
    this.#forgetIfIdle(list);
  }

  #forgetIfIdle(list: MapRegionList): void {
    if (list.cursorCount <= 0 && list.regions.length === 0 && this.#files.get(list.pathOrFd()) === list) {
      this.#files.delete(list.pathOrFd());
    }
  }

  /** Unmaps unused regions, least recently used first, until `done()` holds; returns the count. */
  #collectLru(done: () => boolean): number {
    let freed = 0;
    let region = this.#recency.oldest();
    while (region !== undefined && !done()) {
      // Read the link first: unmapping takes the region out of the order.
      const newer = region[kNewer];
      if (region.clientCount() === 1) {
        region.incrementClientCount(-1);
        freed += 1;
      }
      region = newer;
    }
    return freed;
  }
}
