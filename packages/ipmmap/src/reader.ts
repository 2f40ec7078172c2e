import { endianness } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Guard, RecordLock } from '@shmkit/lock';
import { type ChangesOptions, type Snapshot, watchChanges } from './changes.js';
import type { DataFileMapping, MappedFile } from './data-file.js';
import { describeStruct } from './describe.js';
import { IpmmapError } from './errors.js';
import { checkHeaderFirst, HEADER_CODE, TIME_STAMP_OFFSET } from './header.js';
import { type KeyIndex, keyIndexOf } from './key-index.js';
import { DEFAULT_FASTENER_DIR, DEFAULT_MMAP_DIR, ipmmapPaths } from './naming.js';
import {
  checkAsyncUse,
  checkSyncOpen,
  type LockMode,
  noteAcquired,
  noteReleased,
  runEnclosed,
} from './nesting.js';
import { resolveStruct, structNameOf } from './registry.js';
import { acquireDataFile, acquireLockFile, releaseDataFile, releaseLockFile } from './shared-files.js';
import { ReadScope, type ScopeCore } from './scope.js';
import type { AnyStructType } from '@shmkit/struct';

export interface HandleOptions {
  /** Appended to the struct name after an underscore: `<Struct>_<tag>.mmap`. Default ''. */
  tag?: string;
  /** Directory of the data files, relative to the working directory at construction. Default './.mmap'. */
  mmapDir?: string | URL;
  /** Directory of the lock files, relative to the working directory at construction. Default './.fasteners'. */
  fastenerDir?: string | URL;
  /**
   * Check `header_code` (0x1128) when a scope opens. Default true. Set false for files written by
   * programs that do not maintain the ipmmap header.
   */
  checkHeader?: boolean;
}

export interface OpenOptions {
  /** Give up waiting for the lock after this many milliseconds (LockTimeoutError, code ERR_SHMKIT_LOCK_TIMEOUT). */
  timeout?: number;
  /** Give up when this signal aborts; the wait rejects with the signal's reason. */
  signal?: AbortSignal;
}

function dirOption(value: string | URL | undefined, fallback: string): string {
  if (value === undefined) return fallback;
  return value instanceof URL ? fileURLToPath(value) : value;
}

/**
 * Read access to one ipmmap struct file, shared with other processes (Python ipmmap's
 * `DataStructMmapReader`). Construction only computes names and checks the struct; every access
 * happens in a scope that holds the shared (read) lock: `using s = reader.open()` or
 * `await reader.use(s => ...)`.
 *
 * The lock file stays open and the data file mapped between scopes, shared by the handles of this
 * process that name the same file (a lock cycle then costs two fcntl calls and one fstat);
 * `close()` or `[Symbol.dispose]` lets go of them.
 */
export class DataStructMmapReader<T extends AnyStructType = AnyStructType> {
  /** The struct type in use. */
  readonly structType: T;
  /** Its name: the base of the file names. */
  readonly structName: string;
  readonly tag: string;
  /** Absolute path of the data file (`<mmapDir>/<Struct>_<tag>.mmap`, Python's with_suffix rule). */
  readonly mmapFilePath: string;
  /** Absolute path of the lock file (`<fastenerDir>/<Struct>_<tag>.lockfile`). */
  readonly fastenerFilePath: string;
  readonly mmapDir: string;
  readonly fastenerDir: string;
  /** False for readers; editors and managers may write. */
  get editable(): boolean {
    return this.lockMode === 'write';
  }

  /** @internal The lock a scope takes: shared for readers, exclusive for editors and managers. */
  protected get lockMode(): LockMode {
    return 'read';
  }
  readonly #checkHeader: boolean;
  readonly #keys: KeyIndex;
  #mapping: DataFileMapping | null = null;
  #lock: RecordLock | null = null;
  #view: { bytes: Buffer; view: unknown } | null = null;
  #scope: ReadScope<T> | null = null;
  #busy: Promise<void> | null = null;
  #closed = false;

  constructor(structNameOrType: string | T, options: HandleOptions = {}) {
    if (endianness() !== 'LE') {
      throw new IpmmapError(
        'ERR_SHMKIT_IPMMAP_UNSUPPORTED_HOST',
        'ipmmap files are little-endian (ctypes native order on x86-64 and arm64); this host is big-endian',
      );
    }
    const type = resolveStruct(structNameOrType);
    const name = structNameOf(type);
    checkHeaderFirst(type, name);
    this.structType = type;
    this.structName = name;
    this.tag = options.tag ?? '';
    const paths = ipmmapPaths(
      name,
      this.tag,
      dirOption(options.mmapDir, DEFAULT_MMAP_DIR),
      dirOption(options.fastenerDir, DEFAULT_FASTENER_DIR),
    );
    this.mmapFilePath = paths.mmapFilePath;
    this.fastenerFilePath = paths.fastenerFilePath;
    this.mmapDir = paths.mmapDir;
    this.fastenerDir = paths.fastenerDir;
    this.#checkHeader = options.checkHeader ?? true;
    this.#keys = keyIndexOf(type, name);
  }

  /** @internal Whether the data file is mapped read-write (editors and managers). */
  protected editableMapping(): boolean {
    return false;
  }

  /** @internal */
  protected makeScope(core: ScopeCore): ReadScope<T> {
    return new ReadScope<T>(core);
  }

  #live(): void {
    if (this.#closed) {
      throw new IpmmapError('ERR_SHMKIT_IPMMAP_HANDLE_CLOSED', `the handle for ${this.mmapFilePath} is closed`);
    }
  }

  /**
   * @internal The lock file's lock, opened on first use; RecordLock creates the lock file and its
   * directory (mode 0o700) if missing, and refuses a symbolic link in their place.
   */
  protected recordLock(): RecordLock {
    this.#live();
    if (!this.#lock) this.#lock = acquireLockFile(this.fastenerFilePath);
    return this.#lock;
  }

  /** The data file's mapping, shared with the other handles of this process on the same file. */
  #dataFile(): DataFileMapping {
    if (!this.#mapping) this.#mapping = acquireDataFile(this.mmapFilePath, this.structType.size, this.editableMapping());
    return this.#mapping;
  }

  /**
   * Opens a scope synchronously: checks the data file, waits for the lock (blocking the thread;
   * use `use()` to wait without blocking), maps the file. Dispose the scope to release the lock.
   * Refuses (ERR_SHMKIT_IPMMAP_NESTED) when this process already holds a conflicting scope on the
   * same file, since the wait would never end.
   */
  open(options: OpenOptions = {}): ReadScope<T> {
    this.#live();
    checkSyncOpen(this.fastenerFilePath, this.lockMode, this.#scope !== null || this.#busy !== null);
    const st = this.#dataFile().probe();
    const lock = this.recordLock();
    const guard = this.lockMode === 'write' ? lock.writeLock(options) : lock.readLock(options);
    return this.#enter(st, guard);
  }

  /** Opens a scope only if the lock is free right now; otherwise returns null without waiting. */
  tryOpen(): ReadScope<T> | null {
    this.#live();
    checkSyncOpen(this.fastenerFilePath, this.lockMode, this.#scope !== null || this.#busy !== null);
    const st = this.#dataFile().probe();
    const lock = this.recordLock();
    const guard = this.lockMode === 'write' ? lock.tryWriteLock() : lock.tryReadLock();
    return guard ? this.#enter(st, guard) : null;
  }

  /**
   * Runs `fn` with an open scope and ends the scope when `fn` settles, releasing the lock whether
   * it returned or threw. Waiting for the lock never blocks the event loop. Concurrent calls on
   * one handle run one after the other.
   */
  async use<R>(fn: (scope: ReadScope<T>) => R | Promise<R>, options: OpenOptions = {}): Promise<R> {
    this.#live();
    checkAsyncUse(this.fastenerFilePath, this.lockMode, this);
    while (this.#busy) await this.#busy;
    if (this.#scope) checkSyncOpen(this.fastenerFilePath, this.lockMode, true);
    let done!: () => void;
    this.#busy = new Promise<void>((resolve) => {
      done = resolve;
    });
    try {
      const st = this.#dataFile().probe();
      const lock = this.recordLock();
      const guard = await (this.lockMode === 'write' ? lock.writeLockAsync(options) : lock.readLockAsync(options));
      const scope = this.#enter(st, guard);
      try {
        return await runEnclosed(this.fastenerFilePath, this.lockMode, this, () => fn(scope));
      } finally {
        scope.close();
      }
    } finally {
      this.#busy = null;
      done();
    }
  }

  #enter(st: ReturnType<DataFileMapping['probe']>, guard: Guard): ReadScope<T> {
    let mapping: DataFileMapping;
    let mapped: MappedFile;
    try {
      this.#live();
      mapping = this.#dataFile();
      mapped = mapping.enter(st);
    } catch (err) {
      guard.release();
      throw err;
    }
    const bytes = mapped.bytes;
    try {
      if (this.#checkHeader) this.#verifyHeader(bytes);
      if (this.#view?.bytes !== bytes) this.#view = { bytes, view: this.structType.view(bytes, 0) };
    } catch (err) {
      mapping.leave(mapped);
      guard.release();
      throw err;
    }
    const lockPath = this.fastenerFilePath;
    const mode = this.lockMode;
    noteAcquired(lockPath, mode);
    const core: ScopeCore = {
      type: this.structType,
      structName: this.structName,
      path: this.mmapFilePath,
      bytes,
      view: this.#view.view,
      keys: this.#keys,
      mapSeparately: () => mapping.mapSeparately(mapped),
      end: () => {
        this.#scope = null;
        noteReleased(lockPath, mode);
        try {
          mapping.leave(mapped);
        } finally {
          guard.release();
        }
      },
    };
    const scope = this.makeScope(core);
    this.#scope = scope;
    return scope;
  }

  #verifyHeader(bytes: Buffer): void {
    const code = bytes.readInt16LE(0);
    if (code === HEADER_CODE) return;
    // clearMappedBuffer() zeroes the header as Python's does; such a file is still ours.
    if (code === 0 && bytes.readDoubleLE(TIME_STAMP_OFFSET) === 0) return;
    throw new IpmmapError(
      'ERR_SHMKIT_IPMMAP_BAD_HEADER',
      `${this.mmapFilePath} does not start with the ipmmap header code 0x1128 (found 0x${(code & 0xffff)
        .toString(16)
        .padStart(4, '0')}); it is not an ipmmap file of this struct. Pass { checkHeader: false } to open it anyway`,
    );
  }

  /**
   * Snapshots whenever the header's time stamp changes, checked every `intervalMs` (default 100)
   * under a short read lock that is not held between checks. The first snapshot is the current
   * state. Ends when `signal` aborts or the loop is left.
   */
  changes(options: ChangesOptions = {}): AsyncIterableIterator<Snapshot<T>> {
    this.#live();
    return watchChanges(this, options);
  }

  /** A per-field description of the struct: offsets, sizes, types, padding. */
  describe(): string {
    return describeStruct(this.structType, this.structName);
  }

  /**
   * Ends an open scope and lets go of the data file's mapping and the lock file. They are shared
   * with other handles of this process on the same file, and closed 250 ms after the last one
   * lets go (so that building a handle per operation stays cheap). Idempotent.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#scope?.close();
    } finally {
      this.#view = null;
      if (this.#mapping) releaseDataFile(this.mmapFilePath, this.structType.size, this.editableMapping());
      if (this.#lock) releaseLockFile(this.fastenerFilePath);
      this.#mapping = null;
      this.#lock = null;
    }
  }

  [Symbol.dispose](): void {
    this.close();
  }
}
