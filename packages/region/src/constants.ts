import { constants as bufferConstants } from 'node:buffer';
import { backend } from './backend.js';
import { validateSafeInteger } from './validate.js';

/** The operating system's page size, as reported by the mapping backend. */
export const PAGE_SIZE: number = backend.pageSize;

/** Offsets given to mmap must be multiples of this (equal to the page size on Linux and macOS). */
export const ALLOCATION_GRANULARITY: number = backend.pageSize;

/**
 * `n` rounded down to a multiple of ALLOCATION_GRANULARITY, or up when `roundUp` is true and `n`
 * is not already a multiple (smmap's `align_to_mmap`).
 */
export function alignToMmap(n: number, roundUp: boolean): number {
  validateSafeInteger('n', n);
  const down = Math.floor(n / ALLOCATION_GRANULARITY) * ALLOCATION_GRANULARITY;
  return roundUp && down !== n ? down + ALLOCATION_GRANULARITY : down;
}

/**
 * The longest single mapping: the largest Buffer this Node version can create (4 GiB on Node 20),
 * rounded down to the granularity. Longer requests are clamped to it, like requests past the end
 * of the file; the sliding manager caps its windows at it. Files may be any size.
 */
export const MAX_MAPPING_SIZE: number =
  Math.floor(bufferConstants.MAX_LENGTH / ALLOCATION_GRANULARITY) * ALLOCATION_GRANULARITY;
