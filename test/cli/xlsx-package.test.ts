/**
 * kam edits the workbook package: every part it has no reason to touch comes back with the same
 * bytes, and every existing cell of the scored sheet keeps its XML. Packages are written by hand
 * here (JSZip), so each test controls exactly what a writer such as Excel puts in the file.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import JSZip from 'jszip';
import * as yazl from 'yazl';
import { defaultRules, markedColumn, markReference, outcomeLabel, OUTCOME_IDS, resultKeyOfName, resultMarkName } from '../../src/engine';
import { TIER_PALETTE } from '../../src/engine/report';
import { kam, readCsvTable, tempDir } from './helpers';

let dir: string;
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';
const XLSX_MAIN = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml';
const XLSM_MAIN = 'application/vnd.ms-excel.sheet.macroEnabled.main+xml';

interface Book {
  /** The accounts sheet's XML between <sheetData> and </sheetData>. */
  rows: string;
  /** Elements before <sheetData> (dimension, cols …). */
  before?: string;
  /** Elements after </sheetData> (mergeCells, tableParts …). */
  after?: string;
  sheetRels?: string;
  extraParts?: Record<string, string | Buffer>;
  extraTypes?: string;
  workbookRels?: string;
  definedNames?: string;
  macro?: boolean;
  sharedStrings?: string[];
  /** More `<sheet>` entries after Accounts (their parts, relationships and types go in extraParts, workbookRels, extraTypes). */
  sheets?: string;
}

/** A package as a writer like Excel lays it out: one accounts sheet, styles, shared strings. */
async function makeBook(file: string, book: Book): Promise<string> {
  const zip = new JSZip();
  const types =
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
    (book.macro ? `<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>` : '') +
    `<Override PartName="/xl/workbook.xml" ContentType="${book.macro ? XLSM_MAIN : XLSX_MAIN}"/>` +
    `<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
    `<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>` +
    `<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>` +
    `${book.extraTypes ?? ''}</Types>`;
  zip.file('[Content_Types].xml', types);
  zip.file(
    '_rels/.rels',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${PKG_REL}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
  );
  zip.file(
    'xl/workbook.xml',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="${MAIN}" xmlns:r="${REL}"><workbookPr/><sheets><sheet name="Accounts" sheetId="1" r:id="rId1"/>${book.sheets ?? ''}</sheets>${book.definedNames ? `<definedNames>${book.definedNames}</definedNames>` : ''}<calcPr calcId="191029"/></workbook>`,
  );
  zip.file(
    'xl/_rels/workbook.xml.rels',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${PKG_REL}"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/>` +
      `<Relationship Id="rId2" Type="${REL}/styles" Target="styles.xml"/><Relationship Id="rId3" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/>${book.workbookRels ?? ''}</Relationships>`,
  );
  zip.file(
    'xl/styles.xml',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="${MAIN}"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/></numFmts>` +
      `<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>` +
      `<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border/></borders>` +
      `<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
      `<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>` +
      `<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`,
  );
  const strings = book.sharedStrings ?? [];
  zip.file(
    'xl/sharedStrings.xml',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="${MAIN}" count="${strings.length}" uniqueCount="${strings.length}">${strings.map((s) => `<si><t>${s}</t></si>`).join('')}</sst>`,
  );
  zip.file('xl/worksheets/sheet1.xml', sheetXml(book));
  if (book.sheetRels)
    zip.file('xl/worksheets/_rels/sheet1.xml.rels', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${PKG_REL}">${book.sheetRels}</Relationships>`);
  for (const [name, content] of Object.entries(book.extraParts ?? {})) zip.file(name, content);
  fs.writeFileSync(file, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
  return file;
}

function sheetXml(book: Book): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="${MAIN}" xmlns:r="${REL}">${book.before ?? ''}<sheetData>${book.rows}</sheetData>${book.after ?? ''}</worksheet>`;
}

async function parts(file: string): Promise<Map<string, Buffer>> {
  const zip = await JSZip.loadAsync(fs.readFileSync(file));
  const out = new Map<string, Buffer>();
  for (const name of Object.keys(zip.files)) if (!zip.files[name]?.dir) out.set(name, await (zip.file(name) as JSZip.JSZipObject).async('nodebuffer'));
  return out;
}

const text = (m: Map<string, Buffer>, name: string): string => (m.get(name) as Buffer).toString('utf8');

/** The accounts used below: header in row 1 (shared strings 0–5), two accounts. */
const STRINGS = ['Customer', 'Annual sales', 'Gross margin', 'Order date', 'Days to pay', 'Alpha', 'Beta'];
const HEADER_ROW =
  '<row r="1" spans="1:5"><c r="A1" s="1" t="s"><v>0</v></c><c r="B1" s="1" t="s"><v>1</v></c><c r="C1" s="1" t="s"><v>2</v></c><c r="D1" s="1" t="s"><v>3</v></c><c r="E1" s="1" t="s"><v>4</v></c></row>';
const DATA_ROWS =
  '<row r="2" spans="1:5"><c r="A2" t="s"><v>5</v></c><c r="B2"><v>900000</v></c><c r="C2"><v>0.25</v></c><c r="D2" t="d"><v>2024-03-15T00:00:00</v></c><c r="E2"><v>30</v></c></row>' +
  '<row r="3" spans="1:5"><c r="A3" t="s"><v>6</v></c><c r="B3"><v>100000</v></c><c r="C3"><v>0.05</v></c><c r="D3" s="2"><v>45366</v></c><c r="E3" t="d"><v>2024-01-31</v></c></row>';

/** Our cells (columns F–H on these sheets) taken out again: what is left must be the input. */
// kam writes the pane's columns: score, tier, flags, priority and hours a month (F–J) on a sheet without contacts.
const withoutOurCells = (xml: string): string => xml.replace(/<c r="[F-J]\d+"[^>]*>.*?<\/c>/g, '');
/** kam's tier colours (checked on their own), out of a sheet's XML. */
const withoutOurColours = (xml: string): string =>
  xml.replace(/<conditionalFormatting sqref="[A-Z]+2:[A-Z]+\d+"><cfRule type="cellIs" dxfId="\d+" priority="1" .*?<\/conditionalFormatting>/, '');
const FROZEN_HEADER = '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>';

describe('the package kam writes is the input plus what kam adds', () => {
  let input: string;
  let out: Map<string, Buffer>;
  let before: Map<string, Buffer>;
  let run: ReturnType<typeof kam>;
  beforeAll(async () => {
    const chart = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart"><c:chart/></c:chartSpace>`;
    input = await makeBook(path.join(dir, 'dates.xlsx'), {
      sharedStrings: STRINGS,
      before: '<dimension ref="A1:E3"/><cols><col min="1" max="1" width="20" customWidth="1"/></cols>',
      rows: HEADER_ROW + DATA_ROWS,
      after: '<drawing r:id="rId1"/>',
      sheetRels: `<Relationship Id="rId1" Type="${REL}/drawing" Target="../drawings/drawing1.xml"/>`,
      extraParts: {
        'xl/drawings/drawing1.xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"/>`,
        'xl/charts/chart1.xml': chart,
        'customXml/item1.xml': '<?xml version="1.0"?><b:Sources xmlns:b="urn:x"/>',
      },
      extraTypes:
        '<Override PartName="/xl/drawings/drawing1.xml" ContentType="application/vnd.openxmlformats-officedocument.drawing+xml"/>' +
        '<Override PartName="/xl/charts/chart1.xml" ContentType="application/vnd.openxmlformats-officedocument.drawingml.chart+xml"/>',
    });
    run = kam(['score', input]);
    before = await parts(input);
    out = await parts(path.join(dir, 'dates.kam.xlsx'));
  });

  test('the run succeeds and the ISO date in a criterion column is reported, not read as a number', () => {
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('row 3 (Beta): Days to pay: a value of type date cannot be read as a number');
  });

  test('every part kam does not change has the same bytes, the chart and custom XML included', () => {
    const changed = ['xl/worksheets/sheet1.xml', 'xl/workbook.xml', 'xl/styles.xml', 'xl/_rels/workbook.xml.rels', '[Content_Types].xml', '_rels/.rels'];
    for (const [name, bytes] of before) {
      if (changed.includes(name)) continue;
      expect([name, out.get(name)?.equals(bytes)]).toEqual([name, true]);
    }
    // The root relationships gain one, to the run record (docProps/custom.xml): the others keep their bytes.
    const rootRels = (before.get('_rels/.rels') as Buffer).toString('utf8');
    const close = rootRels.lastIndexOf('</Relationships>');
    expect(out.get('_rels/.rels')?.toString('utf8')).toMatch(
      new RegExp(
        `^${rootRels.slice(0, close).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}<Relationship Id="rId\\d+" Type="[^"]+/custom-properties" Target="docProps/custom.xml"/></Relationships>`,
      ),
    );
    expect(out.has('xl/charts/chart1.xml')).toBe(true);
  });

  test('every original cell keeps its XML: ISO dates (t="d"), serial dates, styles', () => {
    const sheet = text(out, 'xl/worksheets/sheet1.xml');
    expect(sheet).toContain('<c r="D2" t="d"><v>2024-03-15T00:00:00</v></c>');
    const expected = sheetXml({
      before:
        // A frozen header (the sheet had no pane), and widths that fit each new column's header and values.
        `<dimension ref="A1:J3"/>${FROZEN_HEADER}<cols><col min="1" max="1" width="20" customWidth="1"/><col min="6" max="6" width="13" customWidth="1"/><col min="7" max="7" width="19" customWidth="1"/><col min="8" max="8" width="48" customWidth="1"/><col min="9" max="9" width="16" customWidth="1"/><col min="10" max="10" width="19" customWidth="1"/></cols>`,
      // The rows' spans hint (first:last column with cells) takes in the new columns.
      rows: (HEADER_ROW + DATA_ROWS).replace(/spans="1:5"/g, 'spans="1:10"'),
      // A filter on the header row over the data and kam's columns, in its place in the schema (before the drawing).
      after: '<autoFilter ref="A1:J3"/><drawing r:id="rId1"/>',
    });
    expect(withoutOurColours(withoutOurCells(sheet))).toBe(expected);
  });

  test('our cells: the score as a number with a one-decimal format, tier and flags as inline strings, headers styled like their neighbour', () => {
    const sheet = text(out, 'xl/worksheets/sheet1.xml');
    expect(sheet).toMatch(/<c r="F1" s="1" t="inlineStr"><is><t xml:space="preserve">KAM Score<\/t><\/is><\/c>/);
    const score = /<c r="F2" s="(\d+)"><v>([\d.]+)<\/v><\/c>/.exec(sheet);
    expect(score).not.toBeNull();
    const styles = text(out, 'xl/styles.xml');
    expect(styles).toContain('formatCode="0.0"');
    // Three styles were there (one bold); kam adds the score's, the texts' (@) and an italic one, and reuses the bold.
    expect(styles).toContain('<cellXfs count="6">');
    expect(sheet).toMatch(/<c r="G3" s="\d+" t="inlineStr"><is><t xml:space="preserve">Invalid input<\/t><\/is><\/c>/);
  });

  test('the rules sheet, its name and the marks of our columns are in the workbook', () => {
    const workbook = text(out, 'xl/workbook.xml');
    expect(workbook).toContain('<sheet name="KAM Rules" sheetId="2" r:id="rId4"/>');
    expect(workbook).toContain(`<definedName name="KAM_RESULT_SCORE" localSheetId="0" hidden="1">'Accounts'!$F$1</definedName>`);
    expect(workbook).toContain(`<definedName name="KAM_RESULT_FLAGS" localSheetId="0" hidden="1">'Accounts'!$H$1</definedName>`);
    expect(workbook).toMatch(/<definedName name="KAM_RULES">'KAM Rules'!\$A\$1:\$[A-Z]+\$\d+<\/definedName>/);
    expect(text(out, '[Content_Types].xml')).toContain('<Override PartName="/xl/worksheets/sheet2.xml"');
    expect(text(out, 'xl/_rels/workbook.xml.rels')).toContain('Target="worksheets/sheet2.xml"');
  });
});

describe("macros, tables and columns that are the user's", () => {
  test('.xlsm in gives .xlsm out, with its VBA project and macro-enabled content type', async () => {
    const vba = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919) % 256));
    const input = await makeBook(path.join(dir, 'macro.xlsm'), {
      macro: true,
      sharedStrings: STRINGS,
      rows: HEADER_ROW + DATA_ROWS,
      extraParts: { 'xl/vbaProject.bin': vba },
      workbookRels: `<Relationship Id="rId9" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/>`,
    });
    const run = kam(['score', input]);
    expect(run.status).toBe(0);
    const out = await parts(path.join(dir, 'macro.kam.xlsm'));
    expect(out.get('xl/vbaProject.bin')?.equals(vba)).toBe(true);
    expect(text(out, '[Content_Types].xml')).toContain(`<Override PartName="/xl/workbook.xml" ContentType="${XLSM_MAIN}"/>`);
    expect(text(out, 'xl/_rels/workbook.xml.rels')).toContain('vbaProject.bin');
    // A macro workbook is not written under a name Excel opens without macros.
    const wrong = kam(['score', input, '--out', path.join(dir, 'macro-out.xlsx')]);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain('.xlsm');
  });

  test('an Excel table over the data grows to take the new columns', async () => {
    const table =
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<table xmlns="${MAIN}" id="1" name="Accounts" displayName="Accounts" ref="A1:E3"><autoFilter ref="A1:E3"/>` +
      `<tableColumns count="5">${STRINGS.slice(0, 5)
        .map((s, i) => `<tableColumn id="${i + 1}" name="${s}"/>`)
        .join('')}</tableColumns><tableStyleInfo name="TableStyleMedium2" showRowStripes="1"/></table>`;
    const input = await makeBook(path.join(dir, 'table.xlsx'), {
      sharedStrings: STRINGS,
      rows: HEADER_ROW + DATA_ROWS,
      after: '<tableParts count="1"><tablePart r:id="rId1"/></tableParts>',
      sheetRels: `<Relationship Id="rId1" Type="${REL}/table" Target="../tables/table1.xml"/>`,
      extraParts: { 'xl/tables/table1.xml': table },
      extraTypes: '<Override PartName="/xl/tables/table1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml"/>',
    });
    expect(kam(['score', input]).status).toBe(0);
    const out = text(await parts(path.join(dir, 'table.kam.xlsx')), 'xl/tables/table1.xml');
    expect(out).toContain('ref="A1:J3"');
    expect(out).toContain('<autoFilter ref="A1:J3"/>');
    expect(out).toContain('<tableColumns count="10">');
    expect(out).toContain(
      '<tableColumn id="6" name="KAM Score"/><tableColumn id="7" name="KAM Tier"/><tableColumn id="8" name="KAM Flags"/><tableColumn id="9" name="KAM Priority"/><tableColumn id="10" name="KAM Hours/Month"/>',
    );
  });

  test('a user\'s own "KAM Tier" column is never overwritten: ours go beside it, and the summary says so', async () => {
    const strings = [...STRINGS, 'KAM Tier', 'Gold (set by VP)', 'Kam-score'];
    const input = await makeBook(path.join(dir, 'user-tier.xlsx'), {
      sharedStrings: strings,
      rows:
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>7</v></c><c r="D1" t="s"><v>9</v></c></row>' +
        '<row r="2"><c r="A2" t="s"><v>5</v></c><c r="B2"><v>900000</v></c><c r="C2" t="s"><v>8</v></c><c r="D2"><f>B2/10000</f><v>90</v></c></row>',
    });
    const run = kam(['score', input]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`Your own columns "KAM Tier", "Kam-score" look like kam's`);
    const sheet = text(await parts(path.join(dir, 'user-tier.kam.xlsx')), 'xl/worksheets/sheet1.xml');
    expect(sheet).toContain('<c r="C2" t="s"><v>8</v></c><c r="D2"><f>B2/10000</f><v>90</v></c>');
    expect(sheet).toContain('<c r="E1" t="inlineStr"><is><t xml:space="preserve">KAM Score (kam)</t></is></c>');
    expect(sheet).toContain('<c r="F1" t="inlineStr"><is><t xml:space="preserve">KAM Tier (kam)</t></is></c>');
  });

  test("running again on kam's own output updates the marked columns in place, in the language asked", async () => {
    const input = await makeBook(path.join(dir, 'again.xlsx'), { sharedStrings: STRINGS, rows: HEADER_ROW + DATA_ROWS });
    expect(kam(['score', input]).status).toBe(0);
    const first = path.join(dir, 'again.kam.xlsx');
    const second = path.join(dir, 'again.kam.kam.xlsx');
    expect(kam(['score', first, '--lang', 'zh']).status).toBe(0);
    const a = await parts(first);
    const b = await parts(second);
    const sheetA = text(a, 'xl/worksheets/sheet1.xml');
    const sheetB = text(b, 'xl/worksheets/sheet1.xml');
    expect(sheetB).toContain('<c r="F1" s="1" t="inlineStr"><is><t xml:space="preserve">KAM 得分</t></is></c>');
    expect(sheetB).not.toMatch(/<c r="K\d/);
    // Same scores, same places; the original cells untouched.
    const scores = (xml: string): string[] => [...xml.matchAll(/<c r="(F\d+)" s="\d+"><v>([^<]*)<\/v>/g)].map((m) => `${m[1]}=${m[2]}`);
    expect(scores(sheetB)).toEqual(scores(sheetA));
    expect(withoutOurCells(sheetB)).toBe(withoutOurCells(sheetA));
    expect(text(b, 'xl/workbook.xml').match(/KAM_RESULT_SCORE/g)).toHaveLength(1);
    // The rules sheet kam wrote is the rules it used: kept as it was.
    expect(text(b, 'xl/worksheets/sheet2.xml')).toBe(text(a, 'xl/worksheets/sheet2.xml'));
  });

  test('a package that inflates past the limit is refused, naming the limit', async () => {
    // 300 MiB of spaces deflate to ~300 KB (Node's zlib through yazl: JSZip's deflate is too slow for this).
    const zip = new yazl.ZipFile();
    zip.addBuffer(Buffer.from('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'), '[Content_Types].xml');
    zip.addBuffer(Buffer.from(`<Relationships xmlns="${PKG_REL}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`), '_rels/.rels');
    zip.addBuffer(Buffer.from(`<workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets/></workbook>`), 'xl/workbook.xml');
    zip.addBuffer(
      Buffer.from(`<Relationships xmlns="${PKG_REL}"><Relationship Id="rId3" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`),
      'xl/_rels/workbook.xml.rels',
    );
    zip.addBuffer(Buffer.alloc(300 * 1024 * 1024, 0x20), 'xl/sharedStrings.xml', { compressionLevel: 1 });
    zip.end();
    const bomb = path.join(dir, 'bomb.xlsx');
    await new Promise<void>((resolve, reject) => zip.outputStream.pipe(fs.createWriteStream(bomb)).on('close', resolve).on('error', reject));
    expect(fs.statSync(bomb).size).toBeLessThan(2 * 1024 * 1024);
    const run = kam(['score', bomb]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('xl/sharedStrings.xml inflates past 256 MiB, the limit kam reads');
  });
});

const soffice = ['soffice', 'libreoffice'].map((name) => spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim()).find((found) => found !== '');
(soffice ? describe : describe.skip)('LibreOffice reads the edited package', () => {
  test("original cells, dates and kam's cells as LibreOffice shows them", async () => {
    const input = await makeBook(path.join(dir, 'lo.xlsx'), {
      sharedStrings: STRINGS,
      before: '<dimension ref="A1:E3"/>',
      rows: HEADER_ROW + DATA_ROWS,
    });
    expect(kam(['score', input]).status).toBe(0);
    const outDir = path.join(dir, 'lo-out');
    const profile = `file://${path.join(dir, 'lo-profile')}`;
    spawnSync(
      soffice as string,
      [`-env:UserInstallation=${profile}`, '--headless', '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1', '--outdir', outDir, path.join(dir, 'lo.kam.xlsx')],
      {
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    const { headers, rows } = readCsvTable(path.join(outDir, 'lo.kam.csv'));
    expect(headers).toEqual(['Customer', 'Annual sales', 'Gross margin', 'Order date', 'Days to pay', 'KAM Score', 'KAM Tier', 'KAM Flags', 'KAM Priority', 'KAM Hours/Month']);
    expect(rows[0]?.['Order date']).toMatch(/2024|45366/);
    expect(rows[1]?.['Order date']).toBe('2024-03-15');
    expect(rows[0]?.['KAM Score']).toMatch(/^\d+\.\d$/);
    expect(rows[1]?.['KAM Tier']).toBe('Invalid input');
  });
});

describe('ready to show a manager: tier colours, filter, frozen header and the KAM Summary sheet', () => {
  /** Every part the package's relationships and content types name is there, and every part has a content type. */
  function consistent(m: Map<string, Buffer>): void {
    const types = text(m, '[Content_Types].xml');
    for (const [, name] of types.matchAll(/PartName="\/([^"]+)"/g)) expect([name, m.has(name as string)]).toEqual([name, true]);
    for (const name of m.keys()) {
      if (/\.rels$/.test(name)) {
        const base = name.replace(/(^|\/)_rels\/([^/]*)\.rels$/, '$1$2');
        for (const [, target] of text(m, name).matchAll(/Target="([^"]+)"/g)) {
          const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(base), target as string)).replace(/^\//, '');
          expect([name, target, m.has(resolved)]).toEqual([name, target, true]);
        }
      } else if (name.endsWith('.xml') && !name.startsWith('docProps'))
        expect([name, types.includes(`PartName="/${name}"`) || name === '[Content_Types].xml']).toEqual([name, true]);
    }
  }

  test("the tier column takes the pane's tier colours as conditional formats; a filter and a frozen header are added", async () => {
    const input = await makeBook(path.join(dir, 'show.xlsx'), { sharedStrings: STRINGS, rows: HEADER_ROW + DATA_ROWS });
    const run = kam(['score', input]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Accounts sheet: tier colours, a filter on the header row, the header row frozen added');
    const out = await parts(path.join(dir, 'show.kam.xlsx'));
    const sheet = text(out, 'xl/worksheets/sheet1.xml');
    const styles = text(out, 'xl/styles.xml');
    const dxfs = [
      ...(/<dxfs count="(\d+)">(.*)<\/dxfs>/.exec(styles)?.[2] ?? '').matchAll(
        /<dxf><font><color rgb="FF(\w{6})"\/><\/font><fill><patternFill><bgColor rgb="FF(\w{6})"\/><\/patternFill><\/fill><\/dxf>/g,
      ),
    ].map((m) => ({ font: `#${m[1]}`, fill: `#${m[2]}` }));
    const rules = [...sheet.matchAll(/<cfRule type="cellIs" dxfId="(\d+)" priority="(\d+)" operator="equal"><formula>&quot;(.*?)&quot;<\/formula><\/cfRule>/g)];
    expect(sheet).toContain('<conditionalFormatting sqref="G2:G3">');
    // Every tier label, in both languages, coloured as the pane colours it.
    const rulesSet = defaultRules();
    for (const outcome of OUTCOME_IDS) {
      for (const lang of ['en', 'zh'] as const) {
        const rule = rules.find((r) => r[3] === outcomeLabel(rulesSet, outcome, lang));
        expect([outcome, lang, rule && dxfs[Number(rule[1])]]).toEqual([outcome, lang, { fill: TIER_PALETTE[outcome].fill, font: TIER_PALETTE[outcome].font }]);
      }
    }
    expect(rules.map((r) => Number(r[2]))).toEqual(rules.map((_, i) => i + 1));
    expect(sheet).toContain('<autoFilter ref="A1:J3"/>');
    expect(sheet).toContain(FROZEN_HEADER);
    expect(text(out, 'xl/workbook.xml')).toContain(`<definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'Accounts'!$A$1:$J$3</definedName>`);
    consistent(out);
  });

  test("a sheet's own filter, pane and conditional formats are kept as they are, and kam adds none of its own but the colours", async () => {
    const pane =
      '<sheetViews><sheetView tabSelected="1" workbookViewId="0"><pane xSplit="1" topLeftCell="B1" activePane="topRight" state="frozen"/><selection pane="topRight"/></sheetView></sheetViews>';
    const cf =
      '<conditionalFormatting sqref="B2:B3"><cfRule type="cellIs" dxfId="0" priority="4" operator="greaterThan"><formula>500000</formula></cfRule></conditionalFormatting>';
    const input = await makeBook(path.join(dir, 'own-look.xlsx'), { sharedStrings: STRINGS, before: pane, rows: HEADER_ROW + DATA_ROWS, after: `<autoFilter ref="A1:C3"/>${cf}` });
    expect(kam(['score', input]).status).toBe(0);
    const first = path.join(dir, 'own-look.kam.xlsx');
    const sheet = text(await parts(first), 'xl/worksheets/sheet1.xml');
    expect(sheet).toContain(`<worksheet xmlns="${MAIN}" xmlns:r="${REL}">${pane}<cols>`);
    expect(sheet.match(/<autoFilter /g)).toHaveLength(1);
    expect(sheet).toContain(`</sheetData><autoFilter ref="A1:C3"/>${cf}<conditionalFormatting sqref="G2:G3"><cfRule type="cellIs" dxfId="0" priority="5" `);
    // Again on kam's output: its colours are recognised as kam's and replaced, not doubled; the sheet comes back the same.
    expect(kam(['score', first]).status).toBe(0);
    const again = text(await parts(path.join(dir, 'own-look.kam.kam.xlsx')), 'xl/worksheets/sheet1.xml');
    expect(again).toBe(sheet);
  });

  test('the KAM Summary sheet: cells, a drawing with native charts, its mark; a rerun replaces it instead of adding another', async () => {
    const input = await makeBook(path.join(dir, 'summary.xlsx'), { sharedStrings: STRINGS, rows: HEADER_ROW + DATA_ROWS });
    const run = kam(['score', input, '--capacity', '40']);
    // The message names the sections this summary has: no top accounts (none is in a tier), no portfolio, visits or warnings.
    expect(run.stdout).toContain('Summary: sheet "KAM Summary" (Accounts per tier, Score distribution, Hours against capacity, Columns absent from the sheet; 1 chart).');
    const first = path.join(dir, 'summary.kam.xlsx');
    const a = await parts(first);
    const workbook = text(a, 'xl/workbook.xml');
    expect(workbook).toContain('<sheet name="KAM Rules" sheetId="2" r:id="rId4"/><sheet name="KAM Summary" sheetId="3" r:id="rId5"/>');
    expect(workbook).toContain(`<definedName name="KAM_SUMMARY" localSheetId="2" hidden="1">'KAM Summary'!$A$1</definedName>`);
    const summary = text(a, 'xl/worksheets/sheet3.xml');
    expect(summary).toContain('<is><t>Accounts per tier</t></is>');
    expect(summary).toContain('<is><t>Hours against capacity</t></is>');
    expect(summary).toContain('<drawing r:id="rId1"/>');
    expect(text(a, 'xl/worksheets/_rels/sheet3.xml.rels')).toContain('Target="../drawings/drawing1.xml"');
    expect(text(a, 'xl/charts/chart1.xml')).toContain('<c:barChart>');
    expect(text(a, '[Content_Types].xml')).toContain(
      '<Override PartName="/xl/charts/chart1.xml" ContentType="application/vnd.openxmlformats-officedocument.drawingml.chart+xml"/>',
    );
    consistent(a);

    expect(kam(['score', first, '--lang', 'zh']).status).toBe(0);
    const b = await parts(path.join(dir, 'summary.kam.kam.xlsx'));
    const again = text(b, 'xl/workbook.xml');
    expect(again.match(/<sheet /g)).toHaveLength(3);
    expect(again.match(/KAM_SUMMARY/g)).toHaveLength(1);
    expect(text(b, 'xl/worksheets/sheet3.xml')).toContain('<is><t>各等级客户数</t></is>');
    // The earlier drawing and chart are gone with their content types; the new ones take free names.
    expect([...b.keys()].filter((n) => /^xl\/(drawings|charts)\/[^/]+\.xml$/.test(n)).sort()).toEqual(['xl/charts/chart2.xml', 'xl/drawings/drawing2.xml']);
    consistent(b);
  });

  test('a sheet of the user\'s called "KAM Summary" is never overwritten: kam\'s goes beside it, and the run says so', async () => {
    const theirs = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="${MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Our own notes</t></is></c></row></sheetData></worksheet>`;
    const input = await makeBook(path.join(dir, 'their-summary.xlsx'), {
      sharedStrings: STRINGS,
      rows: HEADER_ROW + DATA_ROWS,
      sheets: '<sheet name="KAM Summary" sheetId="2" r:id="rId8"/>',
      workbookRels: `<Relationship Id="rId8" Type="${REL}/worksheet" Target="worksheets/sheet2.xml"/>`,
      extraParts: { 'xl/worksheets/sheet2.xml': theirs },
      extraTypes: '<Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>',
    });
    const run = kam(['score', input]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`Your own sheet "KAM Summary" is kept as it is; kam's summary is in "KAM Summary (kam)".`);
    const first = path.join(dir, 'their-summary.kam.xlsx');
    const out = await parts(first);
    expect(text(out, 'xl/worksheets/sheet2.xml')).toBe(theirs);
    expect(text(out, 'xl/workbook.xml')).toContain(`<definedName name="KAM_SUMMARY" localSheetId="3" hidden="1">'KAM Summary (kam)'!$A$1</definedName>`);
    // A rerun finds kam's by its mark, under its other name; the user's is still theirs.
    const again = kam(['score', first]);
    expect(again.stdout).toContain('Summary: sheet "KAM Summary (kam)"');
    expect(again.stdout).not.toContain('Your own sheet "KAM Summary"');
    const b = await parts(path.join(dir, 'their-summary.kam.kam.xlsx'));
    expect(text(b, 'xl/worksheets/sheet2.xml')).toBe(theirs);
    expect(text(b, 'xl/workbook.xml').match(/<sheet /g)).toHaveLength(4);
    consistent(b);
  });
});

describe('the mark convention (engine/marks), as the pane will read it', () => {
  test('names, keys and references', () => {
    expect(resultMarkName('TIER')).toBe('KAM_RESULT_TIER');
    expect(resultKeyOfName('kam_result_score')).toBe('SCORE');
    expect(resultKeyOfName('KAM_RESULT_TOSTRING')).toBeUndefined();
    expect(resultKeyOfName(null)).toBeUndefined();
    expect(markReference("Bob's accounts", 0, 27)).toBe("'Bob''s accounts'!$AB$1");
    expect(markedColumn("'Bob''s accounts'!$AB$1")).toEqual({ row: 0, col: 27 });
    expect(markedColumn('#REF!')).toBeUndefined();
  });
});

test('a sheet whose writer prefixes the main namespace (x:) gets prefixed cells', async () => {
  const rows = (HEADER_ROW + DATA_ROWS).replace(/<(\/?)(row|c|v)([ >])/g, '<$1x:$2$3');
  const file = await makeBook(path.join(dir, 'prefixed.xlsx'), { sharedStrings: STRINGS, rows });
  // Rewrite the sheet with the x: prefix throughout.
  const zip = await JSZip.loadAsync(fs.readFileSync(file));
  zip.file(
    'xl/worksheets/sheet1.xml',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<x:worksheet xmlns:x="${MAIN}" xmlns:r="${REL}"><x:sheetData>${rows}</x:sheetData></x:worksheet>`,
  );
  fs.writeFileSync(file, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
  const run = kam(['score', file]);
  expect(run.status).toBe(0);
  expect(run.stdout).toContain('Scored 2 accounts');
  const sheet = text(await parts(path.join(dir, 'prefixed.kam.xlsx')), 'xl/worksheets/sheet1.xml');
  expect(sheet).toContain('<x:c r="F1" s="1" t="inlineStr"><x:is><x:t xml:space="preserve">KAM Score</x:t></x:is></x:c>');
  expect(sheet).toContain('<x:cols><x:col min="6"');
});

test('a sheet holding non-ASCII text (Chinese inline strings) is edited at the right bytes', async () => {
  const rows =
    '<row r="1"><c r="A1" t="inlineStr"><is><t>客户</t></is></c><c r="B1" t="inlineStr"><is><t>年销售额</t></is></c><c r="C1" t="inlineStr"><is><t>毛利率</t></is></c></row>' +
    '<row r="2"><c r="A2" t="inlineStr"><is><t>上海𝒳公司</t></is></c><c r="B2"><v>900000</v></c><c r="C2"><v>0.25</v></c></row>' +
    '<row r="3"><c r="A3" t="inlineStr"><is><t>北京 &amp; 天津</t></is></c><c r="B3"><v>100000</v></c><c r="C3" t="inlineStr"><is><t>高</t></is></c></row>';
  const input = await makeBook(path.join(dir, 'zh.xlsx'), { rows });
  expect(kam(['score', input, '--lang', 'zh']).status).toBe(0);
  const first = path.join(dir, 'zh.kam.xlsx');
  // Run again on the output, whose sheet now holds kam's Chinese texts too.
  const again = kam(['score', first, '--lang', 'zh']);
  expect(again.status).toBe(0);
  const a = text(await parts(first), 'xl/worksheets/sheet1.xml');
  const b = text(await parts(path.join(dir, 'zh.kam.kam.xlsx')), 'xl/worksheets/sheet1.xml');
  expect(b).toBe(a);
  const withoutOurs = withoutOurColours(
    a
      .replace(/<c r="[D-H]\d+"[^>]*>.*?<\/c>/g, '')
      .replace(/<cols>.*<\/cols>/, '')
      .replace(FROZEN_HEADER, '')
      .replace('<autoFilter ref="A1:H3"/>', ''),
  );
  expect(withoutOurs).toBe(sheetXml({ rows }));
  expect(a).toContain('<c r="D1" t="inlineStr"><is><t xml:space="preserve">KAM 得分</t></is></c>');
});
