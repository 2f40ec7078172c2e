import {
  closeSync,
  constants as fsConstants,
  fchmodSync,
  fstatSync,
  ftruncateSync,
  lstatSync,
  openSync,
  readdirSync,
  statfsSync,
  unlinkSync,
} from 'node:fs';
import { MAP_SHARED, mmap, munmap, PROT_READ, PROT_WRITE } from '@shmkit/sys';
import { hasCode, ShmError, systemError } from './errors.js';
import { posixPath, SHM_DIR } from './posix-name.js';
import { MappedMemory } from './shared-memory.js';
import { validateBoolean, validatePerms, validateSize } from './validate.js';

const { O_RDONLY, O_RDWR, O_CREAT, O_EXCL, O_NOFOLLOW, O_NONBLOCK } = fsConstants;

export interface PosixCreateOptions {
  /** Permission bits, applied exactly (not subject to the umask); owner read/write is always added. Default 0o600. */
  perms?: number;
  /** Unlink the name when this object is closed or disposed. Default true. */
  volatile?: boolean;
  /** Fail with EEXIST when the name exists. With false an existing object of the same size is opened. Default true. */
  exclusive?: boolean;
}

export interface PosixOpenOptions {
  readonly?: boolean;
}

/** A POSIX shared memory object as listed by PosixSharedMemory.list(). */
export interface PosixShmEntry {
  name: string;
  size: number;
  /** The nine permission bits. */
  perms: number;
  uid: number;
  gid: number;
  mtime: Date;
}

/**
 * A POSIX named shared memory object (Linux: a file in /dev/shm, as glibc's shm_open), mapped
 * MAP_SHARED. No file descriptor is kept once mapped.
 */
export class PosixSharedMemory extends MappedMemory {
  readonly id: string;
  /** True when this object created the name (only then can it be volatile). */
  readonly created: boolean;
  #volatile: boolean;

  private constructor(name: string, arrayBuffer: ArrayBuffer, size: number, readonly: boolean, created: boolean, volatile: boolean) {
    super(arrayBuffer, size, readonly);
    this.id = name;
    this.created = created;
    this.#volatile = volatile;
  }

  get volatile(): boolean {
    return this.#volatile;
  }

  /** The POSIX name, e.g. '/my-segment'. */
  get name(): string {
    return this.id;
  }

  static create(name: string, size: number, options: PosixCreateOptions = {}): PosixSharedMemory {
    const path = posixPath(name);
    validateSize(size);
    const perms = validatePerms(options.perms ?? 0o600);
    const volatile = validateBoolean(options.volatile ?? true, 'volatile');
    const exclusive = validateBoolean(options.exclusive ?? true, 'exclusive');
    checkSpace(name, size);

    let fd: number;
    let existingSize = 0;
    let created = true;
    try {
      fd = openSync(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_NONBLOCK, perms);
    } catch (err) {
      if (exclusive || !hasCode(err, 'EEXIST')) throw systemError(`cannot create POSIX shared memory ${name}`, err);
      created = false;
      ({ fd, size: existingSize } = openExisting(name, path, false));
    }
    try {
      if (created) {
        // The mode given to open() is reduced by the umask; fchmod makes it exact.
        fchmodSync(fd, perms);
        ftruncateSync(fd, size);
      } else {
        if (existingSize === 0) ftruncateSync(fd, size); // its creator has not sized it yet
        else if (existingSize !== size) {
          throw new ShmError(
            'ERR_SHMKIT_SIZE_MISMATCH',
            `POSIX shared memory ${name} exists with ${existingSize} bytes, not the ${size} requested`,
          );
        }
      }
      const arrayBuffer = mmap(fd, 0, size, PROT_READ | PROT_WRITE, MAP_SHARED);
      return new PosixSharedMemory(name, arrayBuffer, size, false, created, created && volatile);
    } catch (err) {
      if (created) unlinkQuietly(path);
      throw systemError(`cannot create POSIX shared memory ${name}`, err);
    } finally {
      closeSync(fd);
    }
  }

  /** Opens an existing object with its current size. Never volatile. */
  static open(name: string, options: PosixOpenOptions = {}): PosixSharedMemory {
    const path = posixPath(name);
    const readonly = validateBoolean(options.readonly ?? false, 'readonly');
    const { fd, size } = openExisting(name, path, readonly);
    try {
      if (size === 0) {
        throw new ShmError('ERR_SHMKIT_INVALID_SIZE', `POSIX shared memory ${name} is empty (size 0): nothing to map`);
      }
      validateSize(size);
      const arrayBuffer = mmap(fd, 0, size, readonly ? PROT_READ : PROT_READ | PROT_WRITE, MAP_SHARED);
      return new PosixSharedMemory(name, arrayBuffer, size, readonly, false, false);
    } catch (err) {
      throw systemError(`cannot open POSIX shared memory ${name}`, err);
    } finally {
      closeSync(fd);
    }
  }

  /** Removes a name (shm_unlink). Mappings stay valid. Returns false when the name did not exist. */
  static unlink(name: string): boolean {
    const path = posixPath(name);
    try {
      unlinkSync(path);
      return true;
    } catch (err) {
      if (hasCode(err, 'ENOENT')) return false;
      throw systemError(`cannot unlink POSIX shared memory ${name}`, err);
    }
  }

  /** The POSIX shared memory objects that exist (named semaphores, 'sem.*', are left out). */
  static list(): PosixShmEntry[] {
    const entries: PosixShmEntry[] = [];
    for (const entry of readdirSync(SHM_DIR, { withFileTypes: true })) {
      if (!entry.isFile() || entry.name.startsWith('sem.')) continue;
      try {
        const st = lstatSync(`${SHM_DIR}/${entry.name}`);
        entries.push({ name: `/${entry.name}`, size: st.size, perms: st.mode & 0o777, uid: st.uid, gid: st.gid, mtime: st.mtime });
      } catch {
        // removed while listing
      }
    }
    return entries.sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Unlinks the name (keeps the mapping). Harmless if it is already gone. */
  remove(): void {
    PosixSharedMemory.unlink(this.id);
    this.#volatile = false;
  }

  protected release(arrayBuffer: ArrayBuffer): void {
    munmap(arrayBuffer);
    if (this.#volatile) {
      this.#volatile = false;
      unlinkQuietly(posixPath(this.id));
    }
  }

  protected describe(): string {
    return `POSIX shared memory ${this.id}`;
  }
}

/**
 * Opens an existing object without following symlinks or blocking on a FIFO, checks that it is a
 * regular file, and returns its descriptor and size.
 */
function openExisting(name: string, path: string, readonly: boolean): { fd: number; size: number } {
  let fd: number;
  try {
    fd = openSync(path, (readonly ? O_RDONLY : O_RDWR) | O_NOFOLLOW | O_NONBLOCK);
  } catch (err) {
    throw systemError(`cannot open POSIX shared memory ${name}`, err);
  }
  const st = fstatSync(fd);
  if (!st.isFile()) {
    closeSync(fd);
    throw new ShmError('ERR_SHMKIT_NOT_SHARED_MEMORY', `${path} is not a regular file`);
  }
  return { fd, size: st.size };
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

/**
 * tmpfs accepts any size at ftruncate but raises SIGBUS when a page cannot be allocated later, so a
 * request larger than the free space of /dev/shm is refused up front (ENOSPC).
 */
function checkSpace(name: string, size: number): void {
  const st = statfsSync(SHM_DIR);
  const free = st.bavail * st.bsize;
  if (size > free) {
    throw new ShmError(
      'ENOSPC',
      `cannot create POSIX shared memory ${name}: ENOSPC (${size} bytes requested, ${free} free in ${SHM_DIR})`,
      { syscall: 'statfs', errno: 28 },
    );
  }
}
