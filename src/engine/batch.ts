import { coerceInput, plainDecimal } from './coerce';
import { compileRules, curvePoints, holds, roundScore, scoredInput } from './compile';
import { message, type Message } from './i18n/messages';
import type { RuleSet } from './rules/schema';
import { defaultRules } from './rules/defaults';
import { badRules, isObject, own, usableRules } from './guard';
import { accountRate, CURRENCY_FIELD } from './currency';
import { OUTCOME_IDS, type CellValue, type OutcomeId } from './types';

/** Outcome codes as stored in `BatchResult.outcome`: indexes into OUTCOME_IDS. */
export const OUTCOME_CODE: Readonly<Record<OutcomeId, number>> = Object.fromEntries(OUTCOME_IDS.map((id, i) => [id, i])) as Record<OutcomeId, number>;
const STRATEGIC = OUTCOME_CODE.strategic;
const KEY = OUTCOME_CODE.key;
const DEVELOP = OUTCOME_CODE.develop;
const MAINTAIN = OUTCOME_CODE.maintain;
const EXCLUDED = OUTCOME_CODE.excluded;
const INSUFFICIENT = OUTCOME_CODE.insufficient;
const INVALID = OUTCOME_CODE.invalid;

/**
 * Accounts as columns: one array of raw cell values per criterion id, all `rowCount` long.
 * A criterion with no column is blank for every account. This is the shape sheets, CSV files and
 * spilled formula ranges already have, so nobody builds an object per account.
 */
export interface ColumnInput {
  rowCount: number;
  columns: Readonly<Record<string, ArrayLike<CellValue> | undefined>>;
  /**
   * Each account's currency (ISO code), when the sheet has a currency column. Read only when the
   * rule set has a currency; without the column, amounts are in the rule set's currency unless
   * they say otherwise ("€1,200").
   */
  currency?: ArrayLike<CellValue>;
}

/** The verdicts for many accounts, in typed arrays (a million accounts take ~30 MB). */
export interface BatchResult {
  readonly rules: RuleSet;
  readonly rowCount: number;
  /** Score with one decimal; NaN where there is none (unreadable input, or nothing present). */
  readonly score: Float64Array;
  /** Index into OUTCOME_IDS. */
  readonly outcome: Uint8Array;
  /** Bit i set: criterion i was not scored (blank, or its headroom base was blank). */
  readonly missingMask: Uint32Array;
  /** Bit k set: knock-out k fired. */
  readonly knockoutMask: Uint32Array;
  /** Share of the total weight that was present, 0–1. */
  readonly presentShare: Float64Array;
  /** Bit i set: criterion i has no column at all (`BatchOptions.absent`). */
  readonly absentMask?: number;
  /** The input problems of the rows that have any, by row index. */
  readonly problems: ReadonlyMap<number, readonly Message[]>;
  /** Set when `keepValues` was asked: row-major coerced inputs, NaN where blank or unreadable. */
  readonly values?: Float64Array;
  /** Set when nothing could be scored because an argument was unusable (rules, rowCount, columns): what was wrong. */
  readonly problem?: Message;
  /**
   * Set when the rule set has a currency: the rate each row's amounts were multiplied by (NaN where
   * none was applied) and the code it converted from, by row. `values` hold the converted amounts.
   */
  readonly conversion?: { readonly rate: Float64Array; readonly code: ReadonlyArray<string | undefined> };
}

export interface BatchOptions {
  /** Keep every coerced input (row-major, criteria.length per row), for explanations. */
  keepValues?: boolean;
  /**
   * Criteria whose column the sheet does not have at all (not merely blank cells, and not a blank
   * formula argument): reported once by the caller, so left out of the per-row "missing" flags.
   */
  absent?: readonly string[];
}

/**
 * Scores many accounts: the one kernel behind every surface (single-account evaluation is this on
 * one row). Bad cells never stop the batch: their row becomes `invalid` with its problems listed.
 */
export function scoreColumns(input: ColumnInput, rules: RuleSet, options: BatchOptions = {}): BatchResult {
  const usable = usableRules(rules);
  if (!usable) return emptyResult(badRules);
  const rowCount: unknown = isObject(input) ? input.rowCount : undefined;
  if (typeof rowCount !== 'number' || !Number.isSafeInteger(rowCount) || rowCount < 0 || rowCount > MAX_ROWS) {
    return emptyResult(message('badArgument', { argument: 'rowCount', expected: `a whole number from 0 to ${MAX_ROWS}` }), usable);
  }
  const given: unknown = input.columns;
  if (!isObject(given)) return emptyResult(message('badArgument', { argument: 'columns', expected: 'an object of columns keyed by criterion id' }), usable);
  rules = usable;
  const compiled = compileRules(rules);
  const criteria = compiled.criteria;
  const n = criteria.length;
  const columns = criteria.map((c): ArrayLike<CellValue> | undefined => {
    const column = own(given, c.id);
    // A column is anything indexable by row; a number or a boolean in its place holds nothing.
    return (typeof column === 'object' && column !== null) || typeof column === 'string' ? (column as ArrayLike<CellValue>) : undefined;
  });
  const wantValues = isObject(options) && options.keepValues === true;
  const score = new Float64Array(rowCount);
  const outcome = new Uint8Array(rowCount);
  const missingMask = new Uint32Array(rowCount);
  const knockoutMask = new Uint32Array(rowCount);
  const presentShare = new Float64Array(rowCount);
  const problems = new Map<number, Message[]>();
  const values = wantValues ? new Float64Array(rowCount * n) : undefined;
  const row = new Float64Array(n); // this row's coerced inputs, NaN = blank or unreadable
  const knockouts = compiled.knockouts;
  const [strategicMin, keyMin, developMin] = compiled.thresholds;
  const required = requiredMask(rules);
  const currency = compiled.currency !== undefined && compiled.amounts.length > 0 ? compiled.currency : undefined;
  const currencyColumn: unknown = input.currency;
  const hasCurrencyColumn = (typeof currencyColumn === 'object' && currencyColumn !== null) || typeof currencyColumn === 'string';
  const currencyCells = hasCurrencyColumn ? (currencyColumn as ArrayLike<CellValue>) : undefined;
  const rates = currency ? new Float64Array(rowCount).fill(NaN) : undefined;
  const codes: Array<string | undefined> | undefined = currency ? [] : undefined;
  let absentMask = 0;
  for (const id of options.absent ?? []) {
    const i = criteria.findIndex((c) => c.id === id);
    if (i >= 0) absentMask |= 1 << i;
  }

  for (let r = 0; r < rowCount; r++) {
    let rowProblems: Message[] | undefined;
    for (let i = 0; i < n; i++) {
      const column = columns[i];
      const raw = column === undefined ? undefined : column[r];
      const c = criteria[i] as (typeof criteria)[number];
      // Fast path: a finite number inside the valid range (NaN fails every test, ±Infinity the last,
      // and both take the slow path, which refuses them).
      if (typeof raw === 'number' && raw >= c.validMin && raw <= c.validMax && raw - raw === 0) {
        row[i] = raw;
        continue;
      }
      if (typeof raw === 'string') {
        // CSV cells and texts typed in a sheet: plain digits are read here, without an object per cell.
        const x = plainDecimal(raw);
        if (x >= c.validMin && x <= c.validMax) {
          row[i] = x;
          continue;
        }
      }
      row[i] = NaN;
      if (raw === undefined || raw === null || raw === '') continue;
      const coerced = coerceInput(raw, c.field);
      if (coerced.kind === 'value') row[i] = coerced.value;
      else if (coerced.kind === 'problem') (rowProblems ??= []).push(coerced.problem);
    }
    if (currency && !rowProblems) {
      // Amounts are converted to the rule set's currency before any curve or knock-out reads them.
      const amounts = compiled.amounts.filter((i) => row[i] === row[i]).map((i) => ({ field: (criteria[i] as (typeof criteria)[number]).id, raw: columns[i]?.[r] ?? null }));
      if (amounts.length > 0) {
        const found = accountRate(currency, currencyCells?.[r], hasCurrencyColumn, amounts);
        if ('problem' in found) (rowProblems ??= []).push(found.problem);
        else {
          for (const i of compiled.amounts) row[i] = (row[i] as number) * found.rate;
          (rates as Float64Array)[r] = found.rate;
          (codes as Array<string | undefined>)[r] = found.code;
        }
      }
    }
    if (values) values.set(row, r * n);
    if (rowProblems) {
      problems.set(r, rowProblems);
      score[r] = NaN;
      outcome[r] = INVALID;
      continue;
    }

    let weighted = 0;
    let presentWeight = 0;
    let missing = 0;
    for (let i = 0; i < n; i++) {
      const c = criteria[i] as (typeof criteria)[number];
      const x = scoredInput(c, row);
      if (x !== x) {
        missing |= 1 << i;
        continue;
      }
      weighted += c.weight * curvePoints(c, x);
      presentWeight += c.weight;
    }

    let fired = 0;
    let excluded = false;
    for (let ki = 0; ki < knockouts.length; ki++) {
      const k = knockouts[ki] as (typeof knockouts)[number];
      let all = true;
      for (let ci = 0; ci < k.conditions.length; ci++) {
        const cond = k.conditions[ci] as (typeof k.conditions)[number];
        const x = row[cond.criterion] as number;
        if (x !== x || !holds(cond.op, x, cond.value)) {
          all = false;
          break;
        }
      }
      if (all) {
        fired |= 1 << k.index;
        if (k.exclude) excluded = true;
      }
    }

    const share = compiled.totalWeight > 0 ? presentWeight / compiled.totalWeight : 0;
    const s = presentWeight > 0 ? roundScore(weighted / presentWeight) : NaN;
    score[r] = s;
    presentShare[r] = share;
    missingMask[r] = missing;
    knockoutMask[r] = fired;
    // Verdict order: a knock-out decides before the score; too little data overrides the score.
    if (excluded) outcome[r] = EXCLUDED;
    else if (share < compiled.minWeightShare || s !== s || (required !== 0 && blankRequired(row, required) !== 0)) outcome[r] = INSUFFICIENT;
    else outcome[r] = s >= strategicMin ? STRATEGIC : s >= keyMin ? KEY : s >= developMin ? DEVELOP : MAINTAIN;
  }

  const result: BatchResult = {
    rules,
    rowCount,
    score,
    outcome,
    missingMask,
    knockoutMask,
    presentShare,
    problems,
    absentMask,
    ...(rates && codes ? { conversion: { rate: rates, code: codes } } : {}),
  };
  return genuine(values ? { ...result, values } : result);
}

/**
 * The most rows one call scores: typed arrays of this length stay well inside what V8 allocates
 * (a larger input is scored in blocks, as the command line does).
 */
export const MAX_ROWS = 2 ** 27;

const results = new WeakSet<BatchResult>();
function genuine(result: BatchResult): BatchResult {
  results.add(result);
  return result;
}

/** Whether a value is a result scoreColumns made: the functions that read one accept nothing else. */
export function isBatchResult(value: unknown): value is BatchResult {
  return isObject(value) && results.has(value as unknown as BatchResult);
}

/** A result with no rows that says why: the input or the rules could not be used. */
function emptyResult(problem: Message, rules: RuleSet = defaultRules()): BatchResult {
  const empty = { rules, rowCount: 0, score: new Float64Array(0), outcome: new Uint8Array(0), missingMask: new Uint32Array(0) };
  return genuine({ ...empty, knockoutMask: new Uint32Array(0), presentShare: new Float64Array(0), problems: new Map(), values: new Float64Array(0), problem });
}

/** Accounts as plain objects keyed by criterion id → the column shape the kernel takes. */
export function columnsFromAccounts(accounts: ReadonlyArray<Readonly<Record<string, unknown>>>, rules: RuleSet): ColumnInput {
  const usable = usableRules(rules);
  const list: readonly unknown[] = Array.isArray(accounts) ? accounts : [];
  // Null-prototype: a criterion id never meets Object.prototype's members here.
  const columns: Record<string, CellValue[]> = Object.create(null) as Record<string, CellValue[]>;
  for (const c of usable?.criteria ?? []) {
    const column = new Array<CellValue>(list.length);
    // An account that is not an object (null, a number) has no inputs: every criterion is blank.
    for (let r = 0; r < list.length; r++) column[r] = own(list[r] as Record<string, unknown>, c.id) as CellValue;
    columns[c.id] = column;
  }
  if (usable?.currency === undefined) return { rowCount: list.length, columns };
  // With a rule-set currency, an account's `currency` field says what its amounts are in.
  const currency = list.map((a) => own(a as Record<string, unknown>, CURRENCY_FIELD) as CellValue);
  return { rowCount: list.length, columns, ...(currency.some((c) => c !== undefined) ? { currency } : {}) };
}

/**
 * Marks a row as not scored because its input as a whole could not be read (an account that is not
 * an object): used by evaluate and evaluateBatch on a result they just made.
 */
export function rejectRow(result: BatchResult, row: number, problem: Message): void {
  if (!isBatchResult(result) || row < 0 || row >= result.rowCount) return;
  result.outcome[row] = INVALID;
  result.score[row] = NaN;
  result.missingMask[row] = 0;
  result.knockoutMask[row] = 0;
  result.presentShare[row] = 0;
  (result.problems as Map<number, readonly Message[]>).set(row, [problem]);
}

/** Bit i set: criterion i is required (an account without it is Insufficient data). */
export function requiredMask(rules: RuleSet): number {
  let mask = 0;
  rules.criteria.forEach((c, i) => {
    if (c.required === true) mask |= 1 << i;
  });
  return mask;
}

/** The required criteria whose input is blank (NaN) in a row of coerced inputs, as a mask. */
function blankRequired(row: Float64Array, required: number): number {
  let blank = 0;
  for (let i = 0; i < row.length; i++) {
    const x = row[i] as number;
    if ((required & (1 << i)) !== 0 && x !== x) blank |= 1 << i;
  }
  return blank;
}

/**
 * The missing-data message of a row, or undefined when every criterion was scored. Criteria with
 * no column at all are left out (the caller reports them once), and so are those in `leaveOut`.
 */
export function missingMessage(result: BatchResult, row: number, leaveOut = 0): Message | undefined {
  if (!isBatchResult(result)) return undefined;
  const mask = (result.missingMask[row] ?? 0) & ~(result.absentMask ?? 0) & ~leaveOut;
  if (mask === 0 || result.outcome[row] === INVALID) return undefined;
  const fields = result.rules.criteria.filter((_, i) => (mask & (1 << i)) !== 0).map((c) => c.id);
  return message('missingData', { fields });
}

/** Why a row is Insufficient data when a required input is blank (in a column the sheet has). */
export function requiredMessage(result: BatchResult, row: number): Message | undefined {
  if (result.outcome[row] === INVALID) return undefined;
  const mask = (result.missingMask[row] ?? 0) & requiredMask(result.rules) & ~(result.absentMask ?? 0);
  if (mask === 0) return undefined;
  const fields = result.rules.criteria.filter((_, i) => (mask & (1 << i)) !== 0).map((c) => c.id);
  return message('requiredMissing', { fields });
}

export function outcomeAt(result: BatchResult, row: number): OutcomeId {
  if (!isBatchResult(result) || typeof row !== 'number') return 'invalid';
  return OUTCOME_IDS[result.outcome[row] ?? INVALID] ?? 'invalid';
}

/** Counts per outcome, in OUTCOME_IDS order. */
export function countOutcomes(result: BatchResult): Record<OutcomeId, number> {
  const counts = Object.fromEntries(OUTCOME_IDS.map((id) => [id, 0])) as Record<OutcomeId, number>;
  if (!isBatchResult(result)) return counts;
  for (let r = 0; r < result.rowCount; r++) counts[OUTCOME_IDS[result.outcome[r] as number] as OutcomeId]++;
  return counts;
}
