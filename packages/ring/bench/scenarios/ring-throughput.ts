import { Ring, type RingMode } from '../../src/index.js';
import { CONTROL_BYTES } from '../lib/control.js';
import { runPair } from '../lib/pair.js';

export interface ThroughputOptions {
  mode: RingMode;
  variant: 'single' | 'burst';
  burst?: number;
  publishBatch?: number;
  releaseBatch?: number;
  capacity?: number;
  warmMs?: number;
  measureMs?: number;
}

interface ConsumerResult {
  count: number;
  seconds: number;
  errors: number;
}

/** Elements per second through a Ring between two processes (8-byte elements). */
export async function ringThroughput(options: ThroughputOptions): Promise<number> {
  const { mode, variant, burst = 32, publishBatch = 1, releaseBatch = 1, capacity = 1024, warmMs = 300, measureMs = 1000 } = options;
  const ringOptions = { capacity, elementSize: 8, mode };
  const args = (role: string) => (path: string) => [
    JSON.stringify({ path, role, variant, burst, publishBatch, releaseBatch, ringOffset: CONTROL_BYTES, warmMs }),
  ];
  const [, consumer] = await runPair<unknown, ConsumerResult>({
    bytes: Ring.sizeFor(ringOptions),
    setup: (file) => {
      Ring.create(file.buffer, CONTROL_BYTES, ringOptions);
    },
    a: { worker: 'ring-throughput.ts', args: args('producer') },
    b: { worker: 'ring-throughput.ts', args: args('consumer') },
    warmMs,
    measureMs,
  });
  if (consumer.errors !== 0) throw new Error(`ring ${mode} ${variant}: ${consumer.errors} elements out of order: ${JSON.stringify(consumer)}`);
  return consumer.count / consumer.seconds;
}
