// Runs from an empty directory after `npm install` of the packed tarballs: imports @shmkit/lock by
// name and exercises real locks between this process and a child it forks of itself.
import { fork } from 'node:child_process';
import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileLock, LockTimeoutError, RecordLock, ShmMutex, ShmRwLock } from '@shmkit/lock';
import { MAP_SHARED, mmap, munmap, PROT_READ, PROT_WRITE } from '@shmkit/sys';

function mapFile(path, create) {
  const fd = openSync(path, create ? 'wx+' : 'r+', 0o600);
  if (create) ftruncateSync(fd, 4096);
  const buffer = mmap(fd, 0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED);
  closeSync(fd);
  return buffer;
}

function fail(message) {
  console.error(`@shmkit/lock smoke: FAILED: ${message}`);
  process.exit(1);
}

if (process.argv[2] === 'child') {
  // The child: attach, wait for the parent's locks, then hold the mutex until killed.
  const [, , , shmPath, lockPath] = process.argv;
  const buffer = mapFile(shmPath, false);
  const mutex = ShmMutex.at(buffer, 0);
  const rw = ShmRwLock.at(buffer, 64);
  const record = new RecordLock(lockPath);
  if (mutex.tryLock() !== null) fail('child took a mutex the parent holds');
  if (record.tryReadLock() !== null) fail('child took a record lock the parent holds for writing');
  process.send('waiting');
  const recordGuard = await record.writeLockAsync({ timeout: 10_000 });
  const counter = new Int32Array(buffer, 1024, 1);
  counter[0] += 1;
  recordGuard.release();
  const read = await rw.readLockAsync({ timeout: 10_000 });
  read.release();
  mutex.lock({ timeout: 10_000 });
  process.send('holding');
  setInterval(() => {}, 1000); // hold until killed
} else {
  const dir = mkdtempSync(join(tmpdir(), 'shmkit-lock-smoke-'));
  const shmPath = join(dir, 'shared');
  const lockPath = join(dir, 'locks', 'smoke.lock');
  const buffer = mapFile(shmPath, true);
  const mutex = ShmMutex.init(buffer, 0);
  const rw = ShmRwLock.init(buffer, 64);
  const record = new RecordLock(lockPath);
  const file = new FileLock(join(dir, 'resource'));
  try {
    const mutexGuard = mutex.lock();
    const recordGuard = record.writeLock();
    const writeGuard = rw.writeLock();
    const fileGuard = file.lock();
    const child = fork(new URL(import.meta.url).pathname, ['child', shmPath, lockPath], { stdio: 'inherit' });
    const messages = [];
    const next = () =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('child did not answer')), 15_000);
        child.once('message', (m) => {
          clearTimeout(timer);
          resolve(m);
        });
      });
    messages.push(await next());
    try {
      mutex.lock({ timeout: 0 });
      fail('a held mutex was taken again');
    } catch (err) {
      if (!(err instanceof Error) || err.code !== 'ERR_SHMKIT_LOCK_DEADLOCK') throw err;
    }
    recordGuard.release();
    writeGuard.release();
    mutexGuard.release();
    fileGuard.release();
    messages.push(await next());
    // The child holds the mutex: kill it and take the mutex over.
    try {
      ShmMutex.at(buffer, 0).lock({ timeout: 20 });
      fail('took a mutex the child holds');
    } catch (err) {
      if (!(err instanceof LockTimeoutError)) throw err;
    }
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const recovered = mutex.lock({ timeout: 10_000 });
    if (!recovered.recovered) fail('the dead holder was not reported');
    recovered.release();
    const counter = new Int32Array(buffer, 1024, 1);
    if (counter[0] !== 1 || messages.join(',') !== 'waiting,holding') fail(`unexpected ${counter[0]} ${messages}`);
    console.log('@shmkit/lock smoke: ok (ShmMutex, ShmRwLock, RecordLock, FileLock across two processes; takeover after kill -9)');
  } finally {
    record.close();
    munmap(buffer);
    rmSync(dir, { recursive: true, force: true });
  }
}
