import {
  coerceInput,
  defaultRules,
  evaluate,
  evaluateBatch,
  formatMessage,
  MAX_WEIGHT_SUM,
  outcomeLabel,
  parseRules,
  rulesFromTable,
  scoreColumns,
  type Coerced,
  type FieldSpec,
  type RuleSet,
  type RuleSetInput,
} from '../../src/engine';
import { plainDecimal } from '../../src/engine/coerce';
import fc from 'fast-check';

/** Issue 7, item 6: each case below threw, folded or guessed before. */
const rules = defaultRules();
const sales: FieldSpec = { id: 'sales', unit: 'currency', validMin: 0 };
const growth: FieldSpec = { id: 'growth', unit: 'fraction', validMin: -1 };
const days: FieldSpec = { id: 'paymentDays', unit: 'days', validMin: 0 };
const keyOf = (c: Coerced): string | number => (c.kind === 'problem' ? c.problem.key : c.kind === 'value' ? c.value : 'blank');

describe('the public functions answer any value with a verdict or a named problem', () => {
  test('evaluate(null) and evaluate(undefined): invalid, naming the account argument', () => {
    for (const account of [null, undefined, 42, 'Acme']) {
      const e = evaluate(account as never, rules);
      expect(e.outcome).toBe('invalid');
      expect(e.problems).toEqual([expect.objectContaining({ key: 'badArgument', params: expect.objectContaining({ argument: 'account' }) })]);
    }
  });

  test('a null element in evaluateBatch costs its own row only', () => {
    const batch = evaluateBatch([{ sales: 500000, margin: 0.3 }, null as never, { sales: 1 }], rules);
    expect(batch.verdicts.map((v) => v.outcome)).toEqual(['insufficient', 'invalid', 'insufficient']);
    expect(batch.counts.invalid).toBe(1);
    expect(batch.verdicts[1]?.flags[0]).toMatchObject({ kind: 'message', id: 'badArgument' });
  });

  test('a rule set that is not one: every account invalid, the problem named', () => {
    for (const bad of [null, 'rules', 7, {}, { ...rules, criteria: 'x' }]) {
      const e = evaluate({ sales: 1 }, bad as never);
      expect(e.outcome).toBe('invalid');
      expect(e.problems[0]).toMatchObject({ key: 'badArgument', params: { argument: 'rules' } });
      const batch = evaluateBatch([{ sales: 1 }], bad as never);
      expect(batch.warnings[0]).toMatchObject({ key: 'badArgument', params: { argument: 'rules' } });
    }
  });

  test('scoreColumns with columns null or a rowCount that is not a whole number ≥ 0', () => {
    const cases: Array<[unknown, unknown, string]> = [
      [1, null, 'columns'],
      [-1, {}, 'rowCount'],
      [1.5, {}, 'rowCount'],
      [NaN, {}, 'rowCount'],
      [Infinity, {}, 'rowCount'],
      ['3', {}, 'rowCount'],
    ];
    for (const [rowCount, columns, argument] of cases) {
      const result = scoreColumns({ rowCount, columns } as never, rules);
      expect(result.rowCount).toBe(0);
      expect(result.problem).toMatchObject({ key: 'badArgument', params: { argument } });
    }
    expect(scoreColumns(null as never, rules).problem).toMatchObject({ key: 'badArgument' });
  });

  test('rulesFromTable(null) and other non-tables: a named problem', () => {
    for (const table of [null, undefined, 'kam-rules', 3, {}, [null, 5]]) {
      const result = rulesFromTable(table as never);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.issues[0]?.message).toMatch(/kam-rules/);
    }
  });
});

describe('numbers that are not finite, look-alike digits and doubled signs are refused', () => {
  test.each<[unknown, FieldSpec, string]>([
    [Infinity, sales, 'notNumber'],
    [-Infinity, growth, 'notNumber'],
    [NaN, days, 'notNumber'],
    ['10³', sales, 'notNumber'],
    ['5²', sales, 'notNumber'],
    ['①②', sales, 'notNumber'],
    ['½', sales, 'notNumber'],
    ['⑴', sales, 'notNumber'],
    ['--5', sales, 'ambiguousSign'],
    ['+-5', growth, 'ambiguousSign'],
    ['-$-5', growth, 'ambiguousSign'],
    ['(-5%)', growth, 'ambiguousSign'],
    ['(+5)', growth, 'ambiguousSign'],
    ['1e999', sales, 'notNumber'],
  ])('%p → %s', (raw, field, key) => {
    expect(keyOf(coerceInput(raw, field))).toBe(key);
  });

  test('what still reads: full-width digits, one sign, accounting brackets, $-12', () => {
    expect(keyOf(coerceInput('１２３', sales))).toBe(123);
    expect(keyOf(coerceInput('(5%)', growth))).toBe(-0.05);
    const amount: FieldSpec = { id: 'change', unit: 'currency' };
    expect(keyOf(coerceInput('$-12', amount))).toBe(-12);
    expect(keyOf(coerceInput('-$12', amount))).toBe(-12);
  });

  test('the number Infinity is not scored as sales, growth, wallet or days', () => {
    for (const id of ['sales', 'growth', 'wallet', 'paymentDays']) {
      const e = evaluate({ sales: 100000, margin: 0.2, growth: 0.1, wallet: 500000, paymentDays: 30, [id]: Infinity }, rules);
      expect(e.outcome).toBe('invalid');
      expect(e.problems[0]).toMatchObject({ key: 'notNumber', params: { field: id } });
    }
  });

  test('a message quotes the cell (shortened), never the Infinity it overflows to', () => {
    const huge = '9'.repeat(1_000_000);
    const c = coerceInput(huge, sales);
    expect(c.kind).toBe('problem');
    if (c.kind !== 'problem') return;
    const said = formatMessage(c.problem, 'en');
    expect(said).not.toContain('Infinity');
    expect(said).toContain('"9999999999');
    expect(said.length).toBeLessThan(100);
  });
});

describe('ids that every object has are refused; weights add up to a usable number', () => {
  const withIds = (a: string, b: string): RuleSetInput => {
    const input = defaultRules() as RuleSetInput;
    input.criteria = input.criteria.map((c, i) => (i === 0 ? { ...c, id: a } : i === 1 ? { ...c, id: b } : c));
    input.knockouts = [];
    input.criteria = input.criteria.map((c) => ({ ...c, headroomOver: undefined }));
    return input;
  };

  test.each([
    ['constructor', 'toString'],
    ['valueOf', 'hasOwnProperty'],
    ['Constructor', 'isPrototypeOf'],
  ])('criterion ids %s and %s', (a, b) => {
    const result = parseRules(withIds(a, b));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.issues.map((i) => i.path)).toEqual(expect.arrayContaining(['criteria[0].id', 'criteria[1].id']));
      expect(result.issues[0]?.message).toMatch(/constructor, toString/);
    }
  });

  test('a knock-out id that is a prototype name', () => {
    const input = defaultRules() as RuleSetInput;
    input.knockouts = input.knockouts.map((k, i) => (i === 0 ? { ...k, id: 'toString' } : k));
    const result = parseRules(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0]?.path).toBe('knockouts[0].id');
  });

  test.each([
    [[1e308, 1e308], 'Infinity'],
    [[5e-324, 0], '5e-324'],
    [[MAX_WEIGHT_SUM, MAX_WEIGHT_SUM], 'beyond what ×100 keeps finite'],
  ])('weights %p are refused (%s)', (weights) => {
    const input = defaultRules() as RuleSetInput;
    input.criteria = input.criteria.map((c, i) => ({ ...c, weight: weights[i] ?? 0 }));
    const result = parseRules(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((i) => i.path)).toContain('criteria');
  });

  test('a language that is not one is read as English, not looked up', () => {
    for (const lang of ['constructor', '__proto__', 'toString', null]) {
      expect(outcomeLabel(rules, 'invalid', lang as never)).toBe('Invalid input');
      expect(outcomeLabel(rules, 'key', lang as never)).toBe(rules.tiers.key.label.en);
      expect(outcomeLabel(rules, 'constructor' as never, 'en')).toBe('Invalid input');
    }
  });

  test('a valid rule set built by hand (not through parseRules) is scored as parsed', () => {
    const byHand = JSON.parse(JSON.stringify(rules)) as RuleSet;
    expect(evaluate({ sales: 500000, margin: 0.3, growth: 0.1 }, byHand)).toEqual(evaluate({ sales: 500000, margin: 0.3, growth: 0.1 }, rules));
  });
});

describe('the kernel reads plain digits without coerceInput, and reads them the same', () => {
  test('plainDecimal agrees with coerceInput on any text it reads', () => {
    const digits = fc.string({ unit: fc.constantFrom('0', '1', '5', '9', '.', '-', ',', '%', ' ', 'e'), maxLength: 18 });
    fc.assert(
      fc.property(fc.oneof(digits, fc.string()), (text) => {
        const x = plainDecimal(text);
        if (Number.isNaN(x)) return;
        const c = coerceInput(text, { id: 'n', unit: 'number' });
        expect(c).toEqual({ kind: 'value', value: x });
      }),
      { numRuns: 3000 },
    );
    expect(plainDecimal('1.500')).toBeNaN();
    expect(plainDecimal('-250.000')).toBeNaN();
    expect(plainDecimal('0.125')).toBe(0.125);
  });
});
