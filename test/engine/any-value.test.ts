import fc from 'fast-check';
import * as engine from '../../src/engine';

/**
 * Issue 7, item 6: every function the engine exports takes any JavaScript value without throwing
 * and answers with a verdict or a named problem.
 */
type AnyFunction = (...args: unknown[]) => unknown;
const isClass = (f: unknown): boolean => typeof f === 'function' && /^class\b/.test(Function.prototype.toString.call(f));
const functions = Object.entries(engine as Record<string, unknown>).filter((entry): entry is [string, AnyFunction] => typeof entry[1] === 'function' && !isClass(entry[1]));
const rules = engine.defaultRules();

/** Any value, and now and then the value a function expects, so that later arguments are reached. */
const argument = fc.oneof(
  { weight: 4, arbitrary: fc.anything() },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(rules, 'constructor', '__proto__', 'toString', -1, 1.5, Infinity, NaN, [], [null], { rowCount: -1, columns: null }) },
);

describe('any value in, no throw', () => {
  test('the engine exports functions', () => {
    expect(functions.length).toBeGreaterThan(40);
  });

  test.each(functions.map(([name, fn]) => [name, fn] as const))(
    '%s',
    (_name, fn) => {
      fc.assert(
        fc.property(fc.array(argument, { maxLength: 4 }), (args) => {
          fn(...args);
        }),
        { numRuns: 150 },
      );
    },
    30_000,
  );

  test('CsvReader: any options, any chunks', () => {
    fc.assert(
      fc.property(argument, fc.array(fc.tuple(argument, argument), { maxLength: 4 }), (options, pushes) => {
        const reader = new engine.CsvReader(options as never);
        for (const [chunk, final] of pushes) reader.push(chunk as never, final as never);
      }),
    );
  });
});
