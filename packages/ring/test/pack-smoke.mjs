// Runs outside the repository after `npm install` of the packed tarballs of @shmkit/ring and
// @shmkit/sys. Creates an mpmc Ring in a shared file, forks a copy of itself that attaches to it
// and consumes with blocking waits, and checks that every element arrived once, in order.
import { fork } from 'node:child_process';
import { closeSync, constants, ftruncateSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ring } from '@shmkit/ring';
import { MAP_SHARED, mmap, munmap, PROT_READ, PROT_WRITE } from '@shmkit/sys';

const COUNT = 10_000;

function map(path, create, bytes) {
  const flags = create ? constants.O_CREAT | constants.O_EXCL | constants.O_RDWR : constants.O_RDWR;
  const fd = openSync(path, flags, 0o600);
  try {
    if (create) ftruncateSync(fd, bytes);
    return mmap(fd, 0, bytes, PROT_READ | PROT_WRITE, MAP_SHARED);
  } finally {
    closeSync(fd);
  }
}

const options = { capacity: 64, elementSize: 8, mode: 'mpmc' };
const bytes = Ring.sizeFor(options);

if (process.argv[2] === 'child') {
  const buffer = map(process.argv[3], false, bytes);
  const ring = Ring.attach(buffer, 0);
  let sum = 0;
  let inOrder = true;
  for (let i = 0; i < COUNT; i++) {
    const v = ring.dequeueWait(10_000);
    if (v !== i) inOrder = false;
    sum += v ?? 0;
  }
  ring.close();
  munmap(buffer);
  process.send({ sum, inOrder });
  process.disconnect();
} else {
  const dir = mkdtempSync(join(tmpdir(), 'shmkit-ring-smoke-'));
  let failed = false;
  try {
    const path = join(dir, 'ring.bin');
    const buffer = map(path, true, bytes);
    const ring = Ring.create(buffer, 0, options);
    const child = fork(new URL(import.meta.url).pathname, ['child', path], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const reply = new Promise((resolve) => child.once('message', resolve));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    for (let i = 0; i < COUNT; i++) {
      if (!ring.enqueueWait(i, 10_000)) throw new Error(`enqueue ${i} timed out`);
    }
    const [result, code] = await Promise.all([reply, exited]);
    clearTimeout(timer);
    const expected = (COUNT * (COUNT - 1)) / 2;
    if (code !== 0 || !result.inOrder || result.sum !== expected || ring.count !== 0) {
      throw new Error(`child exit ${code}, reply ${JSON.stringify(result)}, ring count ${ring.count}`);
    }
    ring.close();
    munmap(buffer);
    console.log(`@shmkit/ring pack-smoke ok: ${COUNT} elements through an mpmc Ring to a forked child, in order, sum ${expected}`);
  } catch (err) {
    failed = true;
    console.error(`@shmkit/ring pack-smoke FAILED: ${err?.stack ?? err}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  process.exit(failed ? 1 : 0);
}
