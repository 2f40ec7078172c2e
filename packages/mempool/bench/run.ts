// pnpm bench [--rounds N] [--only text] [--write-readme]
//
// Mempool costs in one process (get+put, with and without the per-process cache) and the block
// pipeline between two processes (pinned to CPUs 0 and 1 when taskset is there), round-robin for N
// rounds (default 3); prints the medians as markdown tables with ratios against baselines measured
// in the same run: a private JavaScript free list, the shared free ring alone, MessageRing copying
// the same payloads, a Unix socket and child_process IPC.
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ring } from '@shmkit/ring';
import { CONTROL_BYTES } from '../../ring/bench/lib/control.js';
import { runPair } from '../../ring/bench/lib/pair.js';
import { canPin, collectJson, spawnWorker } from '../../ring/bench/lib/procs.js';
import { barChart, type Measurement, markdownTables, medians, type Scenario } from '../../ring/bench/lib/report.js';
import { benchOptions, runRounds } from '../../ring/bench/lib/rounds.js';
import { ipcRate, messageRingRate, udsRate } from '../../ring/bench/message-ring-scenarios.js';
import { Mempool } from '../src/index.js';

const GET_PUT = 'Mempool get() + put() of one block, one process (ns per pair)';
const PIPELINE = 'Block pipeline, 256-byte payloads, producer and consumer in two processes';

const PAYLOAD = 256;
const WARM_MS = 300;
const MEASURE_MS = 1000;
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
/** runPair resolves worker names against the ring bench's workers directory. */
const pairWorker = relative(here('../../ring/bench/workers/'), here('./pipeline-worker.ts'));

interface PipelineOptions {
  variant: 'single' | 'bulk';
  cacheSize: number;
  publishBatch: number;
}

async function pipelineRate({ variant, cacheSize, publishBatch }: PipelineOptions): Promise<number> {
  const poolOptions = { blockSize: PAYLOAD, count: 4096, cacheSize };
  const ringOptions = { capacity: 1024, elementSize: 4, mode: 'spsc' as const };
  const poolBytes = Mempool.sizeFor(poolOptions);
  const ringOffset = CONTROL_BYTES + Math.ceil(poolBytes / 64) * 64;
  const args = (role: string) => (path: string) => [
    JSON.stringify({ path, role, variant, payload: PAYLOAD, poolOffset: CONTROL_BYTES, ringOffset, publishBatch, warmMs: WARM_MS }),
  ];
  const [, consumer] = await runPair<unknown, { count: number; seconds: number; errors: number }>({
    bytes: ringOffset - CONTROL_BYTES + Ring.sizeFor(ringOptions),
    setup: (file) => {
      Mempool.create(file.buffer, CONTROL_BYTES, poolOptions);
      Ring.create(file.buffer, ringOffset, ringOptions);
    },
    a: { worker: pairWorker, args: args('producer') },
    b: { worker: pairWorker, args: args('consumer') },
    warmMs: WARM_MS,
    measureMs: MEASURE_MS,
  });
  if (consumer.errors !== 0) throw new Error(`pipeline ${variant}: ${consumer.errors} blocks with the wrong content`);
  return consumer.count / consumer.seconds;
}

const ns = (id: string, label: string, value: number, extra: Partial<Measurement> = {}): Measurement => ({
  id,
  section: GET_PUT,
  label,
  value,
  unit: 'ns',
  better: 'lower',
  ...extra,
});

const rate = (id: string, label: string, value: number, extra: Partial<Measurement> = {}): Measurement => ({
  id,
  section: PIPELINE,
  label,
  value,
  unit: 'M/s',
  better: 'higher',
  ...extra,
});

const pipelineVersus = ['msgring-256', 'uds-batched-256', 'ipc-json-256'];

const scenarios: Scenario[] = [
  {
    name: 'get+put in one process',
    run: async () => {
      const r = await collectJson<{ cached: number; uncached: number; jsArray: number; ringOnly: number }>(
        spawnWorker(here('./micro.ts'), [], 0),
      );
      return [
        ns('getput-cached', 'Mempool, cacheSize 32', r.cached, {
          versus: ['getput-js-array', 'getput-ring'],
          goals: [{ text: '≤ 30 ns', max: 30 }],
        }),
        ns('getput-uncached', 'Mempool, no cache (every get/put on the shared ring)', r.uncached, { versus: ['getput-ring'] }),
        ns('getput-ring', 'shared free ring alone: mpmc dequeue() + enqueue()', r.ringOnly, { baseline: true }),
        ns('getput-js-array', 'private JS array free list: pop() + push() (not shared)', r.jsArray, { baseline: true }),
      ];
    },
  },
  {
    name: 'pipeline single, cache 32',
    run: async () => [
      rate('pipeline-single', 'Mempool (cache 32) + Ring spsc, one block per call', await pipelineRate({ variant: 'single', cacheSize: 32, publishBatch: 32 }), {
        versus: pipelineVersus,
        goals: [{ text: '≥ 5 M msgs/s', min: 5e6 }],
      }),
    ],
  },
  {
    name: 'pipeline bulk 32, cache 32',
    run: async () => [
      rate('pipeline-bulk', 'Mempool (cache 32) + Ring spsc, 32 blocks per call', await pipelineRate({ variant: 'bulk', cacheSize: 32, publishBatch: 1 }), {
        versus: pipelineVersus,
        goals: [{ text: '≥ 5 M msgs/s', min: 5e6 }],
      }),
    ],
  },
  {
    name: 'pipeline single, no cache',
    run: async () => [
      rate('pipeline-nocache', 'Mempool (no cache) + Ring spsc, one block per call', await pipelineRate({ variant: 'single', cacheSize: 0, publishBatch: 32 }), {
        versus: pipelineVersus,
      }),
    ],
  },
  {
    name: 'MessageRing 256 B',
    run: async () => [
      rate(
        'msgring-256',
        'MessageRing spsc, 256-byte messages copied in, read in place (batches of 32)',
        await messageRingRate('spsc', PAYLOAD, { publishBatch: 32, releaseBatch: 32 }),
        { baseline: true },
      ),
    ],
  },
  {
    name: 'Unix socket 256 B batched',
    run: async () => [
      rate('uds-batched-256', 'Unix socket, 256-byte frames in 64 KiB writes', await udsRate(PAYLOAD, true), { baseline: true }),
    ],
  },
  {
    name: 'child_process IPC 256 B',
    run: async () => [rate('ipc-json-256', "child_process IPC ('json'), 256-character strings", await ipcRate(PAYLOAD), { baseline: true })],
  },
];

const { rounds, only, writeReadme } = benchOptions();
const { all } = await runRounds(scenarios, { rounds, only, decimals: 1 });

const results = medians(all);
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${canPin() ? 'pinned to CPUs 0 and 1 (taskset)' : 'unpinned'}, load average ${loadavg()[0]!.toFixed(1)} at the end, median of ${rounds} round(s)`;
const text = [
  `Measured ${new Date().toISOString().slice(0, 10)}: ${machine}.`,
  '',
  markdownTables(results),
  '```text',
  barChart(results, PIPELINE),
  '```',
  '',
].join('\n');
console.log(text);

if (writeReadme) {
  const readme = here('../README.md');
  const start = '<!-- mempool-bench:start -->';
  const end = '<!-- mempool-bench:end -->';
  const current = readFileSync(readme, 'utf8');
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md has no ${start} ... ${end} block`);
  writeFileSync(readme, `${current.slice(0, from + start.length)}\n${text}\n${current.slice(to)}`);
  console.error('README.md updated');
}
