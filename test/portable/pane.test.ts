/**
 * The pane's third way to write: portable formulas through the gateway. The R1C1 formulas the
 * session hands the gateway, placed in rows as Excel fills them down, compute the engine's verdicts
 * in HyperFormula from the rules table that Apply writes at A1 of the KAM Rules sheet.
 */
import { HyperFormula, type RawCellContent } from 'hyperformula';
import { defaultRules, rulesToTable } from '../../src/engine';
import { r1c1ToA1 } from '../../src/gateway/layout';
import { MemoryGateway, MemoryWorkbook } from '../../src/gateway/memory';
import type { Cell } from '../../src/gateway/types';
import { KamSession } from '../../src/taskpane/session';
import { engineRows, type Account } from './sheet';
import { cnyRules } from '../support/rules';

const IDS = ['sales', 'margin', 'growth', 'wallet', 'paymentDays', 'access', 'openness'];
const ACCOUNTS: Account[] = [
  { sales: 800000, margin: 0.2, growth: 0.05, wallet: 1200000, paymentDays: 45, access: 3, openness: 4 },
  { sales: 300000, margin: -0.02, growth: 0.1, wallet: null, paymentDays: 100, access: 2, openness: 2 },
  { sales: null, margin: 0.1, growth: 0, wallet: 500000, paymentDays: 60, access: 1, openness: 1 },
  { sales: 2000000, margin: 0.3, growth: 0.2, wallet: 3000000, paymentDays: 30, access: 5, openness: 5 },
  { sales: 100000, margin: 0.05, growth: null, wallet: null, paymentDays: null, access: null, openness: 2 },
];

describe('Apply with portable formulas', () => {
  test.each(['en', 'zh'] as const)("the formulas the session writes give the engine's verdicts (%s)", async (lang) => {
    // An account-name column first, inputs after it, as a user's sheet has them.
    const rows: Cell[][] = [['account', ...IDS], ...ACCOUNTS.map((a, i) => [`A${i}`, ...IDS.map((id) => a[id] ?? '')])];
    const book = MemoryWorkbook.fromRows('Accounts', rows);
    book.selection = { sheet: 'Accounts', row: 1, col: 0 };
    const session = new KamSession(new MemoryGateway(book), lang);
    await session.open();
    const columns = session.resultColumns('portable');
    const formulaOf = (key: string): string => columns.find((c) => c.key === key)?.formulaR1C1 ?? '';
    expect(formulaOf('score')).toMatch(/^=IF\(/);
    // Priority and hours stay values: only kam computes them.
    expect(columns.find((c) => c.key === 'priority')?.values).toBeDefined();

    const first = IDS.length + 1;
    const sheet = rows.map((r, k) => (k === 0 ? [...r, 'score', 'tier', 'flags'] : [...r, ...['score', 'tier', 'flags'].map((key, j) => r1c1ToA1(formulaOf(key), k, first + j))]));
    const hf = HyperFormula.buildFromSheets(
      { 'KAM Rules': rulesToTable(defaultRules()) as RawCellContent[][], Accounts: sheet as RawCellContent[][] },
      { licenseKey: 'gpl-v3', precisionEpsilon: 0, smartRounding: false },
    );
    const values = hf.getSheetValues(hf.getSheetId('Accounts') as number);
    hf.destroy();
    const got = ACCOUNTS.map((_, k) => {
      const [score, tier, flags] = (values[k + 1] ?? []).slice(first, first + 3);
      return [score === '' ? null : score, tier, flags];
    });
    expect(got).toEqual(engineRows(defaultRules(), lang, ACCOUNTS));

    // Through the gateway: the cells hold the formulas, in English names, whatever the language.
    await session.apply({ mode: 'portable', colours: false, filter: 'none' });
    const written = book.sheet('Accounts') as { formula: (r: number, c: number) => string | undefined };
    expect(written.formula(1, first)).toBe(formulaOf('score'));
  });
});

test.each(['en', 'zh'] as const)('a rule set with a currency: the formulas convert from the mapped Currency column as the engine does (%s)', async (lang) => {
  const rules = cnyRules([
    { code: 'EUR', rate: 8, date: '2026-11-30' },
    { code: 'USD', rate: 7.1 },
  ]);
  // A no-break space and a tab around the code, as pasted exports carry them: the engine and the formulas trim both.
  const currencies = ['EUR', '\u00A0usd\t', 'CNY', null, 'JPY'];
  const accounts: Account[] = ACCOUNTS.map((a, i) => ({ ...a, currency: currencies[i] ?? null }));
  const rows: Cell[][] = [['account', 'Currency', ...IDS], ...accounts.map((a, i) => [`A${i}`, a.currency ?? '', ...IDS.map((id) => a[id] ?? '')])];
  const book = MemoryWorkbook.fromRows('Accounts', rows);
  book.selection = { sheet: 'Accounts', row: 1, col: 0 };
  const gateway = new MemoryGateway(book);
  await gateway.writeRules(rulesToTable(rules, { lang }));
  const session = new KamSession(gateway, lang);
  await session.open();
  expect(session.matches.currency?.header).toBe('Currency');
  const columns = session.resultColumns('portable');
  const formulaOf = (key: string): string => columns.find((c) => c.key === key)?.formulaR1C1 ?? '';
  // The FX table's two columns as R1C1 ranges, and the currency read from column 2 of the same row.
  expect(formulaOf('score')).toMatch(/SUMPRODUCT\(\('KAM Rules'!R\d+C1:R\d+C1=.*TRIM\(SUBSTITUTE\(.*\(RC2,CHAR\(9\).*\)\*'KAM Rules'!R\d+C2:R\d+C2\)/);

  const first = IDS.length + 2;
  const sheet = rows.map((r, k) => (k === 0 ? [...r, 'score', 'tier', 'flags'] : [...r, ...['score', 'tier', 'flags'].map((key, j) => r1c1ToA1(formulaOf(key), k, first + j))]));
  const hf = HyperFormula.buildFromSheets(
    // The table Apply writes at A1 of the KAM Rules sheet (the pane's own layout).
    { 'KAM Rules': rulesToTable(rules) as RawCellContent[][], Accounts: sheet as RawCellContent[][] },
    // SUMPRODUCT's arguments are arrays in every spreadsheet; HyperFormula needs array arithmetic on for it.
    { licenseKey: 'gpl-v3', precisionEpsilon: 0, smartRounding: false, useArrayArithmetic: true, accentSensitive: true },
  );
  const values = hf.getSheetValues(hf.getSheetId('Accounts') as number);
  hf.destroy();
  const got = accounts.map((_, k) => {
    const [score, tier, flags] = (values[k + 1] ?? []).slice(first, first + 3);
    return [score === '' ? null : score, tier, flags];
  });
  const expected = engineRows(rules, lang, accounts);
  expect(got).toEqual(expected);
  // EUR and USD converted; a blank and an unknown currency beside amounts are Invalid input.
  expect(expected.slice(3).map(([, tier]) => tier)).toEqual(lang === 'en' ? ['Invalid input', 'Invalid input'] : ['输入有误', '输入有误']);
});

test('the input cells a portable formula would read as text are named before Apply', async () => {
  const rows: Cell[][] = [
    ['account', ...IDS],
    ['A', 800000, '18%', 0.05, 1200000, 45, '是', 4],
    ['B', 300000, 0.1, 0.1, '', 60, 2, 2],
  ];
  const book = MemoryWorkbook.fromRows('Accounts', rows);
  book.selection = { sheet: 'Accounts', row: 1, col: 0 };
  const session = new KamSession(new MemoryGateway(book), 'en');
  await session.open();
  expect(session.portableTextCells()).toEqual([
    { cell: 'C2', field: 'Gross margin', text: '18%' },
    { cell: 'G2', field: 'Access to goals', text: '是' },
  ]);
});
