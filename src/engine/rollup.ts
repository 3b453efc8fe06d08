import { coerceInput } from './coerce';
import { ACCOUNT_ALIASES, matchColumns, type ColumnMatching } from './columns';
import { growthFromSeries } from './growth';
import { normalizeWord } from './words';
import type { CellValue, Lang } from './types';
import { isObject, listOf, textOf } from './guard';

/**
 * Order lines → accounts (docs/rules.md §5): one row per order or invoice line in, one row per account
 * out, with sales, margin, growth and days to pay computed over a stated period. Pure: dates are
 * calendar days counted in UTC, so nothing depends on the machine's time zone.
 */

/** The columns an order-line export may hold, with the headers that mean them (English and Chinese). */
export const ORDER_LINE_FIELDS = {
  accountId: [
    'customer id',
    'customerid',
    'client id',
    'account id',
    'account number',
    'customer number',
    'customer no',
    'customer code',
    'cust id',
    '客户id',
    '客户编号',
    '客户代码',
    '客户编码',
    '客户号',
  ],
  account: [...ACCOUNT_ALIASES.filter((a) => a !== 'customer id'), 'client name', 'account name', 'buyer', 'sold to', 'bill to', '客户名', '购买方', '买方', '单位名称'],
  date: [
    'date',
    'order date',
    'orderdate',
    'transaction date',
    'sale date',
    'sales date',
    'posting date',
    'document date',
    'booking date',
    '日期',
    '订单日期',
    '下单日期',
    '销售日期',
    '交易日期',
    '单据日期',
  ],
  amount: [
    'amount',
    'sales',
    'sales amount',
    'revenue',
    'net sales',
    'net amount',
    'line total',
    'line amount',
    'total',
    'value',
    'turnover',
    'extended price',
    '金额',
    '销售额',
    '销售金额',
    '收入',
    '销售收入',
    '营业额',
    '总金额',
    '价税合计',
  ],
  profit: ['profit', 'gross profit', 'margin amount', 'gp', '利润', '毛利', '毛利额', '利润额'],
  cost: ['cost', 'cogs', 'cost of sales', 'cost of goods sold', 'total cost', '成本', '销售成本', '成本金额'],
  paymentDate: ['payment date', 'paid date', 'date paid', 'paid on', 'receipt date', 'cleared date', '付款日期', '回款日期', '收款日期', '到账日期'],
  invoiceDate: ['invoice date', 'invoiced', 'invoice issued', 'billing date', 'bill date', '发票日期', '开票日期', '账单日期'],
  orderId: ['order id', 'orderid', 'order no', 'order number', 'invoice no', 'invoice number', 'document no', '订单id', '订单号', '订单编号', '单号', '发票号'],
} as const;
export type OrderLineField = keyof typeof ORDER_LINE_FIELDS;

/**
 * The period whose totals give sales: the latest `months` ending at the last order date, or a
 * calendar or fiscal year or quarter. A fiscal year is named by the calendar year it ends in
 * (with `startMonth` 4, FY2024 runs from April 2023 to March 2024).
 */
export type PeriodSpec =
  { kind: 'trailing'; months: number } | { kind: 'year'; year: number; startMonth: number } | { kind: 'quarter'; year: number; quarter: 1 | 2 | 3 | 4; startMonth: number };

/** A window of whole days, counted from 1970-01-01 (UTC): `start` inclusive, `end` exclusive. */
export interface DayWindow {
  start: number;
  end: number;
}

export interface RollupOptions {
  period?: PeriodSpec;
  /** field → header, the user's choice; wins over recognition. */
  mapping?: Readonly<Record<string, string>>;
  /** How to read dates written d/m/y or m/d/y when the column alone cannot tell. */
  dayMonthOrder?: 'dmy' | 'mdy';
  /** An earlier period below this share of the later one makes growth meaningless (a new account). */
  newAccountShare?: number;
}

export type RollupFlag = 'netReturns' | 'newAccount' | 'profitMissing' | 'noSalesInPeriod';

export interface AccountRollup {
  /** The key the lines were grouped by: the account id column when there is one, else the name. */
  key: string;
  /** The name, when the export has a name column beside an id column. */
  name: string | null;
  sales: number;
  /** Null when sales ≤ 0, or when there is no profit or cost for every line of the period. */
  margin: number | null;
  /** Null when there is no earlier period to compare with, or it is meaningless (new account). */
  growth: number | null;
  /** How many periods the growth compares: 2 is year on year, 3 or more a compound annual rate. */
  growthPeriods: number;
  paymentDays: number | null;
  /** Distinct orders (or lines, without an order id column) in the period. */
  orders: number;
  firstOrder: number;
  lastOrder: number;
  flags: RollupFlag[];
}

export interface RollupProblem {
  /** Zero-based index of the line in the rows given. */
  line: number;
  field: OrderLineField;
  kind: 'blankAccount' | 'badDate' | 'badAmount' | 'badNumber' | 'ambiguousDate';
  text: string;
}

export type RollupResult =
  | {
      ok: true;
      accounts: AccountRollup[];
      period: DayWindow;
      /** The earlier windows growth may use, latest first, each a year before the one after it. */
      earlier: DayWindow[];
      periodLabel: string;
      columns: ColumnMatching;
      /** What each derived column was computed from, in each language. */
      derivations: Record<'sales' | 'margin' | 'growth' | 'paymentDays' | 'orders', Record<Lang, string> | null>;
      /** Lines that could not be read: left out, each named. */
      problems: RollupProblem[];
      lineCount: number;
    }
  | { ok: false; reason: 'noAccount' | 'noDate' | 'noAmount' | 'noLines' | 'periodOutsideData' | 'ambiguousDates'; columns: ColumnMatching; detail?: string };

const DAY_MS = 86_400_000;
/** Excel's day 0 (1899-12-30, with its 1900 leap-year bug behind it) in days from 1970-01-01. */
const EXCEL_EPOCH = -25_569;

/** Days from 1970-01-01 of a calendar date; NaN unless all three are numbers. */
export function dayOf(year: number, month: number, day: number): number {
  if (typeof year !== 'number' || typeof month !== 'number' || typeof day !== 'number') return NaN;
  return Math.floor(Date.UTC(year, month - 1, day) / DAY_MS);
}

/** The ISO date (yyyy-mm-dd) of a day number; '' for no day a date can hold. */
export function isoDay(day: number): string {
  const date = new Date(typeof day === 'number' ? day * DAY_MS : NaN);
  return Number.isNaN(date.getTime()) ? '' : date.toISOString().slice(0, 10);
}

/** The text a cell is keyed by: a date as its ISO instant (an invalid Date is blank), anything else as text. */
const keyText = (v: unknown): string => (v instanceof Date ? (Number.isNaN(v.getTime()) ? '' : v.toISOString()) : textOf(v));

/** A period spec the caller built, if it is one; else undefined. */
function validPeriod(spec: unknown): PeriodSpec | undefined {
  if (!isObject(spec)) return undefined;
  const whole = (v: unknown, min: number, max: number): boolean => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
  if (spec.kind === 'trailing') return whole(spec.months, 1, 1200) ? (spec as PeriodSpec) : undefined;
  if (spec.kind !== 'year' && spec.kind !== 'quarter') return undefined;
  if (!whole(spec.year, 1000, 9999) || !whole(spec.startMonth, 1, 12)) return undefined;
  return spec.kind === 'year' || whole(spec.quarter, 1, 4) ? (spec as PeriodSpec) : undefined;
}

/** The same day `months` later (earlier when negative), clamped to the month's end (Feb 29 → Feb 28). */
export function addMonths(day: number, months: number): number {
  if (typeof day !== 'number' || typeof months !== 'number') return NaN;
  const d = new Date(day * DAY_MS);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const target = new Date(Date.UTC(y, m, 1));
  const lastOfMonth = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  return dayOf(target.getUTCFullYear(), target.getUTCMonth() + 1, Math.min(d.getUTCDate(), lastOfMonth));
}

type DateRead = { kind: 'day'; day: number } | { kind: 'blank' } | { kind: 'bad' } | { kind: 'slashes'; a: number; b: number; year: number };

const ISO = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?$/;
const CJK = /^(\d{4})年(\d{1,2})月(\d{1,2})日?(?:\s.*)?$/;
const SLASHES = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:\s.*)?$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;

function validDay(year: number, month: number, day: number): number | null {
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  const d = dayOf(year, month, day);
  return new Date(d * DAY_MS).getUTCDate() === day ? d : null;
}

/** Reads a date cell: an Excel serial, a Date (read in UTC), or a text in ISO, Chinese or d/m/y-like order. */
function readDate(raw: CellValue): DateRead {
  if (raw === null || raw === undefined) return { kind: 'blank' };
  if (raw instanceof Date) {
    const t = raw.getTime();
    return Number.isFinite(t) ? { kind: 'day', day: Math.floor(t / DAY_MS) } : { kind: 'bad' };
  }
  if (typeof raw === 'number') {
    // Serials from 1 (1900-01-01) to 2958465 (9999-12-31); the fraction is the time of day.
    return raw >= 1 && raw < 2_958_466 ? { kind: 'day', day: Math.floor(raw) + EXCEL_EPOCH } : { kind: 'bad' };
  }
  if (typeof raw !== 'string') return { kind: 'bad' };
  const text = raw.normalize('NFKC').trim();
  if (text === '' || /^(null|n\/a|na|-)$/i.test(text)) return { kind: 'blank' };
  const m = ISO.exec(text) ?? CJK.exec(text) ?? COMPACT.exec(text);
  if (m) {
    const day = validDay(Number(m[1]), Number(m[2]), Number(m[3]));
    return day === null ? { kind: 'bad' } : { kind: 'day', day };
  }
  const s = SLASHES.exec(text);
  if (s) return { kind: 'slashes', a: Number(s[1]), b: Number(s[2]), year: Number(s[3]) };
  return { kind: 'bad' };
}

/**
 * Reads a column of dates. Texts like 03/04/2019 are day-first or month-first for the whole
 * column: a first number above 12 anywhere says day-first, a second above 12 says month-first;
 * when nothing tells, the caller's `order` decides, and without one the column is ambiguous.
 */
function readDateColumn(cells: readonly CellValue[], order: 'dmy' | 'mdy' | undefined): { days: Array<number | null | 'bad'>; ambiguous: boolean } {
  const reads = cells.map(readDate);
  let dayFirst = false;
  let monthFirst = false;
  for (const r of reads) {
    if (r.kind !== 'slashes') continue;
    if (r.a > 12) dayFirst = true;
    if (r.b > 12) monthFirst = true;
  }
  const hasSlashes = reads.some((r) => r.kind === 'slashes');
  const decided = order ?? (dayFirst && !monthFirst ? 'dmy' : monthFirst && !dayFirst ? 'mdy' : undefined);
  const ambiguous = hasSlashes && decided === undefined;
  const days = reads.map((r): number | null | 'bad' => {
    if (r.kind === 'day') return r.day;
    if (r.kind === 'blank') return null;
    if (r.kind === 'bad' || decided === undefined) return 'bad';
    const [day, month] = decided === 'dmy' ? [r.a, r.b] : [r.b, r.a];
    return validDay(r.year, month, day) ?? 'bad';
  });
  return { days, ambiguous };
}

/** The window of a period spec, given the data's last day. */
export function periodWindow(spec: PeriodSpec, lastDay: number): DayWindow {
  if (spec.kind === 'trailing') {
    const end = lastDay + 1;
    return { start: addMonths(end, -spec.months), end };
  }
  const startOfYear = dayOf(spec.startMonth === 1 ? spec.year : spec.year - 1, spec.startMonth, 1);
  if (spec.kind === 'year') return { start: startOfYear, end: addMonths(startOfYear, 12) };
  const start = addMonths(startOfYear, 3 * (spec.quarter - 1));
  return { start, end: addMonths(start, 3) };
}

/** `last12`, `2018`, `FY2018`, `FY18`, `2018-Q3`, `FY2018-Q3`, `2018年`, `2018年第三季度`; null when unreadable. */
export function parsePeriod(text: string, fiscalStartMonth = 1): PeriodSpec | null {
  if (typeof fiscalStartMonth !== 'number' || !Number.isInteger(fiscalStartMonth) || fiscalStartMonth < 1 || fiscalStartMonth > 12) return null;
  const t = textOf(text).normalize('NFKC').trim().toLowerCase().replace(/\s+/g, '');
  const trailing = /^(?:last|ttm|l)(\d{1,2})m?$/.exec(t);
  if (trailing) return { kind: 'trailing', months: Number(trailing[1]) };
  const cnQuarter: Record<string, 1 | 2 | 3 | 4> = { 一: 1, 二: 2, 三: 3, 四: 4, '1': 1, '2': 2, '3': 3, '4': 4 };
  const m = /^(fy)?(\d{2}|\d{4})(?:年)?(?:[-_]?(?:q([1-4])|第([一二三四1-4])季度?))?$/.exec(t);
  if (!m) return null;
  const fiscal = m[1] !== undefined;
  let year = Number(m[2]);
  if ((m[2] as string).length === 2) {
    if (!fiscal) return null;
    year += 2000;
  }
  const startMonth = fiscal ? fiscalStartMonth : 1;
  const q = m[3] ?? m[4];
  if (q !== undefined) return { kind: 'quarter', year, quarter: cnQuarter[q] as 1 | 2 | 3 | 4, startMonth };
  return { kind: 'year', year, startMonth };
}

function periodLabelOf(spec: PeriodSpec, w: DayWindow): string {
  const range = `${isoDay(w.start)} – ${isoDay(w.end - 1)}`;
  if (spec.kind === 'trailing') return `${spec.months}m ${range}`;
  const name = spec.startMonth === 1 ? `${spec.year}` : `FY${spec.year}`;
  return spec.kind === 'year' ? `${name} ${range}` : `${name}-Q${spec.quarter} ${range}`;
}

interface Totals {
  sales: number;
  profit: number;
  cost: number;
  profitLines: number;
  costLines: number;
  lines: number;
  payWeighted: number;
  payWeight: number;
  orders: Set<string>;
}

const newTotals = (): Totals => ({ sales: 0, profit: 0, cost: 0, profitLines: 0, costLines: 0, lines: 0, payWeighted: 0, payWeight: 0, orders: new Set() });

/** Sums rounded to the cent, so that 0.1 + 0.2 reads as 0.3 in the sheet. */
const cents = (x: number): number => Math.round(x * 100) / 100;

/**
 * Rolls order lines up to accounts. `headers` and `rows` are the export as read (rows of cells
 * aligned with the headers). Lines that cannot be read are left out and listed in `problems`.
 */
export function rollUp(headers: readonly CellValue[], rows: ReadonlyArray<readonly CellValue[]>, options: RollupOptions = {}): RollupResult {
  // Any value in: a row that is no list holds nothing, an option that is not one is not given.
  headers = listOf<CellValue>(headers);
  rows = listOf<unknown>(rows).map((r) => listOf<CellValue>(r));
  const given: Record<string, unknown> = isObject(options) ? options : {};
  const newShare = given.newAccountShare;
  options = {
    period: validPeriod(given.period),
    mapping: isObject(given.mapping) ? (given.mapping as Record<string, string>) : undefined,
    dayMonthOrder: given.dayMonthOrder === 'dmy' || given.dayMonthOrder === 'mdy' ? given.dayMonthOrder : undefined,
    newAccountShare: typeof newShare === 'number' && newShare >= 0 && newShare <= 1 ? newShare : undefined,
  };
  const columns = matchColumns(headers, ORDER_LINE_FIELDS, options.mapping ?? {});
  const col = (f: OrderLineField): number | undefined => columns.matches[f]?.column;
  const keyCol = col('accountId') ?? col('account');
  const nameCol = col('accountId') === undefined ? undefined : col('account');
  // Without an order date, the invoice date dates the line.
  const dateCol = col('date') ?? col('invoiceDate');
  const amountCol = col('amount');
  if (keyCol === undefined) return { ok: false, reason: 'noAccount', columns };
  if (dateCol === undefined) return { ok: false, reason: 'noDate', columns };
  if (amountCol === undefined) return { ok: false, reason: 'noAmount', columns };
  const profitCol = col('profit');
  const costCol = col('cost');
  const payCol = col('paymentDate');
  // Payment days run from the invoice date: its own column when there is one, else the line's date.
  const invoiceCol = col('invoiceDate') ?? dateCol;
  const orderCol = col('orderId');

  const cellsOf = (c: number): CellValue[] => rows.map((r) => r[c] ?? null);
  const dates = readDateColumn(cellsOf(dateCol), options.dayMonthOrder);
  if (dates.ambiguous) return { ok: false, reason: 'ambiguousDates', columns, detail: textOf(columns.matches.date?.header) };
  const payDates = payCol === undefined ? undefined : readDateColumn(cellsOf(payCol), options.dayMonthOrder).days;
  const invoiceDates = payCol === undefined ? undefined : invoiceCol === dateCol ? dates.days : readDateColumn(cellsOf(invoiceCol), options.dayMonthOrder).days;

  const problems: RollupProblem[] = [];
  interface Line {
    key: string;
    name: string | null;
    day: number;
    amount: number;
    profit: number | null;
    cost: number | null;
    payDays: number | null;
    order: string | null;
  }
  const lines: Line[] = [];
  const readAmount = (raw: CellValue): number | null | 'bad' => {
    const c = coerceInput(raw, { id: 'amount', unit: 'currency' });
    return c.kind === 'value' ? c.value : c.kind === 'blank' ? null : 'bad';
  };
  rows.forEach((row, i) => {
    if (row.every((v) => v === null || v === undefined || (typeof v === 'string' && v.trim() === ''))) return;
    const keyRaw = row[keyCol];
    const key = keyRaw === null || keyRaw === undefined ? '' : keyText(keyRaw).trim();
    if (key === '') {
      problems.push({ line: i, field: col('accountId') === undefined ? 'account' : 'accountId', kind: 'blankAccount', text: '' });
      return;
    }
    const day = dates.days[i];
    if (day === null || day === 'bad' || day === undefined) {
      problems.push({ line: i, field: 'date', kind: 'badDate', text: keyText(row[dateCol] ?? null) });
      return;
    }
    const amount = readAmount(row[amountCol] ?? null);
    if (amount === null || amount === 'bad') {
      problems.push({ line: i, field: 'amount', kind: 'badAmount', text: keyText(row[amountCol] ?? null) });
      return;
    }
    const optional = (c: number | undefined, field: OrderLineField): number | null | 'bad' => {
      if (c === undefined) return null;
      const v = readAmount(row[c] ?? null);
      if (v === 'bad') problems.push({ line: i, field, kind: 'badNumber', text: keyText(row[c] ?? null) });
      return v;
    };
    const profit = optional(profitCol, 'profit');
    const cost = optional(costCol, 'cost');
    if (profit === 'bad' || cost === 'bad') return;
    let payDays: number | null = null;
    const paid = payDates?.[i];
    const invoiced = invoiceDates?.[i];
    if (typeof paid === 'number' && typeof invoiced === 'number') payDays = paid - invoiced;
    const nameRaw = nameCol === undefined ? null : (row[nameCol] ?? null);
    const orderRaw = orderCol === undefined ? null : (row[orderCol] ?? null);
    lines.push({
      key,
      name: nameRaw === null ? null : keyText(nameRaw).trim() || null,
      day,
      amount,
      profit,
      cost,
      payDays,
      order: orderRaw === null || keyText(orderRaw).trim() === '' ? null : keyText(orderRaw).trim(),
    });
  });
  if (lines.length === 0) return { ok: false, reason: 'noLines', columns };

  let firstDay = Infinity;
  let lastDay = -Infinity;
  for (const l of lines) {
    if (l.day < firstDay) firstDay = l.day;
    if (l.day > lastDay) lastDay = l.day;
  }
  const spec = options.period ?? { kind: 'trailing', months: 12 };
  const period = periodWindow(spec, lastDay);
  if (period.start > lastDay || period.end <= firstDay) return { ok: false, reason: 'periodOutsideData', columns, detail: `${isoDay(firstDay)} – ${isoDay(lastDay)}` };
  // Earlier windows, a year apart, as long as the data covers them completely.
  const earlier: DayWindow[] = [];
  for (let k = 1; ; k++) {
    const w = { start: addMonths(period.start, -12 * k), end: addMonths(period.end, -12 * k) };
    if (w.start < firstDay) break;
    earlier.push(w);
  }
  const windows = [period, ...earlier];
  const windowOf = (day: number): number => windows.findIndex((w) => day >= w.start && day < w.end);

  const byKey = new Map<string, { name: string | null; first: number; last: number; totals: Totals[]; lineCount: number; orders: Set<string> }>();
  for (const l of lines) {
    let a = byKey.get(l.key);
    if (!a) {
      a = { name: l.name, first: l.day, last: l.day, totals: windows.map(newTotals), lineCount: 0, orders: new Set() };
      byKey.set(l.key, a);
    }
    a.name ??= l.name;
    if (l.day < a.first) a.first = l.day;
    if (l.day > a.last) a.last = l.day;
    const w = windowOf(l.day);
    if (w < 0) continue;
    const t = a.totals[w] as Totals;
    t.sales += l.amount;
    t.lines++;
    if (l.profit !== null) {
      t.profit += l.profit;
      t.profitLines++;
    }
    if (l.cost !== null) {
      t.cost += l.cost;
      t.costLines++;
    }
    if (l.payDays !== null && l.amount > 0) {
      t.payWeighted += l.payDays * l.amount;
      t.payWeight += l.amount;
    }
    t.orders.add(l.order ?? `line ${t.lines}`);
  }

  const share = options.newAccountShare ?? 0.05;
  const accounts: AccountRollup[] = [];
  for (const [key, a] of byKey) {
    const now = a.totals[0] as Totals;
    const sales = cents(now.sales);
    const flags: RollupFlag[] = [];
    if (now.lines === 0) flags.push('noSalesInPeriod');
    else if (sales <= 0) flags.push('netReturns');
    // Margin only when every line of the period says its profit (or cost): never from part of them.
    let margin: number | null = null;
    if (sales > 0 && now.lines > 0) {
      if (profitCol !== undefined && now.profitLines === now.lines) margin = now.profit / now.sales;
      else if (costCol !== undefined && now.costLines === now.lines) margin = (now.sales - now.cost) / now.sales;
      else if (profitCol !== undefined || costCol !== undefined) flags.push('profitMissing');
    }
    // Growth over the complete periods since the account's first order (at least two).
    const series = a.totals.map((t) => cents(t.sales)).reverse();
    const windowsOldestFirst = [...windows].reverse();
    let from = 0;
    while (from < series.length - 2 && (windowsOldestFirst[from] as DayWindow).end <= a.first) from++;
    const used = series.slice(from);
    let growth: number | null = null;
    let growthPeriods = 0;
    if (used.length >= 2) {
      const start = used[0] as number;
      const end = used[used.length - 1] as number;
      if (start < share * end) {
        if (!flags.includes('noSalesInPeriod')) flags.push('newAccount');
      } else if (end >= 0 && start > 0) {
        const g = growthFromSeries(used);
        if (g.ok) {
          growth = g.growth;
          growthPeriods = g.periods;
        }
      }
    }
    accounts.push({
      key,
      name: a.name,
      sales,
      margin,
      growth,
      growthPeriods,
      paymentDays: now.payWeight > 0 ? Math.round((now.payWeighted / now.payWeight) * 10) / 10 : null,
      orders: now.orders.size,
      firstOrder: a.first,
      lastOrder: a.last,
      flags,
    });
  }

  const headerOf = (f: OrderLineField): string => textOf(columns.matches[f]?.header);
  const range = `${isoDay(period.start)} – ${isoDay(period.end - 1)}`;
  const prior = earlier.length;
  const marginFrom =
    profitCol !== undefined
      ? { en: `"${headerOf('profit')}" ÷ "${headerOf('amount')}"`, zh: `“${headerOf('profit')}” ÷ “${headerOf('amount')}”` }
      : costCol !== undefined
        ? { en: `("${headerOf('amount')}" − "${headerOf('cost')}") ÷ "${headerOf('amount')}"`, zh: `(“${headerOf('amount')}” − “${headerOf('cost')}”) ÷ “${headerOf('amount')}”` }
        : null;
  const derivations: Extract<RollupResult, { ok: true }>['derivations'] = {
    sales: { en: `sum of "${headerOf('amount')}" over ${range}, returns netted off`, zh: `${range} 期间“${headerOf('amount')}”合计(退货已冲减)` },
    margin: marginFrom && { en: `${marginFrom.en} over ${range}`, zh: `${range} 期间 ${marginFrom.zh}` },
    growth:
      prior === 0
        ? null
        : prior === 1
          ? { en: `the period's sales against the 12 months before (year on year)`, zh: `本期销售额与前 12 个月相比(同比)` }
          : { en: `compound annual rate over up to ${prior + 1} complete years of sales`, zh: `最多 ${prior + 1} 个完整年度销售额的复合年增长率` },
    paymentDays:
      payCol === undefined
        ? null
        : {
            en: `sales-weighted mean of "${headerOf('paymentDate')}" − "${textOf(headers[invoiceCol])}", in days`,
            zh: `“${headerOf('paymentDate')}” − “${textOf(headers[invoiceCol])}”的天数,按销售额加权平均`,
          },
    orders:
      orderCol === undefined
        ? { en: `lines over ${range}`, zh: `${range} 期间的行数` }
        : { en: `distinct "${headerOf('orderId')}" over ${range}`, zh: `${range} 期间不同“${headerOf('orderId')}”的个数` },
  };
  return { ok: true, accounts, period, earlier, periodLabel: periodLabelOf(spec, period), columns, derivations, problems, lineCount: rows.length };
}

/**
 * Whether a sheet looks like order lines rather than accounts: its account column repeats.
 * Returns the counts for a hint ("N lines for M accounts"), or null when every account is once.
 */
export function repeatedAccounts(accountCells: readonly CellValue[]): { lines: number; accounts: number } | null {
  const seen = new Set<string>();
  let lines = 0;
  for (const v of listOf<CellValue>(accountCells)) {
    if (v === null || v === undefined) continue;
    const key = normalizeWord(keyText(v));
    if (key === '') continue;
    lines++;
    seen.add(key);
  }
  return orderLinesVerdict(lines, seen.size);
}

/** Lines against distinct accounts: whether they look like order lines (for a caller that counts them itself, as a streamed file does). */
export function orderLinesVerdict(lines: number, accounts: number): { lines: number; accounts: number } | null {
  // A duplicate or two is a data-entry slip; order lines repeat on a large scale.
  return accounts > 0 && lines >= 1.5 * accounts && lines - accounts >= 3 ? { lines, accounts } : null;
}

/** What the roll-up flags say, in each language. */
export const ROLLUP_FLAG_TEXT: Readonly<Record<RollupFlag, Record<Lang, string>>> = {
  netReturns: { en: 'net returns: returns exceed purchases in the period', zh: '净退货:本期退货超过采购' },
  newAccount: { en: 'new account: growth not meaningful', zh: '新客户:增长率无意义' },
  profitMissing: { en: 'margin left blank: some lines have no profit or cost', zh: '毛利率留空:部分行没有利润或成本' },
  noSalesInPeriod: { en: 'no orders in the period', zh: '本期没有订单' },
};
