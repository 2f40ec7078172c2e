import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let counter = 0;

/** A name unique to this process and call, for shared objects and lock files. */
export function uniqueName(prefix = 'shmkit'): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}

/** A fresh temporary directory; dispose (or call remove) to delete it with its contents. */
export function makeTmpDir(prefix = 'shmkit-test-'): { path: string; remove(): void; [Symbol.dispose](): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  const remove = () => rmSync(path, { recursive: true, force: true });
  return { path, remove, [Symbol.dispose]: remove };
}
