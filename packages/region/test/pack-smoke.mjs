// Runs outside the repository after `npm install` of the packed tarballs (no pnpm patch there, so
// mmap-io is absent or unpatched and @shmkit/sys must map the files). Maps one file in this
// process and in a child it forks of itself; each sees the other's writes through its mapping.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAPPING_BACKEND, MapRegion, SlidingWindowMapManager } from '@shmkit/region';

const PING = 5000;
const PONG = 70_000;

if (process.argv[2] === 'child') {
  const path = process.argv[3];
  const man = new SlidingWindowMapManager({ windowSize: 16 * 1024, writable: true });
  const c = man.makeCursor(path);
  const ping = c.useRegion(PING, 4).buffer().toString('latin1');
  c.useRegion(PONG, 4).buffer().write(ping === 'ping' ? 'pong' : 'FAIL', 'latin1');
  c.close();
  man.close();
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), 'shmkit-region-smoke-'));
const path = join(dir, 'shared.bin');
let failed = false;
try {
  writeFileSync(path, Buffer.alloc(100_000));
  const region = new MapRegion(path, 0, Number.POSITIVE_INFINITY, { writable: true });
  const view = region.buffer();
  view.write('ping', PING, 'latin1');
  const child = fork(new URL(import.meta.url).pathname, ['child', path], { stdio: 'inherit' });
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const code = await new Promise((resolve) => child.on('exit', (c) => resolve(c)));
  clearTimeout(timer);
  const pong = view.toString('latin1', PONG, PONG + 4);
  region.release();
  if (code !== 0 || pong !== 'pong' || view.length !== 0) {
    throw new Error(`child exit ${code}, read ${JSON.stringify(pong)}, view after release ${view.length}`);
  }
  console.log(`@shmkit/region pack-smoke ok: backend ${MAPPING_BACKEND}, a forked child saw our write and we saw its reply`);
} catch (err) {
  failed = true;
  console.error(`@shmkit/region pack-smoke FAILED: ${err?.stack ?? err}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
