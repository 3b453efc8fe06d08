/**
 * The task pane's state and actions, without any DOM: which data is used, how its columns map to
 * the criteria, the rules being edited, and what Apply writes. Every rule decision is the engine's;
 * which result columns exist, what they and the summary sheet hold, and how contacts and needs
 * match the accounts are the engine report's (src/engine/report, shared with `kam`); every
 * workbook access is the gateway's; what each KAM column holds as a formula is ./applyColumns.ts.
 * The view (app.ts and a file per tab in ./tabs) renders this and calls its actions.
 */
import {
  accountFields,
  applyCalibration,
  calibrationAmounts,
  countOutcomes,
  defaultRules,
  explainRow,
  flagsText,
  formatMessage,
  formatMessageWithoutField,
  matchColumns,
  outcomeAt,
  outcomeLabel,
  parseRules,
  portfolioWarnings,
  readiness,
  repeatedAccounts,
  isoDay,
  rollUp,
  ROLLUP_FLAG_TEXT,
  rulesForPresent,
  rowFlags,
  rulesFromTable,
  rulesToTable,
  scoreColumns,
  suggestCalibration,
  cellAddress,
  criterionLabel,
  type BatchResult,
  type CalibrationSuggestion,
  type CapacityPlan,
  type Coverage,
  type Evaluation,
  type Message,
  type NeedsBalance,
  type AccountRollup,
  type CellValue,
  type Readiness,
  type RuleIssue,
  type RuleSet,
  CURRENCY_FIELD,
  isBlankCell,
} from '../engine';
import { runRecordProperties } from '../engine/run-record';
import { PRODUCT_VERSION } from '../gateway/runRecord';
import {
  capacityOf,
  matchRelations,
  pickRelationTables,
  portfolioPoints,
  readStrength,
  reportColumns,
  rowFlagText,
  seniorVisits,
  strengthAt,
  summarySheet,
  STRENGTH_ALIASES,
  STRENGTH_FIELD,
  STRENGTH_LABEL,
  verdictsOf,
  readinessOfRun,
  type RunReadiness,
  type PortfolioPoint,
  type RelationTable,
  type ReportInput,
  type SeniorVisit,
  type SummaryStrings,
} from '../engine/report';
import { OUTCOME_IDS, type Lang, type Localized, type OutcomeId } from '../engine/types';
import {
  GatewayError,
  type Cell,
  type DataColumn,
  type DataRegion,
  type FilterChoice,
  type ResultColumn,
  type SourceChoice,
  type SourceInfo,
  type SummarySheet,
  type WorkbookGateway,
  type WorkOptions,
  type WriteReport,
} from '../gateway/types';
import { quoteSheet } from '../gateway/layout';
import { formulaBlocker, liveFormula, portableColumnFormulas, portableTextCells, resultColumns, type ApplyMode, type FormulaInputs } from './applyColumns';
import { tierColours } from './palette';

/** The strength field, the portfolio and summary types: declared in the engine's report, which decides what Apply and the summary hold. */
export { STRENGTH_FIELD, type PortfolioPoint, type SummaryStrings };

/** What Calibrate suggests, and what it read: the currency of the amounts and the accounts left out. */
export interface PaneCalibration {
  suggestions: CalibrationSuggestion[];
  /** The rule set's currency, when it has one: the amounts were converted to it. */
  currency?: string;
  /** Accounts with an amount whose currency is blank or has no rate: not read. */
  leftOut: number;
}

/** The mapping row of an account's currency column (shown only for a rule set with a currency). */
const CURRENCY_LABEL: Localized = { en: 'Currency', zh: '货币' };

export interface FieldDef {
  id: string;
  kind: 'account' | 'criterion' | 'strength' | 'currency';
  label: Localized;
  aliases: readonly string[];
}

export type RulesOrigin =
  { kind: 'default' } | { kind: 'workbook'; sheet: string } | { kind: 'workbookInvalid'; sheet: string; issues: Array<{ address: string | null; path: string; message: string }> };

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
  /** `portable`: plain spreadsheet formulas reading the KAM Rules sheet, live without the add-in (docs/portable.md). */
  mode: ApplyMode;
  colours: boolean;
  filter: FilterChoice;
}

export interface ApplyReport {
  write: WriteReport;
  rules: { sheet: string; address: string };
  /** What was scored on what, when the user chose to score on the criteria present. */
  reduction: Reduction | null;
}

export type RollupHeaders = Record<'accountId' | 'account' | 'orders' | 'firstOrder' | 'lastOrder' | 'period' | 'notes', string>;

export type RolledUp =
  | { ok: true; sheet: string; lines: number; accounts: number; period: string; computed: string[]; leftOut: number }
  | { ok: false; reason: 'noAccount' | 'noDate' | 'noAmount' | 'noLines' | 'periodOutsideData' | 'ambiguousDates' };

/** The user's choice to score on the criteria the data has: what was left out, and the rules it replaced. */
export interface Reduction {
  /** Criteria left out (absent from the data), and their share of the full rule set's weight. */
  absent: string[];
  absentShare: number;
  /** The full rule set, restored when the user goes back or picks other data. */
  full: RuleSet;
}

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
  /** Set while the pane scores on the criteria present (the reduced rule set is `rules`). */
  reduction: Reduction | null = null;
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
    // New data has its own columns: the choice to leave criteria out is made again for it.
    if (this.reduction) this.restoreFullRules();
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
      { id: STRENGTH_FIELD, kind: 'strength', label: { ...STRENGTH_LABEL }, aliases: STRENGTH_ALIASES },
      // A rule set that scores in one currency reads each account's currency (docs/rules.md §6).
      ...(this.rules.currency !== undefined ? [{ id: CURRENCY_FIELD, kind: 'currency' as const, label: { ...CURRENCY_LABEL }, aliases: aliases[CURRENCY_FIELD] ?? [] }] : []),
    ];
  }

  private rematch(): void {
    const region = this.region;
    if (!region) return;
    const fields = Object.fromEntries(this.fields().map((f) => [f.id, f.aliases]));
    const explicit = Object.fromEntries(Object.entries(this.mapping).filter((e): e is [string, string] => e[1] !== null));
    const matching = matchColumns(
      region.columns.map((c) => c.header),
      fields,
      explicit,
    );
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
    const wanted = [
      ...new Set(
        Object.values(this.matches)
          .filter((m): m is DataColumn => m !== null)
          .map((m) => m.index),
      ),
    ].filter((c) => !this.cache.has(c));
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

  /** What the mapped columns allow before any account is scored: absent criteria, their weight share, the consequence. */
  readiness(): Readiness | null {
    if (!this.region) return null;
    return readiness(
      this.rules,
      this.rules.criteria.filter((c) => this.matches[c.id]).map((c) => c.id),
    );
  }

  /**
   * Scores on the criteria the data has: the absent ones are dropped and the weights re-shared
   * (the engine's rulesForPresent). The reduced rule set is what Apply writes to the KAM Rules
   * sheet. False when nothing would be left.
   */
  scoreOnPresent(reducedName: (name: string) => string): boolean {
    const ready = this.readiness();
    if (!ready || ready.absent.length === 0 || this.reduction) return false;
    const reduced = rulesForPresent(
      this.rules,
      this.rules.criteria.filter((c) => this.matches[c.id]).map((c) => c.id),
    );
    if (!reduced) return false;
    this.reduction = { absent: ready.absent, absentShare: ready.absentShare, full: this.rules };
    this.setRules({ ...reduced, name: reducedName(this.rules.name) }, this.ruleWarnings);
    this.rematch();
    this.rescore();
    return true;
  }

  /** Back to the full rule set: absent criteria count as blank again. */
  scoreOnAll(): void {
    if (!this.reduction) return;
    this.restoreFullRules();
    this.rematch();
    this.rescore();
  }

  private restoreFullRules(): void {
    const full = (this.reduction as Reduction).full;
    this.reduction = null;
    this.setRules(full, this.ruleWarnings);
  }

  /** The criterion's label in the full rule set (a left-out criterion is not in the reduced one). */
  fullLabel(id: string): string {
    if (id === CURRENCY_FIELD) return CURRENCY_LABEL[this.lang];
    return criterionLabel(this.reduction?.full ?? this.rules, id, this.lang);
  }

  /** Order lines rather than accounts: the account column repeats (N lines for M accounts). */
  orderLines(): { lines: number; accounts: number } | null {
    const column = this.column('account');
    return column ? repeatedAccounts(column) : null;
  }

  /**
   * Rolls the order lines up into one row per account (the engine's rollUp, as `kam rollup`) on a
   * new sheet, which then becomes the data. The user's sheet is only read; an existing sheet is
   * never replaced (the gateway picks a free name).
   */
  async rollUpToSheet(sheetName: string, headers: RollupHeaders, work: WorkOptions = {}): Promise<RolledUp> {
    const region = this.region;
    if (!region) return { ok: false, reason: 'noLines' };
    const read = await this.gateway.readColumns(
      region,
      region.columns.map((c) => c.index),
      work,
    );
    const lines = Array.from({ length: region.rowCount }, (_, r) => read.map((col) => (col[r] ?? null) as CellValue));
    const result = rollUp(
      region.columns.map((c) => c.header),
      lines,
    );
    if (!result.ok) return { ok: false, reason: result.reason };
    const lang = this.lang;
    const rules = this.reduction?.full ?? this.rules;
    const label = (id: string): string => criterionLabel(rules, id, lang);
    const hasId = result.columns.matches.accountId !== undefined;
    const d = result.derivations;
    type Column = { header: string; format: string; value: (a: AccountRollup) => Cell; from?: string | undefined };
    const round = (v: number | null, digits: number): Cell => (v === null ? '' : Math.round(v * 10 ** digits) / 10 ** digits);
    // Headers the column matcher knows (the criteria's own labels), so the new sheet maps by itself.
    const columns: Column[] = [];
    if (hasId) columns.push({ header: headers.accountId, format: '@', value: (a) => a.key });
    if (!hasId || result.columns.matches.account !== undefined) columns.push({ header: headers.account, format: '@', value: (a) => (hasId ? (a.name ?? '') : a.key) });
    // Net returns are a fact of the period, not a bad cell: sales say 0 and the note names it.
    columns.push({ header: label('sales'), format: '#,##0.00', value: (a) => Math.max(a.sales, 0), from: d.sales?.[lang] });
    if (d.margin) columns.push({ header: label('margin'), format: '0.0%', value: (a) => round(a.margin, 4), from: d.margin[lang] });
    if (d.growth) columns.push({ header: label('growth'), format: '0.0%', value: (a) => round(a.growth, 4), from: d.growth[lang] });
    if (d.paymentDays) columns.push({ header: label('paymentDays'), format: '0.0', value: (a) => round(a.paymentDays, 1), from: d.paymentDays[lang] });
    columns.push({ header: headers.orders, format: '0', value: (a) => a.orders, from: d.orders?.[lang] });
    columns.push({ header: headers.firstOrder, format: '@', value: (a) => isoDay(a.firstOrder) });
    columns.push({ header: headers.lastOrder, format: '@', value: (a) => isoDay(a.lastOrder) });
    columns.push({ header: headers.period, format: '@', value: () => result.periodLabel });
    columns.push({ header: headers.notes, format: '@', value: (a) => a.flags.map((f) => ROLLUP_FLAG_TEXT[f][lang]).join(lang === 'zh' ? ';' : '; ') });
    const rows: Cell[][] = [columns.map((c) => c.header), ...result.accounts.map((a) => columns.map((c) => c.value(a)))];
    const written = await this.gateway.addSheet(
      sheetName,
      rows,
      columns.map((c) => c.format),
    );
    this.sources = await this.gateway.listSources();
    await this.useSource({ kind: 'sheet', name: written.sheet }, work);
    return {
      ok: true,
      sheet: written.sheet,
      lines: result.lineCount,
      accounts: result.accounts.length,
      period: result.periodLabel,
      computed: columns.filter((c) => c.from).map((c) => `${c.header}${lang === 'zh' ? ':' : ': '}${c.from as string}`),
      leftOut: result.problems.length,
    };
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
        for (let r = 0; r < column.length; r++) if (!isBlankCell(column[r])) of++;
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
    return isBlankCell(v) ? this.rowLabel(row) : String(v).trim();
  }

  /** "#17": a data row by its sheet row number, where the account has no name. */
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
    this.reduction = null;
    this.setRules(defaultRules(), []);
    this.rulesOrigin = { kind: 'default' };
    this.rematch();
    this.rescore();
  }

  /** Curve targets from the data, in the rule set's currency: amounts are converted first, as scoring converts them. */
  calibration(): PaneCalibration {
    const columns = Object.fromEntries(this.rules.criteria.map((c) => [c.id, this.column(c.id)]));
    const currency = this.rules.currency !== undefined ? this.column(CURRENCY_FIELD) : undefined;
    const amounts = calibrationAmounts(columns, this.rules, currency);
    return { suggestions: suggestCalibration(amounts.columns, this.rules), leftOut: amounts.leftOut, ...(amounts.currency !== undefined ? { currency: amounts.currency } : {}) };
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
    // Columns absent from the whole data are said once (readiness), not in every row's flags.
    const absent = this.readiness()?.absent ?? [];
    // With a rule-set currency, each account's currency cell says what its amounts are in, as in kam.
    const currency = this.rules.currency !== undefined ? this.column(CURRENCY_FIELD) : undefined;
    this.result = scoreColumns({ rowCount: region.rowCount, columns, ...(currency ? { currency } : {}) }, this.rules, { keepValues: true, absent });
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

  /** A message shown at its field's own control, whose label already names the field. */
  textAtField(msg: Message): string {
    return formatMessageWithoutField(msg, this.lang, (id, l) => criterionLabel(this.rules, id, l));
  }

  // ---- Relationships and needs ----

  /** Reads a contacts table and/or a needs table and matches them to the accounts by name. */
  async loadRelations(contacts: SourceChoice | null, needs: SourceChoice | null, work: WorkOptions = {}): Promise<void> {
    const region = this.region;
    if (!region) return;
    const read = async (choice: SourceChoice | null): Promise<RelationTable | null> => (choice ? this.gateway.readTable(choice, work) : null);
    const contactsTable = await read(contacts);
    const needsTable = await read(needs);
    const accounts = Array.from({ length: region.rowCount }, (_, r) => this.column('account')?.[r] ?? null);
    const matched = matchRelations(accounts, contactsTable, needsTable, this.rules);
    const name = (c: SourceChoice | null): string | null => (c === null ? null : c.kind === 'selection' ? '' : c.name);
    this.relations = {
      contactsSource: name(contacts),
      needsSource: name(needs),
      coverage: matched.coverage,
      needs: matched.needs,
      unmatchedAccounts: matched.unmatchedAccounts,
      problems: matched.problems,
    };
  }

  /** Suggests which tables hold contacts and needs, by their headers. */
  async guessRelationSources(): Promise<{ contacts: SourceInfo | null; needs: SourceInfo | null }> {
    const candidates: Array<{ source: SourceInfo; headers: string[] }> = [];
    for (const source of this.sources) {
      if (this.region && (source.name === this.region.table || (source.kind === 'sheet' && source.name === this.region.sheet))) continue;
      try {
        const region = await this.gateway.findRegion(source.kind === 'table' ? { kind: 'table', name: source.name } : { kind: 'sheet', name: source.name });
        candidates.push({ source, headers: region.columns.map((c) => c.header) });
      } catch {
        continue;
      }
    }
    return pickRelationTables(candidates);
  }

  // ---- Per-account results ----

  /**
   * What the report is computed from: the verdicts, the account names, the contacts and needs,
   * and the strength column. The report (src/engine/report) decides what Apply and the summary hold.
   */
  private report(): ReportInput | null {
    const result = this.result;
    if (!result) return null;
    const relations = this.relations;
    const strength = this.column(STRENGTH_FIELD);
    return {
      rules: this.rules,
      lang: this.lang,
      verdicts: verdictsOf(result, this.rules, this.lang),
      accounts: Array.from({ length: result.rowCount }, (_, r) => this.accountName(r)),
      relations: relations && {
        hasContacts: relations.contactsSource !== null,
        hasNeeds: relations.needsSource !== null,
        coverage: relations.coverage,
        needs: relations.needs,
      },
      strength: strength ? Array.from({ length: result.rowCount }, (_, r) => readStrength(strength[r])) : null,
      readiness: this.runReadiness(),
    };
  }

  /** The absent criteria the summary names: of the full rule set when the user chose to score on the criteria present. */
  private runReadiness(): RunReadiness | null {
    if (this.reduction) return readinessOfRun(this.reduction.full, this.reduction.absent, true);
    const ready = this.readiness();
    return ready ? readinessOfRun(this.rules, ready.absent, false) : null;
  }

  /** Flags of a row: the engine's row flags, then relationship red flags and plan flags when those tables are loaded. */
  flagMessages(row: number): string {
    return rowFlagText(this.report() as ReportInput, row);
  }

  strengthOf(row: number): number | null {
    const report = this.report();
    return report ? strengthAt(report, row) : null;
  }

  hasStrength(): boolean {
    return Boolean(this.matches[STRENGTH_FIELD]) || Boolean(this.relations?.contactsSource !== null && this.relations?.contactsSource !== undefined);
  }

  portfolio(): PortfolioPoint[] {
    const report = this.report();
    return report ? portfolioPoints(report) : [];
  }

  /** The hours plan against the hours available a month (null: no cap), once the data is scored. */
  capacityPlan(hours: number | null): CapacityPlan | null {
    const report = this.report();
    return report ? capacityOf(report, hours) : null;
  }

  seniorVisits(): SeniorVisit[] {
    const report = this.report();
    return report ? seniorVisits(report) : [];
  }

  // ---- Apply ----

  /** What the columns' formulas are written from. */
  private formulaInputs(): FormulaInputs {
    return { rules: this.rules, lang: this.lang, matches: this.matches };
  }

  /** Why live formulas cannot express these rules, or null when they can. */
  formulaBlocker(): { criteria: string[] } | null {
    return formulaBlocker(this.formulaInputs());
  }

  portableColumnFormulas(scoreColumn?: number): { score: string; tier: string; flags: string } | null {
    return portableColumnFormulas(this.formulaInputs(), scoreColumn);
  }

  portableTextCells(): Array<{ cell: string; field: string; text: string }> {
    return this.region ? portableTextCells(this.formulaInputs(), this.region, (index) => this.cache.get(index)) : [];
  }

  /**
   * `=KAM.SCORE(RC2,RC3,…,KAM_RULES)`; with a rule set's currency and a mapped currency column,
   * that column as the last argument, `[currency]` (./applyColumns.ts).
   */
  formulaFor(fn: string): string {
    return liveFormula(fn, this.formulaInputs());
  }

  /** The KAM columns Apply writes (./applyColumns.ts decides values or formulas). */
  resultColumns(mode: ApplyOptions['mode']): ResultColumn[] {
    return resultColumns(mode, this.valueColumns(), this.formulaInputs(), this.region);
  }

  private valueColumns(): ResultColumn[] {
    const report = this.report();
    return report ? reportColumns(report) : [];
  }

  /** Writes the KAM columns and the rules sheet they read, in one final step. */
  async apply(options: ApplyOptions, work: WorkOptions = {}): Promise<ApplyReport> {
    const region = this.region;
    if (!region || !this.result) throw new RangeError('apply needs data');
    const columns = this.resultColumns(options.mode);
    // The rules go in the same final step as the columns: a refused or cancelled Apply writes nothing.
    const write = await this.gateway.writeResults(
      // The readable rules sheet, in the pane's language, as kam writes it (rulesFromTable reads it back).
      { region, columns, tierColours: options.colours ? tierColours(this.rules) : [], filter: options.filter, rules: rulesToTable(this.rules, { lang: this.lang }) },
      work,
    );
    // The run record, for `kam check` and the stale banner; a host without custom properties (before ExcelApi 1.7) still applies.
    await this.gateway.writeRunRecord?.(runRecordProperties(this.rules, new Date(), PRODUCT_VERSION, this.lang)).catch(() => undefined);
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
    return { write, rules, reduction: this.reduction };
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
    return summarySheet(this.report() as ReportInput, capacityHours, strings);
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
