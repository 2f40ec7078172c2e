// proper-lockfile 4 ships no type declarations; these cover the calls this package makes.
declare module 'proper-lockfile' {
  export interface ProperLockfileOptions {
    stale?: number;
    update?: number;
    retries?: number | { retries?: number; factor?: number; minTimeout?: number; maxTimeout?: number };
    realpath?: boolean;
    fs?: object;
    onCompromised?: (err: Error) => void;
    lockfilePath?: string;
  }
  export function lock(file: string, options?: ProperLockfileOptions): Promise<() => Promise<void>>;
  export function lockSync(file: string, options?: ProperLockfileOptions): () => void;
  export function unlock(file: string, options?: ProperLockfileOptions): Promise<void>;
  export function unlockSync(file: string, options?: ProperLockfileOptions): void;
  export function check(file: string, options?: ProperLockfileOptions): Promise<boolean>;
  export function checkSync(file: string, options?: ProperLockfileOptions): boolean;
  const lockfile: {
    lock: typeof lock;
    lockSync: typeof lockSync;
    unlock: typeof unlock;
    unlockSync: typeof unlockSync;
    check: typeof check;
    checkSync: typeof checkSync;
  };
  export default lockfile;
}
