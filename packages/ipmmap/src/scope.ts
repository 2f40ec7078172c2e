import type { MapRegion } from '@shmkit/region';
import { IpmmapError } from './errors.js';
import { TIME_STAMP_OFFSET, nowSeconds } from './header.js';
import type { KeyIndex } from './key-index.js';
import type { AnyStructType, ValueOf } from '@shmkit/struct';

/** What a handle gives the scope it opens. @internal */
export interface ScopeCore {
  type: AnyStructType;
  structName: string;
  path: string;
  bytes: Buffer;
  view: any;
  keys: KeyIndex;
  /** Maps the file a second time for a live view that must die with the scope. */
  mapSeparately: () => MapRegion;
  /** Releases the lock and the handle's book-keeping; called exactly once. */
  end: () => void;
}

/**
 * Data access while a read lock is held. Obtained from `reader.open()` (dispose it, e.g. with
 * `using`) or inside `await reader.use(scope => ...)`. Every method throws
 * ERR_SHMKIT_IPMMAP_SCOPE_CLOSED once the scope has ended: nothing is readable without the lock.
 */
export class ReadScope<T extends AnyStructType = AnyStructType> {
  /** @internal */
  protected readonly core: ScopeCore;
  #open = true;

  /** @internal */
  constructor(core: ScopeCore) {
    this.core = core;
  }

  /** False once the scope has ended (closed, disposed, or its use() callback returned). */
  get isOpen(): boolean {
    return this.#open;
  }

  /** @internal */
  protected live(): void {
    if (!this.#open) {
      throw new IpmmapError(
        'ERR_SHMKIT_IPMMAP_SCOPE_CLOSED',
        `this scope on ${this.core.path} has ended; data is only accessible inside open()/use(), while the lock is held`,
      );
    }
  }

  /**
   * The value at `key`: a dotted path with array indices ('data_int', 'data_xy.x',
   * 'multi_pts.multi_points.3.x'). Scalars come back as numbers (bigint for 64-bit integers),
   * booleans or strings (char arrays, up to the first NUL); a nested struct or array comes back as
   * a detached plain copy. Only the field's bytes are read.
   */
  readData(key: string): unknown {
    this.live();
    const core = this.core;
    return core.keys.getter(key)(core.view, core.bytes);
  }

  /** A detached plain-object copy of the whole struct. */
  readMappedBuffer(): ValueOf<T> {
    this.live();
    return this.core.type.read(this.core.bytes, 0) as ValueOf<T>;
  }

  /** A detached copy of the struct's raw bytes. */
  readMappedBytes(): Buffer {
    this.live();
    return Buffer.from(this.core.bytes.subarray(0, this.core.type.size));
  }

  /** The header's `time_stamp`: Unix seconds of the last updateLastUpdate() (or of creation). */
  getLastUpdate(): number {
    this.live();
    return this.core.bytes.readDoubleLE(TIME_STAMP_OFFSET);
  }

  /** Ends the scope: unmaps what it mapped and releases the lock. Idempotent. */
  close(): void {
    if (!this.#open) return;
    this.#open = false;
    this.closeResources();
  }

  /** @internal */
  protected closeResources(): void {
    this.core.end();
  }

  [Symbol.dispose](): void {
    this.close();
  }
}

/** Data access while the write lock is held (editors and managers). */
export class EditScope<T extends AnyStructType = AnyStructType> extends ReadScope<T> {
  #liveRegion: MapRegion | null = null;
  #liveView: any = null;

  /**
   * Writes `value` at `key` with ctypes' rules: integers wrap, bool stores 0/1, a string into a
   * char array writes its UTF-8 bytes plus one NUL when shorter and leaves the rest untouched; a
   * float into an integer field or a too-long string is an error. An object or array writes the
   * fields it names of a nested struct or array. An unknown key is always an error.
   * The time stamp is not touched (call updateLastUpdate()).
   */
  writeData(key: string, value: unknown): void {
    this.live();
    const core = this.core;
    core.keys.setter(key)(core.view, core.bytes, value);
  }

  /**
   * Sets the header's `time_stamp` to now (or to `timeStamp`, in Unix seconds). "Now" never goes
   * back to or below the stamp already stored within the same second, so readers that watch the
   * stamp see every update even when two land in the same millisecond.
   */
  updateLastUpdate(timeStamp?: number): number {
    this.live();
    const bytes = this.core.bytes;
    let stamp = timeStamp ?? nowSeconds();
    if (timeStamp === undefined) {
      const previous = bytes.readDoubleLE(TIME_STAMP_OFFSET);
      if (stamp <= previous && previous - stamp < 1) stamp = previous + 1e-6;
    }
    bytes.writeDoubleLE(stamp, TIME_STAMP_OFFSET);
    return stamp;
  }

  /**
   * A live view of the mapped struct: reads and writes go straight to shared memory. It is backed
   * by a mapping of its own that is unmapped when the scope ends, so a view kept past the scope
   * cannot touch the memory any more (its reads fail or come back empty) and never holds the lock.
   */
  referMappedBuffer(): ReturnType<T['view']> {
    this.live();
    if (!this.#liveView) {
      this.#liveRegion = this.core.mapSeparately();
      this.#liveView = this.core.type.view(this.#liveRegion.buffer(), 0);
    }
    return this.#liveView;
  }

  /** Zeroes the whole struct, header included (as Python ipmmap does: the header code reads 0 afterwards). */
  clearMappedBuffer(): void {
    this.live();
    this.core.bytes.fill(0, 0, this.core.type.size);
  }

  protected override closeResources(): void {
    const region = this.#liveRegion;
    this.#liveRegion = null;
    this.#liveView = null;
    try {
      region?.release();
    } finally {
      super.closeResources();
    }
  }
}
