import type { MapRegion } from './map-region.js';
import type { MapRegionList } from './region-list.js';
import type { PathOrFd } from './validate.js';

// Methods the managers expose to cursors only (symbol keys keep them off the public surface).
export const kAttach: unique symbol = Symbol('shmkit.region.attach');
export const kAttachList: unique symbol = Symbol('shmkit.region.attachList');
export const kDetach: unique symbol = Symbol('shmkit.region.detach');
export const kObtain: unique symbol = Symbol('shmkit.region.obtain');
export const kTouch: unique symbol = Symbol('shmkit.region.touch');
export const kCheckOpen: unique symbol = Symbol('shmkit.region.checkOpen');

/** What a cursor needs from its manager. */
export interface CursorHost {
  windowSize(): number;
  [kAttach](pathOrFd: PathOrFd): MapRegionList;
  [kAttachList](list: MapRegionList): void;
  [kDetach](list: MapRegionList): void;
  /** A region of `list` containing `offset`, mapped if needed; the caller increments its client count. */
  [kObtain](list: MapRegionList, offset: number, size: number): MapRegion;
  /** Marks `region` as used now, for least-recently-used collection. */
  [kTouch](region: MapRegion): void;
  [kCheckOpen](): void;
}
