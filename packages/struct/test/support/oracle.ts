/**
 * Batch oracles for the layout test: one Python run (ctypes, fed the emitted toCtypes code) and one
 * C compile (GCC, fed the emitted toCHeader code) for a whole corpus.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AnyStructType, LayoutLeaf } from '../../src/index.js';

export interface Measured {
  size: number;
  align: number;
  /** Offsets of the non-bit-field leaves, in layout() order. */
  offsets: number[];
}

export function plainLeaves(t: AnyStructType): LayoutLeaf[] {
  return t.layout().filter((l) => l.bitWidth === undefined);
}

const PY_WALKER = `
import ctypes, json, sys

def field_type(cls, name):
    for klass in cls.__mro__:
        for entry in klass.__dict__.get('_fields_', []):
            if entry[0] == name:
                return entry[1]
        for anon in klass.__dict__.get('_anonymous_', []):
            inner = field_type(dict((e[0], e[1]) for e in klass.__dict__['_fields_'])[anon], name)
            if inner is not None:
                return inner
    return None

def offset_of(cls, path):
    off, t = 0, cls
    for seg in path:
        if isinstance(seg, int):
            t = t._type_
            off += seg * ctypes.sizeof(t)
        else:
            off += getattr(t, seg).offset
            t = field_type(t, seg)
    return off

jobs = json.load(open(sys.argv[1]))
out = []
for job in jobs:
    ns = {}
    exec(job['code'], ns)
    cls = ns[job['name']]
    out.append([ctypes.sizeof(cls), ctypes.alignment(cls), [offset_of(cls, p) for p in job['paths']]])
json.dump(out, sys.stdout)
`;

function pathSegments(path: string): Array<string | number> {
  return path.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

export function runPythonOracle(python: string, dir: string, types: AnyStructType[]): Measured[] {
  const jobs = types.map((t) => ({
    name: t.name,
    code: t.toCtypes(),
    paths: plainLeaves(t).map((l) => pathSegments(l.path)),
  }));
  const jobsFile = join(dir, 'jobs.json');
  const script = join(dir, 'oracle.py');
  writeFileSync(jobsFile, JSON.stringify(jobs));
  writeFileSync(script, PY_WALKER);
  const stdout = execFileSync(python, [script, jobsFile], { encoding: 'utf8', maxBuffer: 256 << 20, timeout: 60_000 });
  return (JSON.parse(stdout) as Array<[number, number, number[]]>).map(([size, align, offsets]) => ({ size, align, offsets }));
}

/** `a.b.3.c` -> `a.b[3].c` */
export function cDesignator(path: string): string {
  return path
    .split('.')
    .map((s, i) => (/^\d+$/.test(s) ? `[${s}]` : i === 0 ? s : `.${s}`))
    .join('');
}

export interface PatternWrite {
  path: string;
  ts: unknown;
  c: string;
}

export interface CMeasured extends Measured {
  /** Hex dump after setting each bit field alone to all ones (layout() order of bit leaves). */
  bitDumps: string[];
  /** Hex dump after writing the pattern values in order. */
  patternDump: string;
}

export function runCOracle(
  dir: string,
  types: AnyStructType[],
  patterns: PatternWrite[][],
  withAsserts: boolean,
): CMeasured[] {
  const parts: string[] = [
    '#include <stdio.h>',
    '#include <stdint.h>',
    '#include <stddef.h>',
    '#include <string.h>',
    'static void dump(const void *p, size_t n) { const unsigned char *q = p; for (size_t i = 0; i < n; i++) printf("%02x", q[i]); printf("\\n"); }',
  ];
  const mains: string[] = [];
  types.forEach((t, i) => {
    parts.push(t.toCHeader({ guard: false, includes: false, asserts: withAsserts }));
    const T = t.name;
    const body: string[] = [`static void t${i}(void) {`, `  printf("S %zu %zu\\n", sizeof(${T}), _Alignof(${T}));`, '  printf("O");'];
    for (const leaf of plainLeaves(t)) body.push(`  printf(" %zu", offsetof(${T}, ${cDesignator(leaf.path)}));`);
    body.push('  printf("\\n");');
    for (const leaf of t.layout()) {
      if (leaf.bitWidth === undefined) continue;
      body.push(`  { ${T} s; memset(&s, 0, sizeof s); s.${cDesignator(leaf.path)} = -1; printf("B "); dump(&s, sizeof s); }`);
    }
    body.push(`  { ${T} s; memset(&s, 0, sizeof s);`);
    for (const w of patterns[i]!) body.push(`    s.${cDesignator(w.path)} = ${w.c};`);
    body.push('    printf("V "); dump(&s, sizeof s); }');
    body.push('}');
    parts.push(body.join('\n'));
    mains.push(`  t${i}(); printf("END\\n");`);
  });
  parts.push(`int main(void) {\n${mains.join('\n')}\n  return 0;\n}`);
  const source = join(dir, 'oracle.c');
  const binary = join(dir, 'oracle');
  writeFileSync(source, parts.join('\n\n'));
  execFileSync('cc', ['-std=gnu11', '-O0', '-w', '-o', binary, source], { encoding: 'utf8', timeout: 120_000, stdio: 'pipe' });
  const stdout = execFileSync(binary, [], { encoding: 'utf8', maxBuffer: 256 << 20, timeout: 60_000 });
  const blocks = stdout.split('END\n').slice(0, types.length);
  return blocks.map((block) => {
    const lines = block.trim().split('\n');
    const [, size, align] = lines[0]!.split(' ');
    const offsets = lines[1]!.split(' ').slice(1).map(Number);
    const bitDumps = lines.filter((l) => l.startsWith('B ')).map((l) => l.slice(2));
    const patternDump = lines.find((l) => l.startsWith('V '))?.slice(2) ?? '';
    return { size: Number(size), align: Number(align), offsets, bitDumps, patternDump };
  });
}
