/**
 * One contract, two gateways: the in-memory gateway (what the browser tests drive) and the
 * Office.js gateway (over the fake object model of ./fakeExcel.ts; this tests the Office.js
 * contract, not Excel itself) must leave a workbook in the same state after the same calls.
 */
import { MemoryGateway, MemoryWorkbook, type MemorySheet } from '../../src/gateway/memory';
import { OfficeGateway, type ExcelRun } from '../../src/gateway/office';
import { RULES_SHEET, STAGING_SHEET, type Cell, type ResultColumn, type WorkbookGateway } from '../../src/gateway/types';
import { defaultRules, rulesToTable } from '../../src/engine';
import { demoAccounts } from '../../src/taskpane/demo/workbook';
import { FakeExcel } from './fakeExcel';

type Make = (book: MemoryWorkbook, budget: number) => WorkbookGateway;

const IMPLEMENTATIONS: Array<[string, Make]> = [
  ['memory', (book, budget) => new MemoryGateway(book, { chunkBudget: budget })],
  ['office', (book, budget) => new OfficeGateway({ chunkBudget: budget }, new FakeExcel(book).run as unknown as ExcelRun)],
];

function book(): MemoryWorkbook {
  const b = MemoryWorkbook.fromRows('Accounts', demoAccounts('en', 60));
  b.selection = { sheet: 'Accounts', row: 5, col: 3 };
  return b;
}

function dump(sheet: MemorySheet | undefined): string[] {
  if (!sheet) return [];
  const used = sheet.usedRect();
  const out: string[] = [];
  if (!used) return out;
  for (let r = 0; r < used.row + used.rowCount; r++) {
    for (let c = 0; c < used.col + used.colCount; c++) {
      const v = sheet.value(r, c);
      if (v !== '' || sheet.formula(r, c) !== undefined) out.push(`${r},${c}:${JSON.stringify(v)}:${sheet.formula(r, c) ?? ''}:${sheet.format(r, c)}`);
    }
  }
  return out;
}

function results(n: number, tier: string): ResultColumn[] {
  return [
    { key: 'score', header: 'KAM Score', kind: 'number', numberFormat: '0.0', values: Array.from({ length: n }, (_, i) => (i % 7 === 0 ? '' : i + 0.5)) },
    { key: 'tier', header: 'KAM Tier', kind: 'text', values: Array.from({ length: n }, (_, i) => (i % 2 ? tier : '=odd')) },
    { key: 'flags', header: 'KAM Flags', kind: 'text', values: Array.from({ length: n }, (_, i) => (i % 3 ? '' : '1e5')) },
  ];
}

/** The same session of calls, on any gateway. */
async function session(gateway: WorkbookGateway): Promise<string[]> {
  const log: string[] = [];
  const region = await gateway.findRegion({ kind: 'selection' });
  log.push(`region ${region.address} ${region.rowCount}`);
  await gateway.writeRules(rulesToTable(defaultRules()));
  const first = await gateway.writeResults({
    region,
    columns: results(region.rowCount, 'Key'),
    tierColours: [{ text: 'Key', fill: '#DDEBF7', font: '#1F4E78' }],
    filter: 'autoFilter',
  });
  log.push(`first ${first.added.join()} | ${first.updated.join()} | ${first.addresses.join()}`);
  const again = await gateway.findRegion({ kind: 'selection' });
  const second = await gateway.writeResults({ region: again, columns: results(again.rowCount, 'Strategic'), tierColours: [], filter: 'autoFilter' });
  log.push(`second ${second.added.join()} | ${second.updated.join()} | ${second.addresses.join()}`);
  await gateway.filterTier(second.region, second.region.kamColumns.tier as number, ['Strategic']);
  const controller = new AbortController();
  const cancelled = await gateway
    .writeResults(
      { region: second.region, columns: results(again.rowCount, 'Develop'), tierColours: [], filter: 'autoFilter' },
      { signal: controller.signal, onProgress: () => controller.abort() },
    )
    .then(
      () => 'not cancelled',
      (e: { problem?: { key: string } }) => e.problem?.key ?? 'error',
    );
  log.push(`third ${cancelled}`);
  return log;
}

describe.each(IMPLEMENTATIONS)('the %s gateway', (_name, make) => {
  it('finds, writes, re-applies in place, filters and cancels as the contract says', async () => {
    const b = book();
    const log = await session(make(b, 600));
    expect(log).toEqual(['region Accounts!A1:I61 60', 'first score,tier,flags |  | J1:J61,K1:K61,L1:L61', 'second  | score,tier,flags | J1:J61,K1:K61,L1:L61', 'third cancelled']);
    const sheet = b.sheet('Accounts') as MemorySheet;
    expect(sheet.value(2, 10)).toBe('Strategic');
    expect(sheet.value(1, 10)).toBe('=odd');
    expect(sheet.formula(1, 10)).toBeUndefined();
    expect(sheet.value(1, 11)).toBe('1e5');
    expect(b.sheet(STAGING_SHEET)).toBeUndefined();
    expect(b.sheet(RULES_SHEET)).toBeDefined();
  });

  it('refuses to write over a user cell beside the data', async () => {
    const b = book();
    (b.sheet('Accounts') as MemorySheet).setRaw(40, 10, 7);
    const gateway = make(b, 600);
    const region = await gateway.findRegion({ kind: 'selection' });
    await expect(gateway.writeResults({ region, columns: results(60, 'Key'), tierColours: [], filter: 'none' })).rejects.toMatchObject({
      problem: { key: 'cellsNotEmpty', params: { sheet: 'Accounts', address: 'J1:L61', used: 'K41' } },
    });
  });
});

describe.each(IMPLEMENTATIONS)('the %s gateway marks its columns', (_name, make) => {
  it('marks each result column with a hidden sheet-scoped name on its header, as kam does', async () => {
    const b = book();
    const gateway = make(b, 600);
    const region = await gateway.findRegion({ kind: 'selection' });
    await gateway.writeResults({ region, columns: results(region.rowCount, 'Key'), tierColours: [], filter: 'none' });
    const names = Object.fromEntries((b.sheet('Accounts') as MemorySheet).names);
    expect(names).toEqual({
      KAM_RESULT_SCORE: { formula: "='Accounts'!$J$1", visible: false },
      KAM_RESULT_TIER: { formula: "='Accounts'!$K$1", visible: false },
      KAM_RESULT_FLAGS: { formula: "='Accounts'!$L$1", visible: false },
    });
    // Workbook-scoped names are not used for marks.
    expect([...b.names.keys()].some((n) => n.startsWith('KAM_RESULT_'))).toBe(false);
  });

  it('never overwrites a user column titled like ours: ours go beside it and the report names it', async () => {
    const b = book();
    const sheet = b.sheet('Accounts') as MemorySheet;
    // The user's own "KAM Tier" column, right of the data, holding their own labels.
    sheet.setRaw(0, 9, 'KAM Tier');
    for (let r = 1; r <= 60; r++) sheet.setRaw(r, 9, 'Gold (set by VP)');
    const gateway = make(b, 600);
    const region = await gateway.findRegion({ kind: 'selection' });
    expect(region.kamColumns).toEqual({});
    const first = await gateway.writeResults({ region, columns: results(region.rowCount, 'Key'), tierColours: [], filter: 'none' });
    expect(first.added).toEqual(['score', 'tier', 'flags']);
    expect(first.keptUserColumns).toEqual(['KAM Tier']);
    expect(first.addresses).toEqual(['K1:K61', 'L1:L61', 'M1:M61']);
    expect([sheet.value(0, 9), sheet.value(5, 9)]).toEqual(['KAM Tier', 'Gold (set by VP)']);
    expect(sheet.value(0, 11)).toBe('KAM Tier (kam)');
    // Applied again: our columns are found by their marks and updated; the user's stays as it was.
    const again = await gateway.findRegion({ kind: 'selection' });
    expect(again.kamColumns).toEqual({ score: 10, tier: 11, flags: 12 });
    const second = await gateway.writeResults({ region: again, columns: results(again.rowCount, 'Strategic'), tierColours: [], filter: 'none' });
    expect([second.added, second.updated]).toEqual([[], ['score', 'tier', 'flags']]);
    expect([sheet.value(5, 9), sheet.value(2, 11), sheet.value(0, 11)]).toEqual(['Gold (set by VP)', 'Strategic', 'KAM Tier (kam)']);
  });

  it('adds a sheet without ever replacing one', async () => {
    const b = book();
    const gateway = make(b, 600);
    const rows: Cell[][] = [
      ['Customer', 'Annual sales'],
      ['Alfreds', 1200.5],
      ['=x', 3],
    ];
    expect(await gateway.addSheet('Accounts', rows, ['@', '#,##0.00'])).toEqual({ sheet: 'Accounts (2)', address: "'Accounts (2)'!A1:B3" });
    const added = b.sheet('Accounts (2)') as MemorySheet;
    expect([added.value(1, 1), added.value(2, 0), added.format(1, 1)]).toEqual([1200.5, '=x', '#,##0.00']);
    expect((b.sheet('Accounts') as MemorySheet).value(0, 0)).toBe('Customer');
    expect((await gateway.addSheet('Accounts', rows)).sheet).toBe('Accounts (3)');
  });
});

it('leaves identical workbooks behind', async () => {
  const books = IMPLEMENTATIONS.map(() => book());
  for (const [i, [, make]] of IMPLEMENTATIONS.entries()) await session(make(books[i] as MemoryWorkbook, 600));
  const [a, b] = books as [MemoryWorkbook, MemoryWorkbook];
  expect(dump(b.sheet('Accounts'))).toEqual(dump(a.sheet('Accounts')));
  expect(dump(b.sheet(RULES_SHEET))).toEqual(dump(a.sheet(RULES_SHEET)));
  expect(b.names).toEqual(a.names);
  expect((b.sheet('Accounts') as MemorySheet).names).toEqual((a.sheet('Accounts') as MemorySheet).names);
  const sa = a.sheet('Accounts') as MemorySheet;
  const sb = b.sheet('Accounts') as MemorySheet;
  expect(sb.conditionalFormats).toEqual(sa.conditionalFormats);
  expect(sb.autoFilter).toEqual(sa.autoFilter);
  const cells: Cell[] = [sa.value(0, 9), sb.value(0, 9)];
  expect(cells).toEqual(['KAM Score', 'KAM Score']);
});
