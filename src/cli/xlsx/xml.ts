/** XML helpers for the small parts kam edits whole (workbook, relationships, content types, styles, tables). */
import { DOMParser, XMLSerializer, type Document, type Element } from '@xmldom/xmldom';
import { columnLetters } from '../../engine/cells';

export const NS = {
  main: 'http://schemas.openxmlformats.org/spreadsheetml/2006/main',
  rel: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships',
  pkgRel: 'http://schemas.openxmlformats.org/package/2006/relationships',
  types: 'http://schemas.openxmlformats.org/package/2006/content-types',
} as const;

export const REL_TYPE = {
  officeDocument: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument',
  worksheet: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet',
  sharedStrings: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings',
  styles: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles',
  table: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/table',
} as const;

export const WORKSHEET_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml';

/** Parses a part; a malformed part is an error naming it. */
export function parseXml(text: string, part: string): Document {
  return new DOMParser({
    onError: (level, message) => {
      if (level !== 'warning') throw new Error(`${part}: ${message}`);
    },
  }).parseFromString(text, 'text/xml');
}

export function serializeXml(doc: Document): string {
  return new XMLSerializer().serializeToString(doc);
}

/** Child elements by local name (prefixes vary between writers: `x:sheet` is `sheet`). */
export function children(parent: Element, localName: string): Element[] {
  const found: Element[] = [];
  for (let n = parent.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && (n as Element).localName === localName) found.push(n as Element);
  }
  return found;
}

export function child(parent: Element, localName: string): Element | undefined {
  return children(parent, localName)[0];
}

/** Escapes text for element content or an attribute value. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"]/g, (ch) => (ch === '&' ? '&amp;' : ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : '&quot;'));
}

/**
 * Text as Excel stores it in a cell: `_xHHHH_` escapes the characters XML cannot hold (and a
 * literal `_x…_` in the text, so Excel does not decode it), then XML escaping.
 */
export function cellTextXml(text: string): string {
  const excel = text
    .replace(/_x([0-9A-Fa-f]{4})_/g, '_x005F_x$1_')

    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, (ch) => `_x${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_`);
  return escapeXml(excel);
}

/** Decodes Excel's `_xHHHH_` escapes in a cell's text. */
export function decodeCellText(text: string): string {
  return text.indexOf('_x') < 0 ? text : text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** Zero-based column of letters (`A` → 0). */
export function columnIndex(letters: string): number {
  let n = 0;
  for (let i = 0; i < letters.length; i++) n = n * 26 + (letters.charCodeAt(i) & 0x1f);
  return n - 1;
}

/** Letters of a zero-based column (`0` → `A`): the engine's. */
export { columnLetters };

/** `B12` → { row: 11, col: 1 } (zero-based); undefined when it is not a cell reference. */
export function parseCellRef(ref: string): { row: number; col: number } | undefined {
  // The common case (`AB12`, as every writer stores a cell's r), without a regular expression.
  let col = 0;
  let row = 0;
  let i = 0;
  for (; i < ref.length && i < 3; i++) {
    const ch = ref.charCodeAt(i);
    if (ch >= 65 && ch <= 90) col = col * 26 + ch - 64;
    else break;
  }
  const letters = i;
  for (; i < ref.length; i++) {
    const ch = ref.charCodeAt(i);
    if (ch >= 48 && ch <= 57) row = row * 10 + ch - 48;
    else break;
  }
  if (letters > 0 && i === ref.length && i > letters && row > 0) return { row: row - 1, col: col - 1 };
  const m = /^\$?([A-Za-z]{1,3})\$?(\d{1,7})$/.exec(ref);
  if (!m) return undefined;
  return { col: columnIndex((m[1] as string).toUpperCase()), row: Number(m[2]) - 1 };
}

/** `A1:F41` → zero-based corners; a single cell is a one-cell range. */
export function parseRangeRef(ref: string): { r1: number; c1: number; r2: number; c2: number } | undefined {
  const [a, b] = ref.split(':');
  const start = a ? parseCellRef(a) : undefined;
  const end = b ? parseCellRef(b) : start;
  if (!start || !end) return undefined;
  return { r1: start.row, c1: start.col, r2: end.row, c2: end.col };
}

export function rangeRef(r1: number, c1: number, r2: number, c2: number): string {
  const a = `${columnLetters(c1)}${r1 + 1}`;
  const b = `${columnLetters(c2)}${r2 + 1}`;
  return a === b ? a : `${a}:${b}`;
}

/** Resolves a relationship target against the part that holds the relationship. */
export function resolveTarget(sourcePart: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const base = sourcePart.split('/').slice(0, -1);
  for (const seg of target.split('/')) {
    if (seg === '..') base.pop();
    else if (seg !== '.' && seg !== '') base.push(seg);
  }
  return base.join('/');
}

/** The relationships part of a part: `xl/workbook.xml` → `xl/_rels/workbook.xml.rels`. */
export function relsPartOf(part: string): string {
  const i = part.lastIndexOf('/');
  return `${part.slice(0, i + 1)}_rels/${part.slice(i + 1)}.rels`;
}
