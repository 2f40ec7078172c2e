import { LockLayoutError } from './errors.js';
import { describeMagic, type LockPlace } from './shm-place.js';

/*
 * Both shared-memory locks start with the same 8 bytes:
 *   0  u32  magic (ASCII tag, little-endian)
 *   4  u32  layout version
 * `init` writes the magic last, so a half-written lock never validates.
 */
export const I32_MAGIC = 0;
export const I32_VERSION = 1;

/** Invalidates the lock at `place` before its fields are rewritten. */
export function beginHeader(place: LockPlace, version: number): void {
  Atomics.store(place.i32, I32_MAGIC, 0);
  Atomics.store(place.i32, I32_VERSION, version);
}

/** Makes the lock at `place` valid: called after every other field is written. */
export function completeHeader(place: LockPlace, magic: number): void {
  Atomics.store(place.i32, I32_MAGIC, magic);
}

export function validateHeader(kind: string, place: LockPlace, magic: number, version: number): void {
  const found = Atomics.load(place.i32, I32_MAGIC);
  if (found !== magic) {
    const hint = found === 0 ? ' (the memory is zero: was init() called?)' : '';
    throw new LockLayoutError(
      `no ${kind} at offset ${place.absoluteOffset}: magic value is ${describeMagic(found)}, ` +
        `expected ${describeMagic(magic)}${hint}`,
    );
  }
  const foundVersion = Atomics.load(place.i32, I32_VERSION);
  if (foundVersion !== version) {
    throw new LockLayoutError(
      `${kind} at offset ${place.absoluteOffset} has layout version ${foundVersion}; this build reads version ${version}`,
    );
  }
}
