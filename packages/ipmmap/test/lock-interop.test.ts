import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { spawnTs, waitForLine } from '@shmkit/testkit';
import { describe, expect, it } from 'vitest';
import { DataStructMmapEditor, DataStructMmapManager, DataStructMmapReader, DemoMmapStructure } from '../src/index.js';
import { CHILD, ipmmapDirs } from './helpers.js';
import { peer, peerJson, python, SKIP_REASON, spawnPeer } from './peer.js';

function closed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('close', () => resolve());
  });
}

function stdoutOf(child: ChildProcess): Promise<string> {
  let out = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    out += d;
  });
  return closed(child).then(() => out);
}

describe.skipIf(!python)('lock interop with Python fasteners (ipmmap protocol)', () => {
  it('while Python holds the write lock, shmkit readers and editors wait; then see its write', async () => {
    using dirs = ipmmapDirs();
    using m = new DataStructMmapManager(DemoMmapStructure, { ...dirs, create: true });
    const holder = spawnPeer(dirs, ['hold', 'write', '--write-int', '11']);
    try {
      await waitForLine(holder, 'LOCKED');
      using reader = new DataStructMmapReader(DemoMmapStructure, dirs);
      using editor = new DataStructMmapEditor(DemoMmapStructure, dirs);
      expect(reader.tryOpen()).toBeNull();
      expect(editor.tryOpen()).toBeNull();
      await expect(reader.use(() => 1, { timeout: 100 })).rejects.toMatchObject({ code: 'ERR_SHMKIT_LOCK_TIMEOUT' });
      let settled = false;
      const pending = reader.use((s) => s.readData('data_int')).finally(() => {
        settled = true;
      });
      await new Promise((r) => setTimeout(r, 300));
      expect(settled).toBe(false);
      holder.stdin?.write('release\n');
      expect(await pending).toBe(11);
    } finally {
      holder.kill('SIGKILL');
      await closed(holder);
    }
    void m;
  });

  it('while shmkit holds the write lock, Python readers and writers wait', async () => {
    using dirs = ipmmapDirs();
    using m = new DataStructMmapManager(DemoMmapStructure, { ...dirs, create: true });
    const scope = m.open();
    let waiter: ChildProcess | undefined;
    try {
      scope.writeData('data_int', 23);
      scope.updateLastUpdate(99.5);
      expect(peer(dirs, ['try', 'read']).trim()).toBe('BUSY');
      expect(peer(dirs, ['try', 'write']).trim()).toBe('BUSY');
      waiter = spawnPeer(dirs, ['wait', 'read']);
      const output = stdoutOf(waiter);
      await waitForLine(waiter, 'WAITING');
      await new Promise((r) => setTimeout(r, 300));
      expect(waiter.exitCode).toBeNull();
      scope.close();
      const text = await output;
      expect(text).toMatch(/ACQUIRED [\d.]+ ms 99\.5/);
    } finally {
      scope.close();
      waiter?.kill('SIGKILL');
    }
  });

  it('read locks are shared across the languages, and block writers on the other side', async () => {
    using dirs = ipmmapDirs();
    using m = new DataStructMmapManager(DemoMmapStructure, { ...dirs, create: true });
    using reader = new DataStructMmapReader(DemoMmapStructure, dirs);
    {
      using s = reader.open();
      expect(peer(dirs, ['try', 'read']).trim()).toBe('ACQUIRED');
      expect(peer(dirs, ['try', 'write']).trim()).toBe('BUSY');
      void s;
    }
    const holder = spawnPeer(dirs, ['hold', 'read']);
    try {
      await waitForLine(holder, 'LOCKED');
      const s = reader.tryOpen();
      expect(s).not.toBeNull();
      s?.close();
      expect(m.tryOpen()).toBeNull();
    } finally {
      holder.stdin?.end('\n');
      await closed(holder);
    }
  });

  it('a Python holder killed with SIGKILL leaves no lock behind', async () => {
    using dirs = ipmmapDirs();
    using m = new DataStructMmapManager(DemoMmapStructure, { ...dirs, create: true });
    const holder = spawnPeer(dirs, ['hold', 'write', '--seconds', '30']);
    await waitForLine(holder, 'LOCKED');
    expect(m.tryOpen()).toBeNull();
    holder.kill('SIGKILL');
    await closed(holder);
    const s = m.tryOpen();
    expect(s).not.toBeNull();
    s?.close();
  });

  it('no torn reads under load: Python writer vs shmkit reader, and shmkit writer vs Python reader', async () => {
    using dirs = ipmmapDirs();
    using m = new DataStructMmapManager(DemoMmapStructure, { ...dirs, create: true });
    const pyWriter = spawnPeer(dirs, ['writer-loop', '--seconds', '1.5']);
    const tsReader = spawnTs(CHILD, [dirs.mmapDir, dirs.fastenerDir, 'reader-loop', '1500']);
    const [w1, r1] = await Promise.all([stdoutOf(pyWriter), stdoutOf(tsReader)]);
    const pyWrites = JSON.parse(w1).writes;
    const tsRead = JSON.parse(r1);
    expect(pyWrites).toBeGreaterThan(0);
    expect(tsRead.reads).toBeGreaterThan(0);
    expect(tsRead.torn).toBe(0);

    const tsWriter = spawnTs(CHILD, [dirs.mmapDir, dirs.fastenerDir, 'writer-loop', '1500']);
    const pyReader = spawnPeer(dirs, ['reader-loop', '--seconds', '1.5']);
    const [w2, r2] = await Promise.all([stdoutOf(tsWriter), stdoutOf(pyReader)]);
    expect(JSON.parse(w2).writes).toBeGreaterThan(0);
    const pyRead = JSON.parse(r2);
    expect(pyRead.reads).toBeGreaterThan(0);
    expect(pyRead.torn).toBe(0);
    void m;
  });

  it('flock(2) on the lock file blocks neither side (the protocol is fcntl record locks)', async () => {
    using dirs = ipmmapDirs();
    using m = new DataStructMmapManager(DemoMmapStructure, { ...dirs, create: true });
    await m.use(() => {}); // creates the lock file
    const flocker = spawn(
      python!,
      [
        '-c',
        'import fcntl,sys; f=open(sys.argv[1],"a"); fcntl.flock(f, fcntl.LOCK_EX); print("FLOCKED", flush=True); sys.stdin.readline()',
        m.fastenerFilePath,
      ],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    try {
      await waitForLine(flocker, 'FLOCKED');
      const s = m.tryOpen();
      expect(s).not.toBeNull();
      s?.close();
      expect(peer(dirs, ['try', 'write']).trim()).toBe('ACQUIRED');
    } finally {
      flocker.stdin?.end('\n');
      await closed(flocker);
    }
  });

  it('leaves the lock file empty and present, and the data file its size', async () => {
    using dirs = ipmmapDirs();
    using m = new DataStructMmapManager(DemoMmapStructure, { ...dirs, create: true });
    await m.use((s) => s.writeData('data_int', 1));
    peerJson(dirs, ['write', '{"data_int": 2}']);
    await m.use((s) => s.writeData('data_int', 3));
    expect(statSync(m.fastenerFilePath).size).toBe(0);
    expect(statSync(m.mmapFilePath).size).toBe(688);
  });
});

if (!python) describe.skip(SKIP_REASON, () => it('skipped', () => {}));
