/**
 * The KAM custom functions, declared once as data: each function's id and its parameters in order.
 * The JSDoc in functions.ts must match it (a test compares the generated metadata with it), the core
 * adapter's signatures are derived from it, and so is the type of every language pack, so a
 * function or parameter without a translation does not compile.
 *
 * Ids are stored in workbooks: never rename one once it has shipped.
 */

/** The seven inputs every account function takes, in this order; each is a criterion id. */
export const ACCOUNT_INPUTS = ['sales', 'margin', 'growth', 'wallet', 'paymentDays', 'access', 'openness'] as const;
export type AccountInput = (typeof ACCOUNT_INPUTS)[number];

export const FUNCTION_CATALOG = {
  SCORE: { params: [...ACCOUNT_INPUTS, 'rules', 'language'] },
  TIER: { params: [...ACCOUNT_INPUTS, 'rules', 'language'] },
  EXPLAIN: { params: [...ACCOUNT_INPUTS, 'rules', 'language'] },
  FLAGS: { params: [...ACCOUNT_INPUTS, 'rules', 'language'] },
  PRIORITY: { params: [...ACCOUNT_INPUTS, 'rules', 'language'] },
  HOURS: { params: [...ACCOUNT_INPUTS, 'capacity', 'rules', 'language'] },
  COVERAGE: { params: ['account', 'contactAccounts', 'roles', 'stances', 'engaged', 'rules', 'language'] },
  QUADRANT: { params: ['attractiveness', 'strength', 'rules', 'language'] },
  HORIZON: { params: ['months', 'rules', 'language'] },
  GROWTHRATE: { params: ['periodTotals', 'language'] },
} as const satisfies Record<string, { params: readonly string[] }>;

export type FunctionId = keyof typeof FUNCTION_CATALOG;
export const FUNCTION_IDS = Object.keys(FUNCTION_CATALOG) as FunctionId[];
export type ParamName<F extends FunctionId> = (typeof FUNCTION_CATALOG)[F]['params'][number];
/** Every parameter name any function uses. */
export type AnyParamName = ParamName<FunctionId>;

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
