import { readFileSync } from 'node:fs';
import { Key, ShmId } from './sysv-key.js';

/** One System V segment as `ipcs -m` shows it (from /proc/sysvipc/shm). */
export interface SysvShmEntry {
  key: Key;
  id: ShmId;
  /** The nine permission bits plus SHM_DEST (0o1000) when removal was requested ('dest' in ipcs). */
  mode: number;
  size: number;
  cpid: number;
  lpid: number;
  nattch: number;
  uid: number;
  gid: number;
  cuid: number;
  cgid: number;
  atime: number;
  dtime: number;
  ctime: number;
}

const PROC_FILE = '/proc/sysvipc/shm';

/** Parses /proc/sysvipc/shm by its header, so added columns do not break it. */
export function listSegments(text: string = readFileSync(PROC_FILE, 'utf8')): SysvShmEntry[] {
  const [header, ...rows] = text.split('\n');
  const columns = (header ?? '').trim().split(/\s+/);
  const at = (fields: string[], name: string): number => {
    const i = columns.indexOf(name);
    return i < 0 ? 0 : Number(fields[i]);
  };
  const entries: SysvShmEntry[] = [];
  for (const row of rows) {
    const fields = row.trim().split(/\s+/);
    if (fields.length < columns.length) continue;
    entries.push({
      key: new Key(at(fields, 'key')),
      id: new ShmId(at(fields, 'shmid')),
      // perms is printed in octal
      mode: Number.parseInt(fields[columns.indexOf('perms')] ?? '0', 8),
      size: at(fields, 'size'),
      cpid: at(fields, 'cpid'),
      lpid: at(fields, 'lpid'),
      nattch: at(fields, 'nattch'),
      uid: at(fields, 'uid'),
      gid: at(fields, 'gid'),
      cuid: at(fields, 'cuid'),
      cgid: at(fields, 'cgid'),
      atime: at(fields, 'atime'),
      dtime: at(fields, 'dtime'),
      ctime: at(fields, 'ctime'),
    });
  }
  return entries;
}
