import { describe, it } from 'vitest';
import { runScenario } from './ring-harness.js';

// Every mode with real producer and consumer processes; each scenario checks exactly-once
// delivery through a shared seen-table, per-producer order, element contents and checksums.
describe('Ring between processes', () => {
  it('spsc 1P/1C, single calls, 8-byte elements', () => runScenario({ mode: 'spsc', producers: 1, consumers: 1, count: 100_000, api: 'single' }));
  it('spsc 1P/1C, single calls published and released in batches', () =>
    runScenario({ mode: 'spsc', producers: 1, consumers: 1, count: 100_000, api: 'single', handle: { publishBatch: 16, releaseBatch: 7 } }));
  it('spsc 1P/1C, bursts, 4-byte elements, capacity 2', () =>
    runScenario({ mode: 'spsc', producers: 1, consumers: 1, count: 50_000, api: 'burst', burst: 3, elementSize: 4, capacity: 2 }));
  it('spsc 1P/1C, blocking waits, counters crossing 2^32', () =>
    runScenario({ mode: 'spsc', producers: 1, consumers: 1, count: 20_000, api: 'wait', capacity: 16, start: 2 ** 32 - 5_000 }));
  it('spsc 1P/1C, 16-byte elements through enqueueFrom/dequeueInto', () =>
    runScenario({ mode: 'spsc', producers: 1, consumers: 1, count: 20_000, api: 'bytes', elementSize: 16 }));
  it('mpsc 2P/1C, blocking waits', () => runScenario({ mode: 'mpsc', producers: 2, consumers: 1, count: 20_000, api: 'wait' }));
  it('mpsc 4P/1C, single calls, 4-byte elements', () =>
    runScenario({ mode: 'mpsc', producers: 4, consumers: 1, count: 10_000, api: 'single', elementSize: 4, capacity: 32 }));
  it('spmc 1P/2C, bursts, counters crossing 2^32', () =>
    runScenario({ mode: 'spmc', producers: 1, consumers: 2, count: 40_000, api: 'burst', burst: 8, start: -20_000 }));
  it('spmc 1P/4C, async iteration', () => runScenario({ mode: 'spmc', producers: 1, consumers: 4, count: 5_000, api: 'async' }));
  it('mpmc 1P/1C, single calls, capacity 1', () =>
    runScenario({ mode: 'mpmc', producers: 1, consumers: 1, count: 10_000, api: 'single', capacity: 1 }));
  it('mpmc 2P/2C, 64-byte elements', () =>
    runScenario({ mode: 'mpmc', producers: 2, consumers: 2, count: 10_000, api: 'bytes', elementSize: 64, capacity: 16 }));
  it('mpmc 3P/2C, bursts, counters crossing 2^32', () =>
    runScenario({ mode: 'mpmc', producers: 3, consumers: 2, count: 10_000, api: 'burst', burst: 5, capacity: 32, start: 2 ** 32 - 7_000 }));
  it('mpmc 4P/4C, blocking waits', () => runScenario({ mode: 'mpmc', producers: 4, consumers: 4, count: 5_000, api: 'wait', capacity: 8 }));
});
