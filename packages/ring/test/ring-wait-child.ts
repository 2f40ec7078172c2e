// Child processes for the waiting tests. Each prints one JSON line and exits on its own: a child
// that stays alive because of a leaked wait fails its test by timing out.
import { openSharedFile } from '../bench/lib/shared-file.js';
import { Ring } from '../src/index.js';

const [scenario, path, offset] = process.argv.slice(2) as [string, string, string];
const file = openSharedFile(path);
const ring = Ring.attach(file.buffer, Number(offset), { spinMicros: 0 });

if (scenario === 'park-consumer') {
  // Blocks (no timeout) until the parent enqueues.
  const value = ring.dequeueWait();
  console.log(JSON.stringify({ value, stats: ring.stats() }));
} else if (scenario === 'park-producer') {
  // The ring is full: blocks until the parent dequeues.
  const ok = ring.enqueueWait(77);
  console.log(JSON.stringify({ ok, stats: ring.stats() }));
} else if (scenario === 'async') {
  const got: number[] = [];
  // 1. for await with a signal, ended by break after 3 elements.
  const controller = new AbortController();
  for await (const v of ring.values({ signal: controller.signal })) {
    got.push(v);
    if (got.length === 3) break;
  }
  // 2. A wait that nobody satisfies, cancelled by its signal.
  const pending = new AbortController();
  const aborted = ring.dequeueAsync({ signal: pending.signal }).then(
    () => 'resolved',
    (err: Error) => err.name,
  );
  setTimeout(() => pending.abort(), 50);
  const abortOutcome = await aborted;
  // 3. A wait with a timeout.
  const timedOut = await ring.dequeueAsync({ timeoutMs: 30 });
  // 4. An iteration that is waiting when its signal aborts.
  const iteration = new AbortController();
  setTimeout(() => iteration.abort(new Error('enough')), 50);
  let iterationError = '';
  try {
    for await (const v of ring.values({ signal: iteration.signal })) got.push(v);
  } catch (err) {
    iterationError = (err as Error).message;
  }
  // 5. close() ends a pending wait.
  const closing = ring.waitNotEmptyAsync().then(
    () => 'resolved',
    (err: { code?: string }) => err.code,
  );
  setTimeout(() => ring.close(), 20);
  const closeOutcome = await closing;
  // 6. The parent's last element, through dequeueAsync, waking up from a real park.
  console.log(JSON.stringify({ ready: true }));
  const last = await ring.dequeueAsync({ timeoutMs: 20_000 });
  console.log(JSON.stringify({ got, abortOutcome, timedOut: timedOut ?? null, iterationError, closeOutcome, last }));
}
file.close();
