import { defaultRules, parseRules, type RuleSet } from '../../src/engine';

/** An FX row as a rule set holds it: 1 unit of `code` is `rate` CNY (on `date`, when given). */
export interface FxRow {
  code: string;
  rate: number;
  date?: string;
}

/** The default rules scored in CNY with these FX rows (domain.md §6); a test's mistake if they do not parse. */
export function cnyRules(fx: readonly FxRow[]): RuleSet {
  const parsed = parseRules({ ...defaultRules(), currency: 'CNY', fx });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.rules;
}
