/**
 * LibreOffice as an independent spreadsheet client: what a user without the add-in sees when they
 * open kam's workbook. It converts the written .xlsx to CSV, and the values must be kam's.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultRules, evaluate, flagsText, outcomeLabel, type OutcomeId } from '../../src/engine';
import { GOLDEN, GOLDEN_COLUMNS, kam, readCsvTable, tempDir, writeGoldenXlsx } from './helpers';

const soffice = ['soffice', 'libreoffice'].map((name) => spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim()).find((found) => found !== '');
const describeLo = soffice ? describe : describe.skip;
if (!soffice) console.warn('LibreOffice (soffice) is not installed: the independent-client tests are skipped. CI installs libreoffice-calc.');

let dir: string;
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Converts the first sheet of a workbook to UTF-8 CSV with LibreOffice, in a profile of its own. */
function toCsv(xlsx: string): string {
  const outDir = path.join(dir, `lo-${path.basename(xlsx, '.xlsx')}`);
  const profile = `file://${path.join(dir, `lo-profile-${process.pid}-${path.basename(xlsx, '.xlsx')}`)}`;
  // Filter options: comma, double quotes, UTF-8 (76), from line 1, so Chinese text survives.
  const result = spawnSync(
    soffice as string,
    [`-env:UserInstallation=${profile}`, '--headless', '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1', '--outdir', outDir, xlsx],
    { encoding: 'utf8', timeout: 120_000 },
  );
  const csv = path.join(outDir, `${path.basename(xlsx, '.xlsx')}.csv`);
  if (!fs.existsSync(csv)) throw new Error(`LibreOffice did not convert ${xlsx}: ${result.stderr}`);
  return csv;
}

describeLo('the written workbook, as LibreOffice reads it', () => {
  const rules = defaultRules();

  test.each(['en', 'zh'] as const)('golden accounts, --lang %s: scores, tiers, flags and untouched inputs', async (lang) => {
    const input = path.join(dir, `golden-${lang}.xlsx`);
    await writeGoldenXlsx(input);
    expect(kam(['score', input, '--lang', lang]).status).toBe(0);
    const { headers, rows } = readCsvTable(toCsv(path.join(dir, `golden-${lang}.kam.xlsx`)));
    // Score, tier and flags, then the pane's priority and hours (no contacts here: no coverage or quadrant).
    const [scoreHeader, tierHeader, flagsHeader] = headers.slice(-5, -2) as [string, string, string];
    expect(headers.slice(-5, -2)).toEqual(lang === 'en' ? ['KAM Score', 'KAM Tier', 'KAM Flags'] : ['KAM 得分', 'KAM 等级', 'KAM 提示']);
    expect(rows).toHaveLength(GOLDEN.length);
    GOLDEN.forEach((g, i) => {
      const row = rows[i] as Record<string, string>;
      const e = evaluate(g.inputs, rules);
      expect(row.Customer).toBe(g.account);
      // The score as LibreOffice displays it: the number with one decimal.
      expect(row[scoreHeader]).toBe(e.score === null ? '' : e.score.toFixed(1));
      expect(row[tierHeader]).toBe(outcomeLabel(rules, e.outcome as OutcomeId, lang));
      expect(row[flagsHeader]).toBe(flagsText(e.flags, lang, rules));
      // The inputs as they were written: numbers, texts, blanks and the error value.
      for (const [id, header] of GOLDEN_COLUMNS) {
        const v = g.inputs[id];
        expect([g.account, header, row[header]]).toEqual([g.account, header, v === null || v === undefined ? '' : String(v)]);
      }
      expect(row.Notes).toBe(`note ${i + 1}, with a comma`);
    });
  });

  test('the sample workbook: the same scores and tiers as kam wrote', () => {
    const out = path.join(dir, 'sample.kam.xlsx');
    expect(kam(['score', 'samples/accounts.xlsx', '--out', out]).status).toBe(0);
    const viaLo = readCsvTable(toCsv(out)).rows;
    const csvOut = path.join(dir, 'sample.kam.csv');
    expect(kam(['score', 'samples/accounts.csv', '--out', csvOut]).status).toBe(0);
    const viaKam = readCsvTable(csvOut).rows;
    expect(viaLo.map((r) => [r.Customer, r['KAM Score'], r['KAM Tier'], r['KAM Priority'], r['KAM Hours/Month']])).toEqual(
      viaKam.map((r) => [r.Customer, r['KAM Score'], r['KAM Tier'], r['KAM Priority'], r['KAM Hours/Month']]),
    );
    // The workbook's Contacts and Needs sheets add relationship and plan flags after the engine's own.
    viaKam.forEach((r, i) => expect(viaLo[i]?.['KAM Flags']?.startsWith(r['KAM Flags'] ?? '')).toBe(true));
  });
});
