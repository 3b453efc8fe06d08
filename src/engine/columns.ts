import { coerceInput } from './coerce';
import { growthFromSeries } from './growth';
import type { RuleSet } from './rules/schema';
import type { CellValue } from './types';
import { normalizeWord } from './words';
import { CURRENCY_FIELD } from './currency';
import { isObject, listOf, own, textOf, usableRules } from './guard';

/** Headers that name the account column, besides "account" itself. */
/** Headers of the column that holds each account's currency code. */
export const CURRENCY_ALIASES = ['currency', 'currency code', 'ccy', 'curr', '币种', '货币', '货币代码', '币别'];

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
  /** How it was matched: the field's id, one of its labels or aliases, the user's mapping, or a measure with a period ("Sales 2019"). */
  by: 'id' | 'alias' | 'mapping' | 'period';
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
export function matchColumns(headers: readonly CellValue[], fields: Readonly<Record<string, readonly string[]>>, mapping: Readonly<Record<string, string>> = {}): ColumnMatching {
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
  const usable = usableRules(rules);
  for (const c of usable?.criteria ?? []) fields[c.id] = [c.label.en, c.label.zh, ...c.aliases];
  // Each account's currency is read only when the rule set scores in one (docs/rules.md §6).
  if (usable?.currency !== undefined && !(CURRENCY_FIELD in fields)) fields[CURRENCY_FIELD] = CURRENCY_ALIASES;
  return fields;
}

/**
 * The measures a header may name besides a rule set's own aliases, in English and Chinese: what
 * exports and finance sheets write. `profit` is no criterion; with sales it gives the margin.
 */
export const MEASURE_WORDS: Readonly<Record<string, readonly string[]>> = {
  sales: [
    'sales',
    'annual sales',
    'net sales',
    'total sales',
    'sales amount',
    'revenue',
    'revenues',
    'net revenue',
    'turnover',
    'purchases',
    'spend',
    '销售额',
    '销售收入',
    '营业额',
    '营业收入',
    '收入',
    '销售金额',
    '年销售额',
    '采购额',
  ],
  margin: ['margin', 'gross margin', 'profit margin', 'margin %', 'gm', 'gm %', 'gross margin %', '利润率', '毛利率', '销售利润率'],
  profit: ['profit', 'gross profit', 'net profit', 'gp', '利润', '毛利', '毛利润', '利润额', '毛利额'],
  growth: [
    'growth',
    'yoy',
    'yoy growth',
    'growth rate',
    'sales growth',
    'revenue growth',
    'purchase growth',
    'change',
    '同比',
    '同比增长',
    '同比增长率',
    '增长率',
    '增长',
    '销售增长',
    '销售增长率',
    '采购增长',
    '采购增长率',
  ],
  paymentDays: ['dso', 'days sales outstanding', 'payment days', 'days to pay', 'avg days to pay', '回款天数', '付款天数', '账期', '账期天数'],
};

/** A period named in a header: a year (calendar or fiscal), maybe a quarter or half of it. */
export interface HeaderPeriod {
  year: number;
  fiscal: boolean;
  quarter?: 1 | 2 | 3 | 4;
  half?: 1 | 2;
}

export interface HeaderReading {
  /** A key of MEASURE_WORDS, or null when the header names none. */
  measure: string | null;
  period: HeaderPeriod | null;
}

const CN_NUMBER: Readonly<Record<string, 1 | 2 | 3 | 4>> = { 一: 1, 二: 2, 三: 3, 四: 4, '1': 1, '2': 2, '3': 3, '4': 4 };
const MEASURE_LOOKUP = new Map<string, string>();
for (const [measure, words] of Object.entries(MEASURE_WORDS)) for (const w of words) MEASURE_LOOKUP.set(normalizeWord(w), measure);

/**
 * Reads a header such as "Sales 2019", "FY24 revenue", "Q3 2018 turnover", "2018年销售额",
 * "第三季度利润率", "上半年营业额" or "Growth vs 2018": the measure it names and its period.
 */
export function readHeader(header: string): HeaderReading {
  let t = ` ${textOf(header).normalize('NFKC').toLowerCase()} `;
  let period: HeaderPeriod | null = null;
  const take = (re: RegExp): RegExpExecArray | null => {
    const m = re.exec(t);
    if (m) t = t.slice(0, m.index) + ' ' + t.slice(m.index + m[0].length);
    return m;
  };
  const fy = take(/fy\s?'?(\d{4}|\d{2})(?!\d)/);
  const year = fy ? null : take(/(?<!\d)((?:19|20)\d{2})(?:\s*(?:年度|年))?(?!\d)/);
  const shortYear = fy || year ? null : take(/(?<![a-z\d])'(\d{2})(?!\d)/);
  const quarter = take(/(?<![a-z])q([1-4])(?!\d)/) ?? take(/第?([一二三四1-4])季度/);
  const half = take(/(?<![a-z])h([12])(?!\d)/) ?? take(/(上|下)半年/);
  const yearText = fy?.[1] ?? year?.[1] ?? shortYear?.[1];
  if (yearText !== undefined || quarter || half) {
    const y = yearText === undefined ? NaN : Number(yearText);
    period = { year: yearText !== undefined && yearText.length === 2 ? 2000 + y : y, fiscal: fy !== null };
    if (quarter) period.quarter = CN_NUMBER[quarter[1] as string];
    if (half) period.half = half[1] === '上' || half[1] === '1' ? 1 : 2;
  }
  // What is left, without a comparison word ("vs", "比"), units in brackets or currency marks.
  t = t
    .replace(/\([^)]*\)|\[[^\]]*\]/g, ' ')
    .replace(/(?:^|\s)(?:vs\.?|versus|over|against|in|of|for|total)(?=\s|$)/g, ' ')
    .replace(/[$¥€£%:]|rmb|usd|cny|万元|元|较|(?<!同)比/g, ' ');
  const measure = MEASURE_LOOKUP.get(normalizeWord(t)) ?? null;
  return { measure, period };
}

/** Orders periods: later years last; within a year, halves and quarters in their order. */
function periodKey(p: HeaderPeriod): number {
  return (Number.isNaN(p.year) ? 0 : p.year) * 10 + (p.quarter ?? (p.half === undefined ? 9 : p.half * 2));
}

/** A criterion column computed from others, when the sheet has no column for it. */
export interface DerivedColumn {
  /** growth: compound rate over period totals, oldest first; margin: profit ÷ sales. */
  kind: 'growthFromPeriods' | 'marginFromProfit';
  columns: number[];
  headers: string[];
}

export interface PeriodMatching {
  /** Criteria matched to a period column: the latest period of their measure. */
  matches: Record<string, ColumnMatch>;
  derived: Record<string, DerivedColumn>;
}

/**
 * For the criteria `matchColumns` left without a column: headers with a measure and a period.
 * The latest period of a measure holds the criterion; two or more whole consecutive years of a
 * currency measure give growth (when there is no growth column); a profit column beside sales of
 * the same period gives the margin. Columns already taken are not considered.
 */
export function matchPeriodColumns(headers: readonly CellValue[], rules: RuleSet, taken: Readonly<Record<string, ColumnMatch>>): PeriodMatching {
  const usable = usableRules(rules);
  if (!usable) return { matches: {}, derived: {} };
  rules = usable;
  // Only the matches that are one: a caller's object may hold anything under any key.
  const givenMatches = isObject(taken) ? Object.entries(taken).filter(([, m]) => isObject(m) && typeof m.column === 'number' && typeof m.header === 'string') : [];
  taken = Object.fromEntries(givenMatches);
  const used = new Set(givenMatches.map(([, m]) => m.column));
  const readings = listOf<CellValue>(headers).map((h, i) => ({ i, header: textOf(h), ...readHeader(textOf(h)) }));
  const byMeasure = new Map<string, typeof readings>();
  for (const r of readings) {
    if (used.has(r.i) || r.measure === null) continue;
    byMeasure.set(r.measure, [...(byMeasure.get(r.measure) ?? []), r]);
  }
  const matches: Record<string, ColumnMatch> = {};
  const derived: Record<string, DerivedColumn> = {};
  const latest = (list: typeof readings): (typeof readings)[number] | undefined => {
    // No Array.prototype.at: the functions bundle runs on ES2019 runtimes.
    const sorted = [...list].sort((a, b) => (a.period && b.period ? periodKey(a.period) - periodKey(b.period) : a.period ? 1 : -1));
    return sorted[sorted.length - 1];
  };
  for (const c of rules.criteria) {
    if (taken[c.id]) continue;
    const list = byMeasure.get(c.id);
    const pick = list && latest(list);
    if (pick) matches[c.id] = { column: pick.i, header: pick.header, by: 'period' };
  }
  const hasRule = (id: string): boolean => rules.criteria.some((c) => c.id === id);
  // Growth from yearly totals: 2017 and 2018 sales give the 2018 growth.
  const salesYears = (byMeasure.get('sales') ?? []).filter((r) => r.period && !Number.isNaN(r.period.year) && r.period.quarter === undefined && r.period.half === undefined);
  if (hasRule('growth') && !taken.growth && !matches.growth && salesYears.length >= 2) {
    const sorted = [...salesYears].sort((a, b) => (a.period?.year ?? 0) - (b.period?.year ?? 0));
    const consecutive = sorted.every((r, k) => k === 0 || (r.period?.year ?? 0) === (sorted[k - 1]?.period?.year ?? 0) + 1);
    if (consecutive) derived.growth = { kind: 'growthFromPeriods', columns: sorted.map((r) => r.i), headers: sorted.map((r) => r.header) };
  }
  // Margin from profit and sales of the same period.
  const salesMatch = taken.sales ?? matches.sales;
  if (hasRule('margin') && !taken.margin && !matches.margin && salesMatch) {
    const salesPeriod = readHeader(salesMatch.header).period;
    const profit = (byMeasure.get('profit') ?? []).find(
      (r) => (r.period === null && salesPeriod === null) || (r.period !== null && salesPeriod !== null && periodKey(r.period) === periodKey(salesPeriod)),
    );
    if (profit) derived.margin = { kind: 'marginFromProfit', columns: [profit.i, salesMatch.column], headers: [profit.header, salesMatch.header] };
  }
  return { matches, derived };
}

/**
 * One account's value of a derived column, from its source cells in `DerivedColumn.columns` order;
 * null when it cannot be computed (a blank or unreadable source, sales ≤ 0, or an earlier year
 * below 5% of the latest: a new account, whose growth means nothing).
 */
export function deriveValue(kind: DerivedColumn['kind'], cells: readonly CellValue[]): number | null {
  cells = listOf<CellValue>(cells);
  if (kind !== 'marginFromProfit' && kind !== 'growthFromPeriods') return null;
  const amount = (v: CellValue): number | null => {
    const c = coerceInput(v, { id: 'amount', unit: 'currency' });
    return c.kind === 'value' ? c.value : null;
  };
  if (kind === 'marginFromProfit') {
    const profit = amount(cells[0] ?? null);
    const sales = amount(cells[1] ?? null);
    return profit === null || sales === null || sales <= 0 ? null : profit / sales;
  }
  const totals = cells.map(amount);
  const first = totals.find((t) => t !== null);
  const last = [...totals].reverse().find((t) => t !== null);
  if (first === undefined || last === undefined || first === null || last === null || first < 0.05 * last) return null;
  const g = growthFromSeries(cells);
  return g.ok ? g.growth : null;
}

/**
 * The rule set with the user's column choices (criterion id → header) added to the criteria's
 * aliases, so that a workbook carrying it recognises those headers next time, in kam and in the
 * pane. The same rule set when every header is already known.
 */
export function rememberMapping(rules: RuleSet, mapping: Readonly<Record<string, string>>): RuleSet {
  const usable = usableRules(rules);
  // Not a rule set: handed back as it came, for the scoring that follows to name.
  if (!usable) return rules;
  rules = usable;
  let changed = false;
  const criteria = rules.criteria.map((c) => {
    const header = own(mapping, c.id);
    if (typeof header !== 'string' || header.trim() === '') return c;
    const known = [c.id, c.label.en, c.label.zh, ...c.aliases].map(normalizeWord);
    if (known.includes(normalizeWord(header))) return c;
    changed = true;
    return { ...c, aliases: [...c.aliases, header.trim()] };
  });
  return changed ? { ...rules, criteria } : rules;
}
