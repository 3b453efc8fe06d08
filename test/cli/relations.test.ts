/**
 * `kam score` with contacts, needs and capacity: found in a workbook (sheets or Excel tables),
 * named with --contacts/--needs (a sheet, a table, or CSV files for a CSV input), and the usage
 * errors that name what is wrong. Runs the command line in-process (no build needed).
 */
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseCsv, writeCsv, type CellValue } from '../../src/engine';
import { main } from '../../src/cli/kam';

const SAMPLES = path.join(__dirname, '..', '..', 'samples');
let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kam-relations-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function kam(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const status = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) }, { LANG: 'C' });
  return { status, stdout: out.join('\n'), stderr: err.join('\n') };
}

async function sheetRows(file: string, name: string): Promise<CellValue[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  const sheet = workbook.getWorksheet(name) as ExcelJS.Worksheet;
  const rows: CellValue[][] = [];
  sheet.eachRow((row) => rows.push(Array.from({ length: sheet.columnCount }, (_, c) => (row.getCell(c + 1).value ?? null) as CellValue)));
  return rows;
}

function csvTable(file: string): Array<Record<string, string>> {
  const [header, ...rows] = parseCsv(fs.readFileSync(file, 'utf8')).records.map((r) => r.fields);
  return rows.map((fields) => Object.fromEntries((header ?? []).map((h, i) => [h, fields[i] ?? ''])));
}

describe('a CSV input with --contacts FILE and --needs FILE', () => {
  it('gives the same KAM columns as the workbook with its Contacts and Needs sheets', async () => {
    for (const name of ['Contacts', 'Needs']) {
      const rows = (await sheetRows(path.join(SAMPLES, 'accounts.xlsx'), name)).map((r) => r.map((v) => (v === null ? '' : String(v))));
      fs.writeFileSync(path.join(dir, `${name}.csv`), writeCsv(rows, { bom: true }));
    }
    const csvOut = path.join(dir, 'sample.kam.csv');
    const csvRun = await kam([
      'score',
      path.join(SAMPLES, 'accounts.csv'),
      '--out',
      csvOut,
      '--contacts',
      path.join(dir, 'Contacts.csv'),
      '--needs',
      path.join(dir, 'Needs.csv'),
      '--capacity',
      '120',
    ]);
    expect(csvRun.status).toBe(0);
    expect(csvRun.stdout).toContain(`Contacts: ${path.join(dir, 'Contacts.csv')}`);
    const xlsxOut = path.join(dir, 'sample.kam.xlsx');
    expect((await kam(['score', path.join(SAMPLES, 'accounts.xlsx'), '--out', xlsxOut, '--capacity', '120'])).status).toBe(0);

    const fromCsv = csvTable(csvOut);
    const xlsxRows = await sheetRows(xlsxOut, 'Accounts');
    const headers = (xlsxRows[0] ?? []).map(String);
    const kamHeaders = headers.filter((h) => h.startsWith('KAM '));
    expect(kamHeaders).toEqual(['KAM Score', 'KAM Tier', 'KAM Flags', 'KAM Priority', 'KAM Hours/Month', 'KAM Coverage', 'KAM Quadrant']);
    expect(Object.keys(fromCsv[0] ?? {}).filter((h) => h.startsWith('KAM '))).toEqual(kamHeaders);
    const asText = (v: CellValue, header: string): string =>
      v === null || v === undefined ? '' : typeof v === 'number' && (header === 'KAM Score' || header === 'KAM Coverage') ? v.toFixed(1) : String(v);
    const fromXlsx = xlsxRows.slice(1).map((r) => Object.fromEntries(kamHeaders.map((h) => [h, asText(r[headers.indexOf(h)] ?? null, h)])));
    expect(fromCsv.map((r) => Object.fromEntries(kamHeaders.map((h) => [h, r[h]])))).toEqual(fromXlsx);
  });
});

describe('contacts in an Excel table', () => {
  let file: string;
  beforeAll(async () => {
    const workbook = new ExcelJS.Workbook();
    const accounts = workbook.addWorksheet('Accounts');
    accounts.addRow(['Customer', 'Annual sales', 'Gross margin', 'Days to pay']);
    accounts.addRow(['Contoso', 900000, 0.25, 30]);
    accounts.addRow(['Fabrikam', 300000, 0.1, 60]);
    const people = workbook.addWorksheet('People');
    people.getCell('A1').value = 'Who we know';
    people.addTable({
      name: 'Buyers',
      ref: 'B3',
      headerRow: true,
      columns: [{ name: 'Account' }, { name: 'Name' }, { name: 'Role' }, { name: 'Stance' }],
      rows: [
        ['Contoso', 'Ann', 'economic', 'supporter'],
        ['Contoso', 'Bob', 'coach', 'supporter'],
        ['Northwind', 'Cy', 'user', 'neutral'],
      ],
    });
    file = path.join(dir, 'tables.xlsx');
    await workbook.xlsx.writeFile(file);
  });

  it('is found by its headers, read from its range, and its unknown accounts are listed', async () => {
    const out = path.join(dir, 'tables.kam.xlsx');
    const run = await kam(['score', file, '--out', out]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Contacts: table "Buyers"');
    expect(run.stdout).toContain('Contacts or needs of 1 account the data does not hold: Northwind');
    const rows = await sheetRows(out, 'Accounts');
    const headers = (rows[0] ?? []).map(String);
    const coverage = rows.slice(1).map((r) => r[headers.indexOf('KAM Coverage')]);
    // Contoso: two supporters, the decision maker engaged, a coach; Fabrikam: nobody known.
    expect(coverage[0]).toBeGreaterThan(40);
    expect(coverage[1]).toBe(0);
    expect(String(rows[2]?.[headers.indexOf('KAM Flags')])).toContain('decision maker unknown');
  });

  it('is used when named, and a name the workbook does not hold is refused with the names it does', async () => {
    expect((await kam(['score', file, '--out', path.join(dir, 'named.kam.xlsx'), '--contacts', 'buyers'])).stdout).toContain('Contacts: table "Buyers"');
    const bad = await kam(['score', file, '--out', path.join(dir, 'bad.kam.xlsx'), '--needs', 'Plans']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain(`${file}: --needs Plans: no sheet or table of that name (sheets and tables: "Buyers", "Accounts", "People")`);
    expect(fs.existsSync(path.join(dir, 'bad.kam.xlsx'))).toBe(false);
  });
});

describe('--capacity', () => {
  it('plans the hours against it, read as the pane reads its capacity box', async () => {
    const run = await kam(['score', path.join(SAMPLES, 'accounts.xlsx'), '--out', path.join(dir, 'cap.kam.xlsx'), '--capacity', '１０００']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Hours a month needed: \d+ of 1000 available\n/);
  });

  it('refuses what is not a number of hours', async () => {
    for (const value of ['lots', '-5', '']) {
      const run = await kam(['score', path.join(SAMPLES, 'accounts.xlsx'), '--out', path.join(dir, 'x.kam.xlsx'), `--capacity=${value}`]);
      expect([value, run.status]).toEqual([value, 2]);
      expect(run.stderr).toContain(`--capacity takes the hours a month available, a number 0 or more, not "${value}"`);
    }
  });
});

describe('running again', () => {
  it('updates every KAM column in place, and empties the ones this run no longer writes', async () => {
    const first = path.join(dir, 'again.kam.xlsx');
    expect((await kam(['score', path.join(SAMPLES, 'accounts.xlsx'), '--out', first])).status).toBe(0);
    // The same workbook without its contacts and needs: coverage and quadrant have nothing to say now.
    // The sheets are taken out of the workbook's sheet list in the package itself, as a user deleting
    // them in Excel would; re-saving through another library would drop kam's marks on the way.
    const zip = await JSZip.loadAsync(fs.readFileSync(first));
    const workbookXml = await (zip.file('xl/workbook.xml') as JSZip.JSZipObject).async('string');
    const withoutRelations = workbookXml.replace(/<sheet [^>]*name="(?:Contacts|Needs)"[^>]*\/>/g, '');
    expect(withoutRelations).not.toBe(workbookXml);
    zip.file('xl/workbook.xml', withoutRelations);
    const bare = path.join(dir, 'bare.xlsx');
    fs.writeFileSync(bare, await zip.generateAsync({ type: 'nodebuffer' }));
    const again = path.join(dir, 'bare.kam.xlsx');
    expect((await kam(['score', bare, '--out', again, '--lang', 'zh'])).status).toBe(0);
    const rows = await sheetRows(again, 'Accounts');
    const headers = (rows[0] ?? []).map(String);
    // Every KAM column is titled in the language asked, the emptied ones too.
    expect(headers.filter((h) => h.startsWith('KAM'))).toEqual(['KAM 得分', 'KAM 等级', 'KAM 提示', 'KAM 优先级', 'KAM 每月小时', 'KAM 关系覆盖', 'KAM 象限']);
    for (const stale of ['KAM 关系覆盖', 'KAM 象限'])
      expect(
        rows
          .slice(1)
          .map((r) => r[headers.indexOf(stale)] ?? null)
          .every((v) => v === null),
      ).toBe(true);
    expect(rows.slice(1).every((r) => typeof r[headers.indexOf('KAM 优先级')] === 'number')).toBe(true);
  });
});
