#!/usr/bin/env node
// The `shmkit` command. The CLI is a private workspace app that runs from its TypeScript
// sources, so this launcher starts Node with the tsx loader and the workspace's source
// condition, hands over the terminal, and exits with the command's status.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const tsx = import.meta.resolve('tsx');
const child = spawn(process.execPath, ['--import', tsx, '--conditions=@shmkit/source', main, ...process.argv.slice(2)], {
  stdio: 'inherit',
});
// Signals sent to the launcher go on to the command, which decides how to stop (a Ctrl-C typed
// in the terminal may reach it twice; the command handles that).
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => child.kill(signal));
}
child.on('error', (err) => {
  console.error(`shmkit: cannot start: ${err.message}`);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  process.exit(code ?? 128 + (constants.signals[signal] ?? 0));
});
