import { message, type Message } from './i18n/messages';
import { ruleSetSchema, type RuleSet } from './rules/schema';

/**
 * The engine's API takes any JavaScript value without throwing (a library user, a formula or a
 * JSON file may hand it anything): these helpers turn what an argument is into a usable value or
 * a named problem. Rule sets are checked against the schema once per object.
 */

const checked = new WeakMap<object, RuleSet | null>();

/** Marks a rule set the engine built itself (defaults, parsed, calibrated) as valid, so it is not checked again. */
export function trustRules(rules: RuleSet): RuleSet {
  checked.set(rules, rules);
  return rules;
}

/**
 * The rule set an argument holds, or undefined when it is not a valid one. A valid object the
 * engine has not seen is checked once; what the schema's defaults fill in is used from then on.
 */
export function usableRules(value: unknown): RuleSet | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const known = checked.get(value);
  if (known !== undefined) return known ?? undefined;
  let parsed: RuleSet | null = null;
  try {
    const result = ruleSetSchema.safeParse(value);
    if (result.success) parsed = result.data;
  } catch {
    parsed = null; // a getter that throws, a revoked proxy: not a rule set
  }
  checked.set(value, parsed);
  if (parsed) checked.set(parsed, parsed);
  return parsed ?? undefined;
}

export const badArgument = (argument: string, expected: string): Message => message('badArgument', { argument, expected });

/** A list argument as an array: anything else holds nothing. */
export const listOf = <T>(v: unknown): readonly T[] => (Array.isArray(v) ? (v as T[]) : []);

/** Text of any value without throwing (String() throws on a null-prototype object or a symbol in a template). */
export function textOf(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '';
  try {
    // Any value: an object's text is what String() makes of it (a rule set cell that is not text).
    // eslint-disable-next-line @typescript-eslint/no-base-to-string
    return String(v);
  } catch {
    return '';
  }
}

export const badRules: Message = message('badArgument', { argument: 'rules', expected: 'a valid rule set (see parseRules)' });

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** A user-keyed lookup that never finds Object.prototype's members (`constructor`, `toString`, …). */
export function own<T>(table: Readonly<Record<string, T>> | null | undefined, key: unknown): T | undefined {
  if (!isObject(table) || typeof key !== 'string' || !Object.prototype.hasOwnProperty.call(table, key)) return undefined;
  return table[key];
}

/** A safe description of any value for a message: never throws, even on null-prototype objects. */
export function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (v instanceof Date) return 'date';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}
