// Smoke test of the packed package: run from a directory outside the repository after
// `npm install <sys tarball>`. The parent maps a /dev/shm file and waits on a futex word; a child
// (this same script) maps it too, writes a message and wakes the parent. Then a System V round trip.
import { fork } from 'node:child_process';
import { closeSync, ftruncateSync, openSync, rmSync } from 'node:fs';
import * as sys from '@shmkit/sys';

const [role, path] = process.argv.slice(2);

if (role === 'child') {
  const fd = openSync(path, 'r+');
  const buffer = sys.mmap(fd, 0, sys.PAGE_SIZE, sys.PROT_READ | sys.PROT_WRITE, sys.MAP_SHARED);
  Buffer.from(buffer).write('hello through the mapping', 8);
  const words = new Int32Array(buffer);
  Atomics.store(words, 0, 1);
  sys.futexWake(words, 0, 1);
  sys.munmap(buffer);
  closeSync(fd);
} else {
  const file = `/dev/shm/shmkit-sys-smoke-${process.pid}`;
  const fd = openSync(file, 'wx+', 0o600);
  try {
    ftruncateSync(fd, sys.PAGE_SIZE);
    const buffer = sys.mmap(fd, 0, sys.PAGE_SIZE, sys.PROT_READ | sys.PROT_WRITE, sys.MAP_SHARED);
    const words = new Int32Array(buffer);
    const wait = sys.futexWaitAsync(words, 0, 0, 20_000);
    const child = fork(new URL(import.meta.url).pathname, ['child', file]);
    const outcome = await wait.promise;
    const code = await new Promise((resolve) => child.once('exit', resolve));
    const text = Buffer.from(buffer).toString('utf8', 8, 33);
    if (code !== 0 || outcome === 'timed-out' || Atomics.load(words, 0) !== 1 || text !== 'hello through the mapping') {
      throw new Error(`unexpected: child exit ${code}, wait ${outcome}, text ${JSON.stringify(text)}`);
    }
    if (!sys.munmap(buffer) || words.length !== 0) throw new Error('munmap did not detach the views');

    const id = sys.shmget(sys.IPC_PRIVATE, 100, 0o600 | sys.IPC_CREAT | sys.IPC_EXCL);
    try {
      const segment = sys.shmat(id, false);
      new Uint8Array(segment)[99] = 7;
      const stat = sys.shmctlStat(id);
      if (stat.size !== 100 || stat.nattch !== 1 || segment.byteLength !== 100) throw new Error('bad shm stat');
      sys.shmdt(segment);
    } finally {
      sys.shmctlRemove(id);
    }
    try {
      sys.shmget(0x7fff0000 + (process.pid & 0xffff), 0, 0);
    } catch (err) {
      if (!(err instanceof sys.SysError) || err.code !== 'ENOENT') throw err;
    }
    console.log(`@shmkit/sys smoke ok: futex wake from pid ${child.pid} (${outcome}), mmap and System V round trips`);
  } finally {
    closeSync(fd);
    rmSync(file, { force: true });
  }
}
