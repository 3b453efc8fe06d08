import {
  capacityPlan,
  cellAddress,
  coerceInput,
  criterionLabel,
  EXCEL_ERRORS,
  explainRow,
  flagsText,
  flagText,
  formatMessage,
  growthFromSeries,
  horizonBucket,
  horizonBucketLabels,
  hoursPerMonth,
  LABEL_PACKS,
  missingMessage,
  OUTCOME_CODE,
  OUTCOME_IDS,
  outcomeAt,
  outcomeLabel,
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
import { alignColumns, isBlankCell, isProblem, readCell, readLanguage, singleValue, spillColumn, type ShapeProblem } from './args';
import { ACCOUNT_INPUTS, FUNCTION_CATALOG, type FunctionId, type ParamName } from './catalog';
import { Errors, type ErrorFactory } from './errors';
import { argName, EXPECTATIONS, EXPLAIN_LABELS, hasArgName, text } from './i18n/texts';
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

type ParamsOf<F extends FunctionId> = (typeof FUNCTION_CATALOG)[F]['params'];
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
const ERROR_TEXTS: ReadonlySet<unknown> = new Set<string>(EXCEL_ERRORS);
/** Problems whose engine message says what is wrong but not what to type instead. */
const NEEDS_EXPECTATION: ReadonlySet<Message['key']> = new Set(['notNumber', 'yesNoNotAllowed', 'unsupportedValue']);

const FIELDS = {
  capacity: { id: 'capacity', unit: 'number', validMin: 0 },
  attractiveness: { id: 'attractiveness', unit: 'number', validMin: 0, validMax: 100 },
  strength: { id: 'strength', unit: 'number', validMin: 0, validMax: 100 },
  months: { id: 'months', unit: 'number', validMin: 0 },
} as const satisfies Record<string, FieldSpec>;

/** Fields as the engine's messages name them → the parameters that carry them. */
const FIELD_PARAM: Readonly<Record<string, string>> = { role: 'roles', stance: 'stances', periodTotal: 'periodTotals' };
/** What growth expects of each period total (the engine reads them as amounts ≥ 0). */
const PERIOD_TOTAL: FieldSpec = { id: 'periodTotal', unit: 'currency', validMin: 0 };

interface Context {
  lang: Lang;
  rules: RuleSet;
}

interface AccountRun extends Context {
  result: BatchResult;
  rowCount: number;
}

/** Where a function finds its [rules] and [language] arguments. */
function indexOf<F extends FunctionId>(id: F, param: string): number {
  return (FUNCTION_CATALOG[id].params as readonly string[]).indexOf(param);
}

/** Each parameter's position, by name: a name the catalog does not have does not compile. */
function positions<F extends FunctionId>(id: F): Readonly<Record<ParamName<F>, number>> {
  return Object.fromEntries(FUNCTION_CATALOG[id].params.map((p, i) => [p, i])) as Record<ParamName<F>, number>;
}

const AT = {
  COVERAGE: positions('COVERAGE'),
  QUADRANT: positions('QUADRANT'),
  HORIZON: positions('HORIZON'),
  GROWTHRATE: positions('GROWTHRATE'),
  HOURS: positions('HOURS'),
};

const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));

class Kam<E> {
  readonly errors: Errors<E>;

  constructor(
    makeError: ErrorFactory<E>,
    readonly rulesCache: RulesCache,
  ) {
    this.errors = new Errors(makeError);
  }

  /** One error for the whole call: a bad [rules] or [language], or arguments of the wrong shape. */
  whole(problem: ShapeProblem): Matrix<E> {
    return [[this.errors.value(problem.problem)]];
  }

  context(rulesArg: unknown, languageArg: unknown): Context | ShapeProblem {
    const lang = readLanguage(languageArg);
    if (isProblem(lang)) return lang;
    const lookup = this.rulesCache.resolve(rulesArg);
    if (lookup.ok) return { lang, rules: lookup.rules };
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

  /** A single number argument (attractiveness, months, capacity): a value, or the cell's error. */
  number(raw: CellValue | undefined, spec: FieldSpec, ctx: Context): number | E {
    const c = coerceInput(raw, spec);
    if (c.kind === 'value') return c.value;
    if (c.kind === 'blank') return this.errors.notAvailable(text(ctx.lang, 'blankInput', { arg: argName(spec.id, ctx.lang) }));
    return this.problemError([c.problem], ctx, spec);
  }

  // ---- The account functions: seven inputs, scored by the engine's batch kernel ----

  accounts(args: readonly unknown[], rulesAt: number, languageAt: number, keepValues: boolean): AccountRun | ShapeProblem {
    const ctx = this.context(args[rulesAt], args[languageAt]);
    if (isProblem(ctx)) return ctx;
    // A criterion the seven arguments can't carry would be scored as missing for every account,
    // quietly reweighting the rest: refuse instead, so the formulas never disagree with kam and the pane.
    const extra = criteriaBeyondArguments(ctx.rules);
    if (extra.length > 0) return { problem: text(ctx.lang, 'extraCriteria', { ids: extra.map((c) => c.label[ctx.lang]).join(', ') }) };
    const aligned = alignColumns(ACCOUNT_INPUTS, args, ctx.lang);
    if (isProblem(aligned)) return aligned;
    const c = aligned.columns;
    const columns = { sales: c[0], margin: c[1], growth: c[2], wallet: c[3], paymentDays: c[4], access: c[5], openness: c[6] };
    const result = scoreColumns({ rowCount: aligned.rowCount, columns }, ctx.rules, keepValues ? KEEP_VALUES : NO_OPTIONS);
    return { lang: ctx.lang, rules: ctx.rules, result, rowCount: aligned.rowCount };
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

  hours(run: AccountRun, capacityArg: unknown): Matrix<E> {
    const capacityCell = singleValue('capacity', capacityArg, run.lang);
    if (isProblem(capacityCell)) return this.whole(capacityCell);
    const { outcomes, scores } = this.outcomes(run);
    let cut: ReadonlySet<number> = new Set();
    if (!isBlankCell(capacityCell.value)) {
      const capacity = this.number(capacityCell.value, FIELDS.capacity, run);
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
    const L = EXPLAIN_LABELS[lang];
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
    const at = AT.COVERAGE;
    const ctx = this.context(args[at.rules], args[at.language]);
    if (isProblem(ctx)) return this.whole(ctx);
    const accounts = alignColumns(['account'], [args[at.account]], ctx.lang);
    if (isProblem(accounts)) return this.whole(accounts);
    const contactParams = ['contactAccounts', 'roles', 'stances', 'engaged'] as const;
    const contacts = alignColumns(contactParams, contactParams.map((p) => args[at[p]]), ctx.lang);
    if (isProblem(contacts)) return this.whole(contacts);
    const [owners, roles, stances, engaged] = contacts.columns;

    // Contacts grouped by their account, once, however many accounts are asked about.
    const byAccount = new Map<string, number[]>();
    for (let i = 0; i < contacts.rowCount; i++) {
      const key = accountKey(owners?.[i]);
      if (key === '') continue;
      const rows = byAccount.get(key);
      if (rows) rows.push(i);
      else byAccount.set(key, [i]);
    }

    const names = accounts.columns[0];
    return spillColumn(accounts.rowCount, (r): Cell<E> => {
      const account = names?.[r];
      if (typeof account === 'string' && ERROR_TEXTS.has(account)) {
        return this.errors.passThrough(account, text(ctx.lang, 'inputError', { arg: argName('account', ctx.lang), error: account }));
      }
      const key = accountKey(account);
      if (key === '') return this.errors.notAvailable(text(ctx.lang, 'blankInput', { arg: argName('account', ctx.lang) }));
      const inputs: ContactInput[] = [];
      for (const i of byAccount.get(key) ?? []) {
        const input: ContactInput = { role: roles?.[i] ?? null, stance: stances?.[i] ?? null, engaged: engaged?.[i] ?? null };
        for (const [field, value] of Object.entries(input)) {
          if (typeof value === 'string' && ERROR_TEXTS.has(value)) {
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
    const at = AT.QUADRANT;
    const ctx = this.context(args[at.rules], args[at.language]);
    if (isProblem(ctx)) return this.whole(ctx);
    const aligned = alignColumns(['attractiveness', 'strength'], [args[at.attractiveness], args[at.strength]], ctx.lang);
    if (isProblem(aligned)) return this.whole(aligned);
    const [attractiveness, strength] = aligned.columns;
    const labels = LABEL_PACKS[ctx.lang].quadrant;
    return spillColumn(aligned.rowCount, (r): Cell<E> => {
      const a = this.number(attractiveness?.[r], FIELDS.attractiveness, ctx);
      if (typeof a !== 'number') return a;
      const s = this.number(strength?.[r], FIELDS.strength, ctx);
      if (typeof s !== 'number') return s;
      return labels[portfolioQuadrant(a, s, ctx.rules)];
    });
  }

  horizon(args: readonly unknown[]): Matrix<E> {
    const at = AT.HORIZON;
    const ctx = this.context(args[at.rules], args[at.language]);
    if (isProblem(ctx)) return this.whole(ctx);
    const aligned = alignColumns(['months'], [args[at.months]], ctx.lang);
    if (isProblem(aligned)) return this.whole(aligned);
    const months = aligned.columns[0];
    const labels = horizonBucketLabels(ctx.rules);
    return spillColumn(aligned.rowCount, (r): Cell<E> => {
      const m = this.number(months?.[r], FIELDS.months, ctx);
      return typeof m === 'number' ? (labels[horizonBucket(m, ctx.rules)] as string) : m;
    });
  }

  growthRate(args: readonly unknown[]): Matrix<E> {
    const lang = readLanguage(args[AT.GROWTHRATE.language]);
    if (isProblem(lang)) return this.whole(lang);
    const ctx: Context = { lang, rules: this.rulesCache.defaultRules };
    const arg = args[AT.GROWTHRATE.periodTotals];
    const table: ReadonlyArray<ReadonlyArray<unknown>> = Array.isArray(arg) ? arg.map((row) => (Array.isArray(row) ? row : [row])) : [[arg]];
    const rows = table.length;
    const cols = rows === 0 ? 0 : (table[0] as readonly unknown[]).length;
    if (rows === 0 || cols === 0) return this.whole({ problem: text(lang, 'empty', { arg: argName('periodTotals', lang) }) });
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
  if (v === null || v === undefined) return '';
  return String(v).normalize('NFKC').trim().toLowerCase();
}

const beyondArguments = new WeakMap<RuleSet, RuleSet['criteria']>();

/** Criteria of a rule set that the seven account arguments cannot carry; worked out once per rule set. */
function criteriaBeyondArguments(rules: RuleSet): RuleSet['criteria'] {
  let extra = beyondArguments.get(rules);
  if (!extra) {
    extra = rules.criteria.filter((c) => !(ACCOUNT_INPUTS as readonly string[]).includes(c.id));
    beyondArguments.set(rules, extra);
  }
  return extra;
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
        return body(args as readonly unknown[]);
      } catch (error) {
        return [[kam.errors.value(text('en', 'internal', { detail: errorMessage(error) }))]];
      }
    };

  /** An account function: the seven inputs through the kernel, then one cell per account. */
  const perAccount = <F extends FunctionId>(id: F, cell: (run: AccountRun, row: number) => Cell<E>) => {
    const rulesAt = indexOf(id, 'rules');
    const languageAt = indexOf(id, 'language');
    return guarded<F>((args) => {
      const run = kam.accounts(args, rulesAt, languageAt, false);
      if (isProblem(run)) return kam.whole(run);
      if (run.rowCount === 1) return [[cell(run, 0)]];
      return spillColumn(run.rowCount, (r) => cell(run, r));
    });
  };

  const wholeRun = <F extends FunctionId>(id: F, keepValues: boolean, body: (run: AccountRun, args: readonly unknown[]) => Matrix<E>) => {
    const rulesAt = indexOf(id, 'rules');
    const languageAt = indexOf(id, 'language');
    return guarded<F>((args) => {
      const run = kam.accounts(args, rulesAt, languageAt, keepValues);
      return isProblem(run) ? kam.whole(run) : body(run, args);
    });
  };

  return {
    rulesCache: kam.rulesCache,
    SCORE: perAccount('SCORE', (run, r) => kam.score(run, r)),
    TIER: perAccount('TIER', (run, r) => kam.tier(run, r)),
    FLAGS: perAccount('FLAGS', (run, r) => kam.flags(run, r)),
    EXPLAIN: wholeRun('EXPLAIN', true, (run) =>
      run.rowCount === 1 ? kam.explain(run) : kam.whole({ problem: text(run.lang, 'oneAccount', { rows: run.rowCount }) }),
    ),
    PRIORITY: wholeRun('PRIORITY', false, (run) => kam.priority(run)),
    HOURS: wholeRun('HOURS', false, (run, args) => kam.hours(run, args[AT.HOURS.capacity])),
    COVERAGE: guarded<'COVERAGE'>((args) => kam.coverage(args)),
    QUADRANT: guarded<'QUADRANT'>((args) => kam.quadrant(args)),
    HORIZON: guarded<'HORIZON'>((args) => kam.horizon(args)),
    GROWTHRATE: guarded<'GROWTHRATE'>((args) => kam.growthRate(args)),
  };
}
