// One side of a two-process round-trip run over two spsc Rings (ping, pong) of 8-byte elements.
// 'spin' busy-polls with dequeue(); 'park' uses dequeueWait() with no spinning, so each side sleeps
// on the futex whenever its ring is empty. The echo side also reports its CPU use, busy and idle.
import { Ring } from '../../src/index.js';
import { readyAndWaitForGo } from '../lib/control.js';
import { attachPairWorker } from '../lib/worker-setup.js';

interface Config {
  path: string;
  role: 'initiator' | 'echo';
  park: boolean;
  rounds: number;
  warmup: number;
  pingOffset: number;
  pongOffset: number;
  idleMs: number;
}

const { config, file, control } = attachPairWorker<Config>();
const handle = { spinMicros: 0 };
const ping = Ring.attach(file.buffer, config.pingOffset, handle);
const pong = Ring.attach(file.buffer, config.pongOffset, handle);
const total = config.warmup + config.rounds;

function receive(ring: Ring): number {
  if (config.park) return ring.dequeueWait()!;
  for (;;) {
    const v = ring.dequeue();
    if (v !== undefined) return v;
  }
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

readyAndWaitForGo(control);
if (config.role === 'initiator') {
  const samples = new Float64Array(config.rounds);
  let errors = 0;
  for (let i = 0; i < total; i++) {
    const t0 = performance.now();
    ping.enqueue(i);
    const v = receive(pong);
    const dt = performance.now() - t0;
    if (v !== i) errors++;
    if (i >= config.warmup) samples[i - config.warmup] = dt * 1000;
  }
  if (config.idleMs > 0) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, config.idleMs);
    ping.enqueue(-1);
    receive(pong);
  }
  samples.sort();
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  console.log(JSON.stringify({ p50: percentile(samples, 0.5), p99: percentile(samples, 0.99), mean, errors }));
} else {
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  for (let i = 0; i < total; i++) pong.enqueue(receive(ping));
  const cpu1 = process.cpuUsage(cpu0);
  const busyCpu = (cpu1.user + cpu1.system) / 1000 / (performance.now() - wall0);
  let idleCpu = Number.NaN;
  if (config.idleMs > 0) {
    const idle0 = process.cpuUsage();
    const idleWall0 = performance.now();
    const v = receive(ping);
    const used = process.cpuUsage(idle0);
    idleCpu = (used.user + used.system) / 1000 / (performance.now() - idleWall0);
    pong.enqueue(v);
  }
  console.log(JSON.stringify({ busyCpu: busyCpu * 100, idleCpu: idleCpu * 100 }));
}
file.close();
