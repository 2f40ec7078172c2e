import { afterEach, describe, expect, it } from 'vitest';
import { type Guard, LockTimeoutError } from '../src/index.js';
import { startChild } from './helpers/child.js';
import { type LockFixture, lockFixture } from './helpers/fixture.js';
import type { Kind } from './helpers/layout.js';
import { openKind, type Side } from './helpers/open-kind.js';

let fixture: LockFixture;
afterEach(() => fixture?.cleanup());

const CASES: Array<[Kind, Side]> = [
  ['shm-mutex', 'write'],
  ['shm-rwlock', 'read'],
  ['shm-rwlock', 'write'],
  ['record', 'read'],
  ['record', 'write'],
  ['file', 'write'],
];

function isTimeout(err: unknown): boolean {
  return err instanceof LockTimeoutError && err.code === 'ERR_SHMKIT_LOCK_TIMEOUT';
}

describe('timeouts and AbortSignal, sync and async, while another process holds the write lock', () => {
  it.each(CASES)('%s %s', async (kind, side) => {
    fixture = lockFixture();
    const child = startChild('holder.ts', [kind, fixture.shared.path, fixture.lockPath, 'write']);
    fixture.children.push(child);
    await child.waitFor('locked');
    const lock = openKind(kind, fixture.shared.buffer, fixture.lockPath);

    expect(lock.tryAcquire(side)).toBeNull();

    // Timeout, sync: blocks the thread for about 30 ms, then fails.
    let error: unknown;
    try {
      lock.acquire(side, 'sync', { timeout: 30 });
    } catch (err) {
      error = err;
    }
    expect(isTimeout(error)).toBe(true);

    // Timeout 0 is one attempt.
    expect(() => lock.acquire(side, 'sync', { timeout: 0 })).toThrow(LockTimeoutError);

    // Timeout, async; the event loop keeps running while it waits.
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    await expect(lock.acquire(side, 'async', { timeout: 200 })).rejects.toSatisfy(isTimeout);
    clearInterval(ticker);
    expect(ticks).toBeGreaterThan(2);

    // Abort while waiting: rejects with exactly the signal's reason.
    const controller = new AbortController();
    const reason = new Error('stop waiting');
    const pending = lock.acquire(side, 'async', { signal: controller.signal });
    setTimeout(() => controller.abort(reason), 30);
    await expect(pending).rejects.toBe(reason);

    // AbortSignal.timeout() aborts with a TimeoutError DOMException, passed through as is.
    const timeoutSignal = AbortSignal.timeout(20);
    await expect(lock.acquire(side, 'async', { signal: timeoutSignal })).rejects.toBe(
      await new Promise((resolve) => timeoutSignal.addEventListener('abort', () => resolve(timeoutSignal.reason))),
    );

    // Already aborted: sync throws and async rejects with the reason, without waiting.
    const aborted = AbortSignal.abort('already');
    expect(() => lock.acquire(side, 'sync', { signal: aborted })).toThrow();
    try {
      lock.acquire(side, 'sync', { signal: aborted });
    } catch (err) {
      expect(err).toBe('already');
    }
    await expect(lock.acquire(side, 'async', { signal: aborted })).rejects.toBe('already');

    // Nothing was left behind by the abandoned waits: once the holder lets go, the lock is free.
    child.send('release');
    await child.waitFor('released');
    const guard = (await lock.acquire(side, 'async', { timeout: 10_000 })) as Guard;
    expect(guard.recovered).toBe(false);
    guard.release();
    child.send('exit');
    await child.succeeded();
    lock.close();
  });

  it('ShmRwLock: a writer that times out waiting for readers lets new readers in again', async () => {
    fixture = lockFixture();
    const child = startChild('holder.ts', ['shm-rwlock', fixture.shared.path, fixture.lockPath, 'read']);
    fixture.children.push(child);
    await child.waitFor('locked');
    const writerSide = openKind('shm-rwlock', fixture.shared.buffer, fixture.lockPath);
    const readerSide = openKind('shm-rwlock', fixture.shared.buffer, fixture.lockPath);
    expect(() => writerSide.acquire('write', 'sync', { timeout: 30 })).toThrow(LockTimeoutError);
    await expect(writerSide.acquire('write', 'async', { timeout: 30 })).rejects.toSatisfy(isTimeout);
    const read = readerSide.tryAcquire('read');
    expect(read).not.toBeNull();
    read?.release();
  });
});
