import { alignToMmap } from './constants.js';

/** Anything with a begin offset and a size, such as a MapRegion. */
export interface RegionLike {
  ofsBegin(): number;
  size(): number;
}

/**
 * A span of a file, `[ofs, ofs + size)`: the pure arithmetic the sliding manager uses to place a
 * new window between its neighbours. Same arithmetic as smmap's MapWindow.
 */
export class MapWindow {
  ofs: number;
  size: number;

  constructor(ofs: number, size: number) {
    this.ofs = ofs;
    this.size = size;
  }

  static fromRegion(region: RegionLike): MapWindow {
    return new MapWindow(region.ofsBegin(), region.size());
  }

  ofsEnd(): number {
    return this.ofs + this.size;
  }

  /** Moves the start down to the allocation granularity and rounds the size up; the old span stays covered. */
  align(): void {
    const alignedOfs = alignToMmap(this.ofs, false);
    this.size += this.ofs - alignedOfs;
    this.ofs = alignedOfs;
    this.size = alignToMmap(this.size, true);
  }

  /**
   * Moves the start left so that this window begins where `window` ends, without letting the size
   * exceed `maxSize` (when the size is already at most `maxSize`, the old span stays covered).
   */
  extendLeftTo(window: MapWindow, maxSize: number): void {
    let gap = this.ofs - window.ofsEnd();
    const grown = gap + this.size;
    gap -= grown - Math.min(grown, maxSize);
    this.ofs -= gap;
    this.size += gap;
  }

  /** Grows the size so that this window ends where `window` begins, up to `maxSize`. */
  extendRightTo(window: MapWindow, maxSize: number): void {
    this.size = Math.min(this.size + (window.ofs - this.ofsEnd()), maxSize);
  }
}
