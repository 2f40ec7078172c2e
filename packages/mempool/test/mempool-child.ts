// A separate process taking one role against a Mempool (and, for the pipeline, a Ring) in a shared file:
//   random <path> <size> <barrier> <parties> <rounds> <commandsJSON>
//                                              waits for all parties, runs the commands `rounds`
//                                              times; prints the blocks it still holds
//   hold <path> <size> <n>                     takes n blocks, prints "holding ...", then waits to be killed
//   pipe-producer <path> <size> <ringOffset> <count> <payload>   the pyshm pattern, sending side
//   pipe-consumer <path> <size> <ringOffset> <count>             the pyshm pattern, receiving side
//   put-after <path> <size> <index>            tries to put a block this process does not hold
import { Ring } from '@shmkit/ring';
import { Mempool } from '../src/index.js';
import { checkBlock, type Command, fillBlock, mapExisting } from './helpers.js';

const [role, path, sizeText, ...rest] = process.argv.slice(2);
const buffer = mapExisting(path!, Number(sizeText));
const pool = Mempool.attach(buffer, 0);

function report(line: string): void {
  console.log(line);
}

switch (role) {
  case 'random': {
    // Start together with the other parties, so the commands really run concurrently.
    const barrier = new Int32Array(buffer, Number(rest[0]), 1);
    const parties = Number(rest[1]);
    const rounds = Number(rest[2]);
    const commands = JSON.parse(rest[3]!) as Command[];
    Atomics.add(barrier, 0, 1);
    const until = Date.now() + 20_000;
    while (Atomics.load(barrier, 0) < parties) if (Date.now() > until) throw new Error('the other parties never came');
    const held: number[] = [];
    let refusals = 0;
    let lastPut = -1;
    const scratch = new Uint32Array(64);
    for (let round = 0; round < rounds; round++) {
      for (const c of commands) {
        if (c.op === 'get') {
          const i = pool.get();
          if (i >= 0) {
            pool.block(i)[0] = 1;
            held.push(i);
          }
        } else if (c.op === 'put' && held.length > 0) {
          const [i] = held.splice(c.pick % held.length, 1);
          pool.put(i!);
          lastPut = i!;
        } else if (c.op === 'getBulk') {
          if (pool.getBulk(scratch, c.n) === c.n) for (let k = 0; k < c.n; k++) held.push(scratch[k]!);
        } else if (c.op === 'putBulk') {
          const n = Math.min(c.n, held.length);
          for (let k = 0; k < n; k++) scratch[k] = held.pop()!;
          pool.putBulk(scratch, n);
          if (n > 0) lastPut = scratch[0]!;
        } else if (c.op === 'doublePut' && lastPut >= 0 && !held.includes(lastPut)) {
          // Only while the block sits in this process's own cache: once on the shared ring another
          // process may take it at any moment, and a put of a block someone else holds looks
          // legitimate to any pool.
          if (pool.holderOf(lastPut) === process.pid) {
            try {
              pool.put(lastPut);
              throw new Error(`double put of ${lastPut} was accepted`);
            } catch (err) {
              const code = (err as { code?: string }).code;
              if (code !== 'ERR_SHMKIT_MEMPOOL_DOUBLE_PUT') throw err;
              refusals++;
            }
          }
        }
      }
    }
    pool.close(); // returns this process's cache; the held blocks stay out
    report(`held ${JSON.stringify({ held, refusals, stats: pool.stats() })}`);
    break;
  }
  case 'hold': {
    const n = Number(rest[0]);
    const held: number[] = [];
    for (let k = 0; k < n; k++) held.push(pool.get());
    report(`holding ${JSON.stringify(held)}`);
    setInterval(() => {}, 1000); // stay alive until killed
    break;
  }
  case 'put-after': {
    try {
      pool.put(Number(rest[0]));
      report('accepted');
    } catch (err) {
      report(`refused ${(err as { code?: string }).code}`);
    }
    break;
  }
  case 'pipe-producer': {
    const ring = Ring.attach(buffer, Number(rest[0]));
    const count = Number(rest[1]);
    const payload = Number(rest[2]);
    for (let seq = 0; seq < count; seq++) {
      let index = pool.get();
      while (index < 0) index = pool.get(); // the consumer puts blocks back
      fillBlock(pool.block(index), seq, payload);
      if (!ring.enqueueWait(index, 20_000)) throw new Error('data ring stayed full');
    }
    ring.flush();
    pool.close();
    report(`produced ${count}`);
    break;
  }
  case 'pipe-consumer': {
    const ring = Ring.attach(buffer, Number(rest[0]));
    const count = Number(rest[1]);
    for (let seq = 0; seq < count; seq++) {
      const index = ring.dequeueWait(20_000);
      if (index === undefined) throw new Error(`nothing after ${seq} blocks`);
      pool.adopt(index);
      checkBlock(pool.block(index), seq); // read in place, no copy
      pool.put(index);
    }
    pool.close();
    report(`consumed ${count} ${JSON.stringify(pool.stats())}`);
    break;
  }
  default:
    throw new Error(`unknown role ${role}`);
}
