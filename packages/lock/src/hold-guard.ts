import type { Guard } from './guard.js';

/** The side of a lock that a guard gives back to. */
export interface HoldRelease {
  releaseHold(): void;
}

/** The guard of the shared-memory locks: releases at most once, through the lock side that granted it. */
export class HoldGuard implements Guard {
  #from: HoldRelease | null;
  readonly recovered: boolean;

  constructor(from: HoldRelease, recovered: boolean) {
    this.#from = from;
    this.recovered = recovered;
  }

  get released(): boolean {
    return this.#from === null;
  }

  release(): void {
    const from = this.#from;
    if (from === null) return;
    this.#from = null;
    from.releaseHold();
  }

  [Symbol.dispose](): void {
    this.release();
  }
}
