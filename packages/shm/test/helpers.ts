import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { uniqueName } from '@shmkit/testkit';
import { expect } from 'vitest';
import { Key, ShmError, type ShmId, SysvSharedMemory } from '../src/index.js';

export function child(name: string): string {
  return join(import.meta.dirname, 'children', name);
}

/** A POSIX name unique to this process and call; every such name starts with `/shmkit-shm-<pid>-`. */
export function posixName(): string {
  return `/${uniqueName('shmkit-shm')}`;
}

let keyCounter = 0;
/** A System V key unique to this process and call. */
export function testKey(): Key {
  keyCounter += 1;
  return new Key(0x53000000 | ((process.pid & 0x3fff) << 10) | (keyCounter & 0x3ff));
}

/** The /dev/shm entries and System V segments this test process (or a child of it) left behind. */
export function leftovers(ids: ShmId[]): string[] {
  const prefix = `shmkit-shm-${process.pid}-`;
  const files = readdirSync('/dev/shm').filter((f) => f.startsWith(prefix));
  const live = new Set(SysvSharedMemory.list().map((e) => e.id.value));
  return [...files.map((f) => `/dev/shm/${f}`), ...ids.filter((id) => live.has(id.value)).map(String)];
}

export function shmError(fn: () => unknown): ShmError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ShmError);
    return err as ShmError;
  }
  throw new Error('expected a ShmError');
}

export function devShmPath(name: string): string {
  return join('/dev/shm', name.slice(1));
}

export { existsSync };
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
