/**
 * Random struct / union definitions for the layout oracle: scalars of every kind, nested structs
 * and unions, arrays (nested, of structs, zero-length), chars / bytes / wchars, pack, big-endian,
 * align, extend() and, in the bit-field share, runs of bit fields of every width and type.
 */
import {
  type AnyStructType,
  type ElementType,
  type FieldType,
  type IntegerName,
  type Pack,
  type ScalarType,
  type StructOptions,
  array,
  bits,
  bool,
  bytes,
  char,
  chars,
  float32,
  float64,
  int8,
  int16,
  int32,
  int64,
  struct,
  uint8,
  uint16,
  uint32,
  uint64,
  union,
  wchar,
  wchars,
} from '../../src/index.js';
import { Random } from './random.js';

const SCALARS: ScalarType[] = [int8, uint8, int16, uint16, int32, uint32, int64, uint64, float32, float64, bool, char, wchar];
const INTEGERS: ScalarType<IntegerName>[] = [int8, uint8, int16, uint16, int32, uint32, int64, uint64];
const PACKS: Pack[] = [1, 2, 4, 8, 16];

export interface CorpusEntry {
  readonly type: AnyStructType;
  /** Contains bit fields or align > 16: judged by GCC only. */
  readonly gccOnly: boolean;
}

class Generator {
  private count = 0;

  constructor(
    private readonly rnd: Random,
    private readonly prefix: string,
    private readonly withBits: boolean,
    private readonly allowUnions = true,
  ) {}

  private nextName(): string {
    this.count += 1;
    return `${this.prefix}_N${this.count}`;
  }

  private options(): StructOptions {
    const o: StructOptions = {};
    if (this.rnd.chance(0.25)) o.pack = this.rnd.pick(PACKS);
    if (this.rnd.chance(0.15)) o.endian = 'big';
    if (this.rnd.chance(0.1)) o.align = this.rnd.pick(this.withBits ? [2, 4, 8, 16, 32, 64] : [2, 4, 8, 16]);
    return o;
  }

  element(depth: number): ElementType {
    const r = this.rnd.next();
    if (r < 0.55 || depth >= 3) return this.rnd.pick(SCALARS);
    if (r < 0.68) {
      const length = this.rnd.chance(0.05) ? 0 : this.rnd.int(1, 5);
      return array(this.element(depth + 1), length);
    }
    if (r < 0.74) return chars(this.rnd.int(1, 20));
    if (r < 0.78) return bytes(this.rnd.int(1, 12));
    if (r < 0.81) return wchars(this.rnd.int(1, 5));
    return this.composite(depth + 1);
  }

  private fields(depth: number, kind: 'struct' | 'union', prefix = 'f'): Array<[string, FieldType]> {
    const out: Array<[string, FieldType]> = [];
    const n = this.rnd.int(1, depth === 0 ? 9 : 5);
    for (let i = 0; i < n; i++) {
      if (this.withBits && this.rnd.chance(kind === 'union' ? 0.3 : 0.45)) {
        // A run of bit fields, often of one declared type (as in real code).
        const run = kind === 'union' ? 1 : this.rnd.int(1, 5);
        let storage = this.rnd.pick(INTEGERS);
        for (let j = 0; j < run; j++) {
          if (this.rnd.chance(0.3)) storage = this.rnd.pick(INTEGERS);
          const max = storage.size * 8;
          const width = this.rnd.chance(0.15) ? max : this.rnd.int(1, Math.min(max, this.rnd.chance(0.5) ? 7 : max));
          out.push([`${prefix}${out.length}`, bits(storage, width)]);
        }
        continue;
      }
      out.push([`${prefix}${out.length}`, this.element(depth)]);
    }
    return out;
  }

  composite(depth: number): AnyStructType {
    const kind = this.allowUnions && this.rnd.chance(0.2) ? 'union' : 'struct';
    const make = kind === 'union' ? union : struct;
    return make(this.nextName(), this.fields(depth, kind), this.options());
  }

  root(name: string): AnyStructType {
    const kind = this.allowUnions && this.rnd.chance(0.15) ? 'union' : 'struct';
    if (kind === 'struct' && this.rnd.chance(0.15)) {
      const base = struct(`${name}_Base`, this.fields(1, 'struct'), this.options());
      const o = this.options();
      delete o.endian;
      const derived = base.extend(`${name}_Mid`, this.fields(1, 'struct', 'm'), o);
      if (this.rnd.chance(0.3)) return derived.extend(name, this.fields(1, 'struct', 'r'));
      return derived.extend(name, []);
    }
    const make = kind === 'union' ? union : struct;
    return make(name, this.fields(0, kind), this.options());
  }
}

/** `plain` definitions without bit fields (ctypes and GCC), then `withBits` with (GCC only). */
export function makeCorpus(seed: number, plain: number, withBits: number): CorpusEntry[] {
  const rnd = new Random(seed);
  const out: CorpusEntry[] = [];
  for (let i = 0; i < plain + withBits; i++) {
    const bitsShare = i >= plain;
    const name = `D${i}`;
    out.push({ type: new Generator(rnd, name, bitsShare).root(name), gccOnly: bitsShare });
  }
  return out;
}

/** One random struct type without unions (so every byte written has one meaning), for round trips. */
export function makeStructType(seed: number, withBits: boolean): AnyStructType {
  return new Generator(new Random(seed), `R${seed}`, withBits, false).root(`R${seed}`);
}
