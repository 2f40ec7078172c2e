import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { lineReader, makeTmpDir } from '@shmkit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { bootTicksNow, isProcessAlive, processStartTime, readProcessStat } from '../src/index.js';
import { sleep } from './helpers.js';

const children: ChildProcess[] = [];

/** A real process that sleeps until killed (bounded: it ends by itself after 60 s). */
function sleeper(command = 'sleep'): ChildProcess {
  const proc = spawn(command, ['60'], { stdio: 'ignore' });
  children.push(proc);
  return proc;
}

async function exited(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  await once(proc, 'exit');
}

afterEach(async () => {
  for (const proc of children.splice(0)) {
    proc.kill('SIGKILL');
    await exited(proc);
  }
});

/** Polls `check` every 10 ms until it holds; fails after `limitMs`. */
async function until(check: () => boolean, limitMs = 10_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await sleep(10);
  }
}

describe('this process', () => {
  it('has a start time in the past, on the boot-tick clock', () => {
    const own = processStartTime();
    expect(own).not.toBeNull();
    expect(own).toBe(readProcessStat(process.pid)?.startTime);
    expect(own).toBe(processStartTime(process.pid));
    expect(own!).toBeLessThanOrEqual(bootTicksNow()! + 1);
    expect(readProcessStat(process.pid)?.state).toBe('R'); // it is reading its own stat right now
  });

  it('is alive, under its own start time and not under another', () => {
    const own = processStartTime()!;
    expect(isProcessAlive(process.pid)).toBe(true);
    expect(isProcessAlive(process.pid, own)).toBe(true);
    expect(isProcessAlive(process.pid, own + 1)).toBe(false);
  });
});

describe('a child process', () => {
  it('is alive while it runs, and dead after kill -9 and reaping', async () => {
    const before = bootTicksNow()!;
    const proc = sleeper();
    const pid = proc.pid!;
    await until(() => readProcessStat(pid)?.state === 'S');
    const after = bootTicksNow()!;
    const start = processStartTime(pid)!;
    // One tick of slack each way: uptime and start time are rounded differently.
    expect(start).toBeGreaterThanOrEqual(before - 1);
    expect(start).toBeLessThanOrEqual(after + 1);
    expect(isProcessAlive(pid)).toBe(true);
    expect(isProcessAlive(pid, start)).toBe(true);

    proc.kill('SIGKILL');
    await exited(proc); // Node has reaped it: the pid is free again
    expect(proc.signalCode).toBe('SIGKILL');
    expect(readProcessStat(pid)).toBeNull();
    expect(processStartTime(pid)).toBeNull();
    expect(isProcessAlive(pid)).toBe(false);
    expect(isProcessAlive(pid, start)).toBe(false);
  });

  it('with a reused pid (another start time) counts as dead', async () => {
    const proc = sleeper();
    const pid = proc.pid!;
    await until(() => readProcessStat(pid) !== null);
    const start = processStartTime(pid)!;
    expect(isProcessAlive(pid, start)).toBe(true);
    expect(isProcessAlive(pid, start - 1)).toBe(false); // the recorded owner started earlier
    expect(isProcessAlive(pid, start + 2 ** 32)).toBe(false); // a full 64-bit value is compared in full
  });

  it('matches a start time stored as its low 32 bits, signed or unsigned', async () => {
    const proc = sleeper();
    const pid = proc.pid!;
    await until(() => readProcessStat(pid) !== null);
    const start = processStartTime(pid)!;
    expect(isProcessAlive(pid, start >>> 0)).toBe(true);
    expect(isProcessAlive(pid, start | 0)).toBe(true);
    expect(isProcessAlive(pid, (start + 1) >>> 0)).toBe(false);
    expect(isProcessAlive(pid, (start + 1) | 0)).toBe(false);
  });

  it('that was killed but not reaped (a zombie) counts as dead', async () => {
    // sh starts a background sleep, prints its pid, then becomes `sleep 60` itself (exec keeps the
    // pid), which never waits for children: once killed, the background sleep stays a zombie until
    // its parent dies.
    const parent = spawn('sh', ['-c', 'sleep 60 & echo $!; exec sleep 60'], { stdio: ['ignore', 'pipe', 'ignore'] });
    children.push(parent);
    const orphanPid = Number(await lineReader(parent).next(/^\d+$/));
    await until(() => readProcessStat(orphanPid)?.state === 'S');
    const start = processStartTime(orphanPid)!;
    expect(isProcessAlive(orphanPid, start)).toBe(true);

    process.kill(orphanPid, 'SIGKILL');
    await until(() => readProcessStat(orphanPid)?.state === 'Z');
    expect(readProcessStat(orphanPid)?.startTime).toBe(start);
    expect(isProcessAlive(orphanPid)).toBe(false);
    expect(isProcessAlive(orphanPid, start)).toBe(false);
    expect(isProcessAlive(parent.pid!)).toBe(true);
  });

  it('is parsed right when its command name holds spaces and parentheses', async () => {
    using dir = makeTmpDir('shmkit-sys-proc-');
    const oddName = join(dir.path, 'a) S 1 (b');
    symlinkSync('/bin/sleep', oddName);
    const proc = sleeper(oddName);
    const pid = proc.pid!;
    await until(() => readProcessStat(pid)?.state === 'S');
    const stat = readProcessStat(pid)!;
    expect(stat.startTime).toBeGreaterThan(0);
    expect(stat.startTime).toBeLessThanOrEqual(bootTicksNow()! + 1);
    expect(isProcessAlive(pid, stat.startTime)).toBe(true);
  });
});

describe('pids that name no process', () => {
  it('are dead and have no stat, and never signal a process group', () => {
    for (const pid of [0, -1, -process.pid, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) {
      expect(readProcessStat(pid)).toBeNull();
      expect(isProcessAlive(pid)).toBe(false);
    }
    // Linux never hands out pids at or above 2^22.
    expect(isProcessAlive(2 ** 22 + 1)).toBe(false);
    expect(processStartTime(2 ** 22 + 1)).toBeNull();
  });
});

describe('bootTicksNow', () => {
  it('advances with the wall clock at 100 ticks per second', async () => {
    const a = bootTicksNow()!;
    await sleep(200);
    const b = bootTicksNow()!;
    expect(b).toBeGreaterThanOrEqual(a + 19);
  });
});
