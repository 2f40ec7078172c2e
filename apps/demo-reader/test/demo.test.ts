import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPython, makeTmpDir, runTs, spawnTs } from '@shmkit/testkit';
import { describe, expect, it } from 'vitest';

const EDITOR = fileURLToPath(new URL('../../demo-editor/src/main.ts', import.meta.url));
const READER = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const PEER = fileURLToPath(new URL('../../../packages/ipmmap/test/python/ipmmap_peer.py', import.meta.url));
const python = findPython(['fasteners']);

function workDirs() {
  const tmp = makeTmpDir('shmkit-demo-');
  const mmapDir = join(tmp.path, '.mmap');
  const fastenerDir = join(tmp.path, '.fasteners');
  mkdirSync(mmapDir);
  mkdirSync(fastenerDir);
  return { tmp, mmapDir, fastenerDir, args: ['--mmap-dir', mmapDir, '--fastener-dir', fastenerDir] };
}

describe('demo editor and reader', () => {
  it('the reader prints what the editor writes, with the age of the data', async () => {
    const w = workDirs();
    try {
      const reader = runTs(READER, [...w.args, '--interval', '20', '--duration', '3'], { timeoutMs: 30_000 });
      const editor = runTs(EDITOR, [...w.args, '--interval', '300', '--duration', '2'], { timeoutMs: 30_000 });
      const [e, r] = await Promise.all([editor, reader]);
      expect(e.code).toBe(0);
      expect(r.code).toBe(0);
      const written = [...e.stdout.matchAll(/\[data_string\] (\S+)/g)].map((m) => m[1]);
      const read = [...r.stdout.matchAll(/\[data_string\] (\S+)/g)].map((m) => m[1]);
      expect(written.length).toBeGreaterThanOrEqual(3);
      // Every value the editor wrote after the reader attached was seen, in order.
      const last = written.slice(-3);
      expect(read.slice(-3)).toEqual(last);
      expect(r.stdout).toMatch(/data age [\d.]+ ms/);
    } finally {
      w.tmp.remove();
    }
  });

  it.skipIf(!python)('interoperates with a Python ipmmap peer in both directions', async () => {
    const w = workDirs();
    try {
      // TypeScript editor -> Python reader.
      const e = await runTs(EDITOR, [...w.args, '--interval', '0', '--duration', '0.2'], { timeoutMs: 30_000 });
      expect(e.code).toBe(0);
      const lastString = [...e.stdout.matchAll(/\[data_string\] (\S+)/g)].pop()![1]!;
      const py = spawnSync(python!, [PEER, '--mmap-dir', w.mmapDir, '--fastener-dir', w.fastenerDir, 'read'], {
        encoding: 'utf8',
      });
      expect(py.status).toBe(0);
      expect(Buffer.from(JSON.parse(py.stdout).data.data_string.bytes, 'hex').toString()).toBe(lastString);

      // Python writer -> TypeScript reader.
      const reader = spawnTs(READER, [...w.args, '--interval', '20', '--duration', '2']);
      let out = '';
      reader.stdout!.setEncoding('utf8').on('data', (d: string) => {
        out += d;
      });
      await new Promise((r) => setTimeout(r, 700));
      const write = spawnSync(
        python!,
        [PEER, '--mmap-dir', w.mmapDir, '--fastener-dir', w.fastenerDir, 'write', JSON.stringify({ data_int: 31337, data_string: { utf8: 'from-python' } })],
        { encoding: 'utf8' },
      );
      expect(write.status).toBe(0);
      await new Promise((r) => reader.once('close', r));
      expect(out).toMatch(/\[data_int\] 31337/);
      expect(out).toMatch(/\[data_string\] from-python/);
    } finally {
      w.tmp.remove();
    }
  });
});
