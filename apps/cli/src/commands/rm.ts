import { unlinkSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Key, PosixSharedMemory, ShmId, shmrm } from '@shmkit/shm';
import { CliError, EXIT, targetError, usageError } from '../cli-error.js';
import { parseTarget, TARGET_HELP } from '../targets.js';

export const RM_HELP = `usage: shmkit rm <target>...

Removes POSIX objects (shm_unlink), System V segments (IPC_RMID: the segment goes away when
the last process detaches) and files. For an ipmmap file only the data file is removed; its
.lockfile stays, as the ipmmap lock protocol requires.
${TARGET_HELP}`;

export function rmCommand(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log(RM_HELP);
    return EXIT.ok;
  }
  if (positionals.length === 0) throw usageError(`rm needs at least one target\n${TARGET_HELP}`);
  // Check every target before removing any, so a typo removes nothing.
  const targets = positionals.map((p) => parseTarget(p));
  for (const target of targets) {
    try {
      switch (target.kind) {
        case 'posix':
          if (!PosixSharedMemory.unlink(target.name)) throw targetError(`cannot remove ${target.label}: does not exist`);
          break;
        case 'sysv-key':
          shmrm(new Key(target.key));
          break;
        case 'sysv-id':
          shmrm(new ShmId(target.id));
          break;
        case 'file':
          unlinkSync(target.path);
          break;
      }
    } catch (err) {
      if (err instanceof CliError) throw err;
      const code = (err as { code?: string }).code;
      throw targetError(
        `cannot remove ${target.label}: ${code === 'ENOENT' || code === 'EINVAL' || code === 'EIDRM' ? 'does not exist' : (err as Error).message}`,
        err,
      );
    }
    console.log(`removed ${target.label}`);
  }
  return EXIT.ok;
}
