import { RegionError } from './errors.js';
import { type FileIdentity, statFile } from './file.js';
import type { MapRegion } from './map-region.js';
import type { PathOrFd } from './validate.js';

/**
 * The regions of one file, sorted by offset and never overlapping (smmap's MapRegionList). The
 * file size is cached and refreshed whenever a region is mapped or an offset past the cached end
 * is asked for, so a growing file is seen. The device/inode pair recorded at the start detects a
 * descriptor that was closed and reused, or a path that now names another file.
 */
export class MapRegionList {
  readonly regions: MapRegion[] = [];
  /** Open cursors associated with this list; the manager forgets an empty list when none remain. */
  cursorCount = 0;
  readonly #key: PathOrFd;
  #fileSize: number;
  readonly #identity: FileIdentity;

  constructor(pathOrFd: PathOrFd) {
    this.#key = pathOrFd;
    const st = statFile(pathOrFd);
    this.#fileSize = st.size;
    this.#identity = st.identity;
  }

  pathOrFd(): PathOrFd {
    return this.#key;
  }

  fileSize(): number {
    return this.#fileSize;
  }

  /** Re-reads the file size (stat/fstat) and returns it. */
  refresh(): number {
    const st = statFile(this.#key);
    this.noteFile(st.identity, st.size);
    return st.size;
  }

  sameFile(identity: FileIdentity): boolean {
    return identity === this.#identity;
  }

  /** Records what a fresh stat or mapping saw; throws if the key now names a different file. */
  noteFile(identity: FileIdentity, size: number): void {
    if (identity !== this.#identity) {
      const what = typeof this.#key === 'number' ? `file descriptor ${this.#key}` : `'${this.#key}'`;
      throw new RegionError(
        'ERR_SHMKIT_REGION_FILE_CHANGED',
        `${what} now refers to a different file than when its first cursor was made (closed and reused descriptor, or replaced file); make a new cursor`,
        { path: this.#key },
      );
    }
    this.#fileSize = size;
  }

  /** Index of the region containing `ofs`, or -1 (binary search). */
  indexOf(ofs: number): number {
    const regions = this.regions;
    let lo = 0;
    let hi = regions.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const r = regions[mid]!;
      if (r.ofsBegin() <= ofs) {
        if (ofs < r.ofsEnd()) return mid;
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return -1;
  }

  /** Index of the first region beginning after `ofs`: where a region for `ofs` goes. */
  insertionIndex(ofs: number): number {
    const regions = this.regions;
    let lo = 0;
    let hi = regions.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (regions[mid]!.ofsBegin() > ofs) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}
