import { afterEach, describe, expect, it } from 'vitest';
import { FileLock, RecordLock, ShmMutex, ShmRwLock } from '../src/index.js';
import { startChild } from './helpers/child.js';
import { type LockFixture, lockFixture } from './helpers/fixture.js';
import { type Kind, MUTEX_OFFSET, RWLOCK_OFFSET } from './helpers/layout.js';
import { FILE_LOCK_STALE_MS } from './helpers/open-kind.js';

let fixture: LockFixture;
afterEach(() => fixture?.cleanup());

/** Starts a child that takes `side` of the lock of `kind` and holds it. */
async function holder(kind: Kind, side: 'read' | 'write') {
  const child = startChild('holder.ts', [kind, fixture.shared.path, fixture.lockPath, side]);
  fixture.children.push(child);
  await child.waitFor('locked');
  return child;
}

async function killAndWait(child: Awaited<ReturnType<typeof holder>>): Promise<number> {
  const killedAt = performance.now();
  child.kill('SIGKILL');
  return killedAt;
}

function report(what: string, killedAt: number): void {
  console.log(`${what}: acquired ${(performance.now() - killedAt).toFixed(1)} ms after kill -9`);
}

describe('kill -9 while holding: the next acquirer gets the lock', () => {
  it('ShmMutex: a parked async waiter takes it over, recovered = true', async () => {
    fixture = lockFixture();
    const mutex = ShmMutex.at(fixture.shared.buffer, MUTEX_OFFSET);
    const child = await holder('shm-mutex', 'write');
    expect(mutex.holder()?.pid).toBe(child.pid);
    const waiting = mutex.lockAsync({ timeout: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 100)); // let it park
    const killedAt = await killAndWait(child);
    const guard = await waiting;
    report('ShmMutex (parked async waiter)', killedAt);
    expect(guard.recovered).toBe(true);
    expect(mutex.takeovers).toBe(1);
    guard.release();
    const again = mutex.tryLock();
    expect(again?.recovered).toBe(false);
    again?.release();
  });

  it('ShmMutex: a sync acquirer arriving after the death takes it over at once, recovered = true', async () => {
    fixture = lockFixture();
    const mutex = ShmMutex.at(fixture.shared.buffer, MUTEX_OFFSET);
    const child = await holder('shm-mutex', 'write');
    const killedAt = await killAndWait(child);
    await child.exited;
    const guard = mutex.lock({ timeout: 10_000 });
    report('ShmMutex (sync, after exit)', killedAt);
    expect(guard.recovered).toBe(true);
    guard.release();
    expect(mutex.holder()).toBeNull();
  });

  it('ShmMutex: a waiter killed while parked leaves nothing behind', async () => {
    fixture = lockFixture();
    const mutex = ShmMutex.at(fixture.shared.buffer, MUTEX_OFFSET);
    const first = await holder('shm-mutex', 'write');
    const parked = startChild('holder.ts', ['shm-mutex', fixture.shared.path, fixture.lockPath, 'write']);
    fixture.children.push(parked);
    await parked.waitFor('acquiring');
    await new Promise((resolve) => setTimeout(resolve, 200)); // it finds the lock taken and parks
    parked.kill('SIGKILL');
    await parked.exited;
    first.send('release');
    await first.waitFor('released');
    const guard = mutex.lock({ timeout: 10_000 });
    expect(guard.recovered).toBe(false);
    guard.release();
  });

  it('ShmRwLock: a dead writer is taken over by a parked reader, recovered = true', async () => {
    fixture = lockFixture();
    const rw = ShmRwLock.at(fixture.shared.buffer, RWLOCK_OFFSET);
    const child = await holder('shm-rwlock', 'write');
    expect(rw.writer()?.pid).toBe(child.pid);
    const waiting = rw.readLockAsync({ timeout: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const killedAt = await killAndWait(child);
    const guard = await waiting;
    report('ShmRwLock writer (parked async reader)', killedAt);
    expect(guard.recovered).toBe(true);
    guard.release();
    const write = rw.writeLock({ timeout: 10_000 });
    expect(write.recovered).toBe(false);
    write.release();
  });

  it('ShmRwLock: a dead writer is taken over by a sync writer, recovered = true', async () => {
    fixture = lockFixture();
    const rw = ShmRwLock.at(fixture.shared.buffer, RWLOCK_OFFSET);
    const child = await holder('shm-rwlock', 'write');
    const killedAt = await killAndWait(child);
    await child.exited;
    const guard = rw.writeLock({ timeout: 10_000 });
    report('ShmRwLock writer (sync writer, after exit)', killedAt);
    expect(guard.recovered).toBe(true);
    expect(rw.takeovers).toBe(1);
    guard.release();
  });

  it('ShmRwLock: a dead reader does not block a writer, and its slot is freed', async () => {
    fixture = lockFixture();
    const rw = ShmRwLock.at(fixture.shared.buffer, RWLOCK_OFFSET);
    const child = await holder('shm-rwlock', 'read');
    expect(rw.readers).toBe(1);
    const waiting = rw.writeLockAsync({ timeout: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const killedAt = await killAndWait(child);
    const guard = await waiting;
    report('ShmRwLock reader (parked async writer)', killedAt);
    // Readers change nothing, so a dead reader leaves the data as it was: not reported as recovered.
    expect(guard.recovered).toBe(false);
    expect(rw.readers).toBe(0);
    guard.release();
  });

  it('RecordLock: the kernel drops a dead holder’s lock; a waiter gets it at once', async () => {
    fixture = lockFixture();
    const child = await holder('record', 'write');
    using lock = new RecordLock(fixture.lockPath);
    expect(lock.tryReadLock()).toBeNull();
    const waiting = lock.writeLockAsync({ timeout: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const killedAt = await killAndWait(child);
    const guard = await waiting;
    report('RecordLock (async waiter)', killedAt);
    expect(guard.recovered).toBe(false); // the kernel gives no sign that the holder died
    guard.release();
  });

  it('FileLock: a dead holder’s lock is taken over after the stale time, recovered = true', async () => {
    fixture = lockFixture();
    const child = await holder('file', 'write');
    const lock = new FileLock(fixture.lockPath, { stale: FILE_LOCK_STALE_MS });
    expect(lock.tryLock()).toBeNull();
    const killedAt = await killAndWait(child);
    const guard = await lock.lockAsync({ timeout: 20_000 });
    report(`FileLock (stale ${FILE_LOCK_STALE_MS} ms)`, killedAt);
    expect(guard.recovered).toBe(true);
    expect(guard.compromised).toBeNull();
    guard.release();
  });
});
