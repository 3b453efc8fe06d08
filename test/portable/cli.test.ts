/**
 * `kam score --formulas portable`: formula cells with kam's results cached, the texts only kam
 * reads listed with their cells, amounts converted from a currency column, and clear refusals (CSV,
 * a mode that does not exist, criteria kam computes from several columns, formulas too long for a cell).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ExcelJS from 'exceljs';
import { defaultRules, PORTABLE_FUNCTIONS } from '../../src/engine';
import { kam, readXlsxTable, tempDir } from '../cli/helpers';

let dir: string;
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function write(file: string, rows: unknown[][]): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Accounts');
  for (const r of rows) sheet.addRow(r);
  await workbook.xlsx.writeFile(file);
}

describe('kam score --formulas portable', () => {
  test('formula cells cache the same values as a values-mode run; texts only kam reads are listed with their cells', async () => {
    const input = path.join(dir, 'mixed.xlsx');
    await write(input, [
      ['Customer', 'sales', 'margin', 'growth', 'wallet', 'paymentDays', 'access', 'openness'],
      ['Alpha', 800000, 0.2, 0.05, 1200000, 45, 3, 4],
      ['Beta', 300000, '18%', 0.1, null, 100, 2, 2],
      ['Gamma', null, -0.02, 0, 500000, 95, 1, 1],
    ]);
    const portable = path.join(dir, 'portable.xlsx');
    const values = path.join(dir, 'values.xlsx');
    const run = kam(['score', input, '--formulas', 'portable', '--out', portable]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('written as formulas that read the KAM Rules sheet');
    expect(run.stderr).toContain('1 input cell holds text that kam reads but a spreadsheet formula does not');
    expect(run.stderr).toContain('C3 (Gross margin): "18%"');
    expect(kam(['score', input, '--out', values]).status).toBe(0);

    const a = await readXlsxTable(portable);
    const b = await readXlsxTable(values);
    expect(a.headers).toEqual(b.headers);
    const sheet = a.workbook.getWorksheet('Accounts') as ExcelJS.Worksheet;
    for (const header of ['KAM Score', 'KAM Tier', 'KAM Flags']) {
      const col = a.headers.indexOf(header) + 1;
      for (let r = 2; r <= 4; r++) {
        const cell = sheet.getCell(r, col);
        const formula = cell.formula;
        expect(typeof formula).toBe('string');
        const called = [...formula.replace(/"[^"]*"/g, '""').matchAll(/([A-Z][A-Z0-9.]*)\(/g)].map((m) => m[1]);
        expect(called.filter((f) => !(PORTABLE_FUNCTIONS as readonly string[]).includes(f as string))).toEqual([]);
        // The cached result is what the values-mode run wrote.
        const plain = (b.rows[r - 2] as Record<string, unknown>)[header];
        expect([header, r, cell.result ?? '']).toEqual([header, r, plain ?? '']);
      }
    }
    // The rules sheet the formulas read travels with the file.
    expect(a.workbook.getWorksheet('KAM Rules')).toBeDefined();
  });

  test('a rule set with a currency: amounts converted from the Currency column; cached values as a values-mode run', async () => {
    const rulesFile = path.join(dir, 'fx.json');
    fs.writeFileSync(
      rulesFile,
      JSON.stringify({
        ...defaultRules(),
        currency: 'CNY',
        fx: [
          { code: 'EUR', rate: 8, date: '2026-11-30' },
          { code: 'USD', rate: 7 },
        ],
      }),
    );
    const input = path.join(dir, 'fx.xlsx');
    await write(input, [
      ['Customer', 'Currency', 'sales', 'margin', 'growth', 'wallet', 'paymentDays', 'access', 'openness'],
      ['Euro', 'EUR', 100000, 0.2, 0.05, 150000, 45, 3, 4],
      ['Dollar', '\u00A0usd\t', 100000, 0.2, 0.05, 150000, 45, 3, 4],
      ['Yuan', 'CNY', 800000, 0.2, 0.05, 1200000, 45, 3, 4],
      ['Nowhere', null, 100000, 0.2, 0.05, 150000, 45, 3, 4],
      ['Yen', 'JPY', 100000, 0.2, 0.05, 150000, 45, 3, 4],
    ]);
    const portable = path.join(dir, 'fx-portable.xlsx');
    const values = path.join(dir, 'fx-values.xlsx');
    const run = kam(['score', input, '--formulas', 'portable', '--rules', rulesFile, '--out', portable]);
    // kam names the two accounts it could not convert, as in values mode; nothing is refused.
    expect(run.stderr).toContain("row 6 (Yen): currency JPY has no rate in the rule set's FX table");
    expect(run.stderr).not.toContain('--formulas portable');
    expect(run.status).toBe(0);
    expect(kam(['score', input, '--rules', rulesFile, '--out', values]).status).toBe(0);
    const a = await readXlsxTable(portable);
    const b = await readXlsxTable(values);
    const sheet = a.workbook.getWorksheet('Accounts') as ExcelJS.Worksheet;
    for (const header of ['KAM Score', 'KAM Tier', 'KAM Flags']) {
      const col = a.headers.indexOf(header) + 1;
      for (let r = 2; r <= 6; r++) {
        const cell = sheet.getCell(r, col);
        expect(cell.formula).toContain('$B' + String(r));
        // UNICHAR (Excel 2013) is named in the file with its prefix, or LibreOffice and Excel read #NAME?.
        expect(cell.formula).toContain('_xlfn.UNICHAR(160)');
        expect(cell.formula.replace(/_xlfn\.UNICHAR\(/g, '')).not.toContain('UNICHAR(');
        expect([header, r, cell.result ?? '']).toEqual([header, r, (b.rows[r - 2] as Record<string, unknown>)[header] ?? '']);
      }
    }
    // Converted: 100,000 EUR at 8 is 800,000 CNY, as the Yuan account has; refused: a blank and an unknown currency.
    const tier = (r: number): unknown => (b.rows[r] as Record<string, unknown>)['KAM Tier'];
    expect((b.rows[0] as Record<string, unknown>)['KAM Score']).toBe((b.rows[2] as Record<string, unknown>)['KAM Score']);
    expect([tier(3), tier(4)]).toEqual(['Invalid input', 'Invalid input']);
  });

  test('a CSV file: refused, CSV holds no formulas', () => {
    const csv = path.join(dir, 'a.csv');
    fs.writeFileSync(csv, 'Customer,sales\nA,100\n');
    const run = kam(['score', csv, '--formulas', 'portable']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('a CSV file holds values only, never formulas');
    expect(fs.existsSync(path.join(dir, 'a.kam.csv'))).toBe(false);
  });

  test('a mode that does not exist', async () => {
    const input = path.join(dir, 'mode.xlsx');
    await write(input, [
      ['Customer', 'sales'],
      ['A', 100],
    ]);
    const run = kam(['score', input, '--formulas', 'live']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--formulas: "live" is not a way to write formulas (portable)');
  });

  test('growth computed from sales by year: refused, a formula reads one column per criterion', async () => {
    const input = path.join(dir, 'years.xlsx');
    await write(input, [
      ['Customer', 'Sales 2023', 'Sales 2024', 'margin'],
      ['A', 100000, 120000, 0.2],
    ]);
    const run = kam(['score', input, '--formulas', 'portable']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--formulas portable: Purchase growth is computed by kam from several columns');
  });

  test('a rule set too large for one formula: refused before anything is written', async () => {
    const rules = defaultRules();
    const base = rules.criteria[1] as (typeof rules.criteria)[number];
    rules.criteria = Array.from({ length: 32 }, (_, i) => ({ ...base, id: `criterion${i}`, label: { en: `Criterion number ${i}`, zh: `评分项${i}` }, aliases: [] }));
    rules.knockouts = [];
    const rulesFile = path.join(dir, 'big.json');
    fs.writeFileSync(rulesFile, JSON.stringify(rules));
    const input = path.join(dir, 'big.xlsx');
    await write(input, [
      ['Customer', ...rules.criteria.map((c) => c.id)],
      ['A', ...rules.criteria.map(() => 0.1)],
    ]);
    const run = kam(['score', input, '--formulas', 'portable', '--rules', rulesFile]);
    expect(run.stderr).toContain('make formulas longer than the 8192 characters');
    expect(run.status).toBe(2);
    expect(fs.existsSync(path.join(dir, 'big.kam.xlsx'))).toBe(false);
  });
});
