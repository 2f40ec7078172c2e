import { Ring } from '../../src/index.js';
import { CONTROL_BYTES } from '../lib/control.js';
import { runPair } from '../lib/pair.js';

export interface RoundTripResult {
  p50: number;
  p99: number;
  mean: number;
  busyCpu: number;
  idleCpu: number;
}

/** Round trips of one 8-byte element between two processes over two spsc Rings (µs). */
export async function ringRoundTrip(park: boolean, rounds: number, idleMs: number): Promise<RoundTripResult> {
  const ringOptions = { capacity: 64, elementSize: 8, mode: 'spsc' as const };
  const ringBytes = Ring.sizeFor(ringOptions);
  const pingOffset = CONTROL_BYTES;
  const pongOffset = CONTROL_BYTES + ringBytes;
  const args = (role: string) => (path: string) => [
    JSON.stringify({ path, role, park, rounds, warmup: Math.max(200, rounds / 10), pingOffset, pongOffset, idleMs }),
  ];
  const [initiator, echo] = await runPair<{ p50: number; p99: number; mean: number; errors: number }, { busyCpu: number; idleCpu: number }>({
    bytes: 2 * ringBytes,
    setup: (file) => {
      Ring.create(file.buffer, pingOffset, ringOptions);
      Ring.create(file.buffer, pongOffset, ringOptions);
    },
    a: { worker: 'ring-roundtrip.ts', args: args('initiator') },
    b: { worker: 'ring-roundtrip.ts', args: args('echo') },
    warmMs: 0,
    measureMs: 0,
    selfTimed: true,
  });
  if (initiator.errors !== 0) throw new Error(`round trip: ${initiator.errors} wrong echoes`);
  return { ...initiator, ...echo };
}
