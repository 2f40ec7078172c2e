import { readdirSync, readFileSync } from 'node:fs';

/** Linux dev_t -> the "major:minor" (hex) form /proc/<pid>/maps prints. */
function devToMaps(dev: number): string {
  const d = BigInt(dev);
  const major = ((d >> 8n) & 0xfffn) | ((d >> 32n) & ~0xfffn);
  const minor = (d & 0xffn) | ((d >> 12n) & ~0xffn);
  return `${major.toString(16).padStart(2, '0')}:${minor.toString(16).padStart(2, '0')}`;
}

/**
 * How many processes map each file, found by scanning /proc/<pid>/maps for the file's device and
 * inode (what `lsof` does). Processes whose maps cannot be read (another user's, when not root)
 * are not counted, so the figure is a lower bound there.
 */
export class MapsIndex {
  readonly #mappers = new Map<string, Set<number>>();

  constructor() {
    let pids: string[] = [];
    try {
      pids = readdirSync('/proc').filter((n) => /^\d+$/.test(n));
    } catch {
      return;
    }
    for (const pid of pids) {
      let text: string;
      try {
        text = readFileSync(`/proc/${pid}/maps`, 'utf8');
      } catch {
        continue;
      }
      for (const line of text.split('\n')) {
        // address perms offset dev inode path
        const parts = line.split(/\s+/, 6);
        const inode = parts[4];
        if (!inode || inode === '0') continue;
        const key = `${parts[3]}/${inode}`;
        let set = this.#mappers.get(key);
        if (!set) this.#mappers.set(key, (set = new Set()));
        set.add(Number(pid));
      }
    }
  }

  /** Number of processes mapping the file with this stat (dev, ino). */
  count(dev: number, ino: number): number {
    return this.#mappers.get(`${devToMaps(dev)}/${ino}`)?.size ?? 0;
  }
}

/** uid -> user name from /etc/passwd (the numeric id when unknown). */
export function userNames(): (uid: number) => string {
  const names = new Map<number, string>();
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const [name, , uid] = line.split(':');
      if (name && uid !== undefined) names.set(Number(uid), name);
    }
  } catch {
    // no passwd file: numbers it is
  }
  return (uid) => names.get(uid) ?? String(uid);
}

/** 0o100644 -> "rw-r--r--". */
export function permString(mode: number): string {
  const bits = 'rwxrwxrwx';
  let out = '';
  for (let i = 0; i < 9; i++) out += mode & (1 << (8 - i)) ? bits[i] : '-';
  return out;
}
