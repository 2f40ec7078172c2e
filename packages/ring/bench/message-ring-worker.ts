// One side of a two-process MessageRing throughput run. The producer sends messages of `bytes`
// bytes (a prebuilt buffer stamped with a sequence number) as fast as the ring takes them until
// told to stop; the consumer receives each one as a zero-copy view, checks its sequence number and
// length, and reports its rate over the measured window (after warmMs).
import { MessageRing } from '../src/message-ring.js';
import { consumeUntilStopped } from './lib/consume.js';
import { readyAndWaitForGo, stopRequested } from './lib/control.js';
import { attachPairWorker } from './lib/worker-setup.js';

interface Config {
  path: string;
  role: 'producer' | 'consumer';
  bytes: number;
  ringOffset: number;
  warmMs: number;
  publishBatch?: number;
  releaseBatch?: number;
  receive?: 'view' | 'into';
}

const { config, file, control } = attachPairWorker<Config>();
const ring = MessageRing.attach(file.buffer, config.ringOffset, {
  publishBatch: config.publishBatch ?? 1,
  releaseBatch: config.releaseBatch ?? 1,
});

function produce(): void {
  const message = new Uint8Array(config.bytes);
  for (let i = 4; i < message.length; i++) message[i] = i & 0xff;
  let seq = 0;
  for (;;) {
    for (let i = 0; i < 256; i++) {
      message[0] = seq;
      message[1] = seq >>> 8;
      message[2] = seq >>> 16;
      message[3] = seq >>> 24;
      while (!ring.send(message)) if (stopRequested(control)) return;
      seq = (seq + 1) | 0;
    }
    if (stopRequested(control)) return;
  }
}

/** The next message: a zero-copy view, or copied into `scratch` (then a view of the copy). */
function receiver(): () => Uint8Array | undefined {
  if (config.receive !== 'into') return () => ring.receive();
  const scratch = new Uint8Array(config.bytes);
  return () => {
    const n = ring.receiveInto(scratch);
    return n < 0 ? undefined : scratch;
  };
}

function consume() {
  const next = receiver();
  let expected = 0;
  let errors = 0;
  const measured = consumeUntilStopped(control, config.warmMs, () => {
    const msg = next();
    if (msg === undefined) return 0;
    const seq = msg[0]! | (msg[1]! << 8) | (msg[2]! << 16) | (msg[3]! << 24);
    if (seq !== expected || msg.byteLength !== config.bytes) errors++;
    expected = (seq + 1) | 0;
    return 1;
  });
  return { ...measured, errors, stats: ring.stats() };
}

readyAndWaitForGo(control);
if (config.role === 'producer') {
  produce();
  ring.flush();
  console.log(JSON.stringify({ ok: true, stats: ring.stats() }));
} else {
  console.log(JSON.stringify(consume()));
}
file.close();
