/**
 * The KAM custom functions, declared once as data: each function's id and its parameters in order,
 * with how each is given. The wrappers Excel's metadata is generated from (functions.ts) are
 * generated from it and the English pack (`npm run generate:functions`; a test keeps them equal),
 * the core adapter's signatures and argument reading are derived from it, and so is the type of
 * every language pack, so a function or parameter without a translation does not compile.
 * Adding a function: an entry here, its texts in i18n/en.ts and i18n/zh-cn.ts, its implementation
 * in adapter.ts, and its section in docs/functions.md.
 *
 * Ids are stored in workbooks: never rename one once it has shipped.
 */
import type { PLANNING_INPUTS, RuleSet } from '../engine';

/** The seven inputs every account function takes, in this order; each is a criterion id. */
export const ACCOUNT_INPUTS = ['sales', 'margin', 'growth', 'wallet', 'paymentDays', 'access', 'openness'] as const;
export type AccountInput = (typeof ACCOUNT_INPUTS)[number];

const beyondArguments = new WeakMap<RuleSet, RuleSet['criteria']>();

/**
 * Criteria of a rule set that the seven account arguments cannot carry, worked out once per rule
 * set. The account functions refuse such a rule set (each of those criteria would be scored as
 * missing for every account); the task pane asks the same question before writing live formulas.
 */
export function criteriaBeyondArguments(rules: RuleSet): RuleSet['criteria'] {
  let extra = beyondArguments.get(rules);
  if (!extra) {
    extra = rules.criteria.filter((c) => !(ACCOUNT_INPUTS as readonly string[]).includes(c.id));
    beyondArguments.set(rules, extra);
  }
  return extra;
}

/**
 * How a parameter is given. `column`: one cell or a column, aligned with the other columns of the
 * same `rows` group (single cells repeat down them); `cell`: exactly one cell; `table`: a range read
 * as a whole (the rules); `block`: a row, a column or a block of rows (period totals).
 */
export type ParamShape = 'column' | 'cell' | 'table' | 'block';

export interface ParamSpec {
  readonly name: string;
  readonly shape: ParamShape;
  /** Excel may omit it (the wrapper declares it `name?`); the reference shows it as `[name]`. */
  readonly optional?: boolean;
  /** The engine's spec for a single number read from it (src/engine/cells.ts). */
  readonly input?: keyof typeof PLANNING_INPUTS;
  /** Columns of one group are aligned to one height; groups are independent (accounts, contacts). */
  readonly rows?: string;
}

/** Column parameters of the `accounts` group, one per name, keeping the names' literal types. */
function accountColumns<const N extends readonly string[]>(names: N): { readonly [K in keyof N]: { readonly name: N[K]; readonly shape: 'column'; readonly rows: 'accounts' } } {
  return names.map((name) => ({ name, shape: 'column', rows: 'accounts' })) as never;
}

const ACCOUNT_PARAMS = accountColumns(ACCOUNT_INPUTS);
const RULES = { name: 'rules', shape: 'table', optional: true } as const;
const LANGUAGE = { name: 'language', shape: 'cell', optional: true } as const;
/** Each account's currency code, read when the rule set scores in one currency (docs/rules.md §6). Last, so formulas written before it keep working. */
const CURRENCY = { name: 'currency', shape: 'column', rows: 'accounts', optional: true } as const;

export const FUNCTION_CATALOG = {
  SCORE: { params: [...ACCOUNT_PARAMS, RULES, LANGUAGE, CURRENCY] },
  TIER: { params: [...ACCOUNT_PARAMS, RULES, LANGUAGE, CURRENCY] },
  EXPLAIN: { params: [...ACCOUNT_PARAMS, RULES, LANGUAGE, CURRENCY] },
  FLAGS: { params: [...ACCOUNT_PARAMS, RULES, LANGUAGE, CURRENCY] },
  PRIORITY: { params: [...ACCOUNT_PARAMS, RULES, LANGUAGE, CURRENCY] },
  HOURS: { params: [...ACCOUNT_PARAMS, { name: 'capacity', shape: 'cell', optional: true, input: 'capacity' }, RULES, LANGUAGE, CURRENCY] },
  COVERAGE: {
    params: [
      { name: 'account', shape: 'column', rows: 'accounts' },
      { name: 'contactAccounts', shape: 'column', rows: 'contacts' },
      { name: 'roles', shape: 'column', rows: 'contacts' },
      { name: 'stances', shape: 'column', rows: 'contacts' },
      { name: 'engaged', shape: 'column', rows: 'contacts', optional: true },
      RULES,
      LANGUAGE,
    ],
  },
  QUADRANT: {
    params: [
      { name: 'attractiveness', shape: 'column', rows: 'accounts', input: 'attractiveness' },
      { name: 'strength', shape: 'column', rows: 'accounts', input: 'strength' },
      RULES,
      LANGUAGE,
    ],
  },
  HORIZON: { params: [{ name: 'months', shape: 'column', rows: 'results', input: 'months' }, RULES, LANGUAGE] },
  GROWTHRATE: { params: [{ name: 'periodTotals', shape: 'block' }, LANGUAGE] },
} as const satisfies Record<string, { params: readonly ParamSpec[] }>;

export type FunctionId = keyof typeof FUNCTION_CATALOG;
export const FUNCTION_IDS = Object.keys(FUNCTION_CATALOG) as FunctionId[];
export type ParamsOf<F extends FunctionId> = (typeof FUNCTION_CATALOG)[F]['params'];
export type ParamName<F extends FunctionId> = ParamsOf<F>[number]['name'];
/** Every parameter name any function uses. */
export type AnyParamName = ParamName<FunctionId>;

/** A function's parameter names, in order. */
export function paramNames<F extends FunctionId>(id: F): Array<ParamName<F>> {
  return (FUNCTION_CATALOG[id].params as readonly ParamSpec[]).map((p) => p.name as ParamName<F>);
}

/** The namespace the manifest declares; users type `=KAM.SCORE(...)`. */
export const NAMESPACE = 'KAM';

/** Where the function reference is served (the JSDoc @helpurl tags use the development address). */
export const DEV_BASE_URL = 'https://localhost:3000/';
export const HELP_PAGE = 'functions-help.html';

/** The anchor of a function's section in the reference: `kam-score`. */
export function helpAnchor(id: FunctionId): string {
  return `${NAMESPACE}-${id}`.toLowerCase();
}

export function helpUrl(id: FunctionId, base: string = DEV_BASE_URL): string {
  return `${base}${HELP_PAGE}#${helpAnchor(id)}`;
}

/** A translation of the function metadata Excel shows: names and descriptions. */
export interface FunctionText<F extends FunctionId> {
  name: string;
  description: string;
  params: { [P in ParamName<F>]: { name: string; description: string } };
}

/** A language pack for the function metadata, keyed by function id and parameter name. */
export type FunctionsLanguagePack = { [F in FunctionId]: FunctionText<F> };
