/** JSON schemas: toSchema() / fromSchema() round trips, aliases, sharing, and clear errors. */
import { describe, expect, test } from 'vitest';
import { StructError, fromSchema } from '../src/index.js';
import { makeCorpus } from './support/corpus.js';
import { Demo } from './fixtures/demo.js';

describe('schemas', () => {
  test('fromSchema(toSchema(T)) has the same layout and schema, through JSON text', () => {
    for (const { type } of makeCorpus(7, 150, 100)) {
      const again = fromSchema(JSON.parse(JSON.stringify(type.toSchema())));
      expect([again.size, again.align, again.kind]).toEqual([type.size, type.align, type.kind]);
      expect(again.layout()).toEqual(type.layout());
      expect(again.toSchema()).toEqual(type.toSchema());
    }
  });

  test('the documented form, with c_ aliases', () => {
    const T = fromSchema({
      name: 'Demo',
      kind: 'struct',
      pack: 8,
      endian: 'little',
      fields: [
        ['a', 'int32'],
        ['s', { chars: 16 }],
        ['b', { bytes: 4 }],
        ['w', { wchars: 4 }],
        ['p', { array: 'float64', length: 3 }],
        ['n', { name: 'Inner', kind: 'union', fields: [['l', 'c_long'], ['c', 'c_char']] }],
        ['f', { bits: 'uint32', width: 3 }],
        ['g', { bits: 'c_uint', width: 5 }],
      ],
    });
    expect(T.layout().map((l) => [l.path, l.offset, l.type])).toEqual([
      ['a', 0, 'int32'],
      ['s', 4, 'chars'],
      ['b', 20, 'bytes'],
      ['w', 24, 'wchars'],
      ['p.0', 40, 'float64'],
      ['p.1', 48, 'float64'],
      ['p.2', 56, 'float64'],
      ['n.l', 64, 'int64'],
      ['n.c', 64, 'char'],
      ['f', 72, 'uint32'],
      ['g', 72, 'uint32'],
    ]);
    expect(T.size).toBe(80);
    const buf = new Uint8Array(T.size);
    const v = T.view(buf);
    v.n.l = 5n; // inferred from the schema literal: bigint
    v.s = 'typed';
    expect(T.read(buf).n.c).toBe('\x05');
  });

  test('a schema object used twice becomes one type (emitted once)', () => {
    const point = { name: 'Pt', fields: [['x', 'float64'], ['y', 'float64']] } as const;
    const T = fromSchema({ name: 'Line', fields: [['a', point], ['b', point]] });
    expect(T.fields.a).toBe(T.fields.b);
    expect(T.toCHeader().match(/^struct Pt \{/gm)).toHaveLength(1);
  });

  test('Demo via its schema is 688 bytes', () => {
    expect(fromSchema(Demo.toSchema()).size).toBe(688);
    expect(Demo.toSchema()).toMatchObject({ name: 'DemoMmapStructure', kind: 'struct', endian: 'little' });
  });

  test.each([
    ['not an object', 42],
    ['no fields', { name: 'S' }],
    ['bad kind', { name: 'S', kind: 'class', fields: [] }],
    ['unknown key', { name: 'S', fields: [], packed: 1 }],
    ['bad pair', { name: 'S', fields: [['a']] }],
    ['unknown type name', { name: 'S', fields: [['a', 'int33']] }],
    ['bad chars length', { name: 'S', fields: [['a', { chars: -1 }]] }],
    ['extra key in a type', { name: 'S', fields: [['a', { chars: 2, bytes: 3 }]] }],
    ['unknown type object', { name: 'S', fields: [['a', { pointer: 'int32' }]] }],
    ['bits of a float', { name: 'S', fields: [['a', { bits: 'float32', width: 2 }]] }],
    ['array of bits', { name: 'S', fields: [['a', { array: { bits: 'uint8', width: 2 }, length: 2 }]] }],
    ['bad pack', { name: 'S', pack: 3, fields: [['a', 'int32']] }],
    ['duplicate names', { name: 'S', fields: [['a', 'int32'], ['a', 'int8']] }],
    ['union with a base', { name: 'U', kind: 'union', base: { name: 'B', fields: [] }, fields: [] }],
  ])('invalid: %s', (_label, schema) => {
    let err: unknown;
    try {
      fromSchema(schema as any);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StructError);
    expect((err as StructError).code).toBe('ERR_SHMKIT_STRUCT_INVALID_SCHEMA');
    expect((err as StructError).message).toMatch(/^schema root/);
  });
});
