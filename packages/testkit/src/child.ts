import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const tsxLoader = import.meta.resolve('tsx');

/** Node flags that let a child run TypeScript sources and resolve workspace packages to `src/`. */
export function tsNodeArgs(): string[] {
  return ['--import', tsxLoader, '--conditions=@shmkit/source'];
}

/** Starts a real Node process running a TypeScript file. */
export function spawnTs(file: string, args: string[] = [], options: SpawnOptions = {}): ChildProcess {
  return spawn(process.execPath, [...tsNodeArgs(), file, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...options,
  });
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a TypeScript file in a separate process to completion; kills it after `timeoutMs`. */
export function runTs(
  file: string,
  args: string[] = [],
  options: SpawnOptions & { timeoutMs?: number } = {},
): Promise<RunResult> {
  const { timeoutMs = 30_000, ...spawnOptions } = options;
  const child = spawnTs(file, args, spawnOptions);
  return collect(child, timeoutMs);
}

export interface CollectOptions {
  /**
   * What happens when the child outlives `timeoutMs`: it is always killed with SIGKILL; by default the
   * promise then rejects, with `false` it resolves with what the child printed (signal 'SIGKILL').
   */
  rejectOnTimeout?: boolean;
}

/** Gathers a child's stdout and stderr until it exits; kills it after `timeoutMs`. */
export function collect(child: ChildProcess, timeoutMs: number, options: CollectOptions = {}): Promise<RunResult> {
  const { rejectOnTimeout = true } = options;
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
  });
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      if (rejectOnTimeout) reject(new Error(`child timed out after ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Resolves with the first stdout line of `child` that matches, or rejects after `timeoutMs`. */
export function waitForLine(child: ChildProcess, match: RegExp | string, timeoutMs = 20_000): Promise<string> {
  if (!child.stdout) throw new Error('child has no piped stdout');
  const rl = createInterface({ input: child.stdout });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      rl.close();
      reject(new Error(`no line matching ${String(match)} within ${timeoutMs} ms`));
    }, timeoutMs);
    rl.on('line', (line) => {
      if (typeof match === 'string' ? line.includes(match) : match.test(line)) {
        clearTimeout(timer);
        rl.close();
        resolve(line);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`child exited (code ${code}, signal ${signal}) before printing ${String(match)}`));
    });
  });
}
