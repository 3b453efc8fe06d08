import {
  capacityPlan,
  cellAddress,
  coerceInput,
  criterionLabel,
  explainRow,
  flagsText,
  flagText,
  formatMessage,
  growthFromSeries,
  horizonBucket,
  horizonBucketLabels,
  isBlankCell,
  isExcelError,
  hoursPerMonth,
  LABEL_PACKS,
  missingMessage,
  OUTCOME_CODE,
  OUTCOME_IDS,
  outcomeAt,
  outcomeLabel,
  PLANNING_INPUTS,
  portfolioQuadrant,
  priorityRanks,
  readContact,
  relationshipCoverage,
  rowFlags,
  scoreColumns,
  type BatchResult,
  type CellValue,
  type ContactInput,
  type FieldSpec,
  type Lang,
  type Message,
  type OutcomeId,
  type RuleSet,
} from '../engine';
import { alignColumns, isProblem, readCell, readLanguage, singleValue, spillColumn, type ShapeProblem } from './args';
import { criteriaBeyondArguments, FUNCTION_CATALOG, type AccountInput, type FunctionId, type ParamName, type ParamsOf, type ParamSpec } from './catalog';
import { Errors, type ErrorFactory } from './errors';
import { argName, EXPECTATIONS, hasArgName, text } from './i18n/texts';
import { RulesCache } from './rules-cache';

/**
 * The KAM custom functions as plain functions over Excel's argument shapes. functions.ts is only
 * their JSDoc (which Excel's metadata is generated from); everything else is here, importable in
 * Node without the `CustomFunctions` global: the error objects come from an injected factory.
 * No rule logic lives here: every verdict comes from the engine.
 */

/** What a function returns to a cell: a value, or an error object from the factory. */
export type Cell<E> = number | string | E;
/** Every function returns a matrix: one cell, a spilled column (one row per account) or a table. */
export type Matrix<E> = Array<Array<Cell<E>>>;

/** The functions that take the seven account inputs. */
type AccountFunctionId = 'SCORE' | 'TIER' | 'EXPLAIN' | 'FLAGS' | 'PRIORITY' | 'HOURS';
/** A function's arguments in catalog order; trailing ones may be omitted (Excel passes null). */
type OptionalArgs<T extends readonly unknown[]> = { -readonly [K in keyof T]?: unknown };
export type ArgsOf<F extends FunctionId> = OptionalArgs<ParamsOf<F>>;
export type KamFunctions<E> = { readonly [F in FunctionId]: (...args: ArgsOf<F>) => Matrix<E> };

export interface KamOptions {
  /** Share a cache between adapters, or give one with a counting parser in tests. */
  rulesCache?: RulesCache;
}

const INVALID = OUTCOME_CODE.invalid;
const KEEP_VALUES = { keepValues: true } as const;
const NO_OPTIONS = {} as const;
/** Problems whose engine message says what is wrong but not what to type instead. */
const NEEDS_EXPECTATION: ReadonlySet<Message['key']> = new Set(['notNumber', 'yesNoNotAllowed', 'unsupportedValue']);

/** Fields as the engine's messages name them → the parameters that carry them. */
const FIELD_PARAM: Readonly<Record<string, string>> = { role: 'roles', stance: 'stances', periodTotal: 'periodTotals' };
/** What growth expects of each period total (the engine reads them as amounts ≥ 0). */
const PERIOD_TOTAL: FieldSpec = { id: 'periodTotal', unit: 'currency', validMin: 0 };

interface Context {
  lang: Lang;
  rules: RuleSet;
}

/**
 * A call's arguments, read once by the one pipeline every function goes through: the language,
 * the rules, each `column` group aligned to one height, each `cell` parameter's one value, and the
 * rest (`table`, `block`) as Excel passed them. What it reads is what the catalog declares.
 */
interface Run<F extends FunctionId> extends Context {
  columns: Readonly<Partial<Record<ParamName<F>, ArrayLike<CellValue>>>>;
  /** The height of each `rows` group. */
  rowCounts: Readonly<Record<string, number>>;
  cells: Readonly<Partial<Record<ParamName<F>, CellValue>>>;
  raw: Readonly<Partial<Record<ParamName<F>, unknown>>>;
}

interface AccountRun extends Context {
  result: BatchResult;
  rowCount: number;
}

const specsOf = (id: FunctionId): readonly ParamSpec[] => FUNCTION_CATALOG[id].params;

/** The engine's spec for reading a number from a parameter, as the catalog declares it. */
function inputSpec<F extends FunctionId>(id: F, name: ParamName<F>): FieldSpec {
  const input = specsOf(id).find((p) => p.name === name)?.input;
  if (input === undefined) throw new Error(`the catalog gives ${id}'s ${name} no input spec`);
  return PLANNING_INPUTS[input];
}

const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));

class Kam<E> {
  readonly errors: Errors<E>;

  constructor(
    makeError: ErrorFactory<E>,
    readonly rulesCache: RulesCache,
  ) {
    this.errors = new Errors(makeError);
  }

  /** The one cell a call returns when it cannot run: a bad [rules] or [language], or arguments of the wrong shape. */
  callError(problem: ShapeProblem): Matrix<E> {
    return [[this.errors.value(problem.problem)]];
  }

  /**
   * The run pipeline: language, then rules (the defaults for a function without [rules]), then
   * `check` on them, then each column group aligned and each single cell read, in catalog order.
   * The first problem stops the call.
   */
  prepare<F extends FunctionId>(id: F, args: readonly unknown[], check?: (ctx: Context) => ShapeProblem | undefined): Run<F> | ShapeProblem {
    const specs = specsOf(id);
    const argOf = (name: string): unknown => args[specs.findIndex((p) => p.name === name)];
    const lang = readLanguage(argOf('language'));
    if (isProblem(lang)) return lang;
    const rules = specs.some((p) => p.name === 'rules') ? this.readRules(argOf('rules'), lang) : this.rulesCache.defaultRules;
    if (isProblem(rules)) return rules;
    const ctx: Context = { lang, rules };
    const refused = check?.(ctx);
    if (refused) return refused;

    const columns: Record<string, ArrayLike<CellValue> | undefined> = {};
    const rowCounts: Record<string, number> = {};
    const cells: Record<string, CellValue> = {};
    const raw: Record<string, unknown> = {};
    const groups = [...new Set(specs.flatMap((p) => (p.shape === 'column' ? [p.rows ?? ''] : [])))];
    for (const group of groups) {
      const names = specs.filter((p) => p.shape === 'column' && (p.rows ?? '') === group).map((p) => p.name);
      const aligned = alignColumns(names, names.map(argOf), lang);
      if (isProblem(aligned)) return aligned;
      rowCounts[group] = aligned.rowCount;
      names.forEach((name, i) => (columns[name] = aligned.columns[i]));
    }
    for (const p of specs) {
      if (p.shape === 'cell' && p.name !== 'language') {
        const single = singleValue(p.name, argOf(p.name), lang);
        if (isProblem(single)) return single;
        cells[p.name] = single.value;
      } else if (p.shape === 'table' || p.shape === 'block') {
        raw[p.name] = argOf(p.name);
      }
    }
    return { lang, rules, columns, rowCounts, cells, raw } as Run<F>;
  }

  private readRules(arg: unknown, lang: Lang): RuleSet | ShapeProblem {
    const lookup = this.rulesCache.resolve(arg);
    if (lookup.ok) return lookup.rules;
    const first = lookup.issues[0];
    return {
      problem: text(lang, 'rulesInvalid', {
        cell: first?.cell ? cellAddress(first.cell) : null,
        path: first?.path ?? '',
        problem: first?.message ?? '',
        more: lookup.issues.length - 1,
      }),
    };
  }

  /** Names fields by the argument that carries them; criteria without an argument by their label. */
  describe(problem: Message, ctx: Context, spec?: FieldSpec): string {
    const { lang, rules } = ctx;
    const labelOf = (id: string, l: Lang): string => {
      const param = Object.prototype.hasOwnProperty.call(FIELD_PARAM, id) ? (FIELD_PARAM[id] as string) : id;
      return hasArgName(param) ? argName(param, l) : criterionLabel(rules, id, l);
    };
    const said = formatMessage(problem, lang, labelOf);
    if (!NEEDS_EXPECTATION.has(problem.key) || !('field' in problem.params)) return said;
    const field = problem.params.field;
    const criterion = rules.criteria.find((c) => c.id === field);
    const unitSpec = spec ?? (criterion ? { unit: criterion.unit, validMin: criterion.validMin, validMax: criterion.validMax } : undefined);
    if (!unitSpec) return said;
    return said + text(lang, 'expected', { what: this.expectation(unitSpec, criterion, lang) });
  }

  private expectation(spec: Pick<FieldSpec, 'unit' | 'validMin' | 'validMax'>, criterion: RuleSet['criteria'][number] | undefined, lang: Lang): string {
    const e = EXPECTATIONS[lang];
    switch (spec.unit) {
      case 'fraction':
        return e.fraction;
      case 'currency':
        return e.currency;
      case 'days':
        return e.days;
      case 'rating':
        return e.rating(criterion?.curve.min ?? spec.validMin ?? 0, criterion?.curve.max ?? spec.validMax ?? 5);
      case 'number':
        if (spec.validMin !== undefined && spec.validMax !== undefined) return e.numberBetween(spec.validMin, spec.validMax);
        if (spec.validMin !== undefined) return e.numberFrom(spec.validMin);
        return e.number;
    }
  }

  /** The error of one unreadable value; an Excel error passed in comes back out as itself. */
  problemError(problems: readonly Message[], ctx: Context, spec?: FieldSpec): E {
    const said = problems.map((p) => this.describe(p, ctx, spec)).join(ctx.lang === 'zh' ? ';' : '; ');
    for (const p of problems) if (p.key === 'excelError') return this.errors.passThrough(p.params.error, said);
    return this.errors.value(said);
  }

  /** Row `row` of a column parameter, read as a number with the spec the catalog gives it. */
  columnNumber<F extends FunctionId>(id: F, run: Run<F>, name: ParamName<F>, row: number): number | E {
    return this.numberOrError(run.columns[name]?.[row], inputSpec(id, name), run);
  }

  /** A number read with a planning input's spec (attractiveness, months, capacity): the value, or the cell's error. */
  numberOrError(raw: CellValue | undefined, spec: FieldSpec, ctx: Context): number | E {
    const c = coerceInput(raw, spec);
    if (c.kind === 'value') return c.value;
    if (c.kind === 'blank') return this.errors.notAvailable(text(ctx.lang, 'blankInput', { arg: argName(spec.id, ctx.lang) }));
    return this.problemError([c.problem], ctx, spec);
  }

  // ---- The account functions: seven inputs, scored by the engine's batch kernel ----

  accounts<F extends AccountFunctionId>(id: F, args: readonly unknown[], keepValues: boolean): (AccountRun & { run: Run<F> }) | ShapeProblem {
    // A criterion the seven arguments can't carry would be scored as missing for every account,
    // quietly reweighting the rest: refuse instead, so the formulas never disagree with kam and the pane.
    const run = this.prepare(id, args, (ctx) => {
      const extra = criteriaBeyondArguments(ctx.rules);
      return extra.length > 0 ? { problem: text(ctx.lang, 'extraCriteria', { ids: extra.map((c) => c.label[ctx.lang]).join(', ') }) } : undefined;
    });
    if (isProblem(run)) return run;
    const rowCount = run.rowCounts.accounts ?? 1;
    const columns: Partial<Record<AccountInput, ArrayLike<CellValue>>> = run.columns;
    // An omitted [currency] is no column at all (amounts in the rules' currency), not a column of blanks.
    const currencyArg = args[specsOf(id).findIndex((p) => p.name === 'currency')];
    // A given but blank [currency] (an empty currency cell) is a column of blanks: the account's currency is missing.
    const given = (run.columns as Readonly<Record<string, ArrayLike<CellValue> | undefined>>).currency;
    const currency = currencyArg === null || currencyArg === undefined ? {} : { currency: given ?? new Array<CellValue>(rowCount).fill(null) };
    const result = scoreColumns({ rowCount, columns, ...currency }, run.rules, keepValues ? KEEP_VALUES : NO_OPTIONS);
    return { lang: run.lang, rules: run.rules, result, rowCount, run };
  }

  rowError(run: AccountRun, row: number): E {
    return this.problemError(run.result.problems.get(row) ?? [], run);
  }

  score(run: AccountRun, row: number): Cell<E> {
    const { result } = run;
    if (result.outcome[row] === INVALID) return this.rowError(run, row);
    const s = result.score[row] as number;
    if (s === s) return s;
    // Nothing to score: the missing-data policy gives no number, and saying 0 would be a guess.
    const missing = missingMessage(result, row);
    return this.errors.notAvailable(missing ? this.describe(missing, run) : text(run.lang, 'noWeightedData', {}));
  }

  tier(run: AccountRun, row: number): Cell<E> {
    if (run.result.outcome[row] === INVALID) return this.rowError(run, row);
    return outcomeLabel(run.rules, outcomeAt(run.result, row), run.lang);
  }

  /** The flags as text; unreadable inputs are flags too, except an Excel error, which comes back out. */
  flags(run: AccountRun, row: number): Cell<E> {
    const problems = run.result.problems.get(row);
    const passed = problems?.find((p) => p.key === 'excelError');
    if (passed) return this.problemError(problems ?? [], run);
    return flagsText(rowFlags(run.result, row), run.lang, run.rules);
  }

  outcomes(run: AccountRun): { outcomes: OutcomeId[]; scores: Array<number | null> } {
    const { result } = run;
    const outcomes = new Array<OutcomeId>(run.rowCount);
    const scores = new Array<number | null>(run.rowCount);
    for (let r = 0; r < run.rowCount; r++) {
      outcomes[r] = OUTCOME_IDS[result.outcome[r] as number] as OutcomeId;
      const s = result.score[r] as number;
      scores[r] = s === s ? s : null;
    }
    return { outcomes, scores };
  }

  priority(run: AccountRun): Matrix<E> {
    const { outcomes, scores } = this.outcomes(run);
    const ranks = priorityRanks(outcomes, scores);
    return spillColumn(run.rowCount, (r) => (run.result.outcome[r] === INVALID ? this.rowError(run, r) : (ranks[r] as number)));
  }

  hours(run: AccountRun, capacityCell: CellValue | undefined): Matrix<E> {
    const { outcomes, scores } = this.outcomes(run);
    let cut: ReadonlySet<number> = new Set();
    if (!isBlankCell(capacityCell)) {
      const capacity = this.numberOrError(capacityCell, inputSpec('HOURS', 'capacity'), run);
      if (typeof capacity !== 'number') return [[capacity]];
      cut = new Set(capacityPlan(outcomes, scores, capacity, run.rules).cuts);
    }
    return spillColumn(run.rowCount, (r) => {
      if (run.result.outcome[r] === INVALID) return this.rowError(run, r);
      return cut.has(r) ? 0 : hoursPerMonth(outcomes[r] as OutcomeId, run.rules);
    });
  }

  explain(run: AccountRun): Matrix<E> {
    const { lang, rules } = run;
    const e = explainRow(run.result, 0);
    const L = LABEL_PACKS[lang].explanation;
    const table: Matrix<E> = [[L.criterion, L.input, L.points, L.weight, L.contribution]];
    const byField = new Map<string, Message[]>();
    for (const p of e.problems) {
      const field = 'field' in p.params ? p.params.field : '';
      byField.set(field, [...(byField.get(field) ?? []), p]);
    }
    for (const c of e.criteria) {
      const input: Cell<E> = c.status === 'invalid' ? this.problemError(byField.get(c.id) ?? [], run) : (c.input ?? '');
      table.push([c.label[lang], input, c.points ?? '', c.weight, c.contribution ?? '']);
    }
    table.push([L.score, e.score ?? '', '', '', '']);
    table.push([L.tier, outcomeLabel(rules, e.outcome, lang), '', '', '']);
    for (const k of e.knockouts) table.push([L.knockout, k.reason[lang], '', '', '']);
    for (const f of e.flags) if (f.kind === 'message') table.push([L.flag, flagText(f, lang, rules), '', '', '']);
    for (const c of e.criteria) if (c.note) table.push([L.flag, formatMessage(c.note, lang, (id, l) => criterionLabel(rules, id, l)), '', '', '']);
    return table;
  }

  // ---- Relationships, portfolio, horizon, growth ----

  coverage(args: readonly unknown[]): Matrix<E> {
    const ctx = this.prepare('COVERAGE', args);
    if (isProblem(ctx)) return this.callError(ctx);
    const { contactAccounts: owners, roles, stances, engaged } = ctx.columns;
    const contactCount = ctx.rowCounts.contacts ?? 1;

    // Contacts grouped by their account, once, however many accounts are asked about.
    const byAccount = new Map<string, number[]>();
    for (let i = 0; i < contactCount; i++) {
      const key = accountKey(owners?.[i]);
      if (key === '') continue;
      const rows = byAccount.get(key);
      if (rows) rows.push(i);
      else byAccount.set(key, [i]);
    }

    const names = ctx.columns.account;
    return spillColumn(ctx.rowCounts.accounts ?? 1, (r): Cell<E> => {
      const account = names?.[r];
      if (isExcelError(account)) {
        return this.errors.passThrough(account, text(ctx.lang, 'inputError', { arg: argName('account', ctx.lang), error: account }));
      }
      const key = accountKey(account);
      if (key === '') return this.errors.notAvailable(text(ctx.lang, 'blankInput', { arg: argName('account', ctx.lang) }));
      const inputs: ContactInput[] = [];
      for (const i of byAccount.get(key) ?? []) {
        const input: ContactInput = { role: roles?.[i] ?? null, stance: stances?.[i] ?? null, engaged: engaged?.[i] ?? null };
        for (const [field, value] of Object.entries(input)) {
          if (isExcelError(value)) {
            const param = Object.prototype.hasOwnProperty.call(FIELD_PARAM, field) ? (FIELD_PARAM[field] as string) : field;
            const said = text(ctx.lang, 'inputError', { arg: argName(param, ctx.lang), error: value });
            return this.errors.passThrough(value, text(ctx.lang, 'contactRow', { row: i + 1, detail: said }));
          }
        }
        const read = readContact(input, ctx.rules);
        if (read.problems.length > 0) {
          const detail = read.problems.map((p) => this.describe(p, ctx)).join(ctx.lang === 'zh' ? ';' : '; ');
          return this.errors.value(text(ctx.lang, 'contactRow', { row: i + 1, detail }));
        }
        inputs.push(input);
      }
      return relationshipCoverage(inputs, ctx.rules).coverage;
    });
  }

  quadrant(args: readonly unknown[]): Matrix<E> {
    const ctx = this.prepare('QUADRANT', args);
    if (isProblem(ctx)) return this.callError(ctx);
    const labels = LABEL_PACKS[ctx.lang].quadrant;
    return spillColumn(ctx.rowCounts.accounts ?? 1, (r): Cell<E> => {
      const a = this.columnNumber('QUADRANT', ctx, 'attractiveness', r);
      if (typeof a !== 'number') return a;
      const s = this.columnNumber('QUADRANT', ctx, 'strength', r);
      if (typeof s !== 'number') return s;
      return labels[portfolioQuadrant(a, s, ctx.rules)];
    });
  }

  horizon(args: readonly unknown[]): Matrix<E> {
    const ctx = this.prepare('HORIZON', args);
    if (isProblem(ctx)) return this.callError(ctx);
    const labels = horizonBucketLabels(ctx.rules);
    return spillColumn(ctx.rowCounts.results ?? 1, (r): Cell<E> => {
      const m = this.columnNumber('HORIZON', ctx, 'months', r);
      return typeof m === 'number' ? (labels[horizonBucket(m, ctx.rules)] as string) : m;
    });
  }

  growthRate(args: readonly unknown[]): Matrix<E> {
    const ctx = this.prepare('GROWTHRATE', args);
    if (isProblem(ctx)) return this.callError(ctx);
    const { lang } = ctx;
    const arg = ctx.raw.periodTotals;
    const table: ReadonlyArray<ReadonlyArray<unknown>> = Array.isArray(arg)
      ? (arg as unknown[]).map((row): readonly unknown[] => (Array.isArray(row) ? (row as unknown[]) : [row]))
      : [[arg]];
    const rows = table.length;
    const cols = rows === 0 ? 0 : (table[0] as readonly unknown[]).length;
    if (rows === 0 || cols === 0) return this.callError({ problem: text(lang, 'empty', { arg: argName('periodTotals', lang) }) });
    const growthOf = (series: CellValue[]): Cell<E> => {
      const g = growthFromSeries(series);
      if (g.ok) return g.growth;
      // A total that cannot be read is a wrong value; a series too short, with a gap or starting at 0
      // is missing data.
      if ('field' in g.problem.params) return this.problemError([g.problem], ctx, PERIOD_TOTAL);
      return this.errors.notAvailable(this.describe(g.problem, ctx));
    };
    // One row or one column is one series; a block is one series per row (periods across).
    if (rows === 1 || cols === 1) return [[growthOf(table.flatMap((row) => row.map(readCell)))]];
    return spillColumn(rows, (r) => growthOf((table[r] as readonly unknown[]).map(readCell)));
  }
}

/** Account names match whatever their case, width or surrounding spaces; numbers match their text. */
function accountKey(v: CellValue | undefined): string {
  // Only what a cell can hold names an account: any other value (an object from a caller) names none.
  if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return '';
  return String(v).normalize('NFKC').trim().toLowerCase();
}

/**
 * The KAM functions over Excel's argument shapes. `makeError` builds what a cell shows for an
 * error; in Excel, `new CustomFunctions.Error(CustomFunctions.ErrorCode[code], message)`.
 */
export function createKamFunctions<E>(makeError: ErrorFactory<E>, options: KamOptions = {}): KamFunctions<E> & { rulesCache: RulesCache } {
  const kam = new Kam<E>(makeError, options.rulesCache ?? new RulesCache());

  /** Nothing a function does may throw into Excel: the unexpected becomes #VALUE! saying so. */
  const guarded =
    <F extends FunctionId>(body: (args: readonly unknown[]) => Matrix<E>) =>
    (...args: ArgsOf<F>): Matrix<E> => {
      try {
        return body(args);
      } catch (error) {
        return [[kam.errors.value(text('en', 'internal', { detail: errorMessage(error) }))]];
      }
    };

  /** An account function: the seven inputs through the kernel, then one cell per account. */
  const perAccount = <F extends AccountFunctionId>(id: F, cell: (run: AccountRun, row: number) => Cell<E>) =>
    guarded<F>((args) => {
      const run = kam.accounts(id, args, false);
      if (isProblem(run)) return kam.callError(run);
      if (run.rowCount === 1) return [[cell(run, 0)]];
      return spillColumn(run.rowCount, (r) => cell(run, r));
    });

  /** An account function that answers for all the accounts at once (a rank, a plan, a table). */
  const allAccounts = <F extends AccountFunctionId>(id: F, keepValues: boolean, body: (run: AccountRun & { run: Run<F> }) => Matrix<E>) =>
    guarded<F>((args) => {
      const run = kam.accounts(id, args, keepValues);
      return isProblem(run) ? kam.callError(run) : body(run);
    });

  return {
    rulesCache: kam.rulesCache,
    SCORE: perAccount('SCORE', (run, r) => kam.score(run, r)),
    TIER: perAccount('TIER', (run, r) => kam.tier(run, r)),
    FLAGS: perAccount('FLAGS', (run, r) => kam.flags(run, r)),
    EXPLAIN: allAccounts('EXPLAIN', true, (run) => (run.rowCount === 1 ? kam.explain(run) : kam.callError({ problem: text(run.lang, 'oneAccount', { rows: run.rowCount }) }))),
    PRIORITY: allAccounts('PRIORITY', false, (run) => kam.priority(run)),
    HOURS: allAccounts('HOURS', false, (run) => kam.hours(run, run.run.cells.capacity)),
    COVERAGE: guarded<'COVERAGE'>((args) => kam.coverage(args)),
    QUADRANT: guarded<'QUADRANT'>((args) => kam.quadrant(args)),
    HORIZON: guarded<'HORIZON'>((args) => kam.horizon(args)),
    GROWTHRATE: guarded<'GROWTHRATE'>((args) => kam.growthRate(args)),
  };
}
