/**
 * The fake Excel's own table of what Excel makes of a string written through `values` (or typed)
 * into a cell. Written from Excel's behaviour, independently of production's layout.ts, so that a
 * wrong rule there is caught here instead of being agreed with.
 *
 * Each row: what the text looks like → what the cell then holds. A Text-formatted ("@") cell keeps
 * any string as it is; a leading apostrophe keeps the rest as text in any cell.
 */
export type Typed = { kind: 'formula'; formula: string } | { kind: 'value'; value: string | number | boolean } | { kind: 'text'; text: string };

const MONTHS = 'jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec';
const SERIAL = 45000; // a date or time becomes a serial number; which one does not matter to the tests

const TABLE: ReadonlyArray<{ what: string; test: RegExp; as: (t: string) => Typed }> = [
  { what: 'apostrophe prefix', test: /^'/s, as: (t) => ({ kind: 'text', text: t.slice(1) }) },
  { what: 'formula', test: /^=./s, as: (t) => ({ kind: 'formula', formula: t }) },
  { what: 'plain or scientific number', test: /^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i, as: (t) => ({ kind: 'value', value: Number(t) }) },
  { what: 'thousands separators', test: /^\s*[+-]?\d{1,3}(,\d{3})+(\.\d*)?\s*$/, as: (t) => ({ kind: 'value', value: Number(t.replace(/,/g, '')) }) },
  { what: 'percent', test: /^\s*[+-]?(\d+\.?\d*|\.\d+)\s*%\s*$/, as: (t) => ({ kind: 'value', value: Number(t.replace('%', '')) / 100 }) },
  { what: 'currency', test: /^\s*[+-]?[$€£¥]\s*\d[\d,]*(\.\d+)?\s*$/, as: (t) => ({ kind: 'value', value: Number(t.replace(/[$€£¥,\s]/g, '')) }) },
  { what: 'accounting negative', test: /^\s*\(\s*\d[\d,]*(\.\d+)?\s*\)\s*$/, as: (t) => ({ kind: 'value', value: -Number(t.replace(/[(),\s]/g, '')) }) },
  { what: 'mixed fraction', test: /^\s*\d+\s+\d+\/\d+\s*$/, as: () => ({ kind: 'value', value: SERIAL }) },
  { what: 'boolean', test: /^\s*(true|false)\s*$/i, as: (t) => ({ kind: 'value', value: /true/i.test(t) }) },
  { what: 'numeric date', test: /^\s*\d{1,4}[-/.]\d{1,2}([-/.]\d{1,4})?\s*$/, as: () => ({ kind: 'value', value: SERIAL }) },
  { what: 'date with a month name', test: new RegExp(`^\\s*\\d{1,2}[- /](${MONTHS})[a-z]*([- /]\\d{2,4})?\\s*$`, 'i'), as: () => ({ kind: 'value', value: SERIAL }) },
  { what: 'time', test: /^\s*\d{1,2}:\d{2}(:\d{2})?(\s*[ap]m)?\s*$/i, as: () => ({ kind: 'value', value: SERIAL }) },
  { what: 'error value', test: /^\s*#(NULL!|DIV\/0!|VALUE!|REF!|NAME\?|NUM!|N\/A|SPILL!|CALC!|GETTING_DATA)\s*$/i, as: (t) => ({ kind: 'value', value: t.trim().toUpperCase() }) },
];

/** What Excel stores for a string written into a cell with this number format. */
export function typeIntoCell(text: string, numberFormat: string): Typed {
  if (numberFormat === '@') return { kind: 'text', text };
  for (const rule of TABLE) if (rule.test.test(text)) return rule.as(text);
  return { kind: 'text', text };
}

export const TYPING_RULES = TABLE.map((r) => r.what);
