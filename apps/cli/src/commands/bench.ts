import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { EXIT, usageError } from '../cli-error.js';
import { parseMarkdownTables, renderMarkdownTable } from '../markdown-table.js';
import { findWorkspaceRoot, listPackages, pnpmCommand, type WorkspacePackage } from '../workspace.js';

export const BENCH_HELP = `usage: shmkit bench [--only pkg,pkg] [--quick] [--verbose]

Runs \`pnpm bench\` of every package that has one, one after the other (benchmarks measure
the machine; running them side by side would measure each other), and prints one combined
table: package, case, and the results each benchmark printed (its markdown tables).
  --only     comma-separated package directory names (ring,lock,...)
  --quick    ask the benchmarks for short runs (sets SHMKIT_BENCH_QUICK=1)
  --verbose  stream each benchmark's own output to stderr`;

interface Outcome {
  pkg: WorkspacePackage;
  status: number | null;
  stdout: string;
  stderrTail: string;
  seconds: number;
}

function runBench(pkg: WorkspacePackage, root: string, env: NodeJS.ProcessEnv, verbose: boolean): Promise<Outcome> {
  const [cmd, pre] = pnpmCommand(root);
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(cmd, [...pre, '--filter', pkg.name, 'run', 'bench'], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      if (verbose) process.stderr.write(d);
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr = (stderr + d).slice(-4000);
      if (verbose) process.stderr.write(d);
    });
    const done = (status: number | null) =>
      resolve({ pkg, status, stdout, stderrTail: stderr, seconds: (Date.now() - started) / 1000 });
    child.on('error', (err) => {
      stderr += `\n${err.message}`;
      done(null);
    });
    child.on('close', (code) => done(code));
  });
}

/** The rows one benchmark contributes: one per data row of each table it printed. */
function rowsOf(outcome: Outcome): string[][] {
  const name = outcome.pkg.short;
  if (outcome.status !== 0) {
    const last = outcome.stderrTail.trim().split('\n').filter(Boolean).pop() ?? '';
    return [[name, `(bench failed, status ${outcome.status ?? 'not started'})`, last.slice(0, 120)]];
  }
  const tables = parseMarkdownTables(outcome.stdout);
  if (tables.length === 0) return [[name, '(no table printed)', '']];
  const rows: string[][] = [];
  for (const table of tables) {
    for (const row of table.rows) {
      const results = row
        .slice(1)
        .map((cell, i) => (cell ? `${table.header[i + 1] ?? ''}: ${cell}` : ''))
        .filter(Boolean)
        .join(' · ');
      rows.push([name, row[0] ?? '', results]);
    }
  }
  return rows;
}

export async function benchCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      only: { type: 'string' },
      quick: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(BENCH_HELP);
    return EXIT.ok;
  }
  const root = findWorkspaceRoot();
  if (!root) throw usageError('shmkit bench runs inside the shmkit repository (no pnpm-workspace.yaml found)');
  let packages = listPackages(root).filter((p) => p.scripts.bench);
  if (values.only !== undefined) {
    const wanted = values.only.split(',').map((s) => s.trim()).filter(Boolean);
    const unknown = wanted.filter((w) => !packages.some((p) => p.short === w || p.name === w));
    if (unknown.length || wanted.length === 0) {
      throw usageError(
        `no benchmark for ${unknown.join(', ') || '(empty --only)'}; packages with one: ${packages.map((p) => p.short).join(', ')}`,
      );
    }
    packages = packages.filter((p) => wanted.includes(p.short) || wanted.includes(p.name));
  }
  const env = { ...process.env, ...(values.quick ? { SHMKIT_BENCH_QUICK: '1' } : {}) };
  const outcomes: Outcome[] = [];
  for (const pkg of packages) {
    process.stderr.write(`shmkit bench: ${pkg.name} ...`);
    const outcome = await runBench(pkg, root, env, values.verbose);
    process.stderr.write(` ${outcome.status === 0 ? 'done' : 'FAILED'} (${outcome.seconds.toFixed(1)} s)\n`);
    outcomes.push(outcome);
  }
  console.log(renderMarkdownTable(['package', 'case', 'results'], outcomes.flatMap(rowsOf)));
  return outcomes.every((o) => o.status === 0) ? EXIT.ok : EXIT.failure;
}
