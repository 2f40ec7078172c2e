import { readFileSync } from 'node:fs';

/**
 * Decides whether the process that wrote a pid into shared memory is gone. Only used on slow
 * paths (a record that stays uncommitted, a claim lock that stays held), never per message.
 */

/** Linux reports process start times in USER_HZ ticks, which is 100 on every Linux ABI. */
const TICKS_PER_SECOND = 100;

interface ProcStat {
  state: string;
  startTicks: number;
}

function readProcStat(pid: number): ProcStat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return null;
  }
  // The command name (field 2) is in parentheses and may itself contain spaces or ')'.
  const close = text.lastIndexOf(')');
  const fields = text.slice(close + 2).split(' ');
  // fields[0] is field 3 (state); field 22 (starttime) is fields[19].
  return { state: fields[0] ?? '?', startTicks: Number(fields[19]) };
}

/** Ticks since boot now, on the same clock as /proc/<pid>/stat's starttime. */
export function bootTicksNow(): number {
  try {
    const uptime = Number(readFileSync('/proc/uptime', 'latin1').split(' ')[0]);
    return Math.floor(uptime * TICKS_PER_SECOND);
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/**
 * True when `pid` no longer names the process that held something since at least
 * `observedSinceTicks` (boot ticks): the pid does not exist, is a zombie, or was reused by a
 * process started after that moment.
 */
export function isProcessGone(pid: number, observedSinceTicks: number): boolean {
  if (pid <= 0) return false; // nobody recorded: cannot judge, keep waiting
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return true;
    // EPERM: it exists but belongs to someone else; fall through to /proc.
  }
  const stat = readProcStat(pid);
  if (stat === null) return true;
  if (stat.state === 'Z' || stat.state === 'X') return true;
  // One tick of slack: uptime and starttime are read at different moments.
  return Number.isFinite(stat.startTicks) && stat.startTicks > observedSinceTicks + 1;
}
