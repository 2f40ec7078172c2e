import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { vi } from 'vitest';

export type RegionLib = typeof import('../src/index.js');
export type BackendName = 'mmap-io' | 'sys';

/** Byte i is (i + seed) % 251: a prime period, so no window or page boundary lines up with the pattern. */
export function patternBytes(size: number, seed = 0): Buffer {
  const b = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i++) b[i] = (i + seed) % 251;
  return b;
}

export function makePatternFile(dir: string, name: string, size: number, seed = 0): { path: string; data: Buffer } {
  const path = join(dir, name);
  const data = patternBytes(size, seed);
  writeFileSync(path, data, { mode: 0o600 });
  return { path, data };
}

async function loads(name: BackendName): Promise<boolean> {
  try {
    if (name === 'mmap-io') {
      const m = createRequire(import.meta.url)('mmap-io') as { unmap?: unknown };
      return typeof m.unmap === 'function';
    }
    const specifier = '@shmkit/sys';
    const s = (await import(specifier)) as { mmap?: unknown; munmap?: unknown };
    return typeof s.mmap === 'function' && typeof s.munmap === 'function';
  } catch {
    return false;
  }
}

/** The backends that load on this machine: the core tests run once per backend. */
export const BACKENDS: BackendName[] = [];
for (const name of ['mmap-io', 'sys'] as const) if (await loads(name)) BACKENDS.push(name);

/** A fresh copy of the package whose backend is forced to `name` (SHMKIT_REGION_BACKEND). */
export async function loadRegion(name: BackendName): Promise<RegionLib> {
  const before = process.env.SHMKIT_REGION_BACKEND;
  process.env.SHMKIT_REGION_BACKEND = name;
  try {
    vi.resetModules();
    const lib = (await import('../src/index.js')) as RegionLib;
    if (lib.MAPPING_BACKEND !== name) throw new Error(`backend ${name} was asked for, ${lib.MAPPING_BACKEND} loaded`);
    return lib;
  } finally {
    if (before === undefined) delete process.env.SHMKIT_REGION_BACKEND;
    else process.env.SHMKIT_REGION_BACKEND = before;
  }
}

/** Error code of what `fn` throws (fails the test if it does not throw). */
export function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return String((err as { code?: unknown }).code);
  }
  throw new Error('expected an error, none was thrown');
}

/** A deterministic pseudo-random generator (mulberry32), so failures reproduce. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
