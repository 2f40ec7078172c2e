import { RegionError, RegionRangeError } from './errors.js';
import { type CursorHost, kAttach, kAttachList, kCheckOpen, kDetach, kObtain, kTouch } from './manager-internals.js';
import type { MapRegion } from './map-region.js';
import type { MapRegionList } from './region-list.js';
import type { PathOrFd } from './validate.js';

/** What a cursor holds; also what the safety-net finaliser needs to give it back. */
interface CursorState {
  host: CursorHost | undefined;
  list: MapRegionList | undefined;
  region: MapRegion | undefined;
}

function giveBack(state: CursorState): void {
  const { host, list, region } = state;
  state.region = undefined;
  state.list = undefined;
  if (region !== undefined && !region.released) {
    region.incrementClientCount(-1);
    host?.[kTouch](region);
  }
  if (host !== undefined && list !== undefined) host[kDetach](list);
}

// A cursor dropped without close() still gives its region back when it is garbage collected.
const forgotten = new FinalizationRegistry<CursorState>(giveBack);

const EMPTY = Buffer.alloc(0);

function badOffset(name: string, value: unknown): RegionRangeError {
  return new RegionRangeError(
    'ERR_SHMKIT_REGION_INVALID_ARGUMENT',
    `${name} must be a non-negative safe integer, got ${String(value)}`,
  );
}

/**
 * A moving view into one file through the regions of its manager (smmap's WindowCursor). Make
 * one with `manager.makeCursor(pathOrFd)`, point it with `useRegion(offset, size)`, read or write
 * through `buffer()`. `using c = manager.makeCursor(p)` closes it at the end of the scope.
 */
export class WindowCursor {
  readonly #state: CursorState;
  #ofs = 0;
  #size = 0;
  #closed = false;
  // The current region's bounds and bytes, cached for the fast path (valid while #state.region is set).
  #regionBegin = 0;
  #regionEnd = 0;
  #regionBytes: Buffer = EMPTY;

  /**
   * `new WindowCursor()` (or with a manager only) is neither associated nor valid.
   * `new WindowCursor(manager, pathOrFd)` is the same as `manager.makeCursor(pathOrFd)`.
   */
  constructor(manager?: CursorHost, pathOrFd?: PathOrFd) {
    this.#state = { host: undefined, list: undefined, region: undefined };
    if (pathOrFd === undefined) return; // smmap allows WindowCursor(manager): unassociated
    if (manager === null || typeof manager !== 'object' || typeof manager[kAttach] !== 'function') {
      throw new RegionError('ERR_SHMKIT_REGION_INVALID_ARGUMENT', 'a cursor on a file needs a window manager');
    }
    this.#state.list = manager[kAttach](pathOrFd);
    this.#state.host = manager;
    forgotten.register(this, this.#state, this);
  }

  #open(): CursorState {
    if (this.#closed) {
      throw new RegionError('ERR_SHMKIT_REGION_CURSOR_CLOSED', 'this cursor was closed; make a new one');
    }
    return this.#state;
  }

  #associated(): { host: CursorHost; list: MapRegionList } {
    const s = this.#open();
    if (s.list === undefined || s.host === undefined) {
      throw new RegionError(
        'ERR_SHMKIT_REGION_CURSOR_UNASSOCIATED',
        'this cursor is not associated with a file; make it with manager.makeCursor(pathOrFd)',
      );
    }
    return { host: s.host, list: s.list };
  }

  #valid(): MapRegion {
    const region = this.#open().region;
    if (region === undefined) {
      throw new RegionError('ERR_SHMKIT_REGION_CURSOR_INVALID', 'this cursor has no window; call useRegion(offset) first');
    }
    if (region.released) {
      throw new RegionError(
        'ERR_SHMKIT_REGION_RELEASED',
        'the region under this cursor was released (manager closed or file released); call useRegion(offset) again',
      );
    }
    return region;
  }

  /**
   * Points the cursor at `[offset, offset + size)` of the file and returns the cursor. `size` 0
   * means as much as possible; the size obtained may be smaller than asked (end of file, end of
   * the region). An offset at or past the end of the file leaves the cursor invalid.
   */
  useRegion(offset = 0, size = 0): this {
    // Fast path: the offset lies in the region already held (the common case of a sliding read).
    const s = this.#state;
    const held = s.region;
    if (
      held !== undefined &&
      offset >= this.#regionBegin &&
      offset < this.#regionEnd &&
      !held.released &&
      Number.isSafeInteger(offset) &&
      Number.isSafeInteger(size) &&
      size >= 0
    ) {
      const host = s.host!;
      const fileSize = s.list!.fileSize();
      const wanted = Math.min(size || fileSize, host.windowSize() || fileSize);
      host[kTouch](held);
      this.#ofs = offset - this.#regionBegin;
      this.#size = Math.min(wanted, this.#regionEnd - offset);
      return this;
    }
    return this.#useRegionSlow(offset, size);
  }

  #useRegionSlow(offset: number, size: number): this {
    const { host, list } = this.#associated();
    if (!(Number.isSafeInteger(offset) && offset >= 0)) throw badOffset('offset', offset);
    if (!(Number.isSafeInteger(size) && size >= 0)) throw badOffset('size', size);
    host[kCheckOpen]();
    const s = this.#state;
    let fileSize = list.fileSize();
    if (offset >= fileSize) fileSize = list.refresh();
    const windowSize = host.windowSize();
    const wanted = Math.min(size || fileSize, windowSize || fileSize);
    let region = s.region;
    if (region !== undefined && (region.released || !region.includesOfs(offset))) {
      this.#dropRegion();
      region = undefined;
    }
    if (offset >= fileSize) return this;
    if (region === undefined) {
      region = host[kObtain](list, offset, wanted);
      region.incrementClientCount(1);
      s.region = region;
    }
    host[kTouch](region);
    this.#holdBounds(region);
    this.#ofs = offset - this.#regionBegin;
    this.#size = Math.min(wanted, this.#regionEnd - offset);
    return this;
  }

  #holdBounds(region: MapRegion): void {
    this.#regionBegin = region.ofsBegin();
    this.#regionEnd = region.ofsEnd();
    this.#regionBytes = region.buffer();
  }

  #dropRegion(): void {
    const s = this.#state;
    const region = s.region;
    s.region = undefined;
    this.#regionBytes = EMPTY;
    this.#regionBegin = this.#regionEnd = 0;
    if (region !== undefined && !region.released) {
      region.incrementClientCount(-1);
      s.host?.[kTouch](region);
    }
  }

  /** Stops using the current region (it stays mapped in the manager until collected). Harmless when repeated. */
  unuseRegion(): void {
    this.#open();
    this.#dropRegion();
  }

  /** The cursor's window, zero-copy: `size()` bytes from `ofsBegin()`. Empty once the region is released. */
  buffer(): Buffer {
    const region = this.#state.region;
    if (region === undefined || region.released) this.#valid(); // throws the right error
    return this.#regionBytes.subarray(this.#ofs, this.#ofs + this.#size);
  }

  /** The whole region under the cursor, not offset-adjusted (begins at `region().ofsBegin()`). */
  map(): Buffer {
    return this.#valid().map();
  }

  /** The region under the cursor (for sync() and advise()). */
  region(): MapRegion {
    return this.#valid();
  }

  /** Has a usable window. */
  isValid(): boolean {
    const region = this.#state.region;
    return !this.#closed && region !== undefined && !region.released;
  }

  /** Belongs to a manager and a file. */
  isAssociated(): boolean {
    return !this.#closed && this.#state.list !== undefined;
  }

  isClosed(): boolean {
    return this.#closed;
  }

  /** Absolute file offset of the first byte of the window. */
  ofsBegin(): number {
    return this.#valid().ofsBegin() + this.#ofs;
  }

  ofsEnd(): number {
    return this.ofsBegin() + this.#size;
  }

  /** Size of the window (kept after unuseRegion(), as smmap does; 0 for a cursor never used). */
  size(): number {
    this.#open();
    return this.#size;
  }

  /** Whether the absolute offset lies inside the cursor's window (not the whole region). */
  includesOfs(ofs: number): boolean {
    const begin = this.#valid().ofsBegin() + this.#ofs;
    return begin <= ofs && ofs < begin + this.#size;
  }

  fileSize(): number {
    return this.#associated().list.fileSize();
  }

  pathOrFd(): PathOrFd {
    return this.#associated().list.pathOrFd();
  }

  /** The path of the file; throws ERR_SHMKIT_REGION_WRONG_KEY_KIND for a cursor made from a descriptor. */
  path(): string {
    const key = this.pathOrFd();
    if (typeof key !== 'string') {
      throw new RegionError('ERR_SHMKIT_REGION_WRONG_KEY_KIND', `this cursor was made from file descriptor ${key}, not a path`);
    }
    return key;
  }

  /** The descriptor of the file; throws ERR_SHMKIT_REGION_WRONG_KEY_KIND for a cursor made from a path. */
  fd(): number {
    const key = this.pathOrFd();
    if (typeof key !== 'number') {
      throw new RegionError('ERR_SHMKIT_REGION_WRONG_KEY_KIND', `this cursor was made from path '${key}', not a descriptor`);
    }
    return key;
  }

  /** An independent cursor on the same file and, if this one is valid, the same window. */
  clone(): WindowCursor {
    this.#open();
    const copy = new WindowCursor();
    copy.assign(this);
    return copy;
  }

  /** Makes this cursor a copy of `other` (same file, same window), giving back what it held. */
  assign(other: WindowCursor): void {
    this.#open();
    if (!(other instanceof WindowCursor)) {
      throw new RegionError('ERR_SHMKIT_REGION_INVALID_ARGUMENT', 'assign() takes a WindowCursor');
    }
    if (other === this) return;
    const o = other.#open();
    forgotten.unregister(this);
    giveBack(this.#state);
    this.#regionBytes = EMPTY;
    const s = this.#state;
    s.host = o.host;
    if (o.host === undefined || o.list === undefined) return;
    o.host[kAttachList](o.list);
    s.list = o.list;
    if (o.region !== undefined && !o.region.released) {
      o.region.incrementClientCount(1);
      s.region = o.region;
      this.#holdBounds(o.region);
    }
    this.#ofs = other.#ofs;
    this.#size = other.#size;
    forgotten.register(this, s, this);
  }

  /** Gives the region back and leaves the manager; the cursor cannot be used again. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    forgotten.unregister(this);
    giveBack(this.#state);
    this.#regionBytes = EMPTY;
    this.#state.host = undefined;
  }

  [Symbol.dispose](): void {
    this.close();
  }
}
