import { isProcessAlive, processStartTime } from '@shmkit/sys';

/**
 * Who holds a shared-memory lock, as one 64-bit value: the pid in the low 22 bits (Linux never
 * hands out pids at or above 2^22) and the low 32 bits of the process start time (clock ticks since
 * boot, field 22 of /proc/<pid>/stat) in the high 32 bits. A pid reused by a new process comes with a
 * different start time, so a dead holder is never mistaken for a live one.
 */
export const PID_MASK = 0x3f_ffffn;

/** Positive liveness answers are reused for this long, so busy contention does not read /proc each time. */
const ALIVE_CACHE_MS = 40;
const aliveCache = new Map<bigint, number>();

const selfPid = process.pid;
const selfFullStart = processStartTime();
/** False without a readable Linux /proc: the shared-memory locks then refuse to work (see requireProc). */
const procAvailable = selfFullStart !== null;
const selfStart = selfFullStart === null ? 0 : selfFullStart >>> 0;

/** Shared-memory locks name their holders by /proc data; without it they cannot be robust, so they refuse. */
export function requireProc(kind: string): void {
  if (!procAvailable) {
    throw new Error(`${kind} needs a readable Linux /proc (to recognise a dead holder): /proc/${selfPid}/stat is not readable`);
  }
}

/** This process's identity as stored in lock words. Every thread of a process shares it. */
export const selfIdentity: bigint = (BigInt(selfStart) << 32n) | BigInt(selfPid);

export function identityPid(identity: bigint): number {
  return Number(identity & PID_MASK);
}

export function identityStartTime(identity: bigint): number {
  return Number((identity >> 32n) & 0xffff_ffffn);
}

/**
 * Whether the process recorded in `identity` still runs. A process that exited but was not yet
 * reaped (a zombie) counts as dead: it can never release anything. When /proc hides other users'
 * processes (mounted with hidepid), the answer errs on the side of "alive", which can delay a
 * takeover but never breaks exclusion.
 */
export function isHolderAlive(identity: bigint): boolean {
  const pid = identityPid(identity);
  const start = identityStartTime(identity);
  if (pid === 0) return false;
  if (pid === selfPid) return start === selfStart;
  const now = performance.now();
  const checkedAt = aliveCache.get(identity);
  if (checkedAt !== undefined && now - checkedAt < ALIVE_CACHE_MS) return true;
  // `start` is the low 32 bits of the holder's start time; isProcessAlive compares just those.
  const alive = isProcessAlive(pid, start);
  if (alive) {
    if (aliveCache.size > 1024) aliveCache.clear();
    aliveCache.set(identity, now);
  } else {
    aliveCache.delete(identity);
  }
  return alive;
}

