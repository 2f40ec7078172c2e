/**
 * The one place that decides which native code maps files.
 *
 * - `mmap-io` 1.1.7 (an optional dependency), as patched in this repository: C++17 for Node 20,
 *   64-bit sizes and offsets, and an `unmap()` that detaches the Buffer's ArrayBuffer (every view
 *   becomes empty) and munmaps before it returns; the patched build says so with
 *   `UNMAP_IMMEDIATE`. Preferred when it loads.
 * - `@shmkit/sys` (shmkit's own addon, a regular dependency): `munmap` detaches the ArrayBuffer and
 *   unmaps before it returns. The published mmap-io neither compiles on Node 20 nor has an
 *   explicit unmap, so this is what npm users of the packed package get.
 *
 * Both unmap at once, so the managers' limits hold at the operating-system level at every instant.
 * `SHMKIT_REGION_BACKEND=mmap-io|sys` forces one backend (no fallback), for tests.
 */
import { createRequire } from 'node:module';
import { constants as osConstants, platform } from 'node:os';
import { RegionError } from './errors.js';

export type BackendName = 'mmap-io' | 'sys';
export type Advice = 'normal' | 'random' | 'sequential' | 'willneed' | 'dontneed';

export interface MappingBackend {
  readonly name: BackendName;
  readonly pageSize: number;
  /** Maps `length` bytes of `fd` at `offset` (page aligned). Read-only mappings are private copy-on-write. */
  map(fd: number, offset: number, length: number, writable: boolean): Buffer;
  /** Makes every view of `buffer` empty and unmaps it before returning. */
  unmap(buffer: Buffer): void;
  sync(buffer: Buffer, offset: number, length: number, wait: boolean): void;
  advise(buffer: Buffer, offset: number, length: number, advice: Advice): void;
}

/** A system failure from a backend, normalised to the errno name ('EACCES', ...). */
export class BackendCallError extends Error {
  constructor(
    readonly syscall: string,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const PROT_READ = 1;
const PROT_WRITE = 2;
const MAP_SHARED = 1;
const MAP_PRIVATE = 2;
// Read-only regions are mapped PROT_READ|PROT_WRITE + MAP_PRIVATE so that a write through the
// returned Buffer changes a private copy-on-write page instead of killing the process with
// SIGSEGV (a Buffer cannot be made read-only). MAP_NORESERVE keeps such mappings out of the
// commit charge, so reading a large file never needs swap-sized reservations.
const MAP_NORESERVE = platform() === 'linux' ? 0x4000 : 0;
const READ_ONLY_FLAGS = MAP_PRIVATE | MAP_NORESERVE;

const errnoNames = new Map<number, string>(
  Object.entries(osConstants.errno).map(([name, value]) => [value as number, name]),
);

function rethrowNative(syscall: string, err: unknown): never {
  if (err instanceof Error) {
    const sysCode = (err as { code?: unknown }).code;
    if (typeof sysCode === 'string' && /^E[A-Z0-9]+$/.test(sysCode)) {
      throw new BackendCallError(syscall, sysCode, err.message);
    }
    // mmap-io reports "mmap failed, 22": the number is errno.
    const match = /(\d+)\s*$/.exec(err.message);
    if (match) {
      const code = errnoNames.get(Number(match[1])) ?? `E${match[1]}`;
      throw new BackendCallError(syscall, code, `${syscall} failed: ${code}`);
    }
  }
  throw err;
}

interface MmapIoModule {
  map(size: number, protection: number, flags: number, fd: number, offset?: number): Buffer;
  unmap?(buffer: Buffer): boolean;
  UNMAP_IMMEDIATE?: number;
  sync(buffer: Buffer, offset: number, size: number, blocking: boolean, invalidate: boolean): void;
  advise(buffer: Buffer, offset: number, length: number, advice: number): void;
  PAGESIZE: number;
  MADV_NORMAL: number;
  MADV_RANDOM: number;
  MADV_SEQUENTIAL: number;
  MADV_WILLNEED: number;
  MADV_DONTNEED: number;
}

/** The part of @shmkit/sys this package uses. */
interface SysModule {
  PAGE_SIZE: number;
  MS_ASYNC: number;
  MS_SYNC: number;
  MADV_NORMAL: number;
  MADV_RANDOM: number;
  MADV_SEQUENTIAL: number;
  MADV_WILLNEED: number;
  MADV_DONTNEED: number;
  mmap(fd: number, offset: number, length: number, prot: number, flags: number): ArrayBuffer;
  munmap(buffer: ArrayBuffer): boolean;
  msync(buffer: ArrayBuffer, offset: number, length: number, flags: number): void;
  madvise(buffer: ArrayBuffer, offset: number, length: number, advice: number): void;
}

function fromMmapIo(m: MmapIoModule): MappingBackend {
  const unmap = m.unmap!;
  const advice: Record<Advice, number> = {
    normal: m.MADV_NORMAL,
    random: m.MADV_RANDOM,
    sequential: m.MADV_SEQUENTIAL,
    willneed: m.MADV_WILLNEED,
    dontneed: m.MADV_DONTNEED,
  };
  return {
    name: 'mmap-io',
    pageSize: m.PAGESIZE,
    map(fd, offset, length, writable) {
      try {
        return writable
          ? m.map(length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, offset)
          : m.map(length, PROT_READ | PROT_WRITE, READ_ONLY_FLAGS, fd, offset);
      } catch (err) {
        rethrowNative('mmap', err);
      }
    },
    unmap(buffer) {
      unmap(buffer);
    },
    sync(buffer, offset, length, wait) {
      try {
        m.sync(buffer, offset, length, wait, false);
      } catch (err) {
        rethrowNative('msync', err);
      }
    },
    advise(buffer, offset, length, a) {
      try {
        m.advise(buffer, offset, length, advice[a]);
      } catch (err) {
        rethrowNative('madvise', err);
      }
    },
  };
}

function fromSys(s: SysModule): MappingBackend {
  const advice: Record<Advice, number> = {
    normal: s.MADV_NORMAL,
    random: s.MADV_RANDOM,
    sequential: s.MADV_SEQUENTIAL,
    willneed: s.MADV_WILLNEED,
    dontneed: s.MADV_DONTNEED,
  };
  const arrayBufferOf = (buffer: Buffer) => buffer.buffer as ArrayBuffer;
  return {
    name: 'sys',
    pageSize: s.PAGE_SIZE,
    map(fd, offset, length, writable) {
      let ab: ArrayBuffer;
      try {
        ab = writable
          ? s.mmap(fd, offset, length, PROT_READ | PROT_WRITE, MAP_SHARED)
          : s.mmap(fd, offset, length, PROT_READ | PROT_WRITE, READ_ONLY_FLAGS);
      } catch (err) {
        rethrowNative('mmap', err);
      }
      return Buffer.from(ab, 0, length);
    },
    unmap(buffer) {
      s.munmap(arrayBufferOf(buffer));
    },
    sync(buffer, offset, length, wait) {
      try {
        s.msync(arrayBufferOf(buffer), offset, length, wait ? s.MS_SYNC : s.MS_ASYNC);
      } catch (err) {
        rethrowNative('msync', err);
      }
    },
    advise(buffer, offset, length, a) {
      try {
        s.madvise(arrayBufferOf(buffer), offset, length, advice[a]);
      } catch (err) {
        rethrowNative('madvise', err);
      }
    },
  };
}

function loadMmapIo(): MappingBackend | string {
  try {
    const m = createRequire(import.meta.url)('mmap-io') as MmapIoModule;
    if (typeof m.unmap !== 'function' || m.UNMAP_IMMEDIATE !== 1) {
      return 'mmap-io is the published build (no immediate unmap(); shmkit patches it)';
    }
    return fromMmapIo(m);
  } catch (err) {
    return `mmap-io could not be loaded: ${(err as Error).message.split('\n')[0]}`;
  }
}

async function loadSys(): Promise<MappingBackend | string> {
  try {
    const specifier = '@shmkit/sys';
    const s = (await import(specifier)) as SysModule;
    if (typeof s.mmap !== 'function' || typeof s.munmap !== 'function') return '@shmkit/sys has no mmap()/munmap()';
    return fromSys(s);
  } catch (err) {
    return `@shmkit/sys could not be loaded: ${(err as Error).message.split('\n')[0]}`;
  }
}

function unavailable(reasons: string[]): MappingBackend {
  const fail = (): never => {
    throw new RegionError(
      'ERR_SHMKIT_REGION_BACKEND_UNAVAILABLE',
      `no file-mapping backend is available: ${reasons.join('; ')}`,
    );
  };
  return {
    name: 'sys',
    pageSize: 4096,
    map: fail,
    unmap: fail,
    sync: fail,
    advise: fail,
  };
}

async function selectBackend(): Promise<MappingBackend> {
  const forced = process.env.SHMKIT_REGION_BACKEND;
  if (forced === 'mmap-io') {
    const b = loadMmapIo();
    return typeof b === 'string' ? unavailable([b]) : b;
  }
  if (forced === 'sys') {
    const b = await loadSys();
    return typeof b === 'string' ? unavailable([b]) : b;
  }
  const first = loadMmapIo();
  if (typeof first !== 'string') return first;
  const second = await loadSys();
  return typeof second === 'string' ? unavailable([first, second]) : second;
}

export const backend: MappingBackend = await selectBackend();

/** Which native code maps files in this process: 'mmap-io' or 'sys'. */
export const MAPPING_BACKEND: BackendName = backend.name;
