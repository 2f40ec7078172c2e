// MessageRing scenarios for bench/run.ts: messages per second between two processes, with the
// Unix-socket (one write per message, and 64 KiB writes) and child_process IPC baselines measured
// in the same run. `pnpm bench --only "message ring"` runs just these.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitForLine } from '@shmkit/testkit';
import { MessageRing, type MessageRingMode } from '../src/message-ring.js';
import { CONTROL_BYTES } from './lib/control.js';
import { CPU_A, CPU_B, runPair, workerPath } from './lib/pair.js';
import { collectJson, spawnWorker } from './lib/procs.js';
import type { Measurement, Scenario } from './lib/report.js';
import { ipcThroughput } from './scenarios/baselines.js';

export const MESSAGES = 'MessageRing: messages per second between two processes';

const WARM_MS = 300;
const MEASURE_MS = 1000;
const RING_BYTES = 1 << 20;
const worker = '../message-ring-worker.ts';
const baselineWorker = '../message-ring-baseline-worker.ts';

interface ConsumerResult {
  count: number;
  seconds: number;
  errors: number;
}

/** MessageRing messages of `bytes` bytes per second between two processes (zero-copy receive). */
export async function messageRingRate(
  mode: MessageRingMode,
  bytes: number,
  batches: { publishBatch?: number; releaseBatch?: number } = {},
): Promise<number> {
  const options = { bytes: RING_BYTES, mode };
  const args = (role: string) => (path: string) => [
    JSON.stringify({ path, role, bytes, ringOffset: CONTROL_BYTES, warmMs: WARM_MS, ...batches }),
  ];
  const [, consumer] = await runPair<unknown, ConsumerResult>({
    bytes: MessageRing.sizeFor(options),
    setup: (file) => {
      MessageRing.create(file.buffer, CONTROL_BYTES, options);
    },
    a: { worker, args: args('producer') },
    b: { worker, args: args('consumer') },
    warmMs: WARM_MS,
    measureMs: MEASURE_MS,
  });
  if (consumer.errors !== 0) throw new Error(`MessageRing ${mode} ${bytes} B: ${consumer.errors} bad messages`);
  return consumer.count / consumer.seconds;
}

/** Unix socket carrying the same length-prefixed messages, one write() each or 64 KiB batches. */
export async function udsRate(bytes: number, batched = false): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'shmkit-msgring-bench-'));
  try {
    const path = join(dir, 'sock');
    const server = spawnWorker(workerPath(baselineWorker), ['uds-server', path, String(bytes), String(WARM_MS), String(MEASURE_MS)], CPU_B);
    const result = collectJson<{ rate: number; errors: number }>(server);
    await waitForLine(server, 'listening');
    const client = spawnWorker(workerPath(baselineWorker), ['uds-client', path, String(bytes), batched ? 'batched' : 'each'], CPU_A);
    client.on('error', () => {});
    const { rate, errors } = await result;
    client.kill();
    if (errors !== 0) throw new Error(`Unix socket baseline: ${errors} bad frames`);
    return rate;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** child_process IPC ('json') carrying strings of `bytes` characters. */
export function ipcRate(bytes: number): Promise<number> {
  return ipcThroughput(WARM_MS, MEASURE_MS, bytes);
}

const row = (id: string, label: string, value: number, extra: Partial<Measurement> = {}): Measurement => ({
  id,
  section: MESSAGES,
  label,
  value,
  unit: 'M/s',
  better: 'higher',
  ...extra,
});

const versus = ['uds-each-1k', 'uds-batched-1k', 'ipc-json-1k'];
const goals = [
  { text: '≥ 3 M/s', min: 3e6 },
  { text: '≥ 8× UDS each', relativeTo: 'uds-each-1k', factor: 8 },
  { text: '≥ 15× IPC', relativeTo: 'ipc-json-1k', factor: 15 },
];

export const messageRingScenarios: Scenario[] = [
  {
    name: 'message ring: spsc 1 KiB',
    run: async () => [
      row('msgring-spsc-1k', 'MessageRing spsc, 1 KiB, send()/receive() (zero-copy view)', await messageRingRate('spsc', 1024), {
        versus,
        goals,
      }),
    ],
  },
  {
    name: 'message ring: spsc 1 KiB, batches of 32',
    run: async () => [
      row(
        'msgring-spsc-1k-batched',
        'MessageRing spsc, 1 KiB, publishBatch/releaseBatch 32',
        await messageRingRate('spsc', 1024, { publishBatch: 32, releaseBatch: 32 }),
        { versus, goals },
      ),
    ],
  },
  {
    name: 'message ring: mpsc 1 KiB',
    run: async () => [row('msgring-mpsc-1k', 'MessageRing mpsc (1 producer), 1 KiB', await messageRingRate('mpsc', 1024), { versus })],
  },
  {
    name: 'message ring: spsc 64 B, batches of 32',
    run: async () => [
      row(
        'msgring-spsc-64',
        'MessageRing spsc, 64 B, publishBatch/releaseBatch 32',
        await messageRingRate('spsc', 64, { publishBatch: 32, releaseBatch: 32 }),
        { versus },
      ),
    ],
  },
  {
    name: 'message ring: Unix socket, one write per 1 KiB message',
    run: async () => [row('uds-each-1k', 'Unix socket, one write() per 1 KiB message', await udsRate(1024), { baseline: true })],
  },
  {
    name: 'message ring: Unix socket, 1 KiB messages in 64 KiB writes',
    run: async () => [
      row('uds-batched-1k', 'Unix socket, 1 KiB messages in 64 KiB writes', await udsRate(1024, true), { baseline: true }),
    ],
  },
  {
    name: "message ring: child_process IPC ('json'), 1 KiB",
    run: async () => [row('ipc-json-1k', "child_process IPC ('json'), 1 KiB string", await ipcRate(1024), { baseline: true })],
  },
];
