import { spawn } from 'node:child_process';
import { findPython, lineReader } from '@shmkit/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { Key, type ShmId, SysvSharedMemory, shmrm } from '../src/index.js';
import { leftovers, testKey } from './helpers.js';

const python = findPython(['sysv_ipc']);
const seen: ShmId[] = [];
afterAll(() => {
  for (const id of seen) shmrm(id);
  expect(leftovers(seen)).toEqual([]);
});

function runPython(code: string, args: string[]) {
  const proc = spawn(python!, ['-c', code, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  return { proc, out: lineReader(proc) };
}

describe.skipIf(python === null)('interop with Python sysv_ipc', () => {
  it('Python attaches to a shmkit segment by key, reads our bytes and writes back', async () => {
    const key = testKey();
    using mem = SysvSharedMemory.create(key, 256, { volatile: false });
    seen.push(mem.id);
    mem.write('written by shmkit');
    const { out } = runPython(
      `
import sys, sysv_ipc
m = sysv_ipc.SharedMemory(int(sys.argv[1]))
print("size", m.size, "id", m.id, flush=True)
print("read", m.read(17).decode(), flush=True)
m.write(b"written by python", 100)
m.detach()
`,
      [String(key.value)],
    );
    // sysv_ipc reports the page-rounded size of the segment; shmkit the requested one.
    expect(await out.next(/^size /)).toMatch(new RegExp(`^size \\d+ id ${mem.id.value}$`));
    expect(await out.next(/^read /)).toBe('read written by shmkit');
    expect(await out.exited).toBe(0);
    expect(mem.read(100, 17).toString()).toBe('written by python');
    mem.remove();
  });

  it('shmkit opens a segment made by Python, by key, and sees its bytes', async () => {
    const key = testKey();
    const { proc, out } = runPython(
      `
import sys, sysv_ipc
m = sysv_ipc.SharedMemory(int(sys.argv[1]), sysv_ipc.IPC_CREX, mode=0o600, size=4096)
m.write(b"hello from python")
print("created", m.id, flush=True)
sys.stdin.readline()
print("saw", m.read(17, 200).decode(), flush=True)
m.detach()
m.remove()
`,
      [String(key.value)],
    );
    const id = Number((await out.next(/^created /)).split(' ')[1]);
    using mem = SysvSharedMemory.open(new Key(key.value));
    seen.push(mem.id);
    expect(mem.id.value).toBe(id);
    expect(mem.size).toBe(4096);
    expect(mem.read(0, 17).toString()).toBe('hello from python');
    mem.write('hello from shmkit', 200);
    proc.stdin!.write('\n');
    expect(await out.next(/^saw /)).toBe('saw hello from shmkit');
    expect(await out.exited).toBe(0);
  });
});

if (python === null) {
  describe('interop with Python sysv_ipc', () => {
    it.skip('python3 with the sysv_ipc module (Debian: python3-sysv-ipc) is not installed', () => {});
  });
}
