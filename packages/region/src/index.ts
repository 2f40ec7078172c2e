/**
 * @shmkit/region — memory-mapped file regions, windows, cursors and sliding-window managers: the
 * TypeScript counterpart of Python's smmap, read-write capable, beyond 4 GiB, with true
 * least-recently-used collection and release that never leaves a dangling view.
 */
export { type Advice, type BackendName, MAPPING_BACKEND } from './backend.js';
export { ALLOCATION_GRANULARITY, alignToMmap, MAX_MAPPING_SIZE, PAGE_SIZE } from './constants.js';
export { RegionError, type RegionErrorCode, RegionRangeError } from './errors.js';
export { MapRegion, type MapRegionOptions, type SyncOptions } from './map-region.js';
export { MapWindow, type RegionLike } from './map-window.js';
export { SlidingWindowMapBuffer } from './sliding-buffer.js';
export { SlidingWindowMapManager } from './sliding-manager.js';
export type { PathOrFd } from './validate.js';
export { WindowCursor } from './window-cursor.js';
export {
  DEFAULT_MAX_MEMORY_SIZE,
  DEFAULT_WINDOW_SIZE,
  StaticWindowMapManager,
  type WindowManagerOptions,
} from './window-manager.js';
