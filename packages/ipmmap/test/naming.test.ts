import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { makeTmpDir } from '@shmkit/testkit';
import { describe, expect, it } from 'vitest';
import { ipmmapPaths, withSuffix } from '../src/naming.js';
import { peerJson, python, SKIP_REASON } from './peer.js';

// The table of the compatibility reference (Python 3.11 pathlib), for DemoMmapStructure.
const TABLE: Array<[tag: string, data: string, lock: string]> = [
  ['', 'Demo_.mmap', 'Demo_.lockfile'],
  ['TAG', 'Demo_TAG.mmap', 'Demo_TAG.lockfile'],
  ['v1.2', 'Demo_v1.mmap', 'Demo_v1.lockfile'],
  ['1.0.0', 'Demo_1.0.mmap', 'Demo_1.0.lockfile'],
  ['a.b.c', 'Demo_a.b.mmap', 'Demo_a.b.lockfile'],
  ['a..b', 'Demo_a..mmap', 'Demo_a..lockfile'],
  ['x.mmap', 'Demo_x.mmap', 'Demo_x.lockfile'],
  ['.x', 'Demo_.mmap', 'Demo_.lockfile'],
  ['.', 'Demo_..mmap', 'Demo_..lockfile'],
  ['..', 'Demo_...mmap', 'Demo_...lockfile'],
  ['x.', 'Demo_x..mmap', 'Demo_x..lockfile'],
  ['日本', 'Demo_日本.mmap', 'Demo_日本.lockfile'],
  [' sp ace', 'Demo_ sp ace.mmap', 'Demo_ sp ace.lockfile'],
];

const STRUCT = 'DemoMmapStructure';
const expand = (s: string) => s.replace(/^Demo_/, `${STRUCT}_`);

describe('file naming (with_suffix rule)', () => {
  it('withSuffix replaces only a real suffix', () => {
    expect(withSuffix('a.b', '.mmap')).toBe('a.mmap');
    expect(withSuffix('.a', '.mmap')).toBe('.a.mmap');
    expect(withSuffix('a.', '.mmap')).toBe('a..mmap');
    expect(withSuffix('a', '.mmap')).toBe('a.mmap');
  });

  it.each(TABLE)('tag %j gives %s and %s', (tag, data, lock) => {
    const p = ipmmapPaths(STRUCT, tag, '/m', '/f');
    expect(p.mmapFilePath).toBe(`/m/${expand(data)}`);
    expect(p.fastenerFilePath).toBe(`/f/${expand(lock)}`);
  });

  it('resolves relative directories against the working directory given at construction', () => {
    const p = ipmmapPaths('S', 'TAG', './.mmap', './.fasteners', '/work/x');
    expect(p.mmapFilePath).toBe('/work/x/.mmap/S_TAG.mmap');
    expect(p.fastenerFilePath).toBe('/work/x/.fasteners/S_TAG.lockfile');
  });

  it.each(['sub/dir', 'a/', 'x/../y', 'a\0b'])('refuses the path-like tag %j', (tag) => {
    expect(() => ipmmapPaths(STRUCT, tag, '/m', '/f')).toThrow(expect.objectContaining({ code: 'ERR_SHMKIT_IPMMAP_BAD_NAME' }));
  });

  it.each(['', 'a/b', '..\0'])('refuses the struct name %j', (name) => {
    expect(() => ipmmapPaths(name, '', '/m', '/f')).toThrow(expect.objectContaining({ code: 'ERR_SHMKIT_IPMMAP_BAD_NAME' }));
  });

  it.skipIf(!python)('computes the same paths as Python pathlib for every accepted tag', () => {
    using dir = makeTmpDir();
    const mmapDir = join(dir.path, '.mmap');
    const fastenerDir = join(dir.path, '.fasteners');
    const tags = [...TABLE.map((r) => r[0]), 'v1.3', 'a.b', 'x..y', '-', '_', 'TAG.lockfile', 'ü.ö'];
    const fromPython = peerJson<Array<{ tag: string; data: string; lock: string }>>({ mmapDir, fastenerDir }, [
      'paths',
      JSON.stringify(tags),
    ]);
    for (const row of fromPython) {
      const ours = ipmmapPaths(STRUCT, row.tag, mmapDir, fastenerDir);
      expect({ tag: row.tag, data: ours.mmapFilePath, lock: ours.fastenerFilePath }).toEqual(row);
    }
  });
  if (!python) it.skip(SKIP_REASON, () => {});
});

describe('default directories', () => {
  it('are ./.mmap and ./.fasteners of the working directory at construction; a later chdir moves only new handles', async () => {
    const { DataStructMmapReader, DemoMmapStructure } = await import('../src/index.js');
    using a = makeTmpDir();
    using b = makeTmpDir();
    const before = process.cwd();
    try {
      process.chdir(a.path);
      using first = new DataStructMmapReader(DemoMmapStructure);
      process.chdir(b.path);
      using second = new DataStructMmapReader(DemoMmapStructure);
      const real = (p: string) => realpathSync(p);
      expect(first.mmapFilePath).toBe(join(real(a.path), '.mmap', 'DemoMmapStructure_.mmap'));
      expect(first.fastenerFilePath).toBe(join(real(a.path), '.fasteners', 'DemoMmapStructure_.lockfile'));
      expect(second.mmapFilePath).toBe(join(real(b.path), '.mmap', 'DemoMmapStructure_.mmap'));
    } finally {
      process.chdir(before);
    }
  });
});
