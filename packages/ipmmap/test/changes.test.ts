import { spawnTs, waitForLine } from '@shmkit/testkit';
import { describe, expect, it } from 'vitest';
import { DataStructMmapManager, DataStructMmapReader, DemoMmapStructure } from '../src/index.js';
import { CHILD, ipmmapDirs } from './helpers.js';

describe('changes()', () => {
  it('yields the current state, then a snapshot per time-stamp change made by another process', async () => {
    using dirs = ipmmapDirs();
    using m = new DataStructMmapManager(DemoMmapStructure, { ...dirs, create: true });
    await m.use((s) => {
      s.writeData('data_int', 0);
      s.updateLastUpdate(100);
    });
    using reader = new DataStructMmapReader(DemoMmapStructure, dirs);
    const stop = new AbortController();
    const seen: Array<{ t: number; n: number }> = [];
    const writer = spawnTs(CHILD, [dirs.mmapDir, dirs.fastenerDir, 'stamp-writer', '5', '150']);
    const done = waitForLine(writer, 'DONE');
    const watching = (async () => {
      for await (const snap of reader.changes({ intervalMs: 10, signal: stop.signal })) {
        seen.push({ t: snap.timeStamp, n: snap.data.data_int });
        if (snap.data.data_int === 5) stop.abort();
      }
    })();
    await done;
    await Promise.race([watching, new Promise((r) => setTimeout(r, 5000))]);
    stop.abort();
    await watching;
    expect(seen[0]).toEqual({ t: 100, n: 0 });
    expect(seen.map((s) => s.n)).toEqual([0, 1, 2, 3, 4, 5]);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.t).toBeGreaterThan(seen[i - 1]!.t);
  });

  it('does not hold the lock between checks, and ends quietly on abort', async () => {
    using dirs = ipmmapDirs();
    using m = new DataStructMmapManager(DemoMmapStructure, { ...dirs, create: true });
    using reader = new DataStructMmapReader(DemoMmapStructure, dirs);
    const stop = new AbortController();
    let snapshots = 0;
    const watching = (async () => {
      for await (const _ of reader.changes({ intervalMs: 300, signal: stop.signal })) snapshots += 1;
    })();
    await new Promise((r) => setTimeout(r, 100));
    // Between two checks the lock is free: a writer in another process gets it at once.
    const child = spawnTs(CHILD, [dirs.mmapDir, dirs.fastenerDir, 'try-write']);
    expect(await waitForLine(child, /ACQUIRED|BUSY/)).toBe('ACQUIRED');
    stop.abort();
    await watching;
    expect(snapshots).toBe(1);
    void m;
  });

  it('rejects a bad interval', async () => {
    using dirs = ipmmapDirs();
    using reader = new DataStructMmapReader(DemoMmapStructure, dirs);
    await expect(reader.changes({ intervalMs: -1 }).next()).rejects.toThrow(RangeError);
  });
});
