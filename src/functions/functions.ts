/// <reference types="custom-functions-runtime" />
/**
 * The KAM custom functions as Excel sees them. This file is only their JSDoc, from which
 * custom-functions-metadata-plugin generates functions.json and appends the
 * `CustomFunctions.associate` calls; the work is done by the core adapter (./adapter), which runs
 * the engine. Parameter types are matrices so that a cell or a whole column can be passed.
 *
 * Ids (the word after @customfunction) are stored in workbooks: never rename one.
 */
import { createKamFunctions } from './adapter';

const kam = createKamFunctions((code, message) => new CustomFunctions.Error(CustomFunctions.ErrorCode[code], message));

/**
 * Scores key accounts 0–100 (one decimal) on the seven criteria. Give single cells for one account, or columns of equal height to score a whole sheet in one spilled call.
 * @customfunction SCORE
 * @helpurl https://localhost:3000/functions-help.html#kam-score
 * @param sales Annual sales to the customer, as an amount. A cell or a column.
 * @param margin Average gross margin, as 18% or 0.18. A cell or a column.
 * @param growth Growth of the customer's purchases, as 5% or 0.05. A cell or a column.
 * @param wallet The customer's total yearly spend in your category (yours and competitors'); the headroom above sales is scored.
 * @param paymentDays Average days the customer takes to pay. A cell or a column.
 * @param access Access to the customer's business goals: a rating 0–5, or yes/no.
 * @param openness Openness to new ideas and advice: a rating 0–5, or yes/no.
 * @param rules Optional: the KAM Rules table (e.g. the name KAM_RULES). Omitted: the default rules.
 * @param language Optional: "en" (default) or "zh" for labels and messages.
 * @returns The score of each account.
 */
export function score(
  sales: unknown[][],
  margin: unknown[][],
  growth: unknown[][],
  wallet: unknown[][],
  paymentDays: unknown[][],
  access: unknown[][],
  openness: unknown[][],
  rules?: unknown[][],
  language?: unknown,
): unknown[][] {
  return kam.SCORE(sales, margin, growth, wallet, paymentDays, access, openness, rules, language);
}

/**
 * The key-account tier (Strategic, Key, Develop, Maintain), after the knock-out rules (Excluded) and the missing-data policy (Insufficient data).
 * @customfunction TIER
 * @helpurl https://localhost:3000/functions-help.html#kam-tier
 * @param sales Annual sales to the customer, as an amount. A cell or a column.
 * @param margin Average gross margin, as 18% or 0.18. A cell or a column.
 * @param growth Growth of the customer's purchases, as 5% or 0.05. A cell or a column.
 * @param wallet The customer's total yearly spend in your category (yours and competitors'); the headroom above sales is scored.
 * @param paymentDays Average days the customer takes to pay. A cell or a column.
 * @param access Access to the customer's business goals: a rating 0–5, or yes/no.
 * @param openness Openness to new ideas and advice: a rating 0–5, or yes/no.
 * @param rules Optional: the KAM Rules table (e.g. the name KAM_RULES). Omitted: the default rules.
 * @param language Optional: "en" (default) or "zh" for labels and messages.
 * @returns The tier label of each account.
 */
export function tier(
  sales: unknown[][],
  margin: unknown[][],
  growth: unknown[][],
  wallet: unknown[][],
  paymentDays: unknown[][],
  access: unknown[][],
  openness: unknown[][],
  rules?: unknown[][],
  language?: unknown,
): unknown[][] {
  return kam.TIER(sales, margin, growth, wallet, paymentDays, access, openness, rules, language);
}

/**
 * Explains one account's verdict as a table: each criterion's input, points, weight and contribution, then the score, the tier, the knock-outs that fired and the flags.
 * @customfunction EXPLAIN
 * @helpurl https://localhost:3000/functions-help.html#kam-explain
 * @param sales Annual sales to the customer, as an amount.
 * @param margin Average gross margin, as 18% or 0.18.
 * @param growth Growth of the customer's purchases, as 5% or 0.05.
 * @param wallet The customer's total yearly spend in your category (yours and competitors'); the headroom above sales is scored.
 * @param paymentDays Average days the customer takes to pay.
 * @param access Access to the customer's business goals: a rating 0–5, or yes/no.
 * @param openness Openness to new ideas and advice: a rating 0–5, or yes/no.
 * @param rules Optional: the KAM Rules table (e.g. the name KAM_RULES). Omitted: the default rules.
 * @param language Optional: "en" (default) or "zh" for labels and messages.
 * @returns A table of five columns: criterion, input, points, weight, contribution.
 */
export function explain(
  sales: unknown[][],
  margin: unknown[][],
  growth: unknown[][],
  wallet: unknown[][],
  paymentDays: unknown[][],
  access: unknown[][],
  openness: unknown[][],
  rules?: unknown[][],
  language?: unknown,
): unknown[][] {
  return kam.EXPLAIN(sales, margin, growth, wallet, paymentDays, access, openness, rules, language);
}

/**
 * The account's flags as one text: knock-outs that fired, missing data, inputs that could not be read.
 * @customfunction FLAGS
 * @helpurl https://localhost:3000/functions-help.html#kam-flags
 * @param sales Annual sales to the customer, as an amount. A cell or a column.
 * @param margin Average gross margin, as 18% or 0.18. A cell or a column.
 * @param growth Growth of the customer's purchases, as 5% or 0.05. A cell or a column.
 * @param wallet The customer's total yearly spend in your category (yours and competitors'); the headroom above sales is scored.
 * @param paymentDays Average days the customer takes to pay. A cell or a column.
 * @param access Access to the customer's business goals: a rating 0–5, or yes/no.
 * @param openness Openness to new ideas and advice: a rating 0–5, or yes/no.
 * @param rules Optional: the KAM Rules table (e.g. the name KAM_RULES). Omitted: the default rules.
 * @param language Optional: "en" (default) or "zh" for labels and messages.
 * @returns The flags of each account; empty when there are none.
 */
export function flags(
  sales: unknown[][],
  margin: unknown[][],
  growth: unknown[][],
  wallet: unknown[][],
  paymentDays: unknown[][],
  access: unknown[][],
  openness: unknown[][],
  rules?: unknown[][],
  language?: unknown,
): unknown[][] {
  return kam.FLAGS(sales, margin, growth, wallet, paymentDays, access, openness, rules, language);
}

/**
 * Priority rank (1 = first) of each account among those given: by tier (Strategic first), then by score.
 * @customfunction PRIORITY
 * @helpurl https://localhost:3000/functions-help.html#kam-priority
 * @param sales Annual sales to the customer, as an amount. A column, one row per account.
 * @param margin Average gross margin, as 18% or 0.18. A column.
 * @param growth Growth of the customer's purchases, as 5% or 0.05. A column.
 * @param wallet The customer's total yearly spend in your category (yours and competitors'); the headroom above sales is scored.
 * @param paymentDays Average days the customer takes to pay. A column.
 * @param access Access to the customer's business goals: a rating 0–5, or yes/no.
 * @param openness Openness to new ideas and advice: a rating 0–5, or yes/no.
 * @param rules Optional: the KAM Rules table (e.g. the name KAM_RULES). Omitted: the default rules.
 * @param language Optional: "en" (default) or "zh" for labels and messages.
 * @returns The rank of each account.
 */
export function priority(
  sales: unknown[][],
  margin: unknown[][],
  growth: unknown[][],
  wallet: unknown[][],
  paymentDays: unknown[][],
  access: unknown[][],
  openness: unknown[][],
  rules?: unknown[][],
  language?: unknown,
): unknown[][] {
  return kam.PRIORITY(sales, margin, growth, wallet, paymentDays, access, openness, rules, language);
}

/**
 * Hours a month to spend on each account, by tier. With a capacity, accounts are cut (0 hours) from the lowest tiers and scores until the plan fits.
 * @customfunction HOURS
 * @helpurl https://localhost:3000/functions-help.html#kam-hours
 * @param sales Annual sales to the customer, as an amount. A column, one row per account.
 * @param margin Average gross margin, as 18% or 0.18. A column.
 * @param growth Growth of the customer's purchases, as 5% or 0.05. A column.
 * @param wallet The customer's total yearly spend in your category (yours and competitors'); the headroom above sales is scored.
 * @param paymentDays Average days the customer takes to pay. A column.
 * @param access Access to the customer's business goals: a rating 0–5, or yes/no.
 * @param openness Openness to new ideas and advice: a rating 0–5, or yes/no.
 * @param capacity Optional: the hours a month the account manager has for these accounts.
 * @param rules Optional: the KAM Rules table (e.g. the name KAM_RULES). Omitted: the default rules.
 * @param language Optional: "en" (default) or "zh" for labels and messages.
 * @returns The hours a month planned for each account.
 */
export function hours(
  sales: unknown[][],
  margin: unknown[][],
  growth: unknown[][],
  wallet: unknown[][],
  paymentDays: unknown[][],
  access: unknown[][],
  openness: unknown[][],
  capacity?: unknown,
  rules?: unknown[][],
  language?: unknown,
): unknown[][] {
  return kam.HOURS(sales, margin, growth, wallet, paymentDays, access, openness, capacity, rules, language);
}

/**
 * Relationship coverage of an account, 0–100: solid contacts, the decision maker, a coach, and supporters over opponents. Looks the account up in a contacts table.
 * @customfunction COVERAGE
 * @helpurl https://localhost:3000/functions-help.html#kam-coverage
 * @param account The account to cover: a cell, or a column of accounts.
 * @param contactAccounts The contacts table's account column: which account each contact belongs to.
 * @param roles The contacts table's role column: economic buyer, user, technical, coach or other.
 * @param stances The contacts table's stance column: supporter, neutral, opponent, or a rating −5 to +5.
 * @param engaged Optional: the contacts table's column saying whether each contact is engaged in the sale (yes/no).
 * @param rules Optional: the KAM Rules table (e.g. the name KAM_RULES). Omitted: the default rules.
 * @param language Optional: "en" (default) or "zh" for labels and messages.
 * @returns The coverage of each account.
 */
export function coverage(
  account: unknown[][],
  contactAccounts: unknown[][],
  roles: unknown[][],
  stances: unknown[][],
  engaged?: unknown[][],
  rules?: unknown[][],
  language?: unknown,
): unknown[][] {
  return kam.COVERAGE(account, contactAccounts, roles, stances, engaged, rules, language);
}

/**
 * Portfolio quadrant (McDonald & Woodburn): attractiveness against your relative strength, split at the rule set's cut-offs: Strategic, Star, Status or Streamline.
 * @customfunction QUADRANT
 * @helpurl https://localhost:3000/functions-help.html#kam-quadrant
 * @param attractiveness The account's attractiveness, 0–100 (usually its KAM.SCORE). A cell or a column.
 * @param strength Your relative strength in the account, 0–100 (usually its KAM.COVERAGE). A cell or a column.
 * @param rules Optional: the KAM Rules table (e.g. the name KAM_RULES). Omitted: the default rules.
 * @param language Optional: "en" (default) or "zh" for labels and messages.
 * @returns The quadrant of each account.
 */
export function quadrant(attractiveness: unknown[][], strength: unknown[][], rules?: unknown[][], language?: unknown): unknown[][] {
  return kam.QUADRANT(attractiveness, strength, rules, language);
}

/**
 * The horizon bucket of an expected result: 0–3, 3–6, 6–12 or >12 months (the bounds come from the rules).
 * @customfunction HORIZON
 * @helpurl https://localhost:3000/functions-help.html#kam-horizon
 * @param months Months until the result is expected. A cell or a column.
 * @param rules Optional: the KAM Rules table (e.g. the name KAM_RULES). Omitted: the default rules.
 * @param language Optional: "en" (default) or "zh" for labels and messages.
 * @returns The bucket of each result.
 */
export function horizon(months: unknown[][], rules?: unknown[][], language?: unknown): unknown[][] {
  return kam.HORIZON(months, rules, language);
}

/**
 * Compound growth per period from period totals, oldest first. A row or a column is one series; a block gives one rate per row (one account per row, periods across).
 * @customfunction GROWTHRATE
 * @helpurl https://localhost:3000/functions-help.html#kam-growthrate
 * @param periodTotals Purchase totals per period, oldest first: a row, a column, or one row per account.
 * @param language Optional: "en" (default) or "zh" for messages.
 * @returns The growth rate per period, as a fraction.
 */
export function growthRate(periodTotals: unknown[][], language?: unknown): unknown[][] {
  return kam.GROWTHRATE(periodTotals, language);
}
