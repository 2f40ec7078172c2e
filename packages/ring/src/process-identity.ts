import { readFileSync } from 'node:fs';

/**
 * Who a process is, in a form other processes can check later: its pid plus its start time (clock
 * ticks since boot, field 22 of /proc/<pid>/stat). The start time tells a pid that was reused by
 * a newer process apart from the original owner. Processes that compare identities must share a
 * pid namespace.
 */
export interface ProcessIdentity {
  pid: number;
  /** Start time in clock ticks since boot; 0 when /proc is not available. */
  startTime: number;
}

interface ProcStat {
  state: string;
  startTime: number;
}

function readProcStat(pid: number): ProcStat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return null;
  }
  // Field 2 (the command name) is in parentheses and may itself contain spaces and ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state), fields[19] is field 22 (starttime).
  return { state: fields[0] ?? '?', startTime: Number(fields[19] ?? 0) };
}

let self: ProcessIdentity | undefined;

/** The identity of the calling process (read once). */
export function selfIdentity(): ProcessIdentity {
  if (self === undefined || self.pid !== process.pid) {
    const stat = readProcStat(process.pid);
    self = { pid: process.pid, startTime: stat?.startTime ?? 0 };
  }
  return self;
}

/**
 * False when the process is gone: no such pid, a zombie (killed but not yet reaped), or a pid now
 * used by a process that started at another time. A startTime of 0 skips the start-time check.
 * Costs a file read: only for slow paths, never per element.
 */
export function isProcessAlive(pid: number, startTime: number): boolean {
  if (pid <= 0) return false;
  if (pid === process.pid) return startTime === 0 || startTime === selfIdentity().startTime;
  const stat = readProcStat(pid);
  if (stat === null) {
    // No /proc entry: either the process is gone or /proc is not mounted; ask the kernel.
    try {
      process.kill(pid, 0);
      return !procMounted();
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'EPERM';
    }
  }
  if (stat.state === 'Z' || stat.state === 'X') return false;
  return startTime === 0 || stat.startTime === startTime;
}

let procIsMounted: boolean | undefined;
function procMounted(): boolean {
  if (procIsMounted === undefined) procIsMounted = readProcStat(process.pid) !== null;
  return procIsMounted;
}
