import { message, type Message } from './i18n/messages';
import type { RuleSet } from './rules/schema';
import type { CellValue } from './types';

/**
 * Currencies (docs/rules.md §6): a rule set with a currency scores every account's amounts in it,
 * converted with the rule set's FX table. Which currency an amount is in comes from the account's
 * currency cell, or from an unambiguous mark in the amount itself ("€1,200", "1200 EUR"); `$`, `¥`
 * and `元` stand for several currencies and need the cell. Nothing is assumed silently: an amount
 * whose currency cannot be told, or has no rate, is a named problem for that account.
 */

/** The account field that holds an account's currency (a column beside the criteria). */
export const CURRENCY_FIELD = 'currency';

/** The rule set's currencies as the kernel uses them: code → rate to the rule set's currency. */
export interface CompiledCurrency {
  readonly code: string;
  readonly rates: ReadonlyMap<string, number>;
  /** The codes with a rate, for messages: the rule set's own first. */
  readonly known: string;
}

export function compileCurrency(rules: RuleSet): CompiledCurrency | undefined {
  if (rules.currency === undefined) return undefined;
  const rates = new Map<string, number>([[rules.currency, 1]]);
  for (const r of rules.fx ?? []) rates.set(r.code, r.rate);
  return { code: rules.currency, rates, known: [...rates.keys()].join(', ') };
}

/** What a symbol or word next to an amount says: a code, or a symbol several currencies use. */
type Mark = { code: string } | { ambiguous: string };

const SYMBOLS: Readonly<Record<string, Mark>> = {
  '€': { code: 'EUR' },
  '£': { code: 'GBP' },
  $: { ambiguous: '$' },
  '¥': { ambiguous: '¥' },
  '￥': { ambiguous: '¥' },
  元: { ambiguous: '元' },
};
/** Words written as codes that are not the ISO code. */
const CODE_WORDS: Readonly<Record<string, string>> = { RMB: 'CNY' };

/**
 * What a currency cell may hold for a code besides the code itself (RMB for CNY, € for EUR, £ for
 * GBP), for the generated formulas and SQL, which cannot call readCurrencyCell.
 */
export const CODE_SPELLINGS: ReadonlyArray<readonly [written: string, code: string]> = [
  ...Object.entries(CODE_WORDS),
  ...Object.entries(SYMBOLS).flatMap(([symbol, mark]): Array<[string, string]> => ('code' in mark ? [[symbol, mark.code]] : [])),
];

/**
 * Characters besides the space that pasted exports and Chinese text carry around a code, and that
 * readCurrencyCell's trim strips (tab, line feed, carriage return, no-break space, ideographic
 * space), as code points: a spreadsheet's or database's TRIM strips spaces only.
 */
export const CURRENCY_BLANKS: readonly number[] = [9, 10, 13, 0xa0, 0x3000];

const LEADING = /^[-+(]?\s*([€£$¥￥])|^([A-Za-z]{3})\s+(?=[-+(]?\d)/;
// No look-behind: the functions bundle is parsed at ES2017.
const TRAILING = /([€£$¥￥元])\s*\)?$|\d%?\)?\s*([A-Za-z]{3})$/;

function markOf(symbol: string | undefined, word: string | undefined): Mark | undefined {
  if (symbol !== undefined) return Object.prototype.hasOwnProperty.call(SYMBOLS, symbol) ? SYMBOLS[symbol] : undefined;
  if (word === undefined) return undefined;
  const upper = word.toUpperCase();
  return { code: Object.prototype.hasOwnProperty.call(CODE_WORDS, upper) ? (CODE_WORDS[upper] as string) : upper };
}

/** The currency written in an amount's text ("€1,200", "1200 EUR", "$5"), if any. */
export function currencyInText(text: string): Mark | undefined {
  const t = text.trim();
  const lead = LEADING.exec(t);
  if (lead) return markOf(lead[1], lead[2]);
  const trail = TRAILING.exec(t);
  return trail ? markOf(trail[1], trail[2]) : undefined;
}

/** An account's currency cell: a code, blank (undefined), or a problem naming the text. */
export function readCurrencyCell(v: CellValue | undefined): { code: string } | { problem: Message } | undefined {
  if (v === null || v === undefined || (typeof v === 'string' && v.trim() === '')) return undefined;
  const text = typeof v === 'string' ? v.trim() : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
  const mark = /^[A-Za-z]{3}$/.test(text) ? markOf(undefined, text) : text.length <= 2 ? markOf(text, undefined) : undefined;
  if (mark && 'code' in mark) return { code: mark.code };
  return { problem: message('badCurrency', { text: text.slice(0, 40) }) };
}

/** One amount of an account that is being converted: its criterion and, for text, what was written. */
export interface AmountCell {
  field: string;
  raw: CellValue;
}

/**
 * The rate that converts an account's amounts to the rule set's currency. `hasColumn` says whether
 * the sheet has a currency column at all: without one, an amount with no mark is in the rule set's
 * currency (a one-currency sheet); with one, a blank currency cell is a problem.
 */
export function accountRate(
  currency: CompiledCurrency,
  cell: CellValue | undefined,
  hasColumn: boolean,
  amounts: readonly AmountCell[],
): { code: string; rate: number } | { problem: Message } {
  const read = readCurrencyCell(cell);
  if (read && 'problem' in read) return read;
  let code = read?.code;
  for (const a of amounts) {
    if (typeof a.raw !== 'string') continue;
    const mark = currencyInText(a.raw);
    if (mark === undefined) continue;
    const text = a.raw.trim().slice(0, 40);
    if ('ambiguous' in mark) {
      if (read === undefined) return { problem: message('ambiguousCurrency', { field: a.field, text, symbol: mark.ambiguous }) };
      continue; // "$5" with USD in the currency cell: the cell says which dollar
    }
    if (code !== undefined && code !== mark.code) {
      return { problem: message('currencyConflict', { field: a.field, text, code: mark.code, column: code }) };
    }
    code = mark.code;
  }
  if (code === undefined) {
    if (hasColumn) return { problem: message('missingCurrency', { field: amounts[0]?.field ?? CURRENCY_FIELD }) };
    code = currency.code;
  }
  const rate = currency.rates.get(code);
  return rate === undefined ? { problem: message('unknownCurrency', { code, known: currency.known }) } : { code, rate };
}
