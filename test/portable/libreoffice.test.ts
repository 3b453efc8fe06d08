/**
 * `kam score --formulas portable`, opened in LibreOffice with no add-in: LibreOffice recalculates
 * every formula on load, and its values are the engine's on every row. Then inputs, a weight and a
 * tier threshold are changed inside the file, and LibreOffice's new values are the engine's under
 * the changed rules.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import JSZip from 'jszip';
import { defaultRules, outcomeLabel, ruleReferences, rulesToTable, type Lang, type RuleSet } from '../../src/engine';
import golden from '../fixtures/golden-accounts.json';
import { kam, readCsvTable, tempDir } from '../cli/helpers';
import { accountArb, engineRows, letter, type Account } from './sheet';
import { cnyRules } from '../support/rules';

const soffice = ['soffice', 'libreoffice'].map((name) => spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim()).find((found) => found !== '');
const describeLo = soffice ? describe : describe.skip;
if (!soffice) console.warn('LibreOffice (soffice) is not installed: the portable-formula recalculation tests are skipped. CI installs libreoffice-calc.');

let dir: string;
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A LibreOffice profile that recalculates every formula of an .xlsx on load (cached values are ignored). */
function recalcProfile(): string {
  const profile = path.join(dir, 'lo-profile');
  fs.mkdirSync(path.join(profile, 'user'), { recursive: true });
  fs.writeFileSync(
    path.join(profile, 'user', 'registrymodifications.xcu'),
    '<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n' +
      '<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>\n</oor:items>\n',
  );
  return `file://${profile}`;
}

/** The first sheet as LibreOffice computes it, as UTF-8 CSV. */
function recalculated(xlsx: string): Array<Record<string, string>> {
  const name = path.basename(xlsx, '.xlsx');
  const outDir = path.join(dir, `lo-${name}`);
  const result = spawnSync(
    soffice as string,
    [`-env:UserInstallation=${recalcProfile()}`, '--headless', '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1', '--outdir', outDir, xlsx],
    { encoding: 'utf8', timeout: 180_000 },
  );
  const csv = path.join(outDir, `${name}.csv`);
  if (!fs.existsSync(csv)) throw new Error(`LibreOffice did not convert ${xlsx}: ${result.stderr}`);
  return readCsvTable(csv).rows;
}

/** Customer, the inputs in criterion order, then (withCurrency) a Currency column. */
async function writeAccounts(file: string, rules: RuleSet, accounts: readonly Account[], withCurrency = false): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Accounts');
  sheet.addRow(['Customer', ...rules.criteria.map((c) => c.id), ...(withCurrency ? ['Currency'] : [])]);
  accounts.forEach((a, i) => sheet.addRow([`account ${i + 1}`, ...rules.criteria.map((c) => a[c.id] ?? null), ...(withCurrency ? [a.currency ?? null] : [])]));
  await workbook.xlsx.writeFile(file);
}

const HEADERS: Record<Lang, [string, string, string]> = { en: ['KAM Score', 'KAM Tier', 'KAM Flags'], zh: ['KAM 得分', 'KAM 等级', 'KAM 提示'] };

/** What LibreOffice shows against what the engine gives, row by row: score (as displayed), tier, flags. */
function compare(rows: ReadonlyArray<Record<string, string>>, rules: RuleSet, lang: Lang, accounts: readonly Account[]): void {
  const [scoreHeader, tierHeader, flagsHeader] = HEADERS[lang];
  expect(rows).toHaveLength(accounts.length);
  const invalid = outcomeLabel(rules, 'invalid', lang);
  // An Invalid input row's flags quote the number as text: LibreOffice writes it to 15 digits, JavaScript
  // to 17. A currency problem quotes no number: its flags are compared.
  const engine = engineRows(rules, lang, accounts);
  const quotesNumber = engine.map(([, tier, flags]) => tier === invalid && !/currenc|货币/.test(flags));
  const expected = engine.map(([score, tier, flags], i) => [i + 2, score === null ? '' : score.toFixed(1), tier, quotesNumber[i] ? '' : flags]);
  expect(rows.map((r, i) => [i + 2, r[scoreHeader], r[tierHeader], quotesNumber[i] ? '' : r[flagsHeader]])).toEqual(expected);
}

/** Sets numeric cells of a sheet part in the package: `address → value`. */
function setCells(xml: string, values: ReadonlyMap<string, number>): string {
  let out = xml;
  for (const [address, value] of values) {
    const pattern = new RegExp(`(<c r="${address}"[^>]*>)<v>[^<]*</v>`);
    if (!pattern.test(out)) throw new Error(`no numeric cell ${address}`);
    out = out.replace(pattern, `$1<v>${value}</v>`);
  }
  return out;
}

const GOLDEN = (golden as { accounts: Array<{ inputs: Account }> }).accounts.map((a) => a.inputs).filter((a) => Object.values(a).every((v) => v === null || typeof v === 'number'));

/** A workbook kam wrote, opened as a package, with the parts of its KAM Rules sheet and its accounts sheet. */
async function openWritten(file: string): Promise<{ zip: JSZip; rulesPart: string; accountsPart: string }> {
  const zip = await JSZip.loadAsync(fs.readFileSync(file));
  const parts = Object.keys(zip.files).filter((p) => /^xl\/worksheets\/sheet\d+\.xml$/.test(p));
  const texts = await Promise.all(parts.map((p) => (zip.file(p) as JSZip.JSZipObject).async('string')));
  return { zip, rulesPart: parts[texts.findIndex((t) => t.includes('kam-rules'))] as string, accountsPart: 'xl/worksheets/sheet1.xml' };
}

describeLo('portable formulas, recalculated by LibreOffice', () => {
  test.each(['en', 'zh'] as const)('golden and generated accounts, then inputs and rules edited in the file (%s)', async (lang) => {
    const rules = defaultRules();
    const generated = fc.sample(accountArb(rules), { numRuns: 150, seed: lang === 'en' ? 11 : 12 });
    // The first accounts are fully numeric, so their cells can be edited in place.
    const full: Account = { sales: 800000, margin: 0.2, growth: 0.05, wallet: 1200000, paymentDays: 45, access: 3, openness: 4 };
    const accounts: Account[] = [full, { ...full, sales: 300000 }, { ...full, margin: 0.02 }, ...GOLDEN, ...generated];
    const input = path.join(dir, `accounts-${lang}.xlsx`);
    const out = path.join(dir, `accounts-${lang}.kam.xlsx`);
    await writeAccounts(input, rules, accounts);
    const run = kam(['score', input, '--formulas', 'portable', '--lang', lang]);
    expect(run.status).toBe(0);
    compare(recalculated(out), rules, lang, accounts);

    // Edit inside the file: two inputs on the accounts sheet, a weight, a curve end and the Key threshold on the rules sheet.
    const { zip, rulesPart, accountsPart } = await openWritten(out);
    const col = (id: string): string => letter(1 + rules.criteria.findIndex((c) => c.id === id));
    const edited = accounts.map((a) => ({ ...a }));
    (edited[0] as Account).margin = -0.02;
    (edited[0] as Account).paymentDays = 95;
    (edited[1] as Account).sales = 950000;
    const inputEdits = new Map([
      [`${col('margin')}2`, -0.02],
      [`${col('paymentDays')}2`, 95],
      [`${col('sales')}3`, 950000],
    ]);
    zip.file(accountsPart, setCells(await (zip.file(accountsPart) as JSZip.JSZipObject).async('string'), inputEdits));

    const editedRules = defaultRules();
    const margin = editedRules.criteria.findIndex((c) => c.id === 'margin');
    (editedRules.criteria[margin] as { weight: number }).weight = 45;
    (editedRules.criteria[0] as { curve: { max: number } }).curve.max = 2_000_000;
    editedRules.tiers.key.minScore = 50;
    const refs = ruleReferences(rulesToTable(rules, { lang }), { lang });
    const at = (p: string): string => (refs[p] ?? '').replace(/^.*!/, '').replace(/\$/g, '');
    const ruleEdits = new Map([
      [at(`criteria.${margin}.weight`), 45],
      [at('criteria.0.curve.max'), 2_000_000],
      [at('tiers.key.minScore'), 50],
    ]);
    zip.file(rulesPart, setCells(await (zip.file(rulesPart) as JSZip.JSZipObject).async('string'), ruleEdits));
    const changed = path.join(dir, `changed-${lang}.xlsx`);
    fs.writeFileSync(changed, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
    // The edits change verdicts, so the comparison below is not the first one again.
    expect(engineRows(editedRules, lang, edited)).not.toEqual(engineRows(rules, lang, accounts));
    compare(recalculated(changed), editedRules, lang, edited);
  });

  test.each(['en', 'zh'] as const)("amounts in EUR, USD and CNY converted with the sheet's FX table, then a rate and an amount edited in the file (%s)", async (lang) => {
    const rules = cnyRules([
      { code: 'EUR', rate: 7.8125, date: '2026-11-30' },
      { code: 'USD', rate: 7.1 },
    ]);
    const rulesFile = path.join(dir, `fx-${lang}.json`);
    fs.writeFileSync(rulesFile, JSON.stringify(rules));
    const full: Account = { sales: 800000, margin: 0.2, growth: 0.05, wallet: 1200000, paymentDays: 45, access: 3, openness: 4 };
    // With the tabs, line breaks and no-break spaces of pasted exports around the code, which the engine
    // trims. Not a tab and a line break in one cell: LibreOffice reads that tab as U+0001 (docs/portable.md).
    const cells = [
      'EUR',
      'USD',
      'CNY',
      ' eur ',
      'usd',
      'RMB',
      '€',
      '£',
      null,
      'JPY',
      'E*R',
      '???',
      '12',
      'USD\t',
      '\u00A0eur',
      '\r\nCNY\r\n',
      ' \u00A0rmb\n',
      '\t€\u00A0',
      '\tJPY\u00A0',
      '\u3000usd',
    ];
    const generated = fc
      .sample(fc.tuple(accountArb(rules), fc.constantFrom<string | null>('EUR', 'USD', 'CNY', 'EUR', 'USD', 'cny', null, 'XYZ')), { numRuns: 120, seed: lang === 'en' ? 21 : 22 })
      .map(([a, currency]) => ({ ...a, currency }));
    const accounts: Account[] = [
      { ...full, sales: 100000, wallet: 150000, currency: 'EUR' },
      ...cells.map((currency) => ({ ...full, currency })),
      { ...full, sales: null, wallet: null, currency: null },
      ...generated,
    ];
    const input = path.join(dir, `fx-${lang}.xlsx`);
    const out = path.join(dir, `fx-${lang}.kam.xlsx`);
    await writeAccounts(input, rules, accounts, true);
    const run = kam(['score', input, '--formulas', 'portable', '--rules', rulesFile, '--lang', lang]);
    expect(run.status).toBe(0);
    const engine = engineRows(rules, lang, accounts);
    // Each reason a currency is refused is among the rows compared: £ and JPY (twice) have no rate, a blank, E*R, ??? and 12.
    expect(engine.slice(1, 1 + cells.length).filter(([, , flags]) => /currenc|货币/.test(flags))).toHaveLength(7);
    compare(recalculated(out), rules, lang, accounts);

    // In the file: the EUR rate on the rules sheet, and the first account's sales.
    const { zip, rulesPart, accountsPart } = await openWritten(out);
    const refs = ruleReferences(rulesToTable(rules, { lang }), { lang });
    const at = (p: string): string => (refs[p] ?? '').replace(/^.*!/, '').replace(/\$/g, '');
    zip.file(rulesPart, setCells(await (zip.file(rulesPart) as JSZip.JSZipObject).async('string'), new Map([[at('fx.0.rate'), 9.5]])));
    const salesCell = `${letter(1 + rules.criteria.findIndex((c) => c.id === 'sales'))}2`;
    zip.file(accountsPart, setCells(await (zip.file(accountsPart) as JSZip.JSZipObject).async('string'), new Map([[salesCell, 160000]])));
    const changed = path.join(dir, `fx-changed-${lang}.xlsx`);
    fs.writeFileSync(changed, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
    const editedRules = structuredClone(rules);
    (editedRules.fx?.[0] as { rate: number }).rate = 9.5;
    const edited = accounts.map((a, i) => (i === 0 ? { ...a, sales: 160000 } : a));
    expect(engineRows(editedRules, lang, edited)).not.toEqual(engine);
    compare(recalculated(changed), editedRules, lang, edited);
    // kam reads the edited rate back from the same cell.
    const read = kam(['rules', '--rules', changed]);
    expect(read.status).toBe(0);
    expect((JSON.parse(read.stdout) as RuleSet).fx?.[0]).toMatchObject({ code: 'EUR', rate: 9.5 });
  });

  test('kam reads the edited rules sheet back as the edited rule set', () => {
    // The cells the formulas read are the cells kam's own reader takes the rules from.
    const run = kam(['rules', '--rules', path.join(dir, 'changed-en.xlsx')]);
    expect(run.status).toBe(0);
    const read = JSON.parse(run.stdout) as RuleSet;
    expect(read.criteria.find((c) => c.id === 'margin')?.weight).toBe(45);
    expect(read.criteria[0]?.curve.max).toBe(2_000_000);
    expect(read.tiers.key.minScore).toBe(50);
  });
});
