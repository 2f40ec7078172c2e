import { shmctlStat } from '@shmkit/sys';
import type { ShmId } from './sysv-key.js';

/** IPC_STAT of a segment, with InterProcessCommunication.jl's field names (plus `key`). */
export interface ShmInfo {
  /** Last attach, last detach, creation or last IPC_SET: seconds since the epoch, 0 = never. */
  atime: number;
  dtime: number;
  ctime: number;
  /** The size requested at creation (shm_segsz), not rounded to pages. */
  segsz: number;
  id: ShmId;
  /** Creator and last attach/detach process ids. */
  cpid: number;
  lpid: number;
  nattch: number;
  /** Permission bits plus SHM_DEST (0o1000, removal requested) and SHM_LOCKED (0o2000). */
  mode: number;
  uid: number;
  gid: number;
  cuid: number;
  cgid: number;
  /** The key; 0 for IPC_PRIVATE segments and after removal was requested. */
  key: number;
}

/** SHM_DEST: the mode bit set once removal was requested (the segment goes when the last process detaches). */
export const SHM_DEST = 0o1000;

export function statSegment(id: ShmId): ShmInfo {
  const s = shmctlStat(id.value);
  return {
    atime: s.atime,
    dtime: s.dtime,
    ctime: s.ctime,
    segsz: s.size,
    id,
    cpid: s.cpid,
    lpid: s.lpid,
    nattch: s.nattch,
    mode: s.mode,
    uid: s.uid,
    gid: s.gid,
    cuid: s.cuid,
    cgid: s.cgid,
    key: s.key,
  };
}
