// The other process of the ping-pong benchmarks. argv: mode ('futex' | 'pipe'), path, rounds.
import { openSync } from 'node:fs';
import { futexWait, futexWake, MAP_SHARED, mmap, PROT_READ, PROT_WRITE } from '../src/index.js';

const [mode, path, roundsArg] = process.argv.slice(2);
const rounds = Number(roundsArg);

if (mode === 'futex') {
  const words = new Int32Array(mmap(openSync(path!, 'r+'), 0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED));
  console.log('ready');
  for (let i = 0; i < rounds; i++) {
    const ping = 2 * i + 1;
    let seen: number;
    while ((seen = Atomics.load(words, 0)) !== ping) futexWait(words, 0, seen);
    Atomics.store(words, 0, ping + 1);
    futexWake(words, 0, 1);
  }
} else {
  // Echo every chunk back.
  process.stdin.on('data', (chunk) => process.stdout.write(chunk));
  console.log('ready');
}
