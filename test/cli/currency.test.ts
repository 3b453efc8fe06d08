import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultRules } from '../../src/engine';
import { kam, readCsvTable, readXlsxTable, tempDir } from './helpers';

/**
 * A sheet mixing EUR, USD and CNY, scored in one currency (issue 11, domain.md §6): the same account
 * written in each currency at the table's rates gets one score, the rates are named, and what
 * cannot be converted is named on its row.
 */
const RATES = {
  currency: 'CNY',
  fx: [
    { code: 'EUR', rate: 8, date: '2026-11-30' },
    { code: 'USD', rate: 7 },
  ],
};

function writeInputs(dir: string): { csv: string; rules: string } {
  const rules = path.join(dir, 'cny.rules.json');
  fs.writeFileSync(rules, JSON.stringify({ ...defaultRules(), ...RATES }, null, 2));
  const lines = [
    'Customer,Currency,Annual sales,Gross margin,Purchase growth,Wallet,Days to pay,Access to goals,Openness to ideas',
    'Beijing Co,CNY,560000,0.3,0.1,1400000,30,4,4',
    'Berlin GmbH,EUR,70000,0.3,0.1,175000,30,4,4',
    'Boston Inc,USD,80000,0.3,0.1,200000,30,4,4',
    'Osaka KK,JPY,9000000,0.3,0.1,20000000,30,4,4',
    'Nowhere Ltd,,80000,0.3,0.1,200000,30,4,4',
  ];
  const csv = path.join(dir, 'global.csv');
  fs.writeFileSync(csv, `${lines.join('\n')}\n`);
  return { csv, rules };
}

describe('kam score: one currency for a sheet of several', () => {
  it('scores EUR, USD and CNY accounts alike at the rates, names the rest, and says which rates it used', () => {
    const dir = tempDir();
    const { csv, rules } = writeInputs(dir);
    const run = kam(['score', csv, '--rules', rules]);
    expect(run.status).toBe(0);
    const out = readCsvTable(path.join(dir, 'global.kam.csv'));
    const score = (name: string): string | undefined => out.rows.find((r) => r.Customer === name)?.['KAM Score'];
    // 70,000 EUR × 8 = 80,000 USD × 7 = 560,000 CNY: one account, three currencies, one score.
    expect(score('Berlin GmbH')).toBe(score('Beijing Co'));
    expect(score('Boston Inc')).toBe(score('Beijing Co'));
    expect(score('Beijing Co')).not.toBe('');
    const flags = (name: string): string => out.rows.find((r) => r.Customer === name)?.['KAM Flags'] ?? '';
    expect(flags('Osaka KK')).toContain('JPY');
    expect(flags('Nowhere Ltd')).toMatch(/no currency/);
    expect(run.stdout).toContain('Amounts scored in CNY: CNY: 1, EUR × 8 (2026-11-30): 1, USD × 7: 1');
  });

  it('writes the currency and rates into the KAM Rules sheet of an .xlsx, from which they are read back', async () => {
    const dir = tempDir();
    const { csv, rules } = writeInputs(dir);
    const ExcelJS = await import('exceljs');
    const book = new ExcelJS.Workbook();
    await book.csv.readFile(csv);
    const xlsx = path.join(dir, 'global.xlsx');
    await book.xlsx.writeFile(xlsx);
    expect(kam(['score', xlsx, '--rules', rules, '--lang', 'zh']).status).toBe(0);
    const out = path.join(dir, 'global.kam.xlsx');
    const { workbook } = await readXlsxTable(out);
    const sheet = workbook.getWorksheet('KAM Rules');
    const texts: string[] = [];
    sheet?.eachRow((row) => row.eachCell((cell) => texts.push(String(cell.value))));
    expect(texts).toEqual(expect.arrayContaining(['CNY', 'EUR', '2026-11-30', 'USD']));
    // The rule set in the sheet is the one used: kam reads it back whole.
    const check = kam(['rules', 'check', out]);
    expect(check.status).toBe(0);
    // Scored again from its own sheet (no --rules): the rates still apply.
    const again = kam(['score', out, '--out', path.join(dir, 'again.xlsx')]);
    expect(again.stdout).toContain('Amounts scored in CNY: CNY: 1, EUR × 8 (2026-11-30): 1, USD × 7: 1');
  });
});
