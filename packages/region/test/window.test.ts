import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALLOCATION_GRANULARITY, alignToMmap, MapWindow, PAGE_SIZE } from '../src/index.js';
import { codeOf } from './helpers.js';

const G = ALLOCATION_GRANULARITY;
const BIG = Number.MAX_SAFE_INTEGER;

describe('smmap util: window arithmetic (test 1)', () => {
  it('extends, respects max sizes and aligns like smmap', () => {
    const wl = new MapWindow(0, 1);
    const wc = new MapWindow(1, 1);
    const wc2 = new MapWindow(10, 5);
    const wr = new MapWindow(8000, 50);

    expect(wl.ofsEnd()).toBe(1);
    expect(wc.ofsEnd()).toBe(2);
    expect(wr.ofsEnd()).toBe(8050);

    // extension does nothing if already in place
    const maxSize = 100;
    wc.extendLeftTo(wl, maxSize);
    expect([wc.ofs, wc.size]).toEqual([1, 1]);
    wl.extendRightTo(wc, maxSize);
    wl.extendRightTo(wc, maxSize);
    expect([wl.ofs, wl.size]).toEqual([0, 1]);

    // an actual left extension keeps the right edge
    const previousEnd = wc2.ofsEnd();
    wc2.extendLeftTo(wc, maxSize);
    expect(wc2.ofs).toBe(wc.ofsEnd());
    expect(wc2.ofsEnd()).toBe(previousEnd);

    // a right extension respects maxSize and is idempotent
    wc.extendRightTo(wr, maxSize);
    expect([wc.ofs, wc.size]).toEqual([1, maxSize]);
    wc.extendRightTo(wr, maxSize);
    expect([wc.ofs, wc.size]).toEqual([1, maxSize]);

    // without a max size it reaches the neighbour
    wc.extendRightTo(wr, BIG);
    expect(wc.ofsEnd()).toBe(wr.ofs);
    expect(wc.ofs).toBe(1);

    // left extension bounded, then unbounded
    wr.extendLeftTo(wc2, maxSize);
    wr.extendLeftTo(wc2, maxSize);
    expect(wr.size).toBe(maxSize);
    wr.extendLeftTo(wc2, BIG);
    expect(wr.ofs).toBe(wc2.ofsEnd());

    wc.align();
    expect(wc.ofs).toBe(0);
    expect(wc.size).toBe(alignToMmap(wc.size, true));
    expect(wc.size % G).toBe(0);
    expect(wc.size).toBe(8192); // [1, 8000) aligned
  });

  it('fromRegion copies begin and size', () => {
    const w = MapWindow.fromRegion({ ofsBegin: () => 8192, size: () => 1234 });
    expect([w.ofs, w.size, w.ofsEnd()]).toEqual([8192, 1234, 9426]);
  });
});

describe('smmap util: functions (test 4)', () => {
  it('granularity is the page size and alignToMmap rounds like smmap', () => {
    expect(G).toBe(PAGE_SIZE);
    expect(G).toBeGreaterThan(0);
    expect(G & (G - 1)).toBe(0);
    expect(alignToMmap(1, false)).toBe(0);
    expect(alignToMmap(1, true)).toBe(G);
    expect(alignToMmap(G, false)).toBe(G);
    expect(alignToMmap(G, true)).toBe(G);
    expect(alignToMmap(0, true)).toBe(0);
    expect(alignToMmap(5 * 1024 ** 3 + 17, false)).toBe(5 * 1024 ** 3);
  });

  it('rejects non-integers with a stable code', () => {
    expect(codeOf(() => alignToMmap(1.5, false))).toBe('ERR_SHMKIT_REGION_INVALID_ARGUMENT');
    expect(codeOf(() => alignToMmap(Number.NaN, true))).toBe('ERR_SHMKIT_REGION_INVALID_ARGUMENT');
    expect(() => alignToMmap(2 ** 60, true)).toThrow(RangeError);
  });
});

describe('MapWindow properties (fast-check)', () => {
  const offset = fc.integer({ min: 0, max: 2 ** 40 });
  const size = fc.integer({ min: 0, max: 2 ** 32 });

  it('alignToMmap brackets n within one granule', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 50 }), (n) => {
        const down = alignToMmap(n, false);
        const up = alignToMmap(n, true);
        return down % G === 0 && up % G === 0 && down <= n && n < down + G && up >= n && up - n < G && (n % G === 0) === (down === up);
      }),
    );
  });

  it('align() covers the old span with the smallest granule-aligned window', () => {
    fc.assert(
      fc.property(offset, size, (ofs, sz) => {
        const w = new MapWindow(ofs, sz);
        w.align();
        return (
          w.ofs % G === 0 &&
          w.size % G === 0 &&
          w.ofs <= ofs &&
          ofs - w.ofs < G &&
          w.ofsEnd() >= ofs + sz &&
          w.ofsEnd() - (ofs + sz) < G
        );
      }),
    );
  });

  it('extendLeftTo keeps the right edge, never passes the neighbour, never exceeds maxSize', () => {
    fc.assert(
      fc.property(offset, size, fc.nat(2 ** 30), fc.nat(2 ** 32), (ofs, sz, gapSeed, extra) => {
        const gap = Math.min(gapSeed, ofs);
        const left = new MapWindow(0, ofs - gap);
        const maxSize = sz + extra;
        const w = new MapWindow(ofs, sz);
        w.extendLeftTo(left, maxSize);
        return (
          w.ofsEnd() === ofs + sz &&
          w.ofs >= left.ofsEnd() &&
          w.ofs <= ofs &&
          w.size <= maxSize &&
          w.size === Math.min(maxSize, ofs + sz - left.ofsEnd())
        );
      }),
    );
  });

  it('extendRightTo keeps the start, reaches the neighbour or maxSize, and is idempotent', () => {
    fc.assert(
      fc.property(offset, size, fc.nat(2 ** 30), fc.nat(2 ** 32), (ofs, sz, gap, extra) => {
        const right = new MapWindow(ofs + sz + gap, 10);
        const maxSize = sz + extra;
        const w = new MapWindow(ofs, sz);
        w.extendRightTo(right, maxSize);
        const once = [w.ofs, w.size];
        w.extendRightTo(right, maxSize);
        return (
          w.ofs === ofs &&
          w.size === Math.min(maxSize, right.ofs - ofs) &&
          w.ofsEnd() <= right.ofs &&
          once[0] === w.ofs &&
          once[1] === w.size
        );
      }),
    );
  });

  it('adjacent windows do not move', () => {
    fc.assert(
      fc.property(offset, size, size, (ofs, a, b) => {
        const left = new MapWindow(Math.max(0, ofs - a), Math.min(a, ofs));
        const mid = new MapWindow(ofs, b);
        const right = new MapWindow(ofs + b, 1);
        mid.extendLeftTo(left, b);
        mid.extendRightTo(right, b);
        return mid.ofs === ofs && mid.size === b;
      }),
    );
  });
});
