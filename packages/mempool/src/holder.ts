import { isProcessAlive, processStartTime } from '@shmkit/sys';

/**
 * Who holds a block: a pid plus that process's start time (boot ticks from /proc), so a pid the
 * kernel has reused for another process is not mistaken for the original holder.
 */

let selfStartTicks: number | undefined;

/** This process's start time in boot ticks, truncated to 32 bits as stored in shared memory. */
export function ownStartTicks(): number {
  if (selfStartTicks === undefined) selfStartTicks = (processStartTime() ?? 0) | 0;
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
      // startTicks holds the low 32 bits (signed) of the start time; isProcessAlive compares just those.
      alive = isProcessAlive(pid, startTicks === 0 ? undefined : startTicks);
      this.known.set(key, alive);
    }
    return alive;
  }
}
