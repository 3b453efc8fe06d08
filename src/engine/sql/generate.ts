import { compileRules, type CompiledCriterion } from '../compile';
import { LABEL_PACKS } from '../i18n/labels';
import type { RuleSet } from '../rules/schema';
import { OUTCOME_IDS, type Lang, type OutcomeId } from '../types';
import { DIALECTS, type DialectSpec, type SqlDialect } from './dialects';
import { isObject, own as ownEntry, usableRules } from '../guard';
import { CODE_SPELLINGS, CURRENCY_BLANKS, CURRENCY_FIELD } from '../currency';
import { CURRENCY_ALIASES } from '../columns';
import { normalizeWord } from '../words';

/**
 * The rule set as one SQL query: the kernel of batch.ts (scoreColumns) written as a chain of CTEs,
 * one per step, so a warehouse gives the same score, tier and present share as the engine.
 * Inputs must already be numbers (or blank): texts such as "18%" or "是" are the engine's
 * coercion and stay out of SQL's scope.
 */
export interface SqlOptions {
  dialect: SqlDialect;
  /** The accounts table; `schema.table` is quoted part by part. Default `accounts`. */
  table?: string;
  /** A FROM item written as raw SQL (e.g. `read_parquet('a.parquet')`), used instead of `table`. */
  source?: string;
  /** Criterion id → the column holding it; criteria not named here are read from the column named by their id. */
  map?: Readonly<Record<string, string>>;
  /** Criteria the table has no column for: blank for every account. */
  absent?: readonly string[];
  /**
   * The table's columns, in order. When given, the result lists exactly these plus the kam_
   * columns; otherwise DuckDB drops the helper columns with `* EXCLUDE` and the other dialects
   * keep them (all named kam__…).
   */
  columns?: readonly string[];
  /** Language of kam_tier_label. Default English. */
  lang?: Lang;
  /**
   * The column holding each account's currency code, when the rule set has a currency (docs/rules.md
   * §6). Default: `map.currency`, else a column of `columns` headed like a currency column; without
   * one, amounts are taken to be in the rule set's currency.
   */
  currencyColumn?: string;
}

/** The columns the query adds, in order. */
export const SQL_RESULT_COLUMNS = ['kam_score', 'kam_tier', 'kam_tier_label', 'kam_flags', 'kam_present_share'] as const;

/**
 * The column that holds each account's currency: the one named, else `map.currency`, else a
 * column of the table headed like one (Currency, CCY, 币种 …); undefined when there is none.
 */
function currencyColumnOf(options: SqlOptions): string | undefined {
  if (options.currencyColumn !== undefined) return options.currencyColumn;
  const mapped = ownEntry(options.map, CURRENCY_FIELD);
  if (typeof mapped === 'string') return mapped;
  const aliases = CURRENCY_ALIASES.map(normalizeWord);
  return options.columns?.find((c) => aliases.includes(normalizeWord(c)));
}

/** Keeps comments on one line and free of anything that could end them. */
const commentText = (text: string): string => text.replace(/[\r\n]+/g, ' ').replace(/\*\//g, '* /');

/**
 * The rule set as one SELECT in a dialect. Like rulesToTable, '' when there is nothing to write:
 * the rules are not a rule set or the dialect is not one we know. Options that are not what they
 * say (a map that is no object, a column name that is no text) are left out.
 */
export function rulesToSql(rules: RuleSet, options: SqlOptions): string {
  const usable = usableRules(rules);
  const given: Record<string, unknown> = isObject(options) ? options : {};
  const dialect = given.dialect;
  if (!usable || typeof dialect !== 'string' || !Object.prototype.hasOwnProperty.call(DIALECTS, dialect)) return '';
  rules = usable;
  const texts = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined);
  options = {
    dialect: dialect as SqlDialect,
    table: typeof given.table === 'string' ? given.table : undefined,
    source: typeof given.source === 'string' ? given.source : undefined,
    map: isObject(given.map) ? (given.map as Record<string, string>) : undefined,
    absent: texts(given.absent),
    columns: texts(given.columns),
    lang: given.lang === 'zh' ? 'zh' : 'en',
    currencyColumn: typeof given.currencyColumn === 'string' ? given.currencyColumn : undefined,
  };
  const d: DialectSpec = DIALECTS[options.dialect];
  const compiled = compileRules(rules);
  const criteria = compiled.criteria;
  const lang = options.lang ?? 'en';
  const q = (name: string): string => d.ident(name);
  const num = (x: number): string => d.double(x);
  const helpers: string[] = [];
  const helper = (name: string): string => {
    helpers.push(name);
    return q(name);
  };
  const input = criteria.map((c) => `kam__in_${c.id}`);
  const scored = criteria.map((c) => `kam__x_${c.id}`);
  const points = criteria.map((c) => `kam__pts_${c.id}`);
  const fired = compiled.knockouts.map((k) => `kam__ko_${k.id}`);
  const absent = new Set(options.absent ?? []);
  const from = options.source ?? (options.table ?? 'accounts').split('.').map(q).join('.');
  const ctes: string[] = [];
  const cte = (name: string, comment: readonly string[], select: string): void => {
    ctes.push(`${comment.map((line) => `-- ${commentText(line)}`).join('\n')}\n${name} AS (\n${select}\n)`);
  };
  const list = (items: readonly string[]): string => items.map((item) => `    ${item}`).join(',\n');
  const columnOf = (c: CompiledCriterion): string => {
    const mapped = ownEntry(options.map, c.id);
    return typeof mapped === 'string' ? mapped : c.id;
  };

  // Step 0 (a rule set with a currency and a currency column): each account's rate, NULL when its
  // currency is blank or has no rate while an amount is given (the account is then Invalid input).
  const currencyColumn = compiled.currency && compiled.amounts.length > 0 ? currencyColumnOf(options) : undefined;
  const amountIds = new Set(compiled.amounts);
  const raw = criteria.map((c) => `kam__raw_${c.id}`);
  let source = `${from} AS t`;
  if (currencyColumn !== undefined && compiled.currency) {
    // The cell trimmed as the engine trims it (JavaScript's trim): TRIM strips spaces only, so the
    // tabs, line breaks, no-break and ideographic spaces that pasted exports carry become spaces first.
    const spaced = CURRENCY_BLANKS.reduce((text, blank) => `REPLACE(${text}, ${d.char(blank)}, ' ')`, d.textOf(`t.${q(currencyColumn)}`));
    const code = `UPPER(TRIM(${spaced}))`;
    const codes = [...compiled.currency.rates].map(([c, rate]) => `WHEN ${d.text(c)} THEN ${num(rate)}`);
    // What the engine reads as a code besides the code itself: RMB for CNY, € for EUR, £ for GBP.
    for (const [written, meant] of CODE_SPELLINGS) {
      const rate = compiled.currency.rates.get(meant);
      if (rate !== undefined) codes.push(`WHEN ${d.text(written)} THEN ${num(rate)}`);
    }
    cte(
      'kam_rates',
      [
        `Step 0: each account's amounts are in the currency of column ${commentText(currencyColumn)}; the FX table converts them to ${compiled.currency.code}.`,
        ...(rules.fx ?? []).map((f) => `  1 ${f.code} = ${f.rate} ${compiled.currency?.code ?? ''}${f.date ? ` (${f.date})` : ''}`),
      ],
      `  SELECT\n    t.*,\n${list([`CASE ${code}\n      ${codes.join('\n      ')}\n    END AS ${helper('kam__rate')}`])}\n  FROM ${from} AS t`,
    );
    source = 'kam_rates AS t';
  }

  // Step 1: the inputs as doubles.
  const converted = (c: CompiledCriterion, read: string): string => (currencyColumn !== undefined && amountIds.has(c.index) ? `${read} * ${q('kam__rate')}` : read);
  cte(
    'kam_inputs',
    [
      "Step 1: each criterion's input as a double (blank = NULL).",
      ...(currencyColumn !== undefined ? ["Amounts are multiplied by the account's rate; their range is checked on the amount as given."] : []),
      ...(compiled.currency && currencyColumn === undefined && compiled.amounts.length > 0
        ? [`Amounts are taken to be in ${compiled.currency.code}: the table has no currency column.`]
        : []),
    ],
    `  SELECT\n    t.*,\n${list(
      criteria.flatMap((c, i) => {
        const read = absent.has(c.id) ? d.nullDouble : d.readNumber(`t.${q(columnOf(c))}`);
        const both = [`${converted(c, read)} AS ${helper(input[i] as string)}`];
        if (currencyColumn !== undefined && amountIds.has(c.index)) both.push(`${read} AS ${helper(raw[i] as string)}`);
        return both;
      }),
    )}\n  FROM ${source}`,
  );

  // Step 2: valid ranges, and the headroom criteria's scored value.
  const ranged = criteria.filter((c) => c.validMin !== -Infinity || c.validMax !== Infinity);
  const outOfRange = (c: CompiledCriterion): string => {
    const x = q((currencyColumn !== undefined && amountIds.has(c.index) ? raw : input)[c.index] as string);
    const tests: string[] = [];
    if (c.validMin !== -Infinity) tests.push(`${x} < ${num(c.validMin)}`);
    if (c.validMax !== Infinity) tests.push(`${x} > ${num(c.validMax)}`);
    return tests.join(' OR ');
  };
  const badColumns = ranged.map((c) => `kam__bad_${c.id}`);
  // An amount whose currency has no rate (or is blank beside a currency column) makes the account invalid.
  const amountGiven = compiled.amounts.map((i) => `${q(raw[i] as string)} IS NOT NULL`).join(' OR ');
  const badRate = currencyColumn === undefined ? undefined : `CASE WHEN ${q('kam__rate')} IS NULL AND (${amountGiven}) THEN 1 ELSE 0 END`;
  const invalidTerms = [...badColumns.map(q), ...(badRate ? [q('kam__bad_currency')] : [])];
  const invalid = invalidTerms.length === 0 ? '0' : invalidTerms.join(' + ');
  cte(
    'kam_checked',
    [
      'Step 2: valid ranges (an input outside them makes the account Invalid input), and headroom:',
      'a headroom criterion scores max(input − base, 0), and is not scored when its base is blank.',
    ],
    `  SELECT\n    s.*,\n${list([
      ...ranged.map((c, j) => `CASE WHEN ${outOfRange(c)} THEN 1 ELSE 0 END AS ${helper(badColumns[j] as string)}`),
      ...(badRate ? [`${badRate} AS ${helper('kam__bad_currency')}`] : []),
      ...criteria.map((c, i) => {
        const x = q(input[i] as string);
        if (c.headroomOver < 0) return `${x} AS ${helper(scored[i] as string)}`;
        const base = q(input[c.headroomOver] as string);
        return `CASE WHEN ${x} IS NULL OR ${base} IS NULL THEN NULL WHEN ${x} > ${base} THEN ${x} - ${base} ELSE ${num(0)} END AS ${helper(scored[i] as string)}`;
      }),
    ])}\n  FROM kam_inputs AS s`,
  );

  // Step 3: where each input sits on its curve, then points per criterion.
  const position = criteria.map((c) => `kam__pos_${c.id}`);
  const positionOf = (c: CompiledCriterion): string => {
    const t = `(${q(scored[c.index] as string)} - ${num(c.curveMin)}) / ${num(c.curveSpan)}`;
    return c.higherIsBetter ? t : `${num(1)} - ${t}`;
  };
  cte(
    'kam_positions',
    [
      'Step 3: where each input sits on its linear curve: 0 at the worse end, 1 at the better end.',
      ...rules.criteria.map((c) => `  ${c.id}: ${c.better} is better, ${c.curve.min} → ${c.curve.max}, weight ${c.weight}`),
    ],
    `  SELECT\n    s.*,\n${list(criteria.map((c, i) => `${positionOf(c)} AS ${helper(position[i] as string)}`))}\n  FROM kam_checked AS s`,
  );
  const pointsOf = (c: CompiledCriterion): string => {
    const p = q(position[c.index] as string);
    return `CASE WHEN ${p} IS NULL THEN NULL WHEN ${p} <= ${num(0)} THEN ${num(0)} WHEN ${p} >= ${num(1)} THEN ${num(100)} ELSE ${p} * ${num(100)} END`;
  };
  cte(
    'kam_points',
    ['Step 4: points 0–100, clamped at both ends of the curve.'],
    `  SELECT\n    s.*,\n${list(criteria.map((c, i) => `${pointsOf(c)} AS ${helper(points[i] as string)}`))}\n  FROM kam_positions AS s`,
  );

  // Step 5: weighted sum over the criteria present, the weight present, knock-outs, required blanks.
  const sumOver = (term: (c: CompiledCriterion) => string): string =>
    criteria.map((c) => `CASE WHEN ${q(points[c.index] as string)} IS NULL THEN ${num(0)} ELSE ${term(c)} END`).join('\n      + ');
  const condition = (k: (typeof compiled.knockouts)[number]): string =>
    k.conditions
      .map((w) => {
        const x = q(input[w.criterion] as string);
        return `${x} IS NOT NULL AND ${x} ${w.op} ${num(w.value)}`;
      })
      .join(' AND ');
  const required = rules.criteria.map((c, i) => (c.required === true ? i : -1)).filter((i) => i >= 0);
  const requiredBlank = required.length === 0 ? '0' : `CASE WHEN ${required.map((i) => `${q(input[i] as string)} IS NULL`).join(' OR ')} THEN 1 ELSE 0 END`;
  cte(
    'kam_sums',
    [
      'Step 5: the weighted points and the weight of the criteria present (missing data re-shares the',
      'weight among those present); each knock-out (all its conditions hold, every input present); required blanks.',
      ...compiled.knockouts.map(
        (k) => `  knock-out ${k.id} (${k.exclude ? 'exclude' : 'flag'}): ${k.conditions.map((w) => `${criteria[w.criterion]?.id ?? '?'} ${w.op} ${w.value}`).join(' and ')}`,
      ),
      ...required.map((i) => `  required: ${criteria[i]?.id ?? '?'}`),
    ],
    `  SELECT\n    s.*,\n${list([
      `${sumOver((c) => `${num(c.weight)} * ${q(points[c.index] as string)}`)} AS ${helper('kam__weighted')}`,
      `${sumOver((c) => num(c.weight))} AS ${helper('kam__present_weight')}`,
      ...compiled.knockouts.map((k, j) => `CASE WHEN ${condition(k)} THEN 1 ELSE 0 END AS ${helper(fired[j] as string)}`),
      `${requiredBlank} AS ${helper('kam__required_blank')}`,
      `${invalid} AS ${helper('kam__invalid')}`,
    ])}\n  FROM kam_points AS s`,
  );

  // Step 6: the raw score, scaled for rounding, and the share of weight present.
  const epsilonNudge = num(1 + Number.EPSILON);
  cte(
    'kam_scaled',
    [
      `Step 6: score = weighted points / weight present; present share = weight present / ${compiled.totalWeight}.`,
      'The score ×10 is nudged by (1 + 2^-52), as the engine does, so 62.25 computed as 62.2499… rounds up.',
    ],
    `  SELECT\n    s.*,\n${list([
      `CASE WHEN ${q('kam__present_weight')} > ${num(0)} THEN (${q('kam__weighted')} / ${q('kam__present_weight')} * ${num(10)}) * ${epsilonNudge} END AS ${helper('kam__score10')}`,
      `${q('kam__present_weight')} / ${num(compiled.totalWeight)} AS ${helper('kam__share')}`,
    ])}\n  FROM kam_sums AS s`,
  );

  // Step 7: half-way rounding up, by FLOOR (ROUND's half-way rule differs between engines).
  const y = q('kam__score10');
  cte(
    'kam_rounded',
    ["Step 7: the score rounded to one decimal, half-way values up (what JavaScript's Math.round does)."],
    `  SELECT\n    s.*,\n${list([
      `(${d.floor(y)} + CASE WHEN ${y} - ${d.floor(y)} >= ${num(0.5)} THEN ${num(1)} ELSE ${num(0)} END) / ${num(10)} AS ${helper('kam__rounded')}`,
    ])}\n  FROM kam_scaled AS s`,
  );

  // Step 8: the verdict.
  const [strategicMin, keyMin, developMin] = compiled.thresholds;
  const score = q('kam__rounded');
  const excludes = compiled.knockouts.filter((k) => k.exclude).map((k) => `${q(fired[k.index] as string)} = 1`);
  const tier = [
    `CASE`,
    `      WHEN ${q('kam__invalid')} > 0 THEN 'invalid'`,
    ...(excludes.length > 0 ? [`      WHEN ${excludes.join(' OR ')} THEN 'excluded'`] : []),
    `      WHEN ${q('kam__share')} < ${num(compiled.minWeightShare)} OR ${score} IS NULL OR ${q('kam__required_blank')} = 1 THEN 'insufficient'`,
    `      WHEN ${score} >= ${num(strategicMin)} THEN 'strategic'`,
    `      WHEN ${score} >= ${num(keyMin)} THEN 'key'`,
    `      WHEN ${score} >= ${num(developMin)} THEN 'develop'`,
    `      ELSE 'maintain'`,
    `    END`,
  ].join('\n');
  const piece = (when: string, token: string): string => `CASE WHEN ${when} THEN ${d.text(`${token}; `)} ELSE '' END`;
  const requiredSet = new Set(required);
  const flagPieces = [
    ...ranged.map((c, j) => piece(`${q(badColumns[j] as string)} = 1`, `invalid:${c.id}`)),
    ...compiled.knockouts.map((k, j) => piece(`${q('kam__invalid')} = 0 AND ${q(fired[j] as string)} = 1`, k.id)),
    ...required
      .filter((i) => !absent.has(criteria[i]?.id ?? ''))
      .map((i) => piece(`${q('kam__invalid')} = 0 AND ${q(input[i] as string)} IS NULL`, `required:${criteria[i]?.id ?? ''}`)),
    ...criteria
      .filter((c) => !absent.has(c.id))
      .map((c) => {
        const skip = requiredSet.has(c.index) ? ` AND ${q(input[c.index] as string)} IS NOT NULL` : '';
        return piece(`${q('kam__invalid')} = 0 AND ${q(points[c.index] as string)} IS NULL${skip}`, `missing:${c.id}`);
      }),
  ];
  cte(
    'kam_verdict',
    [
      'Step 8: the tier. Invalid input first; an exclude knock-out decides before the score; too little',
      `weight present (< ${compiled.minWeightShare}), no score or a required blank → insufficient; else the thresholds`,
      `on the rounded score: strategic ≥ ${strategicMin}, key ≥ ${keyMin}, develop ≥ ${developMin}, else maintain.`,
    ],
    `  SELECT\n    s.*,\n${list([
      `${tier} AS ${helper('kam__tier')}`,
      `${flagPieces.length > 0 ? flagPieces.join('\n      || ') : "''"} AS ${helper('kam__flags')}`,
    ])}\n  FROM kam_rounded AS s`,
  );

  const labelOf = (id: OutcomeId): string => (id === 'invalid' ? LABEL_PACKS[lang].invalidOutcome : rules.tiers[id].label[lang]);
  const flags = q('kam__flags');
  const results = [
    `CASE WHEN ${q('kam__invalid')} > 0 THEN NULL ELSE ${score} END AS ${q('kam_score')}`,
    `${q('kam__tier')} AS ${q('kam_tier')}`,
    `CASE ${q('kam__tier')}\n${OUTCOME_IDS.map((id) => `      WHEN '${id}' THEN ${d.text(labelOf(id))}`).join('\n')}\n    END AS ${q('kam_tier_label')}`,
    `CASE WHEN ${flags} = '' THEN '' ELSE SUBSTR(${flags}, 1, LENGTH(${flags}) - 2) END AS ${q('kam_flags')}`,
    `CASE WHEN ${q('kam__invalid')} > 0 THEN ${num(0)} ELSE ${q('kam__share')} END AS ${q('kam_present_share')}`,
  ];
  const own = options.columns ? options.columns.map((c) => `v.${q(c)}`) : d.exclude ? [`v.* EXCLUDE (${helpers.map(q).join(', ')})`] : ['v.*'];
  const keepsHelpers = !options.columns && !d.exclude;

  return [
    `-- KAM rule set "${commentText(rules.name)}" as one ${options.dialect} query, generated by kam sql.`,
    '-- Flags: invalid:<id> (outside its valid range), knock-out ids that fired, required:<id>, missing:<id>.',
    ...(keepsHelpers ? ["-- v.* is the table's columns, then the kam__ helper columns: give the column list to leave them out."] : []),
    `WITH\n${ctes.join(',\n')}`,
    `SELECT\n${list([...own, ...results])}\nFROM kam_verdict AS v`,
  ].join('\n');
}
