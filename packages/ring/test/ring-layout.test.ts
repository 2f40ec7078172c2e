import { describe, expect, it } from 'vitest';
import { Ring } from '../src/index.js';
import { codeOf } from './ring-harness.js';
import { HEADER_BYTES, RING_LAYOUT_VERSION, W_CAPACITY, W_VERSION } from '../src/ring-layout.js';
import { createSharedFile } from '../bench/lib/shared-file.js';
import { munmap } from '@shmkit/sys';


describe('Ring layout', () => {
  it('sizeFor: header, registry and sequence numbers only where needed, everything in whole cache lines', () => {
    expect(Ring.sizeFor({ capacity: 1024 })).toBe(HEADER_BYTES + 1024 * 8);
    expect(Ring.sizeFor({ capacity: 1, elementSize: 4 })).toBe(HEADER_BYTES + 64);
    expect(Ring.sizeFor({ capacity: 16, elementSize: 64, mode: 'spsc' })).toBe(HEADER_BYTES + 1024);
    // mpmc: 64 registry lines + one sequence word per slot.
    expect(Ring.sizeFor({ capacity: 1024, mode: 'mpmc' })).toBe(HEADER_BYTES + 64 * 64 + 4096 + 8192);
    expect(Ring.sizeFor({ capacity: 2, mode: 'mpsc', maxProcesses: 4 })).toBe(HEADER_BYTES + 4 * 64 + 64 + 64);
    for (const mode of ['spsc', 'mpsc', 'spmc', 'mpmc'] as const) {
      expect(Ring.sizeFor({ capacity: 8, elementSize: 12, mode }) % 64).toBe(0);
    }
  });

  it('create refuses bad options with ERR_SHMKIT_RING_BAD_OPTIONS', () => {
    const buffer = new ArrayBuffer(1 << 16);
    const bad = (options: object) => codeOf(() => Ring.create(buffer, 0, options as never));
    for (const capacity of [0, 3, 100, -4, 1.5, 2 ** 31, Number.NaN, '8']) expect(bad({ capacity })).toBe('ERR_SHMKIT_RING_BAD_OPTIONS');
    for (const elementSize of [0, 2, 6, 65_540, 8.5]) expect(bad({ capacity: 8, elementSize })).toBe('ERR_SHMKIT_RING_BAD_OPTIONS');
    expect(bad({ capacity: 8, mode: 'mpmpc' })).toBe('ERR_SHMKIT_RING_BAD_OPTIONS');
    expect(bad({ capacity: 8, mode: 'mpmc', maxProcesses: 0 })).toBe('ERR_SHMKIT_RING_BAD_OPTIONS');
    expect(bad({ capacity: 2 ** 30, mode: 'mpmc' })).toBe('ERR_SHMKIT_RING_BAD_OPTIONS');
    expect(bad({ capacity: 8, publishBatch: 0 })).toBe('ERR_SHMKIT_RING_BAD_OPTIONS');
    expect(bad({ capacity: 8, spinMicros: -1 })).toBe('ERR_SHMKIT_RING_BAD_OPTIONS');
    expect(codeOf(() => Ring.create(buffer, 0, null as never))).toBe('ERR_SHMKIT_RING_BAD_OPTIONS');
  });

  it('create checks the placement: alignment, room, buffer type', () => {
    const buffer = new ArrayBuffer(4096);
    expect(codeOf(() => Ring.create(buffer, 8, { capacity: 8 }))).toBe('ERR_SHMKIT_RING_MISALIGNED');
    expect(codeOf(() => Ring.create(buffer, -64, { capacity: 8 }))).toBe('ERR_SHMKIT_RING_BAD_ARGUMENT');
    expect(codeOf(() => Ring.create(buffer, 64, { capacity: 512 }))).toBe('ERR_SHMKIT_RING_BUFFER_TOO_SMALL');
    expect(codeOf(() => Ring.create(new Uint8Array(4096) as never, 0, { capacity: 8 }))).toBe('ERR_SHMKIT_RING_BAD_ARGUMENT');
    // Nothing was written by the refused calls.
    expect(new Uint8Array(buffer).every((b) => b === 0)).toBe(true);
    const ring = Ring.create(new SharedArrayBuffer(4096), 3072, { capacity: 64 });
    expect(ring.byteLength).toBe(1024);
  });

  it('attach validates the header: garbage, zeroes, wrong version, inconsistent fields, truncated buffers', () => {
    const buffer = new ArrayBuffer(8192);
    expect(codeOf(() => Ring.attach(buffer, 0))).toBe('ERR_SHMKIT_RING_BAD_MAGIC');
    const garbage = new Uint8Array(8192).map((_, i) => (i * 2654435761) >>> 24);
    expect(codeOf(() => Ring.attach(garbage.buffer, 0))).toBe('ERR_SHMKIT_RING_BAD_MAGIC');

    Ring.create(buffer, 0, { capacity: 64, mode: 'mpmc', maxProcesses: 8 });
    const header = new Int32Array(buffer, 0, HEADER_BYTES / 4);
    expect(Ring.attach(buffer, 0).mode).toBe('mpmc');

    header[W_VERSION] = RING_LAYOUT_VERSION + 1;
    expect(codeOf(() => Ring.attach(buffer, 0))).toBe('ERR_SHMKIT_RING_BAD_VERSION');
    header[W_VERSION] = RING_LAYOUT_VERSION;

    header[W_CAPACITY] = 128;
    expect(codeOf(() => Ring.attach(buffer, 0))).toBe('ERR_SHMKIT_RING_CORRUPT');
    header[W_CAPACITY] = 64;
    expect(Ring.attach(buffer, 0).capacity).toBe(64);

    const size = Ring.sizeFor({ capacity: 64, mode: 'mpmc', maxProcesses: 8 });
    const short = new Uint8Array(size - 64);
    short.set(new Uint8Array(buffer, 0, short.length));
    expect(codeOf(() => Ring.attach(short.buffer, 0))).toBe('ERR_SHMKIT_RING_BUFFER_TOO_SMALL');
    expect(codeOf(() => Ring.attach(buffer, 100))).toBe('ERR_SHMKIT_RING_MISALIGNED');
    expect(codeOf(() => Ring.attach(new ArrayBuffer(100), 0))).toBe('ERR_SHMKIT_RING_BUFFER_TOO_SMALL');
  });

  it('attach reads back every option, at any offset of a real shared mapping', () => {
    using file = createSharedFile(1 << 16);
    const created = Ring.create(file.buffer, 4096, { capacity: 32, elementSize: 16, mode: 'spmc', maxProcesses: 3 });
    const attached = Ring.attach(file.buffer, 4096);
    expect([attached.mode, attached.capacity, attached.elementSize, attached.byteLength]).toEqual([
      'spmc',
      32,
      16,
      created.byteLength,
    ]);
    expect(attached.byteLength).toBe(Ring.sizeFor({ capacity: 32, elementSize: 16, mode: 'spmc', maxProcesses: 3 }));
  });

  it('an unmapped buffer is refused, not touched', () => {
    const file = createSharedFile(1 << 16);
    try {
      Ring.create(file.buffer, 0, { capacity: 8 });
      munmap(file.buffer);
      expect(codeOf(() => Ring.attach(file.buffer, 0))).toBe('ERR_SHMKIT_RING_BUFFER_TOO_SMALL');
    } finally {
      file.remove();
    }
  });
});
