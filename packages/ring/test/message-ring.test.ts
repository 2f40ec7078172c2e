import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { MessageRing } from '../src/message-ring.js';
import { fillMessage, messageLength, sharedMapping } from './message-ring-helpers.js';

// Documented layout words (README): head at byte 128, tail at byte 256, data at byte 512.
const W_HEAD = 32;
const W_CLAIM_OWNER = 33;
const W_TAIL = 64;
const DATA = 512;

/** The pid of a process that has exited (and been reaped). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '0']);
  return r.pid!;
}

function ringOf(bytes: number, mode: 'spsc' | 'mpsc' = 'spsc') {
  const mapping = sharedMapping(MessageRing.sizeFor({ bytes, mode }));
  const producer = MessageRing.create(mapping.buffer, 0, { bytes, mode });
  const consumer = MessageRing.attach(mapping.buffer, 0);
  return { mapping, producer, consumer, [Symbol.dispose]: () => mapping[Symbol.dispose]() };
}

function bytesOf(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  fillMessage(out, seed, length);
  return out;
}

describe('MessageRing layout and validation', () => {
  it('sizes the header plus the data area and rejects bad options clearly', () => {
    expect(MessageRing.sizeFor({ bytes: 4096 })).toBe(512 + 4096);
    for (const bytes of [0, 63, 100, 2 ** 31, 1.5, Number.NaN]) {
      expect(() => MessageRing.sizeFor({ bytes })).toThrow(expect.objectContaining({ code: 'ERR_SHMKIT_RING_BAD_OPTIONS' }));
    }
    expect(() => MessageRing.sizeFor({ bytes: 1024, mode: 'mpmc' as 'spsc' })).toThrow(/'spsc' or 'mpsc'/);
  });

  it('refuses a buffer that is too small, a misaligned offset, garbage, a wrong version', () => {
    const buffer = new ArrayBuffer(8192);
    expect(() => MessageRing.create(buffer, 0, { bytes: 8192 })).toThrow(
      expect.objectContaining({ code: 'ERR_SHMKIT_RING_BUFFER_TOO_SMALL' }),
    );
    expect(() => MessageRing.create(buffer, 4, { bytes: 1024 })).toThrow(
      expect.objectContaining({ code: 'ERR_SHMKIT_RING_MISALIGNED' }),
    );
    expect(() => MessageRing.attach(buffer, 0)).toThrow(expect.objectContaining({ code: 'ERR_SHMKIT_RING_BAD_MAGIC' }));
    MessageRing.create(buffer, 64, { bytes: 1024 });
    expect(MessageRing.attach(buffer, 64).bytes).toBe(1024);
    const words = new Int32Array(buffer, 64, 128);
    words[1] = 99;
    expect(() => MessageRing.attach(buffer, 64)).toThrow(expect.objectContaining({ code: 'ERR_SHMKIT_RING_BAD_VERSION' }));
    words[1] = 1;
    words[3] = 1000; // data bytes no longer a power of two
    expect(() => MessageRing.attach(buffer, 64)).toThrow(expect.objectContaining({ code: 'ERR_SHMKIT_RING_CORRUPT' }));
    words[3] = 1 << 20; // claims more than the buffer holds
    expect(() => MessageRing.attach(buffer, 64)).toThrow(expect.objectContaining({ code: 'ERR_SHMKIT_RING_CORRUPT' }));
    expect(() => MessageRing.attach(buffer, 8000)).toThrow(
      expect.objectContaining({ code: 'ERR_SHMKIT_RING_BUFFER_TOO_SMALL' }),
    );
  });
});

describe('MessageRing with damaged memory', () => {
  it('a record header that cannot fit the data area is reported, not looped on or misread', () => {
    using r = ringOf(256);
    const data = new Int32Array(r.mapping.buffer, DATA, 64);
    r.producer.send('x');
    data[0] = (0x80000000 | 0x40000000 | 0) | 0; // padding of length 0
    expect(() => r.consumer.receive()).toThrow(expect.objectContaining({ code: 'ERR_SHMKIT_RING_CORRUPT' }));
    data[0] = (0x80000000 | 5000) | 0; // a record longer than the data area
    expect(() => r.consumer.receive()).toThrow(/does not fit the data area/);
  });
});

describe('MessageRing send and receive in one process', () => {
  it('carries bytes and UTF-8 strings; receive is a zero-copy view until the next receive', () => {
    using r = ringOf(1024);
    expect(r.producer.send('héllo')).toBe(true);
    expect(r.producer.send(new Uint8Array([1, 2, 3]))).toBe(true);
    expect(r.producer.send(new Uint8Array(0))).toBe(true);
    const first = r.consumer.receive()!;
    expect(Buffer.from(first).toString('utf8')).toBe('héllo');
    expect(first.buffer).toBe(r.mapping.buffer); // a view into the ring, not a copy
    expect(first.byteOffset).toBe(DATA + 8);
    expect(r.consumer.usedBytes).toBe(16 + 16 + 8); // still held until the next receive
    expect([...r.consumer.receive()!]).toEqual([1, 2, 3]);
    expect(r.consumer.usedBytes).toBe(16 + 8);
    expect(r.consumer.receive()!.byteLength).toBe(0);
    expect(r.consumer.receive()).toBeUndefined();
    expect(r.consumer.isEmpty()).toBe(true);
  });

  it('receiveCopy and receiveInto copy and release at once', () => {
    using r = ringOf(1024);
    r.producer.send('abc');
    r.producer.send('defgh');
    const copy = r.consumer.receiveCopy()!;
    expect(copy.buffer).not.toBe(r.mapping.buffer);
    expect(Buffer.from(copy).toString()).toBe('abc');
    expect(r.consumer.usedBytes).toBe(16);
    const small = new Uint8Array(2);
    expect(() => r.consumer.receiveInto(small)).toThrow(/too small/);
    const target = new Uint8Array(16);
    expect(r.consumer.receiveInto(target)).toBe(5); // the message was kept after the refusal
    expect(Buffer.from(target.subarray(0, 5)).toString()).toBe('defgh');
    expect(r.consumer.receiveInto(target)).toBe(-1);
  });

  it('accepts exactly maxMessageBytes into an empty ring and rejects one byte more', () => {
    using r = ringOf(256);
    expect(r.producer.maxMessageBytes).toBe(248);
    expect(() => r.producer.send(new Uint8Array(249))).toThrow(
      expect.objectContaining({ code: 'ERR_SHMKIT_RING_MESSAGE_TOO_LARGE', message: expect.stringMatching(/249 bytes/) }),
    );
    expect(() => r.producer.send('x'.repeat(300))).toThrow(expect.objectContaining({ code: 'ERR_SHMKIT_RING_MESSAGE_TOO_LARGE' }));
    expect(() => r.producer.sendWait(new Uint8Array(1000), 10)).toThrow(/at most 248 bytes/);
    const big = bytesOf(248, 1);
    expect(r.producer.send(big)).toBe(true);
    expect(r.producer.send(new Uint8Array(0))).toBe(false); // full
    expect(r.consumer.receive()).toEqual(big);
    expect(() => r.producer.send(42 as unknown as Uint8Array)).toThrow(expect.objectContaining({ code: 'ERR_SHMKIT_RING_BAD_ARGUMENT' }));
  });

  it('never splits a record: near the end it writes padding and starts again at 0', () => {
    using r = ringOf(256);
    // 200 bytes of records leave 56 bytes before the end; a 100-byte message needs 112.
    expect(r.producer.send(bytesOf(192, 1))).toBe(true);
    expect(r.consumer.receive()!.byteLength).toBe(192);
    expect(r.consumer.receive()).toBeUndefined(); // releases the first record
    const m = bytesOf(100, 2);
    expect(r.producer.send(m)).toBe(true);
    expect(r.producer.stats().paddings).toBe(1);
    const got = r.consumer.receive()!;
    expect(got).toEqual(m);
    expect(got.byteOffset).toBe(DATA + 8); // placed at the start of the data area, whole
  });

  it('publishes padding even when the record does not fit yet, so a waiting producer is not stuck', () => {
    using r = ringOf(256);
    r.producer.send(bytesOf(120, 1)); // 128 bytes at 0
    r.producer.send(bytesOf(56, 2)); // 64 bytes at 128; 64 left at the end
    r.consumer.receiveCopy(); // frees 0..128
    // 120 bytes do not fit in the 64 at the end: padding covers them, the record waits for room at 0.
    expect(r.producer.send(bytesOf(120, 3))).toBe(true);
    expect(r.producer.send(bytesOf(120, 4))).toBe(false);
    expect(r.consumer.receiveCopy()).toEqual(bytesOf(56, 2));
    expect(r.consumer.receiveCopy()).toEqual(bytesOf(120, 3));
    expect(r.producer.send(bytesOf(120, 4))).toBe(true);
    expect(r.consumer.receiveCopy()).toEqual(bytesOf(120, 4));
  });

  it('keeps working across the wrap of the 32-bit positions', () => {
    using r = ringOf(512);
    const words = new Int32Array(r.mapping.buffer, 0, 128);
    const start = 0xffff_fe00 | 0;
    words[W_HEAD] = start;
    words[W_TAIL] = start;
    const producer = MessageRing.attach(r.mapping.buffer, 0);
    const consumer = MessageRing.attach(r.mapping.buffer, 0);
    for (let seq = 0; seq < 2000; seq++) {
      const msg = bytesOf(messageLength(3, seq, 200), seq);
      expect(producer.send(msg)).toBe(true);
      expect(consumer.receiveCopy()).toEqual(msg);
    }
    expect(words[W_HEAD]! >>> 0).toBeLessThan(0x8000_0000); // it did wrap
  });

  it('random sizes from 0 to the maximum, many laps, with the consumer lagging', () => {
    using r = ringOf(1024);
    const max = r.producer.maxMessageBytes;
    let sent = 0;
    let received = 0;
    while (received < 3000) {
      while (sent < 3000) {
        const msg = new Uint8Array(messageLength(1, sent, max));
        fillMessage(msg, 1, sent);
        if (!r.producer.send(msg)) break;
        sent++;
      }
      // Take a few, not all, so records end at every possible offset. A receive that finds
      // nothing still releases the record handed out before.
      for (let k = 0; k < 3; k++) {
        const msg = r.consumer.receive();
        expect(msg === undefined).toBe(received === sent);
        if (msg === undefined) break;
        const expected = new Uint8Array(messageLength(1, received, max));
        fillMessage(expected, 1, received);
        expect(msg).toEqual(expected);
        received++;
      }
    }
    expect(r.producer.stats().paddings).toBeGreaterThan(0);
  });

  it('mpsc in one process keeps every producer handle consistent', () => {
    using r = ringOf(1024, 'mpsc');
    const second = MessageRing.attach(r.mapping.buffer, 0);
    for (let i = 0; i < 500; i++) {
      expect((i % 2 ? second : r.producer).send(`m${i}`)).toBe(true);
      expect(Buffer.from(r.consumer.receive()!).toString()).toBe(`m${i}`);
    }
    expect(r.consumer.mode).toBe('mpsc');
  });

  it('reset drops queued messages', () => {
    using r = ringOf(1024);
    r.producer.send('a');
    r.producer.send('b');
    r.consumer.reset();
    expect(r.consumer.receive()).toBeUndefined();
    expect(r.producer.send('c')).toBe(true);
    expect(Buffer.from(r.consumer.receive()!).toString()).toBe('c');
  });
});

describe('MessageRing batched publication', () => {
  it('publishBatch holds sends back until the batch is full, flush(), a full ring or the end of the job', async () => {
    using r = ringOf(256);
    const producer = MessageRing.attach(r.mapping.buffer, 0, { publishBatch: 4 });
    for (let i = 0; i < 3; i++) expect(producer.send(`m${i}`)).toBe(true);
    expect(r.consumer.receive()).toBeUndefined(); // not published yet
    producer.send('m3'); // the fourth completes the batch
    for (let i = 0; i < 4; i++) expect(Buffer.from(r.consumer.receive()!).toString()).toBe(`m${i}`);
    producer.send('a');
    producer.flush();
    expect(Buffer.from(r.consumer.receive()!).toString()).toBe('a');
    producer.send('b');
    await Promise.resolve(); // the microtask at the end of the job publishes
    expect(Buffer.from(r.consumer.receive()!).toString()).toBe('b');
    // A full ring publishes what is pending, so the consumer can make room.
    let sent = 0;
    while (producer.send(new Uint8Array(40))) sent++;
    let got = 0;
    while (r.consumer.receive()) got++;
    expect(got).toBe(sent);
    expect(() => MessageRing.attach(r.mapping.buffer, 0, { publishBatch: 0 })).toThrow(/publishBatch/);
  });

  it('releaseBatch gives space back in batches, and at once when the ring is found empty', () => {
    using r = ringOf(1024);
    const consumer = MessageRing.attach(r.mapping.buffer, 0, { releaseBatch: 8 });
    for (let i = 0; i < 5; i++) r.producer.send(new Uint8Array(24)); // 32-byte records
    for (let i = 0; i < 4; i++) consumer.receive();
    expect(r.producer.usedBytes).toBe(5 * 32); // nothing given back yet
    consumer.receive(); // the fifth is held as a view
    expect(consumer.receive()).toBeUndefined(); // empty: everything goes back at once
    expect(r.producer.usedBytes).toBe(0);
  });
});

describe('MessageRing waits in one process', () => {
  it('sendWait and receiveWait time out with false / undefined', () => {
    using r = ringOf(64);
    expect(r.consumer.receiveWait(5)).toBeUndefined();
    expect(r.producer.sendWait(new Uint8Array(56), 5)).toBe(true);
    expect(r.producer.sendWait(new Uint8Array(1), 5)).toBe(false);
    expect(r.consumer.stats().parks).toBeGreaterThan(0);
  });

  it('receiveAsync is woken by a send; a timeout resolves undefined; an abort rejects with the reason', async () => {
    using r = ringOf(1024);
    const pending = r.consumer.receiveAsync();
    setTimeout(() => r.producer.send('wake'), 20);
    expect(Buffer.from((await pending)!).toString()).toBe('wake');
    expect(await r.consumer.receiveAsync({ timeoutMs: 10 })).toBeUndefined();
    const aborter = new AbortController();
    setTimeout(() => aborter.abort(new Error('enough')), 10);
    await expect(r.consumer.receiveAsync({ signal: aborter.signal })).rejects.toThrow('enough');
    await expect(r.consumer.receiveAsync({ signal: AbortSignal.abort(new Error('early')) })).rejects.toThrow('early');
  });

  it('sendAsync waits for room and is woken when the consumer frees it', async () => {
    using r = ringOf(64);
    expect(r.producer.send(new Uint8Array(56))).toBe(true);
    const pending = r.producer.sendAsync(new Uint8Array(56));
    setTimeout(() => r.consumer.receiveCopy(), 20);
    expect(await pending).toBe(true);
    expect(await r.producer.sendAsync('y', { timeoutMs: 10 })).toBe(false);
  });

  it('for await yields copies and ends when the ring is closed; close rejects pending waits', async () => {
    using r = ringOf(1024);
    for (let i = 0; i < 5; i++) r.producer.send(`n${i}`);
    const got: string[] = [];
    setTimeout(() => r.consumer.close(), 30);
    for await (const msg of r.consumer) got.push(Buffer.from(msg).toString());
    expect(got).toEqual(['n0', 'n1', 'n2', 'n3', 'n4']);
    expect(() => r.consumer.receive()).toThrow(expect.objectContaining({ code: 'ERR_SHMKIT_RING_CLOSED' }));
    const other = MessageRing.attach(r.mapping.buffer, 0);
    const pending = other.receiveAsync();
    other[Symbol.dispose]();
    await expect(pending).rejects.toThrow(expect.objectContaining({ code: 'ERR_SHMKIT_RING_CLOSED' }));
  });
});

describe('MessageRing recovery from a producer that died inside a send (state laid out by hand)', () => {
  it('a claim word left by a dead process is taken over', () => {
    using r = ringOf(1024, 'mpsc');
    const words = new Int32Array(r.mapping.buffer, 0, 128);
    words[W_CLAIM_OWNER] = deadPid();
    expect(r.producer.send('after')).toBe(true);
    expect(r.producer.stats().claimsRecovered).toBe(1);
    expect(Buffer.from(r.consumer.receive()!).toString()).toBe('after');
  });

  it('a record claimed but never committed by a dead process is skipped unseen and counted', () => {
    using r = ringOf(1024, 'mpsc');
    const words = new Int32Array(r.mapping.buffer, 0, 128);
    const data = new Int32Array(r.mapping.buffer, DATA, 256);
    // What a producer killed during its copy leaves: header (length, owner) without the commit bit.
    data[0] = 100;
    data[1] = deadPid();
    words[W_HEAD] = 8 + 104;
    expect(r.producer.send('next')).toBe(true);
    expect(r.consumer.receive()).toBeUndefined(); // pending: not shown, not skipped at once
    const got = r.consumer.receiveWait(5_000);
    expect(Buffer.from(got!).toString()).toBe('next');
    expect(r.consumer.stats().recovered).toBe(1);
  });

  it('a record still being written by a live process is waited for, not skipped', () => {
    using r = ringOf(1024, 'mpsc');
    const words = new Int32Array(r.mapping.buffer, 0, 128);
    const data = new Int32Array(r.mapping.buffer, DATA, 256);
    data[0] = 4;
    data[1] = process.pid;
    words[W_HEAD] = 16;
    expect(r.consumer.receiveWait(60)).toBeUndefined();
    Atomics.store(data, 0, (0x80000000 | 4) | 0); // the commit
    expect(r.consumer.receiveWait(1_000)!.byteLength).toBe(4);
    expect(r.consumer.stats().recovered).toBe(0);
  });
});

