import { isProcessAlive as isSameProcessAlive, processStartTime } from '@shmkit/sys';

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

let self: ProcessIdentity | undefined;

/** The identity of the calling process (read once). */
export function selfIdentity(): ProcessIdentity {
  if (self === undefined || self.pid !== process.pid) {
    self = { pid: process.pid, startTime: processStartTime() ?? 0 };
  }
  return self;
}

/**
 * False when the process is gone: no such pid, a zombie (killed but not yet reaped), or a pid now
 * used by a process that started at another time. A startTime of 0 (written by a process without
 * /proc) skips the start-time check. Costs a file read: only for slow paths, never per element.
 */
export function isProcessAlive(pid: number, startTime: number): boolean {
  return isSameProcessAlive(pid, startTime === 0 ? undefined : startTime);
}
