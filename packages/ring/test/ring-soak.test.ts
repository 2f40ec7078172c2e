import { describe, it } from 'vitest';
import type { RingMode } from '../src/index.js';
import { runScenario, type Scenario } from './ring-harness.js';

// The long run behind `pnpm soak` (SHMKIT_SOAK=1): random modes, process counts, element APIs,
// capacities and start positions, scenario after scenario, for SHMKIT_SOAK_SECONDS (default 120).
const enabled = process.env.SHMKIT_SOAK === '1';
const seconds = Number(process.env.SHMKIT_SOAK_SECONDS ?? 120);

function pick<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)]!;
}

function randomScenario(): Scenario {
  const mode = pick<RingMode>(['spsc', 'mpsc', 'spmc', 'mpmc']);
  const producers = mode === 'spsc' || mode === 'spmc' ? 1 : 1 + Math.floor(Math.random() * 4);
  const consumers = mode === 'spsc' || mode === 'mpsc' ? 1 : 1 + Math.floor(Math.random() * 4);
  const api = pick(['single', 'burst', 'wait', 'async', 'bytes'] as const);
  const elementSize = api === 'bytes' ? pick([4, 8, 16, 64, 128]) : pick([4, 8]);
  const capacity = 2 ** Math.floor(Math.random() * 9);
  const elements = api === 'async' || capacity < 8 ? 20_000 : 200_000;
  return {
    mode,
    producers,
    consumers,
    api,
    elementSize,
    burst: 1 + Math.floor(Math.random() * 40),
    capacity,
    count: Math.floor(elements / producers),
    start: pick([0, 2 ** 32 - 50_000, Math.floor(Math.random() * 2 ** 32)]),
    handle: mode === 'spsc' ? { publishBatch: pick([1, 1, 3, 32]), releaseBatch: pick([1, 1, 5, 32]) } : undefined,
  };
}

describe.skipIf(!enabled)('Ring soak', () => {
  it(`random multi-process scenarios for ${seconds} s`, { timeout: (seconds + 300) * 1000 }, async () => {
    const end = Date.now() + seconds * 1000;
    let runs = 0;
    while (Date.now() < end) {
      const scenario = randomScenario();
      console.log(`soak run ${++runs}: ${JSON.stringify(scenario)}`);
      await runScenario(scenario);
    }
  });
});
