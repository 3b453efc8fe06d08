/**
 * What kam's two score paths share about the report: the fields read from the accounts, the KAM
 * columns an earlier run left in a file, and the note on converted currencies. The verdicts,
 * relations, columns and summary themselves are the engine's report module, as in the pane.
 */
import { accountFields, LABEL_PACKS, LANGUAGES, normalizeWord, type RuleSet } from '../engine';
import { RESULT_KEYS, STRENGTH_ALIASES, STRENGTH_FIELD, type ResultKey } from '../engine/report';
import type { CliPack } from './messages';
import type { AccountTable } from './table';

/** The fields read from the accounts: the account, the criteria, and a relationship strength as the pane reads it. */
export function inputFields(rules: RuleSet): Record<string, readonly string[]> {
  return { ...accountFields(rules), [STRENGTH_FIELD]: STRENGTH_ALIASES };
}

/** The KAM columns an earlier run left (same headers, any language), by key → column. */
export function earlierColumns(table: AccountTable): Map<ResultKey, number> {
  const normalized = table.headers.map((h) => normalizeWord(h));
  const found = new Map<ResultKey, number>();
  for (const key of RESULT_KEYS) {
    const known = new Set(LANGUAGES.map((l) => normalizeWord(LABEL_PACKS[l].column[key])));
    const at = normalized.findIndex((h) => known.has(h));
    if (at >= 0) found.set(key, at);
  }
  return found;
}

/** The note that says in which currency amounts were scored, at which rates, for how many accounts. */
export function convertedNote(rules: RuleSet, convertedFrom: ReadonlyMap<string, number>, pack: CliPack): string {
  const into = rules.currency ?? '';
  const rates = [...convertedFrom]
    .sort(([a], [b]) => (a === into ? -1 : b === into ? 1 : a < b ? -1 : a > b ? 1 : 0))
    .map(([code, n]) => {
      const fx = rules.fx?.find((f) => f.code === code);
      return `${code}${fx ? ` × ${fx.rate}${fx.date ? ` (${fx.date})` : ''}` : ''}: ${n}`;
    });
  return pack.converted({ into, rates: pack.list(rates) });
}
