import type { ChildProcess } from 'node:child_process';
import { closeSync, ftruncateSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { uniqueName } from '@shmkit/testkit';

/** A file in /dev/shm (tmpfs) of `size` bytes, opened read-write; dispose to close and remove it. */
export function sharedFile(size: number): { path: string; fd: number; [Symbol.dispose](): void } {
  const path = join('/dev/shm', uniqueName('shmkit-sys'));
  const fd = openSync(path, 'wx+', 0o600);
  ftruncateSync(fd, size);
  return {
    path,
    fd,
    [Symbol.dispose]() {
      closeSync(fd);
      rmSync(path, { force: true });
    },
  };
}

export function child(name: string): string {
  return join(import.meta.dirname, 'children', name);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Collects a child's stdout lines from the start, so several lines can be awaited in turn
 * (attach it right after spawning, before awaiting anything).
 */
export function lineReader(proc: ChildProcess): {
  next(match: RegExp | string, timeoutMs?: number): Promise<string>;
  exited: Promise<number | null>;
  output(): string;
} {
  const lines: string[] = [];
  let partial = '';
  let stderr = '';
  let waiters: Array<() => void> = [];
  const notify = () => {
    const current = waiters;
    waiters = [];
    for (const w of current) w();
  };
  proc.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    partial += chunk;
    const parts = partial.split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
    notify();
  });
  proc.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  let done = false;
  const exited = new Promise<number | null>((resolve) =>
    proc.once('exit', (code, signal) => {
      done = true;
      notify();
      resolve(signal ? -1 : code);
    }),
  );
  let cursor = 0;
  const matches = (line: string, match: RegExp | string) =>
    typeof match === 'string' ? line.includes(match) : match.test(line);
  return {
    exited,
    output: () => `${lines.join('\n')}\n${stderr}`,
    next(match, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          proc.kill('SIGKILL');
          reject(new Error(`no line matching ${String(match)} within ${timeoutMs} ms; output:\n${lines.join('\n')}\n${stderr}`));
        }, timeoutMs);
        const check = () => {
          while (cursor < lines.length) {
            const line = lines[cursor++]!;
            if (matches(line, match)) {
              clearTimeout(timer);
              resolve(line);
              return;
            }
          }
          if (done) {
            clearTimeout(timer);
            reject(new Error(`child exited before printing ${String(match)}; output:\n${lines.join('\n')}\n${stderr}`));
            return;
          }
          waiters.push(check);
        };
        check();
      });
    },
  };
}
