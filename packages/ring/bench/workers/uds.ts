// Baseline: a Unix domain socket carrying length-prefixed frames (uint32 length + 8-byte payload)
// packed into fresh 64 KiB buffers, one write() each, waiting for 'drain' when asked to. The
// server parses every frame (a subarray per message) and reports the rate after a warm-up.
import { createConnection, createServer } from 'node:net';

const [role, path, warmArg, measureArg] = process.argv.slice(2) as [string, string, string, string];
const FRAME = 12;
const FRAMES_PER_WRITE = Math.floor(65536 / FRAME);

if (role === 'server') {
  const warmMs = Number(warmArg);
  const measureMs = Number(measureArg);
  let count = 0;
  let checksum = 0;
  let rest: Buffer | null = null;
  const server = createServer((socket) => {
    let phase = 0;
    let startCount = 0;
    let started = 0;
    socket.on('data', (chunk: Buffer) => {
      let data = rest === null ? chunk : Buffer.concat([rest, chunk]);
      let off = 0;
      while (off + 4 <= data.length) {
        const len = data.readUInt32LE(off);
        if (off + 4 + len > data.length) break;
        const payload = data.subarray(off + 4, off + 4 + len);
        checksum += payload[0]!;
        count++;
        off += 4 + len;
      }
      rest = off < data.length ? data.subarray(off) : null;
      data = chunk;
      if (phase === 0) {
        phase = 1;
        setTimeout(() => {
          startCount = count;
          started = performance.now();
          setTimeout(() => {
            const rate = (count - startCount) / ((performance.now() - started) / 1000);
            console.log(JSON.stringify({ rate, checksum }));
            socket.destroy();
            server.close();
          }, measureMs);
        }, warmMs);
      }
    });
    socket.on('error', () => {});
  });
  server.listen(path, () => console.log('listening'));
} else {
  const socket = createConnection(path);
  let seq = 0;
  let closed = false;
  socket.on('error', () => {
    closed = true;
  });
  socket.on('close', () => {
    closed = true;
  });
  const write = () => {
    while (!closed) {
      const buf = Buffer.allocUnsafe(FRAMES_PER_WRITE * FRAME);
      for (let i = 0, off = 0; i < FRAMES_PER_WRITE; i++, off += FRAME) {
        buf.writeUInt32LE(8, off);
        buf.writeDoubleLE(seq++, off + 4);
      }
      if (!socket.write(buf)) {
        socket.once('drain', write);
        return;
      }
    }
  };
  socket.on('connect', write);
}
