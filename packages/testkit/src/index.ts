export { runTs, spawnTs, tsNodeArgs, waitForLine, type RunResult } from './child.js';
export { findPython, hasCommand } from './tools.js';
export { makeTmpDir, uniqueName } from './tmp.js';
export { unprivilegedUser } from './users.js';
export { lineReader, type LineReader } from './lines.js';
export { collect } from './child.js';
