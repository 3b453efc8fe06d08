/** kam score on a sheet whose columns are measures by period ("Sales 2017", "2018年销售额"). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeCsv } from '../../src/engine/csv';
import { kam, readCsvTable, tempDir } from './helpers';

let dir: string;
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('two years of sales give sales and growth, profit gives margin; the summary says so', () => {
  const file = path.join(dir, 'years.csv');
  fs.writeFileSync(
    file,
    writeCsv([
      ['客户名称', '2017年销售额', '2018年销售额', '2018年利润'],
      ['甲', '1000', '1200', '240'],
      ['乙', '50', '2000', '100'],
    ]),
  );
  const run = kam(['score', file, '--score-present']);
  expect(run.status).toBe(0);
  expect(run.stdout).toContain('"2018年销售额" → Annual sales');
  expect(run.stdout).toContain('"2017年销售额", "2018年销售额" → Purchase growth (computed)');
  expect(run.stdout).toContain('"2018年利润" ÷ "2018年销售额" → Gross margin (computed)');
  const rows = readCsvTable(path.join(dir, 'years.kam.csv')).rows;
  // 甲: sales 1200 on a 0–1,000,000 curve = 0.12 points, margin 0.2 of 0.3 = 66.67, growth 0.2 = 100;
  // weights 36.3, 36.4, 27.3 → (36.3 × 0.12 + 36.4 × 66.667 + 27.3 × 100) / 100 = 51.6.
  expect(rows[0]?.['KAM Score']).toBe('51.6');
  // 乙 bought 50 the year before, under 5% of 2000: growth means nothing, and is left blank.
  expect(rows[1]?.['KAM Flags']).toBe('missing: Purchase growth');
});

test('columns named with --map are remembered by the workbook: the next run needs no --map', async () => {
  const ExcelJS = (await import('exceljs')).default;
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Kunden');
  sheet.addRow(['Kunde', 'Umsatz', 'Marge']);
  sheet.addRow(['Alpha', 500000, 0.2]);
  const file = path.join(dir, 'kunden.xlsx');
  await workbook.xlsx.writeFile(file);
  const first = kam(['score', file, '--map', 'sales=Umsatz', '--map', 'margin=Marge', '--map', 'account=Kunde']);
  expect(first.status).toBe(0);
  expect(first.stdout).toContain('The columns named with --map are saved in the KAM Rules sheet');
  const again = kam(['score', path.join(dir, 'kunden.kam.xlsx'), '--out', path.join(dir, 'kunden.again.xlsx')]);
  expect(again.status).toBe(0);
  expect(again.stdout).toContain('"Umsatz" → Annual sales, "Marge" → Gross margin');
  expect(again.stdout).toContain('(sheet "KAM Rules" of');
});

test('the KAM Summary names the columns absent from the sheet, their share of the weight, and what was done', async () => {
  const ExcelJS = (await import('exceljs')).default;
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Accounts');
  sheet.addRow(['Customer', 'Annual sales', 'Gross margin']);
  sheet.addRow(['Alpha', 500000, 0.2]);
  sheet.addRow(['Beta', 80000, 0.35]);
  const file = path.join(dir, 'two-columns.xlsx');
  await workbook.xlsx.writeFile(file);
  const texts = async (out: string): Promise<string[]> => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(out);
    const cells: string[] = [];
    book.getWorksheet('KAM Summary')?.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.value))));
    return cells;
  };
  expect(kam(['score', file, '--out', path.join(dir, 'blank.xlsx')]).status).toBe(0);
  const blank = await texts(path.join(dir, 'blank.xlsx'));
  expect(blank).toEqual(
    expect.arrayContaining(['Columns absent from the sheet', 'Purchase growth', 'Wallet (headroom)', 'Counted as blank for every account (see the flags and the tiers).']),
  );
  expect(kam(['score', file, '--score-present', '--out', path.join(dir, 'present.xlsx')]).status).toBe(0);
  const present = await texts(path.join(dir, 'present.xlsx'));
  expect(present).toEqual(expect.arrayContaining(['Purchase growth', 'Scored on the criteria present: their weights were re-shared to add up to 100.']));
});
