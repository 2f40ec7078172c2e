/** Deterministic values for every scalar and bit-field leaf, as TS values and as C literals. */
import type { AnyStructType } from '../../src/index.js';
import type { PatternWrite } from './oracle.js';

const C_TYPE: Record<string, string> = {
  int8: 'int8_t',
  uint8: 'uint8_t',
  int16: 'int16_t',
  uint16: 'uint16_t',
  int32: 'int32_t',
  uint32: 'uint32_t',
  int64: 'int64_t',
  uint64: 'uint64_t',
};

function integerPattern(k: number, bitsWide: number, signed: boolean): bigint {
  const raw = BigInt.asUintN(bitsWide, BigInt(k + 1) * 0x9e3779b97f4a7c15n + 0x1234n);
  return signed ? BigInt.asIntN(bitsWide, raw) : raw;
}

export function patternWrites(t: AnyStructType): PatternWrite[] {
  const out: PatternWrite[] = [];
  t.layout().forEach((leaf, k) => {
    const cType = C_TYPE[leaf.type];
    if (cType) {
      const declared = leaf.type;
      const signed = declared.startsWith('int');
      const width = leaf.bitWidth ?? Number(declared.replace(/\D/g, ''));
      const value = integerPattern(k, width, signed);
      const is64 = declared.endsWith('64');
      const c = `(${cType})${BigInt.asUintN(64, value)}ULL`;
      out.push({ path: leaf.path, ts: is64 ? value : Number(value), c });
      return;
    }
    switch (leaf.type) {
      case 'float32':
        out.push({ path: leaf.path, ts: k + 0.5, c: `${k}.5` });
        return;
      case 'float64':
        out.push({ path: leaf.path, ts: k * 1.25 - 3, c: `(${k} * 1.25 - 3)` });
        return;
      case 'bool':
        out.push({ path: leaf.path, ts: k % 2 === 1, c: String(k % 2) });
        return;
      case 'char':
        out.push({ path: leaf.path, ts: String.fromCharCode(65 + (k % 26)), c: String(65 + (k % 26)) });
        return;
      case 'wchar':
        out.push({ path: leaf.path, ts: String.fromCodePoint(0x1f600 + (k % 50)), c: String(0x1f600 + (k % 50)) });
        return;
      default:
      // chars / bytes / wchars fields: covered by the round-trip tests.
    }
  });
  return out;
}
