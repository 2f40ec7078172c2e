// One side of a two-process Ring throughput run: the producer pushes 0, 1, 2, ... as fast as it
// can until told to stop; the consumer checks the order and reports its rate over the measured
// window (after warmMs, so JIT warm-up is not measured).
import { Ring } from '../../src/index.js';
import { controlView, readyAndWaitForGo, stopRequested } from '../lib/control.js';
import { openSharedFile } from '../lib/shared-file.js';

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

const config = JSON.parse(process.argv[2]!) as Config;
const file = openSharedFile(config.path);
const control = controlView(file.buffer);
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
  const burst = config.variant === 'burst' ? new Float64Array(config.burst) : null;
  let expected = 0;
  let errors = 0;
  let firstError = '';
  let count = 0;
  let warmCount = -1;
  let warmAt = 0;
  const warmDeadline = performance.now() + config.warmMs;
  for (let iter = 0; ; iter++) {
    if ((iter & 1023) === 0 && warmCount < 0 && performance.now() >= warmDeadline) {
      warmCount = count;
      warmAt = performance.now();
    }
    if (burst === null) {
      const v = ring.dequeue();
      if (v === undefined) {
        if (stopRequested(control)) break;
        continue;
      }
      if (v !== expected) {
        if (errors === 0) firstError = `expected ${expected}, got ${v}`;
        errors++;
      }
      expected = v + 1;
      count++;
    } else {
      const n = ring.dequeueBurst(burst, burst.length);
      if (n === 0) {
        if (stopRequested(control)) break;
        continue;
      }
      for (let i = 0; i < n; i++) {
        if (burst[i] !== expected) errors++;
        expected = burst[i]! + 1;
      }
      count += n;
    }
  }
  const end = performance.now();
  if (warmCount < 0) {
    warmCount = 0;
    warmAt = warmDeadline - config.warmMs;
  }
  return { count: count - warmCount, seconds: (end - warmAt) / 1000, errors, firstError, stats: ring.stats() };
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
