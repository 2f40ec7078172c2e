import type { Measurement, Scenario } from '../lib/report.js';
import { ringRoundTrip } from './ring-roundtrip.js';
import { ringThroughput } from './ring-throughput.js';

export const THROUGHPUT = 'Throughput: 8-byte elements, producer and consumer in two processes';
export const ROUND_TRIP = 'Round trip: one 8-byte element there and back between two processes';
export const CPU = 'CPU use of the echo side';

const throughputVersus = ['c-spsc-single', 'c-spsc-seqcst', 'uds-batched', 'ipc-json'];

export const ringScenarios: Scenario[] = [
  {
    name: 'ring spsc single',
    run: async (): Promise<Measurement[]> => [
      {
        id: 'ring-spsc-single',
        section: THROUGHPUT,
        label: 'Ring spsc, enqueue()/dequeue() per element',
        value: await ringThroughput({ mode: 'spsc', variant: 'single' }),
        unit: 'M/s',
        better: 'higher',
        versus: throughputVersus,
        goals: [
          { text: '≥ 40 M/s', min: 40e6 },
          { text: '≥ 0.3× C', relativeTo: 'c-spsc-single', factor: 0.3 },
        ],
      },
    ],
  },
  {
    name: 'ring spsc single, batched publication',
    run: async () => [
      {
        id: 'ring-spsc-single-batched',
        section: THROUGHPUT,
        label: 'Ring spsc, enqueue()/dequeue() per element, publishBatch/releaseBatch 32',
        value: await ringThroughput({ mode: 'spsc', variant: 'single', publishBatch: 32, releaseBatch: 32 }),
        unit: 'M/s',
        better: 'higher',
        versus: throughputVersus,
        goals: [{ text: '≥ 40 M/s', min: 40e6 }],
      },
    ],
  },
  {
    name: 'ring spsc burst 32',
    run: async () => [
      {
        id: 'ring-spsc-burst32',
        section: THROUGHPUT,
        label: 'Ring spsc, bursts of 32',
        value: await ringThroughput({ mode: 'spsc', variant: 'burst', burst: 32 }),
        unit: 'M/s',
        better: 'higher',
        versus: ['c-spsc-burst32', 'uds-batched', 'ipc-json'],
        goals: [{ text: '≥ 150 M/s', min: 150e6 }],
      },
    ],
  },
  {
    name: 'ring spsc burst 32, batched publication',
    run: async () => [
      {
        id: 'ring-spsc-burst32-batched',
        section: THROUGHPUT,
        label: 'Ring spsc, bursts of 32, publishBatch/releaseBatch 256',
        value: await ringThroughput({ mode: 'spsc', variant: 'burst', burst: 32, publishBatch: 256, releaseBatch: 256 }),
        unit: 'M/s',
        better: 'higher',
        versus: ['c-spsc-burst32', 'uds-batched', 'ipc-json'],
        goals: [{ text: '≥ 150 M/s', min: 150e6 }],
      },
    ],
  },
  {
    name: 'ring mpmc single',
    run: async () => [
      {
        id: 'ring-mpmc-single',
        section: THROUGHPUT,
        label: 'Ring mpmc 1P/1C, enqueue()/dequeue() per element',
        value: await ringThroughput({ mode: 'mpmc', variant: 'single' }),
        unit: 'M/s',
        better: 'higher',
        versus: ['c-spsc-seqcst', 'uds-batched', 'ipc-json'],
        goals: [{ text: '≥ 15 M/s', min: 15e6 }],
      },
    ],
  },
  {
    name: 'ring mpmc burst 32',
    run: async () => [
      {
        id: 'ring-mpmc-burst32',
        section: THROUGHPUT,
        label: 'Ring mpmc 1P/1C, bursts of 32',
        value: await ringThroughput({ mode: 'mpmc', variant: 'burst', burst: 32 }),
        unit: 'M/s',
        better: 'higher',
        versus: ['uds-batched', 'ipc-json'],
      },
    ],
  },
  {
    name: 'ring round trip spinning',
    run: async () => {
      const r = await ringRoundTrip(false, 20_000, 0);
      return [
        {
          id: 'ring-rt-spin-p50',
          section: ROUND_TRIP,
          label: 'Ring spsc, both sides spinning, p50',
          value: r.p50,
          unit: 'µs',
          better: 'lower',
          versus: ['c-rt-spin-p50', 'ipc-rt-p50'],
          goals: [{ text: '≤ 0.6 µs', max: 0.6 }],
        },
        { id: 'ring-rt-spin-p99', section: ROUND_TRIP, label: 'Ring spsc, both sides spinning, p99', value: r.p99, unit: 'µs', better: 'lower', versus: ['c-rt-spin-p99'] },
      ];
    },
  },
  {
    name: 'ring round trip parked',
    run: async () => {
      const r = await ringRoundTrip(true, 2_000, 1_000);
      return [
        {
          id: 'ring-rt-park-p50',
          section: ROUND_TRIP,
          label: 'Ring spsc, both sides parked (futex), p50',
          value: r.p50,
          unit: 'µs',
          better: 'lower',
          versus: ['c-rt-futex-p50', 'ipc-rt-p50'],
          goals: [{ text: '≤ 1.5× C futex', relativeTo: 'c-rt-futex-p50', factor: 1.5 }],
        },
        { id: 'ring-rt-park-p99', section: ROUND_TRIP, label: 'Ring spsc, both sides parked (futex), p99', value: r.p99, unit: 'µs', better: 'lower', versus: ['c-rt-futex-p99'] },
        { id: 'ring-park-busy-cpu', section: CPU, label: 'Ring parked echo, during the round trips', value: r.busyCpu, unit: '%', better: 'lower' },
        {
          id: 'ring-park-idle-cpu',
          section: CPU,
          label: 'Ring parked echo, idle 1 s waiting for a message',
          value: r.idleCpu,
          unit: '%',
          better: 'lower',
          goals: [{ text: '< 1 % of a core', max: 1 }],
        },
      ];
    },
  },
];
