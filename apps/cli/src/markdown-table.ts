/** One markdown table found in a text: its header cells and data rows. */
export interface ParsedTable {
  header: string[];
  rows: string[][];
}

function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((c) => c.trim());
}

const SEPARATOR = /^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/;

/** Finds the markdown tables (header line, `|---|` line, rows) in a program's output. */
export function parseMarkdownTables(text: string): ParsedTable[] {
  const lines = text.split(/\r?\n/);
  const tables: ParsedTable[] = [];
  for (let i = 0; i + 1 < lines.length; i++) {
    const head = lines[i]!.trim();
    if (!head.startsWith('|') || !SEPARATOR.test(lines[i + 1]!.trim())) continue;
    const table: ParsedTable = { header: cells(head), rows: [] };
    let j = i + 2;
    while (j < lines.length && lines[j]!.trim().startsWith('|')) {
      table.rows.push(cells(lines[j]!));
      j += 1;
    }
    tables.push(table);
    i = j - 1;
  }
  return tables;
}

/** Renders rows as an aligned markdown table. */
export function renderMarkdownTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]) => `| ${widths.map((w, c) => (r[c] ?? '').padEnd(w)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}
