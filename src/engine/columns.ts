import type { RuleSet } from './rules/schema';
import type { CellValue } from './types';
import { normalizeWord } from './words';
import { isObject, listOf, textOf, usableRules } from './guard';

/** Headers that name the account column, besides "account" itself. */
export const ACCOUNT_ALIASES = ['account', 'customer', 'customer name', 'company', 'company name', 'client', 'customer id', '客户', '客户名称', '公司', '公司名称'];

/** The fields of the optional contacts and needs tables, with the headers that mean them. */
export const CONTACT_FIELDS = {
  account: ACCOUNT_ALIASES,
  name: ['name', 'contact', 'contact name', '姓名', '联系人'],
  role: ['role', 'buying role', '角色'],
  stance: ['stance', 'rating', 'attitude', '态度', '立场', '评分'],
  influence: ['influence', '影响力'],
  vestedInterest: ['vested interest', 'interest', '既得利益', '利益'],
  resolved: ['resolved', '已解决'],
  engaged: ['engaged', '已参与', '参与'],
} as const;

export const NEED_FIELDS = {
  account: ACCOUNT_ALIASES,
  need: ['need', 'needs', 'description', '需求'],
  horizon: ['horizon', 'term', '期限', '长短期'],
  months: ['months', 'months to result', 'expected in months', '预计月数', '月数'],
} as const;

export interface ColumnMatch {
  column: number;
  header: string;
  /** How it was matched: the field's id, one of its labels or aliases, or the user's mapping. */
  by: 'id' | 'alias' | 'mapping';
}

export interface ColumnMatching {
  matches: Record<string, ColumnMatch>;
  /** Fields with no column. */
  missing: string[];
  /**
   * Fields that more than one column could hold ("Sales" and "Revenue"): the first is matched, and
   * the others are listed so that callers can ask the user to choose instead of silently dropping one.
   */
  ambiguous: Array<{ field: string; headers: string[] }>;
  /** Mappings that name a header the data doesn't have. */
  badMappings: Array<{ field: string; header: string }>;
}

/**
 * Finds which column holds each field: by the field's id, then its labels and aliases (case-,
 * width- and space-insensitive), or by an explicit mapping field → header, which wins.
 * A column is given to one field only, the first that claims it. Two columns that could both be
 * the field are reported in `ambiguous`, never resolved silently.
 */
export function matchColumns(
  headers: readonly CellValue[],
  fields: Readonly<Record<string, readonly string[]>>,
  mapping: Readonly<Record<string, string>> = {},
): ColumnMatching {
  headers = listOf<CellValue>(headers);
  if (!isObject(fields)) fields = {};
  if (!isObject(mapping)) mapping = {};
  const normalized = headers.map((h) => normalizeWord(textOf(h)));
  const taken = new Set<number>();
  // Null-prototype: a field named `constructor` is never found matched before it is.
  const matches: Record<string, ColumnMatch> = Object.create(null) as Record<string, ColumnMatch>;
  const badMappings: ColumnMatching['badMappings'] = [];
  const claim = (field: string, column: number, by: ColumnMatch['by']): void => {
    matches[field] = { column, header: textOf(headers[column]), by };
    taken.add(column);
  };
  for (const [field, header] of Object.entries(mapping)) {
    const column = normalized.indexOf(normalizeWord(textOf(header)));
    if (column < 0) badMappings.push({ field, header: textOf(header) });
    else claim(field, column, 'mapping');
  }
  const ambiguous: ColumnMatching['ambiguous'] = [];
  for (const [field, aliases] of Object.entries(fields)) {
    if (Object.prototype.hasOwnProperty.call(matches, field)) continue;
    const id = normalizeWord(field);
    const wanted = new Set(listOf<string>(aliases).map((a) => normalizeWord(a)));
    const candidates = normalized.flatMap((h, i) => (!taken.has(i) && h !== '' && (h === id || wanted.has(h)) ? [i] : []));
    // The id wins over an alias as the first choice; any second candidate makes the match ambiguous.
    const byId = candidates.find((i) => normalized[i] === id);
    const first = byId ?? candidates[0];
    if (first === undefined) continue;
    claim(field, first, byId === undefined ? 'alias' : 'id');
    if (candidates.length > 1) ambiguous.push({ field, headers: candidates.map((i) => textOf(headers[i])) });
  }
  const missing = Object.keys(fields).filter((f) => !Object.prototype.hasOwnProperty.call(matches, f));
  return { matches, missing, badMappings, ambiguous };
}

/** The account field and every criterion of a rule set, with the headers that mean them. */
export function accountFields(rules: RuleSet): Record<string, readonly string[]> {
  const fields: Record<string, readonly string[]> = { account: ACCOUNT_ALIASES };
  for (const c of usableRules(rules)?.criteria ?? []) fields[c.id] = [c.label.en, c.label.zh, ...c.aliases];
  return fields;
}
