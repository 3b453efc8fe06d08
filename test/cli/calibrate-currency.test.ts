import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultRules } from '../../src/engine';
import { kam, tempDir } from './helpers';

/**
 * `kam score --calibrate` and the scale hint on a sheet mixing EUR, USD and CNY (issue 11, domain.md
 * §5, §6): the amounts are converted to the rule set's currency first, so the targets are in CNY;
 * accounts whose currency is unknown or blank are left out, and kam says how many.
 */
const RATES = {
  currency: 'CNY',
  fx: [
    { code: 'EUR', rate: 8, date: '2026-11-30' },
    { code: 'USD', rate: 7 },
  ],
};
const HEADER = 'Customer,Currency,Annual sales,Gross margin,Purchase growth,Wallet,Days to pay,Access to goals,Openness to ideas';
/** Converted, the sales are 560,000 ×3, 1,200,000, 400,000 and 700,000 CNY: P90 950,000. JPY has no rate; one currency is blank. */
const MIXED = [
  'Beijing Co,CNY,560000,0.3,0.1,1400000,30,4,4',
  'Berlin GmbH,EUR,70000,0.3,0.1,175000,30,4,4',
  'Boston Inc,USD,80000,0.3,0.1,200000,30,4,4',
  'Shenzhen Co,CNY,1200000,0.3,0.1,2000000,30,4,4',
  'Paris SA,EUR,50000,0.3,0.1,100000,30,4,4',
  'Austin Inc,USD,100000,0.3,0.1,150000,30,4,4',
  'Osaka KK,JPY,9000000,0.3,0.1,20000000,30,4,4',
  'Nowhere Ltd,,80000,0.3,0.1,200000,30,4,4',
];
/** The same accounts written in CNY (those that convert). */
const IN_CNY = [
  'Beijing Co,CNY,560000,0.3,0.1,1400000,30,4,4',
  'Berlin GmbH,CNY,560000,0.3,0.1,1400000,30,4,4',
  'Boston Inc,CNY,560000,0.3,0.1,1400000,30,4,4',
  'Shenzhen Co,CNY,1200000,0.3,0.1,2000000,30,4,4',
  'Paris SA,CNY,400000,0.3,0.1,800000,30,4,4',
  'Austin Inc,CNY,700000,0.3,0.1,1050000,30,4,4',
];

function write(dir: string, name: string, lines: readonly string[]): { csv: string; rules: string } {
  const rules = path.join(dir, 'cny.rules.json');
  fs.writeFileSync(rules, JSON.stringify({ ...defaultRules(), ...RATES }, null, 2));
  const csv = path.join(dir, `${name}.csv`);
  fs.writeFileSync(csv, `${[HEADER, ...lines].join('\n')}\n`);
  return { csv, rules };
}

const calibratedLines = (stdout: string): string[] => stdout.split('\n').filter((l) => l.startsWith('Calibrated:'));

describe('kam score --calibrate on a sheet of several currencies', () => {
  it("sets the targets in the rule set's currency from the converted amounts, and says how many accounts were left out", () => {
    const dir = tempDir();
    const { csv, rules } = write(dir, 'global', MIXED);
    const run = kam(['score', csv, '--rules', rules, '--calibrate']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(
      "Calibration and the scale hint read the amounts in CNY, converted at the FX table's rates; 2 accounts left out: currency blank or without a rate.",
    );
    expect(run.stdout).not.toContain('mixes currencies');
    const lines = calibratedLines(run.stdout);
    expect(lines[0]).toMatch(/target 1,000,000 → 950,000 \(90th percentile of 6 accounts\)/);

    // The same accounts written in CNY calibrate to the same targets.
    const same = write(dir, 'cny', IN_CNY);
    const cny = kam(['score', same.csv, '--rules', same.rules, '--calibrate']);
    expect(calibratedLines(cny.stdout)).toEqual(lines);
    expect(cny.stdout).toContain("Calibration and the scale hint read the amounts in CNY, converted at the FX table's rates.");
  });

  it('reads the workbook path the same way, in Chinese too', async () => {
    const dir = tempDir();
    const { csv, rules } = write(dir, 'global', MIXED);
    const ExcelJS = await import('exceljs');
    const book = new ExcelJS.Workbook();
    await book.csv.readFile(csv);
    const xlsx = path.join(dir, 'global.xlsx');
    await book.xlsx.writeFile(xlsx);
    const run = kam(['score', xlsx, '--rules', rules, '--calibrate', '--lang', 'zh']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('校准与量级提示按 CNY 读取金额(按汇率表换算);2 个客户因货币为空或无汇率未计入。');
    expect(run.stdout).toContain('目标值 1,000,000 → 950,000(6 个客户的第 90 百分位)');
  });

  it('the scale hint, without --calibrate, compares the target with the converted amounts', () => {
    const dir = tempDir();
    // At 0.001 CNY per "EUR", 100,000 EUR is 100 CNY: far below the 1,000,000 target.
    const rules = path.join(dir, 'tiny.rules.json');
    fs.writeFileSync(rules, JSON.stringify({ ...defaultRules(), currency: 'CNY', fx: [{ code: 'EUR', rate: 0.001 }] }, null, 2));
    const csv = path.join(dir, 'tiny.csv');
    fs.writeFileSync(csv, `${[HEADER, 'A,EUR,100000,0.3,0.1,200000,30,4,4', 'B,EUR,200000,0.3,0.1,300000,30,4,4', 'C,EUR,300000,0.3,0.1,400000,30,4,4'].join('\n')}\n`);
    const run = kam(['score', csv, '--rules', rules]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Scale: the .* target is 1,000,000, but 90% of the accounts are below 280;/);
    expect(run.stdout).toContain("Calibration and the scale hint read the amounts in CNY, converted at the FX table's rates.");
  });
});
