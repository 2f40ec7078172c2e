// Attaches a System V segment by id: prints what the parent wrote at offset 0, writes a reply at
// offset 64. With `readonly-write`, attaches read-only and writes anyway (the process must fault).
import { shmat, shmdt } from '../../src/index.js';

const [id, mode] = process.argv.slice(2);
const buffer = Buffer.from(shmat(Number(id), mode === 'readonly-write'));
if (mode === 'readonly-write') {
  console.log('writing');
  buffer[0] = 1;
  console.log('survived');
} else {
  console.log(`read ${buffer.toString('utf8', 0, buffer.indexOf(0))}`);
  buffer.write('reply from child', 64);
  shmdt(buffer.buffer as ArrayBuffer);
  console.log('done');
}
