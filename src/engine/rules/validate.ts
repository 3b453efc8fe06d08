import { z } from 'zod';
import { message, type Message } from '../i18n/messages';
import { langOf, type Lang } from '../types';
import { isRuleIssueKey, renderRuleIssue } from './issues';
import { ruleSetSchema, type RuleSet } from './schema';
import { trustRules } from '../guard';

/** zod's own messages (a wrong type, an unknown choice) in each language we speak. */
const ZOD_LOCALES: Record<Lang, z.core.$ZodErrorMap> = { en: z.locales.en().localeError, zh: z.locales.zhCN().localeError };

/** One thing wrong with a rule set: where (`criteria[2].curve.max`) and what. */
export interface RuleIssue {
  path: string;
  message: string;
}

export type RulesResult = { ok: true; rules: RuleSet; warnings: Message[] } | { ok: false; issues: RuleIssue[] };

/** Formats a schema path as a reader writes it: `criteria[2].curve.max`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of Array.isArray(path) ? (path as PropertyKey[]) : []) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(rule set)' : out;
}

function describeIssue(issue: z.core.$ZodIssue, lang: Lang): RuleIssue {
  let text = issue.message;
  if (issue.code === 'unrecognized_keys') text = renderRuleIssue('unknownFields', { keys: issue.keys.join(', ') }, lang);
  else if (isRuleIssueKey(text)) text = renderRuleIssue(text, issue.code === 'custom' ? issue.params : {}, lang);
  return { path: formatPath(issue.path), message: text };
}

/**
 * Validates a rule set from any source (JSON file, workbook table, task pane form). Never throws
 * on bad data: every problem comes back with the field it concerns, in the reader's language.
 */
export function parseRules(input: unknown, lang: Lang = 'en'): RulesResult {
  lang = langOf(lang);
  const parsed = ruleSetSchema.safeParse(input, { error: ZOD_LOCALES[lang === 'zh' ? 'zh' : 'en'] });
  if (!parsed.success) return { ok: false, issues: parsed.error.issues.map((issue) => describeIssue(issue, lang)) };
  const rules = trustRules(parsed.data);
  const warnings: Message[] = [];
  const sum = rules.criteria.reduce((total, c) => total + c.weight, 0);
  if (Math.abs(sum - 100) > 1e-9) warnings.push(message('weightsNormalised', { sum: Math.round(sum * 1000) / 1000 }));
  return { ok: true, rules, warnings };
}

/** For callers holding rules they trust (tests, the defaults): throws a RangeError listing every issue. */
export function assertRules(input: unknown): RuleSet {
  const result = parseRules(input);
  if (!result.ok) {
    throw new RangeError(`Invalid rule set:\n${result.issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`);
  }
  return result.rules;
}
