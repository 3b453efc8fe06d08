import { message, type Message } from './i18n/messages';
import type { Unit } from './rules/schema';
import { isExcelError } from './cells';

/**
 * The one input-coercion step that formulas, the task pane and the command line share. It turns
 * whatever a cell holds into a number, a blank, or a problem that says what is wrong; it never
 * guesses and never throws.
 */
export type Coerced =
  { kind: 'value'; value: number } | { kind: 'blank' } | { kind: 'problem'; problem: Message; /** set when the cell held an Excel error, to pass it on */ excelError?: string };

/** What coercion needs to know about the field it reads. */
export interface FieldSpec {
  id: string;
  unit: Unit;
  validMin?: number | undefined;
  validMax?: number | undefined;
  /** For ratings: the values a Yes and a No stand for. */
  yes?: number;
  no?: number;
}

/** Texts that exports use for "no value". They mean blank, not zero. */
const BLANK_WORDS: ReadonlySet<string> = new Set(['', 'null', 'n/a', 'na', 'none', '-', '--', '—', '无数据', '空']);
const YES_WORDS: ReadonlySet<string> = new Set(['yes', 'y', 'true', '是', '有', '对']);
const NO_WORDS: ReadonlySet<string> = new Set(['no', 'n', 'false', '否', '无', '不是', '没有']);

const BLANK: Coerced = { kind: 'blank' };
const value = (v: number): Coerced => ({ kind: 'value', value: v });

/** Chinese magnitude words: 120万 is 1,200,000. They are unambiguous, unlike k/m suffixes. */
const MAGNITUDES: Readonly<Record<string, number>> = { 万: 1e4, 亿: 1e8 };

const PLAIN = /^\d+(?:\.\d+)?(?:e[+-]?\d+)?$|^\.\d+$/i;
const COMMA_GROUPED = /^\d{1,3}(?:,\d{3})+(?:\.\d+)?$/; // 1,234,567.8
const DOT_GROUPED = /^\d{1,3}(?:\.\d{3})+(?:,\d+)?$/; // 1.234.567,8
const SPACE_GROUPED = /^\d{1,3}(?:[ '\u00a0\u202f]\d{3})+(?:[.,]\d+)?$/; // 1 234 567,8 · 1'234'567.8
const DECIMAL_COMMA = /^\d+,\d+$/; // 0,18

/**
 * "1.500" and "250.000": 1.5 and 250 with a decimal point, 1500 and 250000 where the dot groups
 * thousands (de, fr, es exports). A leading 0 ("0.125") can't be a thousands group.
 */
const DOT_THOUSANDS_OR_DECIMAL = /^[1-9]\d{0,2}\.\d{3}$/;

/** Parses a numeric text with any grouping a locale writes; `ambiguous` for `1,500`- and `1.500`-like texts. */
function parseDigits(body: string): number | 'ambiguous' | null {
  if (DOT_THOUSANDS_OR_DECIMAL.test(body)) return 'ambiguous';
  if (PLAIN.test(body)) return Number(body);
  if (COMMA_GROUPED.test(body)) {
    // "1,500" could be 1500 (en) or 1.5 (de, fr): refuse to guess. "1,500,000" and "1,500.5" are clear.
    if (body.split(',').length === 2 && !body.includes('.')) return 'ambiguous';
    return Number(body.replace(/,/g, ''));
  }
  if (DOT_GROUPED.test(body) && (body.includes(',') || body.split('.').length > 2)) {
    return Number(body.replace(/\./g, '').replace(',', '.'));
  }
  if (SPACE_GROUPED.test(body)) return Number(body.replace(/[ '\u00a0\u202f]/g, '').replace(',', '.'));
  if (DECIMAL_COMMA.test(body)) {
    return body.split(',')[1]?.length === 3 ? 'ambiguous' : Number(body.replace(',', '.'));
  }
  return null;
}

function problem(p: Message, excelError?: string): Coerced {
  return excelError === undefined ? { kind: 'problem', problem: p } : { kind: 'problem', problem: p, excelError };
}

/** Applies the field's valid range to a number read from a cell. */
export function checkRange(x: number, field: FieldSpec, hadPercentSign = false): Coerced {
  if (typeof field !== 'object' || field === null) return problem(message('badArgument', { argument: 'field', expected: 'FieldSpec' }));
  if (typeof x !== 'number') return coerceInput(x, field);
  if (!Number.isFinite(x)) return problem(message('notNumber', { field: field.id, text: String(x) }));
  const min = field.validMin ?? null;
  const max = field.validMax ?? null;
  if ((min !== null && x < min) || (max !== null && x > max)) {
    // A margin of 18 is almost certainly 18% typed without its sign: say so instead of "out of range".
    if (field.unit === 'fraction' && !hadPercentSign && max !== null && max <= 1 && x > 1 && x <= 100) {
      return problem(message('percentWithoutSign', { field: field.id, value: x }));
    }
    return problem(message('outOfRange', { field: field.id, value: x, min, max }));
  }
  return value(x);
}

function yesNo(isYes: boolean, field: FieldSpec, text: string): Coerced {
  if (field.unit !== 'rating') return problem(message('yesNoNotAllowed', { field: field.id, text }));
  return value(isYes ? (field.yes ?? field.validMax ?? 5) : (field.no ?? field.validMin ?? 0));
}

/**
 * The texts most cells hold, "18%", "-0.5", "1,234,567.8", read without the general path's
 * Unicode normalisation, word lists and regex ladder. Anything else returns undefined and takes
 * that path, so both read every text the same way (a test checks it).
 */
/**
 * The commonest cell text of all, plain digits with an optional minus and decimal point ("1200",
 * "-0.05"), read without allocating: its value, or NaN for any other text (which then takes
 * coerceInput). "1.500"-like texts are NaN here: they are ambiguous, and coerceInput says so.
 */
export function plainDecimal(text: string): number {
  const length = text.length;
  if (length === 0 || length > 15) return NaN;
  let i = text.charCodeAt(0) === 45 ? 1 : 0;
  const first = i;
  let dot = -1;
  for (; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 && dot < 0) dot = i;
    else if (c < 48 || c > 57) return NaN;
  }
  const intDigits = (dot < 0 ? length : dot) - first;
  if (intDigits === 0 || dot === length - 1) return NaN;
  // 1.500 and 250.000: a thousands group or a decimal point?
  if (dot > 0 && length - dot === 4 && intDigits <= 3 && text.charCodeAt(first) !== 48) return NaN;
  return Number(text);
}

const PLAIN_NUMBER_TEXT = /^-?(?:\d+(?:\.\d+)?|\d{1,3}(?:,\d{3}){2,}(?:\.\d+)?|\d{1,3},\d{3}\.\d+)%?$/;
export function coercePlainText(text: string, field: FieldSpec): Coerced | undefined {
  if (text.length > 24 || !PLAIN_NUMBER_TEXT.test(text) || DOT_THOUSANDS_OR_DECIMAL.test(text.replace(/^-|%$/g, ''))) return undefined;
  const percent = text.endsWith('%');
  if (percent && field.unit !== 'fraction' && field.unit !== 'number') return undefined;
  const digits = (percent ? text.slice(0, -1) : text).replace(/,/g, '');
  const x = Number(digits);
  return checkRange(percent ? x / 100 : x, field, percent);
}

function coerceText(raw: string, field: FieldSpec): Coerced {
  return coercePlainText(raw, field) ?? coerceAnyText(raw, field);
}

/**
 * Characters that NFKC would fold into a digit although they are not one a user types as a
 * number: superscripts (10³ → 103), circled and parenthesised numbers (①② → 12), vulgar fractions.
 * Full-width digits (０–９) are the one exception: Chinese keyboards type them.
 */
function hasLookAlikeDigit(raw: string): boolean {
  if (!/[^\x00-\x7f]/.test(raw)) return false;
  for (const ch of raw) {
    if (ch.charCodeAt(0) < 0x80 || (ch >= '\uff10' && ch <= '\uff19')) continue;
    if (/[0-9]/.test(ch.normalize('NFKC'))) return true;
  }
  return false;
}

/** The general path: every form of number, blank word, yes/no and error a cell may hold. */
export function coerceAnyText(raw: string, field: FieldSpec): Coerced {
  if (hasLookAlikeDigit(raw)) return problem(message('notNumber', { field: field.id, text: raw.trim() }));
  // NFKC folds full-width digits, ％ and ，typed on Chinese keyboards into their ASCII forms.
  const text = raw.normalize('NFKC').trim();
  const lower = text.toLowerCase();
  if (BLANK_WORDS.has(lower)) return BLANK;
  const upper = text.toUpperCase();
  if (isExcelError(upper)) return problem(message('excelError', { field: field.id, error: upper }), upper);
  if (YES_WORDS.has(lower)) return yesNo(true, field, text);
  if (NO_WORDS.has(lower)) return yesNo(false, field, text);

  let body = text.replace(/\u2212/g, '-');
  let sign = 1;
  // One sign at most: "--5", "+-5", "-$-5" and "(-5%)" (accounting brackets around a minus) could
  // mean either sign, so they are refused rather than folded.
  let signs = 0;
  if (/^\(.*\)$/.test(body)) {
    sign = -1; // accounting negative: (1,200)
    signs++;
    body = body.slice(1, -1).trim();
  }
  if (body.startsWith('-') || body.startsWith('+')) {
    if (body.startsWith('-')) sign = -sign;
    signs++;
    body = body.slice(1).trim();
  }
  const withoutSymbol = body.replace(/^(?:[$€£¥]|(?:usd|eur|gbp|cny|rmb)\s)\s*/i, '');
  const hadSymbol = withoutSymbol !== body;
  body = withoutSymbol.replace(/\s*(?:元|[$€£¥]|usd|eur|gbp|cny|rmb)$/i, '');
  if (hadSymbol && body.startsWith('-')) {
    sign = -sign; // $-12
    signs++;
    body = body.slice(1).trim();
  }
  if (signs > 1 || /^[-+]/.test(body)) return problem(message('ambiguousSign', { field: field.id, text }));
  if (field.unit === 'days') body = body.replace(/\s*(?:days?|d|天|日)$/i, ''); // "45 days", "45天"
  let scale = 1;
  let hadPercent = false;
  if (body.endsWith('%')) {
    if (field.unit !== 'fraction' && field.unit !== 'number') {
      return problem(message('notNumber', { field: field.id, text }));
    }
    hadPercent = true;
    scale = 0.01;
    body = body.slice(0, -1).trim();
  } else {
    const magnitude = MAGNITUDES[body.slice(-1)];
    if (magnitude !== undefined) {
      scale = magnitude;
      body = body.slice(0, -1).trim();
    }
  }
  const parsed = parseDigits(body);
  if (parsed === 'ambiguous') return problem(message('ambiguousNumber', { field: field.id, text }));
  if (parsed === null) return problem(message('notNumber', { field: field.id, text }));
  // Scale by division for percents: 0.07 * 100 style artefacts are avoided by dividing once.
  const x = hadPercent ? (sign * parsed) / 100 : sign * parsed * scale;
  // "1e999" or a thousand digits: quote the cell, not the Infinity it overflows to.
  if (!Number.isFinite(x)) return problem(message('notNumber', { field: field.id, text }));
  return checkRange(x, field, hadPercent);
}

/** Reads one cell for one field. */
export function coerceInput(raw: unknown, field: FieldSpec): Coerced {
  if (typeof field !== 'object' || field === null) return problem(message('badArgument', { argument: 'field', expected: 'FieldSpec' }));
  if (typeof raw === 'number') return checkRange(raw, field);
  if (raw === null || raw === undefined) return BLANK;
  if (typeof raw === 'string') return coerceText(raw, field);
  if (typeof raw === 'boolean') return yesNo(raw, field, raw ? 'TRUE' : 'FALSE');
  const kind = raw instanceof Date ? 'date' : typeof raw;
  return problem(message('unsupportedValue', { field: field.id, kind }));
}
