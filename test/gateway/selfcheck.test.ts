/**
 * The self-check ("Check this Excel") on both gateways: every step passes where the workbook obeys
 * the rules, the scratch sheet and name are gone afterwards, the user's workbook is untouched, and
 * a step fails (with what it saw) where the host does not do what KAM needs.
 */
import { MemoryGateway, MemoryWorkbook, useDisplayLanguage, type FormulaEvaluator, type MemorySheet } from '../../src/gateway/memory';
import { OfficeGateway, type ExcelRun } from '../../src/gateway/office';
import { SELF_CHECKS, SELF_CHECK_NAME, SELF_CHECK_SHEET, type SelfCheckReport } from '../../src/gateway/types';
import { kamFormulaEvaluator } from '../../src/taskpane/demo/formulas';
import { demoAccounts } from '../../src/taskpane/demo/workbook';
import { FakeExcel, type FakeExcelOptions } from './fakeExcel';

/** KAM's functions through the engine, and the one arithmetic formula the check fills down. */
const evaluator: FormulaEvaluator = (book, sheet, row, col, formula) =>
  formula === '=RC[-1]*2' ? Number(sheet.value(row, col - 1)) * 2 : kamFormulaEvaluator(book, sheet, row, col, formula);

function workbook(): MemoryWorkbook {
  const book = MemoryWorkbook.fromRows('Accounts', demoAccounts('en', 5));
  book.evaluator = evaluator;
  book.names.set('Mine', "='Accounts'!$A$1:$B$2");
  return book;
}

function snapshot(book: MemoryWorkbook): string {
  const sheet = book.sheet('Accounts') as MemorySheet;
  return JSON.stringify({ sheets: book.sheets.map((s) => s.name), names: [...book.names], cells: sheet.read({ row: 0, col: 0, rowCount: 7, colCount: 12 }), tables: book.tables });
}

function office(book: MemoryWorkbook, options: FakeExcelOptions, gatewayLanguage = options.displayLanguage): OfficeGateway {
  const excel = new FakeExcel(book, options);
  return new OfficeGateway({ displayLanguage: gatewayLanguage ?? 'en-US', isSetSupported: excel.isSetSupported }, excel.run as unknown as ExcelRun);
}

const failures = (report: SelfCheckReport): string[] => report.results.filter((r) => !r.ok).map((r) => `${r.id}: ${r.detail}`);

describe.each([
  ['memory, English', (book: MemoryWorkbook) => new MemoryGateway(book)],
  [
    'memory, Chinese',
    (book: MemoryWorkbook) => {
      useDisplayLanguage(book, 'zh-CN');
      return new MemoryGateway(book);
    },
  ],
  ['office, English, ExcelApi 1.9', (book: MemoryWorkbook) => office(book, { displayLanguage: 'en-US' })],
  ['office, Chinese, ExcelApi 1.13', (book: MemoryWorkbook) => office(book, { displayLanguage: 'zh-CN', apiSets: { ExcelApi: '1.13', CustomFunctionsRuntime: '1.3' } })],
])('the self-check on the %s gateway', (_name, make) => {
  it('passes every step, in order, and leaves the workbook as it was', async () => {
    const book = workbook();
    const before = snapshot(book);
    const report = await make(book).selfCheck();
    expect(report.results.map((r) => r.id)).toEqual([...SELF_CHECKS]);
    expect(failures(report)).toEqual([]);
    expect(book.sheet(SELF_CHECK_SHEET)).toBeUndefined();
    expect(book.names.has(SELF_CHECK_NAME)).toBe(false);
    expect(snapshot(book)).toBe(before);
  });
});

describe('the self-check reports what does not work', () => {
  it('live formulas written under the wrong names show #NAME?', async () => {
    // Chinese Excel, but a gateway that believes the display language is English.
    const report = await office(workbook(), { displayLanguage: 'zh-CN' }, 'en-US').selfCheck();
    expect(failures(report)).toEqual(['liveFormula: "#NAME?" "=KAM.SCORE($A5,$B5,$C5,$D5,$E5,$F5,$G5)"']);
  });

  it('names the requirement sets, and what a refused call said, and still cleans up', async () => {
    const book = workbook();
    const excel = new FakeExcel(book, { apiSets: { ExcelApi: '1.12' } });
    excel.failAtSync = 12;
    const gateway = new OfficeGateway({ displayLanguage: 'en-US', isSetSupported: excel.isSetSupported }, excel.run as unknown as ExcelRun);
    const report = await gateway.selfCheck();
    expect(report.apiSets).toEqual({ ExcelApi: '1.12', CustomFunctionsRuntime: null });
    expect(report.results.filter((r) => !r.ok).map((r) => r.detail)).toEqual(['GeneralException: simulated failure']);
    expect(book.sheet(SELF_CHECK_SHEET)).toBeUndefined();
  });
});
