import fc from 'fast-check';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DistinctCounter, joinedSpills, NumberSpill, orderStatistic, ScratchFolder } from '../../src/cli/scratch';
import { tempDir } from './helpers';

/** Per-line data kept on disk by a streamed run: read back exactly, in bounded memory. */
let dir: string;
beforeAll(() => (dir = tempDir()));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const spillOf = (scratch: ScratchFolder, values: readonly number[]): NumberSpill => {
  const spill = new NumberSpill(scratch.file('test'));
  for (const v of values) spill.push(v);
  return spill;
};

describe('scratch files', () => {
  test('a spill gives back every number in order, across blocks', () => {
    const scratch = new ScratchFolder(path.join(dir, 'out.csv'));
    const values = Array.from({ length: 200_000 }, (_, i) => i * 1.5 - 7);
    const spill = spillOf(scratch, values);
    const back: number[] = [];
    for (const block of spill.blocks()) back.push(...block);
    expect(back).toEqual(values);
    // Read back means finished: a number added later is refused, not dropped.
    spill.push(1);
    expect(() => [...spill.blocks()]).toThrow('numbers added after it was read');
    scratch.remove();
    expect(fs.existsSync(scratch.path)).toBe(false);
  });

  test('orderStatistic equals the sorted values at every asked position', () => {
    const scratch = new ScratchFolder(path.join(dir, 'out.csv'));
    const positive = fc.oneof(fc.double({ min: 1e-6, max: 1e12, noNaN: true }), fc.integer({ min: 1, max: 100 }));
    fc.assert(
      fc.property(fc.array(positive, { minLength: 1, maxLength: 300 }), fc.nat(), (values, pick) => {
        const spill = spillOf(scratch, values);
        const sorted = [...values].sort((a, b) => a - b);
        const rank = pick % values.length;
        expect(orderStatistic(spill, rank)).toBe(sorted[rank]);
      }),
      { numRuns: 60 },
    );
    scratch.remove();
  });

  test('orderStatistic narrows past 65,536 candidates: many close values, and many equal ones', () => {
    const scratch = new ScratchFolder(path.join(dir, 'out.csv'));
    // 300,000 values within 1% of each other: one histogram bucket at the first level holds them all.
    const close = Array.from({ length: 300_000 }, (_, i) => 1_000_000 + ((i * 7919) % 10_000) + (i % 3) / 7);
    const sorted = [...close].sort((a, b) => a - b);
    const spill = spillOf(scratch, close);
    for (const rank of [0, 1, 149_999, 269_999, 270_000, 299_999]) expect(orderStatistic(spill, rank)).toBe(sorted[rank]);
    const same = spillOf(scratch, new Array<number>(100_000).fill(42.5));
    expect(orderStatistic(same, 89_999)).toBe(42.5);
    scratch.remove();
  });

  test('DistinctCounter counts as a Set does, over any number of parts', () => {
    const scratch = new ScratchFolder(path.join(dir, 'out.csv'));
    fc.assert(
      fc.property(
        fc.array(
          fc.integer({ min: 0, max: 2 ** 53 - 1 }).map((v) => v - (v % 1000)),
          { maxLength: 500 },
        ),
        fc.integer({ min: 1, max: 9 }),
        (values, parts) => {
          const counter = new DistinctCounter(scratch, parts, 2 ** 53);
          for (const v of values) counter.add(v);
          expect(counter.count()).toEqual({ values: values.length, distinct: new Set(values).size });
        },
      ),
      { numRuns: 40 },
    );
    scratch.remove();
  });

  // A file scored in two parts: the worker's counter and spills are added to the main thread's.
  test('two counters joined count as a Set of both, and joined spills give a percentile of both', () => {
    const scratch = new ScratchFolder(path.join(dir, 'out.csv'));
    fc.assert(
      fc.property(
        fc.array(
          fc.integer({ min: 0, max: 2 ** 20 }).map((v) => v * 2 ** 30),
          { maxLength: 300 },
        ),
        fc.array(
          fc.integer({ min: 0, max: 2 ** 20 }).map((v) => v * 2 ** 30),
          { maxLength: 300 },
        ),
        fc.integer({ min: 1, max: 5 }),
        (first, second, parts) => {
          const main = new DistinctCounter(scratch, parts, 2 ** 53);
          const worker = new DistinctCounter(scratch, parts, 2 ** 53);
          for (const v of first) main.add(v);
          for (const v of second) worker.add(v);
          main.addParts(worker.closedParts());
          expect(main.count()).toEqual({ values: first.length + second.length, distinct: new Set([...first, ...second]).size });
          const both = joinedSpills([spillOf(scratch, first), NumberSpill.written(spillOf(scratch, second).closed())]);
          const sorted = [...first, ...second].filter((v) => v > 0).sort((a, b) => a - b);
          const positive = joinedSpills([
            spillOf(
              scratch,
              first.filter((v) => v > 0),
            ),
            spillOf(
              scratch,
              second.filter((v) => v > 0),
            ),
          ]);
          expect(both.count).toBe(first.length + second.length);
          if (sorted.length > 0) expect(orderStatistic(positive, Math.floor(sorted.length / 2))).toBe(sorted[Math.floor(sorted.length / 2)]);
        },
      ),
      { numRuns: 40 },
    );
    expect(() => new DistinctCounter(scratch, 2, 2 ** 53).addParts(new DistinctCounter(scratch, 3, 2 ** 53).closedParts())).toThrow('3 parts of names given to a counter of 2');
    scratch.remove();
  });
});
