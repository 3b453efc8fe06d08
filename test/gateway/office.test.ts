/**
 * The Office.js workbook gateway (src/gateway/office.ts), tested against the Office.js CONTRACT,
 * not against Excel itself: Excel cannot run here. `Excel.run` is replaced by a fake object model
 * (./fakeExcel.ts, over the in-memory workbook) that queues work until `context.sync()`, refuses
 * reads of unloaded properties, and measures every round trip's payload against Excel on the
 * web's 5 MB limit. office-addin-mock is used for the single-cell read it can model.
 *
 * Covered: what is read and written, chunk sizes under the limit, the number of sync() round trips
 * for 100,000 rows, re-apply updating in place, the user's cells never overwritten, texts that
 * stay text, cancellation and failure leaving no half-written columns.
 */
import * as fs from 'fs';
import * as path from 'path';
import { OfficeMockObject } from 'office-addin-mock';
import { OfficeGateway, type ExcelRun } from '../../src/gateway/office';
import { GatewayError, RULES_NAME, RULES_SHEET, STAGING_SHEET, SUMMARY_SHEET, type Cell, type ResultColumn, type WriteRequest } from '../../src/gateway/types';
import { MemoryWorkbook, type MemorySheet } from '../../src/gateway/memory';
import { defaultRules, rulesFromTable, rulesToTable } from '../../src/engine';
import { CHUNK_BUDGET_BYTES } from '../../src/gateway/layout';
import { FakeExcel, LIMIT_BYTES } from './fakeExcel';

const HEADERS = ['Customer', 'Annual sales', 'Gross margin', 'Growth', 'Wallet', 'Days to pay', 'Access', 'Openness'];

function accounts(n: number): Cell[][] {
  const rows: Cell[][] = [HEADERS];
  for (let i = 0; i < n; i++)
    rows.push([`Customer ${i + 1}`, 100_000 + ((i * 7919) % 900_000), ((i * 37) % 30) / 100, ((i * 13) % 30) / 100 - 0.1, 2_000_000, 30 + (i % 90), i % 6, (i * 3) % 6]);
  return rows;
}

function setup(n = 20, budget?: number): { book: MemoryWorkbook; excel: FakeExcel; gateway: OfficeGateway; sheet: MemorySheet } {
  const book = MemoryWorkbook.fromRows('Accounts', accounts(n));
  book.selection = { sheet: 'Accounts', row: 3, col: 2 };
  const excel = new FakeExcel(book);
  const gateway = new OfficeGateway(budget ? { chunkBudget: budget } : {}, excel.run as unknown as ExcelRun);
  return { book, excel, gateway, sheet: book.sheet('Accounts') as MemorySheet };
}

/** Every value, formula and format of a sheet, for before/after comparisons. */
function snapshot(sheet: MemorySheet): string {
  const used = sheet.usedRect();
  if (!used) return '';
  const out: string[] = [];
  for (let r = 0; r < used.row + used.rowCount; r++) {
    for (let c = 0; c < used.col + used.colCount; c++) out.push(`${r},${c}=${JSON.stringify(sheet.value(r, c))}|${sheet.formula(r, c) ?? ''}|${sheet.format(r, c)}`);
  }
  return out.join('\n');
}

function columns(n: number, label = 'Key'): ResultColumn[] {
  return [
    { key: 'score', header: 'KAM Score', kind: 'number', numberFormat: '0.0', values: Array.from({ length: n }, (_, i) => Math.round((((i * 7) % 1000) / 10) * 10) / 10) },
    { key: 'tier', header: 'KAM Tier', kind: 'text', values: Array.from({ length: n }, (_, i) => (i % 3 === 0 ? label : 'Develop')) },
    { key: 'flags', header: 'KAM Flags', kind: 'text', values: Array.from({ length: n }, (_, i) => (i % 5 === 0 ? 'missing: Gross margin, Days to pay' : '')) },
  ];
}

async function request(gateway: OfficeGateway, cols: ResultColumn[], extra: Partial<WriteRequest> = {}): Promise<WriteRequest> {
  const region = await gateway.findRegion({ kind: 'selection' });
  return { region, columns: cols, tierColours: [{ text: 'Key', fill: '#DDEBF7', font: '#1F4E78' }], filter: 'autoFilter', ...extra };
}

const figures: Record<string, unknown> = {};
afterAll(() => {
  const dir = path.join(__dirname, '../../test-output');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'gateway-figures.json'), `${JSON.stringify(figures, null, 2)}\n`);
});

describe('finding the data', () => {
  it('takes the region around the selection, with its header row', async () => {
    const { gateway } = setup(20);
    const region = await gateway.findRegion({ kind: 'selection' });
    expect(region).toMatchObject({ sheet: 'Accounts', table: null, headerRow: 0, rowCount: 20, firstColumn: 0, lastColumn: 7, address: 'Accounts!A1:H21', kamColumns: {} });
    expect(region.columns.map((c) => c.header)).toEqual(HEADERS);
  });

  it('takes a table by name, or the used range of a sheet', async () => {
    const { book, gateway } = setup(5);
    book.addRows('Other', [['x'], ['note']], { row: 0, col: 0 });
    book.addRows('Other', accounts(3), { row: 4, col: 2 });
    book.addTable('Deals', 'Other', { row: 4, col: 2, rowCount: 4, colCount: 8 });
    const table = await gateway.findRegion({ kind: 'table', name: 'Deals' });
    expect(table).toMatchObject({ sheet: 'Other', table: 'Deals', headerRow: 4, firstColumn: 2, rowCount: 3 });
    const sheet = await gateway.findRegion({ kind: 'sheet', name: 'Accounts' });
    expect(sheet).toMatchObject({ headerRow: 0, rowCount: 5 });
  });

  it('recognises the KAM columns of an earlier Apply by their marks, not by their header', async () => {
    const { sheet, gateway } = setup(3);
    sheet.setRaw(0, 8, 'KAM Score');
    sheet.setRaw(0, 9, 'KAM 等级');
    sheet.setRaw(0, 10, 'Mine');
    // The marks kam and the pane leave: sheet-scoped names on the header cells (one for a column titled otherwise).
    sheet.setName('KAM_RESULT_SCORE', "='Accounts'!$I$1", false);
    sheet.setName('kam_result_tier', '=Accounts!$K$1', false);
    const region = await gateway.findRegion({ kind: 'selection' });
    expect(region.kamColumns).toEqual({ score: 8, tier: 10 });
    // "KAM 等级" carries no mark: it is the user's column, whatever its title.
    expect(region.columns.map((c) => c.header)).toContain('KAM 等级');
    expect(region.columns).toHaveLength(9);
    expect(region.lastColumn).toBe(10);
  });

  it('finds the marked columns of a table, and re-applies into them without a sync per column', async () => {
    const { book, excel, gateway, sheet } = setup(6);
    book.addTable('Deals', 'Accounts', { row: 0, col: 0, rowCount: 7, colCount: 8 });
    const region = await gateway.findRegion({ kind: 'table', name: 'Deals' });
    const columns: ResultColumn[] = [
      { key: 'score', header: 'KAM Score', kind: 'number', values: [1, 2, 3, 4, 5, 6] },
      { key: 'tier', header: 'KAM Tier', kind: 'text', values: ['a', 'b', 'c', 'd', 'e', 'f'] },
    ];
    await gateway.writeResults({ region, columns, tierColours: [], filter: 'table' });
    expect([...sheet.names.keys()]).toEqual(['KAM_RESULT_SCORE', 'KAM_RESULT_TIER']);
    const again = await gateway.findRegion({ kind: 'table', name: 'Deals' });
    expect(again.kamColumns).toEqual({ score: 8, tier: 9 });
    const syncs = excel.syncs;
    const report = await gateway.writeResults({ region: again, columns, tierColours: [], filter: 'table' });
    expect(report.updated).toEqual(['score', 'tier']);
    // Check, one staging chunk, commit: the marks ride in the commit's request.
    expect(excel.syncs - syncs).toBeLessThanOrEqual(4);
    expect(sheet.names.size).toBe(2);
  });

  it('adds a sheet in chunks and removes it when a chunk fails: never a half-written sheet', async () => {
    const { book, excel, gateway } = setup(3, 2_000);
    const rows: Cell[][] = [['Customer', 'Annual sales'], ...Array.from({ length: 400 }, (_, i) => [`Customer ${i}`, i * 10])];
    const ok = await gateway.addSheet('Rolled', rows, ['@', '#,##0.00']);
    expect(ok.sheet).toBe('Rolled');
    expect((book.sheet('Rolled') as MemorySheet).value(400, 0)).toBe('Customer 399');
    excel.failAtSync = excel.syncs + 4;
    await expect(gateway.addSheet('Rolled', rows)).rejects.toBeDefined();
    expect(book.sheet('Rolled (2)')).toBeUndefined();
    expect(excel.maxRequestBytes).toBeLessThan(LIMIT_BYTES);
  });

  it('says when there is no header row or no data', async () => {
    const { book, gateway } = setup(3);
    book.addRows('Numbers', [
      [1, 2],
      [3, 4],
    ]);
    book.selection = { sheet: 'Numbers', row: 0, col: 0 };
    await expect(gateway.findRegion({ kind: 'selection' })).rejects.toMatchObject({ problem: { key: 'noHeader', params: { address: 'Numbers!A1:B1' } } });
    book.addSheet('Empty');
    book.selection = { sheet: 'Empty', row: 4, col: 4 };
    await expect(gateway.findRegion({ kind: 'selection' })).rejects.toMatchObject({ problem: { key: 'noData' } });
    await expect(gateway.findRegion({ kind: 'table', name: 'Nope' })).rejects.toMatchObject({ problem: { key: 'notFound' } });
  });
});

describe('reading', () => {
  it('reads the asked columns, whole, in row chunks under the limit', async () => {
    const { gateway, excel } = setup(500, 20_000);
    const region = await gateway.findRegion({ kind: 'selection' });
    excel.batches = [];
    const progress: number[] = [];
    const [names, margin] = await gateway.readColumns(region, [0, 2], { onProgress: (done) => progress.push(done) });
    expect(names?.[0]).toBe('Customer 1');
    expect(names?.[499]).toBe('Customer 500');
    expect(margin?.[10]).toBe(((10 * 37) % 30) / 100);
    expect(excel.batches.length).toBeGreaterThanOrEqual(2);
    expect(Math.max(...excel.batches.map((b) => b.responseBytes))).toBeLessThanOrEqual(20_000);
    expect(progress[progress.length - 1]).toBe(500);
  });

  it('splits a chunk Excel refuses as too large and reads it again', async () => {
    const { gateway, excel, book } = setup(2000, 50 * 1024 * 1024);
    const sheet = book.sheet('Accounts') as MemorySheet;
    // Long texts make the first (guessed) chunk exceed 5 MB.
    for (let r = 1; r <= 2000; r++) sheet.setRaw(r, 0, 'x'.repeat(5000));
    const region = await gateway.findRegion({ kind: 'selection' });
    const [names] = await gateway.readColumns(region, [0]);
    expect(names?.every((v) => v === 'x'.repeat(5000))).toBe(true);
    expect(excel.batches.some((b) => b.failed)).toBe(true);
    expect(excel.maxResponseBytes).toBeLessThanOrEqual(LIMIT_BYTES);
  });
});

describe('writing results', () => {
  it('adds the KAM columns beside the data: headers, values, formats, colours, AutoFilter', async () => {
    const { gateway, sheet, excel } = setup(20);
    const before = sheet.read({ row: 0, col: 0, rowCount: 21, colCount: 8 });
    const report = await gateway.writeResults(await request(gateway, columns(20)));
    expect(report).toMatchObject({ sheet: 'Accounts', added: ['score', 'tier', 'flags'], updated: [], filter: 'autoFilter', chunks: 1 });
    expect(report.addresses).toEqual(['I1:I21', 'J1:J21', 'K1:K21']);
    expect(sheet.read({ row: 0, col: 8, rowCount: 1, colCount: 3 })).toEqual([['KAM Score', 'KAM Tier', 'KAM Flags']]);
    expect(sheet.value(1, 8)).toBe(0);
    expect(sheet.format(1, 8)).toBe('0.0');
    expect(sheet.value(1, 9)).toBe('Key');
    expect(sheet.format(2, 9)).toBe('@');
    expect(sheet.value(1, 10)).toBe('missing: Gross margin, Days to pay');
    expect(sheet.read({ row: 0, col: 0, rowCount: 21, colCount: 8 })).toEqual(before);
    expect(sheet.conditionalFormats).toEqual([{ rect: { row: 1, col: 9, rowCount: 20, colCount: 1 }, rules: [{ text: 'Key', fill: '#DDEBF7', font: '#1F4E78' }] }]);
    expect(sheet.autoFilter).toEqual({ rect: { row: 0, col: 0, rowCount: 21, colCount: 11 }, column: null, values: null });
    expect(excel.book.sheet(STAGING_SHEET)).toBeUndefined();
    expect(report.region.kamColumns).toEqual({ score: 8, tier: 9, flags: 10 });
  });

  it('suspends calculation in every batch that writes, and screen updating once, in the commit the user sees', async () => {
    const { gateway, excel } = setup(2000, 20_000);
    const req = await request(gateway, columns(2000));
    excel.batches = [];
    await gateway.writeResults(req);
    const writes = excel.batches.filter((b) => b.operations > 3);
    expect(writes.length).toBeGreaterThanOrEqual(4);
    for (const b of writes) expect(b).toMatchObject({ suspendCalculation: true });
    // The docs warn that suspending per chunk makes the screen flicker; the chunks go to a hidden sheet anyway.
    expect(excel.batches.filter((b) => b.suspendScreen)).toEqual([writes[writes.length - 1]]);
  });

  it('keeps texts that look like formulas or numbers as text', async () => {
    const { gateway, sheet } = setup(6);
    const cols: ResultColumn[] = [{ key: 'tier', header: 'KAM Tier', kind: 'text', values: ['=Top', '1e5', 'TRUE', '1/2', '-3', "'quoted"] }];
    await gateway.writeResults(await request(gateway, cols));
    expect([1, 2, 3, 4, 5, 6].map((r) => sheet.value(r, 8))).toEqual(['=Top', '1e5', 'TRUE', '1/2', '-3', "'quoted"]);
    expect(sheet.formula(1, 8)).toBeUndefined();
  });

  it('never writes over the user’s cells: refuses, says where, and changes nothing', async () => {
    const { gateway, sheet, book } = setup(20);
    sheet.setRaw(15, 10, 'my note');
    const before = snapshot(sheet);
    const error = await gateway.writeResults(await request(gateway, columns(20))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).problem).toEqual({ key: 'cellsNotEmpty', params: { sheet: 'Accounts', address: 'I1:K21', used: 'K16' } });
    expect(snapshot(sheet)).toBe(before);
    expect(book.sheet(STAGING_SHEET)).toBeUndefined();
    expect(sheet.autoFilter).toBeNull();
  });

  it('writes the rules in the same final request as the columns, and not at all when it refuses', async () => {
    const { gateway, book, excel } = setup(20);
    book.sheet('Accounts')?.setRaw(2, 9, 'mine');
    const refused = await gateway.writeResults({ ...(await request(gateway, columns(20))), rules: rulesToTable(defaultRules()) }).catch((e: GatewayError) => e.problem.key);
    expect(refused).toBe('cellsNotEmpty');
    expect(book.sheet(RULES_SHEET)).toBeUndefined();
    expect(book.names.has(RULES_NAME)).toBe(false);
    book.sheet('Accounts')?.setRaw(2, 9, '');
    excel.syncs = 0;
    const report = await gateway.writeResults({ ...(await request(gateway, columns(20))), rules: rulesToTable(defaultRules()) });
    expect(report.rules).toEqual({ sheet: RULES_SHEET, address: `'KAM Rules'!A1:${report.rules?.address.split(':')[1]}` });
    expect(book.names.get(RULES_NAME)).toMatch(/^='KAM Rules'!\$A\$1:/);
    // find (2) + check (1) + one chunk + commit: the rules added no round trip.
    expect(excel.syncs).toBe(5);
    // Applied again with a shorter rule set: the old table is cleared and the name follows.
    const shorter = rulesToTable({ ...defaultRules(), knockouts: [] });
    const again = await gateway.writeResults({ ...(await request(gateway, columns(20))), rules: shorter });
    expect(again.rules?.address).toMatch(new RegExp(`:[A-Z]+${shorter.length}$`));
    expect(book.sheet(RULES_SHEET)?.usedRect()?.rowCount).toBe(shorter.length);
  });

  it('applying again updates the same columns in place', async () => {
    const { gateway, sheet } = setup(20);
    const first = await gateway.writeResults(await request(gateway, columns(20, 'Key')));
    sheet.setRaw(3, 12, 'beyond'); // a user cell two columns right of KAM Flags: untouched
    const region = await gateway.findRegion({ kind: 'selection' });
    expect(region.kamColumns).toEqual(first.region.kamColumns);
    const second = await gateway.writeResults({ region, columns: columns(20, 'Strategic'), tierColours: [], filter: 'autoFilter' });
    expect(second.added).toEqual([]);
    expect(second.updated).toEqual(['score', 'tier', 'flags']);
    expect(second.addresses).toEqual(first.addresses);
    expect(sheet.value(1, 9)).toBe('Strategic');
    expect(sheet.value(0, 11)).toBe('');
    expect(sheet.value(3, 12)).toBe('beyond');
    expect(sheet.conditionalFormats.filter((cf) => cf.rect.col === 9)).toHaveLength(0);
  });

  it('writes live formulas as one R1C1 formula filled down, in one request', async () => {
    const { gateway, sheet, excel } = setup(1000);
    const req = await request(gateway, [
      { key: 'score', header: 'KAM Score', kind: 'number', numberFormat: '0.0', formulaR1C1: '=KAM.SCORE(RC2,RC3,RC4,RC5,RC6,RC7,RC8,KAM_RULES)' },
    ]);
    excel.syncs = 0;
    excel.batches = [];
    const report = await gateway.writeResults(req);
    expect(report.chunks).toBe(0);
    expect(excel.syncs).toBe(2);
    expect(excel.maxRequestBytes).toBeLessThan(5000);
    expect(sheet.formula(1, 8)).toBe('=KAM.SCORE(RC2,RC3,RC4,RC5,RC6,RC7,RC8,KAM_RULES)');
    expect(sheet.formula(1000, 8)).toBe('=KAM.SCORE(RC2,RC3,RC4,RC5,RC6,RC7,RC8,KAM_RULES)');
    expect(sheet.format(1000, 8)).toBe('0.0');
  });

  it('adds table columns through the table, which keeps its filter', async () => {
    const { gateway, book } = setup(10);
    book.addTable('Accounts', 'Accounts', { row: 0, col: 0, rowCount: 11, colCount: 8 });
    const region = await gateway.findRegion({ kind: 'table', name: 'Accounts' });
    const report = await gateway.writeResults({ region, columns: columns(10), tierColours: [], filter: 'autoFilter' });
    expect(report.filter).toBe('table');
    expect(book.table('Accounts')?.rect).toEqual({ row: 0, col: 0, rowCount: 11, colCount: 11 });
    expect((book.sheet('Accounts') as MemorySheet).value(0, 10)).toBe('KAM Flags');
  });

  it('can make the data an Excel table instead of an AutoFilter', async () => {
    const { gateway, book } = setup(10);
    const report = await gateway.writeResults(await request(gateway, columns(10), { filter: 'table' }));
    expect(report.filter).toBe('table');
    expect(book.tables[0]?.rect).toEqual({ row: 0, col: 0, rowCount: 11, colCount: 11 });
  });
});

describe('cancellation and failure leave no half-written columns', () => {
  it('cancelled between chunks: no KAM column, no staging sheet, the data as it was', async () => {
    const { gateway, sheet, book } = setup(3000, 40_000);
    const before = snapshot(sheet);
    const controller = new AbortController();
    const req = await request(gateway, columns(3000));
    const error = await gateway.writeResults(req, { signal: controller.signal, onProgress: (done) => done > 0 && controller.abort() }).catch((e: unknown) => e);
    expect((error as GatewayError).problem.key).toBe('cancelled');
    expect(snapshot(sheet)).toBe(before);
    expect(book.sheet(STAGING_SHEET)).toBeUndefined();
  });

  it('cancelled during a re-apply: the previous results stay whole', async () => {
    const { gateway, sheet } = setup(3000, 40_000);
    await gateway.writeResults(await request(gateway, columns(3000, 'Key')));
    const before = snapshot(sheet);
    const controller = new AbortController();
    const region = await gateway.findRegion({ kind: 'selection' });
    await expect(
      gateway.writeResults(
        { region, columns: columns(3000, 'Strategic'), tierColours: [], filter: 'autoFilter' },
        { signal: controller.signal, onProgress: () => controller.abort() },
      ),
    ).rejects.toMatchObject({ problem: { key: 'cancelled' } });
    expect(snapshot(sheet)).toBe(before);
  });

  it('a failed request mid-way: staging removed, the sheet unchanged', async () => {
    const { gateway, sheet, excel, book } = setup(3000, 40_000);
    const before = snapshot(sheet);
    const req = await request(gateway, columns(3000));
    excel.failAtSync = excel.syncs + 4;
    await expect(gateway.writeResults(req)).rejects.toMatchObject({ problem: { key: 'excel', params: { code: 'GeneralException' } } });
    expect(snapshot(sheet)).toBe(before);
    expect(book.sheet(STAGING_SHEET)).toBeUndefined();
  });
});

describe('a table that would overlap another', () => {
  it('is refused before anything is written: no column, no rules, no staging', async () => {
    const rows: Cell[][] = [['Customer', 'Annual sales']];
    for (let i = 0; i < 10; i++) rows.push([`C${i}`, 1000 * i]);
    const book = MemoryWorkbook.fromRows('Accounts', rows);
    book.addRows(
      'Accounts',
      [
        ['T1', 'T2'],
        ['a', 'b'],
      ],
      { row: 13, col: 0 },
    );
    book.addTable('Other', 'Accounts', { row: 13, col: 0, rowCount: 2, colCount: 2 });
    const sheet = book.sheet('Accounts') as MemorySheet;
    const before = snapshot(sheet);
    const gateway = new OfficeGateway({}, new FakeExcel(book).run as unknown as ExcelRun);
    const region = await gateway.findRegion({ kind: 'sheet', name: 'Accounts' });
    const cols: ResultColumn[] = [{ key: 'score', header: 'KAM Score', kind: 'number', numberFormat: '0.0', values: Array.from({ length: region.rowCount }, () => 50) }];
    const rules = rulesToTable(defaultRules());
    const error = await gateway.writeResults({ region, columns: cols, tierColours: [], filter: 'table', rules }).catch((e: unknown) => e);
    expect((error as GatewayError).problem).toEqual({ key: 'tableOverlap', params: { sheet: 'Accounts', address: region.address } });
    expect(snapshot(sheet)).toBe(before);
    expect(book.sheet(RULES_SHEET)).toBeUndefined();
    expect(book.sheet(STAGING_SHEET)).toBeUndefined();
    // The user can choose an AutoFilter instead, and that works on the same region.
    const again = await gateway.writeResults({ region, columns: cols, tierColours: [], filter: 'autoFilter' });
    expect(again.added).toEqual(['score']);
  });
});

describe('100,000 rows', () => {
  it('reads 8 columns and writes 5 in a bounded number of round trips, every one under 5 MB', async () => {
    const n = 100_000;
    const { gateway, excel, sheet } = setup(n);
    excel.syncs = 0;
    excel.batches = [];
    const region = await gateway.findRegion({ kind: 'selection' });
    const findSyncs = excel.syncs;
    const read = await gateway.readColumns(region, [0, 1, 2, 3, 4, 5, 6, 7]);
    const readSyncs = excel.syncs - findSyncs;
    const readBatches = excel.batches.slice(findSyncs);
    expect(read[0]?.[n - 1]).toBe(`Customer ${n}`);
    const cols: ResultColumn[] = [
      ...columns(n),
      { key: 'priority', header: 'KAM Priority', kind: 'number', numberFormat: '0', values: Array.from({ length: n }, (_, i) => i + 1) },
      { key: 'hours', header: 'KAM Hours/Month', kind: 'number', numberFormat: '0', values: Array.from({ length: n }, (_, i) => [16, 8, 4, 1][i % 4] as number) },
    ];
    const before = excel.syncs;
    const batchesBefore = excel.batches.length;
    const report = await gateway.writeResults({ region, columns: cols, tierColours: [], filter: 'autoFilter' });
    const writeSyncs = excel.syncs - before;
    const writeBatches = excel.batches.slice(batchesBefore);
    expect(sheet.value(n, 12)).toBe([16, 8, 4, 1][(n - 1) % 4]);
    expect(report.chunks).toBeGreaterThan(1);
    expect(readSyncs).toBeLessThanOrEqual(12);
    expect(writeSyncs).toBe(report.chunks + 2);
    expect(writeSyncs).toBeLessThanOrEqual(10);
    expect(excel.maxRequestBytes).toBeLessThan(LIMIT_BYTES);
    expect(excel.maxResponseBytes).toBeLessThan(LIMIT_BYTES);
    // The estimate is faithful: no measured request is more than 5% over the planned budget.
    expect(excel.maxRequestBytes).toBeLessThanOrEqual(CHUNK_BUDGET_BYTES * 1.05);
    figures.rows100k = {
      findRegionSyncs: findSyncs,
      readSyncs,
      readLargestResponseBytes: Math.max(...readBatches.map((b) => b.responseBytes)),
      writeSyncs,
      writeChunks: report.chunks,
      writeLargestRequestBytes: Math.max(...writeBatches.map((b) => b.requestBytes)),
      limitBytes: LIMIT_BYTES,
    };
  });
});

describe('rules sheet', () => {
  it('writes the rules table and the name KAM_RULES, and reads them back the same', async () => {
    const { gateway, book } = setup(3);
    const rules = defaultRules();
    rules.tiers.strategic.label.en = '=Top';
    rules.tiers.key.label.en = '1e5';
    rules.knockouts[1] = { ...(rules.knockouts[1] as (typeof rules.knockouts)[number]), when: [{ criterion: 'margin', op: '=', value: -1 }] };
    const written = await gateway.writeRules(rulesToTable(rules));
    expect(written.sheet).toBe(RULES_SHEET);
    expect(book.names.get(RULES_NAME)).toMatch(/^='KAM Rules'!\$A\$1:\$[A-Z]+\$\d+$/);
    const read = await gateway.readRules();
    expect(read?.origin).toEqual({ row: 0, col: 0 });
    const back = rulesFromTable(read?.cells ?? []);
    expect(back.ok && back.rules).toEqual(rules);
  });

  it('rewriting a shorter rule set clears the old table', async () => {
    const { gateway, book } = setup(3);
    const long = defaultRules();
    await gateway.writeRules(rulesToTable(long));
    const short = { ...defaultRules(), knockouts: [] };
    await gateway.writeRules(rulesToTable(short));
    const back = rulesFromTable((await gateway.readRules())?.cells ?? []);
    expect(back.ok && back.rules.knockouts).toEqual([]);
    const used = book.sheet(RULES_SHEET)?.usedRect();
    expect(used?.rowCount).toBe(rulesToTable(short).length);
  });

  it('has no rules when the workbook has no rules sheet', async () => {
    const { gateway } = setup(3);
    expect(await gateway.readRules()).toBeNull();
  });
});

describe('tier filter and summary', () => {
  it('filters the sheet to a tier and clears it', async () => {
    const { gateway, sheet } = setup(9);
    const report = await gateway.writeResults(await request(gateway, columns(9)));
    await gateway.filterTier(report.region, report.region.kamColumns.tier as number, ['Key']);
    expect(sheet.autoFilter).toMatchObject({ column: 9, values: ['Key'] });
    expect([1, 2, 3, 4].map((r) => sheet.isRowHidden(r))).toEqual([false, true, true, false]);
    await gateway.filterTier(report.region, 9, null);
    expect(sheet.autoFilter).toMatchObject({ column: null, values: null });
  });

  it('writes the summary sheet with a column chart and a scatter with one series per quadrant', async () => {
    const { gateway, book } = setup(3);
    const report = await gateway.writeSummary({
      title: 'KAM summary',
      blocks: [
        {
          id: 'tiers',
          title: 'Accounts per tier',
          header: ['Tier', 'Accounts'],
          rows: [
            ['Strategic', 2],
            ['Key', 1],
          ],
          formats: ['@', '0'],
        },
        {
          id: 'portfolio',
          title: 'Portfolio',
          header: ['Account', 'Score', 'Strength', 'Quadrant'],
          rows: [
            ['=A Corp', 80, 70, 'Strategic'],
            ['B', 78, 60, 'Strategic'],
            ['1e5 Labs', 70, 20, 'Star'],
          ],
          formats: ['@', '0.0', '0.0', '@'],
        },
      ],
      charts: [
        { kind: 'column', id: 'c1', title: 'Accounts per tier', block: 'tiers', categoryColumn: 0, valueColumn: 1 },
        { kind: 'scatter', id: 'c2', title: 'Portfolio', block: 'portfolio', xColumn: 2, yColumn: 1, seriesColumn: 3, xTitle: 'Strength', yTitle: 'Score' },
      ],
    });
    expect(report).toEqual({ sheet: SUMMARY_SHEET, charts: 2, rows: 5 });
    const summary = book.sheet(SUMMARY_SHEET) as MemorySheet;
    expect(summary.value(0, 0)).toBe('KAM summary');
    expect(summary.read({ row: 8, col: 0, rowCount: 1, colCount: 4 })).toEqual([['Account', 'Score', 'Strength', 'Quadrant']]);
    expect(summary.value(9, 0)).toBe('=A Corp');
    expect(summary.formula(9, 0)).toBeUndefined();
    expect(summary.value(11, 0)).toBe('1e5 Labs');
    const scatter = summary.charts[1];
    expect(scatter?.series.map((s) => [s.name, s.y.rowCount])).toEqual([
      ['Strategic', 2],
      ['Star', 1],
    ]);
    expect(scatter).toMatchObject({ xTitle: 'Strength', yTitle: 'Score' });
    // Written again, it is rebuilt rather than stacked.
    await gateway.writeSummary({ title: 'Again', blocks: [], charts: [] });
    expect(summary.charts).toHaveLength(0);
    expect(summary.value(9, 0)).toBe('');
  });
});

describe('the active cell (office-addin-mock)', () => {
  it('gives the data row of the active cell, or null outside the data', async () => {
    const mock = (sheetName: string, rowIndex: number): OfficeMockObject =>
      new OfficeMockObject({
        context: {
          workbook: {
            cell: { rowIndex, worksheet: { name: sheetName } },
            getActiveCell() {
              return (this as { cell: unknown }).cell;
            },
          },
        },
        run: async function <T>(batch: (context: unknown) => Promise<T>): Promise<T> {
          return batch((this as { context: unknown }).context);
        },
      });
    const region = { sheet: 'Accounts', table: null, headerRow: 0, rowCount: 20, columns: [], kamColumns: {}, firstColumn: 0, lastColumn: 7, address: 'Accounts!A1:H21' };
    const at = async (sheetName: string, rowIndex: number): Promise<number | null> => {
      const excel = mock(sheetName, rowIndex);
      const gateway = new OfficeGateway({}, ((batch: (c: unknown) => Promise<unknown>) =>
        (excel as unknown as { run: (b: typeof batch) => Promise<unknown> }).run(batch)) as unknown as ExcelRun);
      return gateway.activeDataRow(region);
    };
    expect(await at('Accounts', 5)).toBe(4);
    expect(await at('Accounts', 0)).toBeNull();
    expect(await at('Accounts', 21)).toBeNull();
    expect(await at('Other', 5)).toBeNull();
  });
});
