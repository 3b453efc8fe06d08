/**
 * The KAM Summary sheet's parts (src/cli/xlsx/summary-sheet.ts): the pane's summary of the sample,
 * as `kam score` writes it into the workbook (the package editor adds the parts), then opened by
 * LibreOffice as an independent client. It must read the summary's values and both native charts.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import JSZip from 'jszip';
import { defaultRules, parseCsv } from '../../src/engine';
import { chartColours, QUADRANT_TIER, TIER_PALETTE, type SummarySheet } from '../../src/engine/report';
import { CLI_PACKS } from '../../src/cli/messages';
import { runScore } from '../../src/cli/score';
import { summarySheetParts } from '../../src/cli/xlsx/summary-sheet';

const soffice = ['soffice', 'libreoffice'].map((name) => spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim()).find((found) => found !== '');
const itLo = soffice ? it : it.skip;

const SAMPLE = path.join(__dirname, '..', '..', 'samples', 'accounts.xlsx');
let dir: string;
let summary: SummarySheet;
let file: string;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kam-summary-'));
  file = path.join(dir, 'sample.kam.xlsx');
  const status = await runScore({ input: SAMPLE, out: file, map: [], lang: 'en', capacity: 120, onSummary: (s) => (summary = s) }, CLI_PACKS.en, {
    out: () => undefined,
    err: () => undefined,
  });
  expect(status).toBe(0);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

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

it("colours each tier's column and each quadrant's markers as the pane draws them", () => {
  const colours = chartColours(defaultRules());
  const parts = summarySheetParts(summary, {
    sheetName: 'KAM Summary',
    drawing: 'drawing1.xml',
    charts: ['chart1.xml', 'chart2.xml'],
    styleFor: () => 0,
    colourOf: (label) => colours.get(label),
  });
  const bar = parts.charts[0]?.xml ?? '';
  expect(bar).toContain(
    `<c:dPt><c:idx val="0"/><c:invertIfNegative val="0"/><c:bubble3D val="0"/><c:spPr><a:solidFill><a:srgbClr val="${TIER_PALETTE.strategic.bar.slice(1)}"/></a:solidFill></c:spPr></c:dPt>`,
  );
  const scatter = parts.charts[1]?.xml ?? '';
  const star = /<c:ser>(?:(?!<\/c:ser>).)*<c:v>Star<\/c:v>(?:(?!<\/c:ser>).)*<\/c:ser>/.exec(scatter)?.[0] ?? '';
  expect(star).toContain(`<c:marker><c:symbol val="circle"/><c:size val="7"/><c:spPr><a:solidFill><a:srgbClr val="${TIER_PALETTE[QUADRANT_TIER.star].bar.slice(1)}"/>`);
});

itLo(
  'LibreOffice reads back the summary values and both charts of the workbook kam wrote',
  async () => {
    const withSummary = file;
    const profile = `file://${path.join(dir, 'lo-profile')}`;
    const outDir = path.join(dir, 'lo');
    // The summary is the workbook's last sheet; export it alone as CSV, and re-save the whole as .xlsx.
    const workbookXml = (await (await JSZip.loadAsync(fs.readFileSync(withSummary))).file('xl/workbook.xml')?.async('string')) ?? '';
    const index = workbookXml.match(/<sheet /g)?.length ?? 0;
    const csv = spawnSync(
      soffice as string,
      [
        `-env:UserInstallation=${profile}`,
        '--headless',
        '--convert-to',
        `csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,${index}`,
        '--outdir',
        outDir,
        withSummary,
      ],
      { encoding: 'utf8', timeout: 120_000 },
    );
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
    const resaved = spawnSync(soffice as string, [`-env:UserInstallation=${profile}`, '--headless', '--convert-to', 'xlsx', '--outdir', path.join(dir, 'lo-xlsx'), withSummary], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    const back = path.join(dir, 'lo-xlsx', path.basename(file));
    if (!fs.existsSync(back)) throw new Error(`LibreOffice did not re-save: ${resaved.stderr}`);
    const zip = await JSZip.loadAsync(fs.readFileSync(back));
    const chartXml = await Promise.all(
      Object.keys(zip.files)
        .filter((f) => /^xl\/charts\/chart\d+\.xml$/.test(f))
        .map((f) => zip.file(f)?.async('string') ?? ''),
    );
    expect(chartXml.some((x) => x.includes('<c:barChart>'))).toBe(true);
    expect(chartXml.some((x) => x.includes('<c:scatterChart>'))).toBe(true);
    // LibreOffice keeps the accounts sheet's tier colours (as conditional formats) and the filter on its header row.
    const accounts = (await zip.file('xl/worksheets/sheet1.xml')?.async('string')) ?? '';
    expect(accounts).toMatch(/<conditionalFormatting sqref="[A-Z]+2:[A-Z]+41">/);
    expect(accounts).toContain('<autoFilter ref="A1:');
  },
  240_000,
); // two LibreOffice conversions, slow on a busy machine
