// Baselines for the MessageRing bench, carrying the same messages of `bytes` bytes:
//   uds-server <path> <bytes> <warmMs> <measureMs>   counts length-prefixed frames, prints the rate
//   uds-client <path> <bytes> [batched]              one socket.write() per message, or (batched)
//                                                    frames packed into 64 KiB writes
//   ipc-parent <bytes> <warmMs> <measureMs> <cpu>    forks ipc-child; counts 'json' messages
//   ipc-child <bytes>                                process.send() of a `bytes`-character string,
//                                                    credit flow control (<= 2000 in flight)
import { spawn } from 'node:child_process';
import { createConnection, createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { tsNodeArgs } from '@shmkit/testkit';
import { pinPrefix } from './lib/procs.js';

const [role, ...args] = process.argv.slice(2) as [string, ...string[]];

/** Reports count / seconds over [warmMs, warmMs + measureMs) after the first message. */
function rateMeter(warmMs: number, measureMs: number, done: (rate: number) => void): () => void {
  let count = 0;
  let startCount = 0;
  let started = 0;
  return () => {
    if (count++ === 0) {
      setTimeout(() => {
        startCount = count;
        started = performance.now();
        setTimeout(() => done((count - startCount) / ((performance.now() - started) / 1000)), measureMs);
      }, warmMs);
    }
  };
}

if (role === 'uds-server') {
  const [path, bytesArg, warmArg, measureArg] = args as [string, string, string, string];
  const bytes = Number(bytesArg);
  const server = createServer((socket) => {
    let rest: Buffer | null = null;
    let errors = 0;
    const tick = rateMeter(Number(warmArg), Number(measureArg), (rate) => {
      console.log(JSON.stringify({ rate, errors }));
      socket.destroy();
      server.close();
    });
    socket.on('data', (chunk: Buffer) => {
      const data: Buffer = rest === null ? chunk : Buffer.concat([rest, chunk]);
      let off = 0;
      while (off + 4 <= data.length) {
        const len = data.readUInt32LE(off);
        if (off + 4 + len > data.length) break;
        const payload = data.subarray(off + 4, off + 4 + len);
        if (payload.length !== bytes) errors++;
        tick();
        off += 4 + len;
      }
      rest = off < data.length ? data.subarray(off) : null;
    });
    socket.on('error', () => {});
  });
  server.listen(path, () => console.log('listening'));
} else if (role === 'uds-client') {
  const [path, bytesArg, batching] = args as [string, string, string | undefined];
  const bytes = Number(bytesArg);
  const perWrite = batching === 'batched' ? Math.max(1, Math.floor(65536 / (4 + bytes))) : 1;
  const socket = createConnection(path);
  let closed = false;
  socket.on('error', () => {
    closed = true;
  });
  socket.on('close', () => {
    closed = true;
  });
  let seq = 0;
  const write = () => {
    while (!closed) {
      // A fresh buffer per write: write() keeps a reference until the data is sent.
      const chunk = Buffer.allocUnsafe(perWrite * (4 + bytes));
      for (let i = 0, off = 0; i < perWrite; i++, off += 4 + bytes) {
        chunk.writeUInt32LE(bytes, off);
        chunk.writeUInt32LE(seq++, off + 4);
      }
      if (!socket.write(chunk)) {
        socket.once('drain', write);
        return;
      }
    }
  };
  socket.on('connect', write);
} else if (role === 'ipc-parent') {
  const [bytesArg, warmArg, measureArg, cpu] = args as [string, string, string, string];
  const self = fileURLToPath(import.meta.url);
  const command = [...pinPrefix(cpu === '' ? undefined : Number(cpu)), process.execPath, ...tsNodeArgs(), self, 'ipc-child', bytesArg];
  const child = spawn(command[0]!, command.slice(1), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  child.on('error', () => {}); // a late acknowledgement after the child disconnected
  let sinceAck = 0;
  let errors = 0;
  let stopped = false;
  const bytes = Number(bytesArg);
  const tick = rateMeter(Number(warmArg), Number(measureArg), (rate) => {
    stopped = true;
    child.send('stop');
    console.log(JSON.stringify({ rate, errors }));
  });
  child.on('message', (m: string) => {
    if (stopped) return;
    if (m.length !== bytes) errors++;
    tick();
    if (++sinceAck === 250) {
      child.send({ ack: 250 });
      sinceAck = 0;
    }
  });
} else if (role === 'ipc-child') {
  const message = 'x'.repeat(Number(args[0]));
  let inflight = 0;
  let stopped = false;
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
  throw new Error(`unknown role ${role}`);
}
