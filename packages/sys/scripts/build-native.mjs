// Builds the native addon with node-gyp (run by the package's `install` script).
// node-gyp would otherwise download Node's headers; the headers installed with Node are used
// instead (npm_config_nodedir when set, else the prefix of the running node), so no network is needed.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = ['rebuild'];

const localPrefix = resolve(process.execPath, '..', '..');
if (!process.env.npm_config_nodedir && existsSync(join(localPrefix, 'include', 'node', 'node_api.h'))) {
  args.push(`--nodedir=${localPrefix}`);
}

// Lifecycle scripts of npm and pnpm put their bundled node-gyp on PATH; otherwise use npm's copy.
function nodeGypCommand() {
  const onPath = spawnSync('node-gyp', ['--version'], { stdio: 'ignore' });
  if (onPath.status === 0) return ['node-gyp', []];
  for (const candidate of [
    join(localPrefix, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    join(localPrefix, 'lib', 'node_modules', 'pnpm', 'dist', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ]) {
    if (existsSync(candidate)) return [process.execPath, [candidate]];
  }
  return null;
}

const command = nodeGypCommand();
if (!command) {
  console.error('@shmkit/sys: node-gyp was not found; install it (npm i -g node-gyp) and reinstall this package');
  process.exit(1);
}
const [bin, prefixArgs] = command;
const result = spawnSync(bin, [...prefixArgs, ...args], { cwd: packageDir, stdio: 'inherit' });
if (result.status !== 0) {
  console.error('@shmkit/sys: building the native addon failed (a C compiler and Node headers are required)');
  process.exit(result.status ?? 1);
}
