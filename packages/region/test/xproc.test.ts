import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { makeTmpDir, runTs, spawnTs } from '@shmkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, loadRegion, makePatternFile, type RegionLib } from './helpers.js';

const child = new URL('./fixtures/xproc-child.ts', import.meta.url).pathname;

/** Every stdout line of `proc`, and a way to wait for the first one matching, within a time limit. */
function lineReader(proc: ChildProcess) {
  const lines: string[] = [];
  let partial = '';
  const waiters: (() => void)[] = [];
  proc.stdout!.setEncoding('utf8').on('data', (d: string) => {
    const parts = (partial + d).split('\n');
    partial = parts.pop()!;
    lines.push(...parts);
    for (const w of waiters.splice(0)) w();
  });
  return (match: RegExp, timeoutMs = 25_000): Promise<string> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no line matching ${match} in ${timeoutMs} ms: ${lines.join('|')}`)), timeoutMs);
      const check = () => {
        const hit = lines.find((l) => match.test(l));
        if (hit !== undefined) {
          clearTimeout(timer);
          resolve(hit);
        } else {
          waiters.push(check);
        }
      };
      check();
    });
}

describe.each(BACKENDS)('cross-process writes through MAP_SHARED regions (%s backend)', (backendName) => {
  let R: RegionLib;
  const tmp = makeTmpDir('shmkit-region-xproc-');
  const env = { ...process.env, SHMKIT_REGION_BACKEND: backendName };
  beforeAll(async () => {
    R = await loadRegion(backendName);
  });
  afterAll(() => tmp.remove());

  it('a child writes and the parent sees it at once; the parent writes and the child sees it', async () => {
    const f = makePatternFile(tmp.path, 'shared', 64 * 1024 + 333, 29);
    const childOfs = 12_345; // second window of the child's 8 KiB windows
    const parentOfs = 40_000;
    const region = new R.MapRegion(f.path, 0, Number.POSITIVE_INFINITY, { writable: true });
    const view = region.buffer();
    const readOnly = new R.MapRegion(f.path, 0); // private copy-on-write, never written here
    expect(view.toString('latin1', childOfs, childOfs + 10)).not.toBe('from-child');

    const proc = spawnTs(child, ['exchange', f.path, String(childOfs), String(parentOfs)], { env });
    const done = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
    let stderr = '';
    proc.stderr?.on('data', (d) => {
      stderr += String(d);
    });
    const waitLine = lineReader(proc);
    try {
      await waitLine(/^WROTE/);
      // through this process's own mapping, without msync or a re-read
      expect(view.toString('latin1', childOfs, childOfs + 10)).toBe('from-child');
      // a read-only region sees other processes' writes too (Linux maps the page-cache page)
      expect(readOnly.buffer().toString('latin1', childOfs, childOfs + 10)).toBe('from-child');
      view.write('from-parent', parentOfs, 'latin1');
      expect(await waitLine(/^SAW|^TIMEOUT/)).toBe('SAW from-parent');
      expect(await done, stderr).toBe(0);
    } finally {
      proc.kill('SIGKILL');
      region.release();
      readOnly.release();
    }
    // both writes reached the file; nothing else changed
    const disk = readFileSync(f.path);
    const expected = Buffer.from(f.data);
    expected.write('from-child', childOfs, 'latin1');
    expected.write('from-parent', parentOfs, 'latin1');
    expect(disk.equals(expected)).toBe(true);
  });

  it('kill -9 in the middle of writing: every write made before the kill is in the file', async () => {
    const path = join(tmp.path, 'spin');
    writeFileSync(path, Buffer.alloc(3 * 8192));
    const watcher = new R.MapRegion(path, 0, Number.POSITIVE_INFINITY, { writable: true });
    const proc = spawnTs(child, ['spin', path], { env });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => proc.on('exit', (_c, signal) => resolve(signal)));
    const waitLine = lineReader(proc);
    try {
      const line = await waitLine(/^AT [1-9]\d{3,}/);
      const reported = Number(line.split(' ')[1]);
      proc.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      const disk = readFileSync(path);
      const first = disk.readUInt32LE(0);
      const second = disk.readUInt32LE(8192);
      expect(first).toBeGreaterThanOrEqual(reported);
      // the process died between two stores at most: the copies differ by at most one
      expect(first - second).toBeGreaterThanOrEqual(0);
      expect(first - second).toBeLessThanOrEqual(1);
      // this process's mapping is unaffected by the other's death
      expect(watcher.buffer().readUInt32LE(0)).toBe(first);
    } finally {
      proc.kill('SIGKILL');
      watcher.release();
    }
  });

  it('the child exits cleanly and leaves no mapping behind', async () => {
    const f = makePatternFile(tmp.path, 'clean', 20_000, 3);
    const region = new R.MapRegion(f.path, 0, Number.POSITIVE_INFINITY, { writable: true });
    region.buffer().write('from-parent', 100, 'latin1');
    const r = await runTs(child, ['exchange', f.path, '9000', '100'], { env, timeoutMs: 25_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('SAW from-parent');
    expect(region.buffer().toString('latin1', 9000, 9010)).toBe('from-child');
    region.release();
  });
});
