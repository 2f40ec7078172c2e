/**
 * Locks of a file held by this thread (module state is per thread in Node). A synchronous wait
 * for a lock that this same thread holds would block forever — the holder cannot run to release
 * it — so such waits fail at once instead. Keyed by the file's device and inode.
 */
interface Holds {
  read: number;
  write: number;
}

const holdsByFile = new Map<string, Holds>();

export type HoldType = 'read' | 'write';

/** Whether this thread holds a lock of `key` that a `type` request would have to wait for. */
export function conflictsWithThisThread(key: string, type: HoldType): boolean {
  const holds = holdsByFile.get(key);
  if (holds === undefined) return false;
  return type === 'write' ? holds.read + holds.write > 0 : holds.write > 0;
}

export function addThreadHold(key: string, type: HoldType): void {
  let holds = holdsByFile.get(key);
  if (holds === undefined) {
    holds = { read: 0, write: 0 };
    holdsByFile.set(key, holds);
  }
  holds[type] += 1;
}

export function removeThreadHold(key: string, type: HoldType): void {
  const holds = holdsByFile.get(key);
  if (holds === undefined) return;
  holds[type] -= 1;
  if (holds.read + holds.write <= 0) holdsByFile.delete(key);
}
