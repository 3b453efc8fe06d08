/**
 * One streaming pass over a worksheet part: every row's cells as the engine reads them (a
 * formula's saved result, shared and inline strings, ISO and serial dates as dates, errors by
 * name), and where in the part's bytes each row ends, so that the writer can later copy the part
 * unchanged and insert cells at those byte offsets without parsing it again.
 */
import type { SaxesParser, SaxesTagPlain } from 'saxes';
import type { InputCell } from '../table';
import { decodeCellText, parseCellRef, parseRangeRef } from './xml';
import { serialToDate, streamXml, type WorkbookModel } from './workbook';

/** The rows of an Excel sheet. */
export const MAX_ROWS = 1_048_576;

const localName = (name: string): string => {
  const i = name.indexOf(':');
  return i < 0 ? name : name.slice(i + 1);
};

/** Maps the parser's positions (UTF-16 code units of the decoded text) to byte offsets in the part. */
class ByteMap {
  private chunks: Array<{ char: number; byte: number; text: string; ascii: boolean; cacheChar: number; cacheByte: number }> = [];
  private chars = 0;
  private bytes = 0;

  add(text: string, bytes: number): void {
    this.chunks.push({ char: this.chars, byte: this.bytes, text, ascii: bytes === text.length, cacheChar: 0, cacheByte: 0 });
    this.chars += text.length;
    this.bytes += bytes;
  }

  /** Forgets the text before `pos`: no later question is about it. */
  release(pos: number): void {
    let drop = 0;
    while (drop < this.chunks.length - 1) {
      const next = this.chunks[drop + 1] as { char: number };
      if (next.char > pos) break;
      drop++;
    }
    if (drop > 0) this.chunks.splice(0, drop);
  }

  /** The text between two positions still mapped. */
  textBetween(from: number, to: number): string {
    let text = '';
    for (const c of this.chunks) {
      const end = c.char + c.text.length;
      if (end <= from || c.char >= to) continue;
      text += c.text.slice(Math.max(0, from - c.char), Math.min(c.text.length, to - c.char));
    }
    return text;
  }

  toByte(pos: number): number {
    for (let k = this.chunks.length - 1; k >= 0; k--) {
      const c = this.chunks[k] as ByteMap['chunks'][number];
      if (c.char > pos) continue;
      const within = pos - c.char;
      if (c.ascii) return c.byte + within;
      if (within < c.cacheChar) {
        c.cacheChar = 0;
        c.cacheByte = 0;
      }
      c.cacheByte += Buffer.byteLength(c.text.slice(c.cacheChar, within));
      c.cacheChar = within;
      return c.byte + c.cacheByte;
    }
    throw new Error(`position ${pos} is no longer mapped`);
  }
}

/** A growable list of numbers in a typed array. */
export class NumberList {
  data: Float64Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Float64Array(capacity);
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }
}

/**
 * Byte offsets in a sheet part where cells may be inserted or replaced. Rows are 1-based sheet
 * row numbers; columns are zero-based.
 */
export interface SheetLayout {
  /** Where a cell added at the end of row r goes (after its last cell); NaN when the row is absent or empty-tagged. */
  rowEnd: Float64Array;
  /** Byte range of the value of row r's `spans` attribute (NaN when it has none), and the first column it names. */
  spans: { start: Float64Array; end: Float64Array; first: Int32Array; last: Int32Array };
  /** Cells worth knowing (see `watch`): row, column, byte start (before the cell), byte end (after it). */
  spots: { row: NumberList; col: NumberList; start: NumberList; end: NumberList };
  /** Byte range of `<dimension …/>`, and its ref. */
  dimension: { start: number; end: number; ref: string } | undefined;
  /** Where a `<cols>` element would go (before `<sheetData>`). */
  beforeSheetData: number;
  /** The `<col>` elements: min, max (1-based, as in the file) and byte start; and where `</cols>` starts. */
  cols: { entries: Array<{ min: number; max: number; start: number }>; close: number } | undefined;
  /** The merged ranges (zero-based). */
  merges: Array<{ r1: number; c1: number; r2: number; c2: number }>;
  /**
   * The sheet's views: the first `<sheetView>` start tag (its bytes and text, to put a frozen pane
   * in it), whether any view has a `<pane>` (split or frozen) of its own, and where a new
   * `<sheetViews>` would go when there is none.
   */
  views: { firstView: { start: number; end: number; tag: string; selfClosing: boolean } | undefined; hasPane: boolean; present: boolean; insertAt: number };
  /** The worksheet's children after `<sheetData>`, in order, with their bytes; conditional formats keep their text. */
  tail: Array<{ name: string; start: number; end: number; text?: string }>;
  /** Where `</worksheet>` starts. */
  worksheetClose: number;
  /** The highest conditional-format rule priority in the sheet (0 when none). */
  maxCfPriority: number;
}

/** A cell as the scan reports it. */
export interface ScannedRow {
  /** 1-based sheet row. */
  row: number;
  count: number;
  cols: number[];
  values: InputCell[];
  styles: number[];
}

export interface ScanOptions {
  sharedStrings: readonly string[];
  dateStyle: readonly boolean[];
  date1904: boolean;
  /** Columns whose cells' positions are recorded, with the position of the cell after them (marked result columns). */
  watch: readonly number[];
  /** Whether row r's cells are wanted as values at all (rows outside the data are skipped cheaply). */
  wantRow: (row: number) => boolean;
  onRow: (row: ScannedRow) => void;
  /** Called once the sheet's cells are all read. */
  limit?: number;
}

export interface ScanResult {
  layout: SheetLayout;
  /** Last column holding a value anywhere (zero-based; -1 when none). */
  lastColumn: number;
}

/** Streams a worksheet part once. */
export async function scanSheet(model: WorkbookModel, part: string, options: ScanOptions): Promise<ScanResult> {
  const map = new ByteMap();
  const layout: SheetLayout = {
    rowEnd: new Float64Array(MAX_ROWS + 2).fill(NaN),
    spans: { start: new Float64Array(MAX_ROWS + 2).fill(NaN), end: new Float64Array(MAX_ROWS + 2), first: new Int32Array(MAX_ROWS + 2), last: new Int32Array(MAX_ROWS + 2) },
    spots: { row: new NumberList(), col: new NumberList(), start: new NumberList(), end: new NumberList() },
    dimension: undefined,
    beforeSheetData: NaN,
    cols: undefined,
    merges: [],
    views: { firstView: undefined, hasPane: false, present: false, insertAt: NaN },
    tail: [],
    worksheetClose: NaN,
    maxCfPriority: 0,
  };
  // Element depth outside the cells (the worksheet is 1), and the open child after sheetData.
  let depth = 0;
  let afterSheetData = false;
  let tailOpen: { name: string; start: number; startChar: number } | undefined;
  const { sharedStrings, dateStyle, date1904, watch } = options;
  const watched = new Set([...watch].sort((a, b) => a - b));
  let lastColumn = -1;
  // Valueless cells past the widest value seen so far may sit where new columns go: they are recorded.
  let runningWidth = -1;

  let parser: SaxesParser;
  let lastEnd = 0;
  let inSheetData = false;
  let rowNumber = 0;
  let rowWanted = false;
  let prevCol = -1;
  let rowInsert = NaN;
  const row: ScannedRow = { row: 0, count: 0, cols: [], values: [], styles: [] };
  // The cell being read.
  let cellCol = 0;
  let cellType = '';
  let cellStyle = 0;
  let cellStart = 0;
  let capture: 'v' | 'f' | 't' | '' = '';
  let inIs = false;
  let phonetic = 0;
  let v = '';
  let hasV = false;
  let f = '';
  let hasF = false;
  let sharedIndex = '';
  let inline = '';
  let hasInline = false;
  const sharedFormulas = new Map<string, string>();

  const cellValue = (): InputCell => {
    if (!hasV && !hasInline) {
      if (!hasF) return null;
      const formula = f !== '' ? f : (sharedFormulas.get(sharedIndex) ?? '');
      return { formulaWithoutResult: formula };
    }
    switch (cellType) {
      case 's': {
        const s = sharedStrings[Number(v)];
        return s === undefined ? null : s;
      }
      case 'str':
        return decodeCellText(v);
      case 'inlineStr':
        return hasInline ? decodeCellText(inline) : decodeCellText(v);
      case 'b':
        return v.trim() === '1' || v.trim().toLowerCase() === 'true';
      case 'e':
        return v.trim();
      case 'd': {
        const iso = v.trim();
        const withZone = /[zZ]|[+-]\d\d:?\d\d$/.test(iso) || !iso.includes('T') ? iso : `${iso}Z`;
        const d = new Date(/^T/.test(withZone) ? `1899-12-31${withZone}` : withZone);
        return Number.isNaN(d.getTime()) ? iso : d;
      }
      default: {
        const n = Number(v);
        if (v.trim() === '' || !Number.isFinite(n)) return v;
        return dateStyle[cellStyle] ? serialToDate(n, date1904) : n;
      }
    }
  };

  const spot = (col: number, start: number, end: number): void => {
    layout.spots.row.push(rowNumber);
    layout.spots.col.push(col);
    layout.spots.start.push(map.toByte(start));
    layout.spots.end.push(map.toByte(end));
  };

  const onOpen = (tag: SaxesTagPlain): void => {
    const name = localName(tag.name);
    if (inSheetData) {
      if (name === 'c') {
        const a = tag.attributes;
        const ref = a.r !== undefined ? parseCellRef(a.r) : undefined;
        cellCol = ref ? ref.col : prevCol + 1;
        cellType = a.t ?? '';
        cellStyle = a.s !== undefined ? Number(a.s) : 0;
        cellStart = lastEnd;
        v = '';
        f = '';
        inline = '';
        hasV = hasF = hasInline = false;
        sharedIndex = a.si ?? '';
        // A watched column this row skips: its cell would go before this one.
        if (watched.size > 0) for (const w of watched) if (w > prevCol && w < cellCol) spot(w, cellStart, cellStart);
      } else if (name === 'v') {
        capture = 'v';
        hasV = true;
      } else if (name === 'f') {
        capture = 'f';
        hasF = true;
        if (tag.attributes.t === 'shared' && tag.attributes.si !== undefined) sharedIndex = tag.attributes.si;
      } else if (name === 'is') {
        inIs = true;
        hasInline = true;
      } else if (name === 'rPh') {
        phonetic++;
      } else if (name === 't' && inIs && phonetic === 0) {
        capture = 't';
      } else if (name === 'row') {
        rowNumber = tag.attributes.r !== undefined ? Number(tag.attributes.r) : rowNumber + 1;
        rowWanted = options.wantRow(rowNumber);
        prevCol = -1;
        row.row = rowNumber;
        row.count = 0;
        rowInsert = tag.isSelfClosing ? NaN : parser.position;
        map.release(lastEnd);
        // The spans hint (first:last column of the row's cells) is widened when cells are added.
        const spans = tag.attributes.spans;
        if (spans !== undefined && rowNumber >= 1 && rowNumber <= MAX_ROWS) {
          const tagText = map.textBetween(lastEnd, parser.position);
          const at = /\sspans\s*=\s*(["'])([^"']*)\1/.exec(tagText);
          const range = /^\s*(\d+):(?:.*\D)?(\d+)\s*$/.exec(spans);
          if (at && range) {
            const valueStart = lastEnd + at.index + at[0].length - 1 - (at[2] as string).length;
            layout.spans.start[rowNumber] = map.toByte(valueStart);
            layout.spans.end[rowNumber] = map.toByte(valueStart + (at[2] as string).length);
            layout.spans.first[rowNumber] = Number(range[1]);
            layout.spans.last[rowNumber] = Number(range[2]);
          }
        }
      }
    } else if (name === 'sheetData') {
      layout.beforeSheetData = map.toByte(lastEnd);
      if (Number.isNaN(layout.views.insertAt)) layout.views.insertAt = layout.beforeSheetData;
      inSheetData = !tag.isSelfClosing;
      if (tag.isSelfClosing) afterSheetData = true;
    } else if (outsideCells(tag, name) && name === 'dimension') {
      layout.dimension = { start: map.toByte(lastEnd), end: map.toByte(parser.position), ref: tag.attributes.ref ?? '' };
    } else if (name === 'cols') {
      layout.cols = { entries: [], close: NaN };
    } else if (name === 'col' && layout.cols) {
      layout.cols.entries.push({ min: Number(tag.attributes.min), max: Number(tag.attributes.max), start: map.toByte(lastEnd) });
    } else if (name === 'mergeCell') {
      const r = parseRangeRef(tag.attributes.ref ?? '');
      if (r) layout.merges.push(r);
    }
    lastEnd = parser.position;
  };

  /** Records the worksheet's children and views outside the cells; always true (it only looks). */
  const outsideCells = (tag: SaxesTagPlain, name: string): boolean => {
    const level = depth + 1; // the level this tag opens at (depth counts its ancestors)
    if (!tag.isSelfClosing) depth++;
    if (level === 2 && afterSheetData) {
      tailOpen = { name, start: map.toByte(lastEnd), startChar: lastEnd };
      if (tag.isSelfClosing) {
        layout.tail.push({ name, start: tailOpen.start, end: map.toByte(parser.position) });
        tailOpen = undefined;
      }
    }
    if (level === 2 && (name === 'sheetFormatPr' || name === 'cols') && Number.isNaN(layout.views.insertAt)) layout.views.insertAt = map.toByte(lastEnd);
    if (name === 'sheetViews' && level === 2) layout.views.present = true;
    else if (name === 'sheetView' && level === 3 && !layout.views.firstView) {
      layout.views.firstView = { start: map.toByte(lastEnd), end: map.toByte(parser.position), tag: map.textBetween(lastEnd, parser.position), selfClosing: tag.isSelfClosing };
    } else if (name === 'pane' && level === 4) layout.views.hasPane = true;
    else if (name === 'cfRule') {
      const priority = Number(tag.attributes.priority);
      if (Number.isFinite(priority) && priority > layout.maxCfPriority) layout.maxCfPriority = priority;
    }
    return true;
  };

  const onText = (text: string): void => {
    if (capture === 'v') v += text;
    else if (capture === 'f') f += text;
    else if (capture === 't') inline += text;
  };

  const onClose = (tag: SaxesTagPlain): void => {
    const name = localName(tag.name);
    if (inSheetData) {
      if (name === 'c') {
        const end = parser.position;
        const hasValue = hasV || hasInline || hasF;
        if (watched.has(cellCol) || (!hasValue && cellCol > runningWidth)) spot(cellCol, cellStart, end);
        if (hasValue && cellCol > lastColumn) lastColumn = cellCol;
        if (hasValue && cellCol > runningWidth) runningWidth = cellCol;
        if (hasF && f !== '' && sharedIndex !== '' && !sharedFormulas.has(sharedIndex)) sharedFormulas.set(sharedIndex, f);
        if (rowWanted && hasValue) {
          const k = row.count++;
          row.cols[k] = cellCol;
          row.values[k] = cellValue();
          row.styles[k] = cellStyle;
        }
        prevCol = cellCol;
        rowInsert = end;
      } else if (name === 'v' || name === 'f' || (name === 't' && capture === 't')) {
        capture = '';
      } else if (name === 'is') {
        inIs = false;
      } else if (name === 'rPh') {
        phonetic--;
      } else if (name === 'row') {
        if (watched.size > 0) for (const w of watched) if (w > prevCol && !Number.isNaN(rowInsert)) spot(w, rowInsert, rowInsert);
        if (rowNumber >= 1 && rowNumber <= MAX_ROWS) layout.rowEnd[rowNumber] = Number.isNaN(rowInsert) ? NaN : map.toByte(rowInsert);
        if (rowWanted && row.count > 0) options.onRow(row);
      } else if (name === 'sheetData') {
        inSheetData = false;
        afterSheetData = true;
      }
    } else {
      if (name === 'cols' && layout.cols) layout.cols.close = map.toByte(lastEnd);
      if (!tag.isSelfClosing) {
        if (depth === 2 && tailOpen) {
          const end = map.toByte(parser.position);
          layout.tail.push({
            name: tailOpen.name,
            start: tailOpen.start,
            end,
            ...(tailOpen.name === 'conditionalFormatting' ? { text: map.textBetween(tailOpen.startChar, parser.position) } : {}),
          });
          tailOpen = undefined;
        }
        if (depth === 1) layout.worksheetClose = map.toByte(lastEnd);
        depth--;
      }
    }
    lastEnd = parser.position;
  };

  await streamXml(
    model.pkg,
    part,
    (p) => {
      parser = p;
      p.on('opentag', onOpen);
      p.on('text', onText);
      p.on('closetag', onClose);
    },
    { onChunk: (text, bytes) => map.add(text, bytes), ...(options.limit !== undefined ? { limit: options.limit } : {}) },
  );
  return { layout, lastColumn };
}
