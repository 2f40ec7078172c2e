import { readFileSync } from 'node:fs';

/**
 * Whether the process that wrote a pid into shared memory is still that same, running process.
 * Linux facts only, read from /proc; what to do about a dead process is the caller's business.
 * Every call reads a small /proc file (a few microseconds): meant for slow paths, not per element.
 */

/** The fields of /proc/<pid>/stat that tell whether a process is the one recorded earlier. */
export interface ProcessStat {
  /** Field 3: 'R' running, 'S' sleeping, 'D' disk sleep, 'T' stopped, 'Z' zombie, 'X' dead, ... */
  state: string;
  /** Field 22: when the process started, in clock ticks (USER_HZ) since boot. */
  startTime: number;
}

/** Linux reports start times and uptime-derived ticks in USER_HZ, which is 100 on every Linux ABI. */
const TICKS_PER_SECOND = 100;

/** States of a process that has exited: a zombie (not yet reaped) can never release anything. */
const EXITED_STATES = new Set(['Z', 'X', 'x']);

/**
 * State and start time of process `pid`, or null when no such process is visible: it does not exist,
 * /proc is not mounted, or /proc hides it from this user (hidepid). `isProcessAlive` tells these apart.
 */
export function readProcessStat(pid: number): ProcessStat | null {
  if (!Number.isSafeInteger(pid) || pid <= 0) return null;
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return null;
  }
  // Field 2 (the command name) is in parentheses and may itself contain spaces or ')': the
  // remaining fields start after the last ')'. fields[0] is field 3, fields[19] is field 22.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  const startTime = Number(fields[19]);
  if (state === undefined || state === '' || !Number.isSafeInteger(startTime)) return null;
  return { state, startTime };
}

let ownPid = 0;
let ownStartTime: number | null = null;

/**
 * When process `pid` (default: this process) started, in clock ticks since boot; null when /proc
 * does not show it. This process's own value is read once.
 */
export function processStartTime(pid: number = process.pid): number | null {
  if (pid === process.pid) {
    if (ownPid !== pid) {
      ownStartTime = readProcessStat(pid)?.startTime ?? null;
      ownPid = pid;
    }
    return ownStartTime;
  }
  return readProcessStat(pid)?.startTime ?? null;
}

/**
 * True while process `pid` runs and, when `startTime` is given, is the process that started at that
 * time (a pid the kernel handed to a newer process then counts as dead). A zombie counts as dead.
 *
 * `startTime` may be the full value or only its low 32 bits, stored signed (`t | 0`) or unsigned
 * (`t >>> 0`): a value in [-2^31, 2^32) is compared with the low 32 bits of the real start time.
 *
 * When /proc does not show the process (hidepid, or no /proc) the kernel is asked whether the pid
 * exists (`kill(pid, 0)`); the start time cannot be checked then, so the answer errs on "alive" —
 * a caller waits longer for a takeover rather than taking over from a live process.
 */
export function isProcessAlive(pid: number, startTime?: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) {
    const own = processStartTime();
    return startTime === undefined || own === null || sameStartTime(startTime, own);
  }
  const stat = readProcessStat(pid);
  if (stat === null) return pidExists(pid);
  if (EXITED_STATES.has(stat.state)) return false;
  return startTime === undefined || sameStartTime(startTime, stat.startTime);
}

/** Clock ticks since boot now, on the same clock as `processStartTime`; null without /proc/uptime. */
export function bootTicksNow(): number | null {
  let text: string;
  try {
    text = readFileSync('/proc/uptime', 'latin1');
  } catch {
    return null;
  }
  const seconds = Number(text.split(' ')[0]);
  return Number.isFinite(seconds) ? Math.floor(seconds * TICKS_PER_SECOND) : null;
}

function sameStartTime(recorded: number, actual: number): boolean {
  if (recorded === actual) return true;
  const truncated = Number.isInteger(recorded) && recorded >= -(2 ** 31) && recorded < 2 ** 32;
  return truncated && recorded >>> 0 === actual >>> 0;
}

/** kill(pid, 0): ESRCH means no such process; EPERM means it exists under another user. */
function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
