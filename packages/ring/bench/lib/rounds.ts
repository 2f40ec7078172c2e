import { waitForQuiet } from './quiet.js';
import type { Measurement, Scenario } from './report.js';

/** The options every bench/run.ts takes: --rounds N (default 3), --only text, --write-readme. */
export interface BenchOptions {
  rounds: number;
  /** Run only the scenarios whose name contains this. */
  only: string | undefined;
  writeReadme: boolean;
}

export function benchOptions(args: string[] = process.argv.slice(2)): BenchOptions {
  const option = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  return { rounds: Number(option('--rounds') ?? 3), only: option('--only'), writeReadme: args.includes('--write-readme') };
}

export interface RoundsResult {
  /** Every measurement of every round, in the order taken (medians() collapses them). */
  all: Measurement[];
  /** Cases run, and how many of them started on a quiet machine. */
  runs: number;
  quietRuns: number;
}

/**
 * Runs the selected scenarios round-robin, `rounds` times, reporting progress on stderr. A failing
 * case is reported and skipped. With `waitForQuiet`, each case starts only once other work on the
 * (shared) machine has calmed down, or 30 s passed.
 */
export async function runRounds(
  scenarios: Scenario[],
  options: { rounds: number; only?: string | undefined; waitForQuiet?: boolean; decimals?: number },
): Promise<RoundsResult> {
  const { rounds, only, decimals = 2 } = options;
  const selected = scenarios.filter((s) => only === undefined || s.name.includes(only));
  const all: Measurement[] = [];
  let runs = 0;
  let quietRuns = 0;
  for (let round = 1; round <= rounds; round++) {
    for (const scenario of selected) {
      const quiet = options.waitForQuiet ? await waitForQuiet(0.1, 30_000) : true;
      runs++;
      if (quiet) quietRuns++;
      process.stderr.write(`round ${round}/${rounds}: ${scenario.name}${quiet ? '' : ' (machine busy)'} ... `);
      try {
        const ms = await scenario.run();
        all.push(...ms);
        process.stderr.write(`${ms.map((m) => `${m.id}=${m.unit === 'M/s' ? (m.value / 1e6).toFixed(2) : m.value.toFixed(decimals)}`).join(' ')}\n`);
      } catch (err) {
        process.stderr.write(`failed: ${(err as Error).message}\n`);
      }
    }
  }
  return { all, runs, quietRuns };
}
