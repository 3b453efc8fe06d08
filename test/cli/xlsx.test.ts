import ExcelJS from 'exceljs';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultRules, evaluate, outcomeLabel, rulesToTable, type OutcomeId } from '../../src/engine';
import { GOLDEN, kam, readCsvTable, readXlsxTable, ROOT, tempDir, writeGoldenXlsx } from './helpers';

let dir: string;
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const HEADERS = ['Customer', 'Annual sales', 'Gross margin', 'Purchase growth', 'Days to pay', 'Access to goals'];

async function workbookWith(name: string, fill: (sheet: ExcelJS.Worksheet, workbook: ExcelJS.Workbook) => void): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Accounts');
  fill(sheet, workbook);
  const file = path.join(dir, name);
  await workbook.xlsx.writeFile(file);
  return file;
}

describe('cells as exceljs reads them', () => {
  let table: Awaited<ReturnType<typeof readXlsxTable>>;
  let run: ReturnType<typeof kam>;
  beforeAll(async () => {
    const file = await workbookWith('kinds.xlsx', (sheet) => {
      sheet.addRow(HEADERS);
      sheet.addRow([{ richText: [{ text: 'Rich ', font: { bold: true } }, { text: 'Text Ltd' }] }, 800000, 0.2, 0.1, 40, 4]);
      sheet.addRow(['Formula cached', { formula: 'B2/2', result: 400000 }, 0.2, 0.1, 40, 4]);
      sheet.addRow(['Formula unsaved', 400000, { formula: 'C2*1' }, 0.1, 40, 4]);
      sheet.addRow(['Error value', 400000, { error: '#DIV/0!' }, 0.1, 40, 4]);
      sheet.addRow(['A date', 400000, 0.2, 0.1, new Date(Date.UTC(2024, 0, 31)), 4]);
      sheet.addRow([{ text: 'Linked GmbH', hyperlink: 'https://linked.example' }, 400000, 0.2, 0.1, 40, true]);
      sheet.addRow(['Formula error', { formula: 'NA()', result: { error: '#N/A' } }, 0.2, 0.1, 40, 4]);
    });
    run = kam(['score', file]);
    table = await readXlsxTable(path.join(dir, 'kinds.kam.xlsx'));
  });
  const row = (i: number): Record<string, ExcelJS.CellValue> => table.rows[i] as Record<string, ExcelJS.CellValue>;

  const expected = (inputs: Record<string, unknown>): [number | null, string] => {
    const e = evaluate(inputs);
    return [e.score, outcomeLabel(defaultRules(), e.outcome, 'en')];
  };

  test('rich text is read as its text', () => {
    expect([row(0)['KAM Score'], row(0)['KAM Tier']]).toEqual(expected({ sales: 800000, margin: 0.2, growth: 0.1, paymentDays: 40, access: 4 }));
    expect(run.stdout).toContain('"Customer" → account');
  });

  test('a formula is read through its saved result', () => {
    expect([row(1)['KAM Score'], row(1)['KAM Tier']]).toEqual(expected({ sales: 400000, margin: 0.2, growth: 0.1, paymentDays: 40, access: 4 }));
    // Wallet and Openness have no column in this sheet: said once in the summary, not in each row.
    expect(row(1)['KAM Flags']).toBeNull();
    expect(run.stdout).toContain('Absent from the sheet: Wallet (headroom), Openness to ideas (25% of the weight).');
  });

  test('a formula without a saved result is not guessed: the row says which cell', () => {
    expect(row(2)['KAM Tier']).toBe('Invalid input');
    expect(row(2)['KAM Flags']).toBe('Gross margin: the formula in C4 (=C2*1) has no saved result; open and save the file in Excel, then run again');
  });

  test('error values reach the engine by name, also as a formula result', () => {
    expect(row(3)['KAM Flags']).toBe('Gross margin: the cell holds the error #DIV/0!');
    expect(row(6)['KAM Flags']).toBe('Annual sales: the cell holds the error #N/A');
  });

  test('a date is reported by the engine', () => {
    expect(row(4)['KAM Tier']).toBe('Invalid input');
    expect(row(4)['KAM Flags']).toBe('Days to pay: a value of type date cannot be read as a number');
  });

  test('a link is read as its text; TRUE reads as yes', () => {
    expect(row(5).Customer).toEqual({ text: 'Linked GmbH', hyperlink: 'https://linked.example' });
    expect([row(5)['KAM Score'], row(5)['KAM Tier']]).toEqual(expected({ sales: 400000, margin: 0.2, growth: 0.1, paymentDays: 40, access: 5 }));
    expect(run.stderr).toContain('4 rows have unreadable cells');
    expect(run.stderr).not.toContain('row 7 ');
  });
});

describe('the workbook around the accounts', () => {
  test('other sheets are kept unchanged; results go beside the last used column', async () => {
    const file = await workbookWith('others.xlsx', (sheet, workbook) => {
      sheet.addRow([...HEADERS, 'Comment']);
      sheet.addRow(['Alpha', 900000, 0.25, 0.1, 35, 5, 'first']);
      sheet.addRow(['Beta', 100000, 0.05, -0.05, 95, 1]);
      sheet.getCell('I3').value = 'a note beyond the table';
      const contacts = workbook.addWorksheet('Contacts');
      contacts.addRow(['Account', 'Name', 'Stance']).font = { bold: true, color: { argb: 'FF0000FF' } };
      contacts.addRow(['Alpha', '王芳', '支持']);
      contacts.mergeCells('A4:C4');
      contacts.getCell('A4').value = 'merged remark';
      contacts.getCell('D2').value = { formula: 'LEN(B2)', result: 2 };
      contacts.getColumn(2).width = 33;
    });
    const run = kam(['score', file]);
    expect(run.status).toBe(0);
    const out = new ExcelJS.Workbook();
    await out.xlsx.readFile(path.join(dir, 'others.kam.xlsx'));
    expect(out.worksheets.map((w) => w.name)).toEqual(['Accounts', 'Contacts', 'KAM Rules', 'KAM Summary']);
    const accounts = out.getWorksheet('Accounts') as ExcelJS.Worksheet;
    // Column I holds a note: the results start after it, at J.
    expect(['J1', 'K1', 'L1'].map((a) => accounts.getCell(a).value)).toEqual(['KAM Score', 'KAM Tier', 'KAM Flags']);
    expect(accounts.getCell('I3').value).toBe('a note beyond the table');
    expect(accounts.getCell('G2').value).toBe('first');
    const contacts = out.getWorksheet('Contacts') as ExcelJS.Worksheet;
    expect(contacts.getCell('B2').value).toBe('王芳');
    expect(contacts.getCell('A1').font).toEqual({ bold: true, color: { argb: 'FF0000FF' } });
    expect(contacts.getCell('D2').value).toEqual({ formula: 'LEN(B2)', result: 2 });
    expect(contacts.getCell('C4').isMerged).toBe(true);
    expect(contacts.getColumn(2).width).toBe(33);
  });

  test('the header row is the first non-empty row; blank rows are skipped and counted', async () => {
    const file = await workbookWith('offset.xlsx', (sheet) => {
      sheet.getCell('B3').value = 'Customer';
      sheet.getCell('C3').value = 'Annual sales';
      sheet.getCell('D3').value = 'Gross margin';
      sheet.getCell('B4').value = 'One';
      sheet.getCell('C4').value = 500000;
      sheet.getCell('B6').value = 'Two';
      sheet.getCell('D6').value = 'abc';
    });
    const run = kam(['score', file]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Scored 2 accounts');
    expect(run.stdout).toContain('Blank rows skipped: 1');
    expect(run.stderr).toContain('row 6 (Two): Gross margin: "abc" is not a number');
    const out = new ExcelJS.Workbook();
    await out.xlsx.readFile(path.join(dir, 'offset.kam.xlsx'));
    const sheet = out.getWorksheet('Accounts') as ExcelJS.Worksheet;
    expect(sheet.getCell('E3').value).toBe('KAM Score');
    expect(sheet.getCell('F4').value).toBe('Insufficient data');
    expect(sheet.getCell('F5').value).toBeNull();
    expect(sheet.getCell('F6').value).toBe('Invalid input');
  });

  test("an Excel table's header row is used, even below a title", async () => {
    const file = await workbookWith('table.xlsx', (sheet) => {
      sheet.getCell('A1').value = 'Key accounts, FY2025';
      sheet.addTable({
        name: 'Accounts',
        ref: 'A3',
        headerRow: true,
        columns: HEADERS.map((name) => ({ name })),
        rows: [['Gamma', 1000000, 0.3, 0.2, 30, 5]],
      });
    });
    const run = kam(['score', file]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Scored 1 account from');
    const out = new ExcelJS.Workbook();
    await out.xlsx.readFile(path.join(dir, 'table.kam.xlsx'));
    const sheet = out.getWorksheet('Accounts') as ExcelJS.Worksheet;
    expect(sheet.getCell('A1').value).toBe('Key accounts, FY2025');
    expect(['G3', 'H3', 'I3'].map((a) => sheet.getCell(a).value)).toEqual(['KAM Score', 'KAM Tier', 'KAM Flags']);
    expect([sheet.getCell('G4').value, sheet.getCell('H4').value]).toEqual([100, 'Strategic']);
  });

  test('the rules inside a workbook are used, and kept as they are', async () => {
    const custom = defaultRules();
    custom.name = 'Team South rules';
    custom.missingData.minWeightShare = 0.3;
    const file = await workbookWith('own-rules.xlsx', (sheet, workbook) => {
      sheet.addRow(['Customer', 'Annual sales', 'Purchase growth']);
      sheet.addRow(['Mostly blank', 500000, 0.1]);
      const rules = workbook.addWorksheet('KAM Rules');
      for (const r of rulesToTable(custom)) rules.addRow(r.map((v) => (v === '' ? null : v)));
    });
    const run = kam(['score', file]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`Rules: "Team South rules" (sheet "KAM Rules" of ${file})`);
    const { rows } = await readXlsxTable(path.join(dir, 'own-rules.kam.xlsx'));
    expect(rows[0]?.['KAM Tier']).toBe('Develop'); // 57.1 with 35% present is enough under these rules
    // --rules wins over the workbook's rules, and the written sheet holds the rules used.
    const json = path.join(dir, 'rules-default.json');
    fs.writeFileSync(json, JSON.stringify(defaultRules()));
    const withFile = kam(['score', file, '--rules', json, '--out', path.join(dir, 'own-rules.default.xlsx')]);
    expect(withFile.status).toBe(0);
    const again = await readXlsxTable(path.join(dir, 'own-rules.default.xlsx'));
    expect(again.rows[0]?.['KAM Tier']).toBe('Insufficient data');
    const check = kam(['rules', '--rules', path.join(dir, 'own-rules.default.xlsx')]);
    expect(JSON.parse(check.stdout)).toEqual(defaultRules());
  });

  test('a failed write leaves nothing behind', async () => {
    const file = path.join(dir, 'atomic.xlsx');
    await writeGoldenXlsx(file);
    const target = path.join(dir, 'atomic-target.xlsx');
    fs.mkdirSync(target); // a directory where the result should go: the final rename fails
    const run = kam(['score', file, '--out', target]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`${target}: could not write the result`);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(fs.readdirSync(target)).toEqual([]);
  });
});

describe('the samples', () => {
  const rules = defaultRules();
  const goldenByName = new Map(GOLDEN.map((g) => [g.sampleName, g]));

  test('samples/accounts.xlsx holds every golden case, and kam gives each its known verdict', async () => {
    const out = path.join(dir, 'sample.kam.xlsx');
    const run = kam(['score', 'samples/accounts.xlsx', '--out', out]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Scored 40 accounts from samples/accounts.xlsx, sheet "Accounts".');
    const [wrote, open] = run.stdout.trimEnd().split('\n').slice(-2);
    expect(wrote).toBe(`Wrote ${out}`);
    expect(open).toContain(`Open it in Excel or LibreOffice, or run: `);
    expect(open).toContain(out);
    const { rows, workbook } = await readXlsxTable(out, 'Accounts');
    expect(rows).toHaveLength(40);
    const noteText = (v: ExcelJS.CellValue): string => (v !== null && typeof v === 'object' && 'richText' in v ? v.richText.map((t) => t.text).join('') : String(v ?? ''));
    // Notes read like a manager's, never like a test's.
    expect(rows.filter((r) => /golden|case/i.test(noteText(r.Notes)))).toEqual([]);
    const found = rows.filter((r) => goldenByName.has(String(r.Customer)));
    expect(found).toHaveLength(GOLDEN.length);
    for (const r of found) {
      const g = goldenByName.get(String(r.Customer)) as (typeof GOLDEN)[number];
      expect([g.account, r['KAM Score'], r['KAM Tier']]).toEqual([g.account, g.expected.score, outcomeLabel(rules, g.expected.outcome as OutcomeId, 'en')]);
    }
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['Accounts', 'Contacts', 'Needs', 'KAM Rules', 'KAM Summary']);
  });

  test('samples/accounts.csv gives the same verdicts as the workbook', async () => {
    const out = path.join(dir, 'sample.kam.csv');
    expect(kam(['score', 'samples/accounts.csv', '--out', out]).status).toBe(0);
    const csvRows = readCsvTable(out).rows;
    const xlsxRows = (await readXlsxTable(path.join(dir, 'sample.kam.xlsx'), 'Accounts')).rows;
    expect(csvRows.map((r) => [r.Customer, r['KAM Score'], r['KAM Tier']])).toEqual(
      xlsxRows.map((r) => [r.Customer, typeof r['KAM Score'] === 'number' ? r['KAM Score'].toFixed(1) : '', r['KAM Tier']]),
    );
    // The workbook's Contacts and Needs sheets add relationship and plan flags after the engine's own.
    csvRows.forEach((r, i) => expect(String(xlsxRows[i]?.['KAM Flags'] ?? '').startsWith(r['KAM Flags'] ?? '')).toBe(true));
  });

  test('the samples are what scripts/make-samples.js writes', () => {
    expect(fs.existsSync(path.join(ROOT, 'scripts', 'make-samples.js'))).toBe(true);
    const csv = fs.readFileSync(path.join(ROOT, 'samples', 'accounts.csv'), 'utf8');
    expect(csv.startsWith('\uFEFFCustomer,Region,Account manager,Annual sales')).toBe(true);
  });
});

describe('merged cells', () => {
  test('only the top-left cell of a merged range holds the value, as Excel shows it', async () => {
    const file = await workbookWith('merged.xlsx', (sheet) => {
      sheet.addRow(HEADERS);
      sheet.addRow(['Top', 900000, 0.2, 0.1, 40, 4]);
      sheet.addRow(['Below', null, 0.2, 0.1, 40, 4]);
      sheet.mergeCells('B2:B3');
    });
    const run = kam(['score', file]);
    expect(run.status).toBe(0);
    const table = await readXlsxTable(path.join(dir, 'merged.kam.xlsx'));
    const evaluated = (inputs: Record<string, unknown>): [number | null, string] => {
      const e = evaluate(inputs);
      return [e.score, outcomeLabel(defaultRules(), e.outcome, 'en')];
    };
    expect([table.rows[0]!['KAM Score'], table.rows[0]!['KAM Tier']]).toEqual(evaluated({ sales: 900000, margin: 0.2, growth: 0.1, paymentDays: 40, access: 4 }));
    // Not 900000 copied down from the merge: the cell is blank in Excel, so sales is missing.
    expect([table.rows[1]!['KAM Score'], table.rows[1]!['KAM Tier']]).toEqual(evaluated({ margin: 0.2, growth: 0.1, paymentDays: 40, access: 4 }));
    expect(String(table.rows[1]!['KAM Flags'])).toContain('Annual sales');
  });
});

describe('where the accounts and the rules are on a sheet', () => {
  test("an Excel table's totals row is not an account", async () => {
    const file = await workbookWith('totals.xlsx', (sheet) => {
      sheet.addTable({
        name: 'Accounts',
        ref: 'A1',
        headerRow: true,
        totalsRow: true,
        columns: [{ name: 'Customer', totalsRowLabel: 'Total' }, { name: 'Annual sales', totalsRowFunction: 'sum' }, { name: 'Gross margin' }],
        rows: [
          ['A', 400000, 0.2],
          ['B', 900000, 0.1],
        ],
      });
    });
    const run = kam(['score', file]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Scored 2 accounts');
  });

  test('a title above the header is skipped: the header is the row that names the fields', async () => {
    const file = await workbookWith('title.xlsx', (sheet) => {
      sheet.addRow(['Key accounts FY2024']);
      sheet.addRow([]);
      sheet.addRow(HEADERS);
      sheet.addRow(['A', 400000, 0.2, 0.1, 40, 4]);
    });
    const run = kam(['score', file]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Scored 1 account');
    const written = new ExcelJS.Workbook();
    await written.xlsx.readFile(path.join(dir, 'title.kam.xlsx'));
    const sheet = written.getWorksheet('Accounts')!;
    // The result columns sit on the header row (3), the verdict on the account's row (4).
    expect(sheet.getRow(3).getCell(HEADERS.length + 1).value).toBe('KAM Score');
    expect(typeof sheet.getRow(4).getCell(HEADERS.length + 1).value).toBe('number');
    expect(sheet.getRow(1).getCell(1).value).toBe('Key accounts FY2024');
  });

  test('the rules are read through the name KAM_RULES, as the pane and the formulas read them', async () => {
    const rules = defaultRules();
    rules.tiers.strategic.minScore = 90;
    const table = rulesToTable(rules);
    const file = await workbookWith('named-rules.xlsx', (sheet, workbook) => {
      sheet.addRow(HEADERS);
      sheet.addRow(['A', 800000, 0.24, 0.14, 48, 4]); // every criterion at 80 points
      const rulesSheet = workbook.addWorksheet('KAM Rules');
      table.forEach((row) => rulesSheet.addRow(row));
      // A note under the table is the user's, not a rule.
      rulesSheet.getCell(`A${table.length + 3}`).value = 'Approved by sales ops, March';
      workbook.definedNames.add(`'KAM Rules'!$A$1:$${String.fromCharCode(64 + table[0]!.length)}$${table.length}`, 'KAM_RULES');
    });
    const run = kam(['score', file]);
    expect(run.status).toBe(0);
    const out = await readXlsxTable(path.join(dir, 'named-rules.kam.xlsx'));
    // Score 80: Strategic under the default 75, Key under this workbook's 90.
    expect(out.rows[0]!['KAM Score']).toBe(80);
    expect(out.rows[0]!['KAM Tier']).toBe('Key');
    expect(run.stdout).toContain('KAM Rules');
  });

  test('the rules sheet kam writes is named KAM_RULES, so formulas can reference it', async () => {
    const file = await workbookWith('plain.xlsx', (sheet) => {
      sheet.addRow(HEADERS);
      sheet.addRow(['A', 400000, 0.2, 0.1, 40, 4]);
    });
    expect(kam(['score', file]).status).toBe(0);
    const written = new ExcelJS.Workbook();
    await written.xlsx.readFile(path.join(dir, 'plain.kam.xlsx'));
    const width = rulesToTable(defaultRules())[0]!.length;
    const height = rulesToTable(defaultRules()).length;
    expect(written.definedNames.getRanges('KAM_RULES').ranges).toEqual([`'KAM Rules'!$A$1:$${String.fromCharCode(64 + width)}$${height}`]);
  });
});
