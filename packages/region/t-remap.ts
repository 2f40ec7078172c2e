import { writeFileSync, truncateSync } from 'node:fs';
import { SlidingWindowMapManager, MAPPING_BACKEND } from '@shmkit/region';
const MiB = 1024 * 1024;
const p = '/tmp/rg-remap'; writeFileSync(p, ''); truncateSync(p, 1024 * MiB);
const man = new SlidingWindowMapManager({ windowSize: 64 * MiB, maxMemorySize: 256 * MiB });
const c = man.makeCursor(p);
let x = 0;
const t0 = process.hrtime.bigint();
for (let i = 0; i < 200; i++) { x ^= c.useRegion(((i * 7) % 16) * 64 * MiB + 5000, 4096).buffer()[100]!; if (i % 50 === 0) await new Promise(r => setImmediate(r)); }
console.log(MAPPING_BACKEND, Number(process.hrtime.bigint() - t0) / 200 / 1000, 'us per remap');
