import { lineReader, spawnTs } from '@shmkit/testkit';
import { describe, expect, it } from 'vitest';
import { futexWait, futexWaitAsync, futexWake, MAP_SHARED, mmap, munmap, PROT_READ, PROT_WRITE } from '../src/index.js';
import { child, sharedFile, sleep } from './helpers.js';

/**
 * A waiter may not have reached the kernel yet when it reports that it waits: wake word 0 until
 * `count` waiters were found (or ~10 s passed). Returns how many were woken.
 */
async function wakeWhenWaiting(words: Int32Array, count: number): Promise<number> {
  let woken = 0;
  for (let i = 0; i < 5000 && woken < count; i++) {
    woken += futexWake(words, 0, count - woken);
    if (woken < count) await sleep(2);
  }
  return woken;
}

function mapWords(fd: number): Int32Array {
  return new Int32Array(mmap(fd, 0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED));
}

describe('futex in one process', () => {
  it('reports not-equal, timed-out, and wakes nobody when nobody waits', () => {
    using file = sharedFile(4096);
    const words = mapWords(file.fd);
    words[0] = 5;
    expect(futexWait(words, 0, 4)).toBe('not-equal');
    expect(futexWait(words, 0, 5, 5)).toBe('timed-out');
    expect(futexWait(words, 0, 5, 0)).toBe('timed-out');
    expect(futexWake(words, 0, 1)).toBe(0);
    munmap(words.buffer as ArrayBuffer);
  });

  it('rejects bad views and indices', () => {
    using file = sharedFile(4096);
    const words = mapWords(file.fd);
    expect(() => futexWait(words, 1024, 0, 0)).toThrow(RangeError);
    expect(() => futexWait(words, -1, 0, 0)).toThrow(RangeError);
    expect(() => futexWake(new Uint32Array(4) as unknown as Int32Array, 0, 1)).toThrow(TypeError);
    munmap(words.buffer as ArrayBuffer);
    // An unmapped (detached) view has length 0: every index is out of range.
    expect(() => futexWake(words, 0, 1)).toThrow(/out of range/);
  });

  it('futexWaitAsync resolves ok on a wake, timed-out, not-equal, and cancelled promptly', async () => {
    using file = sharedFile(4096);
    const words = mapWords(file.fd);
    expect(await futexWaitAsync(words, 0, 1).promise).toBe('not-equal');
    expect(await futexWaitAsync(words, 0, 0, 10).promise).toBe('timed-out');

    const woken = futexWaitAsync(words, 0, 0);
    // The waiting thread may not be in the kernel yet: wake until one waiter was found.
    expect(await wakeWhenWaiting(words, 1)).toBe(1);
    expect(await woken.promise).toBe('ok');

    const cancelled = futexWaitAsync(words, 0, 0);
    cancelled.cancel();
    cancelled.cancel(); // a second cancel is harmless
    expect(await cancelled.promise).toBe('cancelled');
    cancelled.cancel(); // and so is one after the end
    munmap(words.buffer as ArrayBuffer);
  });

  it('many concurrent async waits each get their own thread and all end', async () => {
    using file = sharedFile(4096);
    const words = mapWords(file.fd);
    const waits = Array.from({ length: 16 }, () => futexWaitAsync(words, 0, 0));
    expect(await wakeWhenWaiting(words, 8)).toBe(8);
    for (const w of waits) w.cancel();
    const outcomes = await Promise.all(waits.map((w) => w.promise));
    expect(outcomes.filter((o) => o === 'ok').length).toBe(8);
    expect(outcomes.filter((o) => o === 'cancelled').length).toBe(8);
    munmap(words.buffer as ArrayBuffer);
  });
});

describe('futex across processes', () => {
  it('a blocking wait in a child is woken by this process', async () => {
    using file = sharedFile(4096);
    const words = mapWords(file.fd);
    const proc = spawnTs(child('map-file.ts'), ['wake-wait', file.path]);
    const out = lineReader(proc);
    await out.next('waiting');
    expect(await wakeWhenWaiting(words, 1)).toBe(1);
    expect(await out.next(/^result /)).toBe('result ok 0');
    expect(await out.exited).toBe(0);
    munmap(words.buffer as ArrayBuffer);
  });

  it('an async wait here is woken by another process', async () => {
    using file = sharedFile(4096);
    const words = mapWords(file.fd);
    const wait = futexWaitAsync(words, 0, 0);
    // Give the waiting thread time to enter the kernel; the child sets the word first, so even a
    // late waiter sees a changed word and returns.
    await sleep(20);
    const proc = spawnTs(child('map-file.ts'), ['wake', file.path, '1']);
    const out = lineReader(proc);
    expect(await wait.promise).toMatch(/^(ok|not-equal)$/);
    expect(await out.next(/^woken /)).toMatch(/^woken [01]$/);
    expect(await out.exited).toBe(0);
    expect(Atomics.load(words, 0)).toBe(1);
    munmap(words.buffer as ArrayBuffer);
  });

  it('a pending async wait keeps a process alive; after the wake it exits on its own', async () => {
    using file = sharedFile(4096);
    const words = mapWords(file.fd);
    const proc = spawnTs(child('map-file.ts'), ['async-wait', file.path]);
    const out = lineReader(proc);
    await out.next('pending');
    await sleep(200);
    expect(proc.exitCode).toBe(null);
    Atomics.store(words, 0, 1);
    expect(await wakeWhenWaiting(words, 1)).toBe(1);
    expect(await out.next(/^result /)).toBe('result ok');
    expect(await out.exited).toBe(0);
    munmap(words.buffer as ArrayBuffer);
  });

  it('a cancelled async wait lets the process exit on its own', async () => {
    using file = sharedFile(4096);
    const proc = spawnTs(child('map-file.ts'), ['async-wait', file.path, '30']);
    const out = lineReader(proc);
    expect(await out.next(/^result /)).toBe('result cancelled');
    expect(await out.exited).toBe(0);
  });
});
