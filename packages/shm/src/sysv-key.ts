import { ftok } from '@shmkit/sys';
import { ShmError, systemError } from './errors.js';
import { describe } from './validate.js';

/**
 * A System V key (key_t). Keys are not unique: different files can give the same ftok key. Plain
 * numbers are not accepted where a key is expected, so a key is never mistaken for an id.
 */
export class Key {
  /** The key as the kernel sees it: a signed 32-bit integer. */
  readonly value: number;

  constructor(value: number) {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < -(2 ** 31) || value >= 2 ** 32) {
      throw new ShmError('ERR_SHMKIT_INVALID_KEY', `a System V key is a 32-bit integer, got ${describe(value)}`);
    }
    this.value = value | 0;
  }

  /** ftok(path, projId): projId is 1..255 or a one-character string (its code). */
  static fromPath(path: string, projId: number | string): Key {
    const proj = typeof projId === 'string' && projId.length === 1 ? projId.charCodeAt(0) : projId;
    if (typeof proj !== 'number' || !Number.isInteger(proj) || proj < 1 || proj > 255) {
      throw new ShmError('ERR_SHMKIT_INVALID_KEY', `projId must be 1..255 or one character, got ${describe(projId)}`);
    }
    if (typeof path !== 'string') {
      throw new ShmError('ERR_SHMKIT_INVALID_KEY', `path must be a string, got ${describe(path)}`);
    }
    try {
      return new Key(ftok(path, proj));
    } catch (err) {
      throw systemError(`cannot derive a System V key from ${JSON.stringify(path)}`, err);
    }
  }

  equals(other: Key): boolean {
    return other instanceof Key && other.value === this.value;
  }

  valueOf(): number {
    return this.value;
  }

  toString(): string {
    return `Key(0x${(this.value >>> 0).toString(16).padStart(8, '0')})`;
  }
}

/** The key that always creates a new segment (reachable only by its id). */
export const IPC_PRIVATE: Key = Object.freeze(new Key(0)) as Key;

/** The id of a System V segment (shmid). */
export class ShmId {
  readonly value: number;

  constructor(value: number) {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 2 ** 31 - 1) {
      throw new ShmError('ERR_SHMKIT_INVALID_ID', `a System V shm id is a non-negative 32-bit integer, got ${describe(value)}`);
    }
    this.value = value;
  }

  equals(other: ShmId): boolean {
    return other instanceof ShmId && other.value === this.value;
  }

  valueOf(): number {
    return this.value;
  }

  toString(): string {
    return `ShmId(${this.value})`;
  }
}
