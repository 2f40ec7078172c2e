import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DataStructMmapEditor, DataStructMmapManager, DataStructMmapReader, DemoMmapStructure } from '../src/index.js';
import { MixedMmapStructure, SampleMmapStructure } from './fixtures/structs.js';
import { ipmmapDirs } from './helpers.js';
import { peer, peerJson, python, SKIP_REASON } from './peer.js';

interface PeerRead {
  time_stamp: number;
  data: any;
  raw: string;
  file_size: number;
}

describe.skipIf(!python)('byte interop with Python (ctypes + mmap + fasteners, ipmmap layout)', () => {
  it('opens a file Python created: size, header code and time stamp agree', () => {
    using dirs = ipmmapDirs();
    const created = peerJson<{ path: string; time_stamp: number }>(dirs, ['create', '--force']);
    using reader = new DataStructMmapReader(DemoMmapStructure, dirs);
    expect(reader.mmapFilePath).toBe(created.path);
    using s = reader.open();
    expect(s.getLastUpdate()).toBe(created.time_stamp);
    expect(s.readData('header.header_code')).toBe(0x1128);
  });

  it('creates the image Python creates (all but the time stamp), and Python reads it', () => {
    using ours = ipmmapDirs();
    using theirs = ipmmapDirs();
    using m = new DataStructMmapManager(DemoMmapStructure, { ...ours, create: true });
    peer(theirs, ['create']);
    const a = readFileSync(m.mmapFilePath);
    const b = readFileSync(new DataStructMmapReader(DemoMmapStructure, theirs).mmapFilePath);
    expect(a.length).toBe(b.length);
    expect(a.subarray(0, 8)).toEqual(b.subarray(0, 8));
    expect(a.subarray(16)).toEqual(b.subarray(16));
    const seen = peerJson<PeerRead>(ours, ['read']);
    expect(seen.time_stamp).toBe(a.readDoubleLE(8));
    expect(seen.file_size).toBe(688);
    expect(seen.data.data_int).toBe(0);
  });

  it('reads every demo field Python wrote, including a short string over a long one', () => {
    using dirs = ipmmapDirs();
    peer(dirs, ['create']);
    peer(dirs, ['write', JSON.stringify({ data_string: { bytes: '41'.repeat(256) } })]);
    const values: Record<string, unknown> = {
      data_int: 2 ** 31 + 5,
      data_string: { utf8: 'héllo' },
      'data_xy.x': 0.1,
      'data_xy.y': -1e300,
      'multi_pts.multi_data_int': -7,
    };
    for (let i = 0; i < 24; i += 5) {
      values[`multi_pts.multi_points.${i}.x`] = i + 0.5;
      values[`multi_pts.multi_points.${i}.y`] = -i;
    }
    const { time_stamp } = peerJson<{ time_stamp: number }>(dirs, ['write', JSON.stringify(values), '--stamp', '1700000000.123456']);
    const fromPython = peerJson<PeerRead>(dirs, ['read']);

    using reader = new DataStructMmapReader(DemoMmapStructure, dirs);
    using s = reader.open();
    expect(s.getLastUpdate()).toBe(time_stamp);
    expect(s.readData('data_int')).toBe(-(2 ** 31) + 5);
    expect(s.readData('data_string')).toBe('héllo');
    expect(s.readData('data_xy')).toEqual({ x: 0.1, y: -1e300 });
    expect(s.readData('multi_pts.multi_data_int')).toBe(-7);
    expect(s.readData('multi_pts.multi_points.20')).toEqual({ x: 20.5, y: -20 });
    expect(s.readMappedBytes().toString('hex')).toBe(fromPython.raw);
    // The bytes after the string's NUL are Python's old 'A's, untouched.
    expect(s.readMappedBytes().subarray(20 + 7, 30).toString('latin1')).toBe('AAA');
  });

  it('Python reads every demo field shmkit wrote', () => {
    using dirs = ipmmapDirs();
    using m = new DataStructMmapManager(DemoMmapStructure, { ...dirs, create: true });
    let raw = '';
    {
      using s = m.open();
      s.writeData('data_string', 'Z'.repeat(256));
      s.writeData('data_string', 'añb');
      s.writeData('data_int', -(2 ** 31) - 1);
      s.writeData('data_xy', { x: Math.PI, y: Number.MIN_VALUE });
      s.writeData('multi_pts.multi_data_int', 2 ** 31 - 1);
      for (let i = 0; i < 24; i++) s.writeData(`multi_pts.multi_points.${i}`, { x: i * 1.25, y: -i * 2.5 });
      s.updateLastUpdate(1712345678.987654);
      raw = s.readMappedBytes().toString('hex');
    }
    const py = peerJson<PeerRead>(dirs, ['read']);
    expect(py.raw).toBe(raw);
    expect(py.time_stamp).toBe(1712345678.987654);
    expect(py.data.data_int).toBe(2 ** 31 - 1);
    expect(Buffer.from(py.data.data_string.bytes, 'hex').toString('utf8')).toBe('añb');
    expect(py.data.data_xy).toEqual({ x: Math.PI, y: Number.MIN_VALUE });
    expect(py.data.multi_pts.multi_points[23]).toEqual({ x: 23 * 1.25, y: -23 * 2.5 });
  });

  it('float32, bool, char, wchar, long, arrays and wrapped integers agree both ways', () => {
    using dirs = ipmmapDirs();
    const mixed = { ...dirs, struct: 'MixedMmapStructure' };
    peer(mixed, ['create']);
    peer(mixed, [
      'write',
      JSON.stringify({ b: 5, c: { bytes: '41' }, w: '日本語', l: -(2 ** 40), f: 0.1, 'arr.1': 70000, u8: 300, ull: 2 ** 52 + 1 }),
      '--stamp',
      '1.5',
    ]);
    using editor = new DataStructMmapEditor(MixedMmapStructure, dirs);
    {
      using s = editor.open();
      expect(s.readData('b')).toBe(true);
      expect(s.readData('c')).toBe('A');
      expect(s.readData('w')).toBe('日本語');
      expect(s.readData('l')).toBe(BigInt(-(2 ** 40)));
      expect(s.readData('f')).toBe(0.10000000149011612);
      expect(s.readData('arr')).toEqual([0, 70000 - 65536, 0]);
      expect(s.readData('u8')).toBe(44);
      expect(s.readData('ull')).toBe(BigInt(2 ** 52 + 1));
      s.writeData('b', false);
      s.writeData('c', 'z');
      s.writeData('w', 'ab');
      s.writeData('l', 123n);
      s.writeData('f', 1 / 3);
      s.writeData('arr', [1, -2, 3]);
      s.writeData('u8', -1);
      s.writeData('ull', 2n ** 64n + 5n);
    }
    const py = peerJson<PeerRead>(mixed, ['read']);
    expect(py.data).toMatchObject({
      b: false,
      c: { bytes: '7a' },
      w: 'ab',
      l: 123,
      f: Math.fround(1 / 3),
      arr: [1, -2, 3],
      u8: 255,
      ull: 5,
    });
  });

  it('the upstream SampleMmapStructure (float32 after int32) round-trips', () => {
    using dirs = ipmmapDirs();
    const sample = { ...dirs, struct: 'SampleMmapStructure' };
    using m = new DataStructMmapManager(SampleMmapStructure, { ...dirs, create: true });
    {
      using s = m.open();
      s.writeData('test_data_int_32', 100);
      s.writeData('test_data_string_256', 'hello world');
      s.writeData('test_point_2d', { x: 10, y: 20 });
      s.writeData('test_data_double', 0.1);
    }
    const py = peerJson<PeerRead>(sample, ['read']);
    expect(py.file_size).toBe(296);
    expect(py.data.test_data_int_32).toBe(100);
    expect(py.data.test_data_double).toBe(Math.fround(0.1));
    expect(Buffer.from(py.data.test_data_string_256.bytes, 'hex').toString()).toBe('hello world');
    expect(py.data.test_point_2d).toEqual({ x: 10, y: 20 });
  });
});

if (!python) describe.skip(SKIP_REASON, () => it('skipped', () => {}));
