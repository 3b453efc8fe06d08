import { langOf, type Lang } from '../types';

/**
 * Every message the engine can produce, with the parameters it takes. A language pack must
 * implement each key (the compiler checks it), so a message can't exist in one language only.
 */
export interface MessageParams {
  // Problems with one input cell. `field` is the criterion's label or id.
  notNumber: { field: string; text: string };
  ambiguousNumber: { field: string; text: string };
  ambiguousSign: { field: string; text: string };
  excelError: { field: string; error: string };
  outOfRange: { field: string; value: number; min: number | null; max: number | null };
  percentWithoutSign: { field: string; value: number };
  yesNoNotAllowed: { field: string; text: string };
  unsupportedValue: { field: string; kind: string };
  unknownWord: { field: string; text: string; expected: string };
  // Currencies (docs/rules.md §6): an account's amounts cannot be converted to the rule set's currency.
  unknownCurrency: { code: string; known: string };
  badCurrency: { text: string };
  missingCurrency: { field: string };
  ambiguousCurrency: { field: string; text: string; symbol: string };
  currencyConflict: { field: string; text: string; code: string; column: string };
  seriesTooShort: { count: number };
  seriesGap: { position: number };
  seriesStartsAtZero: { value: number };
  // Flags on an account.
  missingData: { fields: string[] };
  requiredMissing: { fields: string[] };
  headroomNeedsBase: { field: string; base: string };
  notScored: { count: number };
  singleThreaded: { solid: number; min: number };
  decisionMakerUnknown: Record<string, never>;
  decisionMakerOpposed: Record<string, never>;
  decisionMakerNotEngaged: Record<string, never>;
  influentialOpponent: { names: string };
  vestedInterest: { names: string };
  noCoach: Record<string, never>;
  longTermNeedUnknown: Record<string, never>;
  nothingLanding: { months: number };
  seniorVisit: Record<string, never>;
  // Portfolio-level findings.
  tooManyKeyAccounts: { count: number; max: number };
  keyShareTooHigh: { count: number; total: number; share: number; maxShare: number };
  overCapacity: { demand: number; capacity: number; over: number };
  weightsNormalised: { sum: number };
  // A caller of the engine's API passed something it cannot use (a library user's mistake).
  badArgument: { argument: string; expected: string };
}
export type MessageKey = keyof MessageParams;
export type MessagePack = { [K in MessageKey]: (p: MessageParams[K]) => string };

const pct = (x: number): string => `${Math.round(x * 1000) / 10}%`;
const range = (min: number | null, max: number | null): string => (min !== null && max !== null ? `${min}–${max}` : min !== null ? `≥ ${min}` : `≤ ${max ?? ''}`);

const en: MessagePack = {
  notNumber: ({ field, text }) => `${field}: "${text}" is not a number`,
  ambiguousNumber: ({ field, text }) => `${field}: "${text}" is ambiguous (thousands or decimal separator?); write it without grouping, e.g. 1500 or 1.5`,
  ambiguousSign: ({ field, text }) => `${field}: "${text}" has more than one sign; write it with one, e.g. -5% or (5%)`,
  excelError: ({ field, error }) => `${field}: the cell holds the error ${error}`,
  unknownCurrency: ({ code, known }) => `currency ${code} has no rate in the rule set's FX table (rates for: ${known})`,
  badCurrency: ({ text }) => `currency: "${text}" is not a currency code (write e.g. CNY, EUR, USD)`,
  missingCurrency: ({ field }) => `${field}: the amount has no currency (the currency cell is blank)`,
  ambiguousCurrency: ({ field, text, symbol }) => `${field}: in "${text}", ${symbol} may stand for several currencies: give the code in the currency column`,
  currencyConflict: ({ field, text, code, column }) => `${field}: "${text}" is in ${code}, but the currency column says ${column}`,
  outOfRange: ({ field, value, min, max }) => `${field}: ${value} is outside the allowed range ${range(min, max)}`,
  percentWithoutSign: ({ field, value }) => `${field}: ${value} looks like a percentage without its sign; write ${value}% or ${value / 100}`,
  yesNoNotAllowed: ({ field, text }) => `${field}: "${text}" is a yes/no answer, but this input takes a number`,
  unsupportedValue: ({ field, kind }) => `${field}: a value of type ${kind} cannot be read as a number`,
  unknownWord: ({ field, text, expected }) => `${field}: "${text}" is not one of ${expected}`,
  seriesTooShort: ({ count }) => `growth needs at least 2 period totals, got ${count}`,
  seriesGap: ({ position }) => `period ${position} is blank: fill it in (0 if nothing was bought)`,
  seriesStartsAtZero: ({ value }) => `the first period total is ${value}: growth from it cannot be computed`,
  missingData: ({ fields }) => `missing: ${fields.join(', ')}`,
  requiredMissing: ({ fields }) => `no ${fields.join(', ')}: required for a tier`,
  headroomNeedsBase: ({ field, base }) => `${field} not scored: its headroom needs ${base}`,
  notScored: ({ count }) => `not scored: ${count} input${count === 1 ? '' : 's'} could not be read`,
  singleThreaded: ({ solid, min }) => `single-threaded: ${solid} solid contact${solid === 1 ? '' : 's'} (need ${min})`,
  decisionMakerUnknown: () => 'decision maker unknown',
  decisionMakerOpposed: () => 'decision maker opposed',
  decisionMakerNotEngaged: () => 'decision maker not engaged',
  influentialOpponent: ({ names }) => `influential opponent: ${names}`,
  vestedInterest: ({ names }) => `unresolved vested interest: ${names}`,
  noCoach: () => 'no coach',
  longTermNeedUnknown: () => 'long-term need unknown',
  nothingLanding: ({ months }) => `nothing expected within ${months} months`,
  seniorVisit: () => 'senior-management visit',
  tooManyKeyAccounts: ({ count, max }) => `${count} key accounts is more than ${max}: too many to manage well`,
  keyShareTooHigh: ({ count, total, share, maxShare }) => `${count} of ${total} customers (${pct(share)}) are key accounts, more than ${pct(maxShare)}: too many to manage well`,
  overCapacity: ({ demand, capacity, over }) => `the accounts need ${demand} hours a month, ${over} more than the ${capacity} available`,
  weightsNormalised: ({ sum }) => `the weights add up to ${sum}, not 100: each is used as its share of ${sum}`,
  badArgument: ({ argument, expected }) => `the argument ${argument} cannot be used: expected ${expected}`,
};

const zh: MessagePack = {
  notNumber: ({ field, text }) => `${field}:“${text}”不是数字`,
  ambiguousNumber: ({ field, text }) => `${field}:“${text}”有歧义(千位分隔符还是小数点?),请写成 1500 或 1.5`,
  ambiguousSign: ({ field, text }) => `${field}:“${text}”含有多个正负号,请只写一个,如 -5% 或 (5%)`,
  excelError: ({ field, error }) => `${field}:单元格含错误值 ${error}`,
  unknownCurrency: ({ code, known }) => `规则集的汇率表中没有货币 ${code} 的汇率(已有:${known})`,
  badCurrency: ({ text }) => `货币:“${text}”不是货币代码(请写 CNY、EUR、USD 等)`,
  missingCurrency: ({ field }) => `${field}:金额没有货币(货币单元格为空)`,
  ambiguousCurrency: ({ field, text, symbol }) => `${field}:“${text}”中的 ${symbol} 可能代表多种货币,请在货币列中写明代码`,
  currencyConflict: ({ field, text, code, column }) => `${field}:“${text}”是 ${code},但货币列写的是 ${column}`,
  outOfRange: ({ field, value, min, max }) => `${field}:${value} 超出允许范围 ${range(min, max)}`,
  percentWithoutSign: ({ field, value }) => `${field}:${value} 像是漏写了百分号的百分比,请写成 ${value}% 或 ${value / 100}`,
  yesNoNotAllowed: ({ field, text }) => `${field}:“${text}”是是/否回答,但此项需要数字`,
  unsupportedValue: ({ field, kind }) => `${field}:${kind} 类型的值无法读作数字`,
  unknownWord: ({ field, text, expected }) => `${field}:“${text}”不是 ${expected} 之一`,
  seriesTooShort: ({ count }) => `计算增长率至少需要 2 期合计,实际只有 ${count} 期`,
  seriesGap: ({ position }) => `第 ${position} 期为空:请填写(无采购则填 0)`,
  seriesStartsAtZero: ({ value }) => `第一期合计为 ${value}:无法据此计算增长率`,
  missingData: ({ fields }) => `缺少:${fields.join('、')}`,
  requiredMissing: ({ fields }) => `缺少${fields.join('、')}:评定等级必需`,
  headroomNeedsBase: ({ field, base }) => `${field} 未计分:计算增长空间需要 ${base}`,
  notScored: ({ count }) => `未计分:${count} 项输入无法读取`,
  singleThreaded: ({ solid, min }) => `单线联系:仅 ${solid} 位稳固联系人(需要 ${min} 位)`,
  decisionMakerUnknown: () => '决策者未知',
  decisionMakerOpposed: () => '决策者反对',
  decisionMakerNotEngaged: () => '决策者未参与',
  influentialOpponent: ({ names }) => `有影响力的反对者:${names}`,
  vestedInterest: ({ names }) => `未解决的既得利益:${names}`,
  noCoach: () => '没有内线(教练)',
  longTermNeedUnknown: () => '长期需求未知',
  nothingLanding: ({ months }) => `${months} 个月内没有预期成果`,
  seniorVisit: () => '需要高层拜访',
  tooManyKeyAccounts: ({ count, max }) => `${count} 个大客户超过 ${max} 个:太多,难以管理好`,
  keyShareTooHigh: ({ count, total, share, maxShare }) => `${total} 个客户中有 ${count} 个(${pct(share)})是大客户,超过 ${pct(maxShare)}:太多,难以管理好`,
  overCapacity: ({ demand, capacity, over }) => `客户每月需要 ${demand} 小时,比可用的 ${capacity} 小时多 ${over} 小时`,
  weightsNormalised: ({ sum }) => `权重合计为 ${sum} 而非 100:每项按其占 ${sum} 的比例计算`,
  badArgument: ({ argument, expected }) => `参数 ${argument} 无法使用:应为 ${expected}`,
};

export const MESSAGE_PACKS: Record<Lang, MessagePack> = { en, zh };

/** A message as data: what the engine returns; adapters turn it into text in the user's language. */
export type Message = { [K in MessageKey]: { key: K; params: MessageParams[K] } }[MessageKey];

export function message<K extends MessageKey>(key: K, params: MessageParams[K]): Message {
  return { key, params } as Message;
}

/** How much of an unreadable text a message quotes. */
export const QUOTE_LIMIT = 40;

/** Turns a criterion id into the label the reader sees; the identity when no rule set is at hand. */
export type FieldLabeller = (id: string, lang: Lang) => string;

/**
 * Renders a message. Messages carry criterion ids in `field`, `base` and `fields`, never labels, so
 * that the same message reads right in every language; `labelOf` turns the ids into labels.
 */
export function formatMessage(msg: Message, lang: Lang = 'en', labelOf: FieldLabeller = (id) => id): string {
  if (typeof msg !== 'object' || msg === null || typeof msg.key !== 'string' || !Object.prototype.hasOwnProperty.call(en, msg.key)) return '';
  lang = langOf(lang);
  if (typeof labelOf !== 'function') labelOf = (id) => id;
  const params: Record<string, unknown> = { ...(typeof msg.params === 'object' ? msg.params : {}) };
  // A quoted cell is cut short: a 20,000-character paste must not become a 20,000-character flag
  // (Excel holds at most 32,767 characters in a cell).
  if (typeof params.text === 'string' && params.text.length > QUOTE_LIMIT) params.text = `${params.text.slice(0, QUOTE_LIMIT)}…`;
  for (const key of ['field', 'base'] as const) {
    if (typeof params[key] === 'string') params[key] = labelOf(params[key], lang);
  }
  if (Array.isArray(params.fields)) params.fields = params.fields.map((id: unknown) => (typeof id === 'string' ? labelOf(id, lang) : ''));
  const render = MESSAGE_PACKS[lang][msg.key] as (p: unknown) => string;
  try {
    return render(params);
  } catch {
    // A message built by hand with parameters of the wrong kind: say what it is rather than throw.
    return msg.key;
  }
}

/** Stands for the field while a message is rendered, so that its leading "field: " can be found. */
const FIELD_MARK = '\u0000';
const FIELD_PREFIX = /^\u0000:\s*/;

/**
 * A message without its leading "field: " (in Chinese "field:"), for text shown at the field's own
 * control, whose label already names it. A message that does not begin with its field comes out whole.
 */
export function formatMessageWithoutField(msg: Message, lang: Lang = 'en', labelOf: FieldLabeller = (id) => id): string {
  const label: FieldLabeller = typeof labelOf === 'function' ? labelOf : (id) => id;
  const params: unknown = typeof msg === 'object' && msg !== null ? (msg as { params?: unknown }).params : undefined;
  const field = typeof params === 'object' && params !== null ? (params as { field?: unknown }).field : undefined;
  const whole = formatMessage(msg, lang, label);
  if (typeof field !== 'string') return whole;
  // Rendered once more with a mark for the field: only a message that begins with it loses its prefix.
  const marked = formatMessage(msg, lang, (id, l) => (id === field ? FIELD_MARK : label(id, l)));
  if (!FIELD_PREFIX.test(marked)) return whole;
  return whole.slice(String(label(field, langOf(lang))).length).replace(/^:\s*/, '');
}
