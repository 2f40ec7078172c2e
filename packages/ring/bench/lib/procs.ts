import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { collect, tsNodeArgs } from '@shmkit/testkit';

let pinning: boolean | undefined;

/** True when workers can be pinned to separate CPUs (taskset present and at least two CPUs). */
export function canPin(): boolean {
  if (pinning === undefined) {
    pinning = cpus().length >= 2 && spawnSync('sh', ['-c', 'command -v taskset'], { stdio: 'ignore' }).status === 0;
  }
  return pinning;
}

/** The command prefix that runs a program on `cpu` (nothing when pinning is unavailable). */
export function pinPrefix(cpu: number | undefined): string[] {
  return cpu !== undefined && canPin() ? ['taskset', '-c', String(cpu)] : [];
}

/** Starts a TypeScript worker in a real Node process, pinned to `cpu` when possible. */
export function spawnWorker(file: string, args: string[], cpu?: number, ipc = false): ChildProcess {
  const command = [...pinPrefix(cpu), process.execPath, ...tsNodeArgs(), file, ...args];
  return spawn(command[0]!, command.slice(1), { stdio: ipc ? ['pipe', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'] });
}

/** Waits for a worker to exit and returns the JSON object on its last stdout line. */
export async function collectJson<T>(child: ChildProcess, timeoutMs = 60_000): Promise<T> {
  const { code, stdout, stderr } = await collect(child, timeoutMs);
  if (code !== 0) throw new Error(`worker exited with ${code}\n${stdout}\n${stderr}`);
  const line = stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as T;
  } catch {
    throw new Error(`worker printed no result\n${stdout}\n${stderr}`);
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
