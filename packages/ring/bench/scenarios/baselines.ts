import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitForLine } from '@shmkit/testkit';
import { workerPath, CPU_A, CPU_B } from '../lib/pair.js';
import { canPin, collectJson, spawnWorker } from '../lib/procs.js';

const cpuArg = (cpu: number) => (canPin() ? String(cpu) : '');

/** child_process IPC ('json'): one-way messages (strings of `bytes` characters) per second. */
export async function ipcThroughput(warmMs: number, measureMs: number, bytes = 8): Promise<number> {
  const parent = spawnWorker(
    workerPath('ipc-json.ts'),
    ['parent', 'throughput', String(warmMs), String(measureMs), cpuArg(CPU_B), String(bytes)],
    CPU_A,
  );
  const { rate, errors } = await collectJson<{ rate: number; errors: number }>(parent);
  if (errors !== 0) throw new Error(`IPC baseline: ${errors} bad messages`);
  return rate;
}

/** child_process IPC ('json'): round trip p50 / p99 in µs. */
export async function ipcRoundTrip(rounds: number): Promise<{ p50: number; p99: number }> {
  const parent = spawnWorker(workerPath('ipc-json.ts'), ['parent', 'roundtrip', String(rounds), String(rounds / 10), cpuArg(CPU_B)], CPU_A);
  return collectJson(parent);
}

/** Unix domain socket, length-prefixed frames in 64 KiB writes: messages per second. */
export async function udsThroughput(warmMs: number, measureMs: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'shmkit-ring-bench-'));
  try {
    const path = join(dir, 'sock');
    const server = spawnWorker(workerPath('uds.ts'), ['server', path, String(warmMs), String(measureMs)], CPU_B);
    const result = collectJson<{ rate: number }>(server);
    await waitForLine(server, 'listening');
    const client = spawnWorker(workerPath('uds.ts'), ['client', path], CPU_A);
    client.on('error', () => {});
    const { rate } = await result;
    client.kill();
    return rate;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

let compiled: string | null | undefined;

/** Compiles bench/c/ring_bench.c once (null when no C compiler is available). */
export function cBench(): string | null {
  if (compiled !== undefined) return compiled;
  const cc = ['cc', 'gcc', 'clang'].find((c) => spawnSync('sh', ['-c', `command -v ${c}`], { stdio: 'ignore' }).status === 0);
  if (cc === undefined) return (compiled = null);
  const out = join(mkdtempSync(join(tmpdir(), 'shmkit-ring-cbench-')), 'ring_bench');
  const source = fileURLToPath(new URL('../c/ring_bench.c', import.meta.url));
  execFileSync(cc, ['-O2', '-std=c11', '-o', out, source], { stdio: 'inherit' });
  compiled = out;
  return out;
}

const cpus = () => (canPin() ? [String(CPU_A), String(CPU_B)] : ['-1', '-1']);

/** The C11 reference SPSC ring between two processes: items per second. */
export function cThroughput(variant: 'single' | 'burst32' | 'seqcst', seconds: number): number {
  const bin = cBench()!;
  const out = execFileSync(bin, ['spsc', variant, String(seconds), '1024', ...cpus()], { encoding: 'utf8', timeout: 60_000 });
  const match = /rate (\d+) errors (\d+)/.exec(out);
  if (match?.[2] !== '0') throw new Error(`C ring bench failed: ${out}`);
  return Number(match[1]);
}

/** C round trips over two SPSC rings, spinning or futex-parked: p50/p99 in µs. */
export function cRoundTrip(variant: 'spin' | 'futex', rounds: number): { p50: number; p99: number } {
  const bin = cBench()!;
  const out = execFileSync(bin, ['rt', variant, String(rounds), ...cpus()], { encoding: 'utf8', timeout: 60_000 });
  const match = /p50 (\d+) p99 (\d+)/.exec(out);
  if (!match) throw new Error(`C round-trip bench failed: ${out}`);
  return { p50: Number(match[1]) / 1000, p99: Number(match[2]) / 1000 };
}
