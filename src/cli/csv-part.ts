/**
 * Reading and scoring a streamed CSV, part by part. A part is the whole file or, on a large file,
 * its first or second half: the main thread scores the first half and a worker thread
 * (csv-worker.ts) the second, each with a PartScorer built from the same PartPlan; the main thread
 * then adds the worker's counts and scratch files to its own (csv-stream.ts).
 */
import * as fs from 'node:fs';
import { TextDecoder } from 'node:util';
import {
  calibrationAmounts,
  calibrationCriteria,
  CsvReader,
  csvField,
  deriveValue,
  flagsText,
  LABEL_PACKS,
  LANGUAGES,
  OUTCOME_IDS,
  parseCsv,
  percentileAt,
  rowFlags,
  rowFlagsKey,
  scoreColumns,
  wordHash,
  writeCsv,
  CURRENCY_FIELD,
  type AmountPercentile,
  type BatchResult,
  type CellValue,
  type CsvDelimiter,
  type CsvRecord,
  type DerivedColumn,
  type Lang,
  type OutcomeId,
  type RuleSet,
} from '../engine';
import { compileRules } from '../engine/compile';
import { readStrength, reportColumns, STRENGTH_FIELD, type MatchedRelations, type ReportInput } from '../engine/report';
import { csvNumber, detectEncoding, inertText } from './csv-file';
import { Ranks, TextWithHoles, TIER_INDEX } from './csv-ranks';
import { InputError } from './files';
import type { CliPack } from './messages';
import { DETAIL_LIMIT } from './run-summary';
import { DistinctCounter, NumberSpill, orderStatistic, joinedSpills, type SpillFile } from './scratch';

/**
 * Bytes read at a time; the lines they hold are scored (and written) before the next read: a few
 * megabytes in memory at most, and ~15,000 lines for the kernel's typed arrays to work on. Every
 * part reads on the same grid of CHUNK_BYTES from the file's start, so that its reader sees the
 * text in the same pieces as a reader of the whole file would (see CsvReader's longest record).
 */
export const CHUNK_BYTES = 1 << 16;

/** What the reader found before the first data line. */
export interface CsvHead {
  delimiter: CsvDelimiter;
  separatorLine: string | undefined;
  leading: CsvRecord[];
  header: CsvRecord;
  headers: string[];
  width: number;
}

/** A data line as kam reads it: blank, rejected (with why and the text kept), or cells to score. */
export interface Line {
  record: CsvRecord;
  blank: boolean;
  rejected?: string;
  original?: string;
}

export const isBlankRecord = (r: CsvRecord): boolean => !r.problem && r.fields.every((f) => f.trim() === '');

/** Where a read starts and stops, when not the whole file from its start. */
export interface ReadRange {
  /** A byte just after a line feed, and a reader set to continue there (CsvReader.continuing). */
  start?: { byte: number; reader: CsvReader };
  /** Stop at this byte (just after a line feed) if a record ends there; read on otherwise. */
  stopAt?: number;
  /** Told at once when no record ends at `stopAt` (the read goes on to the end). */
  onReadOn?: () => void;
}

/** How a read ended: at `stopAt` on a record boundary (with the reader there), or at the file's end. */
export interface ReadEnd {
  boundary?: { reader: CsvReader };
  /** Why the read went on past `stopAt`, when it did. */
  readOn?: string;
}

/**
 * Reads a CSV file's records in chunks. With `stopAt`, the chunk holding that byte is tried on a
 * copy of the reader cut there: if a record ends exactly there, the read stops; if not (a quoted
 * field runs across it), the whole chunk goes on as if nothing had been tried.
 */
export async function* readChunks(
  file: string,
  pack: CliPack,
  onBytes: (bytes: number) => void,
  range: ReadRange = {},
  end: ReadEnd = {},
): AsyncGenerator<{ records: CsvRecord[]; reader: CsvReader }> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    const reader = range.start?.reader ?? new CsvReader();
    let position = range.start?.byte ?? 0;
    // A part after the start keeps a byte-order mark that happens to begin it as text, as a whole-file read would.
    let decoder: TextDecoder | undefined = range.start ? new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }) : undefined;
    for (;;) {
      // Up to the next multiple of CHUNK_BYTES: the same pieces as a read from the file's start.
      const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES - (position % CHUNK_BYTES), position);
      const bytes = buffer.subarray(0, bytesRead);
      decoder ??= new TextDecoder(detectEncoding(bytes), { fatal: true });
      let text: string;
      try {
        text = decoder.decode(bytes, { stream: bytesRead > 0 });
      } catch {
        throw new InputError(pack.notUtf8({ file }));
      }
      const stopAt = range.stopAt;
      if (stopAt !== undefined && decoder.encoding === 'utf-8' && position < stopAt && stopAt <= position + bytesRead) {
        const tried = recordsUpTo(reader, text, bytes.subarray(stopAt - position));
        if (tried) {
          onBytes(stopAt - position);
          end.boundary = { reader: tried.reader };
          yield { records: tried.records, reader: tried.reader };
          return;
        }
        end.readOn = 'the middle falls inside a record';
        range.onReadOn?.();
      }
      position += bytesRead;
      onBytes(bytesRead);
      // The reader knows the delimiter and a sep= line once it returns records.
      yield { records: reader.push(text, bytesRead === 0), reader };
      if (bytesRead === 0) return;
    }
  } finally {
    await handle.close();
  }
}

/**
 * The records of a chunk's `text` up to where its bytes `after` begin (just after a line feed),
 * when a record ends exactly there; undefined otherwise, the reader left as it was.
 */
function recordsUpTo(reader: CsvReader, text: string, after: Buffer): { records: CsvRecord[]; reader: CsvReader } | undefined {
  let tail: string;
  try {
    // Decoded as the chunk's text was, holding back the same unfinished character at its end.
    tail = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(after, { stream: true });
  } catch {
    return undefined;
  }
  const copy = reader.copy();
  const records = copy.push(text.slice(0, text.length - tail.length), false);
  return copy.pending ? undefined : { records, reader: copy };
}

/** One pass over the file: the head, then the data lines in chunks. */
export type LinesHandler = (lines: Line[]) => void | Promise<void>;

/**
 * Reads the head (blank lines, the header) and hands the data lines to the handler onHead gives,
 * chunk by chunk; none reads on no further. With a range that starts after the head, `head` is
 * the file's, read before, and every record is a data line.
 */
export async function pass(
  file: string,
  pack: CliPack,
  onBytes: (bytes: number) => void,
  onHead: (head: CsvHead) => LinesHandler | undefined,
  classify: (head: CsvHead) => (r: CsvRecord) => Line,
  range: ReadRange & { head?: CsvHead } = {},
): Promise<ReadEnd> {
  const leading: CsvRecord[] = [];
  let head = range.head;
  let handle = head ? onHead(head) : undefined;
  let toLine = head ? classify(head) : undefined;
  const end: ReadEnd = {};
  let chunks = readChunks(file, pack, onBytes, range, end);
  for (;;) {
    for await (const { records, reader } of chunks) {
      let from = 0;
      if (!head) {
        const at = records.findIndex((r) => !isBlankRecord(r));
        if (at < 0) {
          leading.push(...records);
          continue;
        }
        leading.push(...records.slice(0, at));
        const header = records[at] as CsvRecord;
        if (header.problem) throw new InputError(pack.badHeaderLine({ file, line: header.line }));
        head = {
          delimiter: reader.delimiter ?? ',',
          separatorLine: reader.separatorLine,
          leading,
          header,
          headers: header.fields.map((h) => h.trim()),
          width: header.fields.length,
        };
        handle = onHead(head);
        toLine = classify(head);
        if (!handle) return end;
        from = at + 1;
      }
      if (from < records.length) await (handle as LinesHandler)(records.slice(from).map(toLine as (r: CsvRecord) => Line));
    }
    if (head || !end.boundary || range.stopAt === undefined) break;
    // Only blank lines up to `stopAt`: the header comes after it, so what follows is not all data
    // lines, as a part starting there takes it; this read goes on from there instead.
    const at = { byte: range.stopAt, reader: end.boundary.reader };
    delete end.boundary;
    end.readOn = 'the header comes after the middle';
    range.onReadOn?.();
    chunks = readChunks(file, pack, onBytes, { start: at }, end);
  }
  if (!head) throw new InputError(pack.fileEmpty({ file }));
  return end;
}

/**
 * Lines as the in-memory reader classed them: blank, rejected (a quoting problem, or not as many
 * fields as the header), or to score. A line that an earlier kam run kept as malformed (its text
 * in the first cell, every other input cell blank) is rejected again.
 */
export function lineClassifier(pack: CliPack, earlier: ReadonlyMap<string, number>): (head: Pick<CsvHead, 'delimiter' | 'width'>) => (r: CsvRecord) => Line {
  const earlierPositions = [...earlier.values()];
  return (hd) => {
    const tierAt = earlier.get('tier');
    const inputWidth = hd.width - earlierPositions.filter((p) => p < hd.width).length;
    const invalidLabels = new Set(LANGUAGES.map((l) => LABEL_PACKS[l].invalidOutcome));
    return (record: CsvRecord): Line => {
      const line: Line = { record, blank: isBlankRecord(record) };
      if (line.blank) return line;
      if (record.problem === 'unterminatedQuote') line.rejected = pack.unterminatedQuote({ line: record.line });
      else if (record.problem === 'textAfterQuote') line.rejected = pack.textAfterQuote({ line: record.line });
      else if (record.fields.length !== hd.width) line.rejected = pack.fieldCount({ line: record.line, fields: record.fields.length, expected: hd.width });
      else if (tierAt !== undefined && tierAt < hd.width && invalidLabels.has(record.fields[tierAt] as string)) {
        const first = record.fields[0] as string;
        const othersBlank = record.fields.every((cell, i) => i === 0 || earlierPositions.includes(i) || cell === '');
        if (first.includes(hd.delimiter) && othersBlank) {
          const kept = parseCsv(first, { delimiter: hd.delimiter }).records[0];
          if (kept && kept.fields.length !== inputWidth) {
            line.rejected = pack.fieldCount({ line: record.line, fields: kept.fields.length, expected: inputWidth });
            line.original = first;
          }
        }
      }
      return line;
    };
  };
}

/** What scoring a part needs, as plain data: the main thread and a worker build the same scorer from it. */
export interface PartPlan {
  input: string;
  lang: Lang;
  /** The rules the lines are scored with (after --score-present and --calibrate). */
  rules: RuleSet;
  /** Criteria the file has no column for (readiness). */
  absent: string[];
  /** Criteria read from the file: a column each, or derived from several (derived). */
  matched: string[];
  /** Column of each field found by its header or --map (criteria, account, currency, strength). */
  columns: Record<string, number>;
  derived: Record<string, DerivedColumn>;
  /** Result columns an earlier run left, by key. */
  earlier: Array<[string, number]>;
  head: Pick<CsvHead, 'delimiter' | 'width'>;
  /** Keep the amounts for the scale hint (not with --calibrate, whose pass kept them before). */
  hintAmounts: boolean;
  /** How many files the distinct-name counter spreads hashes over (the same in every part). */
  nameParts: number;
}

/** The cell of a line at a column: none for a rejected line. */
export const cellAt = (line: Line, column: number): CellValue => (line.rejected ? null : (line.record.fields[column] ?? null));

/** A chunk's verdicts: per non-blank line, its outcome, score and flags (the reason for a rejected line). */
export interface ChunkVerdicts {
  outcomes: OutcomeId[];
  scores: Array<number | null>;
  flags: string[];
  problem: boolean[];
  result: BatchResult;
  input: { columns: Record<string, CellValue[]>; currency: CellValue[] | undefined };
}

/** Scores chunks of lines with the plan's columns; each distinct flag text is made once. */
export function lineScorer(plan: PartPlan): (lines: readonly Line[], rules: RuleSet) => ChunkVerdicts {
  const { derived, columns: at } = plan;
  const currencyAt = at[CURRENCY_FIELD];
  const kernelValue = (line: Line, id: string): CellValue => {
    const d = derived[id];
    return d
      ? deriveValue(
          d.kind,
          d.columns.map((col) => cellAt(line, col)),
        )
      : cellAt(line, at[id] as number);
  };
  // Rows with the same rowFlagsKey have the same flags.
  const flagTexts = new Map<string, string>();
  let flagTextRules: RuleSet | undefined;
  const flagTextOf = (result: BatchResult, k: number, rules: RuleSet): string => {
    if (rules !== flagTextRules || flagTexts.size > 10_000) {
      flagTexts.clear();
      flagTextRules = rules;
    }
    const key = rowFlagsKey(result, k);
    let text = key === undefined ? undefined : flagTexts.get(key);
    if (text === undefined) {
      text = flagsText(rowFlags(result, k), plan.lang, rules);
      if (key !== undefined) flagTexts.set(key, text);
    }
    return text;
  };
  return (lines, rules) => {
    const scored: Line[] = [];
    for (const l of lines) if (!l.blank && !l.rejected) scored.push(l);
    const columns: Record<string, CellValue[]> = {};
    for (const id of plan.matched) {
      // A column read as it is (the common case) without going through kernelValue per cell.
      const column = derived[id] ? undefined : at[id];
      columns[id] = column === undefined ? scored.map((l) => kernelValue(l, id)) : scored.map((l) => l.record.fields[column] ?? null);
    }
    // With a rule-set currency, each account's currency cell says what its amounts are in.
    const currency = currencyAt === undefined ? {} : { currency: scored.map((l) => cellAt(l, currencyAt)) };
    // The coerced (and converted) inputs are kept: the amounts for the scale hint and --calibrate.
    const result = scoreColumns({ rowCount: scored.length, columns, ...currency }, rules, { absent: plan.absent, keepValues: true });
    const out: ChunkVerdicts = { outcomes: [], scores: [], flags: [], problem: [], result, input: { columns, currency: currency.currency } };
    let k = 0;
    for (const l of lines) {
      if (l.blank) continue;
      if (l.rejected) {
        out.outcomes.push('invalid');
        out.scores.push(null);
        out.flags.push(l.rejected);
        out.problem.push(false);
        continue;
      }
      const s = result.score[k] as number;
      out.outcomes.push(OUTCOME_IDS[result.outcome[k] as number] as OutcomeId);
      out.scores.push(s === s ? s : null);
      const plain = result.knockoutMask[k] === 0 && result.missingMask[k] === 0 && !result.problems.has(k);
      out.flags.push(plain ? '' : flagTextOf(result, k, rules));
      out.problem.push(result.problems.has(k));
      k++;
    }
    return out;
  };
}

/** Scratch-file names: a folder's, or a worker's inside the main thread's folder. */
export interface ScratchFiles {
  file(label: string): string;
}

/**
 * The amounts calibration and the scale hint read, one scratch file per criterion: positive values
 * only, as suggestCalibration takes them, converted to the rule set's currency when it has one.
 */
export class AmountKeeper {
  private readonly files: Array<{ id: string; index: number; width: number; spill: NumberSpill; more: NumberSpill[] }>;
  /** Accounts left out: an amount without a usable currency. */
  leftOut = 0;

  constructor(
    private readonly rules: RuleSet,
    matched: readonly string[],
    scratch: ScratchFiles,
  ) {
    const compiled = compileRules(rules).criteria;
    this.files = calibrationCriteria(rules)
      .filter((id) => matched.includes(id))
      .map((id) => ({ id, index: compiled.findIndex((c) => c.id === id), width: compiled.length, spill: new NumberSpill(scratch.file('amounts')), more: [] }));
  }

  keep(verdicts: ChunkVerdicts): void {
    if (this.files.length === 0) return;
    if (this.rules.currency !== undefined) {
      // Amounts converted as scoring converts them (the engine's calibrationAmounts).
      const part = calibrationAmounts(verdicts.input.columns, this.rules, verdicts.input.currency);
      for (const f of this.files) for (const v of part.columns[f.id] ?? []) f.spill.push(v);
      this.leftOut += part.leftOut;
      return;
    }
    // One currency: the kernel's coerced inputs are the amounts.
    const values = verdicts.result.values;
    if (!values) return;
    for (const f of this.files) {
      for (let at = f.index; at < values.length; at += f.width) {
        const v = values[at] as number;
        if (v > 0) f.spill.push(v);
      }
    }
  }

  /** The files as plain data, closed, for the keeper of another part to add. */
  closed(): { leftOut: number; files: Array<{ id: string; spill: SpillFile }> } {
    return { leftOut: this.leftOut, files: this.files.map((f) => ({ id: f.id, spill: f.spill.closed() })) };
  }

  /** Adds what the keeper of a later part kept (its closed()). */
  add(later: ReturnType<AmountKeeper['closed']>): void {
    this.leftOut += later.leftOut;
    for (const { id, spill } of later.files) this.files.find((f) => f.id === id)?.more.push(NumberSpill.written(spill));
  }

  /** Each criterion's P-th percentile over every part, as percentile() gives it over the sorted values. */
  percentiles(p: number): Record<string, AmountPercentile> {
    const taken: Record<string, AmountPercentile> = {};
    for (const f of this.files) {
      const all = joinedSpills([f.spill, ...f.more]);
      if (all.count > 0) taken[f.id] = { value: percentileAt(all.count, p, (rank) => orderStatistic(all, rank)), count: all.count };
    }
    return taken;
  }
}

/** A line with unreadable cells, for the summary's first few. */
export interface UnreadableLine {
  number: number;
  account: string;
  text: string;
}

/** What a part's scorer hands back (plain data: a worker posts it to the main thread). */
export interface PartResult {
  counts: Record<OutcomeId, number>;
  ranks: Array<Array<[number, number]>>;
  unreadable: { count: number; first: UnreadableLine[] };
  malformed: Array<{ number: number; text: string }>;
  reportCount: number;
  blankCount: number;
  convertedFrom: Array<[string, number]>;
  amounts: ReturnType<AmountKeeper['closed']> | undefined;
  names: SpillFile[] | undefined;
  body: string;
  holes: SpillFile;
}

/** The relations of a run without --contacts/--needs (a worker's, and the main thread's then). */
export const NO_RELATIONS: MatchedRelations = { hasContacts: false, hasNeeds: false, coverage: [], needs: [], unmatchedAccounts: [], problems: [] };

/**
 * Scores a part's lines and writes them to a scratch file, each with a hole where its priority
 * rank goes, keeping what the summary needs: counts per tier, the ranks' counts, unreadable and
 * malformed lines, the amounts for the scale hint, the account names' hashes.
 */
export class PartScorer {
  readonly counts = Object.fromEntries(OUTCOME_IDS.map((id) => [id, 0])) as Record<OutcomeId, number>;
  readonly ranks = new Ranks();
  readonly unreadable = { count: 0, first: [] as UnreadableLine[] };
  readonly malformed: Array<{ number: number; text: string }> = [];
  readonly convertedFrom = new Map<string, number>();
  /** Per chunk, each non-blank line's tier (kept only with a contacts table, for senior visits). */
  readonly outcomeCodes: Uint8Array[] = [];
  readonly hintAmounts: AmountKeeper | undefined;
  readonly names: DistinctCounter | undefined;
  readonly rankFormat: string | undefined;
  reportCount = 0;
  blankCount = 0;
  private reportRow = 0;
  private readonly holes: NumberSpill;
  private readonly bodyFile: string;
  private readonly body: number;
  private readonly text: TextWithHoles;
  private readonly scoreLines: ReturnType<typeof lineScorer>;
  private readonly layout: { keys: string[]; positions: Map<string, number>; width: number; stale: number[] };
  private readonly headerColumns: ReturnType<typeof reportColumns>;
  private readonly resultFields = new Map<string, string>();
  private readonly numberFields = new Map<string, Map<number, string>>();

  constructor(
    private readonly plan: PartPlan,
    scratch: ScratchFiles,
    /** The relations over the whole file, with --contacts/--needs (never in a worker). */
    private readonly relations: MatchedRelations | null,
  ) {
    const { rules, lang, head } = plan;
    this.scoreLines = lineScorer(plan);
    this.hintAmounts = plan.hintAmounts ? new AmountKeeper(rules, plan.matched, scratch) : undefined;
    // Distinct account names, counted from 53-bit hashes spread over files of ~32 MB of input each.
    this.names = plan.columns.account === undefined ? undefined : new DistinctCounter(scratch, plan.nameParts, 2 ** 53);
    /** Per non-blank line: its score (NaN for none), then its tier × 2^32 + the bytes written since the previous hole. */
    this.holes = new NumberSpill(scratch.file('ranks'));
    this.bodyFile = scratch.file('body');
    this.body = fs.openSync(this.bodyFile, 'w');
    this.text = new TextWithHoles(this.body, this.holes);
    // The result columns do not depend on the lines (one report over zero rows).
    this.headerColumns = reportColumns({
      rules,
      lang,
      verdicts: { outcomes: [], scores: [], flags: [] },
      accounts: [],
      relations: relations ?? NO_RELATIONS,
      strength: plan.columns[STRENGTH_FIELD] === undefined ? null : [],
    });
    this.rankFormat = this.headerColumns.find((c) => c.key === 'priority')?.numberFormat;
    // The output's columns: the report's where an earlier run put them, else after the data; stale earlier ones emptied.
    const earlier = new Map(plan.earlier);
    const keys = this.headerColumns.map((c) => c.key);
    let next = head.width;
    const positions = new Map<string, number>();
    for (const key of keys) positions.set(key, earlier.get(key) ?? next++);
    const stale = [...earlier].filter(([key]) => !keys.includes(key as never)).map(([, p]) => p);
    const width = Math.max(head.width, ...[...positions.values()].map((p) => p + 1), ...stale.map((p) => p + 1));
    this.layout = { keys, positions, width, stale };
  }

  /** The lines before the first data line, and the header with the result columns' titles (the first part only). */
  writeHead(hd: CsvHead): void {
    const lay = this.layout;
    const fill = (fields: readonly string[]): string[] => Array.from({ length: lay.width }, (_, i) => fields[i] ?? '');
    const headerCells = fill(hd.header.fields);
    for (const c of this.headerColumns) headerCells[lay.positions.get(c.key) as number] = inertText(c.header);
    const leadingRows = hd.leading.map((r) => {
      const cells = fill(r.fields);
      for (const p of lay.positions.values()) cells[p] = '';
      for (const p of lay.stale) cells[p] = '';
      return cells;
    });
    for (const p of lay.stale) headerCells[p] = inertText(hd.headers[p] ?? '');
    const rows = [...leadingRows, headerCells];
    // UTF-8 with a byte-order mark (Excel reads the local code page otherwise); a sep= line goes first, without it.
    const start =
      hd.separatorLine !== undefined ? `${hd.separatorLine}\r\n${writeCsv(rows, { delimiter: hd.delimiter, bom: false })}` : writeCsv(rows, { delimiter: hd.delimiter, bom: true });
    this.text.text(start);
  }

  /** Scores a chunk's lines and writes them, with their results, in file order. */
  score(lines: readonly Line[]): void {
    const { plan, layout: lay, relations } = this;
    const { rules, lang } = plan;
    const delimiter = plan.head.delimiter;
    const accountColumn = plan.columns.account;
    const strengthColumn = plan.columns[STRENGTH_FIELD];
    const priorityAt = lay.positions.get('priority');
    // No earlier results in the file: every result column goes after the data.
    const appendOnly = plan.earlier.length === 0 && lay.width > plan.head.width;
    const verdicts = this.scoreLines(lines, rules);
    this.hintAmounts?.keep(verdicts);
    const nonBlank = lines.filter((l) => !l.blank);
    const from = this.reportRow;
    this.reportRow += nonBlank.length;
    const report: ReportInput = {
      rules,
      lang,
      verdicts: { outcomes: verdicts.outcomes, scores: verdicts.scores, flags: verdicts.flags },
      accounts: [],
      relations: relations
        ? {
            hasContacts: relations.hasContacts,
            hasNeeds: relations.hasNeeds,
            coverage: relations.coverage.slice(from, this.reportRow),
            needs: relations.needs.slice(from, this.reportRow),
          }
        : null,
      strength: strengthColumn === undefined ? null : nonBlank.map((l) => readStrength(cellAt(l, strengthColumn))),
    };
    const columns = reportColumns(report, ['priority']);
    const codes = new Uint8Array(nonBlank.length);
    /** A result as its CSV field: a number with its format's decimals (never quoted), a text made inert and quoted if need be. */
    const fieldOf = (c: (typeof columns)[number], v: CellValue | undefined): string => {
      if (typeof v === 'number') {
        // Scores (to 0.1) and hours repeat: each number is formatted once per column.
        let numbers = this.numberFields.get(c.key);
        if (!numbers || numbers.size > 10_000) this.numberFields.set(c.key, (numbers = new Map<number, string>()));
        let field = numbers.get(v);
        if (field === undefined) numbers.set(v, (field = csvNumber(v, c.numberFormat)));
        return field;
      }
      if (v === null || v === undefined || v === '') return '';
      const text = String(v);
      let field = this.resultFields.get(text);
      if (field === undefined) {
        // Tier labels and most flags repeat: each is made into a field once.
        if (this.resultFields.size > 10_000) this.resultFields.clear();
        this.resultFields.set(text, (field = csvField(inertText(text), delimiter)));
      }
      return field;
    };
    // Where each result goes in a line; the other cells of those places (and stale ones) are emptied.
    const places = columns.map((c) => lay.positions.get(c.key) as number);
    const cleared = [...places, ...lay.stale, ...(priorityAt === undefined ? [] : [priorityAt])];
    const cells = new Array<string>(lay.width);
    // A line written as it was: what follows its data, place by place (a column's index, -1 empty, -2 the rank's hole).
    const tail: number[] = [];
    for (let i = plan.head.width; i < lay.width; i++) tail.push(i === priorityAt ? -2 : places.indexOf(i));
    let k = 0;
    for (const l of lines) {
      const record = l.record;
      /** This line's place among the chunk's non-blank lines (the verdicts' index). */
      const at = k;
      if (!l.blank) {
        const outcome = verdicts.outcomes[at] as OutcomeId;
        const tier = TIER_INDEX[outcome];
        codes[at] = tier;
        this.counts[outcome]++;
        this.ranks.add(tier, verdicts.scores[at] ?? null);
        if (l.rejected) this.malformed.push({ number: record.line, text: l.rejected });
        else if (verdicts.problem[at]) {
          this.unreadable.count++;
          if (this.unreadable.first.length < DETAIL_LIMIT) {
            const cell = accountColumn === undefined ? null : cellAt(l, accountColumn);
            this.unreadable.first.push({ number: record.line, account: cell === null ? '' : String(cell).trim(), text: verdicts.flags[at] ?? '' });
          }
        }
        if (this.names && !l.rejected) {
          const hash = wordHash(String(cellAt(l, accountColumn as number) ?? ''));
          if (hash >= 0) this.names.add(hash);
        }
        k++;
      }
      let line: string;
      let holeAt = -1;
      if (appendOnly && !l.blank && !l.rejected && record.fields.length === plan.head.width && !record.text.includes('"')) {
        // A line without quotes, as wide as the header, with no earlier results: written as it was, the results after it.
        line = record.text;
        for (const j of tail) {
          line += delimiter;
          if (j === -2) holeAt = line.length;
          else if (j >= 0) {
            const c = columns[j] as (typeof columns)[number];
            line += fieldOf(c, c.values[at]);
          }
        }
      } else {
        // Cells hold CSV fields, quoted where need be; results in their places, earlier ones emptied.
        const fields = l.rejected ? [l.original ?? record.text] : record.fields;
        for (let i = 0; i < lay.width; i++) cells[i] = csvField(fields[i] ?? '', delimiter);
        for (const p of cleared) cells[p] = '';
        if (!l.blank) {
          for (let j = 0; j < columns.length; j++) {
            const c = columns[j] as (typeof columns)[number];
            cells[places[j] as number] = fieldOf(c, c.values[at]);
          }
        }
        line = '';
        for (let i = 0; i < lay.width; i++) {
          if (i > 0) line += delimiter;
          if (i === priorityAt && !l.blank) holeAt = line.length;
          else line += cells[i] as string;
        }
      }
      line += '\r\n';
      if (holeAt < 0) this.text.text(line);
      else this.text.lineWithHole(line, holeAt, codes[at] as number, verdicts.scores[at] ?? null);
    }
    this.reportCount += nonBlank.length;
    this.blankCount += lines.length - nonBlank.length;
    if (relations?.hasContacts) this.outcomeCodes.push(codes);
    if (verdicts.result.conversion)
      for (const code of verdicts.result.conversion.code) if (code !== undefined) this.convertedFrom.set(code, (this.convertedFrom.get(code) ?? 0) + 1);
  }

  /** No more lines: the scored text is on disk. */
  close(): void {
    this.text.flush();
    fs.closeSync(this.body);
  }

  /** The scored text and its holes, for the rank pass. */
  scoredText(): { body: string; holes: NumberSpill } {
    return { body: this.bodyFile, holes: this.holes };
  }

  /** Everything as plain data, the scratch files closed (what a worker posts). */
  result(): PartResult {
    return {
      counts: { ...this.counts },
      ranks: this.ranks.counted(),
      unreadable: this.unreadable,
      malformed: this.malformed,
      reportCount: this.reportCount,
      blankCount: this.blankCount,
      convertedFrom: [...this.convertedFrom],
      amounts: this.hintAmounts?.closed(),
      names: this.names?.closedParts(),
      body: this.bodyFile,
      holes: this.holes.closed(),
    };
  }

  /**
   * Adds a later part's result (a worker's), whose lines were numbered from 1: `linesBefore` is
   * how many lines come before it in the file. Its scored text goes after this part's.
   */
  add(later: PartResult, linesBefore: number): { body: string; holes: NumberSpill } {
    for (const id of OUTCOME_IDS) this.counts[id] += later.counts[id];
    this.ranks.addCounted(later.ranks);
    this.unreadable.count += later.unreadable.count;
    for (const u of later.unreadable.first) if (this.unreadable.first.length < DETAIL_LIMIT) this.unreadable.first.push({ ...u, number: u.number + linesBefore });
    // Their messages name lines counted from the part's start: such a part is scored again in order.
    if (later.malformed.length > 0) throw new Error('a later part with rejected lines cannot be added');
    this.reportCount += later.reportCount;
    this.blankCount += later.blankCount;
    for (const [code, n] of later.convertedFrom) this.convertedFrom.set(code, (this.convertedFrom.get(code) ?? 0) + n);
    if (later.amounts) this.hintAmounts?.add(later.amounts);
    if (later.names) this.names?.addParts(later.names);
    return { body: later.body, holes: NumberSpill.written(later.holes) };
  }
}
