// A separate process taking one role against a MessageRing in a shared file:
//   produce-random <path> <size> <count> [publishBatch]  spsc stream, sizes 0..max (messageLength)
//   produce-numbered <path> <size> <producer> <count> <maxLen> [wait|async]
//   consume-numbered <path> <size> <producers> <count>   checks order per producer, prints a summary
//   flood <path> <size> <producer> <len>                 sends numbered messages of `len` bytes forever
//   flood-big <path> <size> <producer> <len>             stamped big messages (the copy dominates)
//   async-exit <path> <size>                             waits with abort/close, then must exit by itself
import { MessageRing } from '../src/message-ring.js';
import {
  checkNumbered,
  fillMessage,
  mapExisting,
  messageLength,
  numbered,
  bigBodies,
  stampBig,
} from './message-ring-helpers.js';

const [role, path, sizeText, ...rest] = process.argv.slice(2);
const size = Number(sizeText);
const publishBatch = role === 'produce-random' ? Number(rest[1] ?? 1) : 1;
const ring = MessageRing.attach(mapExisting(path!, size), 0, { publishBatch });

async function main(): Promise<void> {
  switch (role) {
    case 'produce-random': {
      const count = Number(rest[0]);
      const scratch = new Uint8Array(ring.maxMessageBytes);
      console.log('ready');
      for (let seq = 0; seq < count; seq++) {
        const msg = scratch.subarray(0, messageLength(0, seq, ring.maxMessageBytes));
        fillMessage(msg, 0, seq);
        if (!ring.sendWait(msg, 20_000)) throw new Error(`send ${seq} timed out`);
      }
      ring.flush();
      console.log(`done ${JSON.stringify(ring.stats())}`);
      break;
    }
    case 'produce-numbered': {
      const producer = Number(rest[0]);
      const count = Number(rest[1]);
      const maxLen = Number(rest[2]);
      const how = rest[3] ?? 'wait';
      const scratch = new Uint8Array(maxLen);
      console.log('ready');
      for (let seq = 0; seq < count; seq++) {
        const length = 8 + (messageLength(producer, seq, maxLen) % (maxLen - 7));
        const msg = numbered(scratch.subarray(0, length), producer, seq);
        const ok = how === 'async' ? await ring.sendAsync(msg, { timeoutMs: 20_000 }) : ring.sendWait(msg, 20_000);
        if (!ok) throw new Error(`producer ${producer}: send ${seq} timed out`);
      }
      console.log(`done ${JSON.stringify(ring.stats())}`);
      break;
    }
    case 'consume-numbered': {
      const producers = Number(rest[0]);
      const count = Number(rest[1]);
      const next = new Array<number>(producers).fill(0);
      let total = 0;
      console.log('ready');
      while (total < producers * count) {
        const msg = ring.receiveWait(20_000);
        if (msg === undefined) throw new Error(`consumer timed out after ${total} messages`);
        const [producer, seq] = checkNumbered(msg);
        if (seq !== next[producer]) throw new Error(`producer ${producer}: expected ${next[producer]}, got ${seq}`);
        next[producer]!++;
        total++;
      }
      console.log(`consumed ${total} ${JSON.stringify(ring.stats())}`);
      break;
    }
    case 'flood': {
      const producer = Number(rest[0]);
      const length = Number(rest[1]);
      const scratch = new Uint8Array(length);
      console.log('flooding');
      for (let seq = 0; ; seq++) {
        if (!ring.sendWait(numbered(scratch, producer, seq), 20_000)) throw new Error('flood stalled');
        if (seq === 3) console.log('sent-some');
      }
    }
    case 'flood-big': {
      const producer = Number(rest[0]);
      const bodies = bigBodies(Number(rest[1]));
      console.log('flooding');
      for (let seq = 0; ; seq++) {
        if (!ring.sendWait(stampBig(bodies, producer, seq), 20_000)) throw new Error('flood stalled');
        if (seq === 0) console.log('sent-some');
      }
    }
    case 'async-exit': {
      // Abort while parked, time out, then iterate until closed: nothing may keep the process alive.
      const aborter = new AbortController();
      setTimeout(() => aborter.abort(new Error('stop waiting')), 30);
      await ring.receiveAsync({ signal: aborter.signal }).then(
        () => console.log('unexpected message'),
        (err: Error) => console.log(`aborted: ${err.message}`),
      );
      console.log(`timed out: ${(await ring.receiveAsync({ timeoutMs: 20 })) === undefined}`);
      setTimeout(() => ring.close(), 30);
      let n = 0;
      for await (const _ of ring) n++;
      console.log(`iteration ended after ${n}`);
      return; // no process.exit: the test checks that the process ends on its own
    }
    default:
      throw new Error(`unknown role ${role}`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
