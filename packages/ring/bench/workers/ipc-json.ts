// Baseline: child_process IPC with the default 'json' serialization. The 'parent' role forks the
// 'child' role (pinned to another CPU when possible) and measures either one-way throughput of
// strings of `bytes` characters (credit-based flow control: at most 2000 in flight, acknowledged
// every 250, sends in slices of 200 per event-loop turn; the parent checks each length) or
// sequential round trips.
//   parent throughput <warmMs> <measureMs> <cpu> <bytes>   prints { rate, errors }
//   parent roundtrip <rounds> <warmup> <cpu>               prints { p50, p99 } in µs
//   child throughput <bytes> | child roundtrip             (forked by the parent)
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { tsNodeArgs } from '@shmkit/testkit';
import { pinPrefix } from '../lib/procs.js';
import { rateMeter } from '../lib/rate-meter.js';

const [role, mode, a, b, cpu, bytesArg] = process.argv.slice(2) as [string, 'throughput' | 'roundtrip', string, string, string, string];

if (role === 'child') {
  if (mode === 'throughput') {
    let inflight = 0;
    let stopped = false;
    const message = 'x'.repeat(Number(a));
    const pump = () => {
      if (stopped) return;
      for (let i = 0; i < 200 && inflight < 2000; i++) {
        process.send!(message);
        inflight++;
      }
      if (inflight < 2000) setImmediate(pump);
    };
    process.on('message', (m: string | { ack: number }) => {
      if (m === 'stop') {
        stopped = true;
        process.disconnect();
      } else if (typeof m === 'object') {
        const resume = inflight >= 2000;
        inflight -= m.ack;
        if (resume) setImmediate(pump);
      }
    });
    setImmediate(pump);
  } else {
    process.on('message', (m: number | string) => {
      if (m === 'stop') process.disconnect();
      else process.send!(m);
    });
  }
} else {
  const self = fileURLToPath(import.meta.url);
  const command = [...pinPrefix(cpu === '' ? undefined : Number(cpu)), process.execPath, ...tsNodeArgs(), self, 'child', mode, ...(mode === 'throughput' ? [bytesArg] : [])];
  const child = spawn(command[0]!, command.slice(1), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  // Messages still in flight after 'stop' may find the channel closed.
  child.on('error', () => {});
  let done = false;
  if (mode === 'throughput') {
    const bytes = Number(bytesArg);
    let sinceAck = 0;
    let errors = 0;
    const tick = rateMeter(Number(a), Number(b), (rate) => {
      done = true;
      child.send('stop');
      console.log(JSON.stringify({ rate, errors }));
    });
    child.on('message', (m: string) => {
      if (done) return;
      if (m.length !== bytes) errors++;
      tick();
      if (++sinceAck === 250) {
        child.send({ ack: 250 });
        sinceAck = 0;
      }
    });
  } else {
    const rounds = Number(a);
    const warmup = Number(b);
    const samples: number[] = [];
    let i = 0;
    let t0 = 0;
    child.on('message', () => {
      if (i > warmup) samples.push((performance.now() - t0) * 1000);
      if (i === rounds + warmup) {
        child.send('stop');
        samples.sort((x, y) => x - y);
        console.log(JSON.stringify({ p50: samples[samples.length >> 1], p99: samples[Math.floor(samples.length * 0.99)] }));
        return;
      }
      i++;
      t0 = performance.now();
      child.send(i);
    });
    child.once('spawn', () => {
      t0 = performance.now();
      child.send(0);
    });
  }
}
