// One side of a two-process Ring throughput run: the producer pushes 0, 1, 2, ... as fast as it
// can until told to stop; the consumer checks the order and reports its rate over the measured
// window (after warmMs, so JIT warm-up is not measured).
import { Ring } from '../../src/index.js';
import { consumeUntilStopped } from '../lib/consume.js';
import { readyAndWaitForGo, stopRequested } from '../lib/control.js';
import { attachPairWorker } from '../lib/worker-setup.js';

interface Config {
  path: string;
  role: 'producer' | 'consumer';
  variant: 'single' | 'burst';
  burst: number;
  publishBatch: number;
  releaseBatch: number;
  ringOffset: number;
  warmMs: number;
}

const { config, file, control } = attachPairWorker<Config>();
const ring = Ring.attach(file.buffer, config.ringOffset, { publishBatch: config.publishBatch, releaseBatch: config.releaseBatch });

function produceSingle(): void {
  let next = 0;
  for (;;) {
    for (let i = 0; i < 256; i++) {
      while (!ring.enqueue(next)) if (stopRequested(control)) return;
      next++;
    }
    if (stopRequested(control)) return;
  }
}

function produceBurst(): void {
  const src = new Float64Array(config.burst);
  let next = 0;
  for (;;) {
    for (let i = 0; i < 64; i++) {
      for (let j = 0; j < src.length; j++) src[j] = next + j;
      while (ring.enqueueBulk(src, src.length) === 0) if (stopRequested(control)) return;
      next += src.length;
    }
    if (stopRequested(control)) return;
  }
}

function consume() {
  let expected = 0;
  let errors = 0;
  let firstError = '';
  let take = (): number => {
    const v = ring.dequeue();
    if (v === undefined) return 0;
    if (v !== expected) {
      if (errors === 0) firstError = `expected ${expected}, got ${v}`;
      errors++;
    }
    expected = v + 1;
    return 1;
  };
  if (config.variant === 'burst') {
    const burst = new Float64Array(config.burst);
    take = () => {
      const n = ring.dequeueBurst(burst, burst.length);
      for (let i = 0; i < n; i++) {
        if (burst[i] !== expected) errors++;
        expected = burst[i]! + 1;
      }
      return n;
    };
  }
  const measured = consumeUntilStopped(control, config.warmMs, take);
  return { ...measured, errors, firstError, stats: ring.stats() };
}

readyAndWaitForGo(control);
if (config.role === 'producer') {
  if (config.variant === 'single') produceSingle();
  else produceBurst();
  ring.flush();
  console.log(JSON.stringify({ ok: true }));
} else {
  console.log(JSON.stringify(consume()));
}
file.close();
