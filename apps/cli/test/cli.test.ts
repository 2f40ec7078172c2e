import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataStructMmapManager, DEMO_SCHEMA, DemoMmapStructure } from '@shmkit/ipmmap';
import { MapRegion } from '@shmkit/region';
import { Key, PosixSharedMemory, type ShmId, SysvSharedMemory } from '@shmkit/shm';
import { fromSchema } from '@shmkit/struct';
import { collect, hasCommand, makeTmpDir, uniqueName, waitForLine } from '@shmkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = new URL('../bin/shmkit.mjs', import.meta.url).pathname;

function start(args: string[], cwd?: string): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Waits for the command to end (killing it after `timeoutMs`): its status and output. */
async function finish(child: ChildProcess, timeoutMs = 30_000) {
  const r = await collect(child, timeoutMs);
  return { status: r.code, stdout: r.stdout, stderr: r.stderr };
}

const shmkit = (args: string[], cwd?: string) => finish(start(args, cwd));

const tmp = makeTmpDir('shmkit-cli-');
const dirs = { mmapDir: join(tmp.path, '.mmap'), fastenerDir: join(tmp.path, '.fasteners') };
const schemaFile = join(tmp.path, 'demo.json');
let manager: DataStructMmapManager<typeof DemoMmapStructure>;

beforeAll(async () => {
  writeFileSync(schemaFile, JSON.stringify(DEMO_SCHEMA));
  manager = new DataStructMmapManager(DemoMmapStructure, { ...dirs, create: true });
  await manager.use((s) => {
    s.writeData('data_int', 4711);
    s.writeData('data_string', 'seen by the cli');
    s.writeData('data_xy', { x: 1.25, y: -3 });
    s.updateLastUpdate();
  });
});

afterAll(() => {
  manager.close();
  tmp.remove();
});

describe('shmkit: usage errors (exit 2)', () => {
  it.each([
    [[], /usage: shmkit/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['inspect'], /a target is required/],
    [['inspect', 'sysv:zz', '--schema', 'x.json'], /integer/],
    [['inspect', 'x.mmap', '--bogus'], /Unknown option/],
    [['bench', '--only', 'no-such-package'], /no benchmark for no-such-package/],
    [['watch', 'a.mmap', '--schema', 'x', '--interval', 'fast'], /./],
  ])('%j', async (args, message) => {
    const r = await shmkit(args as string[]);
    expect(r.status).toBe(2);
    expect(r.stdout + r.stderr).toMatch(message);
  });
});

describe('shmkit: bad targets (exit 3) and bad schemas (exit 4)', () => {
  it('reports a missing file, POSIX object and System V segment', async () => {
    let r = await shmkit(['inspect', join(tmp.path, 'nope.mmap'), '--schema', schemaFile]);
    expect([r.status, r.stderr]).toEqual([3, expect.stringMatching(/no such file/)]);
    r = await shmkit(['inspect', `posix:/${uniqueName('missing')}`, '--schema', schemaFile]);
    expect([r.status, r.stderr]).toEqual([3, expect.stringMatching(/does not exist/)]);
    r = await shmkit(['inspect', '/shmkit-not-a-file', '--schema', schemaFile]);
    expect([r.status, r.stderr]).toEqual([3, expect.stringMatching(/posix:\/shmkit-not-a-file/)]);
    r = await shmkit(['inspect', 'sysv-id:2147483000', '--schema', schemaFile]);
    expect(r.status).toBe(3);
    r = await shmkit(['inspect', 'posix:no-leading-slash', '--schema', schemaFile]);
    expect(r.status).toBe(3);
    r = await shmkit(['rm', `posix:/${uniqueName('missing')}`]);
    expect([r.status, r.stderr]).toEqual([3, expect.stringMatching(/does not exist/)]);
    r = await shmkit(['inspect', tmp.path, '--schema', schemaFile]);
    expect([r.status, r.stderr]).toEqual([3, expect.stringMatching(/not a regular file/)]);
  });

  it('reports unreadable, invalid and oversized schemas', async () => {
    const bad = join(tmp.path, 'bad.json');
    let r = await shmkit(['inspect', manager.mmapFilePath, '--schema', join(tmp.path, 'missing.json')]);
    expect([r.status, r.stderr]).toEqual([4, expect.stringMatching(/cannot read the schema/)]);
    writeFileSync(bad, '{ not json');
    r = await shmkit(['inspect', manager.mmapFilePath, '--schema', bad]);
    expect([r.status, r.stderr]).toEqual([4, expect.stringMatching(/not valid JSON/)]);
    writeFileSync(bad, JSON.stringify({ name: 'X', kind: 'struct', fields: [['a', 'no_such_type']] }));
    r = await shmkit(['inspect', manager.mmapFilePath, '--schema', bad]);
    expect([r.status, r.stderr]).toEqual([4, expect.stringMatching(/not a valid struct schema/)]);
    writeFileSync(bad, JSON.stringify({ name: 'Big', kind: 'struct', fields: [['a', { bytes: 4096 }]] }));
    r = await shmkit(['inspect', manager.mmapFilePath, '--schema', bad]);
    expect([r.status, r.stderr]).toEqual([4, expect.stringMatching(/describes 4096 bytes.*holds only 688/)]);
    r = await shmkit(['inspect', manager.mmapFilePath]);
    expect(r.status).toBe(2);
  });
});

describe('shmkit inspect, ls, rm against real objects', () => {
  it('decodes an ipmmap file under its read lock', async () => {
    const r = await shmkit(['inspect', manager.mmapFilePath, '--schema', schemaFile]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/ipmmap header: time_stamp/);
    expect(r.stdout).toMatch(/data_int\s+4711/);
    expect(r.stdout).toMatch(/data_string\s+"seen by the cli"/);
    expect(r.stdout).toMatch(/data_xy\.y\s+-3/);
    const json = await shmkit(['inspect', manager.mmapFilePath, '--schema', schemaFile, '--json']);
    expect(JSON.parse(json.stdout).data_xy).toEqual({ x: 1.25, y: -3 });
  });

  it('waits for the ipmmap write lock, and gives up after --lock-timeout', async () => {
    const scope = manager.open();
    try {
      const r = await shmkit(['inspect', manager.mmapFilePath, '--schema', schemaFile, '--lock-timeout', '200']);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/timed out.*ERR_SHMKIT_LOCK_TIMEOUT/);
    } finally {
      scope.close();
    }
  });

  it('decodes POSIX and System V memory, lists it with owner, perms and attach count, removes it', async () => {
    const Pair = fromSchema({ name: 'Pair', kind: 'struct', fields: [['a', 'int32'], ['b', 'float64']] });
    const pairSchema = join(tmp.path, 'pair.json');
    writeFileSync(pairSchema, JSON.stringify(Pair.toSchema()));
    const name = `/${uniqueName('cli')}`;
    const posix = PosixSharedMemory.create(name, 64, { volatile: true });
    Pair.write(posix.buffer, 0, { a: 17, b: 0.5 });
    const key = 0x5e000000 + (process.pid % 0xffff);
    const sysv = SysvSharedMemory.create(new Key(key), 32, { volatile: false });
    Pair.write(sysv.buffer, 0, { a: -4, b: 2.75 });
    const mapped = new MapRegion(manager.mmapFilePath, 0);
    try {
      let r = await shmkit(['inspect', `posix:${name}`, '--schema', pairSchema]);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/\ba\s+17\b/);
      r = await shmkit(['inspect', `sysv:0x${key.toString(16)}`, '--schema', pairSchema]);
      expect(r.stdout).toMatch(/\bb\s+2\.75\b/);
      r = await shmkit(['inspect', `sysv-id:${(sysv.id as ShmId).value}`, '--schema', pairSchema]);
      expect(r.stdout).toMatch(/\ba\s+-4\b/);

      r = await shmkit(['ls', '--dir', dirs.mmapDir, '--json']);
      expect(r.status).toBe(0);
      const listed = JSON.parse(r.stdout) as Array<{ kind: string; name: string; size: number; perms: string; attached: number }>;
      expect(listed).toContainEqual(expect.objectContaining({ kind: 'posix', name, size: 64, perms: 'rw-------', attached: 1 }));
      expect(listed).toContainEqual(
        expect.objectContaining({ kind: 'sysv', name: expect.stringContaining(key.toString(16)), size: 32, attached: 1 }),
      );
      expect(listed).toContainEqual(
        expect.objectContaining({ kind: 'ipmmap', name: manager.mmapFilePath, size: 688, perms: 'rw-------' }),
      );
      const ipm = listed.find((o) => o.name === manager.mmapFilePath)!;
      expect(ipm.attached).toBeGreaterThanOrEqual(1);
      const table = await shmkit(['ls', '--dir', dirs.mmapDir]);
      expect(table.stdout).toMatch(/^KIND\s+NAME\s+SIZE\s+OWNER\s+PERMS\s+ATTACHED/m);

      r = await shmkit(['rm', `posix:${name}`, `sysv-id:${(sysv.id as ShmId).value}`]);
      expect(r.status).toBe(0);
      expect(PosixSharedMemory.list().some((e) => e.name === name)).toBe(false);
      r = await shmkit(['rm', `posix:${name}`]);
      expect(r.status).toBe(3);
    } finally {
      mapped.release();
      posix.close();
      sysv.close();
      try {
        sysv.remove();
      } catch {
        // removed by the test already
      }
      PosixSharedMemory.unlink(name);
    }
  });

  it('rm refuses everything when one target is bad, and keeps an ipmmap lock file', async () => {
    const other = new DataStructMmapManager(DemoMmapStructure, { ...dirs, tag: 'rm', create: true });
    await other.use(() => {});
    const r1 = await shmkit(['rm', other.mmapFilePath, join(tmp.path, 'missing-file')]);
    expect(r1.status).toBe(3);
    const r2 = await shmkit(['rm', other.mmapFilePath]);
    expect(r2.status).toBe(0);
    expect(existsSync(other.mmapFilePath)).toBe(false);
    expect(existsSync(other.fastenerFilePath)).toBe(true);
    other.close();
  });
});

describe('shmkit watch', () => {
  it('redraws as the data changes and stops after --duration', async () => {
    const child = start(['watch', manager.mmapFilePath, '--schema', schemaFile, '--interval', '100', '--duration', '2']);
    const done = finish(child);
    await waitForLine(child, /data_int\s+4711/);
    await manager.use((s) => s.writeData('data_int', 4712));
    const r = await done;
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/data_int\s+4712/);
    expect(r.stdout.split('q to quit').length).toBeGreaterThan(3);
  });

  it.skipIf(!hasCommand('script'))('in a terminal, draws in place and quits on q', async () => {
    // script(1) gives the command a real pseudo-terminal; what we write to it arrives as keys.
    const command = [process.execPath, BIN, 'watch', manager.mmapFilePath, '--schema', schemaFile, '--interval', '100'];
    const child = spawn('script', ['-qfec', command.join(' '), '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const done = finish(child, 20_000);
    await waitForLine(child, /q to quit/);
    child.stdin!.write('x');
    await new Promise((r) => setTimeout(r, 300));
    expect(child.exitCode).toBeNull();
    child.stdin!.write('q');
    const r = await done;
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('\x1b[H');
    expect(r.stdout).toContain('\x1b[?25h');
  });

  it('stops on SIGINT with status 0', async () => {
    const child = start(['watch', manager.mmapFilePath, '--schema', schemaFile, '--interval', '100']);
    const done = finish(child);
    await waitForLine(child, /q to quit/);
    child.kill('SIGINT');
    const r = await done;
    expect(r.status).toBe(0);
  });
});

describe('shmkit bench', () => {
  it('runs a package benchmark through the workspace and prints the combined table', async () => {
    const r = await finish(start(['bench', '--only', 'ipmmap', '--quick']), 240_000);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^\| package\s+\| case\s+\| results/m);
    expect(r.stdout).toMatch(/\| ipmmap\s+\| reader scope \+ readData, reused handle/);
  }, 240_000);
});

it('the bundled demo schema is the ipmmap demo struct', () => {
  const bundled = JSON.parse(readFileSync(new URL('../schemas/DemoMmapStructure.json', import.meta.url), 'utf8'));
  expect(fromSchema(bundled).toSchema()).toEqual(DemoMmapStructure.toSchema());
});
