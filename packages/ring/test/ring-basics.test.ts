import { describe, expect, it } from 'vitest';
import { Ring, type RingMode } from '../src/index.js';
import { codeOf } from './ring-harness.js';
import { resetPositionsForTesting } from '../src/ring-base.js';

const MODES: RingMode[] = ['spsc', 'mpsc', 'spmc', 'mpmc'];

function make(mode: RingMode, capacity: number, elementSize = 8, extra: object = {}): Ring {
  const options = { capacity, elementSize, mode, ...extra };
  return Ring.create(new ArrayBuffer(Ring.sizeFor(options)), 0, options);
}


describe.each(MODES)('Ring %s in one process', (mode) => {
  it('full and empty edges: exactly capacity elements fit, FIFO order, counts and stats', () => {
    for (const capacity of [1, 2, 8]) {
      const ring = make(mode, capacity);
      expect(ring.dequeue()).toBeUndefined();
      expect([ring.isEmpty(), ring.isFull(), ring.count, ring.freeCount]).toEqual([true, false, 0, capacity]);
      for (let i = 0; i < capacity; i++) expect(ring.enqueue(i + 0.5)).toBe(true);
      expect(ring.enqueue(99)).toBe(false);
      expect([ring.isEmpty(), ring.isFull(), ring.count, ring.freeCount]).toEqual([false, true, capacity, 0]);
      for (let i = 0; i < capacity; i++) expect(ring.dequeue()).toBe(i + 0.5);
      expect(ring.dequeue()).toBeUndefined();
      expect(ring.isEmpty()).toBe(true);
      const stats = ring.stats();
      expect(stats).toMatchObject({ enqueued: capacity, dequeued: capacity, fullHits: 1, emptyHits: 2, recovered: 0 });
    }
  });

  it('capacity 1 and 2 over many laps, interleaved', () => {
    for (const capacity of [1, 2]) {
      const ring = make(mode, capacity, 4);
      let next = 0;
      let expected = 0;
      for (let round = 0; round < 1000; round++) {
        const put = (round % capacity) + 1;
        for (let i = 0; i < put; i++) expect(ring.enqueue(next++)).toBe(true);
        if (put === capacity) expect(ring.enqueue(7)).toBe(false);
        expect(ring.count).toBe(put);
        for (let i = 0; i < put; i++) expect(ring.dequeue()).toBe(expected++);
        expect(ring.dequeue()).toBeUndefined();
      }
    }
  });

  it('32-bit positions wrap: counts, order and bursts stay right across 2^32', () => {
    const ring = make(mode, 8);
    resetPositionsForTesting(ring, 2 ** 32 - 13);
    let next = 0;
    let expected = 0;
    const burst = new Float64Array(5);
    for (let round = 0; round < 40; round++) {
      for (let i = 0; i < 3; i++) expect(ring.enqueue(next++)).toBe(true);
      for (let i = 0; i < burst.length; i++) burst[i] = next + i;
      expect(ring.enqueueBulk(burst, 5)).toBe(5);
      next += 5;
      expect(ring.count).toBe(8);
      expect(ring.isFull()).toBe(true);
      expect(ring.dequeueBurst(burst, 5)).toBe(5);
      for (let i = 0; i < 5; i++) expect(burst[i]).toBe(expected++);
      for (let i = 0; i < 3; i++) expect(ring.dequeue()).toBe(expected++);
      expect(ring.count).toBe(0);
    }
  });

  it('4-byte elements hold a uint32 and refuse anything else without storing it', () => {
    const ring = make(mode, 4, 4);
    for (const bad of [-1, 2 ** 32, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(codeOf(() => ring.enqueue(bad))).toBe('ERR_SHMKIT_RING_BAD_ARGUMENT');
    }
    expect(ring.count).toBe(0);
    expect(ring.enqueue(0)).toBe(true);
    expect(ring.enqueue(2 ** 32 - 1)).toBe(true);
    expect([ring.dequeue(), ring.dequeue()]).toEqual([0, 2 ** 32 - 1]);
  });

  it('8-byte elements hold any double', () => {
    const ring = make(mode, 16);
    const values = [0, -0, Number.NaN, Number.POSITIVE_INFINITY, -1e-300, Number.MAX_SAFE_INTEGER, -(2 ** 53), Math.PI];
    for (const v of values) expect(ring.enqueue(v)).toBe(true);
    for (const v of values) expect(Object.is(ring.dequeue(), v)).toBe(true);
  });

  it.each([16, 64])('%i-byte elements go through enqueueFrom/dequeueInto and the bulk calls', (elementSize) => {
    const ring = make(mode, 4, elementSize);
    expect(codeOf(() => ring.enqueue(1))).toBe('ERR_SHMKIT_RING_WRONG_ELEMENT_SIZE');
    expect(codeOf(() => ring.dequeue())).toBe('ERR_SHMKIT_RING_WRONG_ELEMENT_SIZE');
    expect(codeOf(() => ring.enqueueFrom(new Uint8Array(elementSize - 1)))).toBe('ERR_SHMKIT_RING_BAD_ARGUMENT');
    const element = (k: number) => Uint8Array.from({ length: elementSize }, (_, i) => (k * 31 + i) & 255);
    for (let k = 0; k < 4; k++) expect(ring.enqueueFrom(element(k))).toBe(true);
    expect(ring.enqueueFrom(element(9))).toBe(false);
    const out = new Uint8Array(elementSize);
    expect(ring.dequeueInto(out)).toBe(true);
    expect(out).toEqual(element(0));
    // A misaligned byte view (byteOffset 1) takes the byte-copy path.
    const misaligned = new Uint8Array(elementSize * 3 + 1).subarray(1);
    expect(ring.dequeueBurst(misaligned, 3)).toBe(3);
    for (let k = 1; k < 4; k++) expect(misaligned.subarray((k - 1) * elementSize, k * elementSize)).toEqual(element(k));
    expect(ring.enqueueBulk(misaligned, 3)).toBe(3);
    const words = new Uint32Array((elementSize / 4) * 3);
    expect(ring.dequeueBulk(words, 3)).toBe(3);
    expect(new Uint8Array(words.buffer)).toEqual(misaligned);
    expect(ring.dequeueInto(out)).toBe(false);
  });

  it('bulk is all or nothing, burst takes what fits, both honour the index argument', () => {
    const ring = make(mode, 8);
    const src = Float64Array.from({ length: 24 }, (_, i) => i);
    expect(ring.enqueueBulk(src, 6, 10)).toBe(6);
    expect(ring.enqueueBulk(src, 3)).toBe(0);
    expect(ring.count).toBe(6);
    expect(ring.enqueueBurst(src, 5, 16)).toBe(2);
    expect(ring.enqueueBurst(src, 1)).toBe(0);
    const dst = new Float64Array(16).fill(-1);
    expect(ring.dequeueBulk(dst, 9)).toBe(0);
    expect(ring.dequeueBulk(dst, 3, 2)).toBe(3);
    expect(ring.dequeueBurst(dst, 10, 5)).toBe(5);
    expect(Array.from(dst)).toEqual([-1, -1, 10, 11, 12, 13, 14, 15, 16, 17, -1, -1, -1, -1, -1, -1]);
    expect(ring.dequeueBurst(dst, 4)).toBe(0);
    expect(ring.enqueueBulk(src, 0)).toBe(0);
  });

  it('bad bulk arguments throw and move nothing', () => {
    const ring = make(mode, 8);
    expect(codeOf(() => ring.enqueueBulk(new Float64Array(2), 3))).toBe('ERR_SHMKIT_RING_BAD_ARGUMENT');
    expect(codeOf(() => ring.enqueueBurst(new Float64Array(4), 2, 3))).toBe('ERR_SHMKIT_RING_BAD_ARGUMENT');
    expect(codeOf(() => ring.enqueueBurst(new Float64Array(4), -1))).toBe('ERR_SHMKIT_RING_BAD_ARGUMENT');
    expect(codeOf(() => ring.enqueueBurst(new Float64Array(4), 1.5))).toBe('ERR_SHMKIT_RING_BAD_ARGUMENT');
    expect(codeOf(() => ring.enqueueBurst([1, 2] as never, 1))).toBe('ERR_SHMKIT_RING_BAD_ARGUMENT');
    expect(ring.count).toBe(0);
    ring.enqueue(1);
    expect(codeOf(() => ring.dequeueBurst(new Float32Array(1), 1))).toBe('ERR_SHMKIT_RING_BAD_ARGUMENT');
    expect(ring.count).toBe(1);
  });

  it('raw 64-bit words go through BigUint64Array unchanged (NaN payloads included), across the wrap', () => {
    const ring = make(mode, 8);
    resetPositionsForTesting(ring, 5);
    const words = BigUint64Array.from([0x7ff0000000000001n, 0xffffffffffffffffn, 0x8000000000000000n, 0n, 0x0123456789abcdefn, 0x7ff8dead0000beefn]);
    expect(ring.enqueueBulk(words, 6)).toBe(6);
    const out = new BigUint64Array(6);
    expect(ring.dequeueBulk(out, 6)).toBe(6);
    expect(out).toEqual(words);
    // Large bursts take the TypedArray.set path.
    const big = make(mode, 256);
    const many = BigUint64Array.from({ length: 200 }, (_, i) => BigInt(i) * 0x0101010101010101n);
    expect(big.enqueueBurst(many, 200)).toBe(200);
    const back = new BigUint64Array(200);
    expect(big.dequeueBurst(back, 200)).toBe(200);
    expect(back).toEqual(many);
  });

  it('reset() empties the ring', () => {
    const ring = make(mode, 4);
    ring.enqueue(1);
    ring.enqueue(2);
    ring.reset();
    expect(ring.count).toBe(0);
    expect(ring.dequeue()).toBeUndefined();
    expect(ring.enqueue(3)).toBe(true);
    expect(ring.dequeue()).toBe(3);
  });

  it('async iteration yields what is there and stops on break', async () => {
    const ring = make(mode, 8);
    for (let i = 0; i < 5; i++) ring.enqueue(i);
    const got: number[] = [];
    for await (const v of ring) {
      got.push(v);
      if (got.length === 5) break;
    }
    expect(got).toEqual([0, 1, 2, 3, 4]);
    expect(await ring.dequeueAsync({ timeoutMs: 0 })).toBeUndefined();
    expect(await ring.enqueueAsync(7)).toBe(true);
    expect(await ring.dequeueAsync()).toBe(7);
  });
});

describe('Ring spsc extras', () => {
  it('peek looks without taking', () => {
    const ring = make('spsc', 4, 4);
    expect(ring.peek()).toBeUndefined();
    ring.enqueue(5);
    ring.enqueue(6);
    expect(ring.peek()).toBe(5);
    expect(ring.peek()).toBe(5);
    expect(ring.dequeue()).toBe(5);
    expect(ring.peek()).toBe(6);
  });

  it('reserve/commit write in place; acquire/release read in place; both stop at the wrap', () => {
    const ring = make('spsc', 8);
    const { floats } = ring.slots();
    resetPositionsForTesting(ring, 5);
    expect(ring.reserve(6)).toBe(3); // slots 5, 6, 7: contiguous up to the end
    expect(ring.reservedAt).toBe(5);
    for (let i = 0; i < 3; i++) floats[ring.reservedAt + i] = 100 + i;
    expect(ring.count).toBe(0);
    ring.commit(3);
    expect(ring.count).toBe(3);
    expect(ring.reserve(10)).toBe(5); // slots 0..4
    expect(ring.reservedAt).toBe(0);
    floats[0] = 103;
    ring.commit(1);
    expect(codeOf(() => ring.commit(1))).toBe('ERR_SHMKIT_RING_BAD_ARGUMENT');
    expect(ring.acquire(10)).toBe(3);
    expect(ring.acquiredAt).toBe(5);
    expect(Array.from(floats.subarray(5, 8))).toEqual([100, 101, 102]);
    ring.release(2);
    expect(ring.dequeue()).toBe(102);
    expect(ring.acquire(4)).toBe(1);
    expect(floats[ring.acquiredAt]).toBe(103);
    expect(codeOf(() => ring.release(2))).toBe('ERR_SHMKIT_RING_BAD_ARGUMENT');
    ring.release(1);
    expect(ring.isEmpty()).toBe(true);
    expect(ring.acquire(1)).toBe(0);
  });

  it('publishBatch defers visibility until the batch is full, flush(), or the end of the job', async () => {
    const options = { capacity: 16 };
    const buffer = new ArrayBuffer(Ring.sizeFor(options));
    const producer = Ring.create(buffer, 0, { ...options, publishBatch: 4 });
    const consumer = Ring.attach(buffer, 0);
    for (let i = 0; i < 3; i++) producer.enqueue(i);
    expect(consumer.count).toBe(0);
    expect(producer.count).toBe(3);
    producer.enqueue(3);
    expect(consumer.count).toBe(4);
    producer.enqueue(4);
    expect(consumer.count).toBe(4);
    producer.flush();
    expect(consumer.count).toBe(5);
    producer.enqueue(5);
    expect(consumer.count).toBe(5);
    await Promise.resolve();
    expect(consumer.count).toBe(6);
    for (let i = 0; i < 6; i++) expect(consumer.dequeue()).toBe(i);
    // Bursts count towards the batch: 3 pending, then 3 more publish all 6.
    const src = Float64Array.of(6, 7, 8);
    expect(producer.enqueueBurst(src, 3)).toBe(3);
    expect(consumer.count).toBe(0);
    expect(producer.enqueueBurst(src, 3)).toBe(3);
    expect(consumer.count).toBe(6);
  });

  it('releaseBatch defers giving slots back until the batch is full, the ring looks empty, flush(), or the end of the job', async () => {
    const options = { capacity: 4 };
    const buffer = new ArrayBuffer(Ring.sizeFor(options));
    const producer = Ring.create(buffer, 0, options);
    const consumer = Ring.attach(buffer, 0, { releaseBatch: 8 });
    for (let i = 0; i < 4; i++) expect(producer.enqueue(i)).toBe(true);
    for (let i = 0; i < 3; i++) expect(consumer.dequeue()).toBe(i);
    expect(producer.enqueue(9)).toBe(false); // not released yet
    expect(consumer.count).toBe(1);
    consumer.flush();
    expect(producer.freeCount).toBe(3);
    expect(consumer.dequeue()).toBe(3);
    expect(producer.freeCount).toBe(3);
    expect(consumer.dequeue()).toBeUndefined(); // found empty: releases
    expect(producer.freeCount).toBe(4);
    for (let i = 0; i < 4; i++) producer.enqueue(10 + i);
    expect(consumer.dequeue()).toBe(10);
    await Promise.resolve();
    expect(producer.freeCount).toBe(1);
    // Bulk calls count towards the batch too.
    const dst = new Float64Array(3);
    expect(consumer.dequeueBulk(dst, 3)).toBe(3);
    expect(producer.freeCount).toBe(1);
    await Promise.resolve();
    expect(producer.freeCount).toBe(4);
    // With the default (1) every call releases at once.
    const eager = Ring.attach(buffer, 0);
    producer.enqueue(1);
    producer.enqueue(2);
    expect(eager.dequeueBulk(dst, 2)).toBe(2);
    expect(producer.freeCount).toBe(4);
  });

  it('peek and zero-copy calls are spsc only', () => {
    const ring = make('mpmc', 4);
    expect(codeOf(() => ring.peek())).toBe('ERR_SHMKIT_RING_WRONG_MODE');
    expect(codeOf(() => ring.reserve(1))).toBe('ERR_SHMKIT_RING_WRONG_MODE');
    expect(codeOf(() => ring.acquire(1))).toBe('ERR_SHMKIT_RING_WRONG_MODE');
  });
});

describe('Ring registry (multi-producer / multi-consumer modes)', () => {
  it('each taking-part handle holds an entry until closed; a full registry is a clear error', () => {
    const options = { capacity: 8, mode: 'mpmc' as const, maxProcesses: 1 };
    const buffer = new ArrayBuffer(Ring.sizeFor(options));
    const a = Ring.create(buffer, 0, options);
    const b = Ring.attach(buffer, 0);
    expect(a.enqueue(1)).toBe(true);
    expect(codeOf(() => b.enqueue(2))).toBe('ERR_SHMKIT_RING_TOO_MANY_PROCESSES');
    expect(b.count).toBe(1);
    a.close();
    expect(b.enqueue(2)).toBe(true);
    {
      using c = Ring.attach(buffer, 0);
      b[Symbol.dispose]();
      expect(c.dequeue()).toBe(1);
    }
    expect(a.dequeue()).toBe(2);
  });
});
