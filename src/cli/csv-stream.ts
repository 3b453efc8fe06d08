/**
 * `kam score` on a CSV file, streamed: memory does not grow with the number of lines.
 *
 * The file is read in chunks by the engine's CsvReader. The scoring pass scores each chunk once and
 * writes it to a scratch file, leaving a hole where each line's priority rank goes (a rank needs
 * every line's tier and score); the rank pass then copies the bytes to a temporary file beside the
 * output, filling the holes, and renames it over the output. Per-line data the summary needs
 * (amounts for the scale hint's P90, account-name hashes for the order-lines hint, the ranks' data)
 * goes to scratch files, not memory (scratch.ts). A first pass comes before the scoring pass only
 * for --calibrate (the rules it scores with) and --contacts/--needs (relations are matched over the
 * whole file, so those keep every account name).
 */
import * as fs from 'node:fs';
import { TextDecoder } from 'node:util';
import {
  applyCalibration,
  capacityTotals,
  calibrationAmounts,
  calibrationCriteria,
  CsvReader,
  csvField,
  criterionLabel,
  deriveValue,
  flagsText,
  formatMessage,
  isBlankCell,
  LABEL_PACKS,
  LANGUAGES,
  matchColumns,
  matchPeriodColumns,
  wordHash,
  OUTCOME_IDS,
  percentileAt,
  parseCsv,
  portfolioWarnings,
  readiness,
  repeatedAccounts,
  rowFlags,
  rowFlagsKey,
  rulesForPresent,
  scaleHintsFromPercentiles,
  scoreColumns,
  suggestFromPercentiles,
  writeCsv,
  type AmountPercentile,
  type BatchResult,
  type CellValue,
  type CsvDelimiter,
  type CsvRecord,
  type DerivedColumn,
  type OutcomeId,
  type RuleSet,
  CURRENCY_FIELD,
} from '../engine';
import { compileRules } from '../engine/compile';
import { matchRelations, readStrength, reportColumns, seniorVisits, STRENGTH_FIELD, type MatchedRelations, type ReportInput } from '../engine/report';
import { orderLinesVerdict } from '../engine/rollup';
import { csvNumber, detectEncoding, inertText } from './csv-file';
import { describeError, InputError, sayOnInterrupt, writeAtomically } from './files';
import type { CliPack } from './messages';
import { DETAIL_LIMIT, limited, LIST_LIMIT, printRunEnd, printRunSummary } from './run-summary';
import { columnsUsed } from './pipeline/tell';
import { relationsFromFiles } from './relations';
import { DistinctCounter, NumberSpill, orderStatistic, ScratchFolder } from './scratch';
import { convertedNote, earlierColumns, inputFields } from './report';
import type { Output, ScoreOptions } from './score';

/**
 * Bytes read at a time; the lines they hold are scored (and written) before the next read: a few
 * megabytes in memory at most, and ~15,000 lines for the kernel's typed arrays to work on.
 */
const CHUNK_BYTES = 1 << 16;

/** What the reader found before the first data line. */
interface CsvHead {
  delimiter: CsvDelimiter;
  separatorLine: string | undefined;
  leading: CsvRecord[];
  header: CsvRecord;
  headers: string[];
  width: number;
}

/** A data line as kam reads it: blank, rejected (with why and the text kept), or cells to score. */
interface Line {
  record: CsvRecord;
  blank: boolean;
  rejected?: string;
  original?: string;
}

/** Reads a CSV file in chunks: the head first, then the data records chunk by chunk. */
async function* readChunks(file: string, pack: CliPack, onBytes: (bytes: number) => void): AsyncGenerator<{ records: CsvRecord[]; reader: CsvReader }> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    const reader = new CsvReader();
    let decoder: TextDecoder | undefined;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, null);
      const bytes = buffer.subarray(0, bytesRead);
      decoder ??= new TextDecoder(detectEncoding(bytes), { fatal: true });
      let text: string;
      try {
        text = decoder.decode(bytes, { stream: bytesRead > 0 });
      } catch {
        throw new InputError(pack.notUtf8({ file }));
      }
      onBytes(bytesRead);
      // The reader knows the delimiter and a sep= line once it returns records.
      yield { records: reader.push(text, bytesRead === 0), reader };
      if (bytesRead === 0) return;
    }
  } finally {
    await handle.close();
  }
}

const isBlankRecord = (r: CsvRecord): boolean => !r.problem && r.fields.every((f) => f.trim() === '');

/** One pass over the file: the head, then the data lines in chunks. */
type LinesHandler = (lines: Line[]) => void | Promise<void>;

async function pass(
  file: string,
  pack: CliPack,
  onBytes: (bytes: number) => void,
  onHead: (head: CsvHead) => LinesHandler | undefined,
  classify: (head: CsvHead) => (r: CsvRecord) => Line,
): Promise<void> {
  const leading: CsvRecord[] = [];
  let head: CsvHead | undefined;
  let handle: LinesHandler | undefined;
  let toLine: ((r: CsvRecord) => Line) | undefined;
  for await (const { records, reader } of readChunks(file, pack, onBytes)) {
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
      head = { delimiter: reader.delimiter ?? ',', separatorLine: reader.separatorLine, leading, header, headers: header.fields.map((h) => h.trim()), width: header.fields.length };
      handle = onHead(head);
      toLine = classify(head);
      if (!handle) return;
      from = at + 1;
    }
    if (from < records.length) await (handle as LinesHandler)(records.slice(from).map(toLine as (r: CsvRecord) => Line));
  }
  if (!head) throw new InputError(pack.fileEmpty({ file }));
}

/** Priority order of the tiers (plan.ts: Strategic first … invalid last). */
const TIER_ORDER: readonly OutcomeId[] = ['strategic', 'key', 'develop', 'maintain', 'insufficient', 'excluded', 'invalid'];
const TIER_INDEX = Object.fromEntries(TIER_ORDER.map((id, i) => [id, i])) as Record<OutcomeId, number>;

/**
 * Priority ranks 1..n as priorityRanks gives them (by tier, then score highest first, ties in file
 * order), from a count per tier and score: scores are rounded (to 0.1), so at most ~1,000 counts
 * per tier whatever the number of lines. The second pass asks for each row's rank in file order.
 */
class Ranks {
  private readonly counts: Array<Map<number, number>> = TIER_ORDER.map(() => new Map<number, number>());
  private readonly starts: Array<Map<number, number>> = [];
  private readonly offsets: number[] = [];

  /** The key a row sorts by within its tier: the score negated (highest first), no score as -1. */
  private static key(score: number | null): number {
    return -(score === null || score !== score ? -1 : score);
  }
  add(tier: number, score: number | null): void {
    const counts = this.counts[tier] as Map<number, number>;
    const key = Ranks.key(score);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  /** After every add: where each score's run starts in its tier; next() then counts the run off. */
  close(): void {
    let offset = 0;
    for (const counts of this.counts) {
      this.offsets.push(offset);
      const starts = new Map<number, number>();
      let at = 0;
      for (const key of [...counts.keys()].sort((a, b) => a - b)) {
        starts.set(key, at);
        at += counts.get(key) as number;
      }
      this.starts.push(starts);
      offset += at;
    }
  }
  next(tier: number, score: number | null): number {
    const starts = this.starts[tier] as Map<number, number>;
    const key = Ranks.key(score);
    const start = starts.get(key) as number;
    starts.set(key, start + 1);
    return (this.offsets[tier] as number) + start + 1;
  }
}

/**
 * The scoring pass's output: text written to a scratch file, with a hole where each line's priority
 * rank goes. The holes' file holds, per hole, the line's score and its tier × 2^32 + the bytes
 * written since the hole before (see fillRanks).
 */
class TextWithHoles {
  private readonly buffer = Buffer.allocUnsafe(1 << 20);
  private used = 0;
  private sinceHole = 0;

  constructor(
    private readonly fd: number,
    private readonly holes: NumberSpill,
  ) {}

  text(text: string): void {
    // A UTF-16 code unit is at most 3 bytes of UTF-8: the text fits whole, or goes on its own.
    if (text.length * 3 > this.buffer.length - this.used) {
      this.flush();
      if (text.length * 3 > this.buffer.length) {
        const bytes = Buffer.from(text);
        fs.writeSync(this.fd, bytes);
        this.sinceHole += bytes.length;
        return;
      }
    }
    const written = this.buffer.write(text, this.used);
    this.used += written;
    this.sinceHole += written;
  }

  /** A whole line with its hole at character `holeAt`: one write for the line. */
  lineWithHole(line: string, holeAt: number, tier: number, score: number | null): void {
    if (line.length * 3 > this.buffer.length - this.used) {
      // Long lines (or a full buffer) take the general way.
      this.text(line.slice(0, holeAt));
      this.hole(tier, score);
      this.text(line.slice(holeAt));
      return;
    }
    const written = this.buffer.write(line, this.used);
    // In bytes, the hole is where it is in characters when the line is ASCII, as most are.
    const before = written === line.length ? holeAt : Buffer.byteLength(line.slice(0, holeAt));
    this.used += written;
    this.sinceHole += before;
    this.hole(tier, score);
    this.sinceHole = written - before;
  }

  hole(tier: number, score: number | null): void {
    if (this.sinceHole >= 2 ** 32) throw new Error('more than 4 GB between two scored lines');
    this.holes.push(score ?? NaN);
    this.holes.push(tier * 2 ** 32 + this.sinceHole);
    this.sinceHole = 0;
  }

  flush(): void {
    if (this.used > 0) fs.writeSync(this.fd, this.buffer, 0, this.used);
    this.used = 0;
  }
}

/**
 * The rank pass: copies the scored text to `target`, writing each line's priority rank into its
 * hole. Plain byte copies in 1 MB blocks; the holes' scratch file says where each rank goes.
 */
function fillRanks(bodyFile: string, holes: NumberSpill, ranks: Ranks, format: string | undefined, target: string): void {
  const from = fs.openSync(bodyFile, 'r');
  const to = fs.openSync(target, 'w');
  const input = Buffer.allocUnsafe(1 << 20);
  const output = Buffer.allocUnsafe(1 << 20);
  let have = 0;
  let at = 0;
  let used = 0;
  const flush = (): void => {
    if (used > 0) fs.writeSync(to, output, 0, used);
    used = 0;
  };
  /** Copies `bytes` from the text (all of the rest for Infinity). */
  const copy = (bytes: number): void => {
    while (bytes > 0) {
      if (at === have) {
        have = fs.readSync(from, input, 0, input.length, null);
        at = 0;
        if (have === 0) {
          if (bytes === Infinity) return;
          throw new Error(`${bodyFile} ended before its last rank`);
        }
      }
      const n = Math.min(bytes, have - at, output.length - used);
      input.copy(output, used, at, at + n);
      at += n;
      used += n;
      bytes -= n;
      if (used === output.length) flush();
    }
  };
  try {
    let score: number | undefined;
    for (const block of holes.blocks()) {
      for (const value of block) {
        if (score === undefined) {
          score = value;
          continue;
        }
        const tier = Math.floor(value / 2 ** 32);
        copy(value - tier * 2 ** 32);
        const rank = csvNumber(ranks.next(tier, score === score ? score : null), format);
        if (used + rank.length > output.length) flush();
        used += output.write(rank, used, 'latin1');
        score = undefined;
      }
    }
    copy(Infinity);
    flush();
  } finally {
    fs.closeSync(from);
    fs.closeSync(to);
  }
}

/** A progress line on a terminal for runs that last (stderr, rewritten in place, cleared at the end). */
function progressLine(
  pack: CliPack,
  totalBytes: number,
): { step: (step: 'reading' | 'scoring' | 'writing') => void; bytes: (n: number) => void; lines: (n: number) => void; done: () => void } {
  const tty = process.stderr.isTTY === true;
  const started = Date.now();
  let step: 'reading' | 'scoring' | 'writing' = 'reading';
  let bytes = 0;
  let lines = 0;
  let shown = false;
  let last = 0;
  const show = (): void => {
    const now = Date.now();
    if (!tty || now - started < 1500 || now - last < 200) return;
    last = now;
    shown = true;
    const percent = totalBytes > 0 ? Math.min(100, Math.floor((100 * bytes) / totalBytes)) : 100;
    process.stderr.write(`\r${pack.csvProgress({ step, lines, percent })}\u001b[K`);
  };
  return {
    step: (s) => {
      step = s;
      bytes = 0;
      lines = 0;
    },
    bytes: (n) => {
      bytes += n;
      show();
    },
    lines: (n) => {
      lines += n;
    },
    done: () => {
      if (shown) process.stderr.write('\r\u001b[K');
    },
  };
}

export interface CsvScoreRun {
  options: ScoreOptions;
  pack: CliPack;
  io: Output;
  rules: RuleSet;
  rulesSource: string;
  warnings: readonly string[];
  outPath: string;
  /** Header matching shared with the workbook path (score.ts), so both say the same. */
  parseMapping: (pairs: readonly string[], rules: RuleSet, pack: CliPack) => Record<string, string>;
}

/** Scores a CSV file, streamed, and writes NAME.kam.csv (or --out); says what it did as the in-memory path did. */
export async function scoreCsvStreamed(run: CsvScoreRun): Promise<number> {
  const { options, pack, io, outPath, warnings } = run;
  const { input, lang } = options;
  let { rules } = run;
  const rulesSource = run.rulesSource;
  sayOnInterrupt((signal) => pack.interrupted({ signal }));
  for (const w of warnings) io.err(w);
  const progress = progressLine(pack, fs.statSync(input).size);

  const mapping = run.parseMapping(options.map, rules, pack);
  const fields = inputFields(rules);

  // The head: headers, earlier results, column matching.
  let head: CsvHead | undefined;
  await pass(
    input,
    pack,
    () => undefined,
    (h) => ((head = h), undefined),
    () => (r) => ({ record: r, blank: false }),
  );
  const h = head as unknown as CsvHead;
  const table = { rowKind: 'line' as const, headers: h.headers, rows: [], width: h.width };
  const earlier = earlierColumns(table);
  const earlierPositions = [...earlier.values()];
  let derived: Record<string, DerivedColumn> = {};
  const matchable: CellValue[] = h.headers.map((x, i) => (earlierPositions.includes(i) ? '' : x));
  const matching = matchColumns(matchable, fields, mapping);
  const quotedHeaders =
    h.headers
      .filter((x) => x !== '')
      .map((x) => `"${x}"`)
      .join(', ') || '(none)';
  const bad = matching.badMappings[0];
  if (bad) throw new InputError(pack.badMappingHeader({ file: input, field: bad.field, header: bad.header, headers: quotedHeaders }));
  const ambiguous = matching.ambiguous.find((a) => a.field !== 'account');
  if (ambiguous) {
    const list = ambiguous.headers.map((x) => `"${x}"`).join(', ');
    throw new InputError(pack.ambiguousColumns({ file: input, field: ambiguous.field, headers: list }), 'kam score');
  }
  const periodic = matchPeriodColumns(matchable, rules, matching.matches);
  Object.assign(matching.matches, periodic.matches);
  derived = periodic.derived;
  const matches = matching.matches;
  const accountColumn = matches.account?.column;

  // Rows as the in-memory reader classed them, kept lines of an earlier run rejected again.
  const classify = (hd: CsvHead) => {
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
        // Malformed lines that an earlier kam run kept: their text in the first cell, every other input cell blank.
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
  const cellAt = (line: Line, column: number): CellValue => (line.rejected ? null : (line.record.fields[column] ?? null));

  if (!rules.criteria.some((c) => matches[c.id] || derived[c.id])) {
    const expected = rules.criteria.map((c) => `${c.id} ("${c.label.en}", "${c.label.zh}", …)`).join(', ');
    let hint = '';
    if (accountColumn !== undefined) {
      // Only on this error: the account names of every row, for the order-lines hint.
      const names: CellValue[] = [];
      await pass(
        input,
        pack,
        () => undefined,
        () => (lines) => lines.forEach((l) => names.push(l.blank ? null : cellAt(l, accountColumn))),
        classify,
      );
      const repeats = repeatedAccounts(names);
      if (repeats) hint = `\n${pack.looksLikeOrderLines({ lines: repeats.lines, accounts: repeats.accounts, file: input })}`;
    }
    throw new InputError(`${pack.noCriterionColumns({ file: input, headers: quotedHeaders, expected })}${hint}`);
  }

  const matched = rules.criteria.filter((c) => matches[c.id] || derived[c.id]);
  const sourceOf = (id: string): number => (matches[id] as { column: number }).column;
  const kernelValue = (line: Line, id: string): CellValue => {
    const d = derived[id];
    return d
      ? deriveValue(
          d.kind,
          d.columns.map((col) => cellAt(line, col)),
        )
      : cellAt(line, sourceOf(id));
  };

  const ready = readiness(
    rules,
    matched.map((c) => c.id),
  );
  const notes: string[] = [];
  const rulesBefore = rules;
  const labelList = (ids: readonly string[]): string => pack.list(ids.map((id) => criterionLabel(rules, id, lang)));
  if (options.scorePresent && ready.absent.length > 0) {
    const reduced = rulesForPresent(
      rules,
      matched.map((c) => c.id),
    );
    if (reduced) {
      notes.push(pack.scoredOnPresent({ absent: labelList(ready.absent), share: ready.absentShare, kept: pack.list(reduced.criteria.map((c) => `${c.label[lang]} ${c.weight}`)) }));
      rules = { ...reduced, name: pack.reducedRulesName({ name: rules.name }) };
    }
  } else if (ready.absent.length > 0) {
    notes.push(pack.absentColumns({ list: labelList(ready.absent), share: ready.absentShare }));
    if (ready.allInsufficient) notes.push(pack.allInsufficient({ required: ready.absentRequired.length > 0 ? labelList(ready.absentRequired) : null }));
  }

  // Relations are matched over the whole file: with --contacts or --needs the account names are kept.
  const found = relationsFromFiles(options, pack);
  const withRelations = found.contacts !== null || found.needs !== null;

  // Per-line data of the whole file (ranks, amounts, name hashes) goes to scratch files beside the
  // output, not into memory; the folder goes at the end, and on Ctrl-C.
  let scratch: ScratchFolder;
  try {
    scratch = new ScratchFolder(outPath);
  } catch (error) {
    // The output's folder is missing or read-only: said before any line is read.
    throw new InputError(pack.writeFailed({ file: outPath, detail: describeError(error) }));
  }
  try {
    const currencyAt = matches[CURRENCY_FIELD]?.column;
    /** Accounts whose amounts were converted, by the currency they were in. */
    const convertedFrom = new Map<string, number>();
    const accountNames: CellValue[] = [];
    /** The line of each account name kept (with --contacts/--needs, which keep the names anyway). */
    const accountLines: number[] = [];

    /** Each distinct flag text made once: rows with the same rowFlagsKey have the same flags. */
    const flagTexts = new Map<string, string>();
    let flagTextRules: RuleSet | undefined;
    const flagTextOf = (result: BatchResult, k: number, scoringRules: RuleSet): string => {
      if (scoringRules !== flagTextRules || flagTexts.size > 10_000) {
        flagTexts.clear();
        flagTextRules = scoringRules;
      }
      const key = rowFlagsKey(result, k);
      let text = key === undefined ? undefined : flagTexts.get(key);
      if (text === undefined) {
        text = flagsText(rowFlags(result, k), lang, scoringRules);
        if (key !== undefined) flagTexts.set(key, text);
      }
      return text;
    };

    /** Scores a chunk's lines: per non-blank line, its outcome, score and flags (the reason for a rejected line). */
    const scoreLines = (lines: readonly Line[], scoringRules: RuleSet) => {
      const scored: Line[] = [];
      for (const l of lines) if (!l.blank && !l.rejected) scored.push(l);
      const columns: Record<string, CellValue[]> = {};
      for (const c of matched) {
        // A column read as it is (the common case) without going through kernelValue per cell.
        const at = derived[c.id] ? undefined : sourceOf(c.id);
        columns[c.id] = at === undefined ? scored.map((l) => kernelValue(l, c.id)) : scored.map((l) => l.record.fields[at] ?? null);
      }
      // With a rule-set currency, each account's currency cell says what its amounts are in.
      const currency = currencyAt === undefined ? {} : { currency: scored.map((l) => cellAt(l, currencyAt)) };
      // The coerced (and converted) inputs are kept: the amounts for the scale hint and --calibrate.
      const result = scoreColumns({ rowCount: scored.length, columns, ...currency }, scoringRules, { absent: ready.absent, keepValues: true });
      const out = {
        outcomes: [] as OutcomeId[],
        scores: [] as Array<number | null>,
        flags: [] as string[],
        problem: [] as boolean[],
        result,
        input: { columns, currency: currency.currency },
      };
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
        out.flags.push(plain ? '' : flagTextOf(result, k, scoringRules));
        out.problem.push(result.problems.has(k));
        k++;
      }
      return out;
    };

    /** The amounts calibration reads, one scratch file per criterion: positive values only, as suggestCalibration takes them. */
    const amountFiles = (scoringRules: RuleSet) => {
      const compiled = compileRules(scoringRules).criteria;
      return calibrationCriteria(scoringRules)
        .filter((id) => matched.some((c) => c.id === id))
        .map((id) => ({ id, index: compiled.findIndex((c) => c.id === id), width: compiled.length, spill: new NumberSpill(scratch.file('amounts')) }));
    };
    /** Accounts that calibration and the scale hint left out: an amount without a usable currency. */
    let calibrationLeftOut = 0;
    const keepAmounts = (files: ReturnType<typeof amountFiles>, verdicts: ReturnType<typeof scoreLines>, scoringRules: RuleSet): void => {
      if (files.length === 0) return;
      if (scoringRules.currency !== undefined) {
        // Amounts converted to the rule set's currency as scoring converts them (the engine's calibrationAmounts).
        const part = calibrationAmounts(verdicts.input.columns, scoringRules, verdicts.input.currency);
        for (const f of files) for (const v of part.columns[f.id] ?? []) f.spill.push(v);
        calibrationLeftOut += part.leftOut;
        return;
      }
      // One currency: the kernel's coerced inputs are the amounts.
      const values = verdicts.result.values;
      if (!values) return;
      for (const f of files) {
        for (let at = f.index; at < values.length; at += f.width) {
          const v = values[at] as number;
          if (v > 0) f.spill.push(v);
        }
      }
    };
    /** Each criterion's P-th percentile from its scratch file, as percentile() gives it over the sorted values. */
    const percentilesOf = (files: ReturnType<typeof amountFiles>, p: number): Record<string, AmountPercentile> => {
      const taken: Record<string, AmountPercentile> = {};
      for (const f of files) {
        const count = f.spill.count;
        if (count > 0) taken[f.id] = { value: percentileAt(count, p, (rank) => orderStatistic(f.spill, rank)), count };
      }
      return taken;
    };

    // A first pass only when the written pass needs the whole file first: --calibrate (the rules it
    // scores with) or --contacts/--needs (the relations, matched over every account's name).
    if (options.calibrate || withRelations) {
      progress.step('reading');
      const amounts = options.calibrate ? amountFiles(rules) : [];
      await pass(
        input,
        pack,
        (n) => progress.bytes(n),
        () => (lines) => {
          progress.lines(lines.length);
          if (withRelations) {
            for (const l of lines) {
              if (l.blank) continue;
              accountNames.push(accountColumn === undefined ? null : cellAt(l, accountColumn));
              accountLines.push(l.record.line);
            }
          }
          if (amounts.length > 0) keepAmounts(amounts, scoreLines(lines, rules), rules);
        },
        classify,
      );
      if (options.calibrate) {
        const suggestions = suggestFromPercentiles(percentilesOf(amounts, 0.9), rules, 0.9);
        if (rules.currency !== undefined) notes.push(pack.calibrationCurrency({ into: rules.currency, leftOut: calibrationLeftOut }));
        for (const s of suggestions) notes.push(pack.calibrated({ field: criterionLabel(rules, s.criterion, lang), from: s.current, to: s.suggested, count: s.basis.values }));
        if (suggestions.length > 0) rules = applyCalibration(rules, suggestions);
      }
    }
    const rulesChanged = rules !== rulesBefore;

    // Relations over the whole file (only with --contacts / --needs).
    const noRelations: MatchedRelations = { hasContacts: false, hasNeeds: false, coverage: [], needs: [], unmatchedAccounts: [], problems: [] };
    const relations = withRelations ? matchRelations(accountNames, found.contacts?.table ?? null, found.needs?.table ?? null, rules) : noRelations;
    const strengthColumn = matches[STRENGTH_FIELD]?.column;

    // The scoring pass: each line scored once and written, with a hole where its priority rank goes
    // (the ranks need the whole file's scores); the rank pass then copies the text and fills them in.
    const counts = Object.fromEntries(OUTCOME_IDS.map((id) => [id, 0])) as Record<OutcomeId, number>;
    const ranks = new Ranks();
    const outcomeCodes: Uint8Array[] = [];
    const unreadable = { count: 0, first: [] as Array<{ number: number; account: string; text: string }> };
    const malformed: Array<{ number: number; text: string }> = [];
    let reportCount = 0;
    let blankCount = 0;
    const hintAmounts = options.calibrate ? [] : amountFiles(rules);
    // Distinct account names, counted from 53-bit hashes spread over files of ~32 MB of input each.
    const names = accountColumn === undefined ? undefined : new DistinctCounter(scratch, Math.ceil(fs.statSync(input).size / (32 << 20)), 2 ** 53);
    /** Per non-blank line: its score (NaN for none), then its tier × 2^32 + the bytes written since the previous hole. */
    const holes = new NumberSpill(scratch.file('ranks'));
    const bodyFile = scratch.file('body');
    const body = fs.openSync(bodyFile, 'w');
    const scoredText = new TextWithHoles(body, holes);
    let rankFormat: string | undefined;
    let reportRow = 0;
    try {
      progress.step('scoring');
      /** The output's columns: the report's where an earlier run put them, else after the data; stale earlier ones emptied. */
      const layout = (keys: readonly string[], hd: CsvHead) => {
        let next = hd.width;
        const positions = new Map<string, number>();
        for (const key of keys) positions.set(key, earlier.get(key as never) ?? next++);
        const stale = [...earlier].filter(([key]) => !keys.includes(key)).map(([, p]) => p);
        const width = Math.max(hd.width, ...[...positions.values()].map((p) => p + 1), ...stale.map((p) => p + 1));
        return { keys: [...keys], positions, width, stale };
      };
      const fill = (fields: readonly string[], width: number): string[] => Array.from({ length: width }, (_, i) => fields[i] ?? '');
      await pass(
        input,
        pack,
        (n) => progress.bytes(n),
        (hd) => {
          // The header, before any line: its columns do not depend on the lines (one report over zero rows).
          const headerColumns = reportColumns({
            rules,
            lang,
            verdicts: { outcomes: [], scores: [], flags: [] },
            accounts: [],
            relations,
            strength: strengthColumn === undefined ? null : [],
          });
          const lay = layout(
            headerColumns.map((c) => c.key),
            hd,
          );
          rankFormat = headerColumns.find((c) => c.key === 'priority')?.numberFormat;
          const priorityAt = lay.positions.get('priority');
          // No earlier results in the file: every result column goes after the data.
          const appendOnly = earlier.size === 0 && lay.width > hd.width;
          const headerCells = fill(hd.header.fields, lay.width);
          for (const c of headerColumns) headerCells[lay.positions.get(c.key) as number] = inertText(c.header);
          const leadingRows = hd.leading.map((r) => {
            const cells = fill(r.fields, lay.width);
            for (const p of lay.positions.values()) cells[p] = '';
            for (const p of lay.stale) cells[p] = '';
            return cells;
          });
          for (const p of lay.stale) headerCells[p] = inertText(h.headers[p] ?? '');
          const rows = [...leadingRows, headerCells];
          // UTF-8 with a byte-order mark (Excel reads the local code page otherwise); a sep= line goes first, without it.
          const start =
            hd.separatorLine !== undefined
              ? `${hd.separatorLine}\r\n${writeCsv(rows, { delimiter: hd.delimiter, bom: false })}`
              : writeCsv(rows, { delimiter: hd.delimiter, bom: true });
          scoredText.text(start);
          const delimiter = hd.delimiter;
          const resultFields = new Map<string, string>();
          const numberFields = new Map<string, Map<number, string>>();
          return (lines) => {
            progress.lines(lines.length);
            const verdicts = scoreLines(lines, rules);
            keepAmounts(hintAmounts, verdicts, rules);
            const nonBlank = lines.filter((l) => !l.blank);
            const from = reportRow;
            reportRow += nonBlank.length;
            const report: ReportInput = {
              rules,
              lang,
              verdicts: { outcomes: verdicts.outcomes, scores: verdicts.scores, flags: verdicts.flags },
              accounts: [],
              relations: withRelations
                ? {
                    hasContacts: relations.hasContacts,
                    hasNeeds: relations.hasNeeds,
                    coverage: relations.coverage.slice(from, reportRow),
                    needs: relations.needs.slice(from, reportRow),
                  }
                : null,
              strength: strengthColumn === undefined ? null : nonBlank.map((l) => readStrength(cellAt(l, strengthColumn))),
            };
            const columns = reportColumns(report, ['priority']);
            const codes = new Uint8Array(nonBlank.length);
            let k = 0;
            /** A result as its CSV field: a number with its format's decimals (never quoted), a text made inert and quoted if need be. */
            const fieldOf = (c: (typeof columns)[number], v: CellValue | undefined): string => {
              if (typeof v === 'number') {
                // Scores (to 0.1) and hours repeat: each number is formatted once per column.
                let numbers = numberFields.get(c.key);
                if (!numbers || numbers.size > 10_000) numberFields.set(c.key, (numbers = new Map<number, string>()));
                let field = numbers.get(v);
                if (field === undefined) numbers.set(v, (field = csvNumber(v, c.numberFormat)));
                return field;
              }
              if (v === null || v === undefined || v === '') return '';
              const text = String(v);
              let field = resultFields.get(text);
              if (field === undefined) {
                // Tier labels and most flags repeat: each is made into a field once.
                if (resultFields.size > 10_000) resultFields.clear();
                resultFields.set(text, (field = csvField(inertText(text), delimiter)));
              }
              return field;
            };
            // Where each result goes in a line; the other cells of those places (and stale ones) are emptied.
            const places = columns.map((c) => lay.positions.get(c.key) as number);
            const cleared = [...places, ...lay.stale, ...(priorityAt === undefined ? [] : [priorityAt])];
            const cells = new Array<string>(lay.width);
            // A line written as it was: what follows its data, place by place (a column's index, -1 empty, -2 the rank's hole).
            const tail: number[] = [];
            for (let i = hd.width; i < lay.width; i++) tail.push(i === priorityAt ? -2 : places.indexOf(i));
            for (const l of lines) {
              const record = l.record;
              /** This line's place among the chunk's non-blank lines (the verdicts' index). */
              const at = k;
              if (!l.blank) {
                const outcome = verdicts.outcomes[at] as OutcomeId;
                const tier = TIER_INDEX[outcome];
                codes[at] = tier;
                counts[outcome]++;
                ranks.add(tier, verdicts.scores[at] ?? null);
                if (l.rejected) malformed.push({ number: record.line, text: l.rejected });
                else if (verdicts.problem[at]) {
                  unreadable.count++;
                  if (unreadable.first.length < DETAIL_LIMIT) {
                    const cell = accountColumn === undefined ? null : cellAt(l, accountColumn);
                    unreadable.first.push({ number: record.line, account: cell === null ? '' : String(cell).trim(), text: verdicts.flags[at] ?? '' });
                  }
                }
                if (names && !l.rejected) {
                  const hash = wordHash(String(cellAt(l, accountColumn as number) ?? ''));
                  if (hash >= 0) names.add(hash);
                }
                k++;
              }
              let line: string;
              let holeAt = -1;
              if (appendOnly && !l.blank && !l.rejected && record.fields.length === hd.width && !record.text.includes('"')) {
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
              if (holeAt < 0) scoredText.text(line);
              else scoredText.lineWithHole(line, holeAt, codes[at] as number, verdicts.scores[at] ?? null);
            }
            reportCount += nonBlank.length;
            blankCount += lines.length - nonBlank.length;
            if (relations.hasContacts) outcomeCodes.push(codes);
            if (verdicts.result.conversion) for (const code of verdicts.result.conversion.code) if (code !== undefined) convertedFrom.set(code, (convertedFrom.get(code) ?? 0) + 1);
          };
        },
        classify,
      );
    } catch (error) {
      if (error instanceof InputError) throw error;
      throw new InputError(pack.writeFailed({ file: outPath, detail: describeError(error) }));
    } finally {
      scoredText.flush();
      fs.closeSync(body);
    }

    if (!options.calibrate) {
      const hints = scaleHintsFromPercentiles(percentilesOf(hintAmounts, 0.9), rules);
      if (rules.currency !== undefined && (hints.length > 0 || calibrationLeftOut > 0)) notes.push(pack.calibrationCurrency({ into: rules.currency, leftOut: calibrationLeftOut }));
      for (const x of hints) notes.push(pack.scaleHint({ field: criterionLabel(rules, x.criterion, lang), target: x.target, p90: x.p90 }));
    }
    if (rules.currency !== undefined && convertedFrom.size > 0) notes.push(convertedNote(rules, convertedFrom, pack));
    const portfolio = portfolioWarnings(counts, rules).map((m) => formatMessage(m, lang, (id, l) => criterionLabel(rules, id, l)));

    // Hours and cuts depend on the tiers alone: the plan's totals come from the counts.
    const plan = capacityTotals(counts, options.capacity ?? Infinity, rules);
    // Senior visits need each row's coverage and outcome: only with a contacts table, whose names are kept anyway.
    let visits: Array<{ account: string }> = [];
    if (relations.hasContacts) {
      const outcomes: OutcomeId[] = [];
      for (const codes of outcomeCodes) for (const c of codes) outcomes.push(TIER_ORDER[c] as OutcomeId);
      // A row without a name is named by its line, as the pane names it by its row.
      const accounts = accountNames.map((v, k) => (isBlankCell(v) ? `#${accountLines[k]}` : String(v).trim()));
      visits = seniorVisits({ rules, lang, verdicts: { outcomes, scores: [], flags: [] }, accounts, relations });
    }
    outcomeCodes.length = 0;

    // The rank pass: the scored text copied to the output with every priority rank in its hole.
    ranks.close();
    const existed = fs.existsSync(outPath);
    try {
      progress.step('writing');
      await writeAtomically(outPath, (temp) => fillRanks(bodyFile, holes, ranks, rankFormat, temp));
      // A CSV has no rules sheet: a changed rule set goes beside it, for --rules next time.
      if (rulesChanged) {
        const rulesPath = `${outPath.replace(/\.[^./\\]+$/, '')}.rules.json`;
        await writeAtomically(rulesPath, (temp) => fs.writeFileSync(temp, `${JSON.stringify(rules, null, 2)}\n`));
        notes.push(pack.rulesSavedBeside({ file: rulesPath }));
      }
    } catch (error) {
      if (error instanceof InputError) throw error;
      throw new InputError(pack.writeFailed({ file: outPath, detail: describeError(error) }));
    } finally {
      progress.done();
    }

    // The summary, as the in-memory path said it.
    const ref = (number: number): string => pack.rowRef({ kind: 'line', number });
    const { used, missing } = columnsUsed({ matches, derived }, { rules, resolved: rulesBefore }, pack, lang);

    io.out(pack.scoredHeading({ count: reportCount, file: input, sheet: null }));
    io.out(pack.rulesFrom({ name: rules.name, source: rulesSource }));
    io.out(pack.columnsUsed({ list: pack.list(used) }));
    if (missing.length > 0 && notes.length === 0) io.out(pack.columnsMissing({ list: pack.list(missing) }));
    for (const note of notes) io.out(note);
    if (names) {
      const named = names.count();
      const repeats = orderLinesVerdict(named.values, named.distinct);
      if (repeats) io.out(pack.looksLikeOrderLines({ lines: repeats.lines, accounts: repeats.accounts, file: input }));
    }
    printRunSummary(io.out, pack, {
      rules,
      lang,
      counts,
      warnings: portfolio,
      found,
      unmatchedAccounts: relations.unmatchedAccounts,
      plan,
      capacity: options.capacity ?? null,
      visits,
      csv: true,
    });
    const unreadableRefs = unreadable.first.slice(0, LIST_LIMIT).map((u) => ref(u.number));
    if (unreadable.count > LIST_LIMIT) unreadableRefs.push(pack.moreRows({ count: unreadable.count - LIST_LIMIT }));
    io.out(pack.unreadableRows({ count: unreadable.count, where: pack.list(unreadableRefs) }));
    io.out(
      pack.malformedLines({
        count: malformed.length,
        where: limited(
          malformed.map((m) => ref(m.number)),
          LIST_LIMIT,
          pack,
        ),
      }),
    );
    if (blankCount > 0) io.out(pack.blankRows({ count: blankCount }));

    if (malformed.length > 0) {
      io.err(pack.stderrMalformed({ count: malformed.length, file: input }));
      for (const m of malformed) io.err(`  ${m.text}`);
    }
    if (unreadable.count > 0) {
      io.err(pack.stderrUnreadable({ count: unreadable.count }));
      for (const u of unreadable.first) io.err(`  ${pack.rowDetail({ ref: ref(u.number), account: u.account, text: u.text })}`);
      if (unreadable.count > DETAIL_LIMIT) io.err(`  ${pack.moreRows({ count: unreadable.count - DETAIL_LIMIT })}`);
    }
    printRunEnd(io, pack, { problems: relations.problems, rules, lang, outPath, existed });
    return 0;
  } finally {
    scratch.remove();
  }
}
