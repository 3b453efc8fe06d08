/**
 * Rules of real Excel that the gateways must obey, checked on both gateways (the in-memory one and
 * the Office.js one over the fake object model), each rule also shown to bite in the fake itself:
 *  - a formula entered into a Text ("@") cell is kept as text (finding 2);
 *  - in a display language that renames custom functions, only the local name works (finding 1);
 *  - Excel's typing rules, from the fake's own table, agree with what production protects;
 *  - a table cannot always grow by columns.add; a chart from text has no series (finding 7).
 */
import fc from 'fast-check';
import { MemoryGateway, MemoryWorkbook, useDisplayLanguage, type MemorySheet } from '../../src/gateway/memory';
import { OfficeGateway, type ExcelRun } from '../../src/gateway/office';
import { localizeFormula, metadataLocale } from '../../src/gateway/formulaNames';
import { needsTextFormat } from '../../src/gateway/layout';
import type { ResultColumn, WorkbookGateway } from '../../src/gateway/types';
import { FakeExcel, type FakeContext } from './fakeExcel';
import { typeIntoCell } from './excelTyping';

const HEADERS = ['Customer', 'Annual sales', 'Gross margin', 'Growth', 'Wallet', 'Days to pay', 'Access', 'Openness'];
const SCORE = '=KAM.SCORE(RC2,RC3,RC4,RC5,RC6,RC7,RC8)';
const TIER = '=KAM.TIER(RC2,RC3,RC4,RC5,RC6,RC7,RC8,"zh")';

/** Formula values as Excel would compute them: here, which function answered. */
function evaluator(): MemoryWorkbook['evaluator'] {
  return (_book, _sheet, row, _col, formula) => {
    const m = /^=KAM\.(SCORE|TIER)\(/.exec(formula);
    return m ? `${m[1]} of row ${row + 1}` : '#NAME?';
  };
}

function workbook(rows = 4): MemoryWorkbook {
  const book = MemoryWorkbook.fromRows('Accounts', [HEADERS, ...Array.from({ length: rows }, (_, i) => [`C${i}`, 100 + i, 0.2, 0.05, 1000, 30, 3, 4])]);
  book.selection = { sheet: 'Accounts', row: 1, col: 1 };
  book.evaluator = evaluator();
  return book;
}

type Make = (book: MemoryWorkbook, displayLanguage: string, apiSets?: Record<string, string>) => WorkbookGateway;
const GATEWAYS: Array<[string, Make]> = [
  [
    'memory',
    (book, displayLanguage) => {
      useDisplayLanguage(book, displayLanguage);
      return new MemoryGateway(book);
    },
  ],
  [
    'office',
    (book, displayLanguage, apiSets) => {
      const excel = new FakeExcel(book, { displayLanguage, ...(apiSets ? { apiSets } : {}) });
      return new OfficeGateway({ displayLanguage, isSetSupported: excel.isSetSupported }, excel.run as unknown as ExcelRun);
    },
  ],
];

const formulaColumns = (): ResultColumn[] => [
  { key: 'score', header: 'KAM Score', kind: 'number', numberFormat: '0.0', formulaR1C1: SCORE },
  { key: 'tier', header: 'KAM Tier', kind: 'text', formulaR1C1: TIER },
];
const valueColumns = (n: number): ResultColumn[] => [
  { key: 'score', header: 'KAM Score', kind: 'number', numberFormat: '0.0', values: Array.from({ length: n }, () => 50) },
  { key: 'tier', header: 'KAM Tier', kind: 'text', values: Array.from({ length: n }, () => '=Key') },
];

/** One batch on the fake, as Excel.run would run it. */
async function batch(excel: FakeExcel, work: (context: FakeContext) => void): Promise<void> {
  await excel.run(async (context) => {
    work(context);
    await context.sync();
  });
}

describe('the fake Excel obeys the rules', () => {
  it('keeps a formula entered into a Text cell as text, and computes it in a General cell', async () => {
    const book = workbook();
    book.evaluator = evaluator();
    const excel = new FakeExcel(book);
    await batch(excel, (ctx) => {
      const sheet = ctx.workbook.worksheets.getItem('Accounts');
      const text = sheet.getRangeByIndexes(1, 9, 1, 1);
      text.numberFormat = [['@']];
      text.formulasR1C1 = [[SCORE]];
      const general = sheet.getRangeByIndexes(2, 9, 1, 1);
      general.formulasR1C1 = [[SCORE]];
    });
    const sheet = book.sheet('Accounts') as MemorySheet;
    expect([sheet.value(1, 9), sheet.formula(1, 9)]).toEqual([SCORE, undefined]);
    expect([sheet.value(2, 9), sheet.formula(2, 9)]).toEqual(['SCORE of row 3', SCORE]);
  });

  it('in Chinese Excel, gives #NAME? for the English name and takes the local name through formulasLocal', async () => {
    const book = workbook();
    const excel = new FakeExcel(book, { displayLanguage: 'zh-CN' });
    await batch(excel, (ctx) => {
      const sheet = ctx.workbook.worksheets.getItem('Accounts');
      sheet.getRangeByIndexes(1, 9, 1, 1).formulasR1C1 = [[SCORE]];
      sheet.getRangeByIndexes(2, 9, 1, 1).formulas = [['=KAM.SCORE($B3,$C3,$D3,$E3,$F3,$G3,$H3)']];
      sheet.getRangeByIndexes(3, 9, 1, 1).formulasLocal = [['=KAM.客户评分($B4,$C4,$D4,$E4,$F4,$G4,$H4)']];
      sheet.getRangeByIndexes(4, 9, 1, 1).formulasLocal = [['=KAM.SCORE($B5,$C5,$D5,$E5,$F5,$G5,$H5)']];
    });
    const sheet = book.sheet('Accounts') as MemorySheet;
    expect([1, 2, 3, 4].map((r) => sheet.value(r, 9))).toEqual(['#NAME?', '#NAME?', 'SCORE of row 4', '#NAME?']);
    // The workbook stores the function by id: the same cell works in English Excel.
    expect(sheet.formula(3, 9)).toBe(SCORE);
  });
});

describe.each(GATEWAYS)('the %s gateway', (_name, make) => {
  it('writes live TIER and FLAGS formulas into cells that are not Text, even over a Text column of a values Apply', async () => {
    const book = workbook(4);
    const gateway = make(book, 'en-US');
    const region = await gateway.findRegion({ kind: 'selection' });
    const first = await gateway.writeResults({ region, columns: valueColumns(4), tierColours: [], filter: 'none' });
    const sheet = book.sheet('Accounts') as MemorySheet;
    expect([sheet.value(1, 9), sheet.format(1, 9)]).toEqual(['=Key', '@']);
    await gateway.writeResults({ region: first.region, columns: formulaColumns(), tierColours: [], filter: 'none' });
    for (let r = 1; r <= 4; r++) {
      expect([sheet.value(r, 9), sheet.formula(r, 9), sheet.format(r, 9)]).toEqual([`TIER of row ${r + 1}`, TIER, 'General']);
      expect([sheet.value(r, 8), sheet.format(r, 8)]).toEqual([`SCORE of row ${r + 1}`, '0.0']);
    }
  });

  it('writes live formulas that Chinese Excel resolves, stored by id so English Excel reads them too', async () => {
    const book = workbook(3);
    const gateway = make(book, 'zh-CN');
    const region = await gateway.findRegion({ kind: 'selection' });
    await gateway.writeResults({ region, columns: formulaColumns(), tierColours: [], filter: 'none' });
    const sheet = book.sheet('Accounts') as MemorySheet;
    for (let r = 1; r <= 3; r++) expect([sheet.value(r, 8), sheet.value(r, 9), sheet.formula(r, 9)]).toEqual([`SCORE of row ${r + 1}`, `TIER of row ${r + 1}`, TIER]);
  });

  it('in English Excel writes the English names', async () => {
    const book = workbook(2);
    await (async () => {
      const gateway = make(book, 'en-US');
      await gateway.writeResults({ region: await gateway.findRegion({ kind: 'selection' }), columns: formulaColumns(), tierColours: [], filter: 'none' });
    })();
    expect((book.sheet('Accounts') as MemorySheet).value(2, 8)).toBe('SCORE of row 3');
  });
});

describe('tables that cannot shift the cells to their right', () => {
  function tableBook(): MemoryWorkbook {
    const book = workbook(3);
    book.addTable('Accounts', 'Accounts', { row: 0, col: 0, rowCount: 4, colCount: 8 });
    (book.sheet('Accounts') as MemorySheet).setRaw(2, 14, 'note of the user');
    return book;
  }

  it('grow by resize where Excel has it (ExcelApi 1.13), leaving the user cell where it was', async () => {
    const book = tableBook();
    const gateway = GATEWAYS[1]?.[1](book, 'en-US', { ExcelApi: '1.13' }) as WorkbookGateway;
    const region = await gateway.findRegion({ kind: 'table', name: 'Accounts' });
    await gateway.writeResults({ region, columns: valueColumns(3), tierColours: [], filter: 'none' });
    expect(book.table('Accounts')?.rect).toEqual({ row: 0, col: 0, rowCount: 4, colCount: 10 });
    const sheet = book.sheet('Accounts') as MemorySheet;
    expect([sheet.value(0, 8), sheet.value(0, 9), sheet.value(2, 14)]).toEqual(['KAM Score', 'KAM Tier', 'note of the user']);
  });

  it('are refused with a clear problem before anything is written where it has not', async () => {
    const book = tableBook();
    const gateway = GATEWAYS[1]?.[1](book, 'en-US', { ExcelApi: '1.9' }) as WorkbookGateway;
    const region = await gateway.findRegion({ kind: 'table', name: 'Accounts' });
    await expect(gateway.writeResults({ region, columns: valueColumns(3), tierColours: [], filter: 'none' })).rejects.toMatchObject({
      problem: { key: 'tableCannotGrow', params: { sheet: 'Accounts', table: 'Accounts', address: 'I1:J4' } },
    });
    expect((book.sheet('Accounts') as MemorySheet).value(0, 8)).toBe('');
  });

  it('still take columns.add when nothing is to their right', async () => {
    const book = workbook(3);
    book.addTable('Accounts', 'Accounts', { row: 0, col: 0, rowCount: 4, colCount: 8 });
    const gateway = GATEWAYS[1]?.[1](book, 'en-US', { ExcelApi: '1.9' }) as WorkbookGateway;
    await gateway.writeResults({ region: await gateway.findRegion({ kind: 'table', name: 'Accounts' }), columns: valueColumns(3), tierColours: [], filter: 'none' });
    expect(book.table('Accounts')?.rect.colCount).toBe(10);
  });
});

it('gives a column chart its series even when Excel reads the source as text', async () => {
  const book = workbook(1);
  const excel = new FakeExcel(book);
  const gateway = new OfficeGateway({}, excel.run as unknown as ExcelRun);
  // Counts written as text: Excel would make the chart with no series.
  await gateway.writeSummary({
    title: 'Summary',
    blocks: [
      {
        id: 'tiers',
        title: 'Tiers',
        header: ['Tier', 'Accounts'],
        rows: [
          ['Key', '2'],
          ['Develop', '5'],
        ],
        formats: ['@', '@'],
      },
    ],
    charts: [{ kind: 'column', id: 'c', title: 'Accounts per tier', block: 'tiers', categoryColumn: 0, valueColumn: 1 }],
  });
  const chart = (book.sheet('KAM Summary') as MemorySheet).charts[0];
  expect(chart?.series).toEqual([{ name: 'Accounts per tier', x: { row: 4, col: 0, rowCount: 2, colCount: 1 }, y: { row: 4, col: 1, rowCount: 2, colCount: 1 } }]);
});

describe("Excel's typing rules: production protects every text the fake's own table would convert", () => {
  it('for the texts that trip people up', () => {
    for (const text of ['12:30', '(5)', '1 1/2', '$ 5', '-$5', '1e5', '50%', '1,234', 'true', '3-4', '#N/A', "'x", '=A1']) {
      const typed = typeIntoCell(text, 'General');
      expect([text, needsTextFormat(text) || (typed.kind === 'text' && typed.text === text)]).toEqual([text, true]);
    }
  });

  it('for any text', () => {
    const piece = fc.constantFrom('1', '2', '0', '.', ',', '-', '+', '/', ':', '%', '$', '(', ')', 'e', 'E', ' ', 'a', 'jan', 'true', '#N/A', '=', "'", 'x', '中');
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 8 }).map((p) => p.join('')),
        (text) => {
          if (needsTextFormat(text)) return true;
          const typed = typeIntoCell(text, 'General');
          return typed.kind === 'text' && typed.text === text;
        },
      ),
      { numRuns: 20000 },
    );
  });
});

describe('the names of the functions in a display language', () => {
  it('renames KAM calls outside strings, and separates arguments as the locale does', () => {
    expect(metadataLocale('zh-CN')).toBe('zh-cn');
    expect(metadataLocale('zh-TW')).toBeNull();
    expect(metadataLocale('en-US')).toBeNull();
    expect(localizeFormula('=KAM.TIER($B2,"KAM.SCORE(x,y)",KAM_RULES,"zh")', 'zh-CN')).toBe('=KAM.客户等级($B2,"KAM.SCORE(x,y)",KAM_RULES,"zh")');
    expect(localizeFormula('=KAM.SCORE($B2,$C2)', 'zh-CN', ';')).toBe('=KAM.客户评分($B2;$C2)');
    expect(localizeFormula('=KAM.SCORE($B2,$C2)', 'en-US')).toBe('=KAM.SCORE($B2,$C2)');
  });
});
