// Waits until the start time the parent chose, so that several copies create at the same instant,
// then creates DemoMmapStructure's file (create without force) and says whether it made it.
import { DataStructMmapManager, DemoMmapStructure } from '../../src/index.js';

const [mmapDir, fastenerDir, startAt] = process.argv.slice(2) as [string, string, string];
const start = Number(startAt);
while (Date.now() < start) {
  // spin: a timer would add its own jitter
}
using m = new DataStructMmapManager(DemoMmapStructure, { mmapDir, fastenerDir, create: true });
console.log(m.created ? 'created' : 'existed');
