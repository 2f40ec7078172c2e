// One side of the two-process block pipeline (the pyshm pattern at speed). Producer: takes a free
// block, copies the payload into it (sequence number stamped first), enqueues the block index on
// an spsc Ring. Consumer: dequeues an index, checks the block in place (sequence number, last
// payload byte), puts the block back. 'bulk' moves 32 indices per call on both sides.
import { Ring } from '@shmkit/ring';
import { consumeUntilStopped } from '../../ring/bench/lib/consume.js';
import { readyAndWaitForGo, stopRequested } from '../../ring/bench/lib/control.js';
import { attachPairWorker } from '../../ring/bench/lib/worker-setup.js';
import { Mempool } from '../src/index.js';

interface Config {
  path: string;
  role: 'producer' | 'consumer';
  variant: 'single' | 'bulk';
  payload: number;
  poolOffset: number;
  ringOffset: number;
  publishBatch: number;
  warmMs: number;
}

const BULK = 32;
const { config, file, control } = attachPairWorker<Config>();
const pool = Mempool.attach(file.buffer, config.poolOffset);
const ring = Ring.attach(file.buffer, config.ringOffset, { publishBatch: config.publishBatch, releaseBatch: config.publishBatch });
const last = config.payload - 1;

function payloadSource(): Uint8Array {
  const src = new Uint8Array(config.payload);
  for (let i = 0; i < src.length; i++) src[i] = i & 0xff;
  return src;
}

function fill(index: number, src: Uint8Array, seq: number): void {
  const block = pool.block(index);
  block.set(src);
  block[0] = seq;
  block[1] = seq >>> 8;
  block[2] = seq >>> 16;
  block[3] = seq >>> 24;
}

function produceSingle(): void {
  const src = payloadSource();
  let seq = 0;
  for (;;) {
    for (let i = 0; i < 256; i++) {
      let index = pool.get();
      while (index < 0) {
        if (stopRequested(control)) return;
        index = pool.get();
      }
      fill(index, src, seq);
      while (!ring.enqueue(index)) if (stopRequested(control)) return;
      seq = (seq + 1) | 0;
    }
    if (stopRequested(control)) return;
  }
}

function produceBulk(): void {
  const src = payloadSource();
  const indices = new Uint32Array(BULK);
  let seq = 0;
  for (;;) {
    for (let i = 0; i < 16; i++) {
      while (pool.getBulk(indices, BULK) === 0) if (stopRequested(control)) return;
      for (let k = 0; k < BULK; k++) fill(indices[k]!, src, (seq + k) | 0);
      while (ring.enqueueBulk(indices, BULK) === 0) if (stopRequested(control)) return;
      seq = (seq + BULK) | 0;
    }
    if (stopRequested(control)) return;
  }
}

function consume() {
  const indices = new Uint32Array(BULK);
  const bulk = config.variant === 'bulk';
  let expected = 0;
  let errors = 0;
  const measured = consumeUntilStopped(control, config.warmMs, () => {
    let n = 1;
    if (bulk) {
      n = ring.dequeueBurst(indices, BULK);
    } else {
      const index = ring.dequeue();
      if (index !== undefined) indices[0] = index;
      else n = 0;
    }
    if (n === 0) return 0;
    for (let k = 0; k < n; k++) {
      const block = pool.block(indices[k]!);
      const seq = block[0]! | (block[1]! << 8) | (block[2]! << 16) | (block[3]! << 24);
      if (seq !== expected || block[last] !== (last & 0xff)) errors++;
      expected = (seq + 1) | 0;
    }
    if (bulk) pool.putBulk(indices, n);
    else pool.put(indices[0]!);
    return n;
  });
  return { ...measured, errors, pool: pool.stats() };
}

readyAndWaitForGo(control);
if (config.role === 'producer') {
  if (config.variant === 'single') produceSingle();
  else produceBulk();
  ring.flush();
  console.log(JSON.stringify({ ok: true, pool: pool.stats() }));
} else {
  console.log(JSON.stringify(consume()));
}
pool.close();
file.close();
