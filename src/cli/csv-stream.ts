/**
 * `kam score` on a CSV file, streamed: memory does not grow with the number of lines.
 *
 * The file is read in chunks by the engine's CsvReader, twice. The first pass keeps only what the
 * summary and the whole-file columns need, in typed arrays or counters (the currency values the
 * scale hint and --calibrate look at, a count per tier and score for the priority rank, a hash per
 * account name for the order-lines hint); the second pass scores each chunk again and writes it
 * at once to a temporary file beside the output, renamed over it at the end. A third pass scores
 * only when --calibrate changed the rules after the first. With --contacts or --needs the account
 * names of all rows are kept too, since the relations are matched over the whole file.
 */
import * as fs from 'node:fs';
import { TextDecoder } from 'node:util';
import {
  applyCalibration,
  calibrationAmounts,
  CsvReader,
  criterionLabel,
  deriveValue,
  flagsText,
  formatMessage,
  isBlankCell,
  LABEL_PACKS,
  LANGUAGES,
  matchColumns,
  matchPeriodColumns,
  normalizeWord,
  OUTCOME_IDS,
  parseCsv,
  portfolioWarnings,
  readiness,
  repeatedAccounts,
  rowFlags,
  rulesForPresent,
  scaleHints,
  scoreColumns,
  suggestCalibration,
  writeCsv,
  type CellValue,
  type CsvDelimiter,
  type CsvRecord,
  type DerivedColumn,
  type OutcomeId,
  type RuleSet,
  CURRENCY_FIELD,
} from '../engine';
import { compileRules } from '../engine/compile';
import { capacityOf, matchRelations, readStrength, reportColumns, seniorVisits, STRENGTH_FIELD, STRENGTH_LABEL, type MatchedRelations, type ReportInput, type RowVerdicts } from '../engine/report';
import { orderLinesVerdict } from '../engine/rollup';
import { csvNumber, detectEncoding, inertText } from './csv-file';
import { describeError, InputError, sayOnInterrupt, writeAtomically } from './files';
import type { CliPack } from './messages';
import { DETAIL_LIMIT, limited, LIST_LIMIT, printRunEnd, printRunSummary } from './run-summary';
import { relationsFromFiles } from './relations';
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

async function pass(file: string, pack: CliPack, onBytes: (bytes: number) => void, onHead: (head: CsvHead) => LinesHandler | undefined, classify: (head: CsvHead) => (r: CsvRecord) => Line): Promise<void> {
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

/** Whether writeCsv quotes a field (a row wider than one field, not the file's first). */
const needsQuotes = (field: string, delimiter: CsvDelimiter): boolean => field.includes(delimiter) || field.includes('"') || field.includes('\n') || field.includes('\r');

/** A growable column of numbers. */
class Numbers {
  private static readonly BLOCK = 1 << 16;
  private readonly blocks: Float64Array[] = [];
  private last = new Float64Array(0);
  private used = 0;
  length = 0;
  /** Appended in fixed blocks: no doubling, no copy while the column grows. */
  push(v: number): void {
    if (this.used === this.last.length) {
      this.last = new Float64Array(Numbers.BLOCK);
      this.blocks.push(this.last);
      this.used = 0;
    }
    this.last[this.used++] = v;
    this.length++;
  }
  /** Every value in one array; the blocks are let go. */
  take(): Float64Array {
    const all = new Float64Array(this.length);
    let at = 0;
    for (const block of this.blocks) {
      const part = block.subarray(0, Math.min(block.length, this.length - at));
      all.set(part, at);
      at += part.length;
    }
    this.blocks.length = 0;
    this.last = new Float64Array(0);
    return all;
  }
  at(index: number): number {
    return (this.blocks[Math.floor(index / Numbers.BLOCK)] as Float64Array)[index % Numbers.BLOCK] as number;
  }
}

/** A 53-bit hash of a text (two 32-bit FNV-1a halves): distinct names counted without keeping them. */
function hash53(text: string): number {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
  }
  return (a >>> 0) * 0x200000 + ((b >>> 0) & 0x1fffff);
}

/** Priority order of the tiers (plan.ts: Strategic first … invalid last). */
const TIER_ORDER: readonly OutcomeId[] = ['strategic', 'key', 'develop', 'maintain', 'insufficient', 'excluded', 'invalid'];

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

/** A progress line on a terminal for runs that last (stderr, rewritten in place, cleared at the end). */
function progressLine(pack: CliPack, totalBytes: number): { step: (step: 'reading' | 'scoring' | 'writing') => void; bytes: (n: number) => void; lines: (n: number) => void; done: () => void } {
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
  await pass(input, pack, () => undefined, (h) => ((head = h), undefined), () => (r) => ({ record: r, blank: false }));
  const h = head as unknown as CsvHead;
  const table = { rowKind: 'line' as const, headers: h.headers, rows: [], width: h.width };
  const earlier = earlierColumns(table);
  const earlierPositions = [...earlier.values()];
  let derived: Record<string, DerivedColumn> = {};
  const matchable: CellValue[] = h.headers.map((x, i) => (earlierPositions.includes(i) ? '' : x));
  const matching = matchColumns(matchable, fields, mapping);
  const quotedHeaders = h.headers.filter((x) => x !== '').map((x) => `"${x}"`).join(', ') || '(none)';
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
      await pass(input, pack, () => undefined, () => (lines) => lines.forEach((l) => names.push(l.blank ? null : cellAt(l, accountColumn))), classify);
      const repeats = repeatedAccounts(names);
      if (repeats) hint = `\n${pack.looksLikeOrderLines({ lines: repeats.lines, accounts: repeats.accounts, file: input })}`;
    }
    throw new InputError(`${pack.noCriterionColumns({ file: input, headers: quotedHeaders, expected })}${hint}`);
  }

  const matched = rules.criteria.filter((c) => matches[c.id] || derived[c.id]);
  const sourceOf = (id: string): number => (matches[id] as { column: number }).column;
  const kernelValue = (line: Line, id: string): CellValue => {
    const d = derived[id];
    return d ? deriveValue(d.kind, d.columns.map((col) => cellAt(line, col))) : cellAt(line, sourceOf(id));
  };

  const ready = readiness(rules, matched.map((c) => c.id));
  const notes: string[] = [];
  const rulesBefore = rules;
  const labelList = (ids: readonly string[]): string => pack.list(ids.map((id) => criterionLabel(rules, id, lang)));
  if (options.scorePresent && ready.absent.length > 0) {
    const reduced = rulesForPresent(rules, matched.map((c) => c.id));
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

  // What the first pass keeps.
  const currency = matched.filter((c) => rules.criteria.some((r) => r.id === c.id && r.unit === 'currency'));
  const currencySpecs = compileRules(rules).criteria.filter((c) => currency.some((x) => x.id === c.id));
  const currencyValues = new Map(currencySpecs.map((c) => [c.id, new Numbers()]));
  /** The currency column calibration converts amounts with (a rule set with a currency only), and the accounts it left out. */
  const rateColumn = rules.currency !== undefined ? matches[CURRENCY_FIELD]?.column : undefined;
  let calibrationLeftOut = 0;
  const accountHashes = new Numbers();
  const accountNames: CellValue[] = [];
  const accountLines = new Numbers();
  let reportCount = 0;
  let blankCount = 0;

  /** What the scoring pass keeps: counts, per-tier scores for the ranks, the first rows to name. */
  interface Tally {
    counts: Record<OutcomeId, number>;
    ranks: Ranks;
    outcomes: Uint8Array[];
    unreadable: { count: number; first: Array<{ number: number; account: string; text: string }> };
    malformed: Array<{ number: number; text: string }>;
  }
  const currencyAt = matches[CURRENCY_FIELD]?.column;
  /** Accounts whose amounts were converted, by the currency they were in (the tally pass counts them). */
  const convertedFrom = new Map<string, number>();
  const newTally = (): Tally => ({
    counts: Object.fromEntries(OUTCOME_IDS.map((id) => [id, 0])) as Record<OutcomeId, number>,
    ranks: new Ranks(),
    outcomes: [],
    unreadable: { count: 0, first: [] },
    malformed: [],
  });

  /** Scores a chunk's lines: per non-blank line, its outcome, score and flags (the reason for a rejected line). */
  const scoreLines = (lines: readonly Line[], scoringRules: RuleSet, allFlags = true): { outcomes: OutcomeId[]; scores: Array<number | null>; flags: string[]; problem: boolean[] } => {
    const scored: Line[] = [];
    for (const l of lines) if (!l.blank && !l.rejected) scored.push(l);
    const columns: Record<string, CellValue[]> = {};
    for (const c of matched) columns[c.id] = scored.map((l) => kernelValue(l, c.id));
    // With a rule-set currency, each account's currency cell says what its amounts are in.
    const currency = currencyAt === undefined ? {} : { currency: scored.map((l) => cellAt(l, currencyAt)) };
    const result = scoreColumns({ rowCount: scored.length, columns, ...currency }, scoringRules, { absent: ready.absent });
    if (!allFlags && result.conversion) for (const code of result.conversion.code) if (code !== undefined) convertedFrom.set(code, (convertedFrom.get(code) ?? 0) + 1);
    const out = { outcomes: [] as OutcomeId[], scores: [] as Array<number | null>, flags: [] as string[], problem: [] as boolean[] };
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
      // The first pass needs the flags of unreadable rows only (to name them); the written pass needs all.
      out.flags.push(plain || (!allFlags && !result.problems.has(k)) ? '' : flagsText(rowFlags(result, k), lang, scoringRules));
      out.problem.push(result.problems.has(k));
      k++;
    }
    return out;
  };
  const tallyLines = (tally: Tally, lines: readonly Line[], scoringRules: RuleSet): void => {
    const verdicts = scoreLines(lines, scoringRules, false);
    const codes = new Uint8Array(verdicts.outcomes.length);
    let k = 0;
    for (const l of lines) {
      if (l.blank) continue;
      const outcome = verdicts.outcomes[k] as OutcomeId;
      const tier = TIER_ORDER.indexOf(outcome);
      codes[k] = tier;
      tally.counts[outcome]++;
      tally.ranks.add(tier, verdicts.scores[k] ?? null);
      if (l.rejected) tally.malformed.push({ number: l.record.line, text: l.rejected });
      else if (verdicts.problem[k]) {
        tally.unreadable.count++;
        if (tally.unreadable.first.length < DETAIL_LIMIT) {
          const cell = accountColumn === undefined ? null : cellAt(l, accountColumn);
          tally.unreadable.first.push({ number: l.record.line, account: cell === null ? '' : String(cell).trim(), text: verdicts.flags[k] ?? '' });
        }
      }
      k++;
    }
    if (withRelations) tally.outcomes.push(codes);
  };

  // First pass: what the whole file says, and (unless --calibrate may change the rules) the scores.
  let tally = newTally();
  const scoreNow = !options.calibrate;
  progress.step('reading');
  await pass(
    input,
    pack,
    (n) => progress.bytes(n),
    () => (lines) => {
      progress.lines(lines.length);
      const amountLines: Line[] = [];
      for (const l of lines) {
        if (l.blank) {
          blankCount++;
          continue;
        }
        reportCount++;
        if (withRelations) {
          accountNames.push(accountColumn === undefined ? null : cellAt(l, accountColumn));
          accountLines.push(l.record.line);
        }
        if (l.rejected) continue;
        amountLines.push(l);
        if (accountColumn !== undefined) {
          const v = cellAt(l, accountColumn);
          const key = v === null ? '' : normalizeWord(String(v));
          if (key !== '') accountHashes.push(hash53(key));
        }
      }
      // The amounts calibration reads, converted to the rule set's currency as scoring converts them.
      if (currencySpecs.length > 0 && amountLines.length > 0) {
        const part = calibrationAmounts(
          Object.fromEntries(currencySpecs.map((spec) => [spec.id, amountLines.map((l) => kernelValue(l, spec.id))])),
          rules,
          rateColumn === undefined ? undefined : amountLines.map((l) => cellAt(l, rateColumn)),
        );
        for (const [id, values] of Object.entries(part.columns)) for (const v of values) currencyValues.get(id)?.push(v);
        calibrationLeftOut += part.leftOut;
      }
      if (scoreNow) tallyLines(tally, lines, rules);
    },
    classify,
  );

  const currencyColumns: Record<string, ArrayLike<CellValue>> = {};
  for (const [id, numbers] of currencyValues) currencyColumns[id] = numbers.take() as unknown as ArrayLike<CellValue>;
  const calibration = options.calibrate ? suggestCalibration(currencyColumns, rules) : [];
  const hints = options.calibrate ? [] : scaleHints(currencyColumns, rules);
  if (rules.currency !== undefined && (options.calibrate || hints.length > 0 || calibrationLeftOut > 0)) notes.push(pack.calibrationCurrency({ into: rules.currency, leftOut: calibrationLeftOut }));
  if (options.calibrate) {
    for (const s of calibration) notes.push(pack.calibrated({ field: criterionLabel(rules, s.criterion, lang), from: s.current, to: s.suggested, count: s.basis.values }));
    if (calibration.length > 0) rules = applyCalibration(rules, calibration);
    // The scores, with the rules as calibrated.
    tally = newTally();
    convertedFrom.clear();
    progress.step('scoring');
    await pass(input, pack, (n) => progress.bytes(n), () => (lines) => (progress.lines(lines.length), tallyLines(tally, lines, rules)), classify);
  } else {
    for (const x of hints) notes.push(pack.scaleHint({ field: criterionLabel(rules, x.criterion, lang), target: x.target, p90: x.p90 }));
  }
  currencyValues.clear();
  const rulesChanged = rules !== rulesBefore;
  if (rules.currency !== undefined && convertedFrom.size > 0) notes.push(convertedNote(rules, convertedFrom, pack));
  const counts = tally.counts;
  const portfolio = portfolioWarnings(counts, rules).map((m) => formatMessage(m, lang, (id, l) => criterionLabel(rules, id, l)));

  // Relations over the whole file (only with --contacts / --needs).
  const noRelations: MatchedRelations = { hasContacts: false, hasNeeds: false, coverage: [], needs: [], unmatchedAccounts: [], problems: [] };
  const relations = withRelations ? matchRelations(accountNames, found.contacts?.table ?? null, found.needs?.table ?? null, rules) : noRelations;
  const strengthColumn = matches[STRENGTH_FIELD]?.column;

  // Hours and cuts depend on the outcomes only: the plan is made from the counts, in tier order.
  // The rows in tier order, as a list that is computed, not held: the engine's plan reads it once.
  const total = OUTCOME_IDS.reduce((n, id) => n + counts[id], 0);
  const outcomeAt = (i: number): OutcomeId => {
    for (const id of OUTCOME_IDS) {
      if (i < counts[id]) return id;
      i -= counts[id];
    }
    return 'invalid';
  };
  const computed = <T>(at: (i: number) => T): T[] =>
    new Proxy([] as T[], { get: (target, key) => (key === 'length' ? total : typeof key === 'string' && /^\d+$/.test(key) ? at(Number(key)) : (Reflect.get(target, key) as unknown)) });
  const planInput: ReportInput = { rules, lang, verdicts: { outcomes: computed(outcomeAt), scores: computed(() => null), flags: [] }, accounts: [] };
  const plan = capacityOf(planInput, options.capacity ?? null);
  // Senior visits need each row's coverage and outcome: only with a contacts table, whose names are kept anyway.
  let visits: Array<{ account: string }> = [];
  if (relations.hasContacts) {
    const outcomes: OutcomeId[] = [];
    for (const codes of tally.outcomes) for (const c of codes) outcomes.push(TIER_ORDER[c] as OutcomeId);
    // A row without a name is named by its line, as the pane names it by its row.
    const accounts = accountNames.map((v, k) => (isBlankCell(v) ? `#${accountLines.at(k)}` : String(v).trim()));
    visits = seniorVisits({ rules, lang, verdicts: { outcomes, scores: [], flags: [] }, accounts, relations });
  }
  tally.outcomes = [];

  // Second pass: score each chunk again, place the report's columns, write.
  const ranks = tally.ranks;
  ranks.close();
  const existed = fs.existsSync(outPath);
  let reportRow = 0;
  let placed: { keys: string[]; positions: Map<string, number>; width: number; stale: number[] } | undefined;
  try {
    progress.step('writing');
    await writeAtomically(outPath, async (temp) => {
      const out = fs.createWriteStream(temp);
      const failed = new Promise<never>((_, reject) => out.on('error', reject));
      failed.catch(() => undefined);
      const write = async (text: string): Promise<void> => {
        if (!out.write(text)) await Promise.race([new Promise<void>((resolve) => out.once('drain', () => resolve())), failed]);
      };
      const columnsOf = (report: ReportInput) => reportColumns(report);
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
      const csvText = (rows: string[][], delimiter: CsvDelimiter): string => writeCsv([[], ...rows], { delimiter, bom: false }).slice(2);
      let opening: Promise<void> = Promise.resolve();
      try {
        await pass(
          input,
          pack,
          (n) => progress.bytes(n),
          (hd) => {
            // The header, before any line: its columns do not depend on the lines (one report over zero rows).
            const headerColumns = columnsOf({ rules, lang, verdicts: { outcomes: [], scores: [], flags: [] }, accounts: [], relations, strength: strengthColumn === undefined ? null : [] });
            placed = layout(
              headerColumns.map((c) => c.key),
              hd,
            );
            const lay = placed;
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
            const start = hd.separatorLine !== undefined ? `${hd.separatorLine}\r\n${writeCsv(rows, { delimiter: hd.delimiter, bom: false })}` : writeCsv(rows, { delimiter: hd.delimiter, bom: true });
            opening = write(start);
            return async (lines) => {
              await opening;
              progress.lines(lines.length);
              const verdicts = scoreLines(lines, rules);
              const nonBlank = lines.filter((l) => !l.blank);
              const from = reportRow;
              reportRow += nonBlank.length;
              const blockVerdicts: RowVerdicts = { outcomes: verdicts.outcomes, scores: verdicts.scores, flags: verdicts.flags };
              const report: ReportInput = {
                rules,
                lang,
                verdicts: blockVerdicts,
                accounts: [],
                relations: withRelations
                  ? { hasContacts: relations.hasContacts, hasNeeds: relations.hasNeeds, coverage: relations.coverage.slice(from, reportRow), needs: relations.needs.slice(from, reportRow) }
                  : null,
                strength: strengthColumn === undefined ? null : nonBlank.map((l) => readStrength(cellAt(l, strengthColumn))),
              };
              const columns = columnsOf(report);
              const priority = verdicts.outcomes.map((o, k) => ranks.next(TIER_ORDER.indexOf(o), verdicts.scores[k] ?? null));
              let text = '';
              let k = 0;
              const delimiter = hd.delimiter;
              const valueText = (c: (typeof columns)[number], v: CellValue | undefined): string =>
                typeof v === 'number' ? csvNumber(v, c.numberFormat) : v === null || v === undefined ? '' : inertText(String(v));
              for (const l of lines) {
                const record = l.record;
                if (appendOnly && !l.blank && !l.rejected && record.fields.length === hd.width && !record.text.includes('"')) {
                  // A line without quotes, as wide as the header: written as it was, the results after it (what writeCsv would give).
                  const tail = new Array<string>(lay.width - hd.width).fill('');
                  for (const c of columns) tail[(lay.positions.get(c.key) as number) - hd.width] = valueText(c, c.key === 'priority' ? priority[k] : c.values[k]);
                  text += `${record.text}${delimiter}${tail.map((t) => (needsQuotes(t, delimiter) ? `"${t.replace(/"/g, '""')}"` : t)).join(delimiter)}\r\n`;
                  k++;
                  continue;
                }
                const cells = fill(l.rejected ? [l.original ?? record.text] : record.fields, lay.width);
                for (const c of columns) cells[lay.positions.get(c.key) as number] = '';
                for (const p of lay.stale) cells[p] = '';
                if (!l.blank) {
                  for (const c of columns) cells[lay.positions.get(c.key) as number] = valueText(c, c.key === 'priority' ? priority[k] : c.values[k]);
                  k++;
                }
                text += csvText([cells], delimiter);
              }
              await write(text);
            };
          },
          classify,
        );
        await opening;
      } finally {
        await new Promise<void>((resolve) => out.end(resolve));
      }
      await Promise.race([Promise.resolve(), failed]);
    });
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
  const fieldName = (id: string): string => (id === 'account' ? pack.accountField() : id === STRENGTH_FIELD ? STRENGTH_LABEL[lang] : criterionLabel(rules, id, lang));
  const used = Object.entries(matches).map(([id, m]) => pack.columnFrom({ header: m.header, field: fieldName(id) }));
  const missing = rulesBefore.criteria.filter((c) => !matches[c.id] && !derived[c.id]).map((c) => c.label[lang]);
  for (const [id, d] of Object.entries(derived)) used.push(pack.columnDerived({ headers: d.headers.map((x) => `"${x}"`).join(d.kind === 'marginFromProfit' ? ' ÷ ' : ', '), field: fieldName(id) }));

  io.out(pack.scoredHeading({ count: reportCount, file: input, sheet: null }));
  io.out(pack.rulesFrom({ name: rules.name, source: rulesSource }));
  io.out(pack.columnsUsed({ list: pack.list(used) }));
  if (missing.length > 0 && notes.length === 0) io.out(pack.columnsMissing({ list: pack.list(missing) }));
  for (const note of notes) io.out(note);
  if (accountColumn !== undefined) {
    const hashes = accountHashes.take().sort();
    let distinct = 0;
    for (let i = 0; i < hashes.length; i++) if (i === 0 || hashes[i] !== hashes[i - 1]) distinct++;
    const repeats = orderLinesVerdict(hashes.length, distinct);
    if (repeats) io.out(pack.looksLikeOrderLines({ lines: repeats.lines, accounts: repeats.accounts, file: input }));
  }
  printRunSummary(io.out, pack, { rules, lang, counts, warnings: portfolio, found, unmatchedAccounts: relations.unmatchedAccounts, plan, capacity: options.capacity ?? null, visits, csv: true });
  const unreadable = tally.unreadable;
  const unreadableRefs = unreadable.first.slice(0, LIST_LIMIT).map((u) => ref(u.number));
  if (unreadable.count > LIST_LIMIT) unreadableRefs.push(pack.moreRows({ count: unreadable.count - LIST_LIMIT }));
  io.out(pack.unreadableRows({ count: unreadable.count, where: pack.list(unreadableRefs) }));
  io.out(pack.malformedLines({ count: tally.malformed.length, where: limited(tally.malformed.map((m) => ref(m.number)), LIST_LIMIT, pack) }));
  if (blankCount > 0) io.out(pack.blankRows({ count: blankCount }));

  if (tally.malformed.length > 0) {
    io.err(pack.stderrMalformed({ count: tally.malformed.length, file: input }));
    for (const m of tally.malformed) io.err(`  ${m.text}`);
  }
  if (unreadable.count > 0) {
    io.err(pack.stderrUnreadable({ count: unreadable.count }));
    for (const u of unreadable.first) io.err(`  ${pack.rowDetail({ ref: ref(u.number), account: u.account, text: u.text })}`);
    if (unreadable.count > DETAIL_LIMIT) io.err(`  ${pack.moreRows({ count: unreadable.count - DETAIL_LIMIT })}`);
  }
  printRunEnd(io, pack, { problems: relations.problems, rules, lang, outPath, existed });
  return 0;
}
