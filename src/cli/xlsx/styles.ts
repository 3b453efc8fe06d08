/** Adds the few cell styles kam needs to a workbook's styles part, reusing what is there. */
import type { Document, Element } from '@xmldom/xmldom';
import { child, children, NS } from './xml';

/** Built-in number formats kam may ask for (Excel never stores these codes). */
const BUILT_IN: Readonly<Record<string, number>> = { General: 0, '0': 1, '0.00': 2, '#,##0': 3, '#,##0.00': 4, '0%': 9, '0.00%': 10, '@': 49 };

export type FontKind = 'regular' | 'bold' | 'italic';

export class StylesEditor {
  private changed = false;
  private readonly cache = new Map<string, number>();

  constructor(private readonly doc: Document | undefined) {}

  get edited(): boolean {
    return this.changed;
  }

  private root(): Element | undefined {
    return this.doc?.documentElement ?? undefined;
  }

  /** A section (numFmts, fonts, cellXfs), created in its schema place when missing. */
  private section(name: 'numFmts' | 'fonts' | 'cellXfs'): Element {
    const root = this.root() as Element;
    const found = child(root, name);
    if (found) return found;
    const el = (this.doc as Document).createElementNS(NS.main, prefixed(root, name));
    // Order in the schema: numFmts, fonts, fills, borders, cellStyleXfs, cellXfs, …
    const after = { numFmts: [], fonts: ['numFmts'], cellXfs: ['cellStyleXfs', 'borders', 'fills', 'fonts', 'numFmts'] }[name];
    const anchor = after.map((a) => child(root, a)).find((e) => e !== undefined);
    root.insertBefore(el, anchor ? anchor.nextSibling : root.firstChild);
    return el;
  }

  private numFmtId(code: string): number {
    const builtIn = BUILT_IN[code];
    if (builtIn !== undefined) return builtIn;
    const fmts = this.section('numFmts');
    const existing = children(fmts, 'numFmt');
    const same = existing.find((f) => f.getAttribute('formatCode') === code);
    if (same) return Number(same.getAttribute('numFmtId'));
    const id = Math.max(163, ...existing.map((f) => Number(f.getAttribute('numFmtId')) || 0)) + 1;
    const el = (this.doc as Document).createElementNS(NS.main, prefixed(fmts, 'numFmt'));
    el.setAttribute('numFmtId', String(id));
    el.setAttribute('formatCode', code);
    fmts.appendChild(el);
    fmts.setAttribute('count', String(existing.length + 1));
    this.changed = true;
    return id;
  }

  private fontId(kind: FontKind): number {
    if (kind === 'regular') return 0;
    const fonts = this.section('fonts');
    const list = children(fonts, 'font');
    const base = list[0];
    if (!base) return 0;
    const el = base.cloneNode(true) as Element;
    for (const old of [...children(el, 'b'), ...children(el, 'i')]) el.removeChild(old);
    el.insertBefore((this.doc as Document).createElementNS(NS.main, prefixed(fonts, kind === 'bold' ? 'b' : 'i')), el.firstChild);
    // A font like it already there (an earlier run's) is reused, so the styles do not grow run after run.
    const same = list.findIndex((f) => f.toString() === el.toString());
    if (same >= 0) return same;
    fonts.appendChild(el);
    fonts.setAttribute('count', String(list.length + 1));
    this.changed = true;
    return list.length;
  }

  /**
   * The index of a differential format (for a conditional format) with this fill and font colour
   * ("#RRGGBB"), added to `<dxfs>` when the workbook has none like it.
   */
  differentialStyle(fill: string, font: string): number {
    const root = this.root();
    if (!root) return 0;
    const argb = (hex: string): string => `FF${hex.replace(/^#/, '').toUpperCase()}`;
    let dxfs = child(root, 'dxfs');
    if (!dxfs) {
      dxfs = (this.doc as Document).createElementNS(NS.main, prefixed(root, 'dxfs'));
      // Order in the schema: … cellXfs, cellStyles, dxfs, tableStyles, colors, extLst.
      const anchor = ['cellStyles', 'cellXfs', 'cellStyleXfs', 'borders', 'fills', 'fonts', 'numFmts'].map((a) => child(root, a)).find((e) => e !== undefined);
      root.insertBefore(dxfs, anchor ? anchor.nextSibling : root.firstChild);
      dxfs.setAttribute('count', '0');
    }
    const list = children(dxfs, 'dxf');
    const same = list.findIndex((d) => dxfColours(d) === `${argb(font)}|${argb(fill)}`);
    if (same >= 0) return same;
    const make = (parent: Element, local: string): Element => {
      const el = (this.doc as Document).createElementNS(NS.main, prefixed(dxfs, local));
      parent.appendChild(el);
      return el;
    };
    const dxf = make(dxfs, 'dxf');
    make(make(dxf, 'font'), 'color').setAttribute('rgb', argb(font));
    make(make(make(dxf, 'fill'), 'patternFill'), 'bgColor').setAttribute('rgb', argb(fill));
    dxfs.setAttribute('count', String(list.length + 1));
    this.changed = true;
    return list.length;
  }

  /** The index (`s`) of a cell style with this number format and font, added when missing. */
  cellStyle(numberFormat: string, font: FontKind = 'regular'): number {
    const key = `${font}\u0000${numberFormat}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    if (!this.root()) return 0; // a package without styles: cells keep the default look
    if (numberFormat === 'General' && font === 'regular') return 0;
    const numFmtId = this.numFmtId(numberFormat);
    const fontId = this.fontId(font);
    const xfs = this.section('cellXfs');
    const list = children(xfs, 'xf');
    const plain = (xf: Element): boolean =>
      xf.firstChild === null &&
      ['fillId', 'borderId', 'xfId'].every((a) => (xf.getAttribute(a) ?? '0') === '0') &&
      xf.getAttribute('numFmtId') === String(numFmtId) &&
      (xf.getAttribute('fontId') ?? '0') === String(fontId);
    const existing = list.findIndex(plain);
    if (existing >= 0 && (numFmtId !== 0 || fontId !== 0)) {
      this.cache.set(key, existing);
      return existing;
    }
    const el = (this.doc as Document).createElementNS(NS.main, prefixed(xfs, 'xf'));
    el.setAttribute('numFmtId', String(numFmtId));
    el.setAttribute('fontId', String(fontId));
    el.setAttribute('fillId', '0');
    el.setAttribute('borderId', '0');
    el.setAttribute('xfId', '0');
    if (numFmtId !== 0) el.setAttribute('applyNumberFormat', '1');
    if (fontId !== 0) el.setAttribute('applyFont', '1');
    xfs.appendChild(el);
    xfs.setAttribute('count', String(list.length + 1));
    this.changed = true;
    this.cache.set(key, list.length);
    return list.length;
  }
}

/** A new element's qualified name, with the prefix its parent uses for the main namespace. */
export function prefixed(parent: Element, local: string): string {
  return parent.prefix ? `${parent.prefix}:${local}` : local;
}

/** A differential format that only sets a font colour and a solid fill: "font|fill" (ARGB); '' for any other. */
function dxfColours(dxf: Element): string {
  const elements = (el: Element): number => {
    let n = 0;
    for (let c = el.firstChild; c; c = c.nextSibling) if (c.nodeType === 1) n++;
    return n;
  };
  const font = child(dxf, 'font');
  const fill = child(dxf, 'fill');
  const fontColour = font && elements(font) === 1 ? child(font, 'color')?.getAttribute('rgb') : undefined;
  const pattern = fill ? child(fill, 'patternFill') : undefined;
  const fillColour = pattern && elements(pattern) === 1 ? child(pattern, 'bgColor')?.getAttribute('rgb') : undefined;
  return elements(dxf) === 2 && fontColour && fillColour ? `${fontColour.toUpperCase()}|${fillColour.toUpperCase()}` : '';
}
