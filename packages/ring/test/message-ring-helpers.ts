import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import * as sys from '@shmkit/sys';
import { createSharedMapping, openSharedMapping, type SharedMapping, spawnTs } from '@shmkit/testkit';

export { lineReader as lines } from '@shmkit/testkit';

/** A /dev/shm file of `size` bytes mapped MAP_SHARED; children map the same path on their own. */
export function sharedMapping(size: number): SharedMapping {
  return createSharedMapping(sys, size, { prefix: 'shmkit-msgring' });
}

/** Maps an existing shared file (what a child process does). */
export function mapExisting(path: string, size: number): ArrayBuffer {
  return openSharedMapping(sys, path, size).buffer;
}

export const childScript = join(import.meta.dirname, 'message-ring-child.ts');

export function spawnChild(args: string[]): ChildProcess {
  return spawnTs(childScript, args);
}

/** Deterministic message content: (producer, sequence) repeated, so any torn byte shows. */
export function fillMessage(target: Uint8Array, producer: number, seq: number): void {
  const length = target.byteLength;
  for (let i = 0; i < length; i++) target[i] = (producer * 31 + seq * 7 + i) & 0xff;
}

/** Size of message `seq` of producer `producer` for the random-size tests (0 ..= max). */
export function messageLength(producer: number, seq: number, max: number): number {
  // xorshift-style hash: reproducible on both sides without sending the length separately.
  let x = (producer + 1) * 0x9e3779b1 + seq * 0x85ebca6b;
  x ^= x >>> 15;
  x = Math.imul(x, 0x2c1b3c6d);
  x ^= x >>> 12;
  x = Math.imul(x, 0x297a2d39);
  x ^= x >>> 15;
  const r = (x >>> 0) % 100;
  // Mostly small, some large, a few exactly at the edges.
  if (r < 3) return 0;
  if (r < 6) return max;
  if (r < 70) return (x >>> 8) % 64;
  return (x >>> 8) % (max + 1);
}

/**
 * Checks a received message of the numbered-stream tests: 8-byte prefix (producer u32, seq u32),
 * then the fillMessage pattern. Returns [producer, seq] or throws describing the damage.
 */
export function checkNumbered(msg: Uint8Array): [number, number] {
  if (msg.byteLength < 8) throw new Error(`message of ${msg.byteLength} bytes is too short`);
  const view = new DataView(msg.buffer, msg.byteOffset, msg.byteLength);
  const producer = view.getUint32(0, true);
  const seq = view.getUint32(4, true);
  for (let i = 8; i < msg.byteLength; i++) {
    if (msg[i] !== ((producer * 31 + seq * 7 + i) & 0xff)) {
      throw new Error(`message ${producer}/${seq} (${msg.byteLength} bytes) damaged at byte ${i}`);
    }
  }
  return [producer, seq];
}

export function numbered(target: Uint8Array, producer: number, seq: number): Uint8Array {
  fillMessage(target, producer, seq);
  const view = new DataView(target.buffer, target.byteOffset, target.byteLength);
  view.setUint32(0, producer, true);
  view.setUint32(4, seq, true);
  return target;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Large messages for the kill tests: four prebuilt bodies (so a producer spends its time inside
 * the copy, not preparing data) stamped with (producer, seq) at the start, the middle and the end.
 */
export const BIG_BODIES = 4;

export function bigBodies(length: number): Uint8Array[] {
  return Array.from({ length: BIG_BODIES }, (_, k) => {
    const body = new Uint8Array(length);
    fillMessage(body, 100 + k, k);
    return body;
  });
}

function stampOffsets(length: number): number[] {
  return [0, (length >>> 1) & ~7, length - 8];
}

export function stampBig(bodies: Uint8Array[], producer: number, seq: number): Uint8Array {
  const body = bodies[seq % BIG_BODIES]!;
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  for (const at of stampOffsets(body.byteLength)) {
    view.setUint32(at, producer, true);
    view.setUint32(at + 4, seq, true);
  }
  return body;
}

/** Verifies a big message completely (memcmp speed); returns [producer, seq] or throws. */
export function checkBig(msg: Uint8Array, pristine: Uint8Array[]): [number, number] {
  const length = pristine[0]!.byteLength;
  if (msg.byteLength !== length) throw new Error(`big message of ${msg.byteLength} bytes, expected ${length}`);
  const bytes = Buffer.from(msg.buffer, msg.byteOffset, msg.byteLength);
  const producer = bytes.readUInt32LE(0);
  const seq = bytes.readUInt32LE(4);
  const stamps = stampOffsets(length);
  const body = Buffer.from(pristine[seq % BIG_BODIES]!.buffer);
  let from = 0;
  for (const at of stamps) {
    if (bytes.readUInt32LE(at) !== producer || bytes.readUInt32LE(at + 4) !== seq) {
      throw new Error(`big message ${producer}/${seq} is torn: stamp at ${at} differs`);
    }
    if (bytes.compare(body, from, at, from, at) !== 0) throw new Error(`big message ${producer}/${seq} is torn before ${at}`);
    from = at + 8;
  }
  return [producer, seq];
}
