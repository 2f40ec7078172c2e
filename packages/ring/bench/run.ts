// pnpm bench [--rounds N] [--only text] [--write-readme]
//
// Runs every scenario (two real processes each, pinned to CPUs 0 and 1 with taskset when
// available), round-robin for N rounds (default 3), and prints the median of each measurement as
// markdown tables with ratios against the baselines measured in the same run, plus a bar chart.
// --write-readme replaces the block between the bench markers in README.md with the result.
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { canPin } from './lib/procs.js';
import { waitForQuiet } from './lib/quiet.js';
import { barChart, type Measurement, markdownTables, medians, type Scenario } from './lib/report.js';
import { baselineScenarios } from './scenarios/baseline-scenarios.js';
import { ringScenarios, THROUGHPUT } from './scenarios/ring.js';
import { messageRingScenarios } from './message-ring-scenarios.js';

// Scenario lists, one per structure; new structures append their list here.
const scenarios: Scenario[] = [...ringScenarios, ...baselineScenarios, ...messageRingScenarios];

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const rounds = Number(option('--rounds') ?? 3);
const only = option('--only');
const selected = scenarios.filter((s) => only === undefined || s.name.includes(only));

const all: Measurement[] = [];
let runs = 0;
let quietRuns = 0;
for (let round = 1; round <= rounds; round++) {
  for (const scenario of selected) {
    // The machine is shared: start each case only once other work has calmed down (or 30 s passed).
    const quiet = await waitForQuiet(0.1, 30_000);
    runs++;
    if (quiet) quietRuns++;
    process.stderr.write(`round ${round}/${rounds}: ${scenario.name}${quiet ? '' : ' (machine busy)'} ... `);
    try {
      const ms = await scenario.run();
      all.push(...ms);
      process.stderr.write(`${ms.map((m) => `${m.id}=${m.unit === 'M/s' ? (m.value / 1e6).toFixed(2) : m.value.toFixed(2)}`).join(' ')}\n`);
    } catch (err) {
      process.stderr.write(`failed: ${(err as Error).message}\n`);
    }
  }
}

const results = medians(all);
const machine =
  `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${canPin() ? 'pinned to CPUs 0 and 1 (taskset)' : 'unpinned'}, ` +
  `median and best of ${rounds} interleaved round(s); ${quietRuns} of ${runs} cases started with < 10 % of the CPUs busy with other work ` +
  `(load average ${loadavg()[0]!.toFixed(1)} at the end)`;
const chart = barChart(results, THROUGHPUT);
const text = [`Measured ${new Date().toISOString().slice(0, 10)}: ${machine}.`, '', markdownTables(results), '```text', chart, '```', ''].join('\n');
console.log(text);

if (args.includes('--write-readme')) {
  const readme = fileURLToPath(new URL('../README.md', import.meta.url));
  const start = '<!-- ring-bench:start -->';
  const end = '<!-- ring-bench:end -->';
  const current = readFileSync(readme, 'utf8');
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md has no ${start} ... ${end} block`);
  writeFileSync(readme, `${current.slice(0, from + start.length)}\n${text}\n${current.slice(to)}`);
  console.error('README.md updated');
}
