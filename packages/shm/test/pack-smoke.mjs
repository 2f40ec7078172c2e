// Smoke test of the packed package, run outside the repository after `npm install` of the
// @shmkit/shm and @shmkit/sys tarballs. The parent creates a POSIX object and a System V segment;
// a child (this same script) opens both, reads the parent's bytes and writes a reply.
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { IPC_PRIVATE, PosixSharedMemory, ShmError, ShmId, SysvSharedMemory, shminfo } from '@shmkit/shm';

const [role, name, id] = process.argv.slice(2);

if (role === 'child') {
  const posix = PosixSharedMemory.open(name);
  const sysv = SysvSharedMemory.open(new ShmId(Number(id)));
  const seen = `${posix.read(0, 5).toString()} ${sysv.read(0, 5).toString()}`;
  posix.write('child', 100);
  sysv.write('child', 100);
  posix[Symbol.dispose]();
  sysv.close();
  process.send?.(seen);
} else {
  const name = `/shmkit-shm-smoke-${process.pid}`;
  const posix = PosixSharedMemory.create(name, 4096);
  const sysv = SysvSharedMemory.create(IPC_PRIVATE, 4096);
  try {
    posix.write('posix');
    sysv.write('sysv!');
    const child = fork(new URL(import.meta.url).pathname, ['child', name, String(sysv.id.value)]);
    const seen = await new Promise((resolve, reject) => {
      child.once('message', resolve);
      child.once('exit', (code) => reject(new Error(`child exited with ${code} before answering`)));
      setTimeout(() => reject(new Error('child timed out')), 20_000).unref();
    });
    await new Promise((resolve) => child.once('exit', resolve));
    if (seen !== 'posix sysv!') throw new Error(`child saw ${JSON.stringify(seen)}`);
    if (posix.read(100, 5).toString() !== 'child' || sysv.read(100, 5).toString() !== 'child') {
      throw new Error('the child writes are not visible');
    }
    if (shminfo(sysv.id).segsz !== 4096) throw new Error('bad segment size');
  } finally {
    posix.close();
    sysv.close();
  }
  if (existsSync(`/dev/shm${name}`)) throw new Error('the volatile POSIX name was not unlinked');
  try {
    SysvSharedMemory.open(sysv.id);
    throw new Error('the volatile System V segment still exists');
  } catch (err) {
    if (!(err instanceof ShmError) || err.code !== 'EINVAL') throw err;
  }
  try {
    sysv.buffer;
    throw new Error('buffer was usable after close');
  } catch (err) {
    if (!(err instanceof ShmError) || err.code !== 'ERR_SHMKIT_CLOSED') throw err;
  }
  console.log(`@shmkit/shm smoke ok: POSIX ${name} and System V ${sysv.id} shared with a forked child, cleaned up`);
}
