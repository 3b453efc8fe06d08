import type { Lang } from '../../engine';
import type { FunctionId } from '../catalog';
import { ZH_CN } from './zh-cn';

/**
 * The adapter's own texts: errors about the shape of arguments, expectations appended to input
 * problems, and the EXPLAIN table's headings. The engine's messages stay the engine's; these are
 * only what the formula surface adds. Each language implements every key (the compiler checks).
 */
export interface TextParams {
  notColumn: { arg: string; rows: number; cols: number };
  heightMismatch: { arg: string; rows: number; other: string; otherRows: number };
  empty: { arg: string };
  oneAccount: { rows: number };
  oneValue: { arg: string; rows: number; cols: number };
  badLanguage: { text: string };
  rulesInvalid: { cell: string | null; path: string; problem: string; more: number };
  blankInput: { arg: string };
  noWeightedData: Record<string, never>;
  expected: { what: string };
  internal: { detail: string };
  inputError: { arg: string; error: string };
  contactRow: { row: number; detail: string };
  extraCriteria: { ids: string };
}
export type TextKey = keyof TextParams;
type TextPack = { [K in TextKey]: (p: TextParams[K]) => string };

const en: TextPack = {
  notColumn: ({ arg, rows, cols }) => `${arg}: give one cell or one column, not ${rows} row${rows === 1 ? '' : 's'} × ${cols} columns`,
  heightMismatch: ({ arg, rows, other, otherRows }) => `${arg} has ${rows} rows but ${other} has ${otherRows}: give ranges of equal height, or a single cell`,
  empty: ({ arg }) => `${arg}: the range holds no cells`,
  oneAccount: ({ rows }) => `KAM.EXPLAIN explains one account: give single cells, not ${rows} rows`,
  oneValue: ({ arg, rows, cols }) => `${arg}: give one cell, not ${rows} × ${cols}`,
  badLanguage: ({ text }) => `language: "${text}" is not a language; use "en" or "zh"`,
  rulesInvalid: ({ cell, path, problem, more }) =>
    `rules: ${cell === null ? '' : `cell ${cell} of the rules range, `}${path}: ${problem}${more > 0 ? ` (and ${more} more problem${more === 1 ? '' : 's'})` : ''}`,
  blankInput: ({ arg }) => `${arg} is blank`,
  noWeightedData: () => 'no criterion with a weight has data',
  expected: ({ what }) => ` (expected ${what})`,
  internal: ({ detail }) => `KAM could not compute this: ${detail}`,
  inputError: ({ arg, error }) => `${arg} holds the error ${error}`,
  contactRow: ({ row, detail }) => `contact row ${row}: ${detail}`,
  extraCriteria: ({ ids }) => `rules: the rule set scores ${ids}, which the seven account arguments cannot pass; use the task pane or kam for this rule set`,
};

const zh: TextPack = {
  notColumn: ({ arg, rows, cols }) => `${arg}:请给出一个单元格或一列,而不是 ${rows} 行 × ${cols} 列`,
  heightMismatch: ({ arg, rows, other, otherRows }) => `${arg} 有 ${rows} 行,而 ${other} 有 ${otherRows} 行:请给出高度相同的区域,或单个单元格`,
  empty: ({ arg }) => `${arg}:区域中没有单元格`,
  oneAccount: ({ rows }) => `KAM.评分说明 只解释一个客户:请给出单个单元格,而不是 ${rows} 行`,
  oneValue: ({ arg, rows, cols }) => `${arg}:请给出一个单元格,而不是 ${rows} × ${cols}`,
  badLanguage: ({ text }) => `语言:“${text}”不是可用的语言,请用 "en" 或 "zh"`,
  rulesInvalid: ({ cell, path, problem, more }) => `规则:${cell === null ? '' : `规则区域的单元格 ${cell},`}${path}:${problem}${more > 0 ? `(另有 ${more} 个问题)` : ''}`,
  blankInput: ({ arg }) => `${arg} 为空`,
  noWeightedData: () => '没有任何有权重的标准有数据',
  expected: ({ what }) => `(应为${what})`,
  internal: ({ detail }) => `KAM 无法计算:${detail}`,
  inputError: ({ arg, error }) => `${arg} 含错误值 ${error}`,
  contactRow: ({ row, detail }) => `联系人第 ${row} 行:${detail}`,
  extraCriteria: ({ ids }) => `规则:该规则集还对 ${ids} 评分,七个客户参数无法传入;请对此规则集使用任务窗格或 kam`,
};

const PACKS: Record<Lang, TextPack> = { en, zh };

export function text<K extends TextKey>(lang: Lang, key: K, params: TextParams[K]): string {
  return (PACKS[lang][key] as (p: TextParams[K]) => string)(params);
}

/** What a criterion's unit expects, said the way a user types it. */
export interface Expectation {
  fraction: string;
  currency: string;
  days: string;
  rating: (min: number, max: number) => string;
  number: string;
  numberFrom: (min: number) => string;
  numberBetween: (min: number, max: number) => string;
}

export const EXPECTATIONS: Record<Lang, Expectation> = {
  en: {
    fraction: 'a fraction such as 18% or 0.18',
    currency: 'an amount such as 1200000 or 1,200,000',
    days: 'a number of days such as 45',
    rating: (min, max) => `a rating from ${min} to ${max}, or yes/no`,
    number: 'a number',
    numberFrom: (min) => `a number ≥ ${min}`,
    numberBetween: (min, max) => `a number from ${min} to ${max}`,
  },
  zh: {
    fraction: '比例,如 18% 或 0.18',
    currency: '金额,如 1200000 或 1,200,000',
    days: '天数,如 45',
    rating: (min, max) => `${min} 到 ${max} 的评分,或 是/否`,
    number: '数字',
    numberFrom: (min) => `≥ ${min} 的数字`,
    numberBetween: (min, max) => `${min} 到 ${max} 的数字`,
  },
};

/** Chinese argument names, taken from the zh metadata so that messages and IntelliSense agree. */
const ZH_ARG_NAMES: ReadonlyMap<string, string> = new Map(
  (Object.keys(ZH_CN) as FunctionId[]).flatMap((id) => Object.entries(ZH_CN[id].params as Record<string, { name: string }>).map(([param, t]) => [param, t.name] as const)),
);

/** The name an argument has in the user's language (the parameter name Excel shows). */
export function argName(param: string, lang: Lang): string {
  return lang === 'zh' ? (ZH_ARG_NAMES.get(param) ?? param) : param;
}

export function hasArgName(param: string): boolean {
  return ZH_ARG_NAMES.has(param);
}
