import { readFileSync } from 'node:fs';

/**
 * Who holds a block: a pid plus that process's start time (boot ticks from /proc), so a pid the
 * kernel has reused for another process is not mistaken for the original holder.
 */

function statFields(pid: number | 'self'): string[] | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return null;
  }
  // Field 2 (the command) is parenthesised and may contain spaces or ')': split after the last ')'.
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
}

let selfStartTicks: number | undefined;

/** This process's start time in boot ticks, truncated to 32 bits as stored in shared memory. */
export function ownStartTicks(): number {
  if (selfStartTicks === undefined) {
    const fields = statFields('self');
    selfStartTicks = fields ? Number(fields[19]) | 0 : 0;
  }
  return selfStartTicks;
}

/**
 * Remembers liveness answers for the duration of one scan, so a pool of a million blocks held
 * by three processes reads /proc three times, not a million.
 */
export class HolderLiveness {
  private readonly known = new Map<number, boolean>();

  /** True when process `pid` that started at `startTicks` (0 = unknown) is still running. */
  isAlive(pid: number, startTicks: number): boolean {
    if (pid === process.pid) return true;
    if (pid <= 0) return false;
    const key = pid * 4294967296 + (startTicks >>> 0);
    let alive = this.known.get(key);
    if (alive === undefined) {
      alive = probe(pid, startTicks);
      this.known.set(key, alive);
    }
    return alive;
  }
}

function probe(pid: number, startTicks: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
    // EPERM: the process exists under another user; /proc still tells its state and start.
  }
  const fields = statFields(pid);
  if (fields === null) return false;
  if (fields[0] === 'Z' || fields[0] === 'X') return false; // exited, not yet reaped
  return startTicks === 0 || (Number(fields[19]) | 0) === startTicks;
}
