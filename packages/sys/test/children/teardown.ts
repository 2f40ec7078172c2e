// Ends an environment while async waits are pending: `exit` calls process.exit with a futex wait
// and a lock wait pending; `worker` terminates a worker thread that has both pending, then exits
// normally. Either way the process must end promptly and cleanly (exit code 0, no crash).
import { openSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { fcntlLockAsync, futexWaitAsync, MAP_SHARED, mmap, PROT_READ, PROT_WRITE } from '../../src/index.js';

const [mode, path, lockedPath] = process.argv.slice(2);

function startWaits(): void {
  const words = new Int32Array(mmap(openSync(path!, 'r+'), 0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED));
  futexWaitAsync(words, 0, 0);
  fcntlLockAsync(openSync(lockedPath!, 'r+'), { type: 'write', ofd: true });
}

if (mode === 'exit') {
  startWaits();
  setTimeout(() => {
    console.log('exiting');
    process.exit(0);
  }, 50);
} else if (mode === 'worker') {
  // Workers do not inherit the TypeScript loader, so the worker loads the compiled addon directly.
  const addon = new URL('../../build/Release/shmkit_sys.node', import.meta.url).pathname;
  const worker = new Worker(
    `
    const { openSync } = require('node:fs');
    const { parentPort, workerData } = require('node:worker_threads');
    const native = require(workerData.addon);
    const c = native.constants;
    const words = new Int32Array(native.mmap(openSync(workerData.path, 'r+'), 0, 4096, c.PROT_READ | c.PROT_WRITE, c.MAP_SHARED));
    native.futexWaitAsync(words, 0, 0);
    native.fcntlLockAsync(openSync(workerData.lockedPath, 'r+'), 1 /* write */, true, 0, 0);
    parentPort.postMessage('waiting');
    `,
    { eval: true, workerData: { addon, path, lockedPath } },
  );
  worker.on('message', async () => {
    await worker.terminate();
    console.log('terminated');
  });
}
