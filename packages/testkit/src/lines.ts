import type { ChildProcess } from 'node:child_process';

/**
 * Collects a child's stdout lines from the start, so several lines can be awaited in turn
 * (attach it right after spawning, before awaiting anything). `exited` resolves with the exit code,
 * or -1 when the child was killed by a signal.
 */
export interface LineReader {
  next(match: RegExp | string, timeoutMs?: number): Promise<string>;
  exited: Promise<number | null>;
  output(): string;
}

export function lineReader(proc: ChildProcess): LineReader {
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
