// A separate Node process for the ipmmap tests: each mode is one role another process plays.
//   hold <read|write> [int]     open a scope (write `int` into data_int when editing), print LOCKED,
//                               stay inside until a line arrives on stdin, print RELEASED
//   writer-loop <ms>            editor scopes writing data_int = i, data_xy = (i, -i) for <ms>
//   reader-loop <ms>            reader scopes checking those three fields agree; prints JSON counts
//   map-watch <ms>              maps the file without any lock and reads it constantly for <ms>,
//                               printing JSON {reads, minSize, badHeader}; a SIGBUS would kill it
//   stamp-writer <n> <ms>       n editor scopes, each bumping the time stamp, <ms> apart
//   try-write                   prints ACQUIRED or BUSY after a non-blocking write attempt
import { statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { MapRegion } from '@shmkit/region';
import { DataStructMmapEditor, DataStructMmapReader, DemoMmapStructure, ipmmapPaths } from '../../src/index.js';

const [mmapDir, fastenerDir, mode, ...rest] = process.argv.slice(2);
if (!mmapDir || !fastenerDir || !mode) throw new Error('usage: ipmmap-child <mmapDir> <fastenerDir> <mode> ...');
const where = { mmapDir, fastenerDir };

function waitForLine(): Promise<void> {
  const rl = createInterface({ input: process.stdin });
  return new Promise((resolve) => {
    rl.once('line', () => {
      rl.close();
      resolve();
    });
    rl.once('close', resolve);
  });
}

switch (mode) {
  case 'hold': {
    const [kind, value] = rest;
    using handle =
      kind === 'write' ? new DataStructMmapEditor(DemoMmapStructure, where) : new DataStructMmapReader(DemoMmapStructure, where);
    {
      using scope = handle.open();
      if (value !== undefined && scope instanceof Object && 'writeData' in scope) {
        (scope as any).writeData('data_int', Number(value));
        (scope as any).updateLastUpdate();
      }
      console.log('LOCKED');
      await waitForLine();
    }
    console.log('RELEASED');
    break;
  }
  case 'writer-loop': {
    const until = Date.now() + Number(rest[0]);
    using editor = new DataStructMmapEditor(DemoMmapStructure, where);
    let i = 0;
    while (Date.now() < until) {
      i += 1;
      using s = editor.open();
      s.writeData('data_int', i);
      s.writeData('data_xy.x', i);
      s.writeData('data_xy.y', -i);
      s.updateLastUpdate();
    }
    console.log(JSON.stringify({ writes: i }));
    break;
  }
  case 'reader-loop': {
    const until = Date.now() + Number(rest[0]);
    using reader = new DataStructMmapReader(DemoMmapStructure, where);
    let reads = 0;
    let torn = 0;
    const seen = new Set<number>();
    while (Date.now() < until) {
      using s = reader.open();
      const n = s.readData('data_int') as number;
      const x = s.readData('data_xy.x');
      const y = s.readData('data_xy.y');
      reads += 1;
      seen.add(n);
      if (x !== n || y !== -n) torn += 1;
    }
    console.log(JSON.stringify({ reads, torn, distinct: seen.size }));
    break;
  }
  case 'map-watch': {
    // A mapper that ignores the lock, as Python's openMemory() users do: it maps the file once
    // and reads every page constantly. Only a truncation of the file could hurt it (SIGBUS).
    const until = Date.now() + Number(rest[0]);
    const path = ipmmapPaths('DemoMmapStructure', '', mmapDir, fastenerDir).mmapFilePath;
    const region = new MapRegion(path, 0, DemoMmapStructure.size);
    const bytes = region.buffer();
    let reads = 0;
    let minSize = Number.POSITIVE_INFINITY;
    let badHeader = 0;
    console.log('MAPPED');
    while (Date.now() < until) {
      if (bytes.readInt16LE(0) !== 0x1128) badHeader += 1;
      let sum = 0;
      for (let i = 0; i < bytes.length; i += 64) sum += bytes[i]!;
      if (sum < 0) break;
      minSize = Math.min(minSize, statSync(path).size);
      reads += 1;
    }
    region.release();
    console.log(JSON.stringify({ reads, minSize, badHeader }));
    break;
  }
  case 'stamp-writer': {
    const [n, ms] = rest.map(Number) as [number, number];
    using editor = new DataStructMmapEditor(DemoMmapStructure, where);
    for (let i = 1; i <= n; i++) {
      await editor.use((s) => {
        s.writeData('data_int', i);
        s.updateLastUpdate();
      });
      await new Promise((r) => setTimeout(r, ms));
    }
    console.log('DONE');
    break;
  }
  case 'try-write': {
    using editor = new DataStructMmapEditor(DemoMmapStructure, where);
    const scope = editor.tryOpen();
    console.log(scope ? 'ACQUIRED' : 'BUSY');
    scope?.close();
    break;
  }
  default:
    throw new Error(`unknown mode ${mode}`);
}
