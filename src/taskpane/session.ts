/**
 * The task pane's state and actions, without any DOM: which data is used, how its columns map to
 * the criteria, the rules being edited, and what Apply writes. Every rule decision is the engine's;
 * every workbook access is the gateway's. The view (app.ts) renders this and calls its actions.
 */
import {
  accountFields,
  applyCalibration,
  capacityPlan,
  coerceInput,
  RULES_NAME,
  CONTACT_FIELDS,
  countOutcomes,
  defaultRules,
  explainRow,
  flagsText,
  formatMessage,
  LABEL_PACKS,
  matchColumns,
  NEED_FIELDS,
  needsBalance,
  needsSeniorVisit,
  normalizeWord,
  outcomeAt,
  outcomeLabel,
  parseRules,
  planFlags,
  portfolioQuadrant,
  portfolioWarnings,
  priorityRanks,
  relationshipCoverage,
  rowFlags,
  rulesFromTable,
  rulesToTable,
  scoreColumns,
  suggestCalibration,
  cellAddress,
  criterionLabel,
  hoursPerMonth,
  type BatchResult,
  type CalibrationSuggestion,
  type CapacityPlan,
  type ContactInput,
  type Coverage,
  type Evaluation,
  type Message,
  type NeedInput,
  type NeedsBalance,
  type QuadrantId,
  type RuleIssue,
  type RuleSet,
} from '../engine';
import { OUTCOME_IDS, type Lang, type Localized, type OutcomeId } from '../engine/types';

/** A relationship-strength column: a 0–100 rating, read by the engine's one coercion step. */
const STRENGTH_SPEC = { id: 'strength', unit: 'number', validMin: 0, validMax: 100 } as const;
import { GatewayError, RESULT_KEYS, type Cell, type DataColumn, type DataRegion, type FilterChoice, type ResultColumn, type ResultKey, type SourceChoice, type SourceInfo, type SummarySheet, type WorkbookGateway, type WorkOptions, type WriteReport } from '../gateway/types';
import { quoteSheet } from '../gateway/layout';
import { tierColours } from './palette';

/** The custom functions' argument order (src/functions): the seven criteria, then the rules range. */
export const FORMULA_ARGUMENTS = ['sales', 'margin', 'growth', 'wallet', 'paymentDays', 'access', 'openness'] as const;
export const FORMULA_FUNCTIONS: Partial<Record<ResultKey, string>> = { score: 'KAM.SCORE', tier: 'KAM.TIER', flags: 'KAM.FLAGS' };

/** A relationship strength rating (0–100) the user may supply instead of a contacts table. */
export const STRENGTH_FIELD = 'strength';
const STRENGTH_ALIASES = ['strength', 'relationship strength', 'relative strength', 'strength rating', '关系强度', '相对优势', '关系评分'];

export interface FieldDef {
  id: string;
  kind: 'account' | 'criterion' | 'strength';
  label: Localized;
  aliases: readonly string[];
}

export type RulesOrigin =
  | { kind: 'default' }
  | { kind: 'workbook'; sheet: string }
  | { kind: 'workbookInvalid'; sheet: string; issues: Array<{ address: string | null; path: string; message: string }> };

export interface FieldProblem {
  field: string;
  kind: 'duplicate' | 'unreadable' | 'badMapping' | 'ambiguous';
  /** duplicate: the other field; unreadable: rows that could not be read, of how many with values. */
  other?: string;
  /** ambiguous: every column that could be this field (the first is used until the user picks). */
  headers?: string[];
  count?: number;
  of?: number;
  example?: Message;
  header?: string;
}

export interface KnockedOut {
  row: number;
  sheetRow: number;
  account: string;
  outcome: OutcomeId;
  reasons: string[];
}

export interface Preview {
  rowCount: number;
  counts: Record<OutcomeId, number>;
  /** Accounts per score band of 10 points (0–10, …, 90–100). */
  histogram: number[];
  unscored: number;
  knockedOut: KnockedOut[];
  invalid: KnockedOut[];
  warnings: Message[];
}

export interface Relations {
  contactsSource: string | null;
  needsSource: string | null;
  /** Per data row; null when the account has no contacts (or no contacts table). */
  coverage: Array<Coverage | null>;
  needs: Array<NeedsBalance | null>;
  /** Accounts named in contacts/needs that the data does not hold. */
  unmatchedAccounts: string[];
  problems: Message[];
}

export interface ApplyOptions {
  mode: 'values' | 'formulas';
  colours: boolean;
  filter: FilterChoice;
}

export interface ApplyReport {
  write: WriteReport;
  rules: { sheet: string; address: string };
}

export interface PortfolioPoint {
  row: number;
  account: string;
  score: number;
  strength: number;
  quadrant: QuadrantId;
}

const blank = (v: Cell): boolean => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');

export function langFromDisplay(displayLanguage: string | undefined | null): Lang {
  return (displayLanguage ?? '').toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

export class KamSession {
  rules: RuleSet = defaultRules();
  /** The rules as edited: plain JSON that may be invalid while the user types. */
  draft: Record<string, unknown> = JSON.parse(JSON.stringify(this.rules)) as Record<string, unknown>;
  /** Problems of the draft, by schema path (`criteria[2].weight`); empty when it is valid. */
  draftIssues: RuleIssue[] = [];
  ruleWarnings: Message[] = [];
  rulesOrigin: RulesOrigin = { kind: 'default' };
  sources: SourceInfo[] = [];
  region: DataRegion | null = null;
  regionProblem: GatewayError | null = null;
  /** The user's corrections: field → header, or null for "not used". */
  mapping: Record<string, string | null> = {};
  matches: Record<string, DataColumn | null> = {};
  result: BatchResult | null = null;
  relations: Relations | null = null;
  private cache = new Map<number, Cell[]>();

  constructor(
    readonly gateway: WorkbookGateway,
    public lang: Lang,
  ) {}

  // ---- Opening ----

  /** Reads the rules the workbook carries and the data around the selection. */
  async open(work: WorkOptions = {}): Promise<void> {
    const [sources, sheet] = await Promise.all([this.gateway.listSources(), this.gateway.readRules()]);
    this.sources = sources;
    if (sheet) {
      const read = rulesFromTable(sheet.cells, this.lang);
      if (read.ok) {
        this.setRules(read.rules, read.warnings);
        this.rulesOrigin = { kind: 'workbook', sheet: sheet.sheet };
      } else {
        this.rulesOrigin = {
          kind: 'workbookInvalid',
          sheet: sheet.sheet,
          issues: read.issues.map((i) => ({ address: i.cell ? `${quoteSheet(sheet.sheet)}!${cellAddress(i.cell, sheet.origin)}` : null, path: i.path, message: i.message })),
        };
      }
    }
    try {
      await this.useSource({ kind: 'selection' }, work);
    } catch (error) {
      if (!(error instanceof GatewayError)) throw error;
      this.regionProblem = error;
    }
  }

  /** Finds the data for a choice, matches its columns and reads the ones used. */
  async useSource(choice: SourceChoice, work: WorkOptions = {}): Promise<void> {
    const region = await this.gateway.findRegion(choice);
    this.region = region;
    this.regionProblem = null;
    this.applied = null;
    this.cache = new Map();
    this.mapping = {};
    this.relations = null;
    this.rematch();
    await this.readMatched(work);
    this.rescore();
  }

  // ---- Mapping ----

  fields(): FieldDef[] {
    const aliases = accountFields(this.rules);
    return [
      { id: 'account', kind: 'account', label: { en: 'Account', zh: '客户' }, aliases: aliases.account ?? [] },
      ...this.rules.criteria.map((c): FieldDef => ({ id: c.id, kind: 'criterion', label: c.label, aliases: aliases[c.id] ?? [] })),
      { id: STRENGTH_FIELD, kind: 'strength', label: { en: 'Relationship strength', zh: '关系强度' }, aliases: STRENGTH_ALIASES },
    ];
  }

  private rematch(): void {
    const region = this.region;
    if (!region) return;
    const fields = Object.fromEntries(this.fields().map((f) => [f.id, f.aliases]));
    const explicit = Object.fromEntries(Object.entries(this.mapping).filter((e): e is [string, string] => e[1] !== null));
    const matching = matchColumns(region.columns.map((c) => c.header), fields, explicit);
    this.matches = {};
    for (const f of this.fields()) {
      const m = matching.matches[f.id];
      this.matches[f.id] = this.mapping[f.id] === null || !m ? null : (region.columns[m.column] ?? null);
    }
    this.badMappings = matching.badMappings;
    this.ambiguous = matching.ambiguous;
  }

  private badMappings: Array<{ field: string; header: string }> = [];
  private ambiguous: Array<{ field: string; headers: string[] }> = [];

  private async readMatched(work: WorkOptions = {}): Promise<void> {
    const region = this.region;
    if (!region) return;
    const wanted = [...new Set(Object.values(this.matches).filter((m): m is DataColumn => m !== null).map((m) => m.index))].filter((c) => !this.cache.has(c));
    if (wanted.length === 0) return;
    const columns = await this.gateway.readColumns(region, wanted, work);
    wanted.forEach((c, i) => this.cache.set(c, columns[i] ?? []));
  }

  /** Maps a field to a column by its header, or to none (null). */
  async setMapping(field: string, header: string | null, work: WorkOptions = {}): Promise<void> {
    this.mapping[field] = header;
    this.rematch();
    await this.readMatched(work);
    this.rescore();
  }

  /** Criteria with no column: scored as blank for every account, and shown as missing. */
  missingCriteria(): string[] {
    return this.rules.criteria.filter((c) => !this.matches[c.id]).map((c) => c.id);
  }

  /** What is wrong with the mapping: a column used twice, a column whose cells don't read as this field. */
  fieldProblems(): FieldProblem[] {
    const problems: FieldProblem[] = [];
    for (const b of this.badMappings) problems.push({ field: b.field, kind: 'badMapping', header: b.header });
    for (const a of this.ambiguous) if (this.matches[a.field]) problems.push({ field: a.field, kind: 'ambiguous', headers: a.headers });
    const byColumn = new Map<number, string>();
    for (const f of this.fields()) {
      const m = this.matches[f.id];
      if (!m) continue;
      const other = byColumn.get(m.index);
      if (other !== undefined) problems.push({ field: f.id, kind: 'duplicate', other, header: m.header });
      else byColumn.set(m.index, f.id);
    }
    const result = this.result;
    if (result) {
      for (const c of this.rules.criteria) {
        const column = this.column(c.id);
        if (!column) continue;
        let count = 0;
        let of = 0;
        let example: Message | undefined;
        for (let r = 0; r < column.length; r++) if (!blank(column[r])) of++;
        for (const [, list] of result.problems) {
          const p = list.find((m) => 'field' in m.params && m.params.field === c.id);
          if (p) {
            count++;
            example ??= p;
          }
        }
        // A few unreadable cells are the rows' problem (see the preview); most of a column is the mapping's.
        if (count > 0 && count * 2 >= of) {
          const problem: FieldProblem = { field: c.id, kind: 'unreadable', count, of };
          if (example) problem.example = example;
          problems.push(problem);
        }
      }
    }
    return problems;
  }

  private column(field: string): Cell[] | undefined {
    const m = this.matches[field];
    return m ? this.cache.get(m.index) : undefined;
  }

  accountName(row: number): string {
    const v = this.column('account')?.[row];
    return blank(v ?? null) ? this.rowLabel(row) : String(v).trim();
  }

  /** "row 17": the Excel row number of a data row. */
  rowLabel(row: number): string {
    return `#${this.sheetRow(row)}`;
  }

  sheetRow(row: number): number {
    return (this.region?.headerRow ?? 0) + 2 + row;
  }

  // ---- Rules ----

  private setRules(rules: RuleSet, warnings: Message[]): void {
    this.rules = rules;
    this.ruleWarnings = warnings;
    this.draft = JSON.parse(JSON.stringify(rules)) as Record<string, unknown>;
    this.draftIssues = [];
  }

  /** Replaces the rules being edited; the preview follows when they are valid. */
  updateDraft(change: (draft: Record<string, unknown>) => void): void {
    change(this.draft);
    const parsed = parseRules(this.draft, this.lang);
    if (parsed.ok) {
      const criteriaChanged = JSON.stringify(parsed.rules.criteria.map((c) => [c.id, c.aliases])) !== JSON.stringify(this.rules.criteria.map((c) => [c.id, c.aliases]));
      this.rules = parsed.rules;
      this.ruleWarnings = parsed.warnings;
      this.draftIssues = [];
      if (criteriaChanged) this.rematch();
      this.rescore();
    } else {
      this.draftIssues = parsed.issues;
    }
  }

  resetRules(): void {
    this.setRules(defaultRules(), []);
    this.rulesOrigin = { kind: 'default' };
    this.rematch();
    this.rescore();
  }

  calibration(): CalibrationSuggestion[] {
    const columns = Object.fromEntries(this.rules.criteria.map((c) => [c.id, this.column(c.id)]));
    return suggestCalibration(columns, this.rules);
  }

  applyCalibration(suggestions: readonly CalibrationSuggestion[]): void {
    const next = applyCalibration(this.rules, suggestions);
    this.updateDraft((draft) => {
      draft.criteria = JSON.parse(JSON.stringify(next.criteria)) as unknown;
    });
  }

  // ---- Scoring and preview ----

  rescore(): void {
    const region = this.region;
    if (!region) {
      this.result = null;
      return;
    }
    const columns = Object.fromEntries(this.rules.criteria.map((c) => [c.id, this.column(c.id)]));
    this.result = scoreColumns({ rowCount: region.rowCount, columns }, this.rules, { keepValues: true });
  }

  preview(): Preview | null {
    const result = this.result;
    if (!result) return null;
    const counts = countOutcomes(result);
    const histogram = new Array<number>(10).fill(0);
    let unscored = 0;
    const knockedOut: KnockedOut[] = [];
    const invalid: KnockedOut[] = [];
    for (let r = 0; r < result.rowCount; r++) {
      const s = result.score[r] as number;
      if (s === s) {
        const band = Math.min(9, Math.floor(s / 10));
        histogram[band] = (histogram[band] ?? 0) + 1;
      } else unscored++;
      const outcome = outcomeAt(result, r);
      const flags = rowFlags(result, r);
      if (outcome === 'invalid') {
        invalid.push({ row: r, sheetRow: this.sheetRow(r), account: this.accountName(r), outcome, reasons: flags.map((f) => flagsText([f], this.lang, this.rules)) });
      } else if ((result.knockoutMask[r] ?? 0) !== 0) {
        const reasons = flags.filter((f) => f.kind === 'knockout').map((f) => flagsText([f], this.lang, this.rules));
        knockedOut.push({ row: r, sheetRow: this.sheetRow(r), account: this.accountName(r), outcome, reasons });
      }
    }
    // Excluded accounts first: they are the ones a knock-out removed from the tiers.
    knockedOut.sort((a, b) => Number(b.outcome === 'excluded') - Number(a.outcome === 'excluded') || a.row - b.row);
    return { rowCount: result.rowCount, counts, histogram, unscored, knockedOut, invalid, warnings: portfolioWarnings(counts, this.rules) };
  }

  text(msg: Message): string {
    return formatMessage(msg, this.lang, (id, l) => criterionLabel(this.rules, id, l));
  }

  // ---- Relationships and needs ----

  /** Reads a contacts table and/or a needs table and matches them to the accounts by name. */
  async loadRelations(contacts: SourceChoice | null, needs: SourceChoice | null, work: WorkOptions = {}): Promise<void> {
    const region = this.region;
    if (!region) return;
    const accountIndex = new Map<string, number[]>();
    for (let r = 0; r < region.rowCount; r++) {
      const v = this.column('account')?.[r];
      if (blank(v ?? null)) continue;
      const key = normalizeWord(String(v));
      accountIndex.set(key, [...(accountIndex.get(key) ?? []), r]);
    }
    const unmatched = new Set<string>();
    const problems: Message[] = [];
    const group = async <F extends string>(choice: SourceChoice, fields: Readonly<Record<F, readonly string[]>>): Promise<Map<number, Array<Partial<Record<F, Cell>>>>> => {
      const table = await this.gateway.readTable(choice, work);
      const matching = matchColumns(table.headers, fields);
      const byRow = new Map<number, Array<Partial<Record<F, Cell>>>>();
      const accountColumn = matching.matches.account?.column;
      if (accountColumn === undefined) return byRow;
      for (const line of table.rows) {
        const name = line[accountColumn];
        if (blank(name ?? null)) continue;
        const rows = accountIndex.get(normalizeWord(String(name)));
        if (!rows) {
          unmatched.add(String(name).trim());
          continue;
        }
        const item: Partial<Record<F, Cell>> = {};
        for (const f of Object.keys(fields) as F[]) {
          const m = matching.matches[f];
          if (m) item[f] = line[m.column] ?? null;
        }
        for (const r of rows) byRow.set(r, [...(byRow.get(r) ?? []), item]);
      }
      return byRow;
    };
    const coverage = new Array<Coverage | null>(region.rowCount).fill(null);
    const needsOut = new Array<NeedsBalance | null>(region.rowCount).fill(null);
    if (contacts) {
      const byRow = await group(contacts, CONTACT_FIELDS);
      for (let r = 0; r < region.rowCount; r++) {
        const list = byRow.get(r) ?? [];
        // An account with no contacts at all still has a coverage (0, decision maker unknown): that is the finding.
        const cov = relationshipCoverage(list as ContactInput[], this.rules);
        coverage[r] = cov;
        problems.push(...cov.problems);
      }
    }
    if (needs) {
      const byRow = await group(needs, NEED_FIELDS);
      for (const [r, list] of byRow) {
        const balance = needsBalance(list as NeedInput[]);
        needsOut[r] = balance;
        problems.push(...balance.problems);
      }
      for (let r = 0; r < region.rowCount; r++) needsOut[r] ??= needsBalance([]);
    }
    const name = (c: SourceChoice | null): string | null => (c === null ? null : c.kind === 'selection' ? '' : c.name);
    this.relations = { contactsSource: name(contacts), needsSource: name(needs), coverage, needs: needsOut, unmatchedAccounts: [...unmatched], problems };
  }

  /** Suggests which tables hold contacts and needs, by their headers. */
  async guessRelationSources(): Promise<{ contacts: SourceInfo | null; needs: SourceInfo | null }> {
    let contacts: SourceInfo | null = null;
    let needs: SourceInfo | null = null;
    for (const source of this.sources) {
      if (this.region && (source.name === this.region.table || (source.kind === 'sheet' && source.name === this.region.sheet))) continue;
      let headers: string[];
      try {
        headers = (await this.gateway.findRegion(source.kind === 'table' ? { kind: 'table', name: source.name } : { kind: 'sheet', name: source.name })).columns.map((c) => c.header);
      } catch {
        continue;
      }
      const c = matchColumns(headers, CONTACT_FIELDS);
      const n = matchColumns(headers, NEED_FIELDS);
      if (!contacts && c.matches.account && c.matches.name && (c.matches.role || c.matches.stance)) contacts = source;
      else if (!needs && n.matches.account && n.matches.horizon) needs = source;
    }
    return { contacts, needs };
  }

  // ---- Per-account results ----

  /** Flags of a row: the engine's row flags, then relationship red flags and plan flags when those tables are loaded. */
  flagMessages(row: number): string {
    const result = this.result as BatchResult;
    const outcome = outcomeAt(result, row);
    const parts = [flagsText(rowFlags(result, row), this.lang, this.rules)];
    const extra: Message[] = [];
    const cov = this.relations?.coverage[row] ?? null;
    const needs = this.relations?.needs[row] ?? null;
    if (cov) {
      extra.push(...cov.redFlags);
      if (needsSeniorVisit(outcome, cov.decisionMaker, this.rules)) extra.push({ key: 'seniorVisit', params: {} });
    }
    if (this.relations?.needsSource !== null && this.relations?.needsSource !== undefined) extra.push(...planFlags(outcome, needs, this.rules));
    for (const m of extra) parts.push(this.text(m));
    return parts.filter((p) => p !== '').join(this.lang === 'zh' ? ';' : '; ');
  }

  strengthOf(row: number): number | null {
    const column = this.column(STRENGTH_FIELD);
    if (column) {
      const v = column[row];
      // Read like every other input (1,5 · ５０ · blanks), on its 0–100 scale; "50%" is not guessed to mean 50.
      if (typeof v === 'string' && v.includes('%')) return null;
      const read = coerceInput(v, STRENGTH_SPEC);
      return read.kind === 'value' ? read.value : null;
    }
    const cov = this.relations?.coverage[row];
    return cov ? cov.coverage : null;
  }

  hasStrength(): boolean {
    return Boolean(this.matches[STRENGTH_FIELD]) || Boolean(this.relations?.contactsSource !== null && this.relations?.contactsSource !== undefined);
  }

  portfolio(): PortfolioPoint[] {
    const result = this.result;
    if (!result || !this.hasStrength()) return [];
    const points: PortfolioPoint[] = [];
    for (let r = 0; r < result.rowCount; r++) {
      const score = result.score[r] as number;
      const outcome = outcomeAt(result, r);
      const strength = this.strengthOf(r);
      if (score !== score || strength === null || outcome === 'invalid') continue;
      points.push({ row: r, account: this.accountName(r), score, strength, quadrant: portfolioQuadrant(score, strength, this.rules) });
    }
    return points;
  }

  capacity(hours: number | null): CapacityPlan | null {
    const result = this.result;
    if (!result) return null;
    const outcomes = Array.from({ length: result.rowCount }, (_, r) => outcomeAt(result, r));
    const scores = Array.from(result.score, (s) => (s === s ? s : null));
    return capacityPlan(outcomes, scores, hours ?? Infinity, this.rules);
  }

  seniorVisits(): Array<{ row: number; account: string; outcome: OutcomeId; decisionMaker: string }> {
    const result = this.result;
    const relations = this.relations;
    if (!result || !relations || relations.contactsSource === null) return [];
    const out: Array<{ row: number; account: string; outcome: OutcomeId; decisionMaker: string }> = [];
    for (let r = 0; r < result.rowCount; r++) {
      const cov = relations.coverage[r];
      const outcome = outcomeAt(result, r);
      if (cov && needsSeniorVisit(outcome, cov.decisionMaker, this.rules)) {
        out.push({ row: r, account: this.accountName(r), outcome, decisionMaker: LABEL_PACKS[this.lang].decisionMaker[cov.decisionMaker] });
      }
    }
    return out;
  }

  // ---- Apply ----

  /** Why live formulas cannot express these rules, or null when they can. */
  formulaBlocker(): { criteria: string[] } | null {
    const extra = this.rules.criteria.filter((c) => !(FORMULA_ARGUMENTS as readonly string[]).includes(c.id)).map((c) => c.id);
    return extra.length > 0 ? { criteria: extra } : null;
  }

  /** `=KAM.SCORE(RC2,RC3,…,KAM_RULES)`: absolute columns, same row, so one formula fits every row. */
  formulaFor(fn: string): string {
    const args = FORMULA_ARGUMENTS.map((id) => {
      const m = this.matches[id];
      return m ? `RC${m.index + 1}` : '""';
    });
    // The functions answer in English unless told otherwise: pass the pane's language.
    return `=${fn}(${args.join(',')},${RULES_NAME}${this.lang === 'en' ? '' : `,"${this.lang}"`})`;
  }

  /**
   * The KAM columns to write. With live formulas, score, tier and flags are formulas; the columns
   * no custom function fills per row (priority, hours, coverage, quadrant) are values as of this Apply.
   */
  resultColumns(mode: ApplyOptions['mode']): ResultColumn[] {
    const values = this.valueColumns();
    if (mode === 'values') return values;
    return values.map((column): ResultColumn => {
      const fn = FORMULA_FUNCTIONS[column.key];
      if (fn === undefined) return column;
      const { values: _dropped, ...rest } = column;
      return { ...rest, formulaR1C1: this.formulaFor(fn) };
    });
  }

  private valueColumns(): ResultColumn[] {
    const result = this.result;
    if (!result) return [];
    const labels = LABEL_PACKS[this.lang].column;
    const n = result.rowCount;
    const outcomes = Array.from({ length: n }, (_, r) => outcomeAt(result, r));
    const scores = Array.from(result.score, (s) => (s === s ? s : null));
    const ranks = priorityRanks(outcomes, scores);
    const columns: ResultColumn[] = [
      { key: 'score', header: labels.score, kind: 'number', numberFormat: '0.0', values: scores.map((s) => (s === null ? '' : s)) },
      { key: 'tier', header: labels.tier, kind: 'text', values: outcomes.map((o) => outcomeLabel(this.rules, o, this.lang)) },
      { key: 'flags', header: labels.flags, kind: 'text', values: outcomes.map((_, r) => this.flagMessages(r)) },
      { key: 'priority', header: labels.priority, kind: 'number', numberFormat: '0', values: ranks },
      { key: 'hours', header: labels.hours, kind: 'number', numberFormat: '0', values: outcomes.map((o) => hoursPerMonth(o, this.rules)) },
    ];
    if (this.relations?.contactsSource !== null && this.relations?.contactsSource !== undefined) {
      const cov = this.relations.coverage;
      columns.push({ key: 'coverage', header: labels.coverage, kind: 'number', numberFormat: '0.0', values: cov.map((c) => (c ? c.coverage : '')) });
    }
    if (this.hasStrength()) {
      const quadrants = LABEL_PACKS[this.lang].quadrant;
      const values: Cell[] = outcomes.map((o, r) => {
        const s = scores[r] ?? null;
        const strength = this.strengthOf(r);
        return o === 'invalid' || s === null || strength === null ? '' : quadrants[portfolioQuadrant(s, strength, this.rules)];
      });
      columns.push({ key: 'quadrant', header: labels.quadrant, kind: 'text', values });
    }
    return columns.sort((a, b) => RESULT_KEYS.indexOf(a.key) - RESULT_KEYS.indexOf(b.key));
  }

  /** Writes the KAM columns and the rules sheet they read, in one final step. */
  async apply(options: ApplyOptions, work: WorkOptions = {}): Promise<ApplyReport> {
    const region = this.region;
    if (!region || !this.result) throw new RangeError('apply needs data');
    const columns = this.resultColumns(options.mode);
    // The rules go in the same final step as the columns: a refused or cancelled Apply writes nothing.
    const write = await this.gateway.writeResults(
      { region, columns, tierColours: options.colours ? tierColours(this.rules) : [], filter: options.filter, rules: rulesToTable(this.rules) },
      work,
    );
    const rules = write.rules ?? { sheet: '', address: '' };
    this.rulesOrigin = { kind: 'workbook', sheet: rules.sheet };
    // The region now holds the KAM columns: a second Apply updates them in place.
    this.region = write.region;
    // What the sheet now shows, for the tier filter: rules edited after this Apply change the
    // preview, not the cells, so filtering must use the labels and counts written here.
    const counts = this.preview()?.counts;
    this.applied = {
      labels: Object.fromEntries(OUTCOME_IDS.map((o) => [o, outcomeLabel(this.rules, o, this.lang)])) as Record<OutcomeId, string>,
      counts: counts ? { ...counts } : (Object.fromEntries(OUTCOME_IDS.map((o) => [o, 0])) as Record<OutcomeId, number>),
    };
    return { write, rules };
  }

  /** The tier labels and counts the last Apply wrote into the sheet; null before any Apply. */
  applied: { labels: Record<OutcomeId, string>; counts: Record<OutcomeId, number> } | null = null;

  async filterTiers(outcomes: readonly OutcomeId[] | null): Promise<void> {
    const region = this.region;
    const tierColumn = region?.kamColumns.tier;
    if (!region || tierColumn === undefined) return;
    const labels = this.applied?.labels;
    const texts = outcomes === null ? null : outcomes.map((o) => labels?.[o] ?? outcomeLabel(this.rules, o, this.lang));
    await this.gateway.filterTier(region, tierColumn, texts);
  }

  // ---- Summary ----

  summarySheet(capacityHours: number | null, strings: SummaryStrings): SummarySheet {
    const result = this.result as BatchResult;
    const preview = this.preview() as Preview;
    const plan = this.capacity(capacityHours);
    const tiersRows: Cell[][] = OUTCOME_IDS.filter((o) => preview.counts[o] > 0 || o !== 'invalid').map((o) => [
      outcomeLabel(this.rules, o, this.lang),
      preview.counts[o],
      o === 'invalid' ? 0 : (plan?.byTier[o].hours ?? 0),
    ]);
    const blocks: SummarySheet['blocks'] = [
      { id: 'tiers', title: strings.tiersTitle, header: strings.tiersHeader, rows: tiersRows, formats: ['@', '0', '0'] },
    ];
    const quadrants = LABEL_PACKS[this.lang].quadrant;
    const points = this.portfolio().sort((a, b) => QUADRANT_ORDER.indexOf(a.quadrant) - QUADRANT_ORDER.indexOf(b.quadrant) || b.score - a.score);
    if (points.length > 0) {
      blocks.push({
        id: 'portfolio',
        title: strings.portfolioTitle,
        header: strings.portfolioHeader,
        rows: points.map((p) => [p.account, p.score, p.strength, quadrants[p.quadrant]]),
        formats: ['@', '0.0', '0.0', '@'],
      });
    }
    if (plan) {
      const rows: Cell[][] = [[strings.demand, plan.demand]];
      if (capacityHours !== null) rows.push([strings.capacity, capacityHours], [strings.over, plan.over], [strings.cuts, plan.cuts.length]);
      blocks.push({ id: 'capacity', title: strings.capacityTitle, header: strings.capacityHeader, rows, formats: ['@', '0'] });
    }
    const visits = this.seniorVisits();
    if (this.relations?.contactsSource !== null && this.relations?.contactsSource !== undefined) {
      blocks.push({
        id: 'visits',
        title: strings.visitsTitle,
        header: strings.visitsHeader,
        rows: visits.map((v) => [v.account, outcomeLabel(this.rules, v.outcome, this.lang), v.decisionMaker]),
        formats: ['@', '@', '@'],
      });
    }
    const warnings = [...preview.warnings, ...(plan?.finding ? [plan.finding] : [])];
    if (warnings.length > 0) blocks.push({ id: 'warnings', title: strings.warningsTitle, header: [strings.warningsHeader], rows: warnings.map((w) => [this.text(w)]), formats: ['@'] });
    void result;
    const charts: SummarySheet['charts'] = [{ kind: 'column', id: 'tierChart', title: strings.tiersTitle, block: 'tiers', categoryColumn: 0, valueColumn: 1 }];
    if (points.length > 0) {
      charts.push({ kind: 'scatter', id: 'portfolioChart', title: strings.portfolioTitle, block: 'portfolio', xColumn: 2, yColumn: 1, seriesColumn: 3, xTitle: strings.strengthAxis, yTitle: strings.scoreAxis });
    }
    return { title: strings.sheetTitle, blocks, charts };
  }

  // ---- Explain ----

  explain(row: number): Evaluation | null {
    const result = this.result;
    if (!result || row < 0 || row >= result.rowCount) return null;
    return explainRow(result, row);
  }

  async activeRow(): Promise<number | null> {
    return this.region ? this.gateway.activeDataRow(this.region) : null;
  }
}

const QUADRANT_ORDER: readonly QuadrantId[] = ['strategic', 'star', 'status', 'streamline'];

/** Texts of the summary sheet, from the pane's language pack. */
export interface SummaryStrings {
  sheetTitle: string;
  tiersTitle: string;
  tiersHeader: string[];
  portfolioTitle: string;
  portfolioHeader: string[];
  capacityTitle: string;
  capacityHeader: string[];
  demand: string;
  capacity: string;
  over: string;
  cuts: string;
  visitsTitle: string;
  visitsHeader: string[];
  warningsTitle: string;
  warningsHeader: string;
  strengthAxis: string;
  scoreAxis: string;
}
