/**
 * `kam score` on a CSV file, streamed: memory does not grow with the number of lines.
 *
 * The file is read in chunks (csv-part.ts). The scoring pass scores each chunk once and writes it
 * to a scratch file, leaving a hole where each line's priority rank goes (a rank needs every line's
 * tier and score); the rank pass then copies the bytes to a temporary file beside the output,
 * filling the holes (csv-ranks.ts), and renames it over the output. Per-line data the summary needs
 * (amounts for the scale hint's P90, account-name hashes for the order-lines hint, the ranks' data)
 * goes to scratch files, not memory (scratch.ts).
 *
 * On a large UTF-8 file the scoring pass runs on two threads: a worker (csv-worker.ts) scores from
 * a line break near the middle, while this thread scores up to it; the worker's half is kept when
 * this thread's reader ends a record exactly there, and scored again here in order otherwise (a
 * quoted field across the middle, or a rejected line, whose message needs its line number).
 *
 * A first pass comes before the scoring pass only for --calibrate (the rules it scores with) and
 * --contacts/--needs (relations are matched over the whole file, so those keep every account name).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  applyCalibration,
  capacityTotals,
  criterionLabel,
  formatMessage,
  isBlankCell,
  matchColumns,
  matchPeriodColumns,
  portfolioWarnings,
  readiness,
  repeatedAccounts,
  rulesForPresent,
  scaleHintsFromPercentiles,
  suggestFromPercentiles,
  type CellValue,
  type DerivedColumn,
  type OutcomeId,
  type RuleSet,
} from '../engine';
import { matchRelations, seniorVisits } from '../engine/report';
import { orderLinesVerdict } from '../engine/rollup';
import { detectEncoding } from './csv-file';
import { AmountKeeper, cellAt, lineClassifier, NO_RELATIONS, lineScorer, pass, PartScorer, type CsvHead, type PartPlan, type ReadEnd } from './csv-part';
import { fillRanks, Ranks, TIER_ORDER, type CountedRanks, type ScoredText } from './csv-ranks';
import type { FillJob, FillOutput, WorkerInput, WorkerOutput } from './csv-worker';
import { describeError, InputError, sayOnInterrupt, writeAtomically } from './files';
import type { CliPack } from './messages';
import { DETAIL_LIMIT, limited, LIST_LIMIT, printRunEnd, printRunSummary } from './run-summary';
import { columnsUsed } from './pipeline/tell';
import { relationsFromFiles } from './relations';
import { ScratchFolder } from './scratch';
import { convertedNote, earlierColumns, inputFields } from './report';
import type { Output, ScoreOptions } from './score';

/** A progress line on a terminal for runs that last (stderr, rewritten in place, cleared at the end). */
function progressLine(
  pack: CliPack,
  totalBytes: number,
): {
  step: (step: 'reading' | 'scoring' | 'writing') => void;
  bytes: (n: number) => void;
  lines: (n: number) => void;
  /** Bytes and lines a worker thread has read, added to this thread's while it runs. */
  alsoFrom: (worker: Float64Array | undefined) => void;
  done: () => void;
} {
  const tty = process.stderr.isTTY === true;
  const started = Date.now();
  let step: 'reading' | 'scoring' | 'writing' = 'reading';
  let bytes = 0;
  let lines = 0;
  let shown = false;
  let last = 0;
  let worker: Float64Array | undefined;
  const show = (): void => {
    const now = Date.now();
    if (!tty || now - started < 1500 || now - last < 200) return;
    last = now;
    shown = true;
    const read = bytes + (worker?.[0] ?? 0);
    const percent = totalBytes > 0 ? Math.min(100, Math.floor((100 * read) / totalBytes)) : 100;
    process.stderr.write(`\r${pack.csvProgress({ step, lines: lines + (worker?.[1] ?? 0), percent })}\u001b[K`);
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
    alsoFrom: (w) => {
      worker = w;
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

/**
 * A second thread costs about a second of CPU to start and warm up, whatever the file: by default
 * only files from 32 MiB (~650,000 short lines) are split, where it pays on a machine with a free
 * core; KAM_THREADS=2 splits from 4 MiB, KAM_THREADS=1 never.
 */
const AUTO_SPLIT_BYTES = 32 << 20;
const MIN_SPLIT_BYTES = 4 << 20;
/** The worker runs compiled JavaScript (not TypeScript sources under a test runner). */
const WORKER_SCRIPT = path.join(__dirname, 'csv-worker.js');

/** Why the file is scored on one thread, when it is, before its head is read. */
function oneThreadWhy(size: number): string | undefined {
  const threads = process.env.KAM_THREADS;
  if (threads === '1') return 'KAM_THREADS=1';
  // On one processor a second thread would only add its start-up (KAM_THREADS=2 still splits, for tests).
  if (threads !== '2' && os.availableParallelism() < 2) return 'one processor';
  const from = threads === '2' ? MIN_SPLIT_BYTES : AUTO_SPLIT_BYTES;
  if (size < from) return `smaller than ${from} bytes`;
  if (!fs.existsSync(WORKER_SCRIPT)) return 'no compiled worker';
  return undefined;
}

/**
 * Where the second half of the file starts (just after the first line feed from the middle on),
 * or why the file is scored on one thread.
 */
async function splitPoint(file: string, size: number, oneThread: string | undefined, withRelations: boolean): Promise<{ at: number } | { why: string }> {
  if (oneThread !== undefined) return { why: oneThread };
  if (withRelations) return { why: 'relations are matched over the whole file' };
  const handle = await fs.promises.open(file, 'r');
  try {
    const start = Buffer.alloc(4096);
    await handle.read(start, 0, start.length, 0);
    if (detectEncoding(start) !== 'utf-8') return { why: 'not UTF-8' };
    const window = Buffer.alloc(1 << 20);
    const from = Math.floor(size / 2);
    const { bytesRead } = await handle.read(window, 0, window.length, from);
    const feed = window.subarray(0, bytesRead).indexOf(0x0a);
    if (feed < 0 || from + feed + 1 >= size) return { why: 'no line break near the middle' };
    return { at: from + feed + 1 };
  } finally {
    await handle.close();
  }
}

/**
 * A worker thread for the second half, started before the head is read so that it loads its
 * modules meanwhile: start() gives it its part and gets the part's result, fill() has it fill its
 * part's ranks into the output, stop() ends it (also when it is not needed). A worker that fails
 * answers with why, and the main thread does its work instead.
 */
function workerThread(): {
  start: (input: WorkerInput) => Promise<WorkerOutput>;
  fill: (job: FillJob) => Promise<FillOutput>;
  stop: () => Promise<void>;
} {
  const worker = new Worker(WORKER_SCRIPT);
  let waiting: ((answer: WorkerOutput | FillOutput) => void) | undefined;
  let failed: string | undefined;
  const answer = (message: WorkerOutput | FillOutput): void => {
    const resolve = waiting;
    waiting = undefined;
    resolve?.(message);
  };
  const fail = (why: string): void => {
    failed ??= why;
    answer({ redo: why });
  };
  worker.on('message', answer);
  worker.once('error', (error) => fail(`the worker failed: ${error.message}`));
  worker.once('exit', (code) => fail(`the worker exited with ${code}`));
  const ask = <T>(message: WorkerInput | FillJob): Promise<T | { redo: string }> =>
    new Promise((resolve) => {
      if (failed !== undefined) return resolve({ redo: failed });
      waiting = resolve as (answer: WorkerOutput | FillOutput) => void;
      worker.postMessage(message);
    });
  return {
    start: (input) => ask<WorkerOutput>(input),
    fill: (job) => ask<FillOutput>(job),
    stop: () => worker.terminate().then(() => undefined),
  };
}

/** Scores a CSV file, streamed, and writes NAME.kam.csv (or --out); says what it did as the in-memory path did. */
export async function scoreCsvStreamed(run: CsvScoreRun): Promise<number> {
  const { pack, io, warnings } = run;
  sayOnInterrupt((signal) => pack.interrupted({ signal }));
  for (const w of warnings) io.err(w);
  const size = fs.statSync(run.options.input).size;
  const progress = progressLine(pack, size);
  // Why the file stays on one thread whatever its head says, if it does (else a worker starts now).
  const oneThread = oneThreadWhy(size);
  const worker = oneThread === undefined ? workerThread() : undefined;
  try {
    return await scoreWith(run, run.rules, size, progress, oneThread, worker);
  } finally {
    await worker?.stop();
  }
}

/** The run, with a worker thread started if the file is large enough to be scored in two parts. */
async function scoreWith(
  run: CsvScoreRun,
  startRules: RuleSet,
  size: number,
  progress: ReturnType<typeof progressLine>,
  oneThread: string | undefined,
  worker: ReturnType<typeof workerThread> | undefined,
): Promise<number> {
  const { options, pack, io, outPath } = run;
  const { input, lang } = options;
  let rules = startRules;
  const rulesSource = run.rulesSource;
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
  const classify = lineClassifier(pack, earlier);

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
    const accountNames: CellValue[] = [];
    /** The line of each account name kept (with --contacts/--needs, which keep the names anyway). */
    const accountLines: number[] = [];
    const columns: Record<string, number> = {};
    for (const [field, match] of Object.entries(matches)) if (match) columns[field] = match.column;
    /** What scoring a part of the file needs, as plain data (a worker thread gets it too). */
    const planFor = (scoringRules: RuleSet): PartPlan => ({
      input,
      lang,
      rules: scoringRules,
      absent: ready.absent,
      matched: matched.map((c) => c.id),
      columns,
      derived,
      earlier: [...earlier],
      head: { delimiter: h.delimiter, width: h.width },
      hintAmounts: !options.calibrate,
      nameParts: Math.ceil(size / (32 << 20)),
    });

    // A first pass only when the written pass needs the whole file first: --calibrate (the rules it
    // scores with) or --contacts/--needs (the relations, matched over every account's name).
    if (options.calibrate || withRelations) {
      progress.step('reading');
      const scoreLines = lineScorer(planFor(rules));
      const amounts = options.calibrate
        ? new AmountKeeper(
            rules,
            matched.map((c) => c.id),
            scratch,
          )
        : undefined;
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
          amounts?.keep(scoreLines(lines, rules));
        },
        classify,
      );
      if (amounts) {
        const suggestions = suggestFromPercentiles(amounts.percentiles(0.9), rules, 0.9);
        if (rules.currency !== undefined) notes.push(pack.calibrationCurrency({ into: rules.currency, leftOut: amounts.leftOut }));
        for (const s of suggestions) notes.push(pack.calibrated({ field: criterionLabel(rules, s.criterion, lang), from: s.current, to: s.suggested, count: s.basis.values }));
        if (suggestions.length > 0) rules = applyCalibration(rules, suggestions);
      }
    }
    const rulesChanged = rules !== rulesBefore;

    // Relations over the whole file (only with --contacts / --needs).
    const relations = withRelations ? matchRelations(accountNames, found.contacts?.table ?? null, found.needs?.table ?? null, rules) : NO_RELATIONS;

    // The scoring pass: each line scored once and written, with a hole where its priority rank goes
    // (the ranks need the whole file's scores); the rank pass then copies the text and fills them in.
    const partPlan = planFor(rules);
    const part = new PartScorer(partPlan, scratch, withRelations ? relations : null);
    const scored: ScoredText[] = [part.scoredText()];
    const split = await splitPoint(input, size, oneThread, withRelations);
    let how: string;
    /** With the second part kept: the first part's ranks' counts (where the second part's ranks start). */
    let firstCounts: CountedRanks | undefined;
    try {
      progress.step('scoring');
      const workerProgress = 'at' in split ? new Float64Array(new SharedArrayBuffer(16)) : undefined;
      const second = 'at' in split ? worker?.start({ plan: partPlan, start: split.at, scratch: scratch.path, progress: workerProgress?.buffer as SharedArrayBuffer }) : undefined;
      if (!second) await worker?.stop();
      progress.alsoFrom(workerProgress);
      const handler = (lines: Parameters<PartScorer['score']>[0]): void => {
        progress.lines(lines.length);
        part.score(lines);
      };
      const first: ReadEnd = await pass(
        input,
        pack,
        (n) => progress.bytes(n),
        (hd) => (part.writeHead(hd), handler),
        classify,
        // A quoted field across the middle: the worker's half will not be kept, so it stops now.
        'at' in split ? { stopAt: split.at, onReadOn: () => void worker?.stop() } : {},
      );
      if ('why' in split) how = `one part (${split.why})`;
      else if (!first.boundary) how = `split at byte ${split.at} of ${size}: second part redone (${first.readOn ?? 'no record ends at the middle'})`;
      else {
        // The progress line goes on with the worker's lines while this thread waits for them.
        const ticking = setInterval(() => progress.bytes(0), 200);
        const output = (await second?.finally(() => clearInterval(ticking))) ?? { redo: 'no worker' };
        clearInterval(ticking);
        if ('result' in output) {
          how = `split at byte ${split.at} of ${size}: second part kept`;
          firstCounts = part.ranks.counted();
          scored.push(part.add(output.result, first.boundary.reader.nextLine - 1));
        } else {
          // This thread reads on from the middle, as a reader of the whole file would have.
          how = `split at byte ${split.at} of ${size}: second part redone (${output.redo})`;
          await worker?.stop();
          progress.alsoFrom(undefined);
          await pass(
            input,
            pack,
            (n) => progress.bytes(n),
            () => handler,
            classify,
            { head: h, start: { byte: split.at, reader: first.boundary.reader } },
          );
        }
      }
    } catch (error) {
      if (error instanceof InputError) throw error;
      throw new InputError(pack.writeFailed({ file: outPath, detail: describeError(error) }));
    } finally {
      part.close();
      // A worker whose part was kept fills that part's ranks later; any other is done.
      if (!firstCounts) await worker?.stop();
      progress.alsoFrom(undefined);
    }
    if (process.env.KAM_DEBUG?.split(',').includes('csv')) io.err(`kam debug: ${how}`);
    const { counts, unreadable, malformed, reportCount, blankCount, names } = part;

    if (!options.calibrate) {
      const leftOut = part.hintAmounts?.leftOut ?? 0;
      const hints = scaleHintsFromPercentiles(part.hintAmounts?.percentiles(0.9) ?? {}, rules);
      if (rules.currency !== undefined && (hints.length > 0 || leftOut > 0)) notes.push(pack.calibrationCurrency({ into: rules.currency, leftOut }));
      for (const x of hints) notes.push(pack.scaleHint({ field: criterionLabel(rules, x.criterion, lang), target: x.target, p90: x.p90 }));
    }
    if (rules.currency !== undefined && part.convertedFrom.size > 0) notes.push(convertedNote(rules, part.convertedFrom, pack));
    const portfolio = portfolioWarnings(counts, rules).map((m) => formatMessage(m, lang, (id, l) => criterionLabel(rules, id, l)));

    // Hours and cuts depend on the tiers alone: the plan's totals come from the counts.
    const plan = capacityTotals(counts, options.capacity ?? Infinity, rules);
    // Senior visits need each row's coverage and outcome: only with a contacts table, whose names are kept anyway.
    let visits: Array<{ account: string }> = [];
    if (relations.hasContacts) {
      const outcomes: OutcomeId[] = [];
      for (const codes of part.outcomeCodes) for (const c of codes) outcomes.push(TIER_ORDER[c] as OutcomeId);
      // A row without a name is named by its line, as the pane names it by its row.
      const accounts = accountNames.map((v, k) => (isBlankCell(v) ? `#${accountLines[k]}` : String(v).trim()));
      visits = seniorVisits({ rules, lang, verdicts: { outcomes, scores: [], flags: [] }, accounts, relations });
    }
    part.outcomeCodes.length = 0;

    // The rank pass: the scored text copied to the output with every priority rank in its hole.
    part.ranks.close();
    const existed = fs.existsSync(outPath);
    try {
      progress.step('writing');
      await writeAtomically(outPath, async (temp) => {
        const to = fs.openSync(temp, 'w');
        try {
          const [own, later] = scored as [ScoredText, ScoredText | undefined];
          if (later && firstCounts && worker) {
            // Two threads at once: the worker writes its part from where the first part's text will end.
            const position = fs.statSync(own.body).size + part.ranks.textBytes(firstCounts, part.rankFormat);
            const laterRanks = part.ranks.after(firstCounts);
            const filled = worker.fill({ target: temp, position, ranks: laterRanks, format: part.rankFormat });
            fillRanks([own], part.ranks, part.rankFormat, to, 0);
            if ('redo' in (await filled)) fillRanks([later], Ranks.resumed(laterRanks), part.rankFormat, to, position);
          } else fillRanks(scored, part.ranks, part.rankFormat, to, 0);
        } finally {
          fs.closeSync(to);
        }
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
    await worker?.stop();
    scratch.remove();
  }
}
