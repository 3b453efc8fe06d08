/**
 * Portable formulas in HyperFormula, an independent spreadsheet engine, in process: every row gives
 * the engine's score, tier and flags, for the golden accounts and generated ones; and after the
 * rules sheet's cells are edited, the engine's results under the edited rules.
 */
import fc from 'fast-check';
import { HyperFormula, type RawCellContent } from 'hyperformula';
import { defaultRules, MAX_FORMULA_LENGTH, parseRules, PORTABLE_FUNCTIONS, portableFormulas, ruleReferences, rulesToTable, type Lang, type RuleSet } from '../../src/engine';
import golden from '../fixtures/golden-accounts.json';
import { accountArb, engineRows, layout, rowFormulas, type Account } from './sheet';
import { cnyRules } from '../support/rules';

// Plain IEEE arithmetic and comparisons: HyperFormula's default 14-digit rounding and comparison
// tolerance would hide a formula that is merely close to the engine.
const CONFIG = { licenseKey: 'gpl-v3', precisionEpsilon: 0, smartRounding: false, useArrayArithmetic: false } as const;
// The FX lookup is SUMPRODUCT((codes=code)*rates): every spreadsheet evaluates SUMPRODUCT's
// arguments as arrays; HyperFormula does so only with array arithmetic on. And "ÉUR" is not "EUR" in
// Excel, LibreOffice or Google Sheets: HyperFormula's comparisons ignore accents unless told not to.
const FX_CONFIG = { ...CONFIG, useArrayArithmetic: true, accentSensitive: true } as const;

function computed(
  rules: RuleSet,
  lang: Lang,
  accounts: readonly Account[],
  absent: readonly string[] = [],
  edit?: (hf: HyperFormula, rulesSheet: number, accountsSheet: number) => void,
  withCurrency = false,
): Array<[number | null, string, string]> {
  const sheet = layout(rules, lang, accounts, absent, withCurrency);
  const hf = HyperFormula.buildFromSheets(
    { 'KAM Rules': sheet.rulesTable as RawCellContent[][], Accounts: sheet.accounts as RawCellContent[][] },
    withCurrency ? FX_CONFIG : CONFIG,
  );
  try {
    edit?.(hf, hf.getSheetId('KAM Rules') as number, hf.getSheetId('Accounts') as number);
    const values = hf.getSheetValues(hf.getSheetId('Accounts') as number);
    return accounts.map((_, k) => {
      const row = values[k + 1] ?? [];
      const [score, tier, flags] = row.slice(sheet.scoreCol, sheet.scoreCol + 3);
      if (typeof score === 'object' || typeof tier === 'object' || typeof flags === 'object') throw new Error(`row ${k + 2}: an error value ${JSON.stringify(row)}`);
      return [score === '' ? null : (score as number), String(tier), String(flags)];
    });
  } finally {
    hf.destroy();
  }
}

/** Scores in CNY; EUR and USD have rates, GBP has none. */
const fxRules = (): RuleSet =>
  cnyRules([
    { code: 'EUR', rate: 7.8125, date: '2026-11-30' },
    { code: 'USD', rate: 7.1 },
  ]);

/** What a currency cell may hold: codes in any case and spacing, the words and symbols the engine reads, and what it refuses. */
const CURRENCY_CELLS = [
  'EUR',
  'USD',
  'CNY',
  ' eur ',
  'usd',
  'Cny',
  'RMB',
  'rmb',
  '€',
  ' € ',
  '£',
  'GBP',
  'XYZ',
  '$',
  '¥',
  '12',
  'EU',
  'EURO',
  'E*R',
  '???',
  '*',
  'ÉUR',
  null,
  '',
  '   ',
  // Whitespace from pasted exports, which the engine trims (JS trim) like spaces: tab, line feed,
  // carriage return, no-break space, mixed with spaces, in any case.
  'USD\t',
  '\tusd',
  'EUR\n',
  '\r\nEUR\r\n',
  'CNY\r',
  '\u00A0EUR',
  'usd\u00A0',
  ' \t\u00A0 Eur \n ',
  '\u00A0rmb\t',
  '\t€\u00A0',
  '\tXYZ\n',
  '\u00A0EURO ',
  '\t',
  '\u00A0',
  ' \r\n\t\u00A0 ',
  // The ideographic space of Chinese text.
  '\u3000CNY\u3000',
  'usd\u3000',
  '\u3000',
];

/**
 * Whitespace inside the text: not a code for the engine nor for the formulas, so Invalid input in
 * both; the formulas quote the text with each run of it as one space (TRIM), the engine as written.
 */
const INNER_BLANK_CELLS = ['US\tD', 'E\u00A0UR', '\tU\r\nSD ', 'U  SD', ' e\u00A0\u00A0ur\t', 'C\u3000NY'];
/** The engine's flags as the formulas quote the cell: tab, line break, no-break and ideographic space as spaces, runs of them as one. */
const asTrimQuotes = (flags: string, cell: string): string => flags.replace(cell.trim(), cell.trim().replace(/[\t\n\r\u00A0\u3000 ]+/g, ' '));

const GOLDEN = (golden as { accounts: Array<{ inputs: Account }> }).accounts.map((a) => a.inputs);
// Golden inputs that are numbers or blanks: texts are the engine's to read (kam lists them).
const NUMERIC_GOLDEN = GOLDEN.filter((a) => Object.values(a).every((v) => v === null || typeof v === 'number'));

describe('portable formulas in HyperFormula', () => {
  test.each(['en', 'zh'] as const)("golden accounts (%s): the engine's score, tier and flags", (lang) => {
    const rules = defaultRules();
    expect(NUMERIC_GOLDEN.length).toBeGreaterThan(5);
    expect(computed(rules, lang, NUMERIC_GOLDEN)).toEqual(engineRows(rules, lang, NUMERIC_GOLDEN));
  });

  test('only functions every spreadsheet has', () => {
    const rules = defaultRules();
    const f = rowFormulas(rules, 'zh', 2);
    const used = new Set([f.score, f.tier, f.flags].flatMap((text) => [...text.replace(/"(?:[^"]|"")*"/g, '""').matchAll(/([A-Z][A-Z0-9.]*)\(/g)].map((m) => m[1] as string)));
    expect([...used].filter((name) => !(PORTABLE_FUNCTIONS as readonly string[]).includes(name))).toEqual([]);
    expect(used.has('LET') || used.has('IFS') || used.has('ROUND')).toBe(false);
  });

  test("a rule set with a currency: formulas that convert from the currency cell, within a cell's length", () => {
    const rules = fxRules();
    // With the score's cell, as the CLI and the pane give it (the tier that recomputes the score is too long).
    const converting = portableFormulas(rules, { inputs: { sales: 'B2' }, currency: 'K2', scoreCell: 'J2', lang: 'en' });
    expect(converting?.score).toContain('K2');
    // No currency column: the amounts are in the rule set's currency, as the engine reads them.
    expect(portableFormulas(rules, { inputs: { sales: 'B2' }, lang: 'en' })?.score).not.toContain('TRIM');
    const f = rowFormulas(rules, 'zh', 1048576, [], true);
    expect(Math.max(f.score.length, f.tier.length, f.flags.length)).toBeLessThanOrEqual(MAX_FORMULA_LENGTH);
    const used = new Set([f.score, f.tier, f.flags].flatMap((text) => [...text.replace(/"(?:[^"]|"")*"/g, '""').matchAll(/([A-Z][A-Z0-9.]*)\(/g)].map((m) => m[1] as string)));
    expect([...used].filter((name) => !(PORTABLE_FUNCTIONS as readonly string[]).includes(name))).toEqual([]);
    expect(used.has('SUMPRODUCT')).toBe(true);
  });

  test('texts and numbers outside the valid range: Invalid input', () => {
    const rules = defaultRules();
    const accounts: Account[] = [
      { sales: 'lots', margin: 0.2, growth: 0.1, wallet: 5e5, paymentDays: 40, access: 3, openness: 3 },
      { sales: 1e5, margin: 2, growth: 0.1, wallet: 5e5, paymentDays: 40, access: 9, openness: 3 },
    ];
    const got = computed(rules, 'en', accounts);
    expect(got).toEqual(engineRows(rules, 'en', accounts));
  });

  test('a criterion without a column is left out of the flags, as the engine leaves it', () => {
    const rules = defaultRules();
    const accounts: Account[] = [{ sales: 5e5, margin: 0.2, growth: 0.1, wallet: null, paymentDays: 40, access: 3, openness: null }];
    expect(computed(rules, 'en', accounts, ['access'])).toEqual(engineRows(rules, 'en', accounts, ['access']));
    expect(computed(rules, 'en', accounts, ['sales'])).toEqual(engineRows(rules, 'en', accounts, ['sales']));
  });
});

describe('portable formulas in HyperFormula: generated accounts', () => {
  test.each(['en', 'zh'] as const)('equal the engine on every row (%s)', (lang) => {
    const rules = defaultRules();
    fc.assert(
      fc.property(fc.array(accountArb(rules), { minLength: 1, maxLength: 40 }), (accounts) => {
        expect(computed(rules, lang, accounts)).toEqual(engineRows(rules, lang, accounts));
      }),
      { numRuns: 25 },
    );
  });

  test('every outcome is reached by the generated accounts', () => {
    const rules = defaultRules();
    const seen = new Set<string>();
    fc.assert(
      fc.property(fc.array(accountArb(rules), { minLength: 50, maxLength: 50 }), (accounts) => {
        for (const [, tier] of engineRows(rules, 'en', accounts)) seen.add(tier);
      }),
      { numRuns: 10, seed: 7 },
    );
    expect([...seen].sort()).toEqual(['Develop', 'Excluded', 'Insufficient data', 'Invalid input', 'Key', 'Maintain', 'Strategic'].sort());
  });

  test('scores that land half-way round up as the engine rounds them', () => {
    // One criterion, weight 1, curve 0–1000: the score is input/10, so x.x5 inputs are half-way.
    const base = defaultRules();
    const rules: RuleSet = {
      ...base,
      criteria: [{ ...(base.criteria[0] as RuleSet['criteria'][number]), required: false, validMin: undefined }],
      knockouts: [],
      missingData: { minWeightShare: 0 },
    };
    (rules.criteria[0] as { curve: { type: 'linear'; min: number; max: number } }).curve = { type: 'linear', min: 0, max: 1000 };
    const accounts: Account[] = [622.5, 62.25 * 10, 0.5, 0.49999999999999994, 4.45, 44.5, 1.005, 0.15, 0.35, 994.5, 999.95].map((x) => ({ sales: x }));
    expect(computed(rules, 'en', accounts)).toEqual(engineRows(rules, 'en', accounts));
    fc.assert(
      fc.property(
        fc.array(
          fc.integer({ min: 0, max: 20000 }).map((k) => ({ sales: k / 20 })),
          { minLength: 1, maxLength: 50 },
        ),
        (accs) => {
          expect(computed(rules, 'en', accs)).toEqual(engineRows(rules, 'en', accs));
        },
      ),
      { numRuns: 10 },
    );
  });
});

/** The sheet cell (zero-based) of a rule value, as the formulas reference it. */
function ruleCellOf(rules: RuleSet, lang: Lang, path: string): { row: number; col: number } {
  const ref = ruleReferences(rulesToTable(rules, { lang }), { lang })[path];
  const m = /!\$([A-Z]+)\$(\d+)$/.exec(ref ?? '');
  if (!m) throw new Error(`no cell for ${path}`);
  const col = [...(m[1] as string)].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
  return { row: Number(m[2]) - 1, col };
}

describe('portable formulas in HyperFormula: the rules sheet edited', () => {
  test.each(['en', 'zh'] as const)('a weight, a curve end, a knock-out value and a tier threshold changed in their cells (%s)', (lang) => {
    const rules = defaultRules();
    const edited = defaultRules();
    const margin = edited.criteria.findIndex((c) => c.id === 'margin');
    (edited.criteria[margin] as { weight: number }).weight = 45;
    (edited.criteria[0] as { curve: { max: number } }).curve.max = 2_000_000;
    (edited.knockouts[1]?.when[0] as { value: number }).value = 0.05;
    edited.tiers.key.minScore = 50;
    edited.missingData.minWeightShare = 0.8;
    const changes: Array<[string, number]> = [
      [`criteria.${margin}.weight`, 45],
      ['criteria.0.curve.max', 2_000_000],
      ['knockouts.1.when.0.value', 0.05],
      ['tiers.key.minScore', 50],
      ['missingData.minWeightShare', 0.8],
    ];
    fc.assert(
      fc.property(fc.array(accountArb(rules), { minLength: 1, maxLength: 30 }), (accounts) => {
        const got = computed(rules, lang, accounts, [], (hf, sheet) => {
          for (const [path, value] of changes) hf.setCellContents({ sheet, ...ruleCellOf(rules, lang, path) }, value);
        });
        expect(got).toEqual(engineRows(edited, lang, accounts));
      }),
      { numRuns: 10 },
    );
  });
});

describe('portable formulas in HyperFormula: amounts in several currencies', () => {
  const full: Account = { sales: 800000, margin: 0.2, growth: 0.05, wallet: 1200000, paymentDays: 45, access: 3, openness: 4 };

  test.each(['en', 'zh'] as const)("every currency cell the engine reads or refuses, with the engine's verdict and flags (%s)", (lang) => {
    const rules = fxRules();
    const accounts: Account[] = [
      ...CURRENCY_CELLS.map((currency) => ({ ...full, currency })),
      // No amount: nothing to convert, so a blank or unknown currency is no problem.
      { ...full, sales: null, wallet: null, currency: null },
      { ...full, sales: null, wallet: null, currency: 'XYZ' },
      // The blank currency is named after the first amount present.
      { ...full, sales: null, currency: null },
      // An unreadable input is named, not the currency.
      { ...full, margin: 'lots', currency: 'XYZ' },
      { ...full, sales: 5, wallet: 1, currency: 'EUR' },
    ];
    const expected = engineRows(rules, lang, accounts);
    expect(computed(rules, lang, accounts, [], undefined, true)).toEqual(expected);
    // The comparison means something: converted, invalid for each reason.
    const invalid = expected.filter(([, tier]) => tier === (lang === 'en' ? 'Invalid input' : '输入有误')).map(([, , flags]) => flags);
    expect(invalid.some((f) => f.includes(lang === 'en' ? 'has no rate' : '汇率表中没有'))).toBe(true);
    expect(invalid.some((f) => f.includes(lang === 'en' ? 'is not a currency code' : '不是货币代码'))).toBe(true);
    expect(invalid.some((f) => f.includes(lang === 'en' ? 'the currency cell is blank' : '货币单元格为空'))).toBe(true);
    expect(expected[0]?.[0]).not.toEqual(expected[2]?.[0]);
  });

  test.each(['en', 'zh'] as const)('whitespace inside the currency text: Invalid input in both, the text quoted as TRIM leaves it (%s)', (lang) => {
    const rules = fxRules();
    const accounts: Account[] = INNER_BLANK_CELLS.map((currency) => ({ ...full, currency }));
    const expected = engineRows(rules, lang, accounts).map(([score, tier, flags], k): [number | null, string, string] => [
      score,
      tier,
      asTrimQuotes(flags, INNER_BLANK_CELLS[k] as string),
    ]);
    expect(expected.every(([score, tier]) => score === null && tier === (lang === 'en' ? 'Invalid input' : '输入有误'))).toBe(true);
    expect(computed(rules, lang, accounts, [], undefined, true)).toEqual(expected);
  });

  test('generated accounts in EUR, USD and CNY equal the engine on every row', () => {
    const rules = fxRules();
    const arb = fc.tuple(accountArb(rules), fc.constantFrom<string | null>(...CURRENCY_CELLS, 'EUR', 'USD', 'CNY', 'EUR', 'USD')).map(([a, currency]) => ({ ...a, currency }));
    fc.assert(
      fc.property(fc.array(arb, { minLength: 1, maxLength: 30 }), (accounts) => {
        expect(computed(rules, 'en', accounts, [], undefined, true)).toEqual(engineRows(rules, 'en', accounts));
      }),
      { numRuns: 20 },
    );
  });

  test('knock-outs on amounts compare the converted amount, at the knock-out value exactly', () => {
    const base = fxRules();
    const parsed = parseRules({
      ...base,
      knockouts: [
        ...base.knockouts,
        { id: 'small', effect: 'exclude', when: [{ criterion: 'sales', op: '<', value: 710000 }], reason: { en: 'too small', zh: '太小' } },
        { id: 'bigWallet', effect: 'flag', when: [{ criterion: 'wallet', op: '>=', value: 7812500 }], reason: { en: 'big wallet', zh: '钱包大' } },
      ],
    });
    if (!parsed.ok) throw new Error('rules');
    const rules = parsed.rules;
    const full: Account = { sales: 800000, margin: 0.2, growth: 0.05, wallet: 1200000, paymentDays: 45, access: 3, openness: 4 };
    // 100,000 USD is 710,000 CNY and 1,000,000 EUR is 7,812,500 CNY: on the knock-out values.
    const fixed: Account[] = [
      { ...full, sales: 100000, currency: 'USD' },
      { ...full, sales: 99999, currency: 'USD' },
      { ...full, sales: 100000, currency: 'CNY' },
      { ...full, wallet: 1000000, currency: 'EUR' },
      { ...full, wallet: 999999, currency: 'eur' },
      { ...full, sales: null, wallet: 1000000, currency: 'EUR' },
    ];
    const expected = engineRows(rules, 'en', fixed);
    expect(expected.map(([, tier]) => tier)).toContain('Excluded');
    expect(expected.some(([, , flags]) => flags.includes('big wallet'))).toBe(true);
    expect(computed(rules, 'en', fixed, [], undefined, true)).toEqual(expected);
    const arb = fc.tuple(accountArb(rules), fc.constantFrom<string | null>('EUR', 'USD', 'CNY', null)).map(([a, currency]) => ({ ...a, currency }));
    fc.assert(
      fc.property(fc.array(arb, { minLength: 1, maxLength: 30 }), (accounts) => {
        expect(computed(rules, 'zh', accounts, [], undefined, true)).toEqual(engineRows(rules, 'zh', accounts));
      }),
      { numRuns: 10 },
    );
  });

  test.each(['en', 'zh'] as const)('a rate and an amount edited in their cells: the engine under the edited rate (%s)', (lang) => {
    const rules = fxRules();
    const edited = fxRules();
    (edited.fx?.[0] as { rate: number }).rate = 8.5;
    (edited.fx?.[1] as { rate: number }).rate = 0.5;
    const arb = fc.tuple(accountArb(rules), fc.constantFrom<string | null>('EUR', 'USD', 'CNY', ' eur ', null, 'XYZ')).map(([a, currency]) => ({ ...a, currency }));
    fc.assert(
      fc.property(fc.array(arb, { minLength: 1, maxLength: 20 }), (accounts) => {
        const changed = accounts.map((a, k) => (k === 0 ? { ...a, sales: 450000, currency: 'USD' } : a));
        const got = computed(
          rules,
          lang,
          accounts,
          [],
          (hf, rulesSheet, accountsSheet) => {
            hf.setCellContents({ sheet: rulesSheet, ...ruleCellOf(rules, lang, 'fx.0.rate') }, 8.5);
            hf.setCellContents({ sheet: rulesSheet, ...ruleCellOf(rules, lang, 'fx.1.rate') }, 0.5);
            hf.setCellContents({ sheet: accountsSheet, row: 1, col: rules.criteria.findIndex((c) => c.id === 'sales') }, 450000);
            hf.setCellContents({ sheet: accountsSheet, row: 1, col: rules.criteria.length + 3 }, 'USD');
          },
          true,
        );
        expect(got).toEqual(engineRows(edited, lang, changed));
      }),
      { numRuns: 8 },
    );
  });
});
