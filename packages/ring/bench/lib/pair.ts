import { fileURLToPath } from 'node:url';
import { CONTROL_BYTES, C_GO, C_READY, C_STOP, controlView } from './control.js';
import { collectJson, sleep, spawnWorker } from './procs.js';
import { createSharedFile, type SharedFile } from './shared-file.js';

export const workerPath = (name: string) => fileURLToPath(new URL(`../workers/${name}`, import.meta.url));

/** CPUs for the two sides of a pair: producer/initiator on 0, consumer/echo on 1. */
export const CPU_A = 0;
export const CPU_B = 1;

/**
 * Runs two workers against one shared file: lays out the file with `setup`, starts both, waits
 * until both are attached, lets them run for warmMs + measureMs, stops them and returns what
 * each printed.
 */
export async function runPair<A, B>(options: {
  bytes: number;
  setup: (file: SharedFile) => void;
  a: { worker: string; args: (path: string) => string[] };
  b: { worker: string; args: (path: string) => string[] };
  warmMs: number;
  measureMs: number;
  /** For workers that stop by themselves (fixed round counts): do not send stop. */
  selfTimed?: boolean;
}): Promise<[A, B]> {
  const file = createSharedFile(CONTROL_BYTES + options.bytes);
  try {
    options.setup(file);
    const control = controlView(file.buffer);
    const b = spawnWorker(workerPath(options.b.worker), options.b.args(file.path), CPU_B);
    const a = spawnWorker(workerPath(options.a.worker), options.a.args(file.path), CPU_A);
    const results = Promise.all([collectJson<A>(a, 120_000), collectJson<B>(b, 120_000)]);
    results.catch(() => {});
    const readyBy = Date.now() + 60_000;
    while (Atomics.load(control, C_READY) < 2) {
      if (Date.now() > readyBy || a.exitCode !== null || b.exitCode !== null) {
        a.kill('SIGKILL');
        b.kill('SIGKILL');
        return await results;
      }
      await sleep(5);
    }
    Atomics.store(control, C_GO, 1);
    if (!options.selfTimed) {
      await sleep(options.warmMs + options.measureMs);
      Atomics.store(control, C_STOP, 1);
    }
    return await results;
  } finally {
    file.remove();
  }
}
