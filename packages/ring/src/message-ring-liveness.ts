import { bootTicksNow as readBootTicks, isProcessAlive, processStartTime } from '@shmkit/sys';

/**
 * Decides whether the process that wrote a pid into shared memory is gone. Only used on slow
 * paths (a record that stays uncommitted, a claim lock that stays held), never per message.
 * MessageRing records only pids, so a reused pid is recognised by its start: a process that
 * started after the moment the pid was first seen holding something cannot be the holder.
 */

/**
 * Ticks since boot now, on the same clock as /proc/<pid>/stat's starttime. Without /proc/uptime it
 * is +Infinity, so no process is ever judged to have started after the observation.
 */
export function bootTicksNow(): number {
  return readBootTicks() ?? Number.POSITIVE_INFINITY;
}

/**
 * True when `pid` no longer names the process that held something since at least
 * `observedSinceTicks` (boot ticks): the pid does not exist, is a zombie, or was reused by a
 * process started after that moment.
 */
export function isProcessGone(pid: number, observedSinceTicks: number): boolean {
  if (pid <= 0) return false; // nobody recorded: cannot judge, keep waiting
  if (!isProcessAlive(pid)) return true;
  const startTicks = processStartTime(pid);
  // One tick of slack: uptime and starttime are read at different moments.
  return startTicks !== null && startTicks > observedSinceTicks + 1;
}
