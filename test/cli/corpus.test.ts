/**
 * Workbooks written by a real spreadsheet program (test/fixtures/corpus, made by LibreOffice with
 * scripts/make-corpus.py): `kam score` must give back everything it has no reason to touch. Every
 * zip part but the few kam must edit is byte-identical after decompression; in the parts it edits,
 * what was there stays; and LibreOffice, reading both files back, shows the same cells.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import JSZip from 'jszip';
import { parseCsv } from '../../src/engine';
import { kam, ROOT, tempDir } from './helpers';

const CORPUS = path.join(ROOT, 'test', 'fixtures', 'corpus');

interface CorpusCase {
  file: string;
  /** The sheet kam scores. */
  sheet: string;
  /** Extra arguments to `kam score`. */
  args: string[];
  /** Part names (or folder prefixes) the file was made with: the features under test. */
  parts: string[];
}

const DRAWN = ['xl/charts/chart', 'xl/drawings/drawing', 'xl/drawings/vmlDrawing', 'xl/media/image', 'xl/comments', 'xl/externalLinks/externalLink'];
const PIVOT = ['xl/pivotTables/pivotTable', 'xl/pivotCache/pivotCacheDefinition', 'xl/pivotCache/pivotCacheRecords'];
const CASES: CorpusCase[] = [
  { file: 'libreoffice-features.xlsx', sheet: 'Accounts', args: [], parts: [...DRAWN, ...PIVOT, 'xl/tables/table'] },
  { file: 'libreoffice-macro.xlsm', sheet: 'Accounts', args: [], parts: [...DRAWN, ...PIVOT, 'xl/tables/table', 'xl/vbaProject.bin'] },
  { file: 'libreoffice-readme-first.xlsx', sheet: 'Accounts', args: ['--sheet', 'Accounts'], parts: [...DRAWN, ...PIVOT, 'xl/tables/table'] },
  { file: 'iso-dates-zh.xlsx', sheet: '销售订单', args: [], parts: [] },
];

const REL_TABLE = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/table';
const REL_VBA = 'http://schemas.microsoft.com/office/2006/relationships/vbaProject';
const MACRO_WORKBOOK = 'application/vnd.ms-excel.sheet.macroEnabled.main+xml';

// ---- reading packages -------------------------------------------------------------------------

type Parts = Map<string, Buffer>;

async function readParts(file: string): Promise<Parts> {
  const zip = await JSZip.loadAsync(fs.readFileSync(file));
  const parts: Parts = new Map();
  for (const entry of Object.values(zip.files)) {
    if (!entry.dir) parts.set(entry.name, await entry.async('nodebuffer'));
  }
  return parts;
}

function text(parts: Parts, name: string): string {
  const part = parts.get(name);
  if (!part) throw new Error(`the package has no part ${name}`);
  return part.toString('utf8');
}

function decode(value: string): string {
  return value.replace(/&(lt|gt|amp|quot|apos|#x[0-9a-fA-F]+|#[0-9]+);/g, (_m, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(parseInt(e.slice(1), 10));
    return { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }[e] as string;
  });
}

/** The attributes of an opening tag, decoded, whatever their order and quoting. */
function attributes(tag: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const m of tag.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) found[m[1] as string] = decode(m[2] ?? m[3] ?? '');
  return found;
}

/** Every element of a local name (any namespace prefix): its attributes and inner text. */
function elements(xml: string, name: string): Array<{ attrs: Record<string, string>; inner: string }> {
  const re = new RegExp(`<(?:[\\w.-]+:)?${name}(?=[\\s/>])([^>]*?)(?:/>|>([\\s\\S]*?)</(?:[\\w.-]+:)?${name}>)`, 'g');
  return [...xml.matchAll(re)].map((m) => ({ attrs: attributes(m[1] ?? ''), inner: m[2] ?? '' }));
}

function innerText(xml: string, name: string): string | undefined {
  const found = elements(xml, name)[0];
  return found === undefined ? undefined : decode(found.inner);
}

/** Resolves a relationship target against the part that holds the relationship. */
function resolveTarget(fromPart: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  return path.posix.normalize(path.posix.join(path.posix.dirname(fromPart), target));
}

function relsOf(part: string): string {
  return path.posix.join(path.posix.dirname(part), '_rels', `${path.posix.basename(part)}.rels`);
}

function relationships(parts: Parts, part: string): Array<Record<string, string>> {
  const name = relsOf(part);
  return parts.has(name) ? elements(text(parts, name), 'Relationship').map((r) => r.attrs) : [];
}

/** Sheet name → its worksheet part. */
function sheetParts(parts: Parts): Map<string, string> {
  const rels = relationships(parts, 'xl/workbook.xml');
  const bySheet = new Map<string, string>();
  for (const sheet of elements(text(parts, 'xl/workbook.xml'), 'sheet')) {
    const rel = rels.find((r) => r.Id === sheet.attrs['r:id']);
    if (rel?.Target) bySheet.set(sheet.attrs.name as string, resolveTarget('xl/workbook.xml', rel.Target));
  }
  return bySheet;
}

function tablePartsOf(parts: Parts, sheetPart: string): string[] {
  return relationships(parts, sheetPart)
    .filter((r) => r.Type === REL_TABLE && r.Target)
    .map((r) => resolveTarget(sheetPart, r.Target as string));
}

/** The cells of a worksheet by reference: style, type, value, formula and inline text. */
function cells(sheetXml: string): Map<string, { s: string; t: string; v?: string; f?: string; is?: string }> {
  const found = new Map<string, { s: string; t: string; v?: string; f?: string; is?: string }>();
  for (const c of elements(sheetXml, 'c')) {
    const cell: { s: string; t: string; v?: string; f?: string; is?: string } = { s: c.attrs.s ?? '0', t: c.attrs.t ?? 'n' };
    const v = innerText(c.inner, 'v');
    if (v !== undefined) cell.v = v;
    const f = innerText(c.inner, 'f');
    if (f !== undefined) cell.f = f;
    if (c.attrs.t === 'inlineStr')
      cell.is = elements(c.inner, 't')
        .map((t) => decode(t.inner))
        .join('');
    found.set(c.attrs.r as string, cell);
  }
  return found;
}

function columnIndex(ref: string): number {
  let n = 0;
  for (const ch of /^[A-Z]+/.exec(ref)?.[0] ?? '') n = n * 26 + ch.charCodeAt(0) - 64;
  return n;
}

// ---- LibreOffice as the independent reader ----------------------------------------------------

const soffice = ['soffice', 'libreoffice'].map((name) => spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim()).find((found) => found !== '');
if (!soffice) console.warn('LibreOffice (soffice) is not installed: the corpus read-back tests are skipped. CI installs libreoffice-calc.');
const itLo = soffice ? it : it.skip;
/** One soffice run converts every workbook; on a busy 2-core machine that can take minutes. */
const LO_TIMEOUT = 300_000;

let dir: string;
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/**
 * Every sheet of some workbooks as LibreOffice displays them: workbook → sheet name → rows of texts.
 * One soffice run converts them all (it starts slowly on a busy machine). Filter options: comma,
 * double quote, UTF-8, from line 1, cell contents as shown (token 9), every sheet (token 12).
 */
function sheetsAsShown(workbooks: readonly string[]): Map<string, Map<string, string[][]>> {
  const outDir = fs.mkdtempSync(path.join(dir, 'lo-'));
  const profile = `file://${path.join(dir, 'lo-profile')}`;
  const result = spawnSync(
    soffice as string,
    [
      `-env:UserInstallation=${profile}`,
      '--headless',
      '--convert-to',
      'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1',
      '--outdir',
      outDir,
      ...workbooks,
    ],
    { encoding: 'utf8', timeout: 300_000 },
  );
  const written = fs.readdirSync(outDir);
  const byWorkbook = new Map<string, Map<string, string[][]>>();
  for (const workbook of workbooks) {
    const base = path.basename(workbook, path.extname(workbook));
    const sheets = new Map<string, string[][]>();
    for (const name of written) {
      if (!name.startsWith(`${base}-`) || !name.endsWith('.csv')) continue;
      const rows = parseCsv(fs.readFileSync(path.join(outDir, name), 'utf8'), { delimiter: ',' }).records.map((r) => r.fields);
      sheets.set(name.slice(base.length + 1, -'.csv'.length), rows);
    }
    if (sheets.size === 0) throw new Error(`LibreOffice did not convert ${workbook}: ${result.stderr}`);
    byWorkbook.set(workbook, sheets);
  }
  return byWorkbook;
}

/** kam's run on each corpus workbook (a copy in the temp folder), made once for all tests. */
interface CaseRun {
  input: string;
  output: string;
  run: ReturnType<typeof kam>;
}
const runs = new Map<string, CaseRun>();

let shown: Map<string, Map<string, string[][]>> | undefined;
/** The corpus and kam's outputs as LibreOffice shows them, converted on first use. */
function asShown(workbook: string): Map<string, string[][]> {
  shown ??= sheetsAsShown([...runs.values()].flatMap(({ input, output }) => (fs.existsSync(output) ? [input, output] : [input])));
  const sheets = shown.get(workbook);
  if (!sheets) throw new Error(`${workbook} was not converted`);
  return sheets;
}

beforeAll(() => {
  for (const { file, args } of CASES) {
    const input = path.join(dir, file);
    fs.copyFileSync(path.join(CORPUS, file), input);
    const ext = path.extname(file);
    runs.set(file, { input, output: path.join(dir, `${path.basename(file, ext)}.kam${ext}`), run: kam(['score', input, ...args]) });
  }
}, 120_000);

// ---- the corpus itself (true today) -----------------------------------------------------------

describe('the corpus: workbooks as LibreOffice wrote them', () => {
  test.each(CASES)('$file holds the parts it was made with and is small', async ({ file, sheet, parts: wanted }) => {
    const full = path.join(CORPUS, file);
    expect(fs.statSync(full).size).toBeLessThan(200 * 1024);
    const parts = await readParts(full);
    for (const prefix of wanted) expect([prefix, [...parts.keys()].some((name) => name.startsWith(prefix))]).toEqual([prefix, true]);
    expect(sheetParts(parts).has(sheet)).toBe(true);
  });

  test('the table covers the accounts sheet, and the pivot cache reads from it', async () => {
    const parts = await readParts(path.join(CORPUS, 'libreoffice-features.xlsx'));
    const sheetPart = sheetParts(parts).get('Accounts') as string;
    const [table] = tablePartsOf(parts, sheetPart);
    expect(elements(text(parts, table as string), 'table')[0]?.attrs.ref).toBe('A1:O11');
    expect(elements(text(parts, 'xl/pivotCache/pivotCacheDefinition1.xml'), 'worksheetSource')[0]?.attrs.sheet).toBe('Accounts');
    // The chart and the picture hang off the scored sheet, so kam must keep its relationships.
    expect(
      relationships(parts, sheetPart)
        .map((r) => r.Type?.replace(/.*\//, ''))
        .sort(),
    ).toEqual(['comments', 'drawing', 'hyperlink', 'hyperlink', 'table', 'vmlDrawing']);
  });

  test('the .xlsm is macro-enabled: a VBA project with the module, its relationship and content type', async () => {
    const parts = await readParts(path.join(CORPUS, 'libreoffice-macro.xlsm'));
    const vba = parts.get('xl/vbaProject.bin') as Buffer;
    expect(vba.subarray(0, 8).toString('hex')).toBe('d0cf11e0a1b11ae1'); // an OLE compound file
    expect(vba.includes(Buffer.from('KamCorpus', 'utf16le'))).toBe(true);
    expect(relationships(parts, 'xl/workbook.xml').some((r) => r.Type === REL_VBA)).toBe(true);
    const workbookType = elements(text(parts, '[Content_Types].xml'), 'Override').find((o) => o.attrs.PartName === '/xl/workbook.xml');
    expect(workbookType?.attrs.ContentType).toBe(MACRO_WORKBOOK);
  });

  test('iso-dates-zh.xlsx stores its order and ship dates as ISO date cells, its notes as inline strings', async () => {
    const parts = await readParts(path.join(CORPUS, 'iso-dates-zh.xlsx'));
    const sheet = cells(text(parts, 'xl/worksheets/sheet1.xml'));
    expect(sheet.get('E2')).toMatchObject({ t: 'd', v: '2025-03-14T00:00:00' });
    expect(sheet.get('F11')).toMatchObject({ t: 'd', v: '2024-08-27T00:00:00' });
    expect(sheet.get('G2')).toMatchObject({ t: 'inlineStr', is: '加急' });
  });

  test('the accounts sheet holds every kind of cell: shared and rich text, numbers, dates, times, booleans, formulas, errors', async () => {
    const parts = await readParts(path.join(CORPUS, 'libreoffice-features.xlsx'));
    const sheet = cells(text(parts, 'xl/worksheets/sheet1.xml'));
    expect(sheet.get('A2')).toMatchObject({ t: 's' }); // "Acme Holdings", its first word bold and red
    expect(text(parts, 'xl/sharedStrings.xml')).toMatch(/<si><r><rPr><b val="true"\/>[^]*?<t xml:space="preserve">Acme<\/t><\/r>/);
    expect(sheet.get('I2')).toMatchObject({ t: 'n', v: '45730' }); // 2025-03-14, a serial date
    expect(sheet.get('J2')).toMatchObject({ f: 'ROUND(B2/365,2)', v: '3424.66' });
    expect(sheet.get('M2')).toMatchObject({ t: 'n', v: '0.375' }); // 09:00
    expect(sheet.get('N2')).toMatchObject({ t: 'b', f: 'FALSE()', v: '0' });
    expect(sheet.get('O2')).toMatchObject({ t: 'e', f: 'B2/(E2-32)', v: '#DIV/0!' });
    expect(sheet.get('O3')).toMatchObject({ t: 'b', f: 'B3>500000', v: '1' });
    const contacts = cells(text(parts, 'xl/worksheets/sheet2.xml'));
    expect(contacts.get('B10')).toMatchObject({ f: '[1]Targets!B1', v: '12000000' }); // through xl/externalLinks
  });

  itLo(
    'LibreOffice reads every corpus workbook back, dates as dates',
    () => {
      const input = (file: string): Map<string, string[][]> => asShown((runs.get(file) as CaseRun).input);
      const features = input('libreoffice-features.xlsx');
      expect([...features.keys()].sort()).toEqual(['Accounts', 'Contacts', 'Pivot']);
      expect(features.get('Accounts')?.[1]).toEqual([
        'Acme Holdings',
        '1,250,000',
        '31.0%',
        '12.0%',
        '32',
        '4000000',
        '5',
        '4',
        '2025-03-14',
        '3424.66',
        'acme.example',
        'Renewal due in Q3',
        '09:00',
        'FALSE',
        '#DIV/0!',
      ]);
      expect(features.get('Contacts')?.[9]?.slice(0, 2)).toEqual(['Sales target (from external-targets.xlsx)', '12000000']);
      expect(features.get('Pivot')?.at(-1)).toEqual(['Total Result', '11,675,000']);
      expect([...input('libreoffice-readme-first.xlsx').keys()].sort()).toEqual(['Accounts', 'Contacts', 'Pivot', 'Read me']);
      expect(input('libreoffice-macro.xlsm').get('Accounts')).toEqual(features.get('Accounts'));
      const orders = input('iso-dates-zh.xlsx').get('销售订单') as string[][];
      expect(orders[0]).toEqual(['客户名称', '年销售额', '毛利率', '付款天数', '订单日期', '发货日期', '备注']);
      expect(orders[1]?.[6]).toBe('加急');
      // A date cell is shown as a date, in LibreOffice's own date format: never as a number.
      expect(orders[1]?.[4]).toMatch(/2025/);
      expect(orders[1]?.[4]).not.toMatch(/^\d+(\.\d+)?$/);
    },
    LO_TIMEOUT,
  );
});

// ---- kam's output: the input plus what kam adds ----------------------------------------------

/**
 * The parts kam may edit. Everything else must come back byte for byte. The shared-string table
 * may only grow at its end, and the style sheet only by appending, so every existing index keeps
 * its meaning; those are checked below, as is everything that must stay inside the edited parts.
 */
function editableParts(parts: Parts, sheetPart: string): Set<string> {
  return new Set([
    sheetPart,
    'xl/workbook.xml',
    'xl/_rels/workbook.xml.rels',
    '[Content_Types].xml',
    'xl/styles.xml',
    'xl/sharedStrings.xml',
    'docProps/app.xml',
    // The run record (issue 11): custom properties, and the root relationship to them.
    '_rels/.rels',
    'docProps/custom.xml',
    ...tablePartsOf(parts, sheetPart),
  ]);
}

/** Markup compared for meaning: an empty element may be written `<a></a>` or `<a/>`. */
function canonical(xml: string): string {
  return xml.replace(/<([\w.:-]+)([^<>]*?)\s*><\/\1>/g, '<$1$2/>');
}

/** The `<tag …/>` children of a list element (e.g. the `xf`s of `cellXfs`), as attribute maps and text. */
function listItems(xml: string, list: string, item: string): string[] {
  const block = elements(xml, list)[0];
  return block === undefined ? [] : elements(block.inner, item).map((i) => JSON.stringify([i.attrs, canonical(i.inner)]));
}

describe.each(CASES)('kam score $file', ({ file, sheet }) => {
  let input: string;
  let output: string;
  let run: ReturnType<typeof kam>;
  let before: Parts;
  let after: Parts;
  let sheetPart: string;

  beforeAll(async () => {
    ({ input, output, run } = runs.get(file) as CaseRun);
    before = await readParts(input);
    sheetPart = sheetParts(before).get(sheet) as string;
    after = fs.existsSync(output) ? await readParts(output) : new Map();
  });

  test('scores the accounts and writes NAME.kam with the same extension', () => {
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: expect.any(String) as string });
    expect(run.stdout).toContain('Scored 10 accounts');
    expect(fs.existsSync(output)).toBe(true);
    // The input is never changed.
    expect(fs.readFileSync(input).equals(fs.readFileSync(path.join(CORPUS, file)))).toBe(true);
  });

  test('every part kam has no reason to touch is byte-identical', () => {
    const editable = editableParts(before, sheetPart);
    const changed: string[] = [];
    for (const [name, data] of before) {
      if (editable.has(name)) continue;
      const now = after.get(name);
      if (now === undefined) changed.push(`${name} (missing)`);
      else if (!now.equals(data)) changed.push(name);
    }
    expect(changed).toEqual([]);
    // The parts kam edits are edited, not dropped.
    for (const name of editable) if (name !== 'docProps/app.xml' && name !== 'xl/sharedStrings.xml' && before.has(name)) expect([name, after.has(name)]).toEqual([name, true]);
  });

  test('the workbook keeps its sheets, names, pivot caches and relationships, and gains the KAM Rules sheet', () => {
    const was = text(before, 'xl/workbook.xml');
    const now = text(after, 'xl/workbook.xml');
    const sheets = (xml: string): string[] => elements(xml, 'sheet').map((s) => JSON.stringify([s.attrs.name, s.attrs.sheetId, s.attrs['r:id'], s.attrs.state]));
    expect(sheets(now).slice(0, sheets(was).length)).toEqual(sheets(was));
    expect(elements(now, 'sheet').map((s) => s.attrs.name)).toContain('KAM Rules');
    const names = (xml: string): string[] => elements(xml, 'definedName').map((d) => JSON.stringify([d.attrs.name, d.attrs.localSheetId, decode(d.inner)]));
    expect(names(now)).toEqual(expect.arrayContaining(names(was)));
    const caches = (xml: string): string[] => elements(xml, 'pivotCache').map((c) => JSON.stringify(c.attrs));
    expect(caches(now)).toEqual(caches(was));
    const rels = (p: Parts): string[] => relationships(p, 'xl/workbook.xml').map((r) => JSON.stringify([r.Id, r.Type, r.Target]));
    expect(rels(after)).toEqual(expect.arrayContaining(rels(before)));
  });

  test('every content type is kept (an .xlsm stays macro-enabled)', () => {
    const types = (p: Parts): string[] => [
      ...elements(text(p, '[Content_Types].xml'), 'Default').map((d) => JSON.stringify(['Default', d.attrs.Extension?.toLowerCase(), d.attrs.ContentType])),
      ...elements(text(p, '[Content_Types].xml'), 'Override').map((o) => JSON.stringify(['Override', o.attrs.PartName, o.attrs.ContentType])),
    ];
    expect(types(after)).toEqual(expect.arrayContaining(types(before)));
    if (file.endsWith('.xlsm')) {
      expect(after.get('xl/vbaProject.bin')?.equals(before.get('xl/vbaProject.bin') as Buffer)).toBe(true);
      expect(relationships(after, 'xl/workbook.xml').some((r) => r.Type === REL_VBA)).toBe(true);
    }
  });

  test('styles and shared strings only grow at their ends: every existing index means what it meant', () => {
    const was = text(before, 'xl/styles.xml');
    const now = text(after, 'xl/styles.xml');
    for (const [list, item] of [
      ['numFmts', 'numFmt'],
      ['fonts', 'font'],
      ['fills', 'fill'],
      ['borders', 'border'],
      ['cellStyleXfs', 'xf'],
      ['cellXfs', 'xf'],
      ['dxfs', 'dxf'],
    ] as const) {
      expect([list, listItems(now, list, item).slice(0, listItems(was, list, item).length)]).toEqual([list, listItems(was, list, item)]);
    }
    if (before.has('xl/sharedStrings.xml')) {
      const strings = (p: Parts): string[] => (p.has('xl/sharedStrings.xml') ? elements(text(p, 'xl/sharedStrings.xml'), 'si').map((si) => canonical(si.inner)) : []);
      const original = strings(before);
      expect(strings(after).slice(0, original.length)).toEqual(original);
    }
  });

  test("the scored sheet keeps every cell's style, type, value and formula, and its merges, links, validation, formats, comments and drawings", () => {
    const was = text(before, sheetPart);
    const now = text(after, sheetPart);
    const original = cells(was);
    const kept = cells(now);
    const differing = [...original].filter(([ref, cell]) => JSON.stringify(kept.get(ref)) !== JSON.stringify(cell)).map(([ref, cell]) => ({ ref, was: cell, now: kept.get(ref) }));
    expect(differing).toEqual([]);
    // kam's own cells go to the right of the last used column, in the header row and the data rows.
    const lastColumn = Math.max(...[...original.keys()].map(columnIndex));
    const added = [...kept.keys()].filter((ref) => !original.has(ref));
    expect(added.length).toBeGreaterThan(0);
    for (const ref of added) expect([ref, columnIndex(ref) > lastColumn]).toEqual([ref, true]);
    // Row settings (height, hidden, outline) stay; `spans` may widen with the new columns.
    const rows = (xml: string): string[] => elements(xml, 'row').map(({ attrs: { spans: _spans, ...rest } }) => JSON.stringify(rest));
    expect(rows(now)).toEqual(rows(was));
    // Sheet settings are kept; kam may add its own (say, a width for its columns), never change one.
    for (const name of ['col', 'mergeCell', 'hyperlink', 'dataValidation', 'conditionalFormatting', 'cfRule', 'drawing', 'legacyDrawing', 'tablePart']) {
      const list = (xml: string): string[] => elements(xml, name).map((e) => JSON.stringify(e.attrs));
      expect([name, list(now)]).toEqual([name, expect.arrayContaining(list(was))]);
    }
    const newColumns = elements(now, 'col').filter((c) => !elements(was, 'col').some((o) => JSON.stringify(o.attrs) === JSON.stringify(c.attrs)));
    for (const c of newColumns) expect(Number(c.attrs.min)).toBeGreaterThan(lastColumn);
    expect(elements(now, 'formula1').map((f) => f.inner)).toEqual(elements(was, 'formula1').map((f) => f.inner));
  });

  test('an Excel table over the accounts grows to take the new columns, keeping its own', () => {
    const tables = tablePartsOf(before, sheetPart);
    for (const table of tables) {
      const was = elements(text(before, table), 'table')[0]?.attrs as Record<string, string>;
      const now = elements(text(after, table), 'table')[0]?.attrs as Record<string, string>;
      expect([now.id, now.name, now.displayName]).toEqual([was.id, was.name, was.displayName]);
      const [wasStart, wasEnd] = (was.ref as string).split(':') as [string, string];
      const [nowStart, nowEnd] = (now.ref as string).split(':') as [string, string];
      expect(nowStart).toBe(wasStart);
      expect(nowEnd.replace(/^[A-Z]+/, '')).toBe(wasEnd.replace(/^[A-Z]+/, ''));
      expect(columnIndex(nowEnd)).toBeGreaterThanOrEqual(columnIndex(wasEnd) + 3);
      const columns = (p: Parts): string[] => elements(text(p, table), 'tableColumn').map((c) => c.attrs.name as string);
      expect(columns(after).slice(0, columns(before).length)).toEqual(columns(before));
      expect(columns(after)).toHaveLength(columnIndex(nowEnd) - columnIndex(nowStart) + 1);
    }
  });

  itLo(
    "LibreOffice shows the same cells: the scored sheet as it was plus kam's columns, the other sheets unchanged",
    () => {
      expect(fs.existsSync(output)).toBe(true);
      const was = asShown(input);
      const now = asShown(output);
      expect([...now.keys()].sort()).toEqual([...was.keys(), 'KAM Rules', 'KAM Summary'].sort());
      for (const [name, rows] of was) {
        const shown = now.get(name) as string[][];
        if (name !== sheet) {
          expect([name, shown]).toEqual([name, rows]);
          continue;
        }
        const width = Math.max(...rows.map((r) => r.length));
        const pad = (r: readonly string[]): string[] => Array.from({ length: width }, (_v, i) => r[i] ?? '');
        expect(shown).toHaveLength(rows.length);
        expect(shown.map((r) => pad(r.slice(0, width)))).toEqual(rows.map(pad));
        expect(shown[0]?.slice(width)).toEqual(expect.arrayContaining(['KAM Score', 'KAM Tier', 'KAM Flags']));
      }
    },
    LO_TIMEOUT,
  );
});

describe('a workbook whose first sheet is a "Read me"', () => {
  test('without --sheet, kam scores the accounts sheet or names the sheets it could use', () => {
    const input = path.join(dir, 'readme-no-sheet.xlsx');
    fs.copyFileSync(path.join(CORPUS, 'libreoffice-readme-first.xlsx'), input);
    const run = kam(['score', input]);
    // Either outcome must lead the user to "Accounts"; a message about the "Read me" sheet alone does not.
    expect(`${run.stdout}\n${run.stderr}`).toContain('Accounts');
  });
});
