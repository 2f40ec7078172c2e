import { AsyncLocalStorage } from 'node:async_hooks';
import { IpmmapError } from './errors.js';

export type LockMode = 'read' | 'write';

interface HeldCounts {
  read: number;
  write: number;
}

/**
 * The scopes this process holds, per lock file. Lock files are locked with open-file-description
 * locks, so two scopes of one process exclude each other exactly as two processes do. That makes
 * a conflicting scope opened *inside* another one wait for itself forever, where Python ipmmap
 * would silently downgrade or drop its lock. Such nesting is detected and refused instead.
 */
const held = new Map<string, HeldCounts>();

/** The scopes enclosing the running code (async `use()` callbacks and everything they await). */
const enclosing = new AsyncLocalStorage<ReadonlyArray<{ lockPath: string; mode: LockMode; owner: object }>>();

function conflicts(mode: LockMode, counts: HeldCounts | undefined): boolean {
  if (!counts) return false;
  return mode === 'write' ? counts.read + counts.write > 0 : counts.write > 0;
}

function nestedError(lockPath: string, mode: LockMode, why: string): IpmmapError {
  return new IpmmapError(
    'ERR_SHMKIT_IPMMAP_NESTED',
    `cannot take the ${mode} lock on ${lockPath}: ${why}. Close the other scope first, or open this one after it`,
  );
}

/**
 * For a synchronous open: any conflicting scope held by this process would make the blocking
 * wait endless (its holder cannot run while this thread waits), so it is an error.
 */
export function checkSyncOpen(lockPath: string, mode: LockMode, ownerBusy: boolean): void {
  if (ownerBusy) throw nestedError(lockPath, mode, 'this handle already has an open scope');
  const counts = held.get(lockPath);
  if (conflicts(mode, counts)) {
    throw nestedError(
      lockPath,
      mode,
      `this process already holds the ${counts!.write ? 'write' : 'read'} lock on it in another open scope, ` +
        'and a synchronous wait for it would never end (use the async use() to wait for another task)',
    );
  }
}

/**
 * For an async use(): a conflicting scope that *encloses* the caller would never be released
 * while the caller waits, so it is an error; any other holder in this process is just waited for.
 */
export function checkAsyncUse(lockPath: string, mode: LockMode, owner: object): void {
  for (const outer of enclosing.getStore() ?? []) {
    if (outer.owner === owner) throw nestedError(lockPath, mode, 'this handle already has a scope open around this call');
    if (outer.lockPath === lockPath && (mode === 'write' || outer.mode === 'write')) {
      throw nestedError(lockPath, mode, `this call runs inside a scope that holds the ${outer.mode} lock on it`);
    }
  }
}

export function noteAcquired(lockPath: string, mode: LockMode): void {
  const counts = held.get(lockPath) ?? { read: 0, write: 0 };
  counts[mode] += 1;
  held.set(lockPath, counts);
}

export function noteReleased(lockPath: string, mode: LockMode): void {
  const counts = held.get(lockPath);
  if (!counts) return;
  counts[mode] -= 1;
  if (counts.read + counts.write === 0) held.delete(lockPath);
}

/** Runs `fn` marked as enclosed by a scope, so nested use() calls can see it. */
export function runEnclosed<R>(lockPath: string, mode: LockMode, owner: object, fn: () => R): R {
  const outer = enclosing.getStore() ?? [];
  return enclosing.run([...outer, { lockPath, mode, owner }], fn);
}
