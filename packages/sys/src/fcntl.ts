import { native } from './binding.js';
import type { AsyncWait } from './futex.js';

export type LockType = 'read' | 'write' | 'unlock';

/**
 * A byte range lock request. `ofd: true` uses open-file-description locks (owned by the open file,
 * so two opens in one process conflict, and closing another descriptor of the file keeps them);
 * otherwise classic POSIX locks (owned by the process; closing ANY descriptor of the file drops them).
 */
export interface LockRequest {
  type: LockType;
  ofd?: boolean;
  start?: number;
  /** 0 = up to the end of the file, however far it grows. */
  len?: number;
}

/** A lock that blocks a request: `pid` is -1 for open-file-description locks. */
export interface LockHolder {
  type: 'read' | 'write';
  pid: number;
  start: number;
  len: number;
}

const TYPE_CODES: Record<LockType, number> = { read: 0, write: 1, unlock: 2 };

function typeCode(type: LockType): number {
  const code = TYPE_CODES[type];
  if (code === undefined) {
    throw Object.assign(new TypeError(`lock type must be 'read', 'write' or 'unlock', got ${String(type)}`), {
      code: 'ERR_INVALID_ARG_VALUE',
    });
  }
  return code;
}

/**
 * Takes, changes or releases a record lock. Without `wait` (F_SETLK): false on conflict. With
 * `wait` (F_SETLKW): blocks the calling thread; with `timeoutMs`, returns false when time is up.
 */
export function fcntlLock(fd: number, req: LockRequest & { wait?: boolean; timeoutMs?: number }): boolean {
  return native.fcntlLock(
    fd,
    typeCode(req.type),
    req.ofd === true,
    req.start ?? 0,
    req.len ?? 0,
    req.wait === true,
    req.timeoutMs,
  );
}

/** F_GETLK: the first lock that would block `req` (type 'read' or 'write'), or null. */
export function fcntlGetLock(fd: number, req: LockRequest): LockHolder | null {
  return native.fcntlGetLock(fd, typeCode(req.type), req.ofd === true, req.start ?? 0, req.len ?? 0);
}

/**
 * Waits for a lock on a dedicated native thread (never blocks the event loop). The thread sleeps in
 * F_SETLKW / F_OFD_SETLKW, so the kernel wakes it at the release; cancel() and the timeout interrupt
 * it with the real-time signal SIGRTMIN+6, sent to that thread only. The resolution is 'locked' when
 * the lock is now held (also when it was granted just as cancel() was called: release it then).
 * Classic locks take part in the kernel's deadlock detection: a wait that would close a cycle
 * between processes rejects with SysError EDEADLK.
 */
export function fcntlLockAsync(
  fd: number,
  req: LockRequest & { timeoutMs?: number },
): AsyncWait<'locked' | 'timed-out' | 'cancelled'> {
  const [promise, handle] = native.fcntlLockAsync(
    fd,
    typeCode(req.type),
    req.ofd === true,
    req.start ?? 0,
    req.len ?? 0,
    req.timeoutMs,
  );
  return {
    promise: promise as Promise<'locked' | 'timed-out' | 'cancelled'>,
    cancel: () => native.cancelWait(handle),
  };
}
