/**
 * The KAM Summary sheet as SpreadsheetML parts: the worksheet (the same layout as the pane's
 * gateways: title in A1, each block as a title row, a header row and its rows, two blank rows
 * between blocks), its drawing, and one native chart per chart of the summary (a clustered column
 * chart of the tiers; a scatter of the portfolio with one series per quadrant, axes 0–100).
 *
 * It only generates XML: a package writer adds the parts, their relationships, content types and
 * the sheet's entry in the workbook, and gives the style index of each number format.
 */
import { cellAddress, type CellValue } from '../../engine';
import type { SummaryChart, SummarySheet } from '../../engine/report';

export const CONTENT_TYPES = {
  worksheet: 'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml',
  drawing: 'application/vnd.openxmlformats-officedocument.drawing+xml',
  chart: 'application/vnd.openxmlformats-officedocument.drawingml.chart+xml',
} as const;

export const RELATIONSHIP_TYPES = {
  worksheet: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet',
  drawing: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing',
  chart: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart',
} as const;

export interface SummaryPartNames {
  /** The sheet's name in the workbook, for the charts' references. */
  sheetName: string;
  /** File names of the drawing and of each chart, e.g. drawing3.xml, chart5.xml (in xl/drawings, xl/charts). */
  drawing: string;
  charts: readonly string[];
  /** The cellXfs index that shows a number format ("@", "0", "0.0"), from the workbook's styles. */
  styleFor: (numberFormat: string) => number;
  /** The colour ("#RRGGBB") of a tier's column or a quadrant's markers, by its label; the chart's default when none. */
  colourOf?: (label: string) => string | undefined;
}

export interface SummaryParts {
  /** xl/worksheets/<sheet>.xml */
  worksheet: string;
  /** xl/worksheets/_rels/<sheet>.xml.rels: the drawing (null when the summary has no chart to draw). */
  worksheetRels: string | null;
  /** xl/drawings/<drawing> and its rels; null when there is no chart. */
  drawing: string | null;
  drawingRels: string | null;
  /** xl/charts/<chart>, in the order of `names.charts`. */
  charts: Array<{ name: string; xml: string }>;
}

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const NS_MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const NS_R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const NS_C = 'http://schemas.openxmlformats.org/drawingml/2006/chart';
const NS_A = 'http://schemas.openxmlformats.org/drawingml/2006/main';
const NS_XDR = 'http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing';
const NS_PKG_RELS = 'http://schemas.openxmlformats.org/package/2006/relationships';

/** Text for XML content and attributes; characters XML 1.0 cannot hold are dropped. */
export function escapeXml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function cellXml(row: number, col: number, value: CellValue, style: number): string {
  const ref = cellAddress({ row, col });
  if (typeof value === 'number' && Number.isFinite(value)) return `<c r="${ref}" s="${style}"><v>${value}</v></c>`;
  if (typeof value === 'boolean') return `<c r="${ref}" s="${style}" t="b"><v>${value ? 1 : 0}</v></c>`;
  const text = value === null || value === undefined ? '' : String(value);
  if (text === '') return '';
  const space = /^\s|\s$/.test(text) ? ' xml:space="preserve"' : '';
  return `<c r="${ref}" s="${style}" t="inlineStr"><is><t${space}>${escapeXml(text)}</t></is></c>`;
}

/** An absolute reference to a column's cells, e.g. 'KAM Summary'!$B$4:$B$9. */
function columnRef(sheet: string, col: number, first: number, count: number): string {
  const letters = cellAddress({ row: 0, col }).replace(/\d+$/, '');
  return `'${sheet.replace(/'/g, "''")}'!$${letters}$${first + 1}:$${letters}$${first + count}`;
}

function cache(kind: 'num' | 'str', values: readonly CellValue[]): string {
  const points = values.map((v, i) => `<c:pt idx="${i}"><c:v>${escapeXml(v === null || v === undefined ? '' : String(v))}</c:v></c:pt>`).join('');
  return kind === 'num'
    ? `<c:numCache><c:formatCode>General</c:formatCode><c:ptCount val="${values.length}"/>${points}</c:numCache>`
    : `<c:strCache><c:ptCount val="${values.length}"/>${points}</c:strCache>`;
}

function numRef(ref: string, values: readonly CellValue[]): string {
  return `<c:numRef><c:f>${escapeXml(ref)}</c:f>${cache('num', values)}</c:numRef>`;
}

function title(text: string): string {
  return `<c:title><c:tx><c:rich><a:bodyPr/><a:p><a:r><a:t>${escapeXml(text)}</a:t></a:r></a:p></c:rich></c:tx><c:overlay val="0"/></c:title>`;
}

function axis(
  kind: 'cat' | 'val',
  id: number,
  cross: number,
  position: 'b' | 'l',
  options: { title?: string; min?: number; max?: number; major?: number; between?: 'between' | 'midCat' } = {},
): string {
  const scaling = `<c:scaling><c:orientation val="minMax"/>${options.max === undefined ? '' : `<c:max val="${options.max}"/>`}${options.min === undefined ? '' : `<c:min val="${options.min}"/>`}</c:scaling>`;
  const grid = options.major === undefined ? '' : '<c:majorGridlines/>';
  const major = options.major === undefined ? '' : `<c:majorUnit val="${options.major}"/>`;
  return (
    `<c:${kind}Ax><c:axId val="${id}"/>${scaling}<c:delete val="0"/><c:axPos val="${position}"/>${grid}${options.title ? title(options.title) : ''}` +
    `<c:numFmt formatCode="General" sourceLinked="1"/><c:tickLblPos val="nextTo"/><c:crossAx val="${cross}"/><c:crosses val="autoZero"/>${kind === 'val' ? `<c:crossBetween val="${options.between ?? 'between'}"/>${major}` : ''}</c:${kind}Ax>`
  );
}

function chartSpace(plot: string, legend: boolean, chartTitle: string): string {
  return (
    `${XML_HEAD}<c:chartSpace xmlns:c="${NS_C}" xmlns:a="${NS_A}" xmlns:r="${NS_R}"><c:roundedCorners val="0"/><c:chart>${title(chartTitle)}<c:autoTitleDeleted val="0"/>` +
    `<c:plotArea><c:layout/>${plot}</c:plotArea>${legend ? '<c:legend><c:legendPos val="r"/><c:overlay val="0"/></c:legend>' : ''}<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart></c:chartSpace>`
  );
}

interface Placed {
  row: number;
  rows: CellValue[][];
}

/** A solid fill as DrawingML writes it. */
const solid = (hex: string): string => `<a:solidFill><a:srgbClr val="${hex.replace(/^#/, '').toUpperCase()}"/></a:solidFill>`;

function chartXml(spec: SummaryChart, at: Placed, sheet: string, colourOf: (label: string) => string | undefined): string {
  const column = (c: number): CellValue[] => at.rows.map((r) => r[c] ?? null);
  if (spec.kind === 'column') {
    // Each tier's column in its colour.
    const points = column(spec.categoryColumn)
      .map((label, i) => {
        const colour = colourOf(String(label ?? ''));
        return colour ? `<c:dPt><c:idx val="${i}"/><c:invertIfNegative val="0"/><c:bubble3D val="0"/><c:spPr>${solid(colour)}</c:spPr></c:dPt>` : '';
      })
      .join('');
    const cat = `<c:cat><c:strRef><c:f>${escapeXml(columnRef(sheet, spec.categoryColumn, at.row, at.rows.length))}</c:f>${cache('str', column(spec.categoryColumn))}</c:strRef></c:cat>`;
    const val = `<c:val>${numRef(columnRef(sheet, spec.valueColumn, at.row, at.rows.length), column(spec.valueColumn))}</c:val>`;
    const series = `<c:ser><c:idx val="0"/><c:order val="0"/><c:tx><c:v>${escapeXml(spec.title)}</c:v></c:tx><c:invertIfNegative val="0"/>${points}${cat}${val}</c:ser>`;
    const plot = `<c:barChart><c:barDir val="col"/><c:grouping val="clustered"/><c:varyColors val="0"/>${series}<c:gapWidth val="80"/><c:axId val="1001"/><c:axId val="1002"/></c:barChart>`;
    return chartSpace(plot + axis('cat', 1001, 1002, 'b') + axis('val', 1002, 1001, 'l'), false, spec.title);
  }
  // One series per quadrant: the rows are sorted by quadrant, so each is one run of rows.
  const runs: Array<{ name: string; start: number; count: number }> = [];
  at.rows.forEach((r, i) => {
    const name = String(r[spec.seriesColumn] ?? '');
    const last = runs[runs.length - 1];
    if (last && last.name === name) last.count++;
    else runs.push({ name, start: i, count: 1 });
  });
  const series = runs
    .map((run, i) => {
      const slice = (c: number): CellValue[] => column(c).slice(run.start, run.start + run.count);
      const x = `<c:xVal>${numRef(columnRef(sheet, spec.xColumn, at.row + run.start, run.count), slice(spec.xColumn))}</c:xVal>`;
      const y = `<c:yVal>${numRef(columnRef(sheet, spec.yColumn, at.row + run.start, run.count), slice(spec.yColumn))}</c:yVal>`;
      const colour = colourOf(run.name);
      const markerFill = colour ? `<c:spPr>${solid(colour)}<a:ln><a:noFill/></a:ln></c:spPr>` : '';
      const markersOnly = `<c:spPr><a:ln w="19050"><a:noFill/></a:ln></c:spPr><c:marker><c:symbol val="circle"/><c:size val="7"/>${markerFill}</c:marker>`;
      return `<c:ser><c:idx val="${i}"/><c:order val="${i}"/><c:tx><c:v>${escapeXml(run.name)}</c:v></c:tx>${markersOnly}${x}${y}<c:smooth val="0"/></c:ser>`;
    })
    .join('');
  const plot = `<c:scatterChart><c:scatterStyle val="lineMarker"/><c:varyColors val="0"/>${series}<c:axId val="2001"/><c:axId val="2002"/></c:scatterChart>`;
  // Gridlines every 50 points draw the quadrant boundaries of the default split.
  const scale = { min: 0, max: 100, major: 50, between: 'midCat' } as const;
  return chartSpace(plot + axis('val', 2001, 2002, 'b', { ...scale, title: spec.xTitle }) + axis('val', 2002, 2001, 'l', { ...scale, title: spec.yTitle }), true, spec.title);
}

function anchor(index: number, from: { row: number; col: number }, to: { row: number; col: number }): string {
  const at = (tag: string, p: { row: number; col: number }): string =>
    `<xdr:${tag}><xdr:col>${p.col}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>${p.row}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:${tag}>`;
  return (
    `<xdr:twoCellAnchor>${at('from', from)}${at('to', to)}<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="${index + 2}" name="Chart ${index + 1}"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr>` +
    `<xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm><a:graphic><a:graphicData uri="${NS_C}"><c:chart xmlns:c="${NS_C}" r:id="rId${index + 1}"/></a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor>`
  );
}

function relationships(targets: ReadonlyArray<{ type: string; target: string }>): string {
  const rels = targets.map((t, i) => `<Relationship Id="rId${i + 1}" Type="${t.type}" Target="${escapeXml(t.target)}"/>`).join('');
  return `${XML_HEAD}<Relationships xmlns="${NS_PKG_RELS}">${rels}</Relationships>`;
}

/** The summary sheet's parts. Charts whose block has no rows are not drawn (as the pane's gateways do). */
export function summarySheetParts(summary: SummarySheet, names: SummaryPartNames): SummaryParts {
  const rows = new Map<number, string[]>();
  const put = (row: number, col: number, value: CellValue, format: string): void => {
    const xml = cellXml(row, col, value, names.styleFor(format));
    if (xml !== '') rows.set(row, [...(rows.get(row) ?? []), xml]);
  };
  put(0, 0, summary.title, '@');
  let row = 2;
  const placed = new Map<string, Placed>();
  for (const block of summary.blocks) {
    put(row, 0, block.title, '@');
    block.header.forEach((h, c) => put(row + 1, c, h, '@'));
    block.rows.forEach((line, r) => line.forEach((v, c) => put(row + 2 + r, c, v, block.formats[c] ?? 'General')));
    placed.set(block.id, { row: row + 2, rows: block.rows });
    row += block.rows.length + 3;
  }
  const drawn = summary.charts.filter((c) => (placed.get(c.block)?.rows.length ?? 0) > 0);
  const charts = drawn.map((spec, i) => ({
    name: names.charts[i] ?? `chart${i + 1}.xml`,
    xml: chartXml(spec, placed.get(spec.block) as Placed, names.sheetName, names.colourOf ?? (() => undefined)),
  }));

  const left = Math.max(...summary.blocks.map((b) => b.header.length), 1) + 1;
  let top = 2;
  const anchors = drawn.map((spec, i) => {
    const size = spec.kind === 'column' ? { rows: 14, cols: 6 } : { rows: 20, cols: 8 };
    const xml = anchor(i, { row: top, col: left }, { row: top + size.rows, col: left + size.cols });
    top += 22;
    return xml;
  });

  const sheetRows = [...rows.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([r, cells]) => `<row r="${r + 1}">${cells.join('')}</row>`)
    .join('');
  const widths = '<cols><col min="1" max="1" width="34" customWidth="1"/><col min="2" max="4" width="14" customWidth="1"/></cols>';
  const worksheet = `${XML_HEAD}<worksheet xmlns="${NS_MAIN}" xmlns:r="${NS_R}">${widths}<sheetData>${sheetRows}</sheetData>${charts.length > 0 ? '<drawing r:id="rId1"/>' : ''}</worksheet>`;
  if (charts.length === 0) return { worksheet, worksheetRels: null, drawing: null, drawingRels: null, charts };
  return {
    worksheet,
    worksheetRels: relationships([{ type: RELATIONSHIP_TYPES.drawing, target: `../drawings/${names.drawing}` }]),
    drawing: `${XML_HEAD}<xdr:wsDr xmlns:xdr="${NS_XDR}" xmlns:a="${NS_A}" xmlns:r="${NS_R}">${anchors.join('')}</xdr:wsDr>`,
    drawingRels: relationships(charts.map((c) => ({ type: RELATIONSHIP_TYPES.chart, target: `../charts/${c.name}` }))),
    charts,
  };
}
