import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { spawnTs } from '@shmkit/testkit';

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * A real child process driven line by line: waits for lines it prints, sends lines to its stdin,
 * and is killed if it outlives `timeoutMs`.
 */
export class Child {
  readonly process: ChildProcess;
  readonly exited: Promise<ChildExit>;
  #stdout = '';
  #stderr = '';
  #lines: string[] = [];
  #waiters: Array<() => void> = [];

  constructor(process: ChildProcess, timeoutMs = 45_000) {
    this.process = process;
    let partial = '';
    process.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      this.#stdout += chunk;
      partial += chunk;
      const parts = partial.split('\n');
      partial = parts.pop() ?? '';
      this.#lines.push(...parts);
      for (const wake of this.#waiters.splice(0)) wake();
    });
    process.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.#stderr += chunk;
    });
    const timer = setTimeout(() => process.kill('SIGKILL'), timeoutMs);
    this.exited = new Promise((resolve, reject) => {
      process.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      process.on('close', (code, signal) => {
        clearTimeout(timer);
        for (const wake of this.#waiters.splice(0)) wake();
        resolve({ code, signal, stdout: this.#stdout, stderr: this.#stderr });
      });
    });
  }

  get pid(): number {
    return this.process.pid ?? -1;
  }

  get stderr(): string {
    return this.#stderr;
  }

  /** Resolves with the first line (printed since the start) that matches; rejects on exit or timeout. */
  async waitFor(match: string | RegExp, timeoutMs = 20_000): Promise<string> {
    const test = (line: string) => (typeof match === 'string' ? line.includes(match) : match.test(line));
    const deadline = Date.now() + timeoutMs;
    let seen = 0;
    for (;;) {
      for (; seen < this.#lines.length; seen++) {
        const line = this.#lines[seen] as string;
        if (test(line)) {
          this.#lines.splice(seen, 1);
          return line;
        }
      }
      if (this.process.exitCode !== null || this.process.signalCode !== null) {
        throw new Error(`child exited before printing ${String(match)}\nstdout: ${this.#stdout}\nstderr: ${this.#stderr}`);
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`no line matching ${String(match)} within ${timeoutMs} ms\nstdout: ${this.#stdout}\nstderr: ${this.#stderr}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  send(line: string): void {
    this.process.stdin?.write(`${line}\n`);
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    this.process.kill(signal);
  }

  /** Waits for a clean exit and returns stdout; throws with the output otherwise. */
  async succeeded(): Promise<string> {
    const exit = await this.exited;
    if (exit.code !== 0) {
      throw new Error(`child failed (code ${exit.code}, signal ${exit.signal})\nstdout: ${exit.stdout}\nstderr: ${exit.stderr}`);
    }
    return exit.stdout;
  }
}

/** Runs one of this package's test/children/*.ts scripts in a real child process. */
export function startChild(script: string, args: string[], options: SpawnOptions = {}): Child {
  const file = fileURLToPath(new URL(`../children/${script}`, import.meta.url));
  return new Child(spawnTs(file, args, { stdio: ['pipe', 'pipe', 'pipe'], ...options }));
}

/** Runs a Python script of test/fixtures with the given interpreter. */
export function startPython(python: string, script: string, args: string[]): Child {
  const file = fileURLToPath(new URL(`../fixtures/${script}`, import.meta.url));
  return new Child(spawn(python, ['-u', file, ...args], { stdio: ['pipe', 'pipe', 'pipe'] }));
}
