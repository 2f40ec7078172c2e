// A producer or consumer process for the multi-process Ring tests. Every producer sends the
// numbered sequence 0..count-1 tagged with its id; consumers mark each element they receive in a
// shared "seen" table (so the parent can check exactly-once delivery), check per-producer order
// and element contents, and stop once the shared received count reaches the total or the parent
// raises the stop flag.
import { openSharedFile } from '../bench/lib/shared-file.js';
import { Ring } from '../src/index.js';
import { setPauseAfterClaimForTesting } from '../src/ring-sequenced.js';
import { type ChildConfig, S_HUNG, S_READY, S_RECEIVED, S_STOP, STATE_BYTES } from './ring-protocol.js';

const config = JSON.parse(process.argv[2]!) as ChildConfig;
const file = openSharedFile(config.path);
const state = new Int32Array(file.buffer, 0, STATE_BYTES / 4);
const ring = Ring.attach(file.buffer, config.ringOffset, config.handle);
const total = config.count * config.producers;
const seen = new Uint8Array(file.buffer, config.seenOffset, total);
const es = ring.elementSize;
const words = es / 4;

const encode = (id: number, seq: number) => (es === 4 ? id * 2 ** 24 + seq : id * 2 ** 32 + seq);
const decode = (v: number): [number, number] =>
  es === 4 ? [Math.floor(v / 2 ** 24), v % 2 ** 24] : [Math.floor(v / 2 ** 32), v % 2 ** 32];
const mix = (id: number, seq: number, k: number) => (Math.imul(id + 1, 0x9e3779b1) ^ Math.imul(seq, 0x85ebca6b) ^ k) >>> 0;

function fillBytes(element: Uint32Array, id: number, seq: number): void {
  if (words === 1) {
    element[0] = encode(id, seq);
    return;
  }
  element[0] = id;
  element[1] = seq;
  for (let k = 2; k < words; k++) element[k] = mix(id, seq, k);
}

const stopped = () => Atomics.load(state, S_STOP) !== 0;

function hang(): never {
  Atomics.store(state, S_HUNG, process.pid);
  console.log('hung');
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  for (;;) Atomics.wait(sleeper, 0, 0, 1000);
}

async function produce(): Promise<unknown> {
  const { id, count, api } = config;
  if (config.hangAfterClaim === 'producer') {
    setPauseAfterClaimForTesting(hang);
    ring.enqueueBulk(new Float64Array([encode(id, 0)]), 1);
  }
  if (api === 'single') {
    for (let seq = 0; seq < count; seq++) while (!ring.enqueue(encode(id, seq))) if (stopped()) break;
  } else if (api === 'wait') {
    for (let seq = 0; seq < count && !stopped(); seq++) while (!ring.enqueueWait(encode(id, seq), 50)) if (stopped()) break;
  } else if (api === 'async') {
    for (let seq = 0; seq < count && !stopped(); seq++) {
      while (!(await ring.enqueueAsync(encode(id, seq), { timeoutMs: 50 }))) if (stopped()) break;
    }
  } else if (api === 'burst') {
    const n = config.burst ?? 8;
    const src = es === 4 ? new Uint32Array(n) : new Float64Array(n);
    for (let seq = 0; seq < count && !stopped(); ) {
      const k = Math.min(n, count - seq);
      for (let i = 0; i < k; i++) src[i] = encode(id, seq + i);
      const sent = ring.enqueueBurst(src, k);
      if (sent === 0) ring.waitNotFull(50);
      seq += sent;
    }
  } else {
    const element = new Uint32Array(words);
    for (let seq = 0; seq < count && !stopped(); seq++) {
      fillBytes(element, id, seq);
      while (!ring.enqueueFrom(element)) if (!ring.waitNotFull(50) && stopped()) break;
    }
  }
  ring.close();
  return { role: 'producer', id, stats: ring.stats() };
}

async function consume(): Promise<unknown> {
  const lastSeq = new Array<number>(config.producers).fill(-1);
  let received = 0;
  let orderErrors = 0;
  let contentErrors = 0;
  let checksum = 0;
  const accept = (id: number, seq: number) => {
    if (!(id >= 0 && id < config.producers && seq >= 0 && seq < config.count)) {
      contentErrors++;
      return;
    }
    if (seq <= lastSeq[id]!) orderErrors++;
    lastSeq[id] = seq;
    Atomics.add(seen, id * config.count + seq, 1);
    checksum += id * config.count + seq;
    received++;
    Atomics.add(state, S_RECEIVED, 1);
  };
  const finished = () => Atomics.load(state, S_RECEIVED) >= total || stopped();
  if (config.hangAfterClaim === 'consumer') {
    setPauseAfterClaimForTesting(hang);
    ring.dequeueBulk(new Float64Array(1), 1);
  }
  const { api } = config;
  if (api === 'single') {
    while (!finished()) {
      const v = ring.dequeue();
      if (v !== undefined) accept(...decode(v));
    }
  } else if (api === 'wait') {
    while (!finished()) {
      const v = ring.dequeueWait(20);
      if (v !== undefined) accept(...decode(v));
    }
  } else if (api === 'async') {
    const controller = new AbortController();
    const poll = setInterval(() => {
      if (finished()) controller.abort();
    }, 10);
    try {
      for await (const v of ring.values({ signal: controller.signal })) {
        accept(...decode(v));
        if (finished()) break;
      }
    } catch (err) {
      if (!controller.signal.aborted) throw err;
    } finally {
      clearInterval(poll);
    }
  } else if (api === 'burst') {
    const dst = es === 4 ? new Uint32Array(config.burst ?? 8) : new Float64Array(config.burst ?? 8);
    while (!finished()) {
      const n = ring.dequeueBurst(dst, dst.length);
      for (let i = 0; i < n; i++) accept(...decode(dst[i]!));
      if (n === 0) ring.waitNotEmpty(20);
    }
  } else {
    const element = new Uint32Array(words);
    while (!finished()) {
      if (!ring.dequeueInto(element)) {
        ring.waitNotEmpty(20);
        continue;
      }
      const [id, seq] = words === 1 ? decode(element[0]!) : [element[0]!, element[1]!];
      let ok = true;
      for (let k = 2; k < words; k++) if (element[k] !== mix(id, seq, k)) ok = false;
      if (!ok) contentErrors++;
      else accept(id, seq);
    }
  }
  ring.close();
  return { role: 'consumer', id: config.id, received, orderErrors, contentErrors, checksum, stats: ring.stats() };
}

Atomics.add(state, S_READY, 1);
const result = config.role === 'producer' ? await produce() : await consume();
console.log(JSON.stringify(result));
file.close();
