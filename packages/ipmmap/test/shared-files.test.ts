import { readFileSync, renameSync, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { DataStructMmapEditor, DataStructMmapManager, DataStructMmapReader, DemoMmapStructure } from '../src/index.js';
import { ipmmapDirs } from './helpers.js';

/** How many mappings of this file this process has (from /proc/self/maps, by inode). */
function mappingsOf(path: string): number {
  const ino = String(statSync(path).ino);
  return readFileSync('/proc/self/maps', 'utf8')
    .split('\n')
    .filter((line) => line.split(/\s+/)[4] === ino).length;
}

describe('open files shared between the handles of a process', () => {
  it('handles on one file share one mapping, released a moment after the last handle closes', async () => {
    using dirs = ipmmapDirs();
    const m = new DataStructMmapManager(DemoMmapStructure, { ...dirs, create: true });
    const path = m.mmapFilePath;
    m.close();
    const readers = Array.from({ length: 5 }, () => new DataStructMmapReader(DemoMmapStructure, dirs));
    for (const r of readers) r.open().close();
    expect(mappingsOf(path)).toBe(1);
    for (const r of readers) r.close();
    expect(mappingsOf(path)).toBe(1); // kept for the next handle...
    await sleep(400);
    expect(mappingsOf(path)).toBe(0); // ...then unmapped
  });

  it('a file replaced under open scopes: old scopes keep their mapping, new scopes see the new file', async () => {
    using dirs = ipmmapDirs();
    using first = new DataStructMmapManager(DemoMmapStructure, { ...dirs, create: true });
    await first.use((s) => s.writeData('data_int', 1));
    using a = new DataStructMmapReader(DemoMmapStructure, dirs);
    using b = new DataStructMmapReader(DemoMmapStructure, dirs);
    const oldScope = a.open();
    try {
      expect(oldScope.readData('data_int')).toBe(1);
      // Replace the file by a rename, as an atomic re-deploy would.
      const other = ipmmapDirs();
      try {
        using second = new DataStructMmapManager(DemoMmapStructure, { ...other, create: true });
        await second.use((s) => s.writeData('data_int', 2));
        renameSync(second.mmapFilePath, first.mmapFilePath);
      } finally {
        other[Symbol.dispose]();
      }
      {
        using s = b.open();
        expect(s.readData('data_int')).toBe(2);
      }
      // The scope opened before the replacement still reads its own (old) mapping, safely.
      expect(oldScope.readData('data_int')).toBe(1);
    } finally {
      oldScope.close();
    }
    using again = a.open();
    expect(again.readData('data_int')).toBe(2);
  });

  it('an editor and a reader of one process see each other\'s writes through their mappings', async () => {
    using dirs = ipmmapDirs();
    using m = new DataStructMmapManager(DemoMmapStructure, { ...dirs, create: true });
    using e = new DataStructMmapEditor(DemoMmapStructure, dirs);
    using r = new DataStructMmapReader(DemoMmapStructure, dirs);
    for (let i = 0; i < 20; i++) {
      await e.use((s) => s.writeData('data_int', i));
      expect(await r.use((s) => s.readData('data_int'))).toBe(i);
    }
    void m;
  });
});
