import { IPC_CREAT, IPC_EXCL, shmat as sysShmat, shmctlRemove, shmdt as sysShmdt, shmget as sysShmget } from '@shmkit/sys';
import { hasCode, ShmError, systemError } from './errors.js';
import { MappedMemory } from './shared-memory.js';
import { type ShmInfo, statSegment } from './sysv-info.js';
import { Key, ShmId } from './sysv-key.js';
import { listSegments, type SysvShmEntry } from './sysv-list.js';
import { describe, validateBoolean, validatePerms, validateSize } from './validate.js';

export interface SysvCreateOptions {
  /** Permission bits (System V modes are not subject to the umask); owner read/write always added. Default 0o600. */
  perms?: number;
  /**
   * Request removal right after attaching (IPC_RMID). The segment then has no key (lookups by key
   * fail with ENOENT), stays reachable by id on Linux while attached, and is freed by the kernel
   * when the last process detaches or exits, even after a crash. Default true.
   */
  volatile?: boolean;
}

export interface SysvOpenOptions {
  readonly?: boolean;
}

/** A System V shared memory segment attached at an address chosen by the system. */
export class SysvSharedMemory extends MappedMemory {
  readonly id: ShmId;
  /** The key it was created or opened with (IPC_PRIVATE when opened by id). */
  readonly key: Key;
  readonly volatile: boolean;

  private constructor(id: ShmId, key: Key, arrayBuffer: ArrayBuffer, readonly: boolean, volatile: boolean) {
    super(arrayBuffer, arrayBuffer.byteLength, readonly);
    this.id = id;
    this.key = key;
    this.volatile = volatile;
  }

  /** Creates a new segment (always exclusive: an existing key fails with EEXIST) and attaches it read-write. */
  static create(key: Key, size: number, options: SysvCreateOptions = {}): SysvSharedMemory {
    requireKey(key);
    validateSize(size);
    const perms = validatePerms(options.perms ?? 0o600);
    const volatile = validateBoolean(options.volatile ?? true, 'volatile');
    const what = `cannot create System V shared memory for ${key}`;
    let id: number;
    try {
      id = sysShmget(key.value, size, perms | IPC_CREAT | IPC_EXCL);
    } catch (err) {
      throw systemError(what, err);
    }
    let arrayBuffer: ArrayBuffer;
    try {
      arrayBuffer = sysShmat(id, false);
    } catch (err) {
      removeQuietly(id);
      throw systemError(what, err);
    }
    if (volatile) {
      try {
        shmctlRemove(id);
      } catch (err) {
        sysShmdt(arrayBuffer);
        removeQuietly(id);
        throw systemError(what, err);
      }
    }
    return new SysvSharedMemory(new ShmId(id), key, arrayBuffer, false, volatile);
  }

  /** Attaches an existing segment by key or by id; its size is the size it was created with. Never volatile. */
  static open(ref: Key | ShmId, options: SysvOpenOptions = {}): SysvSharedMemory {
    const readonly = validateBoolean(options.readonly ?? false, 'readonly');
    const id = resolveId(ref, readonly);
    try {
      const arrayBuffer = sysShmat(id.value, readonly);
      return new SysvSharedMemory(id, ref instanceof Key ? ref : new Key(0), arrayBuffer, readonly, false);
    } catch (err) {
      throw systemError(`cannot attach System V shared memory ${id}`, err);
    }
  }

  /** The segments that exist on this machine, as `ipcs -m` lists them. */
  static list(): SysvShmEntry[] {
    return listSegments();
  }

  /** IPC_STAT of this segment. */
  info(): ShmInfo {
    try {
      return statSegment(this.id);
    } catch (err) {
      throw systemError(`cannot stat System V shared memory ${this.id}`, err);
    }
  }

  /** Requests removal (IPC_RMID): the key is released, the memory goes with the last detach. Idempotent. */
  remove(): void {
    removeSegment(this.id);
  }

  protected release(arrayBuffer: ArrayBuffer): void {
    sysShmdt(arrayBuffer);
  }

  protected describe(): string {
    return `System V shared memory ${this.id}`;
  }
}

export function requireKey(key: unknown): asserts key is Key {
  if (!(key instanceof Key)) {
    throw new ShmError('ERR_SHMKIT_INVALID_KEY', `expected a Key (new Key(n) or Key.fromPath()), got ${describe(key)}`);
  }
}

/**
 * The id of a segment given by key (looked up with the access that will be needed, so the kernel
 * checks permissions now), by id, or by an attached SysvSharedMemory.
 */
export function resolveId(ref: Key | ShmId | SysvSharedMemory, readonly: boolean): ShmId {
  if (ref instanceof ShmId) return ref;
  if (ref instanceof SysvSharedMemory) return ref.id;
  if (ref instanceof Key) {
    if (ref.value === 0) {
      throw new ShmError('ERR_SHMKIT_INVALID_KEY', 'IPC_PRIVATE names no segment: open a private segment by its ShmId');
    }
    try {
      return new ShmId(sysShmget(ref.value, 0, readonly ? 0o400 : 0o600));
    } catch (err) {
      throw systemError(`cannot find System V shared memory for ${ref}`, err);
    }
  }
  throw new ShmError('ERR_SHMKIT_INVALID_ARGUMENT', `expected a Key, a ShmId or a SysvSharedMemory, got ${describe(ref)}`);
}

/** IPC_RMID; false when the segment was already gone (EINVAL / EIDRM). */
export function removeSegment(id: ShmId): boolean {
  try {
    shmctlRemove(id.value);
    return true;
  } catch (err) {
    if (hasCode(err, 'EINVAL', 'EIDRM')) return false;
    throw systemError(`cannot remove System V shared memory ${id}`, err);
  }
}

function removeQuietly(id: number): void {
  try {
    shmctlRemove(id);
  } catch {
    // nothing left to clean up
  }
}
