import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import * as sys from '@shmkit/sys';
import { createSharedMapping, openSharedMapping, type SharedMapping, spawnTs } from '@shmkit/testkit';

export { lineReader as lines } from '@shmkit/testkit';

/** A /dev/shm file of `size` bytes mapped MAP_SHARED; child processes map the same path themselves. */
export function sharedMapping(size: number): SharedMapping {
  return createSharedMapping(sys, size, { prefix: 'shmkit-mempool' });
}

export function mapExisting(path: string, size: number): ArrayBuffer {
  return openSharedMapping(sys, path, size).buffer;
}

export function alignUp(n: number, to = 64): number {
  return Math.ceil(n / to) * to;
}

export const childScript = join(import.meta.dirname, 'mempool-child.ts');

/** Starts the child script with a role; killed after the test if still running. */
export function startChild(args: string[], running: ChildProcess[]): ChildProcess {
  const child = spawnTs(childScript, args);
  running.push(child);
  return child;
}

/** Commands of the cross-process property test, executed by a child. */
export type Command =
  | { op: 'get' }
  | { op: 'put'; pick: number }
  | { op: 'getBulk'; n: number }
  | { op: 'putBulk'; n: number }
  | { op: 'doublePut' };

/** Deterministic block content for the pipeline tests. */
export function fillBlock(block: Uint8Array, seq: number, length: number): void {
  const view = new DataView(block.buffer, block.byteOffset, block.byteLength);
  view.setUint32(0, seq, true);
  view.setUint32(4, length, true);
  for (let i = 8; i < length; i++) block[i] = (seq + i) & 0xff;
}

export function checkBlock(block: Uint8Array, expectedSeq: number): void {
  const view = new DataView(block.buffer, block.byteOffset, block.byteLength);
  const seq = view.getUint32(0, true);
  const length = view.getUint32(4, true);
  if (seq !== expectedSeq) throw new Error(`block carries seq ${seq}, expected ${expectedSeq}`);
  for (let i = 8; i < length; i++) {
    if (block[i] !== ((seq + i) & 0xff)) throw new Error(`block of seq ${seq} damaged at byte ${i}`);
  }
}
