/**
 * Same result under any locale (issue 11, item 5): `kam` and the engine run under every pair of
 * LANG (en_US, de_DE, zh_CN) and TZ (UTC, Asia/Shanghai, America/Los_Angeles) on order lines dated
 * a second either side of midnight at the edges of a fiscal year (ISO texts, Excel serials with a
 * time of day and `t="d"` cells) and on amounts, costs and margins written with a decimal comma
 * ("1.234,5", "12,5 %"); the outputs must be identical byte for byte.
 *
 * What is really exercised: this machine may have no libc locales but C and C.UTF-8 (`locale -a`),
 * and nothing here needs them: Node's Intl (ICU) takes its default locale from LC_ALL/LANG and its
 * time zone from TZ by itself, and `Date` follows TZ. Each setting is checked in a child first
 * (Intl's resolved locale and time zone, a number and a date formatted by default, the UTC offset),
 * so a setting that did not take effect fails the test instead of testing nothing. What libc's
 * locale would change (strtod, strftime in native code) is not exercised: kam calls none of it.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import JSZip from 'jszip';

const ROOT = path.join(__dirname, '..', '..');
const KAM = path.join(ROOT, 'dist', 'src', 'cli', 'kam.js');
const ENGINE = path.join(ROOT, 'dist', 'src', 'engine', 'index.js');

const LOCALES = [
  { lang: 'en_US.UTF-8', intl: 'en-US', kamLang: 'en' },
  { lang: 'de_DE.UTF-8', intl: 'de-DE', kamLang: 'en' },
  { lang: 'zh_CN.UTF-8', intl: 'zh-CN', kamLang: 'zh' },
] as const;
const ZONES = [
  { tz: 'UTC', offset: 0 },
  { tz: 'Asia/Shanghai', offset: -480 },
  { tz: 'America/Los_Angeles', offset: 420 },
] as const;
const SETTINGS = LOCALES.flatMap((locale) => ZONES.map((zone) => ({ ...locale, ...zone, name: `${locale.lang} ${zone.tz}` })));
type Setting = (typeof SETTINGS)[number];

const envOf = (s: Setting): NodeJS.ProcessEnv => ({ ...process.env, LANG: s.lang, LC_ALL: s.lang, LC_MESSAGES: '', TZ: s.tz });

function node(args: readonly string[], s: Setting, cwd: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, args, { cwd, env: envOf(s), encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

let dir: string;
beforeAll(() => {
  for (const file of [KAM, ENGINE]) if (!fs.existsSync(file)) throw new Error(`${file} is missing: run "npm run build:node" before these tests`);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kam-locale-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// ---------------------------------------------------------------------------------------------
// Fixtures. FY2024 with a fiscal year starting in April runs 2023-04-01 – 2024-03-31: every date
// below sits a second either side of one of its edges, so a date read in local time moves a line
// into the next or previous year and changes the sums.

const LINE_HEADERS = ['Order ID', 'Customer', 'Order Date', 'Amount', 'Cost', 'Payment Date'];
/** [order, customer, date+time, amount, cost, payment date+time], amounts with a decimal comma. */
const LINES: ReadonlyArray<readonly [string, string, string, string, string, string]> = [
  ['A1', 'Müller GmbH', '2023-03-31T23:59:59', '1.000,00', '700,00', '2023-04-30T23:59:59'],
  ['A2', 'Müller GmbH', '2023-04-01T00:00:00', '1.234,5', '800,25', '2023-05-01T00:00:01'],
  ['A3', 'Müller GmbH', '2024-03-31T23:59:59', '980,75', '500,5', '2024-04-30T23:59:00'],
  ['A4', 'Müller GmbH', '2024-04-01T00:00:01', '5.000,00', '4.000,00', ''],
  ['B1', '上海精工', '2022-04-01T00:00:00', '12.500,00', '9.000,00', '2022-05-31T23:59:59'],
  ['B2', '上海精工', '2023-03-31T23:59:59', '1.500,5', '1.000,00', '2023-04-01T00:00:00'],
  ['B3', '上海精工', '2024-03-31T23:30:00', '11.000,25', '8.250,75', '2024-05-01T00:00:00'],
  ['C1', 'Acme Corp', '2023-12-31T23:59:59', '2.000,00', '1.900,00', '2024-01-01T00:00:00'],
  ['C2', 'Acme Corp', '2022-12-31T23:59:59', '4.000,00', '3.000,00', '2023-02-14T00:00:00'],
];

/** Days from Excel's day 0 plus the time of day, as Excel stores a date cell. */
function serialOf(isoLocal: string): number {
  return (Date.parse(`${isoLocal}Z`) - Date.UTC(1899, 11, 30)) / 86_400_000;
}

function writeOrdersCsv(file: string): void {
  const quote = (v: string): string => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  // ISO texts as an export writes them, with a space before the time.
  const rows = LINES.map((l) => [l[0], l[1], l[2].replace('T', ' '), l[3], l[4], l[5].replace('T', ' ')]);
  fs.writeFileSync(file, [LINE_HEADERS, ...rows].map((r) => r.map(quote).join(',')).join('\r\n') + '\r\n');
}

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';
const escapeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const letter = (c: number): string => String.fromCharCode(65 + c);
type XCell = { text: string } | { serial: number } | { isoDate: string } | { number: number } | null;

/** A one-sheet workbook written by hand: inline texts, serials with a date format (style 1), `t="d"` cells. */
async function writeXlsx(file: string, sheetName: string, rows: ReadonlyArray<readonly XCell[]>): Promise<void> {
  const cell = (c: XCell, col: number, row: number): string => {
    const ref = `${letter(col)}${row}`;
    if (c === null) return '';
    if ('text' in c) return `<c r="${ref}" t="inlineStr"><is><t>${escapeXml(c.text)}</t></is></c>`;
    if ('serial' in c) return `<c r="${ref}" s="1"><v>${c.serial}</v></c>`;
    if ('isoDate' in c) return `<c r="${ref}" s="1" t="d"><v>${c.isoDate}</v></c>`;
    return `<c r="${ref}"><v>${c.number}</v></c>`;
  };
  const sheetData = rows.map((r, i) => `<row r="${i + 1}">${r.map((c, j) => cell(c, j, i + 1)).join('')}</row>`).join('');
  const zip = new JSZip();
  zip.file(
    '[Content_Types].xml',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
      `<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`,
  );
  zip.file(
    '_rels/.rels',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${PKG_REL}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
  );
  zip.file(
    'xl/workbook.xml',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets><sheet name="${sheetName}" sheetId="1" r:id="rId1"/></sheets></workbook>`,
  );
  zip.file(
    'xl/_rels/workbook.xml.rels',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${PKG_REL}"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${REL}/styles" Target="styles.xml"/></Relationships>`,
  );
  zip.file(
    'xl/styles.xml',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="${MAIN}"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd\\ hh:mm:ss"/></numFmts>` +
      `<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border/></borders>` +
      `<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>`,
  );
  zip.file('xl/worksheets/sheet1.xml', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="${MAIN}"><sheetData>${sheetData}</sheetData></worksheet>`);
  fs.writeFileSync(file, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
}

/** The same lines in a workbook, their dates in every form a workbook holds them, taking turns. */
async function writeOrdersXlsx(file: string): Promise<void> {
  const dateCell = (iso: string, i: number): XCell => {
    if (iso === '') return null;
    if (i % 3 === 0) return { serial: serialOf(iso) };
    if (i % 3 === 1) return { isoDate: iso };
    return { text: iso.replace('T', ' ') };
  };
  await writeXlsx(file, 'Lines', [
    LINE_HEADERS.map((h) => ({ text: h })),
    ...LINES.map((l, i) => [{ text: l[0] }, { text: l[1] }, dateCell(l[2], i), { text: l[3] }, { text: l[4] }, dateCell(l[5], i + 1)]),
  ]);
}

const ACCOUNT_HEADERS = ['Customer', 'Annual sales', 'Gross margin', 'Purchase growth', 'Wallet', 'Days to pay', 'Access to goals', 'Openness to ideas', 'Last visit'];
/** Accounts with decimal-comma texts in every numeric column, and a last-visit date near midnight. */
const ACCOUNTS: ReadonlyArray<readonly string[]> = [
  ['Müller GmbH', '1.234.567,5', '12,5 %', '8,25 %', '2.500.000,00', '45', '4', '3', '2024-03-31T23:59:59'],
  ['上海精工', '850.000,75', '-3,5 %', '-12,5 %', '1.000.000,5', '130', '2', '5', '2024-04-01T00:00:00'],
  ['Acme Corp', '98.765,4', '0,18', '0,05', '150.000,00', '60', '5', '4', '2023-12-31T23:59:59'],
  ['Zeta SA', '', '22,75 %', '', '400.000,00', '30,5', '3', '', '2024-01-01T00:00:01'],
];

function writeAccountsCsv(file: string): void {
  const quote = (v: string): string => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  fs.writeFileSync(file, [ACCOUNT_HEADERS, ...ACCOUNTS.map((a) => a.map((v, c) => (c === 8 ? v.replace('T', ' ') : v)))].map((r) => r.map(quote).join(',')).join('\n') + '\n');
}

async function writeAccountsXlsx(file: string): Promise<void> {
  await writeXlsx(file, 'Accounts', [
    ACCOUNT_HEADERS.map((h) => ({ text: h })),
    ...ACCOUNTS.map((a, i) => a.map((v, c): XCell => (c === 8 ? (i % 2 === 0 ? { serial: serialOf(v) } : { isoDate: v }) : v === '' ? null : { text: v }))),
  ]);
}

// ---------------------------------------------------------------------------------------------

/** What a run leaves: its exit status, what it said (the run's own folder written as <dir>) and the bytes it wrote. */
interface Outcome {
  status: number | null;
  stdout: string;
  stderr: string;
  files: Record<string, string>;
}

/** Every part of an .xlsx as text, a recorded time (ISO instant) masked; any other file as it is. */
async function contents(file: string): Promise<string> {
  const bytes = fs.readFileSync(file);
  if (!file.endsWith('.xlsx')) return bytes.toString('utf8');
  const zip = await JSZip.loadAsync(bytes);
  const names = Object.keys(zip.files)
    .filter((n) => !zip.files[n]?.dir)
    .sort();
  const parts = await Promise.all(
    names.map(async (n) => `== ${n}\n${(await (zip.file(n) as JSZip.JSZipObject).async('string')).replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z/g, '<time>')}`),
  );
  return parts.join('\n');
}

const COMMANDS: Record<string, (inputs: string, out: string) => string[]> = {
  'rollup CSV': (inputs, out) => ['rollup', path.join(inputs, 'orders.csv'), '--period', 'FY2024', '--fiscal-start', '4', '--out', path.join(out, 'orders.accounts.csv')],
  'rollup XLSX': (inputs, out) => ['rollup', path.join(inputs, 'orders.xlsx'), '--period', 'FY2024', '--fiscal-start', '4', '--out', path.join(out, 'orders.accounts.csv')],
  'score CSV': (inputs, out) => ['score', path.join(inputs, 'accounts.csv'), '--out', path.join(out, 'accounts.kam.csv')],
  'score XLSX': (inputs, out) => ['score', path.join(inputs, 'accounts.xlsx'), '--out', path.join(out, 'accounts.kam.xlsx')],
};

function runDir(): string {
  return fs.mkdtempSync(path.join(dir, 'run-'));
}

/** The run's own folders written as <dir> and <inputs>, and the files it wrote read back. */
async function outcomeOf(out: string, r: { status: number | null; stdout: string; stderr: string }): Promise<Outcome> {
  const inputs = path.join(dir, 'inputs');
  const files: Record<string, string> = {};
  for (const name of fs.readdirSync(out).sort()) files[name] = await contents(path.join(out, name));
  const mask = (text: string): string => text.split(out).join('<dir>').split(inputs).join('<inputs>');
  return { status: r.status, stdout: mask(r.stdout), stderr: mask(r.stderr), files };
}

/** `node dist/src/cli/kam.js …` in a process of its own under the setting. */
async function runKam(command: string, s: Setting, lang: string | null): Promise<Outcome> {
  const out = runDir();
  const args = [...(COMMANDS[command] as (i: string, o: string) => string[])(path.join(dir, 'inputs'), out), ...(lang === null ? [] : ['--lang', lang])];
  return outcomeOf(out, node([KAM, ...args], s, out));
}

/**
 * Every command under one setting in one child (kam's own `main`, as kam.js runs it, reading the
 * child's environment): a Node start per setting instead of per command, on a shared machine.
 */
async function runAll(s: Setting): Promise<Record<string, Outcome>> {
  const runs = Object.entries(COMMANDS).map(([name, make]) => {
    const out = runDir();
    return { name, out, args: [...make(path.join(dir, 'inputs'), out), '--lang', 'en'] };
  });
  const script = `
    const { main } = require(${JSON.stringify(KAM)});
    (async () => {
      const results = [];
      for (const args of ${JSON.stringify(runs.map((r) => r.args))}) {
        const said = { stdout: '', stderr: '' };
        const status = await main(args, { out: (line) => (said.stdout += line + '\\n'), err: (line) => (said.stderr += line + '\\n') });
        results.push({ status, ...said });
      }
      process.stdout.write(JSON.stringify(results));
    })();`;
  const child = node(['-e', script], s, ROOT);
  if (child.status !== 0) throw new Error(`${s.name}: ${child.stderr}`);
  const results = JSON.parse(child.stdout) as Array<{ status: number; stdout: string; stderr: string }>;
  const outcomes: Record<string, Outcome> = {};
  for (const [i, run] of runs.entries()) outcomes[run.name] = await outcomeOf(run.out, results[i] as { status: number; stdout: string; stderr: string });
  return outcomes;
}

describe('each LANG and TZ takes effect in a Node child (else the comparisons below would test nothing)', () => {
  test.each(SETTINGS.map((s) => [s.name, s] as const))('%s', (_name, s) => {
    const probe = node(
      [
        '-e',
        `const o = Intl.DateTimeFormat().resolvedOptions(); process.stdout.write(JSON.stringify({ locale: o.locale, timeZone: o.timeZone, number: (1234.5).toLocaleString(), offset: new Date(Date.UTC(2024, 2, 31, 23, 59, 59)).getTimezoneOffset() }))`,
      ],
      s,
      ROOT,
    );
    const got = JSON.parse(probe.stdout) as { locale: string; timeZone: string; number: string; offset: number };
    expect(got).toEqual({ locale: s.intl, timeZone: s.tz, number: s.intl === 'de-DE' ? '1.234,5' : '1,234.5', offset: s.offset });
  });
});

describe('kam gives the same bytes under every LANG and TZ', () => {
  beforeAll(async () => {
    const inputs = path.join(dir, 'inputs');
    fs.mkdirSync(inputs);
    writeOrdersCsv(path.join(inputs, 'orders.csv'));
    await writeOrdersXlsx(path.join(inputs, 'orders.xlsx'));
    writeAccountsCsv(path.join(inputs, 'accounts.csv'));
    await writeAccountsXlsx(path.join(inputs, 'accounts.xlsx'));
  });

  const bySetting: Array<Record<string, Outcome>> = [];
  beforeAll(async () => {
    for (const s of SETTINGS) bySetting.push(await runAll(s));
  }, 600_000);

  test.each(Object.keys(COMMANDS))('%s, with --lang en', (command) => {
    const outcomes = bySetting.map((o) => o[command] as Outcome);
    const reference = outcomes[0] as Outcome;
    expect(reference.status).toBe(0);
    expect(Object.keys(reference.files)).toHaveLength(1);
    outcomes.forEach((o, i) => {
      const name = (SETTINGS[i] as Setting).name;
      expect({ name, ...o }).toEqual({ name, ...reference });
    });
  });

  test('the roll-up read the dates in UTC: each line a second past midnight falls in the next fiscal year', () => {
    const o = bySetting[0]?.['rollup CSV'] as Outcome;
    const rows = (o.files['orders.accounts.csv'] as string)
      .replace(/^\ufeff/, '')
      .trim()
      .split(/\r?\n/);
    // Müller GmbH: A2 (1.234,5) and A3 (980,75) are in FY2024; A1 a second before, A4 a second after.
    const muller = rows.find((r) => r.startsWith('Müller GmbH,')) as string;
    expect(muller).toMatch(/^Müller GmbH,2215\.25,/);
    // 上海精工: only B3 in FY2024; B2 (a second before) is FY2023's.
    expect(rows.find((r) => r.startsWith('上海精工,'))).toMatch(/^上海精工,11000\.25,/);
    expect(o.stderr).toBe('');
    // The workbook's serials, t="d" cells and texts give what the CSV's texts give.
    expect(bySetting[0]?.['rollup XLSX']?.files).toEqual(o.files);
  });

  test('the decimal-comma texts are read as numbers, not refused', () => {
    const o = bySetting[0]?.['score CSV'] as Outcome;
    const text = o.files['accounts.kam.csv'] as string;
    expect(text).not.toMatch(/not a number|ambiguous/i);
    expect(o.stderr).not.toMatch(/not a number|ambiguous/i);
  });

  test('node kam.js without --lang: the language follows LANG (zh_CN Chinese, en_US and de_DE English) and nothing else changes', async () => {
    const byLang = { en: bySetting[0]?.['score CSV'] as Outcome, zh: await runKam('score CSV', SETTINGS[0] as Setting, 'zh') };
    expect(byLang.zh.files).not.toEqual(byLang.en.files);
    for (const s of SETTINGS) {
      const o = await runKam('score CSV', s, null);
      expect({ name: s.name, ...o }).toEqual({ name: s.name, ...byLang[s.kamLang] });
    }
  }, 600_000);
});

describe('the engine in a process of its own under every LANG and TZ', () => {
  // Dates as Date objects (UTC instants, as the readers hand them over), Excel serials with a time
  // of day and ISO texts; amounts and inputs as decimal-comma texts.
  const script = `
    const e = require(${JSON.stringify(ENGINE)});
    const lines = ${JSON.stringify(LINES)};
    const serial = (iso) => (Date.parse(iso + 'Z') - Date.UTC(1899, 11, 30)) / 86400000;
    const rows = lines.map((l, i) => [l[0], l[1], i % 3 === 0 ? new Date(l[2] + 'Z') : i % 3 === 1 ? serial(l[2]) : l[2], l[3], l[4], l[5] === '' ? null : i % 2 ? new Date(l[5] + 'Z') : serial(l[5])]);
    const rolled = e.rollUp(${JSON.stringify(LINE_HEADERS)}, rows, { period: e.parsePeriod('FY2024', 4) });
    const rules = e.defaultRules();
    const ids = rules.criteria.map((c) => c.id);
    const accounts = ${JSON.stringify(ACCOUNTS)};
    const columns = Object.fromEntries(ids.map((id, c) => [id, accounts.map((a) => a[c + 1] === '' ? null : a[c + 1])]));
    const scored = e.scoreColumns({ rowCount: accounts.length, columns }, rules);
    const plain = (x) => JSON.parse(JSON.stringify(x, (k, v) => (ArrayBuffer.isView(v) ? Array.from(v) : v)));
    process.stdout.write(JSON.stringify({ rolled: plain(rolled), scored: plain(scored), days: [0, 19813, 19814].map(e.isoDay) }));`;

  test('rollUp, scoreColumns and isoDay give the same JSON everywhere', () => {
    const outputs = SETTINGS.map((s) => {
      const r = node(['-e', script], s, ROOT);
      expect(r.stderr).toBe('');
      return r.stdout;
    });
    const reference = JSON.parse(outputs[0] as string) as { rolled: { ok: boolean; accounts: Array<{ key: string; sales: number }> }; days: string[] };
    expect(reference.rolled.ok).toBe(true);
    expect(reference.rolled.accounts.map((a) => [a.key, a.sales])).toEqual([
      ['Müller GmbH', 2215.25],
      ['上海精工', 11000.25],
      ['Acme Corp', 2000],
    ]);
    expect(reference.days).toEqual(['1970-01-01', '2024-03-31', '2024-04-01']);
    outputs.forEach((o, i) => expect({ name: (SETTINGS[i] as Setting).name, o }).toEqual({ name: (SETTINGS[i] as Setting).name, o: outputs[0] }));
  }, 600_000);
});
