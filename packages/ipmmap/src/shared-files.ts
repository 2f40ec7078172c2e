import { RecordLock } from '@shmkit/lock';
import { DataFileMapping } from './data-file.js';

/** How long an open lock file or mapping nobody uses any more stays open for the next handle. */
const LINGER_MS = 250;

interface Entry<T> {
  value: T;
  refs: number;
  timer: NodeJS.Timeout | null;
}

/**
 * Process-wide open files, shared by the handles that name the same file and kept for a moment
 * after the last handle lets go: code written in Python ipmmap's style, which builds a handle for
 * every operation, then pays for opening the lock file and mapping the data file once, not every
 * time. Nothing here holds a lock; every scope still takes its own.
 */
class Lingering<T> {
  readonly #entries = new Map<string, Entry<T>>();
  readonly #close: (value: T) => void;

  constructor(close: (value: T) => void) {
    this.#close = close;
  }

  acquire(key: string, create: () => T): T {
    let entry = this.#entries.get(key);
    if (entry) {
      if (entry.timer) clearTimeout(entry.timer);
      entry.timer = null;
    } else {
      entry = { value: create(), refs: 0, timer: null };
      this.#entries.set(key, entry);
    }
    entry.refs += 1;
    return entry.value;
  }

  release(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    entry.refs -= 1;
    if (entry.refs > 0) return;
    entry.timer = setTimeout(() => {
      if (entry.refs > 0) return;
      this.#entries.delete(key);
      this.#close(entry.value);
    }, LINGER_MS);
    entry.timer.unref();
  }
}

const locks = new Lingering<RecordLock>((lock) => lock.close());
const mappings = new Lingering<DataFileMapping>((mapping) => mapping.close());

/** The lock file's RecordLock, opened (and created, with its directory) on first use. Pair with releaseLockFile(). */
export function acquireLockFile(path: string): RecordLock {
  return locks.acquire(path, () => new RecordLock(path));
}

export function releaseLockFile(path: string): void {
  locks.release(path);
}

const mappingKey = (path: string, size: number, writable: boolean) => `${writable ? 'rw' : 'ro'}:${size}:${path}`;

/** The data file's mapping (read-write for editors). Pair with releaseDataFile(). */
export function acquireDataFile(path: string, size: number, writable: boolean): DataFileMapping {
  return mappings.acquire(mappingKey(path, size, writable), () => new DataFileMapping(path, size, writable));
}

export function releaseDataFile(path: string, size: number, writable: boolean): void {
  mappings.release(mappingKey(path, size, writable));
}
