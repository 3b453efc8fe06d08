/**
 * The pane's live KAM formulas on a sheet mixing EUR, USD and CNY (domain.md §6): the formulas pass
 * the mapped Currency column as the functions' last argument, `[currency]`, and read the FX table
 * from the KAM Rules sheet the same Apply writes. Computed by the real custom functions (the demo's
 * evaluator runs the core adapter over the engine), on the in-memory gateway and on the Office.js
 * gateway over the fake Excel, they give what a values Apply writes, row by row.
 */
import { rulesFromTable, rulesToTable, suggestCalibration, type RuleSet } from '../../src/engine';
import { MemoryGateway, MemoryWorkbook, useDisplayLanguage, type MemorySheet } from '../../src/gateway/memory';
import { OfficeGateway, type ExcelRun } from '../../src/gateway/office';
import { RULES_NAME, RULES_SHEET, type Cell, type WorkbookGateway } from '../../src/gateway/types';
import { kamFormulaEvaluator } from '../../src/taskpane/demo/formulas';
import { KamSession } from '../../src/taskpane/session';
import { FakeExcel } from '../gateway/fakeExcel';
import { cnyRules } from '../support/rules';

const cnyRates = (): RuleSet =>
  cnyRules([
    { code: 'EUR', rate: 7.8, date: '2026-11-30' },
    { code: 'USD', rate: 7.1 },
  ]);

const HEADERS = ['Customer', 'Currency', 'Annual sales', 'Gross margin', 'Growth', 'Wallet', 'Days to pay', 'Access', 'Openness'];
/** The same business in three currencies, amounts that only convert into a tier, and two the FX table cannot convert. */
const ROWS: Cell[][] = [
  ['Shanghai Ltd', 'CNY', 780_000, 0.25, 0.1, 1_560_000, 45, 4, 3],
  ['Berlin GmbH', 'EUR', 100_000, 0.25, 0.1, 200_000, 45, 4, 3],
  ['Austin Inc', 'USD', 109_859.15, 0.25, 0.1, 219_718.31, 45, 4, 3],
  ['Lyon SA', 'eur', 120_000, 0.28, 0.15, 130_000, 35, 5, 4],
  ['Denver LLC', 'USD', 20_000, 0.1, -0.05, 30_000, 90, 2, 1],
  ['Osaka KK', 'JPY', 9_000_000, 0.3, 0.1, 12_000_000, 30, 4, 4],
  ['Nowhere', '', 50_000, 0.2, 0.05, 80_000, 60, 3, 3],
];

function workbook(): MemoryWorkbook {
  const book = MemoryWorkbook.fromRows('Accounts', [HEADERS, ...ROWS]);
  book.selection = { sheet: 'Accounts', row: 1, col: 0 };
  book.evaluator = kamFormulaEvaluator;
  return book;
}

type Make = (book: MemoryWorkbook, displayLanguage: string) => WorkbookGateway;
const GATEWAYS: Array<[string, Make]> = [
  [
    'memory',
    (book, displayLanguage) => {
      useDisplayLanguage(book, displayLanguage);
      return new MemoryGateway(book);
    },
  ],
  [
    'office over the fake Excel',
    (book, displayLanguage) => {
      const excel = new FakeExcel(book, { displayLanguage, apiSets: { ExcelApi: '1.13', CustomFunctionsRuntime: '1.3' } });
      return new OfficeGateway({ displayLanguage, isSetSupported: excel.isSetSupported }, excel.run as unknown as ExcelRun);
    },
  ],
];

/** A session over the mixed sheet whose workbook carries the CNY rules. */
async function openSession(make: Make, lang: 'en' | 'zh'): Promise<{ book: MemoryWorkbook; session: KamSession }> {
  const book = workbook();
  const gateway = make(book, lang === 'zh' ? 'zh-CN' : 'en-US');
  await gateway.writeRules(rulesToTable(cnyRates(), { lang }));
  const session = new KamSession(gateway, lang);
  await session.open();
  return { book, session };
}

const column = (sheet: MemorySheet, col: number): Cell[] => ROWS.map((_, r) => sheet.value(r + 1, col) ?? null);

describe.each(GATEWAYS)('live formulas with a currency column, on the %s gateway', (_name, make) => {
  it.each(['en', 'zh'] as const)('pass the Currency column as [currency], and give what a values Apply writes (%s)', async (lang) => {
    const { book, session } = await openSession(make, lang);
    expect(session.matches.currency?.header).toBe('Currency');
    expect(session.formulaBlocker()).toBeNull();
    const language = lang === 'en' ? '' : '"zh"';
    // Rules, then language (empty in English: Excel passes null, the functions read English), then currency.
    expect(session.formulaFor('KAM.SCORE')).toBe(`=KAM.SCORE(RC3,RC4,RC5,RC6,RC7,RC8,RC9,${RULES_NAME},${language},RC2)`);

    const values = session.resultColumns('values');
    const expected = (key: string): Cell[] => (values.find((c) => c.key === key)?.values ?? []) as Cell[];
    const report = await session.apply({ mode: 'formulas', colours: false, filter: 'none' });
    const sheet = book.sheet('Accounts') as MemorySheet;
    const at = (key: 'score' | 'tier' | 'flags'): number => report.write.region.kamColumns[key] as number;
    for (const key of ['score', 'tier', 'flags'] as const) expect(sheet.formula(1, at(key))).toMatch(/,RC2\)$/);

    // The rules sheet the formulas read carries the currency and its FX table, in the pane's language.
    const rulesRect = book.nameRect(RULES_NAME);
    expect(rulesRect?.sheet.name).toBe(RULES_SHEET);
    const back = rulesRect ? rulesFromTable(rulesRect.sheet.read(rulesRect.rect)) : null;
    expect(back?.ok && [back.rules.currency, back.rules.fx]).toEqual(['CNY', cnyRates().fx]);

    const scores = column(sheet, at('score'));
    const tiers = column(sheet, at('tier'));
    const flags = column(sheet, at('flags'));
    const valid = ROWS.map((_, r) => session.result?.problems.has(r) !== true);
    expect(valid).toEqual([true, true, true, true, true, false, false]);
    ROWS.forEach((row, r) => {
      if (!valid[r]) {
        // The functions say #VALUE! where a values Apply writes Invalid input with the reason.
        expect([row[0], scores[r], tiers[r], flags[r]]).toEqual([row[0], '#VALUE!', '#VALUE!', expected('flags')[r]]);
        return;
      }
      expect([row[0], scores[r], tiers[r], flags[r]]).toEqual([row[0], expected('score')[r], expected('tier')[r], expected('flags')[r]]);
    });
    // The same business in CNY, EUR and USD scores the same once converted.
    expect(scores[1]).toBe(scores[0]);
    expect(scores[2]).toBe(scores[0]);
  });
});

it('without the [currency] argument the functions would score the raw amounts: the argument matters on this sheet', async () => {
  const { book, session } = await openSession(GATEWAYS[0]![1], 'en');
  await session.apply({ mode: 'formulas', colours: false, filter: 'none' });
  const sheet = book.sheet('Accounts') as MemorySheet;
  const withCurrency = session.formulaFor('KAM.SCORE');
  const without = withCurrency.replace(/,,RC2\)$/, ')');
  expect(kamFormulaEvaluator(book, sheet, 2, 20, withCurrency)).not.toBe(kamFormulaEvaluator(book, sheet, 2, 20, without));
});

it("a blank currency cell given as [currency] is a missing currency, not the rules' currency", () => {
  const book = workbook();
  const table = rulesToTable(cnyRates());
  book.addRows(RULES_SHEET, table);
  book.names.set(RULES_NAME, `'${RULES_SHEET}'!A1:Z${table.length}`);
  const sheet = book.sheet('Accounts') as MemorySheet;
  const args = 'RC3,RC4,RC5,RC6,RC7,RC8,RC9';
  // Row 7 (Nowhere) has a blank currency cell; omitting the argument reads its amounts as CNY.
  expect(kamFormulaEvaluator(book, sheet, 7, 20, `=KAM.SCORE(${args},${RULES_NAME},,RC2)`)).toBe('#VALUE!');
  expect(typeof kamFormulaEvaluator(book, sheet, 7, 20, `=KAM.SCORE(${args},${RULES_NAME})`)).toBe('number');
});

it("Calibrate reads the amounts converted to the rule set's currency, and says how many accounts it left out", async () => {
  const { session } = await openSession(GATEWAYS[0]![1], 'en');
  const calibration = session.calibration();
  expect([calibration.currency, calibration.leftOut]).toEqual(['CNY', 2]);
  // The five accounts that convert, written in CNY: the same targets.
  const sales = [780_000, 100_000 * 7.8, 109_859.15 * 7.1, 120_000 * 7.8, 20_000 * 7.1];
  const wallet = [1_560_000, 200_000 * 7.8, 219_718.31 * 7.1, 130_000 * 7.8, 30_000 * 7.1];
  expect(calibration.suggestions).toEqual(suggestCalibration({ sales, wallet }, cnyRates()));
  expect(calibration.suggestions.find((s) => s.criterion === 'sales')).toMatchObject({ current: 1_000_000, suggested: 870_000, basis: { values: 5 } });
  session.applyCalibration(calibration.suggestions);
  expect(session.rules.criteria.find((c) => c.id === 'sales')?.curve.max).toBe(870_000);
  expect(session.rules.currency).toBe('CNY');
});
