import type { Measurement, Scenario } from '../lib/report.js';
import { cBench, cRoundTrip, cThroughput, ipcRoundTrip, ipcThroughput, udsThroughput } from './baselines.js';
import { ROUND_TRIP, THROUGHPUT } from './ring.js';

/** Baselines measured in the same run as the rings: C11 reference rings, Unix socket, child_process IPC. */
export const baselineScenarios: Scenario[] = [
  {
    name: 'C11 SPSC ring',
    run: async (): Promise<Measurement[]> => {
      if (cBench() === null) return [];
      const row = (id: string, label: string, value: number): Measurement => ({ id, section: THROUGHPUT, label, value, unit: 'M/s', better: 'higher', baseline: true });
      return [
        row('c-spsc-single', 'C11 SPSC ring, release/acquire, per element', cThroughput('single', 1)),
        row('c-spsc-seqcst', 'C11 SPSC ring, seq_cst (as JS Atomics), per element', cThroughput('seqcst', 1)),
        row('c-spsc-burst32', 'C11 SPSC ring, bursts of 32', cThroughput('burst32', 1)),
      ];
    },
  },
  {
    name: 'C11 round trips',
    run: async (): Promise<Measurement[]> => {
      if (cBench() === null) return [];
      const spin = cRoundTrip('spin', 20_000);
      const futex = cRoundTrip('futex', 2_000);
      const row = (id: string, label: string, value: number): Measurement => ({ id, section: ROUND_TRIP, label, value, unit: 'µs', better: 'lower', baseline: true });
      return [
        row('c-rt-spin-p50', 'C11 rings, both sides spinning, p50', spin.p50),
        row('c-rt-spin-p99', 'C11 rings, both sides spinning, p99', spin.p99),
        row('c-rt-futex-p50', 'C11 rings + futex, both sides parked, p50', futex.p50),
        row('c-rt-futex-p99', 'C11 rings + futex, both sides parked, p99', futex.p99),
      ];
    },
  },
  {
    name: 'Unix socket',
    run: async () => [
      {
        id: 'uds-batched',
        section: THROUGHPUT,
        label: 'Unix socket, length-prefixed frames, 64 KiB writes',
        value: await udsThroughput(300, 1000),
        unit: 'M/s',
        better: 'higher',
        baseline: true,
      },
    ],
  },
  {
    name: 'child_process IPC',
    run: async () => {
      const rt = await ipcRoundTrip(2_000);
      return [
        {
          id: 'ipc-json',
          section: THROUGHPUT,
          label: "child_process IPC ('json')",
          value: await ipcThroughput(300, 1000),
          unit: 'M/s',
          better: 'higher',
          baseline: true,
        },
        { id: 'ipc-rt-p50', section: ROUND_TRIP, label: "child_process IPC ('json'), p50", value: rt.p50, unit: 'µs', better: 'lower', baseline: true },
      ];
    },
  },
];
