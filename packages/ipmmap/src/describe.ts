import type { AnyStructType, LayoutLeaf } from '@shmkit/struct';

interface Row {
  offset: number;
  size: number;
  type: string;
  field: string;
  count: number;
  stride: number;
}

/**
 * A table of the struct's fields: offset, size, type and path, one row per field, with array
 * elements folded into one row (`multi_pts.multi_points[i].x  ×24, stride 16`) and the padding
 * between fields shown where it is.
 */
export function describeStruct(type: AnyStructType, structName: string): string {
  const leaves = type.layout();
  const fields = foldRuns(
    leaves.map((leaf) => ({
      offset: leaf.offset,
      size: leaf.size,
      type: typeName(leaf),
      field: leaf.path.replace(/\.(\d+)(?=\.|$)/g, '[i]'),
      count: 1,
      stride: 0,
    })),
  );
  // Padding repeats with a stride only inside arrays of structs; two gaps of the same size elsewhere
  // are a coincidence, so only runs of three or more are folded.
  const padding = foldRuns(
    gaps(type.size, leaves).map((g) => ({ ...g, type: '(padding)', field: '', count: 1, stride: 0 })),
    3,
  );
  const rows = [...fields, ...padding].sort((a, b) => a.offset - b.offset);
  const lines = rows.map(
    (r) =>
      `${String(r.offset).padStart(7)}  ${String(r.size).padStart(5)}  ${r.type.padEnd(12)}  ${r.field}` +
      (r.count > 1 ? `${r.field ? '  ' : ''}×${r.count}, stride ${r.stride}` : ''),
  ).map((line) => line.trimEnd());
  return [`${structName}: ${type.size} bytes, alignment ${type.align}`, ' offset   size  type          field', ...lines].join(
    '\n',
  );
}

/** Byte ranges no leaf covers. */
function gaps(size: number, leaves: readonly LayoutLeaf[]): Array<{ offset: number; size: number }> {
  const covered = new Uint8Array(size);
  for (const leaf of leaves) covered.fill(1, leaf.offset, leaf.offset + leaf.size);
  const out: Array<{ offset: number; size: number }> = [];
  for (let i = 0; i < size; ) {
    if (covered[i]) {
      i += 1;
      continue;
    }
    const start = i;
    while (i < size && !covered[i]) i += 1;
    out.push({ offset: start, size: i - start });
  }
  return out;
}

/** Folds rows with the same field name and size repeating at a constant stride into one row. */
function foldRuns(rows: Row[], minCount = 2): Row[] {
  const byField = new Map<string, Row[]>();
  for (const row of rows) {
    const key = `${row.field}\0${row.size}\0${row.type}`;
    const list = byField.get(key) ?? [];
    list.push(row);
    byField.set(key, list);
  }
  const out: Row[] = [];
  for (const list of byField.values()) {
    let run: Row | null = null;
    for (const row of list) {
      if (run && (run.count === 1 || row.offset - run.offset === run.stride * run.count)) {
        if (run.count === 1) run.stride = row.offset - run.offset;
        if (row.offset - run.offset === run.stride * run.count) {
          run.count += 1;
          continue;
        }
      }
      if (run) out.push(...unfold(run, minCount));
      run = { ...row };
    }
    if (run) out.push(...unfold(run, minCount));
  }
  return out;
}

function unfold(run: Row, minCount: number): Row[] {
  if (run.count === 1 || run.count >= minCount) return [run];
  return Array.from({ length: run.count }, (_, i) => ({ ...run, offset: run.offset + i * run.stride, count: 1, stride: 0 }));
}

function typeName(leaf: LayoutLeaf): string {
  if (leaf.bitWidth !== undefined) return `${leaf.type}:${leaf.bitWidth}@${leaf.bitOffset ?? 0}`;
  if (leaf.type === 'chars' || leaf.type === 'bytes') return `${leaf.type}[${leaf.size}]`;
  if (leaf.type === 'wchars') return `wchars[${leaf.size / 4}]`;
  return leaf.type;
}
