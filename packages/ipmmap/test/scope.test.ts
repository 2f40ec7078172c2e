import { existsSync, readFileSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { int32, struct } from '@shmkit/struct';
import { spawnTs, waitForLine } from '@shmkit/testkit';
import { describe, expect, it } from 'vitest';
import {
  DataStructMmapEditor,
  DataStructMmapManager,
  DataStructMmapReader,
  DemoMmapStructure,
  HEADER_CODE,
  MmapStructureHeader,
  registerStruct,
  setUserStructs,
} from '../src/index.js';
import { CHILD, ipmmapDirs } from './helpers.js';

const code = (c: string) => expect.objectContaining({ code: c });

describe('scopes: reading and writing', () => {
  it('creates the file image ipmmap creates, then writes and reads every kind of key', () => {
    using dirs = ipmmapDirs();
    const before = Date.now() / 1000;
    using manager = new DataStructMmapManager(DemoMmapStructure, { ...dirs, create: true });
    expect(manager.created).toBe(true);
    const image = readFileSync(manager.mmapFilePath);
    expect(image.length).toBe(688);
    expect([...image.subarray(0, 8)]).toEqual([0x28, 0x11, 0, 0, 0, 0, 0, 0]);
    expect(image.readDoubleLE(8)).toBeGreaterThanOrEqual(before - 1);
    expect(image.subarray(16).every((b) => b === 0)).toBe(true);
    expect(statSync(manager.mmapFilePath).mode & 0o777).toBe(0o600);

    using editor = new DataStructMmapEditor(DemoMmapStructure, dirs);
    {
      using s = editor.open();
      s.writeData('data_int', 42);
      s.writeData('data_string', 'hello');
      s.writeData('data_xy.x', 1.5);
      s.writeData('data_xy', { y: -2.5 });
      s.writeData('multi_pts.multi_points.3.x', 7.25);
      s.writeData('multi_pts.multi_points.23', { x: 1, y: 2 });
      s.updateLastUpdate(1234.5);
    }
    using reader = new DataStructMmapReader(DemoMmapStructure, dirs);
    using s = reader.open();
    expect(s.readData('data_int')).toBe(42);
    expect(s.readData('data_string')).toBe('hello');
    expect(s.readData('data_xy')).toEqual({ x: 1.5, y: -2.5 });
    expect(s.readData('multi_pts.multi_points.3.x')).toBe(7.25);
    expect(s.readData('multi_pts.multi_points.23')).toEqual({ x: 1, y: 2 });
    expect(s.getLastUpdate()).toBe(1234.5);
    expect(s.readData('header.header_code')).toBe(HEADER_CODE);
    const all = s.readMappedBuffer();
    expect(all.data_int).toBe(42);
    expect(all.multi_pts.multi_points).toHaveLength(24);
    expect(s.readMappedBytes().length).toBe(688);
  });

  it('writes char arrays as ctypes does: bytes, one NUL, the old bytes after it untouched', () => {
    using dirs = ipmmapDirs();
    using editor = new DataStructMmapManager(DemoMmapStructure, { ...dirs, create: true });
    using s = editor.open();
    s.writeData('data_string', 'A'.repeat(256));
    s.writeData('data_string', 'hi');
    const raw = s.readMappedBytes();
    expect(raw.subarray(20, 26).toString('latin1')).toBe('hi\0AAA');
    expect(s.readData('data_string')).toBe('hi');
    expect(() => s.writeData('data_string', 'x'.repeat(257))).toThrow();
    s.writeData('data_int', 2 ** 31);
    expect(s.readData('data_int')).toBe(-(2 ** 31));
    expect(() => s.writeData('data_int', 1.5)).toThrow();
  });

  it('updateLastUpdate keeps the stamp moving forward even within one millisecond', () => {
    using dirs = ipmmapDirs();
    using editor = new DataStructMmapManager(DemoMmapStructure, { ...dirs, create: true });
    using s = editor.open();
    const stamps = Array.from({ length: 50 }, () => s.updateLastUpdate());
    for (let i = 1; i < stamps.length; i++) expect(stamps[i]!).toBeGreaterThan(stamps[i - 1]!);
  });

  it('create leaves an existing file and its values alone; force resets it in place', async () => {
    using dirs = ipmmapDirs();
    using first = new DataStructMmapManager(DemoMmapStructure, { ...dirs, create: true });
    await first.use((s) => s.writeData('data_int', 5));
    const ino = statSync(first.mmapFilePath).ino;
    using again = new DataStructMmapManager(DemoMmapStructure, { ...dirs, create: true });
    expect(again.created).toBe(false);
    expect(readFileSync(again.mmapFilePath).readInt32LE(16)).toBe(5);
    using forced = new DataStructMmapManager(DemoMmapStructure, { ...dirs, create: true, force: true });
    expect(forced.created).toBe(true);
    expect(readFileSync(forced.mmapFilePath).readInt32LE(16)).toBe(0);
    expect(statSync(forced.mmapFilePath).ino).toBe(ino);
  });
});

describe('what ipmmap gets wrong, done right', () => {
  it('an unknown key is an error at every level, for reads and writes', () => {
    using dirs = ipmmapDirs();
    using editor = new DataStructMmapManager(DemoMmapStructure, { ...dirs, create: true });
    using s = editor.open();
    for (const key of ['nonexistent', 'data_xy.z', 'a.nonexistent', '', 'multi_pts.multi_points.24.x', 'data_int.x']) {
      expect(() => s.writeData(key, 1), key).toThrow(code('ERR_SHMKIT_IPMMAP_UNKNOWN_KEY'));
      expect(() => s.readData(key), key).toThrow(code('ERR_SHMKIT_IPMMAP_UNKNOWN_KEY'));
    }
    expect(() => s.writeData('data_xy', { x: 1, q: 2 })).toThrow(code('ERR_SHMKIT_IPMMAP_UNKNOWN_KEY'));
  });

  it('every access outside a scope throws the same error', () => {
    using dirs = ipmmapDirs();
    using editor = new DataStructMmapManager(DemoMmapStructure, { ...dirs, create: true });
    const s = editor.open();
    s.close();
    s.close();
    expect(s.isOpen).toBe(false);
    const closed = code('ERR_SHMKIT_IPMMAP_SCOPE_CLOSED');
    expect(() => s.writeData('data_int', 1)).toThrow(closed);
    expect(() => s.readData('data_int')).toThrow(closed);
    expect(() => s.updateLastUpdate()).toThrow(closed);
    expect(() => s.clearMappedBuffer()).toThrow(closed);
    expect(() => s.getLastUpdate()).toThrow(closed);
    expect(() => s.readMappedBuffer()).toThrow(closed);
    expect(() => s.referMappedBuffer()).toThrow(closed);
  });

  it('a missing, empty, undersized or non-regular data file is reported before any lock is taken', async () => {
    using dirs = ipmmapDirs();
    using reader = new DataStructMmapReader(DemoMmapStructure, dirs);
    const lockFile = reader.fastenerFilePath;
    expect(() => reader.open()).toThrow(code('ERR_SHMKIT_IPMMAP_FILE_MISSING'));
    await expect(reader.use(() => 1)).rejects.toThrow(code('ERR_SHMKIT_IPMMAP_FILE_MISSING'));
    // The lock was never taken: its file was not even created.
    expect(existsSync(lockFile)).toBe(false);
    writeFileSync(reader.mmapFilePath, '');
    expect(() => reader.open()).toThrow(code('ERR_SHMKIT_IPMMAP_FILE_TOO_SMALL'));
    writeFileSync(reader.mmapFilePath, Buffer.alloc(100));
    expect(() => reader.open()).toThrow(code('ERR_SHMKIT_IPMMAP_FILE_TOO_SMALL'));
    expect(existsSync(lockFile)).toBe(false);

    // While another process holds the write lock, the size check still answers at once.
    using holder = new DataStructMmapManager(DemoMmapStructure, { ...dirs, create: true, force: true });
    const child = spawnTs(CHILD, [dirs.mmapDir, dirs.fastenerDir, 'hold', 'write'], { stdio: ['pipe', 'pipe', 'pipe'] });
    try {
      await waitForLine(child, 'LOCKED');
      truncateSync(reader.mmapFilePath, 600);
      expect(() => reader.open()).toThrow(code('ERR_SHMKIT_IPMMAP_FILE_TOO_SMALL'));
    } finally {
      child.stdin?.end('\n');
      await new Promise((r) => child.once('close', r));
    }
    void holder;
  });

  it('refuses a symbolic link in place of the data file', () => {
    using dirs = ipmmapDirs();
    const target = join(dirs.root, 'elsewhere.bin');
    writeFileSync(target, Buffer.alloc(688));
    using reader = new DataStructMmapReader(DemoMmapStructure, dirs);
    symlinkSync(target, reader.mmapFilePath);
    expect(() => reader.open()).toThrow(code('ERR_SHMKIT_IPMMAP_NOT_A_FILE'));
    expect(() => new DataStructMmapManager(DemoMmapStructure, { ...dirs, create: true })).toThrow(
      code('ERR_SHMKIT_IPMMAP_NOT_A_FILE'),
    );
  });

  it('checks the header code on open, with an option to skip it for foreign files', () => {
    using dirs = ipmmapDirs();
    using reader = new DataStructMmapReader(DemoMmapStructure, dirs);
    const foreign = Buffer.alloc(688, 0x55);
    writeFileSync(reader.mmapFilePath, foreign);
    expect(() => reader.open()).toThrow(code('ERR_SHMKIT_IPMMAP_BAD_HEADER'));
    using lenient = new DataStructMmapReader(DemoMmapStructure, { ...dirs, checkHeader: false });
    using s = lenient.open();
    expect(s.readData('data_int')).toBe(0x55555555);
  });

  it('clearMappedBuffer zeroes the header too, and the cleared file still opens', () => {
    using dirs = ipmmapDirs();
    using m = new DataStructMmapManager(DemoMmapStructure, { ...dirs, create: true });
    {
      using s = m.open();
      s.writeData('data_int', 9);
      s.clearMappedBuffer();
      expect(s.getLastUpdate()).toBe(0);
    }
    expect(readFileSync(m.mmapFilePath).every((b) => b === 0)).toBe(true);
    using r = new DataStructMmapReader(DemoMmapStructure, dirs);
    using s = r.open();
    expect(s.readData('header.header_code')).toBe(0);
  });

  it('closeMemory() without openMemory() is harmless, and both are idempotent', () => {
    using dirs = ipmmapDirs();
    using m = new DataStructMmapManager(DemoMmapStructure, { ...dirs, create: true });
    m.closeMemory();
    m.openMemory();
    m.openMemory();
    m.closeMemory();
    m.closeMemory();
    m.close();
    m.close();
    expect(() => m.open()).toThrow(code('ERR_SHMKIT_IPMMAP_HANDLE_CLOSED'));
  });

  it('a live view stops working when its scope ends, and does not keep the lock', () => {
    using dirs = ipmmapDirs();
    using m = new DataStructMmapManager(DemoMmapStructure, { ...dirs, create: true });
    let view: any;
    {
      using s = m.open();
      view = s.referMappedBuffer();
      view.data_int = 77;
      expect(s.readData('data_int')).toBe(77);
    }
    let failed = false;
    try {
      const value = view.data_int;
      failed = value !== 77;
    } catch {
      failed = true;
    }
    expect(failed).toBe(true);
    using other = new DataStructMmapEditor(DemoMmapStructure, dirs);
    const s = other.tryOpen();
    expect(s).not.toBeNull();
    expect(s!.readData('data_int')).toBe(77);
    s!.close();
  });

  it('validates the struct when a handle is built: header first, registered names', () => {
    using dirs = ipmmapDirs();
    const NoHeader = struct('NoHeader', { a: int32 });
    expect(() => new DataStructMmapReader(NoHeader, dirs)).toThrow(code('ERR_SHMKIT_IPMMAP_NO_HEADER'));
    expect(() => new DataStructMmapReader('NotRegisteredAnywhere', dirs)).toThrow(
      code('ERR_SHMKIT_IPMMAP_STRUCT_NOT_FOUND'),
    );
    const Mine = registerStruct(struct('MineForTest', { hdr: MmapStructureHeader, n: int32 }));
    using byName = new DataStructMmapReader('MineForTest', dirs);
    expect(byName.structType).toBe(Mine);
    expect(byName.mmapFilePath).toBe(join(dirs.mmapDir, 'MineForTest_.mmap'));
    expect(() => registerStruct(struct('MineForTest', { hdr: MmapStructureHeader, m: int32, k: int32 }))).toThrow(
      code('ERR_SHMKIT_IPMMAP_DUPLICATE_STRUCT'),
    );
  });
});

describe('struct registration', () => {
  it('setUserStructs imports modules that register structs, found by name afterwards', async () => {
    using dirs = ipmmapDirs();
    expect(() => new DataStructMmapReader('UserModuleStructure', dirs)).toThrow(code('ERR_SHMKIT_IPMMAP_STRUCT_NOT_FOUND'));
    await setUserStructs([fileURLToPath(new URL('./fixtures/user-structs.ts', import.meta.url))]);
    using m = new DataStructMmapManager('UserModuleStructure', { ...dirs, create: true });
    expect(m.structType.size).toBe(24);
    await m.use((s) => s.writeData('value', 2.5));
    using r = new DataStructMmapReader('UserModuleStructure', dirs);
    expect(await r.use((s) => s.readData('value'))).toBe(2.5);
  });
});

describe('scopes always release their lock', () => {
  it('use() releases when the callback throws or rejects', async () => {
    using dirs = ipmmapDirs();
    using m = new DataStructMmapManager(DemoMmapStructure, { ...dirs, create: true });
    await expect(
      m.use(() => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await expect(
      m.use(async (s) => {
        s.writeData('data_int', 3);
        await new Promise((r) => setTimeout(r, 5));
        throw new Error('late boom');
      }),
    ).rejects.toThrow('late boom');
    const r = await runChild(dirs, ['try-write']);
    expect(r).toBe('ACQUIRED');
  });

  it('a using block releases when it throws, even with views still referenced', async () => {
    using dirs = ipmmapDirs();
    using m = new DataStructMmapManager(DemoMmapStructure, { ...dirs, create: true });
    const kept: unknown[] = [];
    expect(() => {
      using s = m.open();
      kept.push(s.referMappedBuffer());
      throw new Error('inside');
    }).toThrow('inside');
    expect(kept).toHaveLength(1);
    expect(await runChild(dirs, ['try-write'])).toBe('ACQUIRED');
  });

  it('refuses same-process nesting that would wait for itself, instead of downgrading', async () => {
    using dirs = ipmmapDirs();
    using m = new DataStructMmapManager(DemoMmapStructure, { ...dirs, create: true });
    using r = new DataStructMmapReader(DemoMmapStructure, dirs);
    using r2 = new DataStructMmapReader(DemoMmapStructure, dirs);
    {
      using s = m.open();
      expect(() => r.open()).toThrow(code('ERR_SHMKIT_IPMMAP_NESTED'));
      expect(() => m.open()).toThrow(code('ERR_SHMKIT_IPMMAP_NESTED'));
      await expect(m.use(() => 1)).rejects.toThrow(code('ERR_SHMKIT_IPMMAP_NESTED'));
      void s;
    }
    // Two readers of one process share the read lock.
    {
      using a = r.open();
      using b = r2.open();
      expect(a.readData('data_int')).toBe(b.readData('data_int'));
    }
    // An async scope inside another on the same file is refused; concurrent ones take turns.
    await expect(m.use(() => r.use(() => 1))).rejects.toThrow(code('ERR_SHMKIT_IPMMAP_NESTED'));
    const order: string[] = [];
    await Promise.all([
      m.use(async () => {
        order.push('a+');
        await new Promise((res) => setTimeout(res, 20));
        order.push('a-');
      }),
      r.use(() => {
        order.push('b');
      }),
    ]);
    expect(order).toEqual(['a+', 'a-', 'b']);
  });
});

async function runChild(dirs: { mmapDir: string; fastenerDir: string }, args: string[]): Promise<string> {
  const child = spawnTs(CHILD, [dirs.mmapDir, dirs.fastenerDir, ...args]);
  const line = await waitForLine(child, /ACQUIRED|BUSY/);
  await new Promise((r) => child.once('close', r));
  return line.trim();
}
