/**
 * Issue 11, item 2: a scored workbook records its run, and `kam check` names the rows whose stored
 * results are stale, with the reason, after an input cell or a weight in the KAM Rules sheet is
 * edited inside the file (as Excel or a colleague would).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import JSZip from 'jszip';
import { readRunRecord, rulesFingerprint } from '../../src/engine';
import { GOLDEN, kam, readXlsxTable, tempDir, writeGoldenXlsx } from './helpers';

let dir: string;
let scored: string;
beforeAll(async () => {
  dir = tempDir();
  const input = path.join(dir, 'accounts.xlsx');
  await writeGoldenXlsx(input);
  scored = path.join(dir, 'scored.xlsx');
  const run = kam(['score', input, '--out', scored]);
  expect(run.status).toBe(0);
}, 60_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A copy of the scored workbook with parts edited as text. */
async function edited(name: string, edit: (zip: JSZip, sheets: Record<string, string>) => Promise<void>): Promise<string> {
  const zip = await JSZip.loadAsync(fs.readFileSync(scored));
  const sheets: Record<string, string> = {};
  for (const part of Object.keys(zip.files).filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n))) {
    const xml = await (zip.file(part) as JSZip.JSZipObject).async('string');
    sheets[xml.includes('>kam-rules<') ? 'rules' : part === 'xl/worksheets/sheet1.xml' ? 'accounts' : part] = part;
  }
  await edit(zip, sheets);
  const file = path.join(dir, name);
  fs.writeFileSync(file, await zip.generateAsync({ type: 'nodebuffer' }));
  return file;
}

/** Replaces a numeric cell's value in a sheet part. */
async function setNumber(zip: JSZip, part: string, ref: string, value: number): Promise<void> {
  const xml = await (zip.file(part) as JSZip.JSZipObject).async('string');
  if (ref === OPENNESS_WEIGHT) expect(xml).toContain('<row r="11"><c r="A11" t="inlineStr"><is><t xml:space="preserve">Openness to ideas</t>');
  const cell = new RegExp(`(<c r="${ref}"[^>]*>)<v>[^<]*</v>`);
  expect(cell.test(xml)).toBe(true);
  zip.file(part, xml.replace(cell, `$1<v>${value}</v>`));
}

/** The data rows (sheet row numbers) whose result cells differ between two scored workbooks. */
async function differingRows(a: string, b: string): Promise<number[]> {
  const [ta, tb] = [await readXlsxTable(a), await readXlsxTable(b)];
  const keys = ta.headers.filter((h) => h.startsWith('KAM '));
  const rows: number[] = [];
  ta.rows.forEach((row, i) => {
    if (keys.some((k) => JSON.stringify(row[k] ?? null) !== JSON.stringify(tb.rows[i]?.[k] ?? null))) rows.push(i + 2);
  });
  return rows;
}

/** What kam check names: sheet row → the reasons said for it. */
function named(stdout: string): Map<number, string> {
  const rows = new Map<number, string>();
  for (const m of stdout.matchAll(/^ {2}row (\d+)[^\n]*\(([^()]*)\)$/gm)) rows.set(Number(m[1]), `${rows.get(Number(m[1])) ?? ''}${m[2]};`);
  return rows;
}

// Sales of the second golden account (400,000: below the curve's end, so a change moves its score): column B of sheet row 3.
const SALES_CELL = 'B3';
const SALES_ROW = 3;
// The Openness weight: in the KAM Rules sheet, the criterion's row (its English label in column A), weight in column B.
const OPENNESS_WEIGHT = 'B11';

describe('kam score records its run', () => {
  test('the fingerprint, time, version and language are custom document properties of the written workbook', async () => {
    const zip = await JSZip.loadAsync(fs.readFileSync(scored));
    const xml = await (zip.file('docProps/custom.xml') as JSZip.JSZipObject).async('string');
    const props = Object.fromEntries(
      [...xml.matchAll(/name="([^"]+)"><vt:lpwstr>([^<]*)</g)].map((m) => [
        m[1],
        m[2]
          ?.replace(/&quot;/g, '"')
          .replace(/&amp;/g, '&')
          .replace(/&lt;/g, '<')
          .replace(/&gt;/g, '>'),
      ]),
    );
    const record = readRunRecord(props);
    expect(record?.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(record?.lang).toBe('en');
    expect(record?.appliedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(record?.fingerprint).toBe(rulesFingerprint(JSON.parse(record?.rules ?? 'null')));
    const rels = await (zip.file('_rels/.rels') as JSZip.JSZipObject).async('string');
    expect(rels).toContain('relationships/custom-properties" Target="docProps/custom.xml"');
    expect(await (zip.file('[Content_Types].xml') as JSZip.JSZipObject).async('string')).toContain(
      'PartName="/docProps/custom.xml" ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml"',
    );
  });

  test('scoring again replaces our properties and keeps a user property byte for byte', async () => {
    const userProperty = '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Owner"><vt:lpwstr>Région Est &amp; Co</vt:lpwstr></property>';
    const withUser = await edited('user-props.xlsx', async (zip) => {
      const xml = await (zip.file('docProps/custom.xml') as JSZip.JSZipObject).async('string');
      zip.file('docProps/custom.xml', xml.replace(/(<Properties[^>]*>)/, `$1${userProperty}`).replace(/pid="2" name="KAM/, 'pid="99" name="KAM'));
    });
    const again = path.join(dir, 'again.xlsx');
    expect(kam(['score', withUser, '--out', again]).status).toBe(0);
    const zip = await JSZip.loadAsync(fs.readFileSync(again));
    const xml = await (zip.file('docProps/custom.xml') as JSZip.JSZipObject).async('string');
    expect(xml).toContain(userProperty);
    expect(xml.match(/name="KAM\.RulesFingerprint"/g)).toHaveLength(1);
    expect(new Set([...xml.matchAll(/pid="(\d+)"/g)].map((m) => m[1])).size).toBe([...xml.matchAll(/pid="/g)].length);
    expect(kam(['check', again]).status).toBe(0);
  });
});

describe('kam check', () => {
  test('untouched: every result is current, exit 0', () => {
    const run = kam(['check', scored]);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('The rules are those of the run.');
    expect(run.stdout).toContain(`All ${GOLDEN.length} results are current.`);
    expect(run.status).toBe(0);
  });

  test('an input edited: exactly the rows whose results change are named, for their inputs, exit 1', async () => {
    const file = await edited('input.xlsx', (zip, sheets) => setNumber(zip, sheets.accounts as string, SALES_CELL, 900_000));
    const fresh = path.join(dir, 'input.fresh.xlsx');
    expect(kam(['score', file, '--out', fresh]).status).toBe(0);
    const expected = await differingRows(file, fresh);
    expect(expected).toContain(SALES_ROW);

    const run = kam(['check', file]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('The rules are those of the run.');
    const rows = named(run.stdout);
    expect([...rows.keys()].sort((a, b) => a - b)).toEqual(expected);
    for (const reasons of rows.values()) expect(reasons).toMatch(/^(inputs changed;)+$/);
    expect(run.stdout).toMatch(new RegExp(`row 3 \\(${GOLDEN[1]?.account ?? ''}\\), KAM Score \\(column [A-Z]+\\): stored [\\d.]+, current [\\d.]+ \\(inputs changed\\)`));
  }, 60_000);

  test('a weight edited in the KAM Rules sheet: the rule is named with both values, the rows it changes are named for the rules', async () => {
    const file = await edited('weight.xlsx', (zip, sheets) => setNumber(zip, sheets.rules as string, OPENNESS_WEIGHT, 60));
    const fresh = path.join(dir, 'weight.fresh.xlsx');
    expect(kam(['score', file, '--out', fresh]).status).toBe(0);
    const expected = await differingRows(file, fresh);
    expect(expected.length).toBeGreaterThan(0);

    const run = kam(['check', file]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('The rules changed since the run');
    expect(run.stdout).toContain('  Openness to ideas — weight: 10 → 60');
    const rows = named(run.stdout);
    expect([...rows.keys()].sort((a, b) => a - b)).toEqual(expected);
    for (const reasons of rows.values()) expect(reasons).toMatch(/^(rules changed;)+$/);
  }, 60_000);

  test('both edited: the edited row names both reasons where both changed it; Chinese output', async () => {
    const file = await edited('both.xlsx', async (zip, sheets) => {
      await setNumber(zip, sheets.accounts as string, SALES_CELL, 900_000);
      await setNumber(zip, sheets.rules as string, OPENNESS_WEIGHT, 60);
    });
    const run = kam(['check', file, '--lang', 'zh']);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('评分后规则已更改');
    expect(run.stdout).toContain('接受新想法 — 权重:10 → 60');
    expect(run.stdout).toMatch(/第 3 行[^\n]*KAM Score[^\n]*输入已更改、规则已更改/);
  }, 60_000);

  test('a file without a run record, a CSV, and the input is only read', async () => {
    const input = path.join(dir, 'accounts.xlsx');
    const before = fs.readFileSync(input);
    const run = kam(['check', input]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('has no run record');
    expect(fs.readFileSync(input).equals(before)).toBe(true);
    const csv = path.join(dir, 'a.csv');
    fs.writeFileSync(csv, 'account,sales\nA,1\n');
    const c = kam(['check', csv]);
    expect(c.status).toBe(2);
    expect(c.stderr).toContain('cannot hold a run record');
  });

  test('the same verdict under any locale and time zone (the fingerprint does not depend on them)', () => {
    for (const env of [
      { LANG: 'de_DE.UTF-8', TZ: 'America/Los_Angeles' },
      { LANG: 'zh_CN.UTF-8', TZ: 'Asia/Shanghai' },
      { LANG: 'en_US.UTF-8', TZ: 'UTC' },
    ]) {
      expect([env.LANG, kam(['check', scored], { env }).status]).toEqual([env.LANG, 0]);
    }
  }, 60_000);

  test('--help, in English and Chinese', () => {
    expect(kam(['check', '--help']).stdout).toContain('Exit status: 0 every result is current, 1 some results are stale');
    expect(kam(['check', '--help', '--lang', 'zh']).stdout).toContain('退出码:0 所有结果均为最新');
    expect(kam(['--help']).stdout).toContain('kam check <scored.xlsx>');
  });
});
