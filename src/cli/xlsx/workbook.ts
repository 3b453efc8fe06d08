/**
 * The parts of a workbook package kam needs to know: its sheets, names, shared strings, which
 * styles show dates, and the tables on a sheet. Read from the package without loading the sheets.
 */
import { SaxesParser } from 'saxes';
import type { Element } from '@xmldom/xmldom';
import { child, children, decodeCellText, NS, parseRangeRef, parseXml, REL_TYPE, relsPartOf, resolveTarget } from './xml';
import type { ZipPackage } from './zip';
import { MAX_PART_IN_MEMORY } from './zip';

export interface Relationship {
  id: string;
  type: string;
  target: string;
  external: boolean;
}

export interface SheetInfo {
  name: string;
  /** Position among the workbook's sheets (what a defined name's localSheetId counts). */
  index: number;
  relId: string;
  /** The sheet's part, e.g. `xl/worksheets/sheet1.xml`; undefined when its relationship is broken. */
  part: string | undefined;
  /** Worksheets hold cells; chart sheets and dialog sheets do not. */
  isWorksheet: boolean;
}

export interface DefinedName {
  name: string;
  localSheetId: number | undefined;
  value: string;
}

export interface TableInfo {
  part: string;
  /** The table's name as Excel shows it (displayName), for --contacts/--needs to name it. */
  name: string;
  ref: { r1: number; c1: number; r2: number; c2: number };
  headerRows: number;
  totalsRows: number;
}

export interface WorkbookModel {
  pkg: ZipPackage;
  workbookPart: string;
  sheets: SheetInfo[];
  definedNames: DefinedName[];
  date1904: boolean;
  sharedStringsPart: string | undefined;
  stylesPart: string | undefined;
}

export async function readRelationships(pkg: ZipPackage, part: string): Promise<Relationship[]> {
  const relsPart = relsPartOf(part);
  if (!pkg.has(relsPart)) return [];
  const doc = parseXml(await pkg.text(relsPart), relsPart);
  const root = doc.documentElement;
  if (!root) return [];
  return children(root, 'Relationship').map((r) => ({
    id: r.getAttribute('Id') ?? '',
    type: r.getAttribute('Type') ?? '',
    target: r.getAttribute('Target') ?? '',
    external: r.getAttribute('TargetMode') === 'External',
  }));
}

export async function readWorkbookModel(pkg: ZipPackage): Promise<WorkbookModel> {
  const rootRels = await readRelationships(pkg, '');
  const office = rootRels.find((r) => r.type === REL_TYPE.officeDocument || r.type.endsWith('/officeDocument'));
  const workbookPart = office ? resolveTarget('', office.target) : 'xl/workbook.xml';
  if (!pkg.has(workbookPart)) throw new Error(`no workbook part (${workbookPart})`);
  const doc = parseXml(await pkg.text(workbookPart), workbookPart);
  const root = doc.documentElement as Element;
  const rels = await readRelationships(pkg, workbookPart);
  const relById = new Map(rels.map((r) => [r.id, r]));
  const sheetsEl = child(root, 'sheets');
  const sheets: SheetInfo[] = (sheetsEl ? children(sheetsEl, 'sheet') : []).map((s, index) => {
    const relId = s.getAttributeNS(NS.rel, 'id') ?? s.getAttribute('r:id') ?? '';
    const rel = relById.get(relId);
    const part = rel && !rel.external ? resolveTarget(workbookPart, rel.target) : undefined;
    return { name: s.getAttribute('name') ?? '', index, relId, part: part && pkg.has(part) ? part : undefined, isWorksheet: rel?.type === REL_TYPE.worksheet };
  });
  const namesEl = child(root, 'definedNames');
  const definedNames: DefinedName[] = (namesEl ? children(namesEl, 'definedName') : []).map((n) => {
    const local = n.getAttribute('localSheetId');
    return { name: n.getAttribute('name') ?? '', localSheetId: local === null || local === '' ? undefined : Number(local), value: n.textContent ?? '' };
  });
  const pr = child(root, 'workbookPr');
  const date1904 = pr ? ['1', 'true'].includes(pr.getAttribute('date1904') ?? '') : false;
  const partOf = (type: string): string | undefined => {
    const rel = rels.find((r) => r.type === type);
    const part = rel ? resolveTarget(workbookPart, rel.target) : undefined;
    return part && pkg.has(part) ? part : undefined;
  };
  return { pkg, workbookPart, sheets, definedNames, date1904, sharedStringsPart: partOf(REL_TYPE.sharedStrings), stylesPart: partOf(REL_TYPE.styles) };
}

/**
 * Runs a streaming parse of a part. `onChunk` sees each decoded chunk first, so callers can map
 * the parser's positions (UTF-16 code units) back to bytes.
 */
export async function streamXml(
  pkg: ZipPackage,
  part: string,
  handlers: (parser: SaxesParser) => void,
  options: { limit?: number; onChunk?: (text: string, bytes: number) => void } = {},
): Promise<void> {
  const parser = new SaxesParser({ position: false });
  handlers(parser);
  // The byte-order mark is kept in the decoded text only to count its bytes; the parser never sees it.
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  let first = true;
  for await (const chunk of await pkg.stream(part, options.limit)) {
    let text = decoder.decode(chunk as Buffer, { stream: true });
    if (first && text !== '') {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) {
        options.onChunk?.('', 3);
        text = text.slice(1);
      }
    }
    if (options.onChunk) options.onChunk(text, Buffer.byteLength(text));
    parser.write(text);
  }
  const rest = decoder.decode();
  if (rest) {
    options.onChunk?.(rest, Buffer.byteLength(rest));
    parser.write(rest);
  }
  parser.close();
}

const localName = (name: string): string => {
  const i = name.indexOf(':');
  return i < 0 ? name : name.slice(i + 1);
};

/** The shared strings, in order: plain and rich text as their text (phonetic runs left out). */
export async function readSharedStrings(model: WorkbookModel): Promise<string[]> {
  const part = model.sharedStringsPart;
  if (!part) return [];
  const strings: string[] = [];
  let text = '';
  let inT = false;
  let phonetic = 0;
  await streamXml(
    model.pkg,
    part,
    (p) => {
      p.on('opentag', (tag) => {
        const name = localName(tag.name);
        if (name === 'si') text = '';
        else if (name === 't' && phonetic === 0) inT = !tag.isSelfClosing;
        else if (name === 'rPh') phonetic++;
      });
      p.on('text', (t) => {
        if (inT) text += t;
      });
      p.on('closetag', (tag) => {
        const name = localName(tag.name);
        if (name === 't') inT = false;
        else if (name === 'rPh') phonetic--;
        else if (name === 'si') strings.push(decodeCellText(text));
      });
    },
    { limit: MAX_PART_IN_MEMORY },
  );
  return strings;
}

/** Built-in number formats that show dates or times. */
const DATE_FORMAT_IDS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

/** Whether a format code shows a date or time: d, m, y, h or s outside quotes, brackets and escapes. */
export function isDateFormat(code: string): boolean {
  const bare = code
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/\[[^\]]*\]/g, '')
    .split(';')[0] as string;
  return /[dmyhs]/i.test(bare.replace(/General/gi, ''));
}

export interface Styles {
  doc: ReturnType<typeof parseXml> | undefined;
  /** By cell style index (`s`): whether the cell shows a date. */
  dateStyle: boolean[];
}

export async function readStyles(model: WorkbookModel): Promise<Styles> {
  const part = model.stylesPart;
  if (!part) return { doc: undefined, dateStyle: [] };
  const doc = parseXml(await model.pkg.text(part), part);
  const root = doc.documentElement as Element;
  const custom = new Map<number, string>();
  const numFmts = child(root, 'numFmts');
  for (const f of numFmts ? children(numFmts, 'numFmt') : []) custom.set(Number(f.getAttribute('numFmtId')), f.getAttribute('formatCode') ?? '');
  const xfs = child(root, 'cellXfs');
  const dateStyle = (xfs ? children(xfs, 'xf') : []).map((xf) => {
    const id = Number(xf.getAttribute('numFmtId') ?? 0);
    const code = custom.get(id);
    return code !== undefined ? isDateFormat(code) : DATE_FORMAT_IDS.has(id);
  });
  return { doc, dateStyle };
}

/** The tables (Excel "Format as Table") on a sheet, in the order the sheet lists them. */
export async function readTables(model: WorkbookModel, sheetPart: string): Promise<TableInfo[]> {
  const rels = await readRelationships(model.pkg, sheetPart);
  const tables: TableInfo[] = [];
  for (const rel of rels.filter((r) => r.type === REL_TYPE.table && !r.external)) {
    const part = resolveTarget(sheetPart, rel.target);
    if (!model.pkg.has(part)) continue;
    const root = parseXml(await model.pkg.text(part), part).documentElement as Element;
    const ref = parseRangeRef(root.getAttribute('ref') ?? '');
    if (!ref) continue;
    const headerRows = root.getAttribute('headerRowCount') === '0' ? 0 : 1;
    const totalsRows = Number(root.getAttribute('totalsRowCount') ?? 0) || 0;
    const name = root.getAttribute('displayName') ?? root.getAttribute('name') ?? '';
    tables.push({ part, name, ref, headerRows, totalsRows });
  }
  return tables;
}

/** A serial date of the workbook as a JavaScript date (UTC). */
export function serialToDate(serial: number, date1904: boolean): Date {
  const epoch = date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 30);
  // Excel's 1900 system counts a 29 February 1900 that never was: serials before it are a day off.
  const days = !date1904 && serial < 61 ? serial + 1 : serial;
  return new Date(epoch + Math.round(days * 86400000));
}
