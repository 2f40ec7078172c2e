/** Links of an item in a RecencyList (symbol keys keep them off the public surface). */
export const kOlder: unique symbol = Symbol('shmkit.region.older');
export const kNewer: unique symbol = Symbol('shmkit.region.newer');

export interface RecencyLinks<T> {
  [kOlder]: T | undefined;
  [kNewer]: T | undefined;
}

/**
 * Items in order of last use, oldest first, as an intrusive doubly linked list: marking an item
 * used, removing it and finding the oldest are O(1), so least-recently-used collection walks only
 * as far as it frees instead of sorting every region at each new mapping.
 */
export class RecencyList<T extends RecencyLinks<T>> {
  #oldest: T | undefined = undefined;
  #newest: T | undefined = undefined;

  /** The least recently used item; walk newer ones with `item[kNewer]`. */
  oldest(): T | undefined {
    return this.#oldest;
  }

  /** Moves `item` to the newest end, adding it if it is not in the list. */
  touch(item: T): void {
    if (item === this.#newest) return;
    this.remove(item);
    item[kOlder] = this.#newest;
    if (this.#newest === undefined) this.#oldest = item;
    else this.#newest[kNewer] = item;
    this.#newest = item;
  }

  /** Takes `item` out of the list; harmless when it is not in it. */
  remove(item: T): void {
    const older = item[kOlder];
    const newer = item[kNewer];
    if (older === undefined && item !== this.#oldest) return; // not in the list
    if (older === undefined) this.#oldest = newer;
    else older[kNewer] = newer;
    if (newer === undefined) this.#newest = older;
    else newer[kOlder] = older;
    item[kOlder] = undefined;
    item[kNewer] = undefined;
  }
}
