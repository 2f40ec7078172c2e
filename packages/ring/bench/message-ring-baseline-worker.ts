// Unix socket baselines for the MessageRing bench, carrying the same messages of `bytes` bytes
// (the child_process IPC baseline is workers/ipc-json.ts):
//   uds-server <path> <bytes> <warmMs> <measureMs>   counts length-prefixed frames, prints the rate
//   uds-client <path> <bytes> [batched]              one socket.write() per message, or (batched)
//                                                    frames packed into 64 KiB writes
import { createConnection, createServer } from 'node:net';
import { rateMeter } from './lib/rate-meter.js';

const [role, ...args] = process.argv.slice(2) as [string, ...string[]];

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
} else {
  throw new Error(`unknown role ${role}`);
}
