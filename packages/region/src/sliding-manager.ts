import { MAX_MAPPING_SIZE } from './constants.js';
import { MapWindow } from './map-window.js';
import type { MapRegion } from './map-region.js';
import type { MapRegionList } from './region-list.js';
import { validateSafeInteger } from './validate.js';
import { DEFAULT_WINDOW_SIZE, StaticWindowMapManager } from './window-manager.js';

/**
 * Maps files through windows of at most `windowSize` bytes (smmap's SlidingWindowMapManager). A
 * new window snaps to its neighbours and to the end of the file without overlapping them, then is
 * aligned to the allocation granularity, so it may exceed `alignToMmap(windowSize, true)` by at
 * most one page (as smmap's does: aligning the start down grows the size before it is rounded up).
 * When the memory budget or the handle limit is reached, the least recently used windows that no
 * cursor uses are unmapped first.
 */
export class SlidingWindowMapManager extends StaticWindowMapManager {
  protected override resolveWindowSize(option: number | undefined): number {
    const size = option ?? -1;
    validateSafeInteger('windowSize', size);
    return size < 0 ? DEFAULT_WINDOW_SIZE : size;
  }

  protected override obtainRegion(list: MapRegionList, offset: number, size: number): MapRegion {
    const found = list.indexOf(offset);
    if (found >= 0) return list.regions[found]!;
    return this.mapWithRetry(() => {
      let placed = this.#place(list, offset, size);
      // Freeing regions of this file can widen the gap the window goes into: place it again.
      while (!this.fits(placed.window.size) && this.makeRoom(placed.window.size) > 0) {
        placed = this.#place(list, offset, size);
      }
      this.makeRoom(placed.window.size);
      return this.mapInto(list, placed.window.ofs, placed.window.size, placed.index);
    });
  }

  /** Where a new window for `[offset, offset + size)` goes: between its neighbours, up to the window size, aligned. */
  #place(list: MapRegionList, offset: number, size: number): { window: MapWindow; index: number } {
    const fileSize = list.fileSize();
    const maxSize = Math.min(this.windowSize() || fileSize, MAX_MAPPING_SIZE);
    const index = list.insertionIndex(offset);
    const regions = list.regions;
    const left = index > 0 ? MapWindow.fromRegion(regions[index - 1]!) : new MapWindow(0, 0);
    const right = index < regions.length ? MapWindow.fromRegion(regions[index]!) : new MapWindow(fileSize, 0);
    const window = new MapWindow(offset, Math.min(size, maxSize));
    window.extendLeftTo(left, maxSize);
    window.extendRightTo(right, maxSize);
    window.align();
    if (window.ofsEnd() > right.ofs) window.size = right.ofs - window.ofs;
    return { window, index };
  }
}
