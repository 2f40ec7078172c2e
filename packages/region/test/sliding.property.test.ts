import { closeSync, openSync, readSync } from 'node:fs';
import { makeTmpDir } from '@shmkit/testkit';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, loadRegion, makePatternFile, type RegionLib } from './helpers.js';

const PAGE = 4096;
const FILE_SIZE = 64 * PAGE + 1234;

type Step =
  | { kind: 'use'; cursor: number; offset: number; size: number }
  | { kind: 'unuse'; cursor: number }
  | { kind: 'collect' };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('use' as const),
      cursor: fc.nat(2),
      // mostly inside the file, sometimes at or past its end
      offset: fc.oneof({ weight: 9, arbitrary: fc.nat(FILE_SIZE - 1) }, { weight: 1, arbitrary: fc.nat(FILE_SIZE + 10_000) }),
      size: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 12 * PAGE })),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('unuse' as const), cursor: fc.nat(2) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('collect' as const) }) },
);

const config = fc.record({
  windowSize: fc.oneof(fc.integer({ min: 1, max: 10 }).map((p) => p * PAGE), fc.integer({ min: 1, max: 40_000 })),
  maxMemorySize: fc.integer({ min: 1, max: 24 * PAGE }),
  maxOpenHandles: fc.integer({ min: 1, max: 6 }),
});

describe.each(BACKENDS)('sliding manager properties (%s backend)', (backendName) => {
  let R: RegionLib;
  const tmp = makeTmpDir('shmkit-region-prop-');
  let path: string;
  let fd: number;

  beforeAll(async () => {
    R = await loadRegion(backendName);
    path = makePatternFile(tmp.path, 'prop', FILE_SIZE, 17).path;
    fd = openSync(path, 'r');
  });
  afterAll(() => {
    closeSync(fd);
    tmp.remove();
  });

  function fileBytes(offset: number, length: number): Buffer {
    const out = Buffer.alloc(length);
    const n = readSync(fd, out, 0, length, offset);
    return out.subarray(0, n);
  }

  it('random access returns the file bytes, and the handle and memory limits hold after every step', () => {
    fc.assert(
      fc.property(config, fc.array(step, { minLength: 1, maxLength: 60 }), (opts, steps) => {
        const man = new R.SlidingWindowMapManager(opts);
        const cursors = [man.makeCursor(path), man.makeCursor(path), man.makeCursor(path)];
        const heldBy = (skip?: number) => {
          const held = new Set<InstanceType<RegionLib['MapRegion']>>();
          cursors.forEach((c, i) => {
            if (i !== skip && c.isValid()) held.add(c.region());
          });
          return held;
        };
        try {
          for (const s of steps) {
            const before = man.mappedMemorySize();
            if (s.kind === 'collect') {
              man.collect();
              const inUse = [...heldBy()].reduce((n, r) => n + r.size(), 0);
              expect(man.mappedMemorySize()).toBe(inUse);
            } else if (s.kind === 'unuse') {
              cursors[s.cursor]!.unuseRegion();
              expect(cursors[s.cursor]!.isValid()).toBe(false);
            } else {
              const c = cursors[s.cursor]!;
              const othersHold = heldBy(s.cursor).size;
              try {
                c.useRegion(s.offset, s.size);
              } catch (err) {
                // the one legitimate failure: every mapped region is in use and the limit is reached
                expect((err as { code?: string }).code).toBe('ERR_SHMKIT_REGION_TOO_MANY_HANDLES');
                expect(othersHold).toBeGreaterThanOrEqual(opts.maxOpenHandles);
                expect(c.isValid()).toBe(false);
                continue;
              }
              if (s.offset >= FILE_SIZE) {
                expect(c.isValid()).toBe(false);
              } else {
                expect(c.isValid()).toBe(true);
                const got = c.buffer();
                expect(c.ofsBegin()).toBe(s.offset);
                expect(got.length).toBe(c.size());
                expect(got.length).toBeGreaterThan(0);
                if (s.size > 0) expect(got.length).toBeLessThanOrEqual(s.size);
                expect(got.equals(fileBytes(s.offset, got.length))).toBe(true);
                expect(c.includesOfs(s.offset + got.length - 1)).toBe(true);
                expect(c.includesOfs(s.offset + got.length)).toBe(false);
                const r = c.region();
                expect(r.ofsBegin() % PAGE).toBe(0);
                expect(r.size()).toBeLessThanOrEqual(R.alignToMmap(opts.windowSize, true) + PAGE);
              }
            }
            // limits after every step
            expect(man.numFileHandles()).toBeLessThanOrEqual(opts.maxOpenHandles);
            const mapped = man.mappedMemorySize();
            const inUse = [...heldBy()].reduce((n, r) => n + r.size(), 0);
            // the memory limit is soft: it is exceeded only by a step that had nothing left to free
            if (mapped > opts.maxMemorySize && mapped > before) expect(mapped - inUse).toBe(0);
            // held regions never overlap
            const spans = [...heldBy()].map((r) => [r.ofsBegin(), r.ofsEnd()]).sort((a, b) => a[0]! - b[0]!);
            for (let i = 1; i < spans.length; i++) expect(spans[i]![0]).toBeGreaterThanOrEqual(spans[i - 1]![1]!);
          }
        } finally {
          for (const c of cursors) c.close();
          man.close();
        }
      }),
      { numRuns: 60 },
    );
  });
});
