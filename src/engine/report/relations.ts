/**
 * The optional contacts and needs tables, matched to the accounts by normalised name (docs/rules.md
 * §2–§3). The pane and `kam` read the tables their own way; what the tables mean is decided here.
 */
import { isBlankCell } from '../cells';
import { matchColumns, CONTACT_FIELDS, NEED_FIELDS } from '../columns';
import type { Message } from '../i18n/messages';
import { needsBalance, type NeedsBalance } from '../plan';
import { relationshipCoverage, type Coverage } from '../relationships';
import type { RuleSet } from '../rules/schema';
import type { CellValue } from '../types';
import { normalizeWord } from '../words';

/** A table as read from a sheet, an Excel table or a CSV file: one header row, then rows in header order. */
export interface RelationTable {
  headers: readonly CellValue[];
  rows: ReadonlyArray<readonly CellValue[]>;
}

/** Contacts and needs per account row. */
export interface MatchedRelations {
  /** A contacts table was given: every account has a coverage (none listed is a finding too). */
  hasContacts: boolean;
  /** A needs table was given: every account has a balance. */
  hasNeeds: boolean;
  /** Per account row; null without a contacts table. */
  coverage: Array<Coverage | null>;
  /** Per account row; null without a needs table. */
  needs: Array<NeedsBalance | null>;
  /** Accounts named in contacts/needs that the data does not hold, as written. */
  unmatchedAccounts: string[];
  /** Contacts and needs that could not be read, each naming its field. */
  problems: Message[];
}

/** A contacts table has an account, a name and a role or stance column. */
export function looksLikeContacts(headers: readonly CellValue[]): boolean {
  const c = matchColumns(headers, CONTACT_FIELDS).matches;
  return Boolean(c.account && c.name && (c.role || c.stance));
}

/** A needs table has an account and a horizon column. */
export function looksLikeNeeds(headers: readonly CellValue[]): boolean {
  const n = matchColumns(headers, NEED_FIELDS).matches;
  return Boolean(n.account && n.horizon);
}

/**
 * Which of the workbook's tables hold contacts and needs, by their headers: the first that looks
 * like each (a table taken for contacts is not also taken for needs). The accounts' own table is
 * the caller's to leave out.
 */
export function pickRelationTables<T>(candidates: ReadonlyArray<{ source: T; headers: readonly CellValue[] }>): { contacts: T | null; needs: T | null } {
  let contacts: T | null = null;
  let needs: T | null = null;
  for (const { source, headers } of candidates) {
    if (contacts === null && looksLikeContacts(headers)) contacts = source;
    else if (needs === null && looksLikeNeeds(headers)) needs = source;
  }
  return { contacts, needs };
}

/**
 * Matches contacts and needs to the account rows by normalised name (case, width and spacing
 * ignored), and computes each account's coverage and needs balance with the engine's rules.
 * `accounts` holds each account row's name cell; rows without a name get nothing matched.
 */
export function matchRelations(accounts: ArrayLike<CellValue | undefined>, contacts: RelationTable | null, needs: RelationTable | null, rules: RuleSet): MatchedRelations {
  const rowCount = accounts.length;
  const accountIndex = new Map<string, number[]>();
  for (let r = 0; r < rowCount; r++) {
    const v = accounts[r];
    if (isBlankCell(v)) continue;
    const key = normalizeWord(String(v));
    // Appended in place: a name repeated on many rows (order lines) must not copy its list each time.
    const list = accountIndex.get(key);
    if (list) list.push(r);
    else accountIndex.set(key, [r]);
  }
  const unmatched = new Set<string>();
  const problems: Message[] = [];
  const group = <F extends string>(table: RelationTable, fields: Readonly<Record<F, readonly string[]>>): Map<number, Array<Partial<Record<F, CellValue>>>> => {
    const matching = matchColumns(table.headers, fields);
    const byRow = new Map<number, Array<Partial<Record<F, CellValue>>>>();
    const accountColumn = matching.matches.account?.column;
    if (accountColumn === undefined) return byRow;
    for (const line of table.rows) {
      const name = line[accountColumn];
      if (isBlankCell(name)) continue;
      const rows = accountIndex.get(normalizeWord(String(name)));
      if (!rows) {
        unmatched.add(String(name).trim());
        continue;
      }
      const item: Partial<Record<F, CellValue>> = {};
      for (const f of Object.keys(fields) as F[]) {
        const m = matching.matches[f];
        if (m) item[f] = line[m.column] ?? null;
      }
      for (const r of rows) {
        const items = byRow.get(r);
        if (items) items.push(item);
        else byRow.set(r, [item]);
      }
    }
    return byRow;
  };
  const coverage = new Array<Coverage | null>(rowCount).fill(null);
  const needsOut = new Array<NeedsBalance | null>(rowCount).fill(null);
  if (contacts) {
    const byRow = group(contacts, CONTACT_FIELDS);
    for (let r = 0; r < rowCount; r++) {
      // An account with no contacts at all still has a coverage (0, decision maker unknown): that is the finding.
      const cov = relationshipCoverage(byRow.get(r) ?? [], rules);
      coverage[r] = cov;
      problems.push(...cov.problems);
    }
  }
  if (needs) {
    const byRow = group(needs, NEED_FIELDS);
    for (const [r, list] of byRow) {
      const balance = needsBalance(list);
      needsOut[r] = balance;
      problems.push(...balance.problems);
    }
    for (let r = 0; r < rowCount; r++) needsOut[r] ??= needsBalance([]);
  }
  return { hasContacts: contacts !== null, hasNeeds: needs !== null, coverage, needs: needsOut, unmatchedAccounts: [...unmatched], problems };
}
