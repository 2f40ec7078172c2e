export { runTs, spawnTs, tsNodeArgs, waitForLine, type RunResult } from './child.js';
export { findPython, hasCommand } from './tools.js';
export { makeTmpDir, uniqueName } from './tmp.js';
export { unprivilegedUser } from './users.js';
export { lineReader, type LineReader } from './lines.js';
export { collect, type CollectOptions } from './child.js';
export {
  createSharedMapping,
  openSharedMapping,
  sharedFilePath,
  type MmapApi,
  type SharedMapping,
} from './shared-file.js';
