/**
 * The layout oracle: a generated corpus of struct, union, nested, array, pack, endian, align,
 * extend and bit-field definitions, compared with Python ctypes (fed the emitted toCtypes code) and
 * with GCC (fed the emitted toCHeader code). Bit fields and align > 16 are judged by GCC alone.
 */
import { findPython, hasCommand, makeTmpDir } from '@shmkit/testkit';
import { afterAll, describe, expect, test } from 'vitest';
import type { AnyStructType } from '../src/index.js';
import { makeCorpus } from './support/corpus.js';
import { plainLeaves, runCOracle, runPythonOracle } from './support/oracle.js';
import { patternWrites } from './support/patterns.js';

const SEED = Number(process.env.SHMKIT_STRUCT_ORACLE_SEED ?? 20240611);
const corpus = makeCorpus(SEED, 560, 260);
const python = findPython();
const cc = hasCommand('cc');
const tmp = makeTmpDir('shmkit-struct-oracle-');
afterAll(() => tmp.remove());

if (!python) console.warn('layout oracle: python3 not found, skipping the ctypes comparison');
if (!cc) console.warn('layout oracle: cc not found, skipping the GCC comparison');

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

function describeType(t: AnyStructType): string {
  return JSON.stringify(t.toSchema());
}

describe('layout oracle', () => {
  test('the corpus is large and varied enough', () => {
    const plain = corpus.filter((e) => !e.gccOnly);
    expect(plain.length).toBeGreaterThanOrEqual(500);
    const schemas = corpus.map((e) => describeType(e.type));
    for (const needle of ['"pack"', '"endian":"big"', '"align"', '"base"', '"kind":"union"', '"bits"', '"array"', '"chars"', '"wchars"', '"bytes"']) {
      expect(schemas.filter((s) => s.includes(needle)).length, needle).toBeGreaterThan(10);
    }
  });

  test.skipIf(!python)('Python ctypes agrees on size, alignment and every field offset', () => {
    const entries = corpus.filter((e) => !e.gccOnly);
    const measured = runPythonOracle(python!, tmp.path, entries.map((e) => e.type));
    const mismatches: string[] = [];
    entries.forEach(({ type }, i) => {
      const m = measured[i]!;
      const ours = { size: type.size, align: type.align, offsets: plainLeaves(type).map((l) => l.offset) };
      if (JSON.stringify(ours) !== JSON.stringify(m)) {
        mismatches.push(`${type.name}: ours ${JSON.stringify(ours)} ctypes ${JSON.stringify(m)}\n  ${describeType(type)}`);
      }
    });
    expect(mismatches.slice(0, 5)).toEqual([]);
  });

  test.skipIf(!cc)('GCC agrees on size, alignment, offsets, bit-field bits and stored bytes', () => {
    const types = corpus.map((e) => e.type);
    const patterns = types.map(patternWrites);
    let measured: ReturnType<typeof runCOracle>;
    let assertFailure = '';
    try {
      // The emitted headers carry _Static_assert checks of every size, alignment and offset.
      measured = runCOracle(tmp.path, types, patterns, true);
    } catch (e) {
      // A failing assertion stops the compile: measure without them to show what differs.
      assertFailure = String((e as { stderr?: unknown }).stderr ?? e).slice(0, 2000);
      measured = runCOracle(tmp.path, types, patterns, false);
    }
    const mismatches: string[] = [];
    types.forEach((type, i) => {
      const m = measured[i]!;
      const where = `${type.name}\n  ${describeType(type)}`;
      if (m.size !== type.size || m.align !== type.align) {
        mismatches.push(`${where}\n  size/align ours ${type.size}/${type.align} gcc ${m.size}/${m.align}`);
        return;
      }
      const offsets = plainLeaves(type).map((l) => l.offset);
      if (JSON.stringify(offsets) !== JSON.stringify(m.offsets)) {
        mismatches.push(`${where}\n  offsets ours ${offsets} gcc ${m.offsets}`);
        return;
      }
      const bitLeaves = type.layout().filter((l) => l.bitWidth !== undefined);
      bitLeaves.forEach((leaf, k) => {
        const buf = new Uint8Array(type.size);
        type.set(buf, leaf.path, -1);
        if (hex(buf) !== m.bitDumps[k]) mismatches.push(`${where}\n  bits ${leaf.path}: ours ${hex(buf)} gcc ${m.bitDumps[k]}`);
      });
      const buf = new Uint8Array(type.size);
      for (const w of patterns[i]!) type.set(buf, w.path, w.ts);
      if (hex(buf) !== m.patternDump) mismatches.push(`${where}\n  values: ours ${hex(buf)}\n          gcc  ${m.patternDump}`);
    });
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(assertFailure).toBe('');
  });
});

