import { readSync, writeSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { lineReader, tsNodeArgs } from '@shmkit/testkit';
import { describe, expect, it } from 'vitest';
import {
  MADV_DONTNEED,
  MADV_SEQUENTIAL,
  MAP_PRIVATE,
  MAP_SHARED,
  MS_SYNC,
  madvise,
  mmap,
  msync,
  munmap,
  PAGE_SIZE,
  PROT_READ,
  PROT_WRITE,
  SysError,
} from '../src/index.js';
import { child, sharedFile } from './helpers.js';

describe('mmap', () => {
  it('maps a page beyond 4 GiB of a sparse file, shared with the file contents', () => {
    const offset = 5 * 2 ** 30; // past both the 2 GiB and the 4 GiB marks
    using file = sharedFile(offset + 2 * PAGE_SIZE);
    writeSync(file.fd, Buffer.from('from the file'), 0, 13, offset + 10);
    const buffer = mmap(file.fd, offset, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED);
    expect(buffer.byteLength).toBe(2 * PAGE_SIZE);
    const bytes = new Uint8Array(buffer);
    expect(Buffer.from(bytes.subarray(10, 23)).toString()).toBe('from the file');
    bytes.set(Buffer.from('from the map'), PAGE_SIZE + 5);
    msync(buffer, PAGE_SIZE, 100, MS_SYNC);
    const back = Buffer.alloc(12);
    readSync(file.fd, back, 0, 12, offset + PAGE_SIZE + 5);
    expect(back.toString()).toBe('from the map');
    expect(munmap(buffer)).toBe(true);
  });

  it('refuses one mapping larger than an ArrayBuffer can be, without mapping anything', () => {
    using file = sharedFile(5 * 2 ** 30 + PAGE_SIZE);
    expect(() => mmap(file.fd, 0, 5 * 2 ** 30, PROT_READ, MAP_SHARED)).toThrow(RangeError);
    const whole = mmap(file.fd, 0, 2 ** 32, PROT_READ, MAP_SHARED);
    expect(whole.byteLength).toBe(2 ** 32);
    expect(munmap(whole)).toBe(true);
  });

  it('munmap detaches: every view becomes empty, and a second munmap returns false', () => {
    using file = sharedFile(PAGE_SIZE);
    const buffer = mmap(file.fd, 0, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED);
    const bytes = new Uint8Array(buffer);
    const words = new Int32Array(buffer, 8, 4);
    const node = Buffer.from(buffer);
    bytes[0] = 7;
    expect(munmap(buffer)).toBe(true);
    expect(buffer.byteLength).toBe(0);
    expect(bytes.length).toBe(0);
    expect(words.length).toBe(0);
    expect(node.length).toBe(0);
    expect(bytes[0]).toBe(undefined); // reads nothing instead of touching unmapped memory
    expect(munmap(buffer)).toBe(false);
    expect(() => msync(buffer, 0, 1, MS_SYNC)).toThrow(/detached/);
  });

  it('MAP_PRIVATE writes stay private', () => {
    using file = sharedFile(PAGE_SIZE);
    const priv = mmap(file.fd, 0, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE);
    const shared = mmap(file.fd, 0, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED);
    new Uint8Array(priv)[0] = 9;
    expect(new Uint8Array(shared)[0]).toBe(0);
    munmap(priv);
    munmap(shared);
  });

  it('madvise and msync check their ranges', () => {
    using file = sharedFile(2 * PAGE_SIZE);
    const buffer = mmap(file.fd, 0, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED);
    madvise(buffer, 0, 2 * PAGE_SIZE, MADV_SEQUENTIAL);
    madvise(buffer, PAGE_SIZE, PAGE_SIZE, MADV_DONTNEED);
    expect(() => madvise(buffer, PAGE_SIZE, 2 * PAGE_SIZE, MADV_SEQUENTIAL)).toThrow(RangeError);
    expect(() => msync(buffer, -1, 1, MS_SYNC)).toThrow(RangeError);
    try {
      madvise(buffer, 1, 10, MADV_SEQUENTIAL);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(SysError);
      expect(err).toMatchObject({ code: 'EINVAL', errno: 22, syscall: 'madvise' });
    }
    munmap(buffer);
  });

  it('reports system errors as SysError and bad arguments as TypeError/RangeError', () => {
    using file = sharedFile(PAGE_SIZE);
    expect(() => mmap(123456, 0, PAGE_SIZE, PROT_READ, MAP_SHARED)).toThrow(
      expect.objectContaining({ code: 'EBADF', syscall: 'mmap' }),
    );
    expect(() => mmap(file.fd, 100, PAGE_SIZE, PROT_READ, MAP_SHARED)).toThrow(RangeError);
    expect(() => mmap(file.fd, 0, 0, PROT_READ, MAP_SHARED)).toThrow(RangeError);
    expect(() => mmap(file.fd, 0, 2 ** 60, PROT_READ, MAP_SHARED)).toThrow();
    expect(() => mmap(file.fd, 0.5, PAGE_SIZE, PROT_READ, MAP_SHARED)).toThrow(RangeError);
    expect(() => munmap(new ArrayBuffer(8))).toThrow(TypeError);
    expect(() => munmap(new Uint8Array(8) as unknown as ArrayBuffer)).toThrow(TypeError);
  });

  it('the GC finaliser unmaps forgotten buffers and never unmaps twice', async () => {
    using file = sharedFile(PAGE_SIZE);
    const proc = spawn(process.execPath, ['--expose-gc', ...tsNodeArgs(), child('remap-after-gc.ts'), file.path], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = lineReader(proc);
    expect(await out.next(/^remapped /)).toBe('remapped 50');
    const line = await out.next(/^mappings /);
    const [, before, during, after] = line.match(/before (\d+) during (\d+) after (\d+)/)!.map(Number);
    expect(during! - before!).toBe(100);
    expect(after!).toBeLessThan(during!);
    expect(await out.exited).toBe(0);
  });
});
