import type { Lang } from '../types';

/**
 * What can be wrong with a rule set, in every language. The schema names these keys as its
 * messages (with parameters where a message needs them), and validation renders them in the
 * reader's language; zod's own messages (a wrong type, an unknown choice) come from its locales.
 */
export interface RuleIssueParams {
  identifier: Record<string, never>;
  notEmpty: Record<string, never>;
  finite: Record<string, never>;
  fraction: Record<string, never>;
  nonNegative: Record<string, never>;
  percentScale: Record<string, never>;
  atLeastOne: Record<string, never>;
  needsCondition: Record<string, never>;
  needsCriterion: Record<string, never>;
  curveMaxAboveMin: { min: number };
  validMaxBelowMin: { min: number };
  idUsed: { id: string; first: string };
  notOtherCriterion: { id: string };
  notCriterion: { id: string };
  allWeightsZero: Record<string, never>;
  weightSumRange: { sum: number };
  reservedId: Record<string, never>;
  usedTwice: { id: string };
  belowHigherTier: { tier: string; min: number };
  ascending: Record<string, never>;
  unknownFields: { keys: string };
  currencyCode: Record<string, never>;
  positive: Record<string, never>;
  isoDate: Record<string, never>;
  fxNeedsCurrency: Record<string, never>;
  currencyBaseRate: { code: string };
  // The table form (the KAM Rules sheet).
  notRulesTable: { expected: string };
  outsideSection: Record<string, never>;
  missingSection: { section: string };
  missingHeader: { header: string };
  unknownSetting: Record<string, never>;
  continuationDiffers: { id: string };
  duplicateSetting: { first: string };
  oneValue: Record<string, never>;
  missingSetting: { path: string };
}
export type RuleIssueKey = keyof RuleIssueParams;
type RuleIssuePack = { [K in RuleIssueKey]: (p: RuleIssueParams[K]) => string };

export const RULE_ISSUE_PACKS: Record<Lang, RuleIssuePack> = {
  en: {
    identifier: () => 'must start with a letter and hold only letters, digits and _',
    notEmpty: () => 'must not be empty',
    finite: () => 'must be a finite number',
    fraction: () => 'must be between 0 and 1',
    nonNegative: () => 'must be 0 or more',
    percentScale: () => 'must be 0–100',
    atLeastOne: () => 'must be 1 or more',
    needsCondition: () => 'needs at least one condition',
    needsCriterion: () => 'needs at least one criterion',
    curveMaxAboveMin: ({ min }) => `must be greater than curve.min (${min})`,
    validMaxBelowMin: ({ min }) => `must not be less than validMin (${min})`,
    idUsed: ({ id, first }) => `"${id}" is already used by ${first}`,
    notOtherCriterion: ({ id }) => `"${id}" is not another criterion's id`,
    notCriterion: ({ id }) => `"${id}" is not a criterion id`,
    allWeightsZero: () => 'the weights must not all be 0',
    weightSumRange: ({ sum }) => `the weights add up to ${sum}: they must add up to a finite number between 1e-307 and 1e306`,
    reservedId: () => 'is a name every JavaScript object already has (constructor, toString, …): choose another',
    usedTwice: ({ id }) => `"${id}" is used twice`,
    belowHigherTier: ({ tier, min }) => `must be below ${tier}'s minScore (${min})`,
    ascending: () => 'must be greater than the one before',
    unknownFields: ({ keys }) => `unknown field${keys.includes(',') ? 's' : ''}: ${keys}`,
    currencyCode: () => 'must be a three-letter ISO 4217 currency code in capitals (CNY, EUR, USD)',
    positive: () => 'must be greater than 0',
    currencyBaseRate: ({ code }) => `the first currency row is the currency scores are in (${code}): its rate must be 1`,
    isoDate: () => 'must be a date written yyyy-mm-dd',
    fxNeedsCurrency: () => 'FX rates need the rule set\'s currency: set "currency" to the code the rates convert to',
    notRulesTable: ({ expected }) => `the first filled row must start with "${expected}"`,
    outsideSection: () => 'this row is outside any [section]',
    missingSection: ({ section }) => `the section ${section} is missing`,
    missingHeader: ({ header }) => `the header "${header}" is missing`,
    unknownSetting: () => 'unknown setting',
    continuationDiffers: ({ id }) =>
      `this row repeats the id "${id}" of the row above, so it only adds a condition to that rule: leave its effect and reasons blank, or give it an id of its own`,
    duplicateSetting: ({ first }) => `this setting is already given in ${first}`,
    oneValue: () => 'this setting takes one value',
    missingSetting: ({ path }) => `the setting ${path} is missing: add a row for it`,
  },
  zh: {
    identifier: () => '必须以字母开头,且只含字母、数字和 _',
    notEmpty: () => '不能为空',
    finite: () => '必须是有限的数字',
    fraction: () => '必须在 0 到 1 之间',
    nonNegative: () => '必须大于或等于 0',
    percentScale: () => '必须在 0–100 之间',
    atLeastOne: () => '必须大于或等于 1',
    needsCondition: () => '至少需要一个条件',
    needsCriterion: () => '至少需要一个标准',
    curveMaxAboveMin: ({ min }) => `必须大于 curve.min(${min})`,
    validMaxBelowMin: ({ min }) => `不能小于 validMin(${min})`,
    idUsed: ({ id, first }) => `“${id}”已被 ${first} 使用`,
    notOtherCriterion: ({ id }) => `“${id}”不是另一个标准的 id`,
    notCriterion: ({ id }) => `“${id}”不是标准的 id`,
    allWeightsZero: () => '权重不能全部为 0',
    weightSumRange: ({ sum }) => `权重合计为 ${sum}:合计必须是 1e-307 到 1e306 之间的有限数`,
    reservedId: () => '是每个 JavaScript 对象都已有的名称(constructor、toString 等):请另选一个',
    usedTwice: ({ id }) => `“${id}”重复使用`,
    belowHigherTier: ({ tier, min }) => `必须低于 ${tier} 的 minScore(${min})`,
    ascending: () => '必须大于前一项',
    unknownFields: ({ keys }) => `未知字段:${keys}`,
    currencyCode: () => '必须是三个大写字母的 ISO 4217 货币代码(CNY、EUR、USD)',
    positive: () => '必须大于 0',
    currencyBaseRate: ({ code }) => `第一行货币是评分所用的货币(${code}):其汇率必须为 1`,
    isoDate: () => '必须是 yyyy-mm-dd 格式的日期',
    fxNeedsCurrency: () => '汇率需要规则集的货币:请将 "currency" 设为汇率所折算成的货币代码',
    notRulesTable: ({ expected }) => `第一个非空行必须以“${expected}”开头`,
    outsideSection: () => '此行不在任何 [分节] 之内',
    missingSection: ({ section }) => `缺少分节 ${section}`,
    missingHeader: ({ header }) => `缺少表头“${header}”`,
    unknownSetting: () => '未知设置',
    continuationDiffers: ({ id }) => `此行重复了上一行的 id“${id}”,因此只是为该规则添加条件:请将其效果和原因留空,或为其设置单独的 id`,
    duplicateSetting: ({ first }) => `此设置已在 ${first} 中给出`,
    oneValue: () => '此设置只取一个值',
    missingSetting: ({ path }) => `缺少设置 ${path}:请为其添加一行`,
  },
};

export function isRuleIssueKey(text: string): text is RuleIssueKey {
  return Object.prototype.hasOwnProperty.call(RULE_ISSUE_PACKS.en, text);
}

export function renderRuleIssue(key: RuleIssueKey, params: unknown, lang: Lang): string {
  const render = RULE_ISSUE_PACKS[lang][key] as (p: unknown) => string;
  return render(params ?? {});
}
