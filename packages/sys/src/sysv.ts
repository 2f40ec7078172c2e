import { native } from './binding.js';

/** IPC_STAT of a System V segment. `mode` includes SHM_DEST (0o1000) once removal was requested. */
export interface ShmStat {
  /** The key (0 for IPC_PRIVATE and after IPC_RMID). */
  key: number;
  uid: number;
  gid: number;
  cuid: number;
  cgid: number;
  mode: number;
  /** shm_segsz: the size requested at creation, not rounded to pages. */
  size: number;
  /** Seconds since the epoch; 0 when it never happened. */
  atime: number;
  dtime: number;
  ctime: number;
  cpid: number;
  lpid: number;
  nattch: number;
}

/** shmget(2): the id of the segment for `key` (created when flags include IPC_CREAT). */
export function shmget(key: number, size: number, flags: number): number {
  return native.shmget(key, size, flags);
}

/**
 * shmat(2) at an address chosen by the system: an external ArrayBuffer of the segment's requested
 * size. With readonly the pages are mapped read-only, so a write through a view faults the process.
 */
export function shmat(id: number, readonly: boolean): ArrayBuffer {
  return native.shmat(id, readonly);
}

/** Detaches the ArrayBuffer (views become empty), then shmdt(2). False when already detached. */
export function shmdt(buffer: ArrayBuffer): boolean {
  return native.shmdt(buffer);
}

export function shmctlStat(id: number): ShmStat {
  return native.shmctlStat(id) as unknown as ShmStat;
}

/** IPC_SET: changes the owner and/or the nine permission bits of `mode`, keeping the rest. */
export function shmctlSet(id: number, change: { uid?: number; gid?: number; mode?: number }): void {
  native.shmctlSet(id, change);
}

/** IPC_RMID: the segment goes away after its last detach; until then it stays reachable by id on Linux. */
export function shmctlRemove(id: number): void {
  native.shmctlRemove(id);
}

/** ftok(3): a System V key derived from a file's device and inode numbers and a project id. */
export function ftok(path: string, projId: number): number {
  return native.ftok(path, projId);
}
