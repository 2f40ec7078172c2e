import { createRequire } from 'node:module';
import { SysError } from './errors.js';

/** The raw functions of the compiled addon (see native/*.c); wrapped and validated by the modules of this package. */
export interface NativeBinding {
  setErrorClass(ctor: new (syscall: string, errno: number, code: string, description: string) => Error): void;
  constants: Record<string, number>;
  mmap(fd: number, offset: number, length: number, prot: number, flags: number): ArrayBuffer;
  munmap(buffer: ArrayBuffer): boolean;
  msync(buffer: ArrayBuffer, offset: number, length: number, flags: number): void;
  madvise(buffer: ArrayBuffer, offset: number, length: number, advice: number): void;
  shmget(key: number, size: number, flags: number): number;
  shmat(id: number, readonly: boolean): ArrayBuffer;
  shmdt(buffer: ArrayBuffer): boolean;
  shmctlStat(id: number): Record<string, number>;
  shmctlSet(id: number, change: { uid?: number; gid?: number; mode?: number }): void;
  shmctlRemove(id: number): void;
  ftok(path: string, projId: number): number;
  futexWait(view: Int32Array, index: number, expected: number, timeoutMs?: number): string;
  futexWake(view: Int32Array, index: number, count: number): number;
  futexWaitAsync(view: Int32Array, index: number, expected: number, timeoutMs?: number): [Promise<string>, unknown];
  fcntlLock(fd: number, type: number, ofd: boolean, start: number, len: number, wait: boolean, timeoutMs?: number): boolean;
  fcntlGetLock(fd: number, type: number, ofd: boolean, start: number, len: number): {
    type: 'read' | 'write';
    pid: number;
    start: number;
    len: number;
  } | null;
  fcntlLockAsync(fd: number, type: number, ofd: boolean, start: number, len: number, timeoutMs?: number): [
    Promise<string>,
    unknown,
  ];
  cancelWait(handle: unknown): void;
}

// src/ and dist/ are both one level below the package root, next to build/.
const ADDON_PATH = '../build/Release/shmkit_sys.node';

function load(): NativeBinding {
  const require = createRequire(import.meta.url);
  let binding: NativeBinding;
  try {
    binding = require(ADDON_PATH) as NativeBinding;
  } catch (cause) {
    throw new Error(
      '@shmkit/sys: the native addon is not built or cannot be loaded. It is compiled when the package is ' +
        'installed (a C compiler and the Node headers are needed); rebuild it with `node scripts/build-native.mjs` ' +
        'in the @shmkit/sys package directory.',
      { cause },
    );
  }
  // Native failures are thrown as this class, with errno, code and syscall filled in.
  binding.setErrorClass(SysError);
  return binding;
}

export const native: NativeBinding = load();
