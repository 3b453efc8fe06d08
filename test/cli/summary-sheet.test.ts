/**
 * The KAM Summary sheet's parts (src/cli/xlsx/summary-sheet.ts): the pane's summary of the sample,
 * added to the workbook kam wrote, then opened by LibreOffice as an independent client. It must
 * read the summary's values and both native charts. (The package writer that adds these parts in
 * a kam run is the xlsx editor's; here a small test helper adds them with JSZip.)
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import JSZip from 'jszip';
import { parseCsv } from '../../src/engine';
import type { SummarySheet } from '../../src/engine/report';
import { CLI_PACKS } from '../../src/cli/messages';
import { runScore } from '../../src/cli/score';
import { CONTENT_TYPES, RELATIONSHIP_TYPES, summarySheetParts } from '../../src/cli/xlsx/summary-sheet';

const soffice = ['soffice', 'libreoffice']
  .map((name) => spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim())
  .find((found) => found !== '');
const itLo = soffice ? it : it.skip;

const SAMPLE = path.join(__dirname, '..', '..', 'samples', 'accounts.xlsx');
let dir: string;
let summary: SummarySheet;
let file: string;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kam-summary-'));
  file = path.join(dir, 'sample.kam.xlsx');
  const status = await runScore({ input: SAMPLE, out: file, map: [], lang: 'en', capacity: 120, onSummary: (s) => (summary = s) }, CLI_PACKS.en, { out: () => undefined, err: () => undefined });
  expect(status).toBe(0);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Adds the summary sheet's parts to a package: the sheet, its drawing and charts, their relationships and content types. */
async function addSummary(xlsx: string, out: string): Promise<void> {
  const zip = await JSZip.loadAsync(fs.readFileSync(xlsx));
  const sheetNumbers = Object.keys(zip.files).map((f) => /^xl\/worksheets\/sheet(\d+)\.xml$/.exec(f)?.[1]).filter((n): n is string => n !== undefined).map(Number);
  const sheetFile = `sheet${Math.max(0, ...sheetNumbers) + 1}.xml`;
  const charts = summary.charts.map((_, i) => `kamchart${i + 1}.xml`);
  const parts = summarySheetParts(summary, { sheetName: 'KAM Summary', drawing: 'kamdrawing1.xml', charts, styleFor: () => 0 });
  zip.file(`xl/worksheets/${sheetFile}`, parts.worksheet);
  const overrides = [`<Override PartName="/xl/worksheets/${sheetFile}" ContentType="${CONTENT_TYPES.worksheet}"/>`];
  if (parts.drawing && parts.drawingRels && parts.worksheetRels) {
    zip.file(`xl/worksheets/_rels/${sheetFile}.rels`, parts.worksheetRels);
    zip.file('xl/drawings/kamdrawing1.xml', parts.drawing);
    zip.file('xl/drawings/_rels/kamdrawing1.xml.rels', parts.drawingRels);
    overrides.push(`<Override PartName="/xl/drawings/kamdrawing1.xml" ContentType="${CONTENT_TYPES.drawing}"/>`);
  }
  for (const chart of parts.charts) {
    zip.file(`xl/charts/${chart.name}`, chart.xml);
    overrides.push(`<Override PartName="/xl/charts/${chart.name}" ContentType="${CONTENT_TYPES.chart}"/>`);
  }
  const types = (await zip.file('[Content_Types].xml')?.async('string')) ?? '';
  zip.file('[Content_Types].xml', types.replace('</Types>', `${overrides.join('')}</Types>`));
  const rels = (await zip.file('xl/_rels/workbook.xml.rels')?.async('string')) ?? '';
  zip.file('xl/_rels/workbook.xml.rels', rels.replace('</Relationships>', `<Relationship Id="rIdKamSummary" Type="${RELATIONSHIP_TYPES.worksheet}" Target="worksheets/${sheetFile}"/></Relationships>`));
  const workbook = (await zip.file('xl/workbook.xml')?.async('string')) ?? '';
  const sheetIds = [...workbook.matchAll(/sheetId="(\d+)"/g)].map((m) => Number(m[1]));
  zip.file('xl/workbook.xml', workbook.replace('</sheets>', `<sheet name="KAM Summary" sheetId="${Math.max(0, ...sheetIds) + 1}" r:id="rIdKamSummary"/></sheets>`));
  fs.writeFileSync(out, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
}

it('lays the summary out as the pane does, with a column chart and a scatter of one series per quadrant', () => {
  const parts = summarySheetParts(summary, { sheetName: 'KAM Summary', drawing: 'drawing9.xml', charts: ['chart1.xml', 'chart2.xml'], styleFor: (f) => (f === '0.0' ? 7 : 0) });
  expect(parts.worksheet).toContain('<c r="A1" s="0" t="inlineStr"><is><t>KAM summary</t></is></c>');
  expect(parts.worksheet).toContain('<c r="A3" s="0" t="inlineStr"><is><t>Accounts per tier</t></is></c>');
  expect(parts.charts.map((c) => /<c:(barChart|scatterChart)>/.exec(c.xml)?.[1])).toEqual(['barChart', 'scatterChart']);
  const portfolio = summary.blocks.find((b) => b.id === 'portfolio');
  const quadrants = new Set(portfolio?.rows.map((r) => r[3]));
  expect((parts.charts[1]?.xml.match(/<c:ser>/g) ?? []).length).toBe(quadrants.size);
  expect(parts.charts[1]?.xml).toContain("<c:f>'KAM Summary'!$C$");
  expect(parts.worksheetRels).toContain('Target="../drawings/drawing9.xml"');
});

itLo('LibreOffice reads back the summary values and both charts', async () => {
  const withSummary = path.join(dir, 'with-summary.xlsx');
  await addSummary(file, withSummary);
  const profile = `file://${path.join(dir, 'lo-profile')}`;
  const outDir = path.join(dir, 'lo');
  // The summary is the workbook's last sheet; export it alone as CSV, and re-save the whole as .xlsx.
  const workbookXml = (await (await JSZip.loadAsync(fs.readFileSync(withSummary))).file('xl/workbook.xml')?.async('string')) ?? '';
  const index = workbookXml.match(/<sheet /g)?.length ?? 0;
  const csv = spawnSync(soffice as string, [`-env:UserInstallation=${profile}`, '--headless', '--convert-to', `csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,${index}`, '--outdir', outDir, withSummary], { encoding: 'utf8', timeout: 120_000 });
  const csvFile = fs.readdirSync(outDir).find((f) => f.endsWith('.csv'));
  if (!csvFile) throw new Error(`LibreOffice did not convert: ${csv.stderr}`);
  const cells = parseCsv(fs.readFileSync(path.join(outDir, csvFile), 'utf8')).records.map((r) => r.fields);
  expect(cells[0]?.[0]).toBe(summary.title);
  // Every block's title, header and rows, where the pane puts them.
  let row = 2;
  for (const block of summary.blocks) {
    expect(cells[row]?.[0]).toBe(block.title);
    expect(cells[row + 1]?.slice(0, block.header.length)).toEqual(block.header);
    block.rows.forEach((line, r) => {
      expect(cells[row + 2 + r]?.slice(0, line.length).map((v) => (v === '' ? '' : Number.isNaN(Number(v)) ? v : Number(v)))).toEqual(line.map((v) => v ?? ''));
    });
    row += block.rows.length + 3;
  }
  const resaved = spawnSync(soffice as string, [`-env:UserInstallation=${profile}`, '--headless', '--convert-to', 'xlsx', '--outdir', path.join(dir, 'lo-xlsx'), withSummary], { encoding: 'utf8', timeout: 120_000 });
  const back = path.join(dir, 'lo-xlsx', 'with-summary.xlsx');
  if (!fs.existsSync(back)) throw new Error(`LibreOffice did not re-save: ${resaved.stderr}`);
  const zip = await JSZip.loadAsync(fs.readFileSync(back));
  const chartXml = await Promise.all(Object.keys(zip.files).filter((f) => /^xl\/charts\/chart\d+\.xml$/.test(f)).map((f) => zip.file(f)?.async('string') ?? ''));
  expect(chartXml.some((x) => x.includes('<c:barChart>'))).toBe(true);
  expect(chartXml.some((x) => x.includes('<c:scatterChart>'))).toBe(true);
});
