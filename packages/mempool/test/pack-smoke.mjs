// Runs outside the repository after `npm install` of the packed tarballs of @shmkit/mempool,
// @shmkit/ring and @shmkit/sys. Lays a Mempool and an spsc Ring out in one shared file, forks a
// copy of itself that takes blocks, fills them and passes their indices on the ring; this process
// reads each block in place, checks it and puts it back; finally the pool must audit clean.
import { fork } from 'node:child_process';
import { closeSync, constants, ftruncateSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Mempool } from '@shmkit/mempool';
import { Ring } from '@shmkit/ring';
import { MAP_SHARED, mmap, munmap, PROT_READ, PROT_WRITE } from '@shmkit/sys';

const COUNT = 5_000;
const poolOptions = { blockSize: 256, count: 64, cacheSize: 8 };
const ringOptions = { capacity: 32, elementSize: 4, mode: 'spsc' };
const ringOffset = Math.ceil(Mempool.sizeFor(poolOptions) / 64) * 64;
const bytes = ringOffset + Ring.sizeFor(ringOptions);

function map(path, create) {
  const flags = create ? constants.O_CREAT | constants.O_EXCL | constants.O_RDWR : constants.O_RDWR;
  const fd = openSync(path, flags, 0o600);
  try {
    if (create) ftruncateSync(fd, bytes);
    return mmap(fd, 0, bytes, PROT_READ | PROT_WRITE, MAP_SHARED);
  } finally {
    closeSync(fd);
  }
}

if (process.argv[2] === 'child') {
  const buffer = map(process.argv[3], false);
  const pool = Mempool.attach(buffer, 0);
  const ring = Ring.attach(buffer, ringOffset);
  for (let seq = 0; seq < COUNT; seq++) {
    let index = pool.get();
    while (index < 0) index = pool.get();
    const block = pool.block(index);
    block.fill(seq & 0xff);
    new DataView(block.buffer, block.byteOffset, 4).setUint32(0, seq, true);
    if (!ring.enqueueWait(index, 10_000)) throw new Error('ring stayed full');
  }
  ring.close();
  pool.close();
  munmap(buffer);
  process.disconnect();
} else {
  const dir = mkdtempSync(join(tmpdir(), 'shmkit-mempool-smoke-'));
  let failed = false;
  try {
    const path = join(dir, 'pool.bin');
    const buffer = map(path, true);
    const pool = Mempool.create(buffer, 0, poolOptions);
    const ring = Ring.create(buffer, ringOffset, ringOptions);
    const child = fork(new URL(import.meta.url).pathname, ['child', path], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    for (let seq = 0; seq < COUNT; seq++) {
      const index = ring.dequeueWait(10_000);
      if (index === undefined) throw new Error(`nothing after ${seq} blocks`);
      const block = pool.block(index);
      const got = new DataView(block.buffer, block.byteOffset, 4).getUint32(0, true);
      if (got !== seq || block[255] !== (seq & 0xff)) throw new Error(`block ${index} holds ${got}, expected ${seq}`);
      pool.put(index);
    }
    const code = await exited;
    clearTimeout(timer);
    let refused = false;
    try {
      const index = pool.get();
      pool.put(index);
      pool.put(index);
    } catch (err) {
      refused = err.code === 'ERR_SHMKIT_MEMPOOL_DOUBLE_PUT';
    }
    pool.close();
    const audit = Mempool.attach(buffer, 0).audit();
    if (code !== 0 || !refused || audit.free !== 64 || audit.out !== 0) {
      throw new Error(`child exit ${code}, double put refused ${refused}, audit ${JSON.stringify(audit)}`);
    }
    ring.close();
    munmap(buffer);
    console.log(`@shmkit/mempool pack-smoke ok: ${COUNT} blocks filled by a forked child, read in place and put back; double put refused; audit ${JSON.stringify(audit)}`);
  } catch (err) {
    failed = true;
    console.error(`@shmkit/mempool pack-smoke FAILED: ${err?.stack ?? err}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  process.exit(failed ? 1 : 0);
}
