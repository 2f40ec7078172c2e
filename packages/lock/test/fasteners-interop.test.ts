import { findPython } from '@shmkit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { LockTimeoutError, RecordLock } from '../src/index.js';
import { type Child, startPython } from './helpers/child.js';
import { type LockFixture, lockFixture } from './helpers/fixture.js';

const python = findPython(['fasteners']);
if (!python) {
  console.warn(
    'skipping the fasteners interop tests: no python3 with the fasteners module ' +
      '(on Debian: apt-get install python3-fasteners)',
  );
}

let fixture: LockFixture;
let peer: Child | undefined;
afterEach(async () => {
  if (peer) {
    peer.send('exit');
    peer.kill();
    await peer.exited;
    peer = undefined;
  }
  fixture?.cleanup();
});

async function startPeer(path: string): Promise<Child> {
  peer = startPython(python as string, 'fasteners_peer.py', [path]);
  await peer.waitFor('ready');
  return peer;
}

async function ask(child: Child, command: string, answer: string | RegExp): Promise<string> {
  child.send(command);
  return child.waitFor(answer);
}

describe.skipIf(!python)('RecordLock and Python fasteners exclude each other on the same file', () => {
  it('a fasteners write lock blocks RecordLock readers and writers until it is released', async () => {
    fixture = lockFixture();
    using lock = new RecordLock(fixture.lockPath);
    const py = await startPeer(fixture.lockPath);
    await ask(py, 'hold-write', 'holding write');

    expect(lock.tryReadLock()).toBeNull();
    expect(lock.tryWriteLock()).toBeNull();
    expect(() => lock.writeLock({ timeout: 50 })).toThrow(LockTimeoutError);
    await expect(lock.readLockAsync({ timeout: 50 })).rejects.toBeInstanceOf(LockTimeoutError);

    const waiting = lock.readLockAsync({ timeout: 10_000 });
    await ask(py, 'release-write', 'released');
    const read = await waiting;
    // Now Python may read alongside us, but not write.
    expect(await ask(py, 'try-read', 'try-read')).toBe('try-read acquired');
    expect(await ask(py, 'try-write', 'try-write')).toBe('try-write busy');
    read.release();
  });

  it('a blocking RecordLock write waits for a fasteners writer in the kernel', async () => {
    fixture = lockFixture();
    using lock = new RecordLock(fixture.lockPath);
    const py = await startPeer(fixture.lockPath);
    await ask(py, 'hold-write-for 300', 'holding write');
    const guard = lock.writeLock({ timeout: 10_000 }); // blocks this thread until Python lets go
    await py.waitFor('released');
    expect(await ask(py, 'try-read', 'try-read')).toBe('try-read busy');
    guard.release();
  });

  it('a fasteners read lock admits RecordLock readers and excludes writers', async () => {
    fixture = lockFixture();
    using lock = new RecordLock(fixture.lockPath);
    const py = await startPeer(fixture.lockPath);
    await ask(py, 'hold-read', 'holding read');
    const read = lock.tryReadLock();
    expect(read).not.toBeNull();
    read?.release();
    expect(lock.tryWriteLock()).toBeNull();
    await ask(py, 'release-read', 'released');
    const write = lock.tryWriteLock();
    expect(write).not.toBeNull();
    write?.release();
  });

  it('a RecordLock write lock makes fasteners wait; its read lock admits fasteners readers only', async () => {
    fixture = lockFixture();
    using lock = new RecordLock(fixture.lockPath);
    const py = await startPeer(fixture.lockPath);

    const write = lock.writeLock();
    expect(await ask(py, 'try-write', 'try-write')).toBe('try-write busy');
    expect(await ask(py, 'try-read', 'try-read')).toBe('try-read busy');
    py.send('wait-write');
    await new Promise((resolve) => setTimeout(resolve, 50));
    write.release();
    await py.waitFor('acquired write');

    const read = lock.readLock();
    expect(await ask(py, 'try-read', 'try-read')).toBe('try-read acquired');
    expect(await ask(py, 'try-write', 'try-write')).toBe('try-write busy');
    read.release();
    expect(await ask(py, 'try-write', 'try-write')).toBe('try-write acquired');
  });
});
