/**
 * The low-level System V functions with InterProcessCommunication.jl's names and semantics
 * (shmget, shmat, shmdt, shmrm, shmcfg, shmctl, shminfo).
 */
import { shmctlSet, shmat as sysShmat, shmdt as sysShmdt, shmget as sysShmget } from '@shmkit/sys';
import { ShmError, systemError } from './errors.js';
import { PosixSharedMemory } from './posix.js';
import { type ShmInfo, statSegment } from './sysv-info.js';
import { type Key, ShmId } from './sysv-key.js';
import { removeSegment, requireKey, resolveId, SysvSharedMemory } from './sysv.js';
import { describe } from './validate.js';

/** shmctl commands (Linux values). */
export const IPC_RMID = 0;
export const IPC_SET = 1;
export const IPC_STAT = 2;

type SegmentRef = Key | ShmId | SysvSharedMemory;

/** Raw shmget: flags are the nine permission bits plus IPC_CREAT / IPC_EXCL. No rounding is done. */
export function shmget(key: Key, size: number, flags: number): ShmId {
  requireKey(key);
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new ShmError('ERR_SHMKIT_INVALID_SIZE', `size must be a non-negative safe integer, got ${describe(size)}`);
  }
  if (!Number.isInteger(flags) || flags < 0 || flags > 0o7777) {
    throw new ShmError('ERR_SHMKIT_INVALID_ARGUMENT', `flags must be permission bits | IPC_CREAT | IPC_EXCL, got ${describe(flags)}`);
  }
  try {
    return new ShmId(sysShmget(key.value, size, flags));
  } catch (err) {
    throw systemError(`shmget(${key}, ${size}) failed`, err);
  }
}

/** Raw shmat at a system-chosen address: a Buffer of the segment's size. Release it with shmdt. */
export function shmat(id: ShmId, readonly = false): Buffer {
  const shmId = requireId(id);
  try {
    const arrayBuffer = sysShmat(shmId.value, readonly);
    return Buffer.from(arrayBuffer, 0, arrayBuffer.byteLength);
  } catch (err) {
    throw systemError(`shmat(${shmId}) failed`, err);
  }
}

/** Detaches memory from shmat (or closes a SysvSharedMemory); views over it become empty. False if already detached. */
export function shmdt(mem: Buffer | ArrayBuffer | SysvSharedMemory): boolean {
  if (mem instanceof SysvSharedMemory) {
    const wasOpen = !mem.closed;
    mem.close();
    return wasOpen;
  }
  const arrayBuffer = mem instanceof ArrayBuffer ? mem : mem?.buffer;
  if (!(arrayBuffer instanceof ArrayBuffer)) {
    throw new ShmError('ERR_SHMKIT_INVALID_ARGUMENT', `shmdt expects memory returned by shmat, got ${describe(mem)}`);
  }
  try {
    return sysShmdt(arrayBuffer);
  } catch (err) {
    throw new ShmError('ERR_SHMKIT_INVALID_ARGUMENT', 'shmdt expects memory returned by shmat', { cause: err });
  }
}

/**
 * Removes a segment (by key, id or handle) or a POSIX name. Already removed is not an error:
 * returns false then.
 */
export function shmrm(ref: SegmentRef | string): boolean {
  if (typeof ref === 'string') return PosixSharedMemory.unlink(ref);
  let id: ShmId;
  try {
    id = resolveId(ref, true);
  } catch (err) {
    if (err instanceof ShmError && err.code === 'ENOENT') return false;
    throw err;
  }
  return removeSegment(id);
}

/** "chmod" for a segment: sets the nine permission bits when they differ. Returns the id. */
export function shmcfg(ref: SegmentRef, perms: number): ShmId {
  if (!Number.isInteger(perms) || perms < 0 || perms > 0o777) {
    throw new ShmError('ERR_SHMKIT_INVALID_PERMS', `perms must be an integer from 0 to 0o777, got ${describe(perms)}`);
  }
  const id = resolveId(ref, false);
  try {
    if ((statSegment(id).mode & 0o777) !== perms) shmctlSet(id.value, { mode: perms });
  } catch (err) {
    throw systemError(`cannot change the permissions of System V shared memory ${id}`, err);
  }
  return id;
}

/** IPC_STAT as a ShmInfo. A key resolves read-only. */
export function shminfo(ref: SegmentRef): ShmInfo {
  const id = resolveId(ref, true);
  try {
    return statSegment(id);
  } catch (err) {
    throw systemError(`cannot stat System V shared memory ${id}`, err);
  }
}

export interface ShmSetRequest {
  mode?: number;
  uid?: number;
  gid?: number;
}

/** shmctl: IPC_STAT returns a ShmInfo; IPC_SET applies mode/uid/gid from `buf`; IPC_RMID removes. */
export function shmctl(id: ShmId, cmd: typeof IPC_STAT): ShmInfo;
export function shmctl(id: ShmId, cmd: typeof IPC_SET, buf: ShmSetRequest): void;
export function shmctl(id: ShmId, cmd: typeof IPC_RMID): void;
export function shmctl(id: ShmId, cmd: number, buf?: ShmSetRequest): ShmInfo | undefined {
  const shmId = requireId(id);
  try {
    switch (cmd) {
      case IPC_STAT:
        return statSegment(shmId);
      case IPC_SET:
        if (typeof buf !== 'object' || buf === null) {
          throw new ShmError('ERR_SHMKIT_INVALID_ARGUMENT', 'IPC_SET needs { mode?, uid?, gid? }');
        }
        shmctlSet(shmId.value, buf);
        return undefined;
      case IPC_RMID:
        removeSegmentStrict(shmId);
        return undefined;
      default:
        throw new ShmError('ERR_SHMKIT_INVALID_ARGUMENT', `unsupported shmctl command ${describe(cmd)}`);
    }
  } catch (err) {
    throw systemError(`shmctl(${shmId}, ${cmd}) failed`, err);
  }
}

function removeSegmentStrict(id: ShmId): void {
  if (!removeSegment(id)) {
    throw new ShmError('EINVAL', `shmctl(${id}, IPC_RMID) failed: EINVAL (no such segment)`, { errno: 22, syscall: 'shmctl' });
  }
}

function requireId(id: unknown): ShmId {
  if (!(id instanceof ShmId)) {
    throw new ShmError('ERR_SHMKIT_INVALID_ID', `expected a ShmId, got ${describe(id)}`);
  }
  return id;
}
