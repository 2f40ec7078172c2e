/** One measured number. Scenarios return these; run.ts takes the median over rounds and prints them. */
export interface Measurement {
  /** Stable identifier, also used by other rows' `versus`. */
  id: string;
  /** Table section, e.g. 'Throughput' or 'Round trip'. */
  section: string;
  label: string;
  value: number;
  unit: string;
  better: 'higher' | 'lower';
  /** Ids of rows this one is compared with (a ratio is printed for each). */
  versus?: string[];
  /** Goals from the issue: absolute (min/max) or relative to another row (factor × its value). */
  goals?: Goal[];
  /** Whether this row is a baseline (printed in italics in the chart). */
  baseline?: boolean;
  /** Filled in by medians(): the best value over the rounds, and how many rounds there were. */
  best?: number;
  rounds?: number;
}

export interface Goal {
  text: string;
  min?: number;
  max?: number;
  /** With `factor`: higher-better rows need value >= factor * that row; lower-better, value <= factor * that row. */
  relativeTo?: string;
  factor?: number;
}

export interface Scenario {
  name: string;
  run(): Promise<Measurement[]>;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Collapses repeated measurements of the same id into their median (keeping first-seen order). */
export function medians(all: Measurement[]): Measurement[] {
  const byId = new Map<string, Measurement[]>();
  for (const m of all) byId.set(m.id, [...(byId.get(m.id) ?? []), m]);
  return [...byId.values()].map((ms) => {
    const values = ms.map((m) => m.value);
    const best = ms[0]!.better === 'higher' ? Math.max(...values) : Math.min(...values);
    return { ...ms[0]!, value: median(values), best, rounds: values.length };
  });
}

export function formatValue(m: Pick<Measurement, 'value' | 'unit'>): string {
  const { value, unit } = m;
  if (unit === 'M/s') return `${(value / 1e6).toFixed(value >= 1e8 ? 0 : value >= 1e7 ? 1 : 2)} M/s`;
  if (unit === 'µs') return value >= 100 ? `${value.toFixed(0)} µs` : `${value.toFixed(value >= 10 ? 1 : 2)} µs`;
  if (unit === 'ns') return `${value.toFixed(0)} ns`;
  if (unit === '%') return `${value.toFixed(1)} %`;
  return `${value} ${unit}`;
}

function ratio(m: Measurement, other: Measurement): string {
  const r = m.better === 'higher' ? m.value / other.value : other.value / m.value;
  const text = r >= 10 ? r.toFixed(0) : r >= 1 ? r.toFixed(1) : r.toFixed(2);
  return `${text}× ${other.label}`;
}

function goalMet(m: Measurement, goal: Goal, byId: Map<string, Measurement>): boolean | undefined {
  if (goal.min !== undefined && m.value < goal.min) return false;
  if (goal.max !== undefined && m.value > goal.max) return false;
  if (goal.relativeTo !== undefined) {
    const other = byId.get(goal.relativeTo);
    if (other === undefined) return undefined;
    const limit = (goal.factor ?? 1) * other.value;
    return m.better === 'higher' ? m.value >= limit : m.value <= limit;
  }
  return true;
}

function goalCell(m: Measurement, byId: Map<string, Measurement>): string {
  return (m.goals ?? [])
    .map((goal) => {
      const met = goalMet(m, goal, byId);
      return `${goal.text} ${met === undefined ? '(no reference)' : met ? '✅' : '❌'}`;
    })
    .join('; ');
}

/** Markdown tables, one per section: value, goal, and ratios against the rows it names. */
export function markdownTables(ms: Measurement[]): string {
  const byId = new Map(ms.map((m) => [m.id, m]));
  const sections = [...new Set(ms.map((m) => m.section))];
  const out: string[] = [];
  for (const section of sections) {
    out.push(
      `**${section}**`,
      '',
      '| case | median | best | goal (on the median) | median against the same run (higher = shmkit better) |',
      '|---|---:|---:|---|---|',
    );
    for (const m of ms.filter((x) => x.section === section)) {
      const ratios = (m.versus ?? []).map((id) => byId.get(id)).filter((x): x is Measurement => x !== undefined);
      const label = m.baseline ? `*${m.label}*` : m.label;
      const best = m.best === undefined || (m.rounds ?? 1) < 2 ? '' : formatValue({ value: m.best, unit: m.unit });
      out.push(`| ${label} | ${formatValue(m)} | ${best} | ${goalCell(m, byId)} | ${ratios.map((o) => ratio(m, o)).join(', ')} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

/** A horizontal bar chart (Unicode blocks) of one section, scaled to its largest value. */
export function barChart(ms: Measurement[], section: string, width = 40): string {
  const rows = ms.filter((m) => m.section === section);
  if (rows.length === 0) return '';
  const max = Math.max(...rows.map((m) => m.value));
  const labelWidth = Math.max(...rows.map((m) => m.label.length));
  const blocks = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
  return rows
    .map((m) => {
      const eighths = Math.round((m.value / max) * width * 8);
      const bar = '█'.repeat(Math.floor(eighths / 8)) + blocks[eighths % 8]!;
      return `${m.label.padEnd(labelWidth)} │${bar} ${formatValue(m)}`;
    })
    .join('\n');
}
