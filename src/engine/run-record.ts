import { canonicalRules, rulesFingerprint } from './fingerprint';
import { isObject, own, textOf } from './guard';
import { LANGUAGES, type Lang } from './types';

/**
 * The run record: what a workbook remembers of the run that wrote its results (kam score, or the
 * pane's Apply), so that `kam check` and the pane can tell whether they are still current. It is
 * kept as custom document properties, each value short enough for every Office client (Office.js
 * trims text properties to 255 characters outside Excel on the web), so the rule set itself is
 * split over numbered properties.
 */
export interface RunRecord {
  /** rulesFingerprint of the rule set the results were computed with. */
  fingerprint: string;
  /** When, as ISO 8601 UTC (`2026-12-01T05:30:00.000Z`). */
  appliedAt: string;
  /** The product's version. */
  version: string;
  lang: Lang;
  /** The rule set's canonical JSON, when it was recorded (to say what changed since). */
  rules?: string;
}

export const RUN_RECORD_KEYS = {
  fingerprint: 'KAM.RulesFingerprint',
  appliedAt: 'KAM.AppliedAt',
  version: 'KAM.Version',
  lang: 'KAM.Lang',
  /** How many `KAM.Rules.NN` parts follow. */
  ruleParts: 'KAM.RulesParts',
  rulePart: (n: number): string => `KAM.Rules.${String(n).padStart(2, '0')}`,
} as const;

/** Part length, in UTF-16 code units (what the 255-character limit counts). */
const PART = 240;

/**
 * The properties that record a run of `rules` (name → text), in the order to write them; an
 * empty list when `rules` is no valid rule set. `at` is a Date or an ISO text.
 */
export function runRecordProperties(rules: unknown, at: unknown, version: unknown, lang: unknown): Array<[name: string, value: string]> {
  const canonical = canonicalRules(rules);
  if (canonical === '') return [];
  const when = at instanceof Date && Number.isFinite(at.getTime()) ? at.toISOString() : textOf(at);
  const l: Lang = (LANGUAGES as readonly unknown[]).includes(lang) ? (lang as Lang) : 'en';
  const parts: string[] = [];
  for (let i = 0; i < canonical.length;) {
    let end = Math.min(canonical.length, i + PART);
    // Never split a surrogate pair between two properties.
    const last = canonical.charCodeAt(end - 1);
    if (end < canonical.length && last >= 0xd800 && last <= 0xdbff) end--;
    parts.push(canonical.slice(i, end));
    i = end;
  }
  return [
    [RUN_RECORD_KEYS.fingerprint, rulesFingerprint(rules)],
    [RUN_RECORD_KEYS.appliedAt, when],
    [RUN_RECORD_KEYS.version, textOf(version)],
    [RUN_RECORD_KEYS.lang, l],
    [RUN_RECORD_KEYS.ruleParts, String(parts.length)],
    ...parts.map((p, k): [string, string] => [RUN_RECORD_KEYS.rulePart(k + 1), p]),
  ];
}

/**
 * The run record in a workbook's custom properties (name → value), or undefined when it has
 * none. Rules whose parts are missing or no longer match the fingerprint are left out, not guessed.
 */
export function readRunRecord(properties: unknown): RunRecord | undefined {
  if (!isObject(properties)) return undefined;
  const get = (name: string): string => {
    const v = own(properties, name);
    return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
  };
  const fingerprint = get(RUN_RECORD_KEYS.fingerprint).trim();
  if (fingerprint === '') return undefined;
  const langText = get(RUN_RECORD_KEYS.lang).trim().toLowerCase();
  const record: RunRecord = {
    fingerprint,
    appliedAt: get(RUN_RECORD_KEYS.appliedAt),
    version: get(RUN_RECORD_KEYS.version),
    lang: (LANGUAGES as readonly string[]).includes(langText) ? (langText as Lang) : 'en',
  };
  const count = Number(get(RUN_RECORD_KEYS.ruleParts));
  if (Number.isInteger(count) && count > 0 && count < 10_000) {
    let text = '';
    for (let k = 1; k <= count; k++) text += get(RUN_RECORD_KEYS.rulePart(k));
    try {
      if (rulesFingerprint(JSON.parse(text)) === fingerprint) record.rules = text;
    } catch {
      // Parts edited or lost: the record still names the fingerprint.
    }
  }
  return record;
}
