import type { AccountInput, FunctionId, FunctionText } from '../catalog';

/**
 * English names and descriptions of the KAM functions: the texts of the JSDoc in functions.ts,
 * which is generated from this pack and the catalog (`npm run generate:functions`), and from which
 * Excel's functions.json is built. English names are the ids and parameter names themselves.
 *
 * Kept free of runtime imports: the generator loads it on its own.
 */
export type EnglishFunctionText<F extends FunctionId> = FunctionText<F> & { returns: string };
export type EnglishLanguagePack = { [F in FunctionId]: EnglishFunctionText<F> };

type ParamText = { name: string; description: string };

const param = (name: string, description: string): ParamText => ({ name, description });

/** The seven inputs, with how they may be given appended where it matters to the function. */
function accountParams(given: { first: string; rest: string }): Record<AccountInput, ParamText> {
  return {
    sales: param('sales', `Annual sales to the customer, as an amount.${given.first}`),
    margin: param('margin', `Average gross margin, as 18% or 0.18.${given.rest}`),
    growth: param('growth', `Growth of the customer's purchases, as 5% or 0.05.${given.rest}`),
    wallet: param('wallet', "The customer's total yearly spend in your category (yours and competitors'); the headroom above sales is scored."),
    paymentDays: param('paymentDays', `Average days the customer takes to pay.${given.rest}`),
    access: param('access', "Access to the customer's business goals: a rating 0–5, or yes/no."),
    openness: param('openness', 'Openness to new ideas and advice: a rating 0–5, or yes/no.'),
  };
}

const CELL_OR_COLUMN = accountParams({ first: ' A cell or a column.', rest: ' A cell or a column.' });
const ONE_ACCOUNT = accountParams({ first: '', rest: '' });
const A_COLUMN = accountParams({ first: ' A column, one row per account.', rest: ' A column.' });

const RULES = param('rules', 'Optional: the KAM Rules table (e.g. the name KAM_RULES). Omitted: the default rules.');
const LANGUAGE = param('language', 'Optional: "en" (default) or "zh" for labels and messages.');
const CURRENCY = param(
  'currency',
  "Optional: each account's currency code (EUR, USD, CNY …), when the rules score in one currency with FX rates. Omitted: amounts are in the rules' currency.",
);

export const EN: EnglishLanguagePack = {
  SCORE: {
    name: 'SCORE',
    description:
      'Scores key accounts 0–100 (one decimal) on the seven criteria. Give single cells for one account, or columns of equal height to score a whole sheet in one spilled call.',
    params: { ...CELL_OR_COLUMN, rules: RULES, language: LANGUAGE, currency: CURRENCY },
    returns: 'The score of each account.',
  },
  TIER: {
    name: 'TIER',
    description: 'The key-account tier (Strategic, Key, Develop, Maintain), after the knock-out rules (Excluded) and the missing-data policy (Insufficient data).',
    params: { ...CELL_OR_COLUMN, rules: RULES, language: LANGUAGE, currency: CURRENCY },
    returns: 'The tier label of each account.',
  },
  EXPLAIN: {
    name: 'EXPLAIN',
    description:
      "Explains one account's verdict as a table: each criterion's input, points, weight and contribution, then the score, the tier, the knock-outs that fired and the flags.",
    params: { ...ONE_ACCOUNT, rules: RULES, language: LANGUAGE, currency: CURRENCY },
    returns: 'A table of five columns: criterion, input, points, weight, contribution.',
  },
  FLAGS: {
    name: 'FLAGS',
    description: "The account's flags as one text: knock-outs that fired, missing data, inputs that could not be read.",
    params: { ...CELL_OR_COLUMN, rules: RULES, language: LANGUAGE, currency: CURRENCY },
    returns: 'The flags of each account; empty when there are none.',
  },
  PRIORITY: {
    name: 'PRIORITY',
    description: 'Priority rank (1 = first) of each account among those given: by tier (Strategic first), then by score.',
    params: { ...A_COLUMN, rules: RULES, language: LANGUAGE, currency: CURRENCY },
    returns: 'The rank of each account.',
  },
  HOURS: {
    name: 'HOURS',
    description: 'Hours a month to spend on each account, by tier. With a capacity, accounts are cut (0 hours) from the lowest tiers and scores until the plan fits.',
    params: {
      ...A_COLUMN,
      capacity: param('capacity', 'Optional: the hours a month the account manager has for these accounts.'),
      rules: RULES,
      language: LANGUAGE,
      currency: CURRENCY,
    },
    returns: 'The hours a month planned for each account.',
  },
  COVERAGE: {
    name: 'COVERAGE',
    description:
      'Relationship coverage of an account, 0–100: solid contacts, the decision maker, a coach, and supporters over opponents. Looks the account up in a contacts table.',
    params: {
      account: param('account', 'The account to cover: a cell, or a column of accounts.'),
      contactAccounts: param('contactAccounts', "The contacts table's account column: which account each contact belongs to."),
      roles: param('roles', "The contacts table's role column: economic buyer, user, technical, coach or other."),
      stances: param('stances', "The contacts table's stance column: supporter, neutral, opponent, or a rating −5 to +5."),
      engaged: param('engaged', "Optional: the contacts table's column saying whether each contact is engaged in the sale (yes/no)."),
      rules: RULES,
      language: LANGUAGE,
    },
    returns: 'The coverage of each account.',
  },
  QUADRANT: {
    name: 'QUADRANT',
    description:
      "Portfolio quadrant (McDonald & Woodburn): attractiveness against your relative strength, split at the rule set's cut-offs: Strategic, Star, Status or Streamline.",
    params: {
      attractiveness: param('attractiveness', "The account's attractiveness, 0–100 (usually its KAM.SCORE). A cell or a column."),
      strength: param('strength', 'Your relative strength in the account, 0–100 (usually its KAM.COVERAGE). A cell or a column.'),
      rules: RULES,
      language: LANGUAGE,
    },
    returns: 'The quadrant of each account.',
  },
  HORIZON: {
    name: 'HORIZON',
    description: 'The horizon bucket of an expected result: 0–3, 3–6, 6–12 or >12 months (the bounds come from the rules).',
    params: {
      months: param('months', 'Months until the result is expected. A cell or a column.'),
      rules: RULES,
      language: LANGUAGE,
    },
    returns: 'The bucket of each result.',
  },
  GROWTHRATE: {
    name: 'GROWTHRATE',
    description:
      'Compound growth per period from period totals, oldest first. A row or a column is one series; a block gives one rate per row (one account per row, periods across).',
    params: {
      periodTotals: param('periodTotals', 'Purchase totals per period, oldest first: a row, a column, or one row per account.'),
      language: param('language', 'Optional: "en" (default) or "zh" for messages.'),
    },
    returns: 'The growth rate per period, as a fraction.',
  },
};
