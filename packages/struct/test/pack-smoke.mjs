// Smoke test of the packed @shmkit/struct: plain Node, no TypeScript, no workspace.
// The parent lays out a struct in a SharedArrayBuffer shared with a worker thread (live views on
// both sides), and exchanges a file with a child process forked from this script.
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { array, bits, chars, float64, int32, struct, uint32 } from '@shmkit/struct';

const Point = struct('Point', { x: float64, y: float64 });
const Shape = struct('Shape', {
  id: int32,
  name: chars(16),
  pts: array(Point, 3),
  flags: bits(uint32, 5),
});

function fail(message) {
  console.error(`pack-smoke: FAIL ${message}`);
  process.exit(1);
}

if (!isMainThread) {
  const v = Shape.view(workerData);
  v.id = 7;
  v.name = 'from worker';
  v.pts.get(2).y = 2.5;
  v.flags = 33; // wraps to 1 in a 5-bit field
  parentPort.postMessage('done');
} else if (process.argv[2] === 'child') {
  const file = process.argv[3];
  const buf = readFileSync(file);
  const seen = Shape.read(buf);
  Shape.write(buf, 0, { id: seen.id + 1, name: `${seen.name}!` });
  writeFileSync(file, buf);
  process.exit(0);
} else {
  if (Shape.size !== 80 || Shape.offsetOf('pts.2.y') !== 64) fail(`unexpected layout ${Shape.size} ${Shape.offsetOf('pts.2.y')}`);
  if (!Shape.toCHeader().includes('struct Shape {') || !Shape.toCtypes().includes('class Shape(ctypes.Structure):')) {
    fail('emitters');
  }

  const shared = new SharedArrayBuffer(Shape.size);
  const worker = new Worker(new URL(import.meta.url), { workerData: shared });
  const reply = await new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  const v = Shape.view(shared);
  if (reply !== 'done' || v.id !== 7 || v.name !== 'from worker' || v.pts.get(2).y !== 2.5 || v.flags !== 1) {
    fail(`worker values ${JSON.stringify(Shape.read(shared), (_k, x) => (typeof x === 'bigint' ? String(x) : x))}`);
  }

  const dir = mkdtempSync(join(tmpdir(), 'shmkit-struct-smoke-'));
  try {
    const file = join(dir, 'shape.bin');
    writeFileSync(file, new Uint8Array(shared.slice(0)), { mode: 0o600 });
    const child = fork(new URL(import.meta.url).pathname, ['child', file], { stdio: 'inherit' });
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const code = await new Promise((resolve) => child.once('exit', resolve));
    clearTimeout(timer);
    if (code !== 0) fail(`child exited with ${code}`);
    const back = Shape.read(readFileSync(file));
    if (back.id !== 8 || back.name !== 'from worker!' || back.pts[2].y !== 2.5) fail(`child values ${JSON.stringify(back)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log('pack-smoke: @shmkit/struct OK (worker view over shared memory, forked child via file)');
}
