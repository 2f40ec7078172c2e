import { constants as bufferConstants } from 'node:buffer';
import { ShmError } from './errors.js';

/** The largest segment this package maps: one Node Buffer (4 GiB on Node 20). */
export const MAX_SIZE: number = Math.min(bufferConstants.MAX_LENGTH, Number.MAX_SAFE_INTEGER);

export function validateSize(size: unknown): number {
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 1) {
    throw new ShmError('ERR_SHMKIT_INVALID_SIZE', `size must be a positive safe integer, got ${describe(size)}`);
  }
  if (size > MAX_SIZE) {
    throw new ShmError(
      'ERR_SHMKIT_INVALID_SIZE',
      `size ${size} exceeds the largest Buffer this Node version can address (${MAX_SIZE} bytes)`,
    );
  }
  return size;
}

/** The nine permission bits; owner read/write is always added, as in InterProcessCommunication.jl. */
export function validatePerms(perms: unknown): number {
  if (typeof perms !== 'number' || !Number.isInteger(perms) || perms < 0 || perms > 0o777) {
    throw new ShmError('ERR_SHMKIT_INVALID_PERMS', `perms must be an integer from 0 to 0o777, got ${describe(perms)}`);
  }
  return perms | 0o600;
}

export function validateBoolean(value: unknown, name: string): boolean {
  if (typeof value !== 'boolean') {
    throw new ShmError('ERR_SHMKIT_INVALID_ARGUMENT', `${name} must be a boolean, got ${describe(value)}`);
  }
  return value;
}

export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return String(value);
  return typeof value;
}
