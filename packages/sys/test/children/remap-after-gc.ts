// Run with --expose-gc. Unmaps a buffer explicitly, maps again (the kernel usually reuses the
// address), lets the first buffer's finaliser run, then writes to the new mapping: a finaliser that
// unmapped a second time would have removed the new mapping and this process would die of SIGSEGV.
// Also maps buffers and drops them without munmap: their finalisers must release the mappings.
import { openSync, readFileSync } from 'node:fs';
import { MAP_SHARED, mmap, munmap, PROT_READ, PROT_WRITE } from '../../src/index.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const fd = openSync(process.argv[2]!, 'r+');
const settle = () => new Promise((resolve) => setImmediate(resolve));
const mappingsOfFile = () => readFileSync('/proc/self/maps', 'utf8').split('\n').filter((l) => l.endsWith(process.argv[2]!)).length;

let reused = 0;
for (let i = 0; i < 50; i++) {
  let first: ArrayBuffer | null = mmap(fd, 0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED);
  const firstAddressView = new Uint8Array(first);
  munmap(first);
  const second = mmap(fd, 0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED);
  first = null;
  void firstAddressView;
  gc();
  await settle();
  gc();
  await settle();
  new Uint8Array(second)[100] = i; // faults if the finaliser of `first` unmapped `second`
  reused += 1;
  munmap(second);
}
console.log(`remapped ${reused}`);

const before = mappingsOfFile();
for (let i = 0; i < 100; i++) new Uint8Array(mmap(fd, 0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED))[0] = 1;
const during = mappingsOfFile();
for (let i = 0; i < 5; i++) {
  gc();
  await settle();
}
console.log(`mappings before ${before} during ${during} after ${mappingsOfFile()}`);
