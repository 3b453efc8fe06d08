/**
 * The package editor: writes a workbook that is the input plus what kam adds. Every part kam has
 * no reason to touch is carried over unchanged (same part name, same inflated bytes). The accounts
 * sheet's part is copied byte for byte with cells inserted at the offsets the scan recorded, so
 * every existing cell, row, merge, comment, link, validation and format stays as it was.
 *
 * Callers describe what to add, generically (see `WorkbookAdditions`): result columns, sheets,
 * defined names. Everything else in the package is kept.
 */
import { Transform, type Readable } from 'node:stream';
import type { Document, Element } from '@xmldom/xmldom';
import { markReference, resultMarkName, SUMMARY_MARK_NAME, type CellValue, type ResultKey } from '../../engine';
import type { SummarySheet, TierColour } from '../../engine/report';
import type { AccountsSheet } from './accounts';
import { CONTENT_TYPES, RELATIONSHIP_TYPES as CHART_REL_TYPES, summarySheetParts } from './summary-sheet';
import { prefixed, StylesEditor, type FontKind } from './styles';
import type { SheetInfo, Styles, WorkbookModel } from './workbook';
import { readRelationships } from './workbook';
import { customPropertiesEdit } from './run-record';
import {
  cellTextXml,
  child,
  children,
  columnLetters,
  escapeXml,
  NS,
  parseRangeRef,
  parseXml,
  rangeRef,
  REL_TYPE,
  relsPartOf,
  resolveTarget,
  serializeXml,
  WORKSHEET_CONTENT_TYPE,
} from './xml';
import { writePackage, type OutPart } from './zip';

/** A column of results written beside the data, marked as kam's (engine/marks). */
export interface ResultColumn {
  key: ResultKey;
  /** The header cell's text. */
  header: string;
  kind: 'number' | 'text';
  /** Excel number format code, e.g. `0.0`; text columns use `@` so a typed `=` stays text. */
  numberFormat: string;
  /** Width in characters, for a column that has no width yet. */
  width: number;
  /** The cell of data row i (0-based, the row under the header is 0); null, NaN or '' leave it empty. */
  value: (row: number) => ResultValue;
}

/** A formula (without its `=`) and the value it shows before any recalculation. */
export interface FormulaCell {
  formula: string;
  cached: number | string | null;
}

export type ResultValue = number | string | null | FormulaCell;

/** A sheet to add (or to replace, when the workbook has one of that name). */
export interface AddedSheet {
  name: string;
  /** Rows of cells from A1: numbers stay numbers, texts are written as inline strings (never formulas). */
  cells: ReadonlyArray<ReadonlyArray<CellValue>>;
  /** Column widths in characters, by zero-based column. */
  columnWidths?: Readonly<Record<number, number>>;
  /** Zero-based rows written bold or italic. */
  bold?: readonly number[];
  italic?: readonly number[];
}

/** A defined name to set (replacing one of the same name and scope). */
export interface AddedName {
  name: string;
  /** The formula, e.g. `'KAM Rules'!$A$1:$H$40`. */
  value: string;
  /** A sheet's name for a sheet-scoped name; workbook scope when undefined. */
  scope?: string;
  hidden?: boolean;
}

/**
 * How the accounts sheet is made ready to show: tier colours as conditional formats on one result
 * column, a filter on the header row and a frozen header. Each is added only where the sheet has
 * none of its own (a user's filter, table, pane or conditional formats are never changed).
 */
export interface SheetPresentation {
  colours?: { key: ResultKey; colours: ReadonlyArray<TierColour> };
  filter?: boolean;
  freezeHeader?: boolean;
}

/** What the writer did beyond the columns, for the run's report. */
export interface WriteOutcome {
  /** The summary sheet's name, when one was written, and whether it replaced kam's earlier one. */
  summary?: { name: string; replaced: boolean; charts: number };
  coloured: boolean;
  filtered: boolean;
  frozen: boolean;
}

/**
 * Everything kam adds to a workbook.
 *
 * Edits of the accounts sheet are byte edits at offsets the scan (scan.ts) recorded: cells in the
 * rows, `<pane>` in the first sheet view, `<autoFilter>` and `<conditionalFormatting>` after
 * `</sheetData>` in the schema's order. New styles come from StylesEditor.
 */
export interface WorkbookAdditions {
  /** The accounts sheet as read, and the result columns to write on it at planned positions. */
  accounts?: { sheet: AccountsSheet; columns: ReadonlyArray<ResultColumn>; positions: ReadonlyMap<ResultKey, number>; presentation?: SheetPresentation };
  sheets?: ReadonlyArray<AddedSheet>;
  names?: ReadonlyArray<AddedName>;
  /** Custom document properties to set (the run record, see run-record.ts). */
  properties?: ReadonlyArray<readonly [name: string, value: string]>;
  /** The KAM Summary sheet, with native charts, under `name` unless a sheet of the user's has it (see `summaryPlacement`). */
  summary?: { content: SummarySheet; name: string; colours?: ReadonlyMap<string, string> };
}

/** The summary sheet's name: kam's own (known by its mark) is replaced; a user's sheet of that name is kept and ours goes beside. */
export function summaryPlacement(model: WorkbookModel, preferred: string): { name: string; ours: SheetInfo | undefined; besideUsers: boolean } {
  const mark = model.definedNames.find((n) => n.name.toUpperCase() === SUMMARY_MARK_NAME && n.localSheetId !== undefined);
  const ours = mark ? model.sheets.find((s) => s.index === mark.localSheetId && s.isWorksheet && s.part !== undefined) : undefined;
  if (ours) return { name: ours.name, ours, besideUsers: false };
  const taken = new Set(model.sheets.map((s) => s.name.toLowerCase()));
  if (!taken.has(preferred.toLowerCase())) return { name: preferred, ours: undefined, besideUsers: false };
  for (let n = 1; ; n++) {
    const name = `${preferred} (kam${n > 1 ? ` ${n}` : ''})`;
    if (!taken.has(name.toLowerCase())) return { name, ours: undefined, besideUsers: true };
  }
}

/**
 * Where result columns go: a column an earlier run marked keeps its place; the others follow the
 * last column in use. Nothing else decides: a user's column with a look-alike title is not ours.
 */
export function planResultColumns(sheet: AccountsSheet, keys: readonly ResultKey[]): Map<ResultKey, number> {
  const positions = new Map<ResultKey, number>();
  let next = Math.max(sheet.width, ...[...sheet.marked.values()].map((c) => c + 1));
  for (const key of keys) {
    const at = sheet.marked.get(key);
    positions.set(key, at ?? next++);
  }
  return positions;
}

interface Edit {
  at: number;
  del: number;
  text: string;
}

/** Copies a part's bytes, applying edits (sorted by offset) as their offsets pass. */
function spliceStream(edits: Iterator<Edit>): Transform {
  let offset = 0;
  let skip = 0;
  let next = edits.next();
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      const end = offset + chunk.length;
      let from = 0; // within chunk
      const parts: Buffer[] = [];
      for (;;) {
        if (skip > 0) {
          const n = Math.min(skip, chunk.length - from);
          from += n;
          skip -= n;
          if (skip > 0) break;
        }
        if (next.done || next.value.at >= end) break;
        const e = next.value;
        const at = e.at - offset;
        if (at < from) return done(new Error(`edit at byte ${e.at} is behind the copy (${offset + from})`));
        parts.push(chunk.subarray(from, at), Buffer.from(e.text, 'utf8'));
        from = at;
        skip = e.del;
        next = edits.next();
      }
      if (skip === 0 && from < chunk.length) parts.push(chunk.subarray(from));
      offset = end;
      done(null, Buffer.concat(parts));
    },
    flush(done) {
      // Edits at the very end of the part (none are expected): written in order.
      const tail: Buffer[] = [];
      while (!next.done) {
        if (next.value.at !== offset) return done(new Error(`edit at byte ${next.value.at} is past the end (${offset})`));
        tail.push(Buffer.from(next.value.text, 'utf8'));
        next = edits.next();
      }
      done(null, Buffer.concat(tail));
    },
  });
}

function cellXml(prefix: string, ref: string, style: number, value: number | string | boolean | null | undefined | FormulaCell): string {
  const p = prefix ? `${prefix}:` : '';
  const s = style > 0 ? ` s="${style}"` : '';
  if (value === null || value === undefined || value === '') return '';
  if (typeof value === 'object') {
    // A formula with its result cached, so the cell shows it before any recalculation.
    const f = `<${p}f>${escapeXml(value.formula)}</${p}f>`;
    const cached = value.cached;
    if (typeof cached === 'number' && Number.isFinite(cached)) return `<${p}c r="${ref}"${s}>${f}<${p}v>${String(cached)}</${p}v></${p}c>`;
    return `<${p}c r="${ref}"${s} t="str">${f}<${p}v>${cellTextXml(typeof cached === 'string' ? cached : '')}</${p}v></${p}c>`;
  }
  if (typeof value === 'number') return Number.isFinite(value) ? `<${p}c r="${ref}"${s}><${p}v>${String(value)}</${p}v></${p}c>` : '';
  if (typeof value === 'boolean') return `<${p}c r="${ref}"${s} t="b"><${p}v>${value ? 1 : 0}</${p}v></${p}c>`;
  return `<${p}c r="${ref}"${s} t="inlineStr"><${p}is><${p}t xml:space="preserve">${cellTextXml(value)}</${p}t></${p}is></${p}c>`;
}

/** The edits of the accounts sheet, in byte order, made as the copy reaches them (not held for a million rows). */
function* sheetEdits(
  sheet: AccountsSheet,
  columns: ReadonlyArray<ResultColumn>,
  positions: ReadonlyMap<ResultKey, number>,
  styles: { header: number; column: number[] },
  prefix: string,
  extra: { head: readonly Edit[]; tail: readonly Edit[] } = { head: [], tail: [] },
): Generator<Edit> {
  const { layout } = sheet;
  const p = prefix ? `${prefix}:` : '';
  const order = columns.map((c, k) => ({ c, k, col: positions.get(c.key) as number })).sort((a, b) => a.col - b.col);
  const ours = new Set(order.map((o) => o.col));
  // A frozen pane first: a new <sheetViews> goes before a new <cols> at the same offset.
  const head: Edit[] = [...extra.head];
  // The dimension grows to take the new columns.
  const maxCol = Math.max(...order.map((o) => o.col));
  if (layout.dimension) {
    const r = parseRangeRef(layout.dimension.ref);
    if (r && maxCol > r.c2)
      head.push({ at: layout.dimension.start, del: layout.dimension.end - layout.dimension.start, text: `<${p}dimension ref="${rangeRef(r.r1, r.c1, r.r2, maxCol)}"/>` });
  }
  // Widths for columns that have none.
  const widthXml = (o: (typeof order)[number]): string => `<${p}col min="${o.col + 1}" max="${o.col + 1}" width="${o.c.width}" customWidth="1"/>`;
  const uncovered = order.filter((o) => !layout.cols?.entries.some((e) => e.min <= o.col + 1 && o.col + 1 <= e.max));
  if (uncovered.length > 0) {
    if (layout.cols) {
      for (const o of uncovered) {
        const before = layout.cols.entries.find((e) => e.min > o.col + 1);
        head.push({ at: before ? before.start : layout.cols.close, del: 0, text: widthXml(o) });
      }
    } else if (!Number.isNaN(layout.beforeSheetData)) {
      head.push({ at: layout.beforeSheetData, del: 0, text: `<${p}cols>${uncovered.map(widthXml).join('')}</${p}cols>` });
    }
  }
  head.sort((a, b) => a.at - b.at);
  yield* head;

  const spots = layout.spots;
  let s = 0;
  const rowEdits = (r: number, value: (k: number) => ResultValue, style: (k: number) => number): Edit[] => {
    while (s < spots.row.length && (spots.row.data[s] as number) < r) s++;
    const first = s;
    let last = s;
    while (last < spots.row.length && spots.row.data[last] === r) last++;
    const edits: Edit[] = [];
    const rowEnd = layout.rowEnd[r] as number;
    const spansAt = layout.spans.start[r] as number;
    if (!Number.isNaN(spansAt) && maxCol + 1 > (layout.spans.last[r] as number)) {
      edits.push({ at: spansAt, del: (layout.spans.end[r] as number) - spansAt, text: `${layout.spans.first[r] as number}:${maxCol + 1}` });
    }
    for (const o of order) {
      const text = cellXml(prefix, `${columnLetters(o.col)}${r}`, style(o.k), value(o.k));
      let at = rowEnd;
      let del = 0;
      for (let t = first; t < last; t++) {
        const col = spots.col.data[t] as number;
        if (col < o.col) continue;
        at = spots.start.data[t] as number;
        if (col === o.col) del = (spots.end.data[t] as number) - at;
        break;
      }
      if (Number.isNaN(at) || (text === '' && del === 0)) continue;
      edits.push({ at, del, text });
    }
    // Old cells in our columns that this run leaves empty are cleared.
    for (let t = first; t < last; t++) {
      const col = spots.col.data[t] as number;
      if (ours.has(col) && !edits.some((e) => e.at === spots.start.data[t] && e.del > 0)) {
        const at = spots.start.data[t] as number;
        const del = (spots.end.data[t] as number) - at;
        if (del > 0 && !edits.some((e) => e.at === at && e.del === del)) edits.push({ at, del, text: '' });
      }
    }
    // Same offset: insertions before the replacement that removes the old cell there.
    return edits.sort((a, b) => a.at - b.at || a.del - b.del);
  };

  yield* rowEdits(
    sheet.headerRow,
    (k) => (columns[k] as ResultColumn).header,
    () => styles.header,
  );
  for (let i = 0; i < sheet.rowCount; i++) {
    const r = sheet.headerRow + 1 + i;
    if (Number.isNaN(layout.rowEnd[r] as number)) continue;
    yield* rowEdits(
      r,
      (k) => {
        const v = (columns[k] as ResultColumn).value(i);
        return typeof v === 'number' && Number.isNaN(v) ? null : v;
      },
      (k) => styles.column[k] as number,
    );
  }
  // After </sheetData>: the filter, then the conditional formats (insertions before a replacement at the same offset).
  yield* [...extra.tail].sort((a, b) => a.at - b.at || a.del - b.del);
}

/** Worksheet children that come after `<autoFilter>` / `<conditionalFormatting>` in the schema. */
const AFTER_CONDITIONAL_FORMATS = [
  'dataValidations',
  'hyperlinks',
  'printOptions',
  'pageMargins',
  'pageSetup',
  'headerFooter',
  'rowBreaks',
  'colBreaks',
  'customProperties',
  'cellWatches',
  'ignoredErrors',
  'smartTags',
  'drawing',
  'legacyDrawing',
  'legacyDrawingHF',
  'drawingHF',
  'picture',
  'oleObjects',
  'controls',
  'webPublishItems',
  'tableParts',
  'extLst',
];
const AFTER_AUTOFILTER = ['sortState', 'dataConsolidate', 'customSheetViews', 'mergeCells', 'phoneticPr', 'conditionalFormatting', ...AFTER_CONDITIONAL_FORMATS];

/**
 * Whether a conditional format is kam's tier colouring from an earlier run: only on one column,
 * every rule an "equal to" with one of kam's tier styles.
 */
function isOurColouring(text: string, col: number, dxfIds: ReadonlySet<number>): boolean {
  const sqref = /\ssqref\s*=\s*"([^"]*)"/.exec(text)?.[1] ?? '';
  const ranges = sqref.trim().split(/\s+/).map(parseRangeRef);
  if (ranges.length === 0 || ranges.some((r) => !r || r.c1 !== col || r.c2 !== col)) return false;
  const rules = [...text.matchAll(/<(?:[\w.-]+:)?cfRule\b([^>]*)>/g)].map((m) => m[1] as string);
  const attr = (tag: string, name: string): string | undefined => new RegExp(`\\s${name}\\s*=\\s*"([^"]*)"`).exec(tag)?.[1];
  return rules.length > 0 && rules.every((r) => attr(r, 'type') === 'cellIs' && attr(r, 'operator') === 'equal' && dxfIds.has(Number(attr(r, 'dxfId'))));
}

/** The accounts sheet's presentation edits (frozen header, filter, tier colours) and the names they need. */
function presentationEdits(
  sheet: AccountsSheet,
  positions: ReadonlyMap<ResultKey, number>,
  presentation: SheetPresentation,
  editor: StylesEditor,
  prefix: string,
): { head: Edit[]; tail: Edit[]; names: AddedName[]; done: Omit<WriteOutcome, 'summary'> } {
  const { layout } = sheet;
  const p = prefix ? `${prefix}:` : '';
  const head: Edit[] = [];
  const tail: Edit[] = [];
  const names: AddedName[] = [];
  const done = { coloured: false, filtered: false, frozen: false };
  const firstTail = (after: readonly string[]): number => layout.tail.find((t) => after.includes(t.name))?.start ?? layout.worksheetClose;
  const lastRow = sheet.headerRow + sheet.rowCount; // 1-based

  if (presentation.freezeHeader && !layout.views.hasPane && sheet.rowCount > 0) {
    const pane = `<${p}pane ySplit="${sheet.headerRow}" topLeftCell="A${sheet.headerRow + 1}" activePane="bottomLeft" state="frozen"/>`;
    const view = layout.views.firstView;
    if (view && !view.selfClosing) head.push({ at: view.end, del: 0, text: pane });
    else if (view) {
      const name = /^<([\w.:-]+)/.exec(view.tag)?.[1] ?? `${p}sheetView`;
      head.push({ at: view.start, del: view.end - view.start, text: `${view.tag.replace(/\s*\/>$/, '>')}${pane}</${name}>` });
    } else if (!layout.views.present && !Number.isNaN(layout.views.insertAt)) {
      head.push({ at: layout.views.insertAt, del: 0, text: `<${p}sheetViews><${p}sheetView workbookViewId="0">${pane}</${p}sheetView></${p}sheetViews>` });
    }
    done.frozen = head.length > 0;
  }

  const hasFilter = layout.tail.some((t) => t.name === 'autoFilter');
  if (presentation.filter && !hasFilter && !sheet.table && sheet.rowCount > 0 && !Number.isNaN(layout.worksheetClose)) {
    const firstCol = Math.max(
      0,
      sheet.headers.findIndex((h) => h !== ''),
    );
    const lastCol = Math.max(sheet.width - 1, ...positions.values());
    const ref = rangeRef(sheet.headerRow - 1, firstCol, lastRow - 1, lastCol);
    tail.push({ at: firstTail(AFTER_AUTOFILTER), del: 0, text: `<${p}autoFilter ref="${ref}"/>` });
    // Excel's own name for the filtered range: without it LibreOffice drops the filter when it saves.
    const abs = ref.replace(/([A-Z]+)(\d+)/g, '$$$1$$$2');
    names.push({ name: '_xlnm._FilterDatabase', value: `'${sheet.sheet.name.replace(/'/g, "''")}'!${abs}`, scope: sheet.sheet.name, hidden: true });
    done.filtered = true;
  }

  const coloured = presentation.colours;
  const col = coloured ? positions.get(coloured.key) : undefined;
  if (coloured && col !== undefined && coloured.colours.length > 0 && sheet.rowCount > 0 && !Number.isNaN(layout.worksheetClose)) {
    const ids = coloured.colours.map((c) => editor.differentialStyle(c.fill, c.font));
    const idSet = new Set(ids);
    const earlier = layout.tail.find((t) => t.name === 'conditionalFormatting' && t.text !== undefined && isOurColouring(t.text, col, idSet));
    // A rerun keeps the priorities of kam's earlier rules when they are enough, so the sheet does not change run after run.
    const earlierPriorities = earlier?.text ? [...earlier.text.matchAll(/\spriority\s*=\s*"(\d+)"/g)].map((m) => Number(m[1])) : [];
    let priority = earlierPriorities.length >= coloured.colours.length ? Math.min(...earlierPriorities) - 1 : layout.maxCfPriority;
    const rules = coloured.colours
      .map((c, k) => {
        const formula = escapeXml(`"${c.text.replace(/"/g, '""')}"`);
        return `<${p}cfRule type="cellIs" dxfId="${ids[k] as number}" priority="${++priority}" operator="equal"><${p}formula>${formula}</${p}formula></${p}cfRule>`;
      })
      .join('');
    const range = rangeRef(sheet.headerRow, col, lastRow - 1, col);
    const xml = `<${p}conditionalFormatting sqref="${range}">${rules}</${p}conditionalFormatting>`;
    tail.push(earlier ? { at: earlier.start, del: earlier.end - earlier.start, text: xml } : { at: firstTail(AFTER_CONDITIONAL_FORMATS), del: 0, text: xml });
    done.coloured = true;
  }
  return { head, tail, names, done };
}

/** A new worksheet part holding a grid of cells. */
function sheetPartXml(sheet: AddedSheet, styleOf: (font: FontKind) => number): string {
  const height = sheet.cells.length;
  const width = Math.max(1, ...sheet.cells.map((r) => r.length));
  const bold = new Set(sheet.bold ?? []);
  const italic = new Set(sheet.italic ?? []);
  const rows = sheet.cells
    .map((cells, r) => {
      const s = bold.has(r) ? styleOf('bold') : italic.has(r) ? styleOf('italic') : 0;
      const xml = cells
        .map((v, c) => {
          const value = v instanceof Date ? v.toISOString().slice(0, 10) : v;
          return cellXml('', `${columnLetters(c)}${r + 1}`, s, value);
        })
        .join('');
      return xml === '' ? '' : `<row r="${r + 1}">${xml}</row>`;
    })
    .join('');
  const widths = Object.entries(sheet.columnWidths ?? {})
    .map(([c, w]) => `<col min="${Number(c) + 1}" max="${Number(c) + 1}" width="${w}" customWidth="1"/>`)
    .join('');
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n` +
    `<worksheet xmlns="${NS.main}" xmlns:r="${NS.rel}"><dimension ref="${rangeRef(0, 0, Math.max(0, height - 1), width - 1)}"/>` +
    `${widths ? `<cols>${widths}</cols>` : ''}<sheetData>${rows}</sheetData></worksheet>`
  );
}

/** Inserts `el` among `parent`'s children before the first child named in `before` (schema order). */
function insertInOrder(parent: Element, el: Element, before: readonly string[]): void {
  for (let n = parent.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && before.includes((n as Element).localName ?? '')) {
      parent.insertBefore(el, n);
      return;
    }
  }
  parent.appendChild(el);
}

/** Children of `<workbook>` that come after `<definedNames>` in the schema. */
const AFTER_DEFINED_NAMES = [
  'calcPr',
  'oleSize',
  'customWorkbookViews',
  'pivotCaches',
  'smartTagPr',
  'smartTagTypes',
  'webPublishing',
  'fileRecoveryPr',
  'webPublishObjects',
  'extLst',
];

/** Writes the edited workbook to `target`. */
export async function writeWorkbook(model: WorkbookModel, styles: Styles, additions: WorkbookAdditions, target: string): Promise<WriteOutcome> {
  const { pkg } = model;
  const editor = new StylesEditor(styles.doc);
  const replaced = new Map<string, Buffer>();
  const added: OutPart[] = [];
  /** Parts left out of the output (kam's earlier summary drawing and charts, replaced by new ones). */
  const dropped = new Set<string>();
  let sheetStream: { part: string; make: () => Promise<Readable> } | undefined;
  const outcome: WriteOutcome = { coloured: false, filtered: false, frozen: false };

  const workbookDoc = parseXml(await pkg.text(model.workbookPart), model.workbookPart);
  const wb = workbookDoc.documentElement as Element;
  const relsPart = relsPartOf(model.workbookPart);
  const relsDoc: Document = pkg.has(relsPart)
    ? parseXml(await pkg.text(relsPart), relsPart)
    : parseXml(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${NS.pkgRel}"/>`, relsPart);
  const typesDoc = parseXml(await pkg.text('[Content_Types].xml'), '[Content_Types].xml');
  const types = typesDoc.documentElement as Element;
  let packageChanged = false;
  /** A part of the output: replaces the part of that name, or is added. */
  const put = (name: string, xml: string): void => {
    if (pkg.has(name)) replaced.set(name.toLowerCase(), Buffer.from(xml, 'utf8'));
    else added.push({ name, bytes: Buffer.from(xml, 'utf8') });
  };
  const addOverride = (partName: string, contentType: string): void => {
    const override = typesDoc.createElementNS(NS.types, prefixed(types, 'Override'));
    override.setAttribute('PartName', `/${partName}`);
    override.setAttribute('ContentType', contentType);
    types.appendChild(override);
    packageChanged = true;
  };
  /** Part names not in the package: `xl/charts/chart3.xml`, … */
  const freeNames = (dir: string, stem: string, count: number): string[] => {
    const names: string[] = [];
    for (let n = 1; names.length < count; n++) if (!pkg.has(`${dir}/${stem}${n}.xml`)) names.push(`${dir}/${stem}${n}.xml`);
    return names;
  };

  // The accounts sheet: result columns, their marks, and the table that holds the data.
  const names: AddedName[] = [...(additions.names ?? [])];
  if (additions.accounts) {
    const { sheet, columns, positions } = additions.accounts;
    const part = sheet.sheet.part as string;
    const prefix = await mainPrefix(model, part);
    const neighbour = sheet.headerStyles[sheet.width - 1] ?? [...sheet.headerStyles].reverse().find((s) => s !== undefined) ?? 0;
    const colStyles = columns.map((c) => editor.cellStyle(c.numberFormat));
    const shown = additions.accounts.presentation ? presentationEdits(sheet, positions, additions.accounts.presentation, editor, prefix) : undefined;
    if (shown) {
      names.push(...shown.names);
      Object.assign(outcome, shown.done);
    }
    sheetStream = {
      part,
      make: async () => {
        const source = await pkg.stream(part);
        const splice = spliceStream(sheetEdits(sheet, columns, positions, { header: neighbour, column: colStyles }, prefix, shown));
        source.on('error', (e) => splice.destroy(e));
        return source.pipe(splice);
      },
    };
    for (const c of columns) {
      names.push({
        name: resultMarkName(c.key),
        value: markReference(sheet.sheet.name, sheet.headerRow - 1, positions.get(c.key) as number),
        scope: sheet.sheet.name,
        hidden: true,
      });
    }
    if (sheet.table) {
      const table = await growTable(model, sheet, columns, positions);
      if (table) replaced.set(table.part.toLowerCase(), Buffer.from(table.xml, 'utf8'));
    }
  }

  // A new sheet: a part, a relationship, an entry in <sheets> and a content type.
  const sheetsEl = child(wb, 'sheets') as Element;
  const addSheetEntry = (name: string, partName: string): void => {
    const rels = relsDoc.documentElement as Element;
    const ids = new Set(children(rels, 'Relationship').map((r) => r.getAttribute('Id')));
    let id = 1;
    while (ids.has(`rId${id}`)) id++;
    const rel = relsDoc.createElementNS(NS.pkgRel, prefixed(rels, 'Relationship'));
    rel.setAttribute('Id', `rId${id}`);
    rel.setAttribute('Type', REL_TYPE.worksheet);
    rel.setAttribute('Target', relativeTarget(model.workbookPart, partName));
    rels.appendChild(rel);
    const sheetIds = children(sheetsEl, 'sheet').map((e) => Number(e.getAttribute('sheetId')) || 0);
    const el = workbookDoc.createElementNS(NS.main, prefixed(sheetsEl, 'sheet'));
    el.setAttribute('name', name);
    el.setAttribute('sheetId', String(Math.max(0, ...sheetIds) + 1));
    el.setAttributeNS(NS.rel, `${wb.lookupPrefix(NS.rel) ?? 'r'}:id`, `rId${id}`);
    if (!wb.lookupPrefix(NS.rel)) wb.setAttribute('xmlns:r', NS.rel);
    sheetsEl.appendChild(el);
    addOverride(partName, WORKSHEET_CONTENT_TYPE);
  };
  const newSheetPart = (): string => {
    let n = model.sheets.length + 1;
    while (pkg.has(`xl/worksheets/sheet${n}.xml`) || added.some((a) => a.name === `xl/worksheets/sheet${n}.xml`)) n++;
    return `xl/worksheets/sheet${n}.xml`;
  };

  // Added sheets: a sheet of the same name is replaced in its part; a new one gets a part, a relationship and a content type.
  for (const s of additions.sheets ?? []) {
    const xml = sheetPartXml(s, (font) => editor.cellStyle('General', font));
    const existing = model.sheets.find((x) => x.name.toLowerCase() === s.name.toLowerCase());
    if (existing?.part && existing.isWorksheet) {
      replaced.set(existing.part.toLowerCase(), Buffer.from(xml, 'utf8'));
      continue;
    }
    const partName = newSheetPart();
    added.push({ name: partName, bytes: Buffer.from(xml, 'utf8') });
    addSheetEntry(s.name, partName);
  }

  // The summary sheet: kam's earlier one (known by its mark) is rewritten in its part, with a new drawing and charts.
  if (additions.summary) {
    const placement = summaryPlacement(model, additions.summary.name);
    let partName: string;
    if (placement.ours?.part) {
      partName = placement.ours.part;
      for (const p of await summaryOwnParts(model, partName)) dropped.add(p.toLowerCase());
    } else {
      partName = newSheetPart();
      addSheetEntry(placement.name, partName);
    }
    const drawing = freeNames('xl/drawings', 'drawing', 1)[0] as string;
    const charts = freeNames('xl/charts', 'chart', additions.summary.content.charts.length);
    const parts = summarySheetParts(additions.summary.content, {
      sheetName: placement.name,
      drawing: drawing.slice('xl/drawings/'.length),
      charts: charts.map((c) => c.slice('xl/charts/'.length)),
      styleFor: (format) => editor.cellStyle(format),
      colourOf: (label) => additions.summary?.colours?.get(label),
    });
    put(partName, parts.worksheet);
    const sheetRels = relsPartOf(partName);
    if (parts.worksheetRels && parts.drawing && parts.drawingRels) {
      put(sheetRels, parts.worksheetRels);
      dropped.delete(sheetRels.toLowerCase());
      put(drawing, parts.drawing);
      put(relsPartOf(drawing), parts.drawingRels);
      addOverride(drawing, CONTENT_TYPES.drawing);
      for (const c of parts.charts) {
        put(`xl/charts/${c.name}`, c.xml);
        addOverride(`xl/charts/${c.name}`, CONTENT_TYPES.chart);
      }
    }
    names.push({ name: SUMMARY_MARK_NAME, value: `'${placement.name.replace(/'/g, "''")}'!$A$1`, scope: placement.name, hidden: true });
    outcome.summary = { name: placement.name, replaced: placement.ours !== undefined, charts: parts.charts.length };
  }
  if (dropped.size > 0) {
    for (const o of children(types, 'Override')) if (dropped.has((o.getAttribute('PartName') ?? '').replace(/^\//, '').toLowerCase())) types.removeChild(o);
    packageChanged = true;
  }

  // Defined names: ours replace any of the same name and scope.
  if (names.length > 0) {
    const sheetIndex = new Map(children(sheetsEl, 'sheet').map((e, i) => [(e.getAttribute('name') ?? '').toLowerCase(), i]));
    let namesEl = child(wb, 'definedNames');
    if (!namesEl) {
      namesEl = workbookDoc.createElementNS(NS.main, prefixed(wb, 'definedNames'));
      insertInOrder(wb, namesEl, AFTER_DEFINED_NAMES);
    }
    for (const n of names) {
      const scope = n.scope === undefined ? undefined : sheetIndex.get(n.scope.toLowerCase());
      for (const old of children(namesEl, 'definedName')) {
        const local = old.getAttribute('localSheetId');
        const oldScope = local === null || local === '' ? undefined : Number(local);
        if ((old.getAttribute('name') ?? '').toUpperCase() === n.name.toUpperCase() && oldScope === scope) namesEl.removeChild(old);
      }
      const el = workbookDoc.createElementNS(NS.main, prefixed(namesEl, 'definedName'));
      el.setAttribute('name', n.name);
      if (scope !== undefined) el.setAttribute('localSheetId', String(scope));
      if (n.hidden) el.setAttribute('hidden', '1');
      el.appendChild(workbookDoc.createTextNode(n.value));
      namesEl.appendChild(el);
    }
  }

  replaced.set(model.workbookPart.toLowerCase(), Buffer.from(serializeXml(workbookDoc), 'utf8'));
  // The run record (docProps/custom.xml): edited in place when the package has one, added when not.
  const record = additions.properties?.length ? await customPropertiesEdit(pkg, typesDoc, additions.properties) : undefined;
  for (const p of record?.parts ?? []) if (!p.isNew) replaced.set(p.name.toLowerCase(), p.bytes);
  const recordParts: OutPart[] = (record?.parts ?? []).filter((p) => p.isNew).map((p) => ({ name: p.name, bytes: p.bytes }));
  if (record?.typesChanged) replaced.set('[content_types].xml', Buffer.from(serializeXml(typesDoc), 'utf8'));
  if (packageChanged) {
    replaced.set(relsPart.toLowerCase(), Buffer.from(serializeXml(relsDoc), 'utf8'));
    replaced.set('[content_types].xml', Buffer.from(serializeXml(typesDoc), 'utf8'));
  }
  if (editor.edited && styles.doc && model.stylesPart) replaced.set(model.stylesPart.toLowerCase(), Buffer.from(serializeXml(styles.doc), 'utf8'));

  const parts: OutPart[] = [];
  for (const p of pkg.parts) {
    const key = p.name.toLowerCase();
    const bytes = replaced.get(key);
    if (bytes) parts.push({ name: p.name, bytes });
    else if (dropped.has(key)) continue;
    else if (sheetStream && key === sheetStream.part.toLowerCase()) parts.push({ name: p.name, stream: sheetStream.make, sizeHint: p.entry.uncompressedSize });
    else parts.push({ name: p.name, copy: true });
  }
  if (!pkg.has(relsPart) && packageChanged) parts.push({ name: relsPart, bytes: replaced.get(relsPart.toLowerCase()) as Buffer });
  await writePackage(pkg, [...parts, ...added, ...recordParts], target);
  return outcome;
}

/**
 * The parts that belong to kam's earlier summary sheet and are written anew: its relationships,
 * its drawing and that drawing's relationships, and each chart with the parts only it uses (style,
 * colours). Other targets (an image a user pasted) are left in the package.
 */
async function summaryOwnParts(model: WorkbookModel, sheetPart: string): Promise<string[]> {
  const own: string[] = [];
  const sheetRels = relsPartOf(sheetPart);
  if (!model.pkg.has(sheetRels)) return own;
  own.push(sheetRels);
  for (const d of (await readRelationships(model.pkg, sheetPart)).filter((r) => !r.external && r.type === CHART_REL_TYPES.drawing)) {
    const drawing = resolveTarget(sheetPart, d.target);
    if (!model.pkg.has(drawing)) continue;
    own.push(drawing);
    if (model.pkg.has(relsPartOf(drawing))) own.push(relsPartOf(drawing));
    for (const c of (await readRelationships(model.pkg, drawing)).filter((r) => !r.external && r.type === CHART_REL_TYPES.chart)) {
      const chart = resolveTarget(drawing, c.target);
      if (!model.pkg.has(chart)) continue;
      own.push(chart);
      if (model.pkg.has(relsPartOf(chart))) own.push(relsPartOf(chart));
      for (const x of await readRelationships(model.pkg, chart)) {
        const extra = resolveTarget(chart, x.target);
        if (!x.external && /\/(colors|style)\d*\.xml$/i.test(extra) && model.pkg.has(extra)) own.push(extra);
      }
    }
  }
  return own;
}

/** The prefix a worksheet part uses for the main namespace (`x` in `<x:worksheet>`), '' when none. */
async function mainPrefix(model: WorkbookModel, part: string): Promise<string> {
  const stream = await model.pkg.stream(part);
  let head = '';
  for await (const chunk of stream) {
    head += (chunk as Buffer).toString('utf8');
    if (head.length > 4096) break;
  }
  stream.destroy();
  const m = /<(?:([A-Za-z_][\w.-]*):)?worksheet[\s>]/.exec(head);
  return m?.[1] ?? '';
}

function relativeTarget(fromPart: string, toPart: string): string {
  const dir = fromPart.split('/').slice(0, -1).join('/');
  return dir && toPart.startsWith(`${dir}/`) ? toPart.slice(dir.length + 1) : `/${toPart}`;
}

/**
 * An Excel table over the data grows to take new result columns that start right after it,
 * with a table column each (named as its header, as Excel requires).
 */
async function growTable(
  model: WorkbookModel,
  sheet: AccountsSheet,
  columns: ReadonlyArray<ResultColumn>,
  positions: ReadonlyMap<ResultKey, number>,
): Promise<{ part: string; xml: string } | undefined> {
  const table = sheet.table;
  if (!table) return undefined;
  const doc = parseXml(await model.pkg.text(table.part), table.part);
  const root = doc.documentElement as Element;
  const tableColumns = child(root, 'tableColumns');
  if (!tableColumns) return undefined;
  const list = children(tableColumns, 'tableColumn');
  const { c1, c2, r1, r2 } = table.ref;
  let changed = false;
  // Columns already inside the table (an earlier run): their names follow the headers.
  for (const c of columns) {
    const col = positions.get(c.key) as number;
    if (col >= c1 && col <= c2) {
      const el = list[col - c1];
      if (el && el.getAttribute('name') !== c.header) {
        el.setAttribute('name', c.header);
        changed = true;
      }
    }
  }
  const outside = columns
    .map((c) => ({ c, col: positions.get(c.key) as number }))
    .filter((o) => o.col > c2)
    .sort((a, b) => a.col - b.col);
  const contiguous = outside.every((o, k) => o.col === c2 + 1 + k);
  if (outside.length > 0 && contiguous) {
    const newC2 = c2 + outside.length;
    const ref = rangeRef(r1, c1, r2, newC2);
    root.setAttribute('ref', ref);
    const filter = child(root, 'autoFilter');
    if (filter) {
      const f = parseRangeRef(filter.getAttribute('ref') ?? '');
      filter.setAttribute('ref', f ? rangeRef(f.r1, f.c1, f.r2, newC2) : ref);
    }
    let id = Math.max(0, ...list.map((e) => Number(e.getAttribute('id')) || 0));
    for (const o of outside) {
      const el = doc.createElementNS(NS.main, prefixed(tableColumns, 'tableColumn'));
      el.setAttribute('id', String(++id));
      el.setAttribute('name', o.c.header);
      tableColumns.appendChild(el);
    }
    tableColumns.setAttribute('count', String(list.length + outside.length));
    changed = true;
  }
  return changed ? { part: table.part, xml: serializeXml(doc) } : undefined;
}

export { escapeXml, readRelationships };
