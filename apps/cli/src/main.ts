// The `shmkit` command: see `shmkit help`.
import { CliError, EXIT } from './cli-error.js';

const HELP = `usage: shmkit <command> [options]

commands:
  ls        list POSIX shared memory objects, System V segments and ipmmap files
  inspect   decode a struct from a target with a JSON schema and print it
  watch     the same, live, redrawn in place (q or Ctrl-C to quit)
  rm        remove POSIX objects, System V segments or files
  bench     run every package's benchmark and print one combined table
  help      this text; \`shmkit <command> --help\` for a command's options

exit status: 0 ok, 1 failure, 2 bad usage, 3 bad or missing target, 4 bad schema
             (or a schema that does not fit the target)`;

interface Command {
  run(argv: string[]): number | Promise<number>;
}

// Each command loads only what it needs (`ls` never loads the struct codec, for instance).
const commands: Record<string, () => Promise<Command>> = {
  ls: async () => ({ run: (await import('./commands/ls.js')).lsCommand }),
  inspect: async () => ({ run: (await import('./commands/inspect.js')).inspectCommand }),
  watch: async () => ({ run: (await import('./commands/watch.js')).watchCommand }),
  rm: async () => ({ run: (await import('./commands/rm.js')).rmCommand }),
  bench: async () => ({ run: (await import('./commands/bench.js')).benchCommand }),
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    const topic = name === 'help' && rest[0] ? commands[rest[0]] : undefined;
    if (topic) return (await topic()).run(['--help']);
    console.log(HELP);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const load = commands[name];
  if (!load) throw new CliError(EXIT.usage, `unknown command '${name}'\n\n${HELP}`);
  return (await load()).run(rest);
}

function isParseArgsError(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

// Run as a package script (`pnpm --filter @shmkit/cli shmkit ls`), the command starts in the app's
// directory; relative paths given by the user mean the directory they typed the command in.
if (process.env.npm_lifecycle_event === 'shmkit' && process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);

try {
  const argv = process.argv.slice(2);
  if (argv[0] === '--') argv.shift(); // pnpm passes a `--` separator through to the script
  process.exitCode = await main(argv);
} catch (err) {
  if (err instanceof CliError) {
    console.error(`shmkit: ${err.message}`);
    process.exitCode = err.exitCode;
  } else if (isParseArgsError(err)) {
    console.error(`shmkit: ${(err as Error).message}`);
    process.exitCode = EXIT.usage;
  } else {
    const code = (err as { code?: unknown })?.code;
    console.error(`shmkit: ${(err as Error)?.message ?? String(err)}${typeof code === 'string' ? ` (${code})` : ''}`);
    process.exitCode = EXIT.failure;
  }
}
