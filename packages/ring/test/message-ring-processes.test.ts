import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { MessageRing } from '../src/message-ring.js';
import {
  bigBodies,
  checkBig,
  checkNumbered,
  fillMessage,
  lines,
  messageLength,
  numbered,
  sharedMapping,
  sleep,
  spawnChild,
} from './message-ring-helpers.js';

const children: ChildProcess[] = [];
function start(args: string[]): ChildProcess {
  const child = spawnChild(args);
  children.push(child);
  return child;
}
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

describe('MessageRing between processes', () => {
  it.each([1, 16])('spsc: random sizes from 0 to the maximum arrive whole and in order, across many wraps (batch %i)', async (batch) => {
    const bytes = 4096;
    const size = MessageRing.sizeFor({ bytes });
    using mapping = sharedMapping(size);
    const ring = MessageRing.create(mapping.buffer, 0, { bytes, releaseBatch: batch });
    const count = 3000;
    const producer = start(['produce-random', mapping.path, String(size), String(count), String(batch)]);
    const out = lines(producer);
    const expected = new Uint8Array(ring.maxMessageBytes);
    let total = 0;
    for (let seq = 0; seq < count; seq++) {
      const msg = await ring.receiveAsync({ timeoutMs: 20_000 });
      if (msg === undefined) throw new Error(`nothing after ${seq} messages`);
      const want = expected.subarray(0, messageLength(0, seq, ring.maxMessageBytes));
      fillMessage(want, 0, seq);
      if (msg.byteLength !== want.byteLength || Buffer.compare(msg, want) !== 0) {
        throw new Error(`message ${seq}: ${msg.byteLength} bytes, expected ${want.byteLength} with its pattern`);
      }
      total += msg.byteLength;
    }
    const done = await out.next(/^done /);
    const stats = JSON.parse(done.slice(5));
    expect(stats.sent).toBe(count);
    expect(stats.bytesSent).toBe(total);
    expect(stats.paddings).toBeGreaterThan(0); // the wrap was crossed with padding, many times
    expect(ring.receive()).toBeUndefined();
    expect(await out.exited).toBe(0);
  });

  it('mpsc: three producer processes (sync and async sends), every message once, in order per producer', async () => {
    const bytes = 8192;
    const size = MessageRing.sizeFor({ bytes, mode: 'mpsc' });
    using mapping = sharedMapping(size);
    const ring = MessageRing.create(mapping.buffer, 0, { bytes, mode: 'mpsc' });
    const count = 1500;
    const producers = [0, 1, 2].map((p) =>
      lines(start(['produce-numbered', mapping.path, String(size), String(p), String(count), '300', p === 2 ? 'async' : 'wait'])),
    );
    const next = [0, 0, 0];
    for (let n = 0; n < 3 * count; n++) {
      const msg = ring.receiveWait(20_000);
      if (msg === undefined) throw new Error(`nothing after ${n} messages (${next})`);
      const [p, seq] = checkNumbered(msg);
      expect(seq).toBe(next[p]);
      next[p]!++;
    }
    expect(next).toEqual([count, count, count]);
    for (const out of producers) expect(await out.exited).toBe(0);
    expect(ring.receive()).toBeUndefined();
    expect(ring.stats().recovered).toBe(0);
  });

  it('a parked consumer process is woken by sendAsync from this process', async () => {
    const bytes = 1024;
    const size = MessageRing.sizeFor({ bytes });
    using mapping = sharedMapping(size);
    const ring = MessageRing.create(mapping.buffer, 0, { bytes });
    const consumer = lines(start(['consume-numbered', mapping.path, String(size), '1', '300']));
    await consumer.next(/ready/);
    const scratch = new Uint8Array(200);
    for (let seq = 0; seq < 300; seq++) {
      const length = 8 + (seq % 190);
      expect(await ring.sendAsync(numbered(scratch.subarray(0, length), 0, seq), { timeoutMs: 20_000 })).toBe(true);
      if (seq % 50 === 0) await sleep(5); // let the consumer go to sleep now and then
    }
    const summary = await consumer.next(/^consumed /);
    expect(summary).toMatch(/^consumed 300 /);
    expect(JSON.parse(summary.slice(summary.indexOf('{'))).parks).toBeGreaterThan(0);
    expect(await consumer.exited).toBe(0);
  });

  it('async waits, abort and close leave nothing behind: the process exits by itself', async () => {
    const bytes = 1024;
    const size = MessageRing.sizeFor({ bytes });
    using mapping = sharedMapping(size);
    MessageRing.create(mapping.buffer, 0, { bytes });
    const child = lines(start(['async-exit', mapping.path, String(size)]));
    await child.next(/aborted: stop waiting/);
    await child.next(/timed out: true/);
    await child.next(/iteration ended after 0/);
    expect(await child.exited).toBe(0);
  });
});

describe('MessageRing when a producer is killed mid-write (kill -9)', () => {
  // 4 MiB messages into a 64 MiB ring: after its first message the producer copies (into fresh
  // tmpfs pages) for several milliseconds without waiting, so a kill usually lands inside a copy.
  const messageBytes = 4 << 20;
  const ringBytes = 64 << 20;
  const bodies = bigBodies(messageBytes);

  /** Receives and verifies every message until `done()`; returns the seqs seen per producer. */
  async function consumeUntil(
    ring: MessageRing,
    done: (seen: Map<number, number[]>) => boolean,
  ): Promise<Map<number, number[]>> {
    const seen = new Map<number, number[]>();
    while (!done(seen)) {
      const msg = await ring.receiveAsync({ timeoutMs: 50 });
      if (msg === undefined) continue;
      // Whole-record check: a torn record fails here (stamps, length or body).
      const [p, seq] = msg.byteLength === messageBytes ? checkBig(msg, bodies) : checkNumbered(msg);
      let list = seen.get(p);
      if (!list) seen.set(p, (list = []));
      list.push(seq);
    }
    return seen;
  }

  function expectContiguous(seqs: number[] | undefined): void {
    expect(seqs).toBeDefined();
    expect(seqs!.every((s, i) => s === i)).toBe(true);
  }

  /** Starts a flooding producer and kills it with SIGKILL shortly after its first message. */
  async function floodAndKill(path: string, size: number, producer: number): Promise<void> {
    const victim = start(['flood-big', path, String(size), String(producer), String(messageBytes)]);
    const out = lines(victim);
    await out.next(/sent-some/);
    await sleep(Math.random() * 3);
    victim.kill('SIGKILL');
    expect(await out.exited).toBe(-1) // killed by a signal;
  }

  it('spsc: the half-written record never becomes visible; a new producer carries on', async () => {
    const size = MessageRing.sizeFor({ bytes: ringBytes });
    using mapping = sharedMapping(size);
    const ring = MessageRing.create(mapping.buffer, 0, { bytes: ringBytes });
    for (let attempt = 0; attempt < 2; attempt++) {
      await floodAndKill(mapping.path, size, 10 + attempt);
      const seen = await consumeUntil(ring, () => ring.isEmpty());
      expectContiguous(seen.get(10 + attempt));
    }
    // A fresh producer attaches where the dead ones stopped.
    const next = lines(start(['produce-numbered', mapping.path, String(size), '7', '200', '100']));
    const seen = await consumeUntil(ring, (s) => (s.get(7)?.length ?? 0) >= 200);
    expect(await next.exited).toBe(0);
    expectContiguous(seen.get(7));
    expect(ring.receive()).toBeUndefined();
    expect(ring.stats().recovered).toBe(0); // nothing half-written was ever published
  });

  it("mpsc: the dead producer's claimed record is skipped unseen and counted; the other producer goes on", async () => {
    const size = MessageRing.sizeFor({ bytes: ringBytes, mode: 'mpsc' });
    let recovered = 0;
    // Where the kill lands is up to the scheduler: repeat until one lands inside a copy.
    for (let attempt = 0; attempt < 6 && recovered === 0; attempt++) {
      using mapping = sharedMapping(size);
      const ring = MessageRing.create(mapping.buffer, 0, { bytes: ringBytes, mode: 'mpsc' });
      const steady = lines(start(['produce-numbered', mapping.path, String(size), '1', '400', '200']));
      let steadyDone = false;
      steady.exited.then(() => {
        steadyDone = true;
      });
      await floodAndKill(mapping.path, size, 0);
      const seen = await consumeUntil(ring, () => steadyDone && ring.isEmpty());
      expectContiguous(seen.get(0));
      expectContiguous(seen.get(1));
      expect(seen.get(1)!.length).toBe(400);
      expect(await steady.exited).toBe(0);
      const r = ring.stats().recovered;
      expect(r).toBeLessThanOrEqual(1); // a producer has at most one record in flight
      recovered += r;
    }
    expect(recovered).toBe(1);
  });
});
