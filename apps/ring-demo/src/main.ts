// Ring demo: a producer and a consumer, two separate processes, pass messages through shared
// memory the pyshm/DPDK way. The producer takes a block from a shared @shmkit/mempool, writes
// the message into it, and enqueues the block's index on a @shmkit/ring; the consumer dequeues
// the index, checks the message in place and puts the block back. The consumer draws a live
// progress line (messages/s, MB/s); both print a summary, and the pool is audited at the end.
//   pnpm --filter @shmkit/ring-demo start [-- --duration 3 --size 256]
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Mempool } from '@shmkit/mempool';
import { Ring } from '@shmkit/ring';
import { PosixSharedMemory } from '@shmkit/shm';

const RING_CAPACITY = 1024;
const POOL_BLOCKS = 2048;
const BURST = 32;
/** Ring value that tells the consumer the producer is done (never a block index). */
const END = 0xffffffff;
/** Message header: sequence number (uint32), payload length (uint32), checksum (uint32). */
const HEADER = 12;

const { values, positionals } = parseArgs({
  // pnpm passes a `--` separator through to the script.
  args: process.argv.slice(2).filter((arg, i) => !(i === 0 && arg === '--')),
  allowPositionals: true,
  options: {
    duration: { type: 'string', default: '3' },
    size: { type: 'string', default: '256' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help) {
  console.log('usage: ring-demo [--duration seconds (3)] [--size message bytes (256)]');
  process.exit(0);
}

function layout(blockSize: number) {
  const ringBytes = Ring.sizeFor({ capacity: RING_CAPACITY, elementSize: 4, mode: 'spsc' });
  const poolOffset = Math.ceil(ringBytes / 64) * 64;
  const poolBytes = Mempool.sizeFor({ blockSize, count: POOL_BLOCKS });
  return { ringOffset: 0, poolOffset, total: poolOffset + poolBytes };
}

/** A cheap checksum over the payload, so the consumer proves it read what the producer wrote. */
function checksum(bytes: Uint8Array, from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i += 8) sum = (Math.imul(sum, 31) + bytes[i]!) >>> 0;
  return sum;
}

const [role, shmName, arg] = positionals;

if (role === 'producer') {
  const size = Number(arg);
  using shm = PosixSharedMemory.open(shmName!);
  const { ringOffset, poolOffset } = layout(size);
  const ring = Ring.attach(shm.buffer.buffer, ringOffset);
  const pool = Mempool.attach(shm.buffer.buffer, poolOffset);
  const deadline = Date.now() + Number(values.duration) * 1000;
  const indices = new Uint32Array(BURST);
  let seq = 0;
  let bytes = 0;
  const started = performance.now();
  while (Date.now() < deadline) {
    for (let round = 0; round < 64; round++) {
      const n = pool.getBulk(indices, BURST);
      if (n === 0) {
        ring.waitNotFull(10); // every block is in flight: the consumer will return some
        break;
      }
      for (let i = 0; i < n; i++) {
        const block = pool.block(indices[i]!);
        const view = new DataView(block.buffer, block.byteOffset, HEADER);
        for (let b = HEADER; b < size; b += 8) block[b] = (seq + b) & 0xff;
        view.setUint32(0, seq, true);
        view.setUint32(4, size - HEADER, true);
        view.setUint32(8, checksum(block, HEADER, size), true);
        seq += 1;
      }
      let sent = 0;
      while (sent < n) {
        sent += ring.enqueueBurst(indices, n - sent, sent);
        if (sent < n) ring.waitNotFull(10);
      }
      bytes += n * size;
    }
  }
  while (!ring.enqueueWait(END, 1000)) {
    // the consumer is slow to drain: keep offering the end marker
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`producer: sent ${seq.toLocaleString('en-US')} messages (${(bytes / 1e6).toFixed(1)} MB) in ${seconds.toFixed(2)} s`);
  ring.close();
  pool.close();
} else if (role === 'consumer') {
  const size = Number(arg);
  using shm = PosixSharedMemory.open(shmName!);
  const { ringOffset, poolOffset } = layout(size);
  const ring = Ring.attach(shm.buffer.buffer, ringOffset);
  const pool = Mempool.attach(shm.buffer.buffer, poolOffset);
  const indices = new Uint32Array(BURST);
  const tty = process.stdout.isTTY === true;
  let expected = 0;
  let bad = 0;
  let bytes = 0;
  let done = false;
  const started = performance.now();
  let lastReport = started;
  let lastCount = 0;
  let lastBytes = 0;
  while (!done) {
    let n = ring.dequeueBurst(indices, BURST);
    if (n === 0) {
      const one = ring.dequeueWait(1000);
      if (one === undefined) continue;
      indices[0] = one;
      n = 1;
    }
    let returned = n;
    for (let i = 0; i < n; i++) {
      const index = indices[i]!;
      if (index === END) {
        done = true;
        returned = i;
        break;
      }
      const block = pool.block(index);
      const view = new DataView(block.buffer, block.byteOffset, HEADER);
      const length = view.getUint32(4, true);
      if (view.getUint32(0, true) !== expected || view.getUint32(8, true) !== checksum(block, HEADER, HEADER + length)) bad += 1;
      expected += 1;
      bytes += HEADER + length;
    }
    if (returned > 0) pool.putBulk(indices, returned);
    const now = performance.now();
    if (now - lastReport >= (tty ? 200 : 1000)) {
      const dt = (now - lastReport) / 1000;
      const line = `  ${((expected - lastCount) / dt / 1e6).toFixed(2)} M msgs/s   ${((bytes - lastBytes) / dt / 1e6).toFixed(0)} MB/s   ${expected.toLocaleString('en-US')} messages so far`;
      process.stdout.write(tty ? `\r${line}\x1b[K` : `${line}\n`);
      lastReport = now;
      lastCount = expected;
      lastBytes = bytes;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  if (tty) process.stdout.write('\r\x1b[K');
  console.log(
    `consumer: received ${expected.toLocaleString('en-US')} messages, ${(bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(2)} s: ` +
      `${(expected / seconds / 1e6).toFixed(2)} M msgs/s, ${(bytes / seconds / 1e6).toFixed(0)} MB/s; ` +
      `${bad === 0 ? 'every message in order and intact' : `${bad} out of order or corrupt`}`,
  );
  ring.close();
  pool.close();
  process.exitCode = bad === 0 ? 0 : 1;
} else if (role === undefined) {
  const size = Number(values.size);
  const duration = Number(values.duration);
  if (!Number.isInteger(size) || size < 64 || size > 65536 || !(duration > 0)) {
    console.error('ring-demo: --size must be an integer from 64 to 65536 and --duration a positive number');
    process.exit(2);
  }
  const name = `/shmkit-ring-demo-${process.pid}`;
  const { ringOffset, poolOffset, total } = layout(size);
  // volatile: the name is unlinked when this process closes it, whatever happens to the children.
  using shm = PosixSharedMemory.create(name, total, { volatile: true });
  Ring.create(shm.buffer.buffer, ringOffset, { capacity: RING_CAPACITY, elementSize: 4, mode: 'spsc' }).close();
  Mempool.create(shm.buffer.buffer, poolOffset, { blockSize: size, count: POOL_BLOCKS }).close();
  console.log(
    `ring-demo: ${size}-byte messages for ${duration} s through ${name} ` +
      `(spsc ring of ${RING_CAPACITY} block indices, mempool of ${POOL_BLOCKS} blocks)`,
  );
  const self = fileURLToPath(import.meta.url);
  const run = (r: string) =>
    spawn(process.execPath, [...process.execArgv, self, r, name, String(size), '--duration', String(duration)], {
      stdio: 'inherit',
    });
  const consumer = run('consumer');
  const producer = run('producer');
  const status = (c: ReturnType<typeof run>) =>
    new Promise<number>((resolve) => c.once('close', (code) => resolve(code ?? 1)));
  const [p, c] = await Promise.all([status(producer), status(consumer)]);
  const pool = Mempool.attach(shm.buffer.buffer, poolOffset);
  let audit: string;
  try {
    const { free, out } = pool.audit();
    audit = `mempool audit: ${free} blocks free, ${out} out`;
  } catch (err) {
    audit = `mempool audit FAILED: ${(err as Error).message}`;
    process.exitCode = 1;
  }
  pool.close();
  console.log(audit);
  if (p !== 0 || c !== 0) {
    console.error(`ring-demo: producer exited with ${p}, consumer with ${c}`);
    process.exitCode = 1;
  }
} else {
  console.error(`ring-demo: unknown role ${role}`);
  process.exit(2);
}
