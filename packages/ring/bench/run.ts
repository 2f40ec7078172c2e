// pnpm bench [--rounds N] [--only text] [--write-readme]
//
// Runs every scenario (two real processes each, pinned to CPUs 0 and 1 with taskset when
// available), round-robin for N rounds (default 3), and prints the median of each measurement as
// markdown tables with ratios against the baselines measured in the same run, plus a bar chart.
// --write-readme replaces the blocks between the bench markers in README.md with the result.
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { canPin } from './lib/procs.js';
import { barChart, type Measurement, markdownTables, medians, type Scenario } from './lib/report.js';
import { benchOptions, runRounds } from './lib/rounds.js';
import { baselineScenarios } from './scenarios/baseline-scenarios.js';
import { ringScenarios, THROUGHPUT } from './scenarios/ring.js';
import { messageRingScenarios } from './message-ring-scenarios.js';

// Scenario lists, one per structure; new structures append their list here.
const scenarios: Scenario[] = [...ringScenarios, ...baselineScenarios, ...messageRingScenarios];

const { rounds, only, writeReadme } = benchOptions();
// The machine is shared: start each case only once other work has calmed down (or 30 s passed).
const { all, runs, quietRuns } = await runRounds(scenarios, { rounds, only, waitForQuiet: true });

const results = medians(all);
const machine =
  `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${canPin() ? 'pinned to CPUs 0 and 1 (taskset)' : 'unpinned'}, ` +
  `median and best of ${rounds} interleaved round(s); ${quietRuns} of ${runs} cases started with < 10 % of the CPUs busy with other work ` +
  `(load average ${loadavg()[0]!.toFixed(1)} at the end)`;
const header = `Measured ${new Date().toISOString().slice(0, 10)}: ${machine}.`;

// README blocks: each section goes to the first block that takes it.
const blocks = [
  { marker: 'message-ring-bench', takes: (section: string) => section.startsWith('MessageRing'), chart: undefined },
  { marker: 'ring-bench', takes: () => true, chart: THROUGHPUT },
];
const texts = new Map<string, string>();
const placed = new Set<Measurement>();
for (const block of blocks) {
  const ms = results.filter((m) => !placed.has(m) && block.takes(m.section));
  for (const m of ms) placed.add(m);
  if (ms.length === 0) continue;
  const chart = block.chart === undefined ? '' : barChart(ms, block.chart);
  texts.set(block.marker, [header, '', markdownTables(ms), ...(chart ? ['```text', chart, '```', ''] : [])].join('\n'));
}
console.log([...texts.values()].join('\n'));

if (writeReadme) {
  const readme = fileURLToPath(new URL('../README.md', import.meta.url));
  let current = readFileSync(readme, 'utf8');
  for (const [marker, text] of texts) {
    const start = `<!-- ${marker}:start -->`;
    const end = `<!-- ${marker}:end -->`;
    const from = current.indexOf(start);
    const to = current.indexOf(end);
    if (from < 0 || to < from) {
      console.error(`README.md has no ${start} ... ${end} block; not written`);
      continue;
    }
    current = `${current.slice(0, from + start.length)}\n${text}\n${current.slice(to)}`;
  }
  writeFileSync(readme, current);
  console.error('README.md updated');
}
