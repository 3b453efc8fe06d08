/**
 * The workbook gateway: the only way the task pane touches a workbook. Two implementations keep
 * the same contract: `OfficeGateway` (Office.js, the only module that calls `Excel.run`) and
 * `MemoryGateway` (a small in-memory workbook for browser tests and demos).
 *
 * Positions are zero-based sheet indexes (row 0 is Excel's row 1, column 0 is column A).
 */
import type { ResultKey, SummarySheet } from '../engine/report';
import type { CellValue } from '../engine/types';

export type Cell = CellValue;

/** The result columns KAM writes beside the data, and the summary sheet: declared once, in the engine's report. */
export { RESULT_KEYS, type ResultKey, type SummaryBlock, type SummaryChart, type SummarySheet } from '../engine/report';

/** Where the data comes from: the region or table around the selection, or a named table/sheet. */
export type SourceChoice = { kind: 'selection' } | { kind: 'table'; name: string } | { kind: 'sheet'; name: string };

/** A table or sheet the user can pick. */
export interface SourceInfo {
  kind: 'table' | 'sheet';
  name: string;
  /** The sheet a table lives on (the sheet itself for sheets). */
  sheet: string;
}

export interface DataColumn {
  /** Zero-based sheet column. */
  index: number;
  header: string;
}

/** A block of data with one header row, as found around the selection or in a table/sheet. */
export interface DataRegion {
  sheet: string;
  /** The Excel table's name when the data is a table. */
  table: string | null;
  /** Sheet row of the header. Data rows follow it. */
  headerRow: number;
  /** Number of data rows (the header excluded). */
  rowCount: number;
  /** The user's columns, in sheet order (KAM's own result columns are not among them). */
  columns: DataColumn[];
  /** KAM result columns already present in the region (a previous Apply, known by its marks), by key → sheet column. */
  kamColumns: Partial<Record<ResultKey, number>>;
  /** First and last sheet column of the whole region, KAM columns included. */
  firstColumn: number;
  lastColumn: number;
  /** A1 address of the whole region with its sheet, for messages. */
  address: string;
}

/** One column of results to write: values (share-safe) or one R1C1 formula for every row. */
export interface ResultColumn {
  key: ResultKey;
  header: string;
  /** `text` columns are formatted as Text so labels such as "=x" or "1e5" stay text. */
  kind: 'number' | 'text';
  /** Number format for number columns, e.g. "0.0". */
  numberFormat?: string;
  values?: readonly Cell[];
  /** The same R1C1 formula in every data row, e.g. `=KAM.SCORE(RC2,RC3,…,KAM_RULES)`. */
  formulaR1C1?: string;
}

/** A conditional format: cells whose value equals `text` get these colours. */
export interface TierColour {
  text: string;
  fill: string;
  font: string;
}

export type FilterChoice = 'autoFilter' | 'table' | 'none';

export interface WriteRequest {
  region: DataRegion;
  columns: readonly ResultColumn[];
  /** Colours for the tier column; none when empty. */
  tierColours: readonly TierColour[];
  filter: FilterChoice;
  /**
   * The rules table to write to the "KAM Rules" sheet (and name KAM_RULES) in the same final step
   * as the columns: a refused or cancelled Apply then writes nothing at all.
   */
  rules?: readonly (readonly Cell[])[];
}

export interface WriteReport {
  sheet: string;
  /** A1 address of the KAM columns written (data and header). */
  addresses: string[];
  added: ResultKey[];
  updated: ResultKey[];
  /** The user's columns titled like KAM's but not marked as ours: left as they are, ours written beside them. */
  keptUserColumns: string[];
  /** Row chunks written (values mode). */
  chunks: number;
  filter: FilterChoice;
  /** The region after the write, with the KAM columns it now holds: a second Apply updates them. */
  region: DataRegion;
  /** Where the rules went, when the request carried them. */
  rules?: { sheet: string; address: string };
}

/** The rules sheet as read back: its cells and where they start. */
export interface RulesSheet {
  sheet: string;
  /** The table of cells, from `origin`. */
  cells: Cell[][];
  origin: { row: number; col: number };
}

export interface SummaryReport {
  sheet: string;
  charts: number;
  rows: number;
}

/** A whole table or region read as rows, for the contacts and needs tables. */
export interface TableData {
  region: DataRegion;
  headers: string[];
  /** Rows of the user's columns, in `region.columns` order. */
  rows: Cell[][];
}

/** Progress and cancellation of long work. */
export interface WorkOptions {
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

/** What went wrong, as data: the task pane turns it into text in the user's language. */
export interface GatewayProblemParams {
  noData: { sheet: string };
  noHeader: { sheet: string; address: string };
  notFound: { kind: 'table' | 'sheet'; name: string };
  cellsNotEmpty: { sheet: string; address: string; used: string };
  cancelled: Record<string, never>;
  tableOverlap: { sheet: string; address: string };
  /** A table cannot grow by these columns: cells right of it are used and Excel cannot shift them. */
  tableCannotGrow: { sheet: string; table: string; address: string };
  excel: { code: string; text: string };
}
export type GatewayProblemKey = keyof GatewayProblemParams;
export type GatewayProblem = { [K in GatewayProblemKey]: { key: K; params: GatewayProblemParams[K] } }[GatewayProblemKey];

/** Thrown by gateways; carries a problem the pane can render in any language. */
export class GatewayError extends Error {
  constructor(readonly problem: GatewayProblem) {
    super(`${problem.key}: ${JSON.stringify(problem.params)}`);
    this.name = 'GatewayError';
  }
}

export function gatewayError<K extends GatewayProblemKey>(key: K, params: GatewayProblemParams[K]): GatewayError {
  return new GatewayError({ key, params } as GatewayProblem);
}

export interface WorkbookGateway {
  /** Tables and sheets the user can choose as the data. */
  listSources(): Promise<SourceInfo[]>;
  /** The data block for a choice: header row detected, KAM's own columns recognised. */
  findRegion(choice: SourceChoice): Promise<DataRegion>;
  /** Columns of the data rows, one array per sheet column asked, chunked to stay under the request limit. */
  readColumns(region: DataRegion, sheetColumns: readonly number[], options?: WorkOptions): Promise<Cell[][]>;
  /** The whole table/region as rows (contacts, needs). */
  readTable(choice: SourceChoice, options?: WorkOptions): Promise<TableData>;
  /** The "KAM Rules" sheet, or null when the workbook has none. */
  readRules(): Promise<RulesSheet | null>;
  /** Writes the rules table to the "KAM Rules" sheet and points the name KAM_RULES at it. */
  writeRules(cells: readonly (readonly Cell[])[]): Promise<{ sheet: string; address: string }>;
  /**
   * Writes or updates the KAM columns beside the data; never over the user's cells. Each column is
   * marked (a hidden sheet-scoped name KAM_RESULT_<KEY> on its header), so that the next Apply,
   * and `kam`, find it by the mark and not by its title.
   */
  writeResults(request: WriteRequest, options?: WorkOptions): Promise<WriteReport>;
  /** Shows only rows whose tier column holds one of these texts; null clears the filter. */
  filterTier(region: DataRegion, tierColumn: number, texts: readonly string[] | null): Promise<void>;
  /**
   * Adds a new sheet holding these rows from A1 (number formats per column, when given). Never
   * replaces a sheet: when the name is taken, "Name (2)", "Name (3)"… Returns the name used.
   */
  addSheet(name: string, rows: readonly (readonly Cell[])[], formats?: readonly string[]): Promise<{ sheet: string; address: string }>;
  /** Writes the "KAM Summary" sheet with its charts. */
  writeSummary(summary: SummarySheet, options?: WorkOptions): Promise<SummaryReport>;
  /** The data row (0-based, header excluded) of the active cell, or null when it is outside the data. */
  activeDataRow(region: DataRegion): Promise<number | null>;
  /**
   * Runs every workbook call KAM depends on, on a scratch sheet that is removed afterwards, and
   * reports what worked: in real Excel, one click tells what this host, platform and version support.
   */
  selfCheck(): Promise<SelfCheckReport>;
  /** The workbook's custom document properties (the run record of the last Apply or `kam score`). */
  readCustomProperties?(): Promise<Record<string, string>>;
  /** Sets the run record's properties (engine runRecordProperties), replacing an earlier record. */
  writeRunRecord?(properties: ReadonlyArray<readonly [string, string]>): Promise<void>;
}

/** The self-check's steps, in the order they run (texts for each are in the pane's language packs). */
export const SELF_CHECKS = [
  'scratchSheet',
  'stagingCopy',
  'r1c1Fill',
  'textCellFormula',
  'liveFormula',
  'conditionalFormat',
  'tableColumns',
  'autoFilter',
  'names',
  'columnChart',
  'scatterChart',
  'cleanUp',
] as const;
export type SelfCheckId = (typeof SELF_CHECKS)[number];

export interface SelfCheckResult {
  id: SelfCheckId;
  ok: boolean;
  /** What was seen, in Excel's terms (values, counts, error codes): the same in every language. */
  detail: string;
}

export interface SelfCheckReport {
  host: string;
  platform: string;
  version: string;
  displayLanguage: string;
  /** Requirement sets and the highest version of each this host reports. */
  apiSets: Record<string, string | null>;
  results: SelfCheckResult[];
}

/** The scratch sheet of the self-check; a leftover one is replaced. */
export const SELF_CHECK_SHEET = 'KAM Self-check';
export const SELF_CHECK_HIDDEN_SHEET = 'KAM Self-check Staging';
export const SELF_CHECK_NAME = 'KAM_SELF_CHECK';
/** One made-up account, in the seven inputs' order, for the live formula. */
export const SELF_CHECK_ACCOUNT: readonly number[] = [1_200_000, 0.24, 0.08, 3_000_000, 35, 4, 4];

/** Names KAM gives to what it owns in a workbook (the rules' sheet and name are the engine's). */
export { RULES_SHEET, RULES_NAME } from '../engine';
export const SUMMARY_SHEET = 'KAM Summary';
/** Hidden sheet values are written to before they are copied into place in one step. */
export const STAGING_SHEET = 'KAM Staging';
