import { RegionError, RegionRangeError } from './errors.js';

function describe(value: unknown): string {
  return typeof value === 'number' ? String(value) : `${typeof value} ${JSON.stringify(value) ?? String(value)}`;
}

/** Any safe integer (negative allowed): pure arithmetic inputs. */
export function validateSafeInteger(name: string, value: unknown): asserts value is number {
  if (!Number.isSafeInteger(value)) {
    throw new RegionRangeError('ERR_SHMKIT_REGION_INVALID_ARGUMENT', `${name} must be a safe integer, got ${describe(value)}`);
  }
}

/** A safe integer >= 0: offsets and sizes. */
export function validateOffset(name: string, value: unknown): asserts value is number {
  if (!Number.isSafeInteger(value) || (value as number) < 0) {
    throw new RegionRangeError(
      'ERR_SHMKIT_REGION_INVALID_ARGUMENT',
      `${name} must be a non-negative safe integer, got ${describe(value)}`,
    );
  }
}

/** A size > 0, or Infinity for "to the end of the file". */
export function validatePositiveSize(name: string, value: unknown): asserts value is number {
  if (value !== Number.POSITIVE_INFINITY && (!Number.isSafeInteger(value) || (value as number) <= 0)) {
    throw new RegionRangeError(
      'ERR_SHMKIT_REGION_INVALID_ARGUMENT',
      `${name} must be a positive safe integer or Infinity, got ${describe(value)}`,
    );
  }
}

export type PathOrFd = string | number;

/** A non-empty path without NUL bytes, or a non-negative integer descriptor. */
export function validatePathOrFd(value: unknown): asserts value is PathOrFd {
  if (typeof value === 'string') {
    if (value.length === 0 || value.includes('\0')) {
      throw new RegionError('ERR_SHMKIT_REGION_INVALID_ARGUMENT', `path must be a non-empty string without NUL bytes`);
    }
    return;
  }
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0 || value > 0x7fffffff) {
      throw new RegionRangeError(
        'ERR_SHMKIT_REGION_INVALID_ARGUMENT',
        `a file descriptor must be a non-negative integer, got ${describe(value)}`,
      );
    }
    return;
  }
  throw new RegionError(
    'ERR_SHMKIT_REGION_INVALID_ARGUMENT',
    `expected a path (string) or a file descriptor (number), got ${describe(value)}`,
  );
}
