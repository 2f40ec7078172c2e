import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PosixSharedMemory, SysvSharedMemory } from '@shmkit/shm';
import { EXIT } from '../cli-error.js';
import { lockFileFor } from '../targets.js';
import { MapsIndex, permString, userNames } from '../proc-maps.js';

export const LS_HELP = `usage: shmkit ls [--dir ./.mmap] [--fastener-dir DIR] [--json]

Lists POSIX shared memory objects (/dev/shm), System V segments and the ipmmap data files
(*.mmap) in --dir, with size, owner, permissions and the number of attached processes.
For files and POSIX objects the attach count comes from /proc/<pid>/maps (processes of
other users are only seen by root).`;

export interface ListedObject {
  kind: 'posix' | 'sysv' | 'ipmmap';
  name: string;
  size: number;
  owner: string;
  perms: string;
  attached: number;
  note: string;
}

export function listObjects(dir: string, fastenerDir?: string): ListedObject[] {
  const owner = userNames();
  const maps = new MapsIndex();
  const out: ListedObject[] = [];
  for (const entry of PosixSharedMemory.list()) {
    let attached = 0;
    try {
      const st = statSync(join('/dev/shm', entry.name));
      attached = maps.count(st.dev, st.ino);
    } catch {
      // removed meanwhile
    }
    out.push({
      kind: 'posix',
      name: entry.name,
      size: entry.size,
      owner: owner(entry.uid),
      perms: permString(entry.perms),
      attached,
      note: '',
    });
  }
  for (const seg of SysvSharedMemory.list()) {
    out.push({
      kind: 'sysv',
      name: `key 0x${(seg.key.value >>> 0).toString(16).padStart(8, '0')} id ${seg.id.value}`,
      size: seg.size,
      owner: owner(seg.uid),
      perms: permString(seg.mode),
      attached: seg.nattch,
      note: seg.mode & 0o1000 ? 'removal pending' : '',
    });
  }
  const base = resolve(dir);
  if (existsSync(base)) {
    for (const name of readdirSync(base).filter((n) => n.endsWith('.mmap')).sort()) {
      const path = join(base, name);
      try {
        const st = statSync(path);
        if (!st.isFile()) continue;
        out.push({
          kind: 'ipmmap',
          name: path,
          size: st.size,
          owner: owner(st.uid),
          perms: permString(st.mode),
          attached: maps.count(st.dev, st.ino),
          note: existsSync(lockFileFor(path, fastenerDir)) ? '' : 'no lock file yet',
        });
      } catch {
        // removed meanwhile
      }
    }
  }
  return out;
}

export function lsCommand(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      dir: { type: 'string', default: './.mmap' },
      'fastener-dir': { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(LS_HELP);
    return EXIT.ok;
  }
  const dir = positionals[0] ?? values.dir;
  const objects = listObjects(dir, values['fastener-dir']);
  if (values.json) {
    console.log(JSON.stringify(objects, null, 2));
    return EXIT.ok;
  }
  const header = ['KIND', 'NAME', 'SIZE', 'OWNER', 'PERMS', 'ATTACHED', ''];
  const rows = objects.map((o) => [o.kind, o.name, String(o.size), o.owner, o.perms, String(o.attached), o.note]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const right = new Set([2, 5]);
  for (const r of [header, ...rows]) {
    console.log(
      r
        .map((cell, c) => (right.has(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
        .join('  ')
        .trimEnd(),
    );
  }
  if (rows.length === 0) console.log(`(nothing: no POSIX objects, no System V segments, no .mmap files in ${resolve(dir)})`);
  return EXIT.ok;
}
