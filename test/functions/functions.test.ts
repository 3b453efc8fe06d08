import { cellAddress, defaultRules, evaluate, outcomeLabel, rulesFromTable, rulesToTable, type OutcomeId, type RuleSet } from '../../src/engine';
import { ACCOUNT_INPUTS, FUNCTION_IDS } from '../../src/functions/catalog';
import { text } from '../../src/functions/i18n/texts';
import { columnsOf, errorOf, FakeError, GOLDEN, loadBundle, showCells, singleCells, type CustomFunction, type LoadedBundle } from './bundle';

/**
 * The built bundle (dist/addin/functions.js), loaded as Excel loads it, called like Excel calls it:
 * matrices for every range argument, null for omitted optional ones.
 */

let bundle: LoadedBundle;
beforeAll(() => {
  bundle = loadBundle();
});

const fn = (id: string): CustomFunction => {
  const f = bundle.functions[id];
  if (!f) throw new Error(`${id} was not associated`);
  return f;
};
/** The one cell of a single-cell result. */
const only = (matrix: unknown[][]): unknown => {
  expect(matrix).toHaveLength(1);
  expect(matrix[0]).toHaveLength(1);
  return matrix[0]?.[0];
};
const col = (...values: unknown[]): unknown[][] => values.map((v) => [v]);

const ACME = { sales: 400000, margin: 0.28, growth: 0.15, wallet: 1500000, paymentDays: 35, access: 5, openness: 4 };
const acme = (): unknown[][][] => singleCells(ACME);

describe('registration', () => {
  it('associates every function of the catalog, each once', () => {
    expect([...bundle.associated].sort()).toEqual([...FUNCTION_IDS].sort());
  });
});

describe("golden accounts give the engine's verdicts", () => {
  const rules = defaultRules();
  const tierOf = (outcome: string): string => outcomeLabel(rules, outcome as OutcomeId, 'en');

  it.each(GOLDEN.map((g) => [g.account, g] as const))('single cells: %s', (_name, g) => {
    const engine = evaluate(g.inputs, rules);
    expect(engine.outcome).toBe(g.expected.outcome);
    const score = only(fn('SCORE')(...singleCells(g.inputs), null, null));
    const tier = only(fn('TIER')(...singleCells(g.inputs), null, null));
    if (g.expected.outcome === 'invalid') {
      // An unreadable input: no score and no tier, but an error that says which input.
      const excelError = g.expected.flags.includes('excelError');
      expect(errorOf(score)?.code).toBe(excelError ? '#N/A' : '#VALUE!');
      expect(errorOf(tier)).toEqual(errorOf(score));
      return;
    }
    expect(score).toBe(g.expected.score);
    expect(score).toBe(engine.score);
    expect(tier).toBe(tierOf(g.expected.outcome));
  });

  it('one spilled call over all golden rows gives the same cells as a call per row', () => {
    const rows = GOLDEN.map((g) => g.inputs);
    for (const id of ['SCORE', 'TIER', 'FLAGS']) {
      const spilled = fn(id)(...columnsOf(rows), null, null);
      const perRow = rows.map((inputs) => fn(id)(...singleCells(inputs), null, null)[0]);
      expect(showCells(spilled)).toEqual(showCells(perRow as unknown[][]));
    }
    const scores = fn('SCORE')(...columnsOf(rows), null, null).map((r) => r[0]);
    expect(scores.map((s) => (typeof s === 'number' ? s : null))).toEqual(GOLDEN.map((g) => g.expected.score));
  });

  it('flags name the knock-outs and the missing data', () => {
    const byName = new Map(GOLDEN.map((g) => [g.account, g]));
    const flags = (name: string): unknown => only(fn('FLAGS')(...singleCells(byName.get(name)?.inputs ?? {}), null, null));
    expect(flags('Big buyer below cost, pays late')).toBe('sells below cost and pays late; below cost');
    expect(flags('Chronic late payer, profitable')).toBe('chronic late payer');
    expect(flags('Smaller, profitable, growing, headroom, open doors')).toBe('');
    expect(flags('Below cost but pays on time, wallet unknown')).toBe('below cost; missing: Wallet (headroom)');
    // An unreadable input is a flag too (FLAGS reports it as text) ...
    expect(flags('Unreadable margin')).toBe('Gross margin: "abc" is not a number');
  });
});

describe('errors name the argument and what to write', () => {
  const BAD: Record<(typeof ACCOUNT_INPUTS)[number], string> = {
    sales: 'an amount such as 1200000 or 1,200,000',
    margin: 'a fraction such as 18% or 0.18',
    growth: 'a fraction such as 18% or 0.18',
    wallet: 'an amount such as 1200000 or 1,200,000',
    paymentDays: 'a number of days such as 45',
    access: 'a rating from 0 to 5, or yes/no',
    openness: 'a rating from 0 to 5, or yes/no',
  };

  it.each(ACCOUNT_INPUTS.map((id, i) => [id, i] as const))('an unreadable %s', (id, i) => {
    const args = acme();
    args[i] = [['lots']];
    const e = errorOf(only(fn('SCORE')(...args, null, null)));
    expect(e?.code).toBe('#VALUE!');
    expect(e?.message).toBe(`${id}: "lots" is not a number (expected ${BAD[id]})`);
  });

  it('a margin of 18 is taken for 18% without its sign', () => {
    const args = acme();
    args[1] = [[18]];
    expect(errorOf(only(fn('TIER')(...args, null, null)))).toEqual({
      code: '#VALUE!',
      message: 'margin: 18 looks like a percentage without its sign; write 18% or 0.18',
    });
  });

  it('in Chinese, with the Chinese argument names', () => {
    const args = acme();
    args[1] = [['abc']];
    expect(errorOf(only(fn('SCORE')(...args, null, 'zh')))?.message).toBe('毛利率:“abc”不是数字(应为比例,如 18% 或 0.18)');
  });

  it('#N/A when there is nothing to score, naming what is missing', () => {
    const blank = ACCOUNT_INPUTS.map(() => [[null]]);
    expect(errorOf(only(fn('SCORE')(...blank, null, null)))).toEqual({
      code: '#N/A',
      message: 'missing: sales, margin, growth, wallet, paymentDays, access, openness',
    });
    // The tier of such an account is the missing-data verdict, as in the engine.
    expect(only(fn('TIER')(...blank, null, null))).toBe('Insufficient data');
  });

  it('an Excel error passed in comes back out', () => {
    for (const [code, expected] of [
      ['#DIV/0!', '#DIV/0!'],
      ['#N/A', '#N/A'],
      ['#NUM!', '#NUM!'],
      ['#REF!', '#VALUE!'], // an add-in cannot return #REF!: it says so instead
    ]) {
      const args = acme();
      args[2] = [[new FakeError(code as string)]];
      for (const id of ['SCORE', 'TIER', 'FLAGS']) {
        const e = errorOf(only(fn(id)(...args, null, null)));
        expect(e?.code).toBe(expected);
        if (expected === '#VALUE!' || expected === '#N/A') expect(e?.message).toBe(`growth: the cell holds the error ${code}`);
      }
    }
  });

  it('columns of different heights: #VALUE! naming the argument', () => {
    const args = columnsOf([ACME, ACME, ACME]);
    args[4] = col(30, 40);
    expect(errorOf(only(fn('SCORE')(...args, null, null)))).toEqual({
      code: '#VALUE!',
      message: 'paymentDays has 2 rows but sales has 3: give ranges of equal height, or a single cell',
    });
  });

  it('a block where a column is expected: #VALUE! naming the argument', () => {
    const args = acme();
    args[0] = [[400000, 500000]];
    expect(errorOf(only(fn('TIER')(...args, null, null)))?.message).toBe('sales: give one cell or one column, not 1 row × 2 columns');
  });

  it('an unknown language: #VALUE!', () => {
    expect(errorOf(only(fn('SCORE')(...acme(), null, 'fr')))?.message).toBe('language: "fr" is not a language; use "en" or "zh"');
  });
});

describe('spilled ranges', () => {
  const rows = [ACME, { ...ACME, sales: 900000 }, { ...ACME, margin: 'abc' }, { ...ACME, growth: new FakeError('#DIV/0!') }, { ...ACME, paymentDays: 130 }];

  it('a bad row in the middle gets its own error; the others their values', () => {
    const scores = fn('SCORE')(...columnsOf(rows), null, null);
    expect(scores).toHaveLength(5);
    expect(scores[0]?.[0]).toBe(81.6);
    expect(scores[1]?.[0]).toBe(evaluate({ ...ACME, sales: 900000 }).score);
    expect(errorOf(scores[2]?.[0])?.code).toBe('#VALUE!');
    expect(errorOf(scores[2]?.[0])?.message).toContain('margin');
    expect(errorOf(scores[3]?.[0])?.code).toBe('#DIV/0!');
    expect(scores[4]?.[0]).toBe(evaluate({ ...ACME, paymentDays: 130 }).score);
  });

  it('a single cell is repeated down the columns', () => {
    const args = columnsOf(rows.slice(0, 2));
    args[5] = [[2]]; // access 2 for both accounts
    const spilled = fn('SCORE')(...args, null, null).map((r) => r[0]);
    expect(spilled).toEqual([evaluate({ ...ACME, access: 2 }).score, evaluate({ ...ACME, sales: 900000, access: 2 }).score]);
  });
});

describe('the rules argument', () => {
  const withRules = (change: (r: RuleSet) => void): { rules: RuleSet; table: unknown[][] } => {
    const rules = defaultRules();
    change(rules);
    return { rules, table: rulesToTable(rules) };
  };

  it('a changed weight changes the score, as the engine computes it', () => {
    const { rules, table } = withRules((r) => {
      (r.criteria[0] as RuleSet['criteria'][number]).weight = 60; // sales weighs three times as much
    });
    const score = only(fn('SCORE')(...acme(), table, null));
    expect(score).toBe(evaluate(ACME, rules).score);
    expect(score).not.toBe(81.6);
  });

  it('a changed threshold changes the tier', () => {
    const { table } = withRules((r) => {
      r.tiers.strategic.minScore = 85;
    });
    expect(only(fn('TIER')(...acme(), null, null))).toBe('Strategic');
    expect(only(fn('TIER')(...acme(), table, null))).toBe('Key');
  });

  it('changed labels show in TIER', () => {
    const { table } = withRules((r) => {
      r.tiers.strategic.label = { en: 'Platinum', zh: '白金' };
    });
    expect(only(fn('TIER')(...acme(), table, null))).toBe('Platinum');
    expect(only(fn('TIER')(...acme(), table, 'zh'))).toBe('白金');
  });

  it('an invalid rules range: #VALUE! naming the cell and the problem', () => {
    const table: unknown[][] = rulesToTable(defaultRules());
    const header = table.findIndex((row) => row[0] === 'id' && row.includes('weight'));
    const weightCol = (table[header] as unknown[]).indexOf('weight');
    (table[header + 1] as unknown[])[weightCol] = -5;
    const decoded = rulesFromTable(table as Parameters<typeof rulesFromTable>[0]);
    expect(decoded.ok).toBe(false);
    const cell = !decoded.ok && decoded.issues[0]?.cell ? cellAddress(decoded.issues[0].cell) : '';
    expect(cell).toBe(`I${header + 2}`);
    const e = errorOf(only(fn('SCORE')(...acme(), table, null)));
    expect(e?.code).toBe('#VALUE!');
    expect(e?.message).toBe(`rules: cell ${cell} of the rules range, criteria[0].weight: must be 0 or more`);
  });

  it('a range that is not a rules table at all', () => {
    const e = errorOf(
      only(
        fn('TIER')(
          ...acme(),
          [
            ['Name', 'Sales'],
            ['Acme', 1],
          ],
          null,
        ),
      ),
    );
    expect(e?.message).toBe('rules: cell A1 of the rules range, schema: the first filled row must start with "kam-rules"');
  });
});

describe('KAM.EXPLAIN', () => {
  it('a row per criterion that adds up to the score, then the verdict', () => {
    const table = fn('EXPLAIN')(...acme(), null, null);
    expect(table[0]).toEqual(['Criterion', 'Input', 'Points', 'Weight', 'Contribution']);
    const criteria = table.slice(1, 8);
    expect(criteria.map((r) => r[0])).toEqual(defaultRules().criteria.map((c) => c.label.en));
    expect(criteria.map((r) => r[1])).toEqual(ACCOUNT_INPUTS.map((id) => ACME[id]));
    expect(criteria.map((r) => r[3])).toEqual([20, 20, 15, 15, 10, 10, 10]);
    const total = criteria.reduce((sum, r) => sum + (r[4] as number), 0);
    expect(Math.round(total * 10) / 10).toBe(81.6);
    expect(table.slice(8)).toEqual([
      ['Score', 81.6, '', '', ''],
      ['Tier', 'Strategic', '', '', ''],
    ]);
  });

  it('lists the knock-outs and flags below', () => {
    const table = fn('EXPLAIN')(...singleCells({ ...ACME, margin: -0.05, paymentDays: 100, wallet: null }), null, 'zh');
    expect(table[0]).toEqual(['标准', '输入', '得分', '权重', '贡献']);
    expect(table.slice(-5)).toEqual([
      ['评分', evaluate({ ...ACME, margin: -0.05, paymentDays: 100, wallet: null }).score, '', '', ''],
      ['等级', '排除', '', '', ''],
      ['否决规则', '低于成本销售且付款迟缓', '', '', ''],
      ['否决规则', '低于成本', '', '', ''],
      ['提示', '缺少:业务总量(增长空间)', '', '', ''],
    ]);
  });

  it('an unreadable input shows its error in the Input column', () => {
    const table = fn('EXPLAIN')(...singleCells({ ...ACME, margin: 'abc' }), null, null);
    expect(errorOf(table[2]?.[1])?.message).toContain('margin: "abc" is not a number');
    expect(table.find((r) => r[0] === 'Tier')?.[1]).toBe('Invalid input');
  });

  it('explains one account only', () => {
    expect(errorOf(only(fn('EXPLAIN')(...columnsOf([ACME, ACME]), null, null)))?.message).toBe('KAM.EXPLAIN explains one account: give single cells, not 2 rows');
  });
});

describe('planning functions', () => {
  const accounts = [
    ACME, // 81.6 Strategic
    { sales: '1,200,000', margin: '18%', growth: '5%', wallet: '¥1,500,000', paymentDays: '45', access: '是', openness: '否' }, // 62.3 Key
    { sales: 2000000, margin: -0.05, growth: 0, wallet: 2000000, paymentDays: 100, access: 1, openness: 1 }, // Excluded
    { sales: 500000, growth: 0.1 }, // Insufficient data
    { ...ACME, margin: 'abc' },
  ];

  it('KAM.PRIORITY ranks by tier, then score; a bad row gets its error', () => {
    expect(showCells(fn('PRIORITY')(...columnsOf(accounts), null, null))).toEqual([
      [1],
      [2],
      [4],
      [3],
      ['#VALUE!: margin: "abc" is not a number (expected a fraction such as 18% or 0.18)'],
    ]);
  });

  it('KAM.HOURS gives tier hours, and cuts from the lowest tier to fit a capacity', () => {
    const args = columnsOf(accounts.slice(0, 4));
    expect(fn('HOURS')(...args, null, null, null)).toEqual([[16], [8], [0], [0]]);
    // capacity is a single value: Excel passes it as it is, not as a matrix.
    expect(fn('HOURS')(...args, 20, null, null)).toEqual([[16], [0], [0], [0]]);
    expect(fn('HOURS')(...args, 24, null, null)).toEqual([[16], [8], [0], [0]]);
    expect(fn('HOURS')(...args, [[20]], null, null)).toEqual([[16], [0], [0], [0]]);
    expect(errorOf(only(fn('HOURS')(...args, 'lots', null, null)))?.message).toBe('capacity: "lots" is not a number (expected a number ≥ 0)');
    expect(errorOf(only(fn('HOURS')(...args, new FakeError('#NUM!'), null, null)))?.code).toBe('#NUM!');
    expect(errorOf(only(fn('HOURS')(...args, [[10], [20]], null, null)))?.message).toBe('capacity: give one cell, not 2 × 1');
  });

  it('KAM.COVERAGE looks each account up in the contacts table', () => {
    const contacts = [
      ['Acme', 'Decision maker', 'supporter', 'yes'],
      ['Acme', 'coach', 'supporter', null],
      ['Acme', 'user', 'neutral', null],
      ['Acme', 'technical', 'opponent', null],
      [' birch ', 'user', 'supporter', null],
      ['Birch', 'technical', 2, null],
    ];
    const column = (i: number): unknown[][] => contacts.map((r) => [r[i]]);
    const coverage = fn('COVERAGE');
    // Acme: 2 solid contacts, the supporters (16) + decision maker engaged (25) + coach (15) + (2 − 1)/4 of 20 (5).
    // Birch: 2 solid (16) + 2 supporters of 2 (20). Cedar: no contacts.
    expect(coverage(col('Acme', 'Birch', 'Cedar'), column(0), column(1), column(2), column(3), null, null)).toEqual([[61], [36], [0]]);
    expect(only(coverage([['ACME']], column(0), column(1), column(2), null, null, null))).toBe(61);

    const bad = contacts.map((r) => [...r]);
    (bad[2] as unknown[])[1] = 'boss';
    const e = errorOf(
      only(
        coverage(
          [['Acme']],
          bad.map((r) => [r[0]]),
          bad.map((r) => [r[1]]),
          bad.map((r) => [r[2]]),
          null,
          null,
          null,
        ),
      ),
    );
    expect(e?.message).toBe('contact row 3: roles: "boss" is not one of economic / user / technical / coach / other');
    expect(errorOf(only(coverage([[null]], column(0), column(1), column(2), null, null, null)))).toEqual({ code: '#N/A', message: 'account is blank' });
  });

  it('KAM.QUADRANT splits attractiveness against strength at 50', () => {
    const q = fn('QUADRANT');
    expect(q(col(81.6, 81.6, 39.7, 39.7), col(70, 30, 70, 30), null, null)).toEqual([['Strategic'], ['Star'], ['Status'], ['Streamline']]);
    expect(q(col(81.6, 81.6), [[70]], null, 'zh')).toEqual([['战略型'], ['战略型']]);
    expect(showCells(q(col(120, null), [[50]], null, null))).toEqual([['#VALUE!: attractiveness: 120 is outside the allowed range 0–100'], ['#N/A: attractiveness is blank']]);
  });

  it("KAM.HORIZON buckets months by the rules' bounds", () => {
    expect(fn('HORIZON')(col(0, 2, 3, 4.5, 6, 9, 12, 15), null, null).map((r) => r[0])).toEqual(['0–3', '0–3', '0–3', '3–6', '3–6', '6–12', '6–12', '>12']);
    expect(showCells(fn('HORIZON')(col(-1), null, null))[0]?.[0]).toBe('#VALUE!: months: -1 is outside the allowed range ≥ 0');
  });

  it('KAM.GROWTHRATE: a row or a column is one series, a block one series per row', () => {
    const g = fn('GROWTHRATE');
    expect(only(g(col(100, 110, 121), null))).toBeCloseTo(0.1, 12);
    expect(only(g([[100, 110, 121]], null))).toBeCloseTo(0.1, 12);
    expect(only(g(col(null, 100, 110, 121, null), null))).toBeCloseTo(0.1, 12);
    const block = g(
      [
        [100, 110, 121],
        [200, 180, 162],
        [0, 10, 20],
        [50, null, 60],
        [50, 'x', 60],
        [1, new FakeError('#N/A'), 2],
      ],
      null,
    );
    expect(block).toHaveLength(6);
    expect(block[0]?.[0]).toBeCloseTo(0.1, 12);
    expect(block[1]?.[0]).toBeCloseTo(-0.1, 12);
    expect(errorOf(block[2]?.[0])?.code).toBe('#N/A');
    expect(errorOf(block[3]?.[0])).toEqual({ code: '#N/A', message: 'period 2 is blank: fill it in (0 if nothing was bought)' });
    expect(errorOf(block[4]?.[0])).toEqual({ code: '#VALUE!', message: 'periodTotals: "x" is not a number (expected an amount such as 1200000 or 1,200,000)' });
    expect(errorOf(block[5]?.[0])?.code).toBe('#N/A');
    expect(errorOf(only(g([[100]], null)))).toEqual({ code: '#N/A', message: 'growth needs at least 2 period totals, got 1' });
  });
});

/** How the guard words an exception it caught, without the detail. */
const INTERNAL_ERROR = text('en', 'internal', { detail: '' }).trim();

describe('nothing throws', () => {
  it('every function answers odd arguments with a value or an error, never an exception', () => {
    const odd: unknown[] = [undefined, null, [], [[]], 'text', 42, [[{}]], [[Symbol.iterator]], [[new FakeError('#N/A')]], [[[1]]]];
    for (const id of FUNCTION_IDS) {
      for (const value of odd) {
        const args = Array.from({ length: 10 }, () => value);
        const result = fn(id)(...args);
        expect(Array.isArray(result)).toBe(true);
        expect(Array.isArray(result[0])).toBe(true);
        // The guard turns any exception into #VALUE!, so "no exception" alone cannot fail: an
        // internal error reaching a cell is the failure to look for.
        const internal = result.flat().filter((cell) => errorOf(cell)?.message.startsWith(INTERNAL_ERROR));
        expect([id, value, internal]).toEqual([id, value, []]);
      }
    }
  });
});
