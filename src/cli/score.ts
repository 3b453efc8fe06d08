import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  applyCalibration,
  calibrationAmounts,
  readiness,
  repeatedAccounts,
  rulesForPresent,
  scaleHints,
  suggestCalibration,
  cellAddress,
  countOutcomes,
  deriveValue,
  flagsText,
  isBlankCell,
  LABEL_PACKS,
  LANGUAGES,
  matchPeriodColumns,
  normalizeWord,
  rememberMapping,
  rowFlags,
  type ResultKey as MarkKey,
  criterionLabel,
  defaultRules,
  formatMessage,
  matchColumns,
  OUTCOME_IDS,
  portfolioWarnings,
  rulesToTable,
  scoreColumns,
  type CellValue,
  type ColumnMatching,
  type DerivedColumn,
  type Lang,
  type OutcomeId,
  type RuleSet,
  CURRENCY_FIELD,
} from '../engine';
import {
  capacityOf,
  matchRelations,
  readinessOfRun,
  readStrength,
  reportColumns,
  RESULT_KEYS,
  seniorVisits,
  STRENGTH_FIELD,
  STRENGTH_LABEL,
  summarySheet,
  SUMMARY_STRINGS,
  tierColours,
  chartColours,
  type ReportInput,
  type ResultKey as ReportKey,
  type SummarySheet,
} from '../engine/report';
import { scoreCsvStreamed } from './csv-stream';
import { defaultOutputPath, describeError, fileKind, InputError, requireFile, sameFile, writeAtomically } from './files';
import type { CliPack } from './messages';
import { DETAIL_LIMIT, displayWidth, limited, LIST_LIMIT, printRunEnd, printRunSummary } from './run-summary';
import { loadRulesFile, rulesInWorkbook } from './rules-file';
import { isFormulaWithoutResult, type InputCell } from './table';
import type { SheetInfo } from './xlsx/workbook';
import { accountsSheet, openWorkbook, planResultColumns, readXlsxAccounts, reading, rulesSheet, RULES_NAME, RULES_SHEET, writeWorkbook, type AccountsSheet, type OpenWorkbook, type ResultColumn } from './xlsx-file';

import { relationsFromFiles, relationsFromWorkbook, type FoundRelations } from './relations';
import { convertedNote, inputFields } from './report';
import { productVersion } from './xlsx/run-record';
import { runRecordProperties } from '../engine';
import { planPortable, requirePortable, textInputs } from './portable';
import { SUMMARY_SHEET } from '../gateway/types';
import type { WriteOutcome } from './xlsx/edit';

export interface ScoreOptions {
  input: string;
  out?: string | undefined;
  rules?: string | undefined;
  sheet?: string | undefined;
  /** `field=Header` pairs from --map. */
  map: readonly string[];
  lang: Lang;
  /** Score on the criteria the sheet has (absent ones dropped, weights re-shared). */
  scorePresent?: boolean | undefined;
  /** Set the currency curves' targets from the data (P90), as the pane's calibration does. */
  calibrate?: boolean | undefined;
  /** --contacts / --needs: a sheet or table of the workbook, or a CSV file. */
  contacts?: string | undefined;
  needs?: string | undefined;
  /** --capacity: the hours a month the account manager has. */
  capacity?: number | undefined;
  /** `portable`: score, tier and flags as plain spreadsheet formulas reading the KAM Rules sheet (.xlsx only). */
  formulas?: 'portable' | undefined;
  /** Receives the KAM Summary sheet's content (the writer lays it out). */
  onSummary?: (summary: SummarySheet) => void;
}

export interface Output {
  out: (line: string) => void;
  err: (line: string) => void;
}


/** `--map field=Header` → { fieldId: header }, with the field checked against the rule set. */
function parseMapping(pairs: readonly string[], rules: RuleSet, pack: CliPack): Record<string, string> {
  const fields = Object.keys(inputFields(rules));
  const mapping: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const field = pair.slice(0, eq).trim();
    const header = pair.slice(eq + 1).trim();
    if (eq < 0 || field === '' || header === '') throw new InputError(pack.badMapSyntax({ text: pair }), 'kam score');
    const id = fields.find((f) => f.toLowerCase() === field.toLowerCase());
    if (id === undefined) throw new InputError(pack.unknownMapField({ field, known: fields.join(', ') }), 'kam score');
    mapping[id] = header;
  }
  return mapping;
}

export async function runScore(options: ScoreOptions, pack: CliPack, io: Output): Promise<number> {
  const { input, lang } = options;
  requireFile(input, pack);
  const kind = fileKind(input, pack);
  const outPath = options.out ?? defaultOutputPath(input);
  if (sameFile(outPath, input)) throw new InputError(pack.outIsInput({ file: outPath }));
  const outExt = path.extname(outPath).toLowerCase();
  const outKind = outExt === '.csv' || outExt === '.tsv' || outExt === '.txt' ? 'csv' : outExt === '.xlsx' || outExt === '.xlsm' ? 'xlsx' : null;
  if (outKind !== kind) throw new InputError(pack.outWrongType({ file: outPath, ext: kind === 'csv' ? '.csv' : '.xlsx' }));
  // A workbook keeps its kind: macros need .xlsm, and Excel refuses a macro-free package under that name.
  const inExt = path.extname(input).toLowerCase();
  if (kind === 'xlsx' && outExt !== inExt) throw new InputError(pack.outWrongType({ file: outPath, ext: inExt }));

  // Rules: --rules, else the workbook's own rules sheet (rules travel with the workbook), else the defaults.
  let rules: RuleSet = defaultRules();
  let rulesSource = pack.defaultRulesSource();
  const warnings: string[] = [];
  if (options.rules !== undefined) {
    const loaded = await loadRulesFile(options.rules, pack, lang);
    rules = loaded.rules;
    rulesSource = loaded.source;
    warnings.push(...loaded.warnings);
  }

  if (options.formulas !== undefined && kind === 'csv') throw new InputError(pack.formulasNeedWorkbook({ file: input }), 'kam score');
  // A CSV is streamed (src/cli/csv-stream.ts): memory stays flat whatever its number of lines.
  if (kind === 'csv') return scoreCsvStreamed({ options, pack, io, rules, rulesSource, warnings, outPath, parseMapping });
  const book = kind === 'xlsx' ? await openWorkbook(input, pack) : undefined;
  try {
    return await scoreOpened({ options, pack, io, rules, rulesSource, warnings, book, outPath });
  } finally {
    book?.close();
  }
}

/** The rows of accounts, however the file holds them: CSV records, or a sheet's compact columns. */
interface AccountRows {
  rowKind: 'line' | 'row';
  headers: string[];
  count: number;
  number: (i: number) => number;
  blank: (i: number) => boolean;
  rejected: (i: number) => string | undefined;
  cell: (i: number, column: number) => InputCell;
  /** A column's cells at these rows, as the kernel reads them. */
  values: (rows: readonly number[], column: number) => CellValue[];
  /** Whether a column may hold formulas without a saved result (only those need a look per row). */
  mayHoldFormulas: (column: number) => boolean;
}

/** How many accounts the kernel scores at once: memory stays flat however many rows the sheet has. */
const SCORE_CHUNK = 65_536;

async function scoreOpened(run: {
  options: ScoreOptions;
  pack: CliPack;
  io: Output;
  rules: RuleSet;
  rulesSource: string;
  warnings: string[];
  book: OpenWorkbook | undefined;
  outPath: string;
}): Promise<number> {
  const { options, pack, io, book, outPath, warnings } = run;
  const { input, lang } = options;
  let { rules, rulesSource } = run;
  let rulesFromWorkbook = false;
  if (book && options.rules === undefined) {
    const own = await rulesInWorkbook(book, pack, lang);
    if (own && !own.ok) throw new InputError([pack.rulesInvalid({ file: input, count: own.problems.length }), ...own.problems.map((p) => `  ${p}`)].join('\n'));
    if (own?.ok) {
      rules = own.rules;
      rulesSource = own.source;
      rulesFromWorkbook = true;
      warnings.push(...own.warnings);
    }
  }
  for (const w of warnings) io.err(w);

  const mapping = parseMapping(options.map, rules, pack);
  const fields = inputFields(rules);
  const sheetInfo = book ? accountsSheet(book, options.sheet, pack) : undefined;
  const where = sheetInfo ? pack.sheetWithName({ file: input, sheet: sheetInfo.name }) : input;
  // Match columns, leaving out the result columns of an earlier run.
  let derived: Record<string, DerivedColumn> = {};
  const matchHeaders = (headers: readonly string[], excluded: readonly number[], accountValues?: (column: number) => CellValue[]): ColumnMatching => {
    const matchable: CellValue[] = headers.map((h, i) => (excluded.includes(i) ? '' : h));
    const matching = matchColumns(matchable, fields, mapping);
    const quotedHeaders = headers.filter((h) => h !== '').map((h) => `"${h}"`).join(', ') || '(none)';
    const bad = matching.badMappings[0];
    if (bad) throw new InputError(pack.badMappingHeader({ file: where, field: bad.field, header: bad.header, headers: quotedHeaders }));
    // Two columns that could hold one criterion: using either would drop the other's values unseen.
    // (Two candidate account-name columns change no verdict; the first names the rows.)
    const ambiguous = matching.ambiguous.find((a) => a.field !== 'account');
    if (ambiguous) {
      const list = ambiguous.headers.map((h) => `"${h}"`).join(', ');
      throw new InputError(pack.ambiguousColumns({ file: where, field: ambiguous.field, headers: list }), 'kam score');
    }
    // "Sales 2019", "2018年销售额": a measure with a period; two years of sales give growth, profit gives margin.
    const periodic = matchPeriodColumns(matchable, rules, matching.matches);
    Object.assign(matching.matches, periodic.matches);
    derived = periodic.derived;
    if (!rules.criteria.some((c) => matching.matches[c.id] || derived[c.id])) {
      const expected = rules.criteria.map((c) => `${c.id} ("${c.label.en}", "${c.label.zh}", …)`).join(', ');
      const accountAt = matching.matches.account?.column;
      const repeats = accountAt === undefined || !accountValues ? null : repeatedAccounts(accountValues(accountAt));
      let hint = repeats ? `\n${pack.looksLikeOrderLines({ lines: repeats.lines, accounts: repeats.accounts, file: input })}` : '';
      // The first sheet was taken (a "Read me", a cover): say which others there are.
      const others = book && options.sheet === undefined ? book.model.sheets.filter((s) => s.isWorksheet && s !== sheetInfo && s.name !== RULES_SHEET) : [];
      if (others.length > 0) hint += `\n${pack.otherSheets({ sheets: others.map((s) => `"${s.name}"`).join(', ') })}`;
      throw new InputError(`${pack.noCriterionColumns({ file: where, headers: quotedHeaders, expected })}${hint}`);
    }
    return matching;
  };

  let matching: ColumnMatching | undefined;
  const sheet = await readXlsxAccounts(book as OpenWorkbook, sheetInfo as SheetInfo, pack, {
    namedFields: (texts) => Object.keys(matchColumns(texts, fields).matches).length,
    choose: (headers) => {
      matching = matchHeaders(headers, []);
      // The derived criteria's source columns (sales by year, profit) are read too.
      return [...Object.values(matching.matches).map((m) => m.column), ...Object.values(derived).flatMap((d) => d.columns)];
    },
  });
  matching ??= matchHeaders(sheet.headers, []);
  const accounts: AccountsSheet = sheet;
  const rows: AccountRows = {
    rowKind: 'row',
    headers: sheet.headers,
    count: sheet.rowCount,
    number: (i) => sheet.headerRow + 1 + i,
    blank: (i) => sheet.nonBlank[i] !== 1,
    rejected: () => undefined,
    cell: (i, column) => sheet.columns.get(column)?.get(i) ?? null,
    values: (list, column) => sheet.columns.get(column)?.values(list) ?? list.map(() => null),
    mayHoldFormulas: (column) => sheet.columns.get(column)?.holdsFormulas === true,
  };
  const matches = matching.matches;
  const matched = rules.criteria.filter((c) => matches[c.id] || derived[c.id]);
  const computedHere = matched.filter((c) => derived[c.id]);
  if (options.formulas && computedHere.length > 0) throw new InputError(pack.portableDerived({ fields: pack.list(computedHere.map((c) => c.label[lang])) }), 'kam score');
  const sourcesOf = (id: string): number[] => derived[id]?.columns ?? [(matches[id] as { column: number }).column];
  /** The kernel's input columns at these rows: cells as they are, derived criteria computed from their sources. */
  const kernelColumnsFor = (list: readonly number[], only: (id: string) => boolean = () => true): Record<string, CellValue[]> => {
    const out: Record<string, CellValue[]> = {};
    for (const c of matched) {
      if (!only(c.id)) continue;
      const d = derived[c.id];
      // Dates are passed on as they are: the engine reports that a date is not an amount.
      out[c.id] = d ? list.map((i) => deriveValue(d.kind, d.columns.map((col) => rows.cell(i, col) as CellValue))) : rows.values(list, sourcesOf(c.id)[0] as number);
    }
    return out;
  };

  // Readiness: columns absent from the whole sheet are said once, here, not in every row's flags.
  const ready = readiness(rules, matched.map((c) => c.id));
  const notes: string[] = [];
  const rulesBefore = rules;
  const labelList = (ids: readonly string[]): string => pack.list(ids.map((id) => criterionLabel(rules, id, lang)));
  let scoredOnPresent = false;
  if (options.scorePresent && ready.absent.length > 0) {
    const reduced = rulesForPresent(rules, matched.map((c) => c.id));
    if (reduced) {
      scoredOnPresent = true;
      notes.push(pack.scoredOnPresent({ absent: labelList(ready.absent), share: ready.absentShare, kept: pack.list(reduced.criteria.map((c) => `${c.label[lang]} ${c.weight}`)) }));
      rules = { ...reduced, name: pack.reducedRulesName({ name: rules.name }) };
    }
  } else if (ready.absent.length > 0) {
    notes.push(pack.absentColumns({ list: labelList(ready.absent), share: ready.absentShare }));
    if (ready.allInsufficient) notes.push(pack.allInsufficient({ required: ready.absentRequired.length > 0 ? labelList(ready.absentRequired) : null }));
  }
  // Calibration and the scale hint look at the currency criteria of every readable row (one pass, those columns only).
  const everyRow: number[] = [];
  for (let i = 0; i < rows.count; i++) if (!rows.blank(i) && !rows.rejected(i)) everyRow.push(i);
  const currencyColumns = kernelColumnsFor(everyRow, (id) => rules.criteria.some((c) => c.id === id && c.unit === 'currency'));
  // Amounts in several currencies are converted to the rule set's first, as scoring converts them.
  const currencyColumnIndex = rules.currency !== undefined ? matches[CURRENCY_FIELD]?.column : undefined;
  const amounts = calibrationAmounts(currencyColumns, rules, currencyColumnIndex === undefined ? undefined : rows.values(everyRow, currencyColumnIndex));
  const calibration = options.calibrate ? suggestCalibration(amounts.columns, rules) : [];
  const hints = options.calibrate ? [] : scaleHints(amounts.columns, rules);
  if (amounts.currency !== undefined && (options.calibrate || hints.length > 0 || amounts.leftOut > 0)) notes.push(pack.calibrationCurrency({ into: amounts.currency, leftOut: amounts.leftOut }));
  for (const s of calibration) notes.push(pack.calibrated({ field: criterionLabel(rules, s.criterion, lang), from: s.current, to: s.suggested, count: s.basis.values }));
  if (calibration.length > 0) rules = applyCalibration(rules, calibration);
  for (const h of hints) notes.push(pack.scaleHint({ field: criterionLabel(rules, h.criterion, lang), target: h.target, p90: h.p90 }));
  // A workbook remembers the columns the user named (--map), as headers of its criteria.
  const rememberedRules = book ? rememberMapping(rules, mapping) : rules;
  if (rememberedRules !== rules) notes.push(pack.mappingRemembered());
  rules = rememberedRules;
  const rulesChanged = rules !== rulesBefore;

  if (options.formulas) requirePortable(rules, lang, pack);
  // Score in chunks: rows the kernel reads are not blank, not rejected while reading, and have no
  // criterion formula without a result.
  const count = rows.count;
  const scoreOut = new Float64Array(count).fill(NaN);
  // Outcome code + 1 (0: no result), and the flags' text where there is one.
  const outcomeOut = new Uint8Array(count);
  const flagsOut: string[] = new Array<string>(count).fill('');
  const counts = Object.fromEntries(OUTCOME_IDS.map((id) => [id, 0])) as Record<OutcomeId, number>;
  const unreadable: number[] = [];
  const malformed: number[] = [];
  /** Accounts whose amounts were converted, by the currency they were in. */
  const convertedFrom = new Map<string, number>();
  let blankCount = 0;
  const invalidCode = OUTCOME_IDS.indexOf('invalid') + 1;
  const reject = (i: number, reason: string): void => {
    outcomeOut[i] = invalidCode;
    flagsOut[i] = reason;
    counts.invalid++;
  };
  // Every source column of each criterion, and whether it needs a look for formulas without a result.
  const matchedColumns = matched.flatMap((c) => sourcesOf(c.id).map((column) => ({ c, column, formulas: rows.mayHoldFormulas(column) })));
  for (let start = 0; start < count; start += SCORE_CHUNK) {
    const end = Math.min(count, start + SCORE_CHUNK);
    const scored: number[] = [];
    for (let i = start; i < end; i++) {
      if (rows.blank(i)) {
        blankCount++;
        continue;
      }
      const rejected = rows.rejected(i);
      if (rejected) {
        malformed.push(i);
        reject(i, rejected);
        continue;
      }
      let problems: string[] | undefined;
      for (const { c, column, formulas } of matchedColumns) {
        if (!formulas) continue;
        const cell = rows.cell(i, column);
        if (isFormulaWithoutResult(cell)) {
          const at = cellAddress({ row: rows.number(i) - 1, col: column });
          (problems ??= []).push(pack.formulaWithoutResult({ field: c.label[lang], cell: at, formula: cell.formulaWithoutResult }));
        }
      }
      if (problems) {
        unreadable.push(i);
        reject(i, problems.join(lang === 'zh' ? ';' : '; '));
        continue;
      }
      scored.push(i);
    }
    // With a rule-set currency, each account's currency cell says what its amounts are in.
    const currencyAt = matches[CURRENCY_FIELD]?.column;
    const currency = currencyAt === undefined ? {} : { currency: rows.values(scored, currencyAt) };
    const result = scoreColumns({ rowCount: scored.length, columns: kernelColumnsFor(scored), ...currency }, rules, { absent: ready.absent });
    const chunkCounts = countOutcomes(result);
    if (result.conversion) for (const code of result.conversion.code) if (code !== undefined) convertedFrom.set(code, (convertedFrom.get(code) ?? 0) + 1);
    for (const id of OUTCOME_IDS) counts[id] += chunkCounts[id];
    for (let k = 0; k < scored.length; k++) {
      const i = scored[k] as number;
      scoreOut[i] = result.score[k] as number;
      outcomeOut[i] = (result.outcome[k] as number) + 1;
      const plain = result.knockoutMask[k] === 0 && result.missingMask[k] === 0 && !result.problems.has(k);
      if (!plain) flagsOut[i] = flagsText(rowFlags(result, k), lang, rules);
      if (result.problems.has(k)) unreadable.push(i);
    }
  }
  unreadable.sort((a, b) => a - b);
  if (rules.currency !== undefined && convertedFrom.size > 0) notes.push(convertedNote(rules, convertedFrom, pack));
  const portfolio = portfolioWarnings(counts, rules).map((m) => formatMessage(m, lang, (id, l) => criterionLabel(rules, id, l)));

  // The same verdicts, relations and columns as the pane's Apply in values mode, for every row that
  // is not blank (a row that could not be read is an invalid account, as the pane shows it).
  const reportRows: number[] = [];
  for (let i = 0; i < count; i++) if (outcomeOut[i]) reportRows.push(i);
  const found: FoundRelations =
    book && sheetInfo && accounts ? await relationsFromWorkbook(book, { sheet: sheetInfo, headerRow: accounts.headerRow }, options, pack) : relationsFromFiles(options, pack);
  const accountColumn = matches.account?.column;
  const strengthColumn = matches[STRENGTH_FIELD]?.column;
  const accountCells = accountColumn === undefined ? reportRows.map(() => null) : rows.values(reportRows, accountColumn);
  const relations = matchRelations(accountCells, found.contacts?.table ?? null, found.needs?.table ?? null, rules);
  const report: ReportInput = {
    rules,
    lang,
    verdicts: {
      outcomes: reportRows.map((i) => OUTCOME_IDS[(outcomeOut[i] as number) - 1] as OutcomeId),
      scores: reportRows.map((i) => (Number.isNaN(scoreOut[i]) ? null : (scoreOut[i] as number))),
      flags: reportRows.map((i) => flagsOut[i] ?? ''),
    },
    // A row without a name is named by its row, as the pane names it.
    accounts: reportRows.map((i, k) => (isBlankCell(accountCells[k]) ? `#${rows.number(i)}` : String(accountCells[k]).trim())),
    relations,
    strength: strengthColumn === undefined ? null : rows.values(reportRows, strengthColumn).map((v) => readStrength(v)),
    readiness: readinessOfRun(rulesBefore, ready.absent, scoredOnPresent),
  };
  const written = reportColumns(report);
  const plan = capacityOf(report, options.capacity ?? null);
  const visits = seniorVisits(report);
  const summary = summarySheet(report, options.capacity ?? null, SUMMARY_STRINGS[lang]);
  options.onSummary?.(summary);

  // Write the result beside the input (or to --out), through a temporary file.
  const existed = fs.existsSync(outPath);
  let keptColumns: string[] = [];
  let shown: WriteOutcome | undefined;
  try {
    if (book && accounts) {
      const sheet = accounts;
      const markOf = (key: ReportKey): MarkKey => key.toUpperCase() as MarkKey;
      // A column an earlier run marked that this run does not write (no contacts now) is emptied, not left stale.
      const stale = [...sheet.marked.keys()].filter((mark) => !written.some((c) => markOf(c.key) === mark));
      const keys = [...written.map((c) => markOf(c.key)), ...stale];
      const positions = planResultColumns(sheet, keys);
      // A user's column whose title looks like one of ours is theirs: ours go beside it, under a title that differs.
      const ourNames = new Set(RESULT_KEYS.flatMap((key) => LANGUAGES.map((l) => normalizeWord(LABEL_PACKS[l].column[key]))));
      const taken = new Set(sheet.headers.filter((h) => h !== '').map((h) => normalizeWord(h)));
      keptColumns = sheet.headers.filter((h) => h !== '' && ourNames.has(normalizeWord(h)));
      const header = (text: string): string => (taken.has(normalizeWord(text)) ? `${text} (kam)` : text);
      const reportIndex = new Int32Array(count).fill(-1);
      reportRows.forEach((i, k) => (reportIndex[i] = k));
      const columns: ResultColumn[] = [
        ...written.map((c): ResultColumn => ({
          key: markOf(c.key),
          header: header(c.header),
          kind: c.kind,
          numberFormat: c.kind === 'text' ? '@' : (c.numberFormat ?? 'General'),
          // Readable at a glance: the header with its filter button, and the longest of the first values.
          width: c.key === 'flags' ? 48 : columnWidth(header(c.header), c.values),
          value: (i) => {
            const k = reportIndex[i] as number;
            const v = k < 0 ? null : (c.values[k] ?? null);
            return typeof v === 'number' || typeof v === 'string' ? v : null;
          },
        })),
        ...stale.map((mark): ResultColumn => ({ key: mark, header: LABEL_PACKS[lang].column[mark.toLowerCase() as ReportKey], kind: 'text', numberFormat: '@', width: 14, value: () => null })),
      ];
      // The rules travel with the workbook, so that what it shows can be explained and re-run.
      // Portable formulas read the rules sheet's cells: it is written in the layout they address.
      const rulesTable = rulesToTable(rules, { lang });
      const rulesSpec = rulesFromWorkbook && !rulesChanged && !options.formulas ? undefined : rulesSheet(rulesTable);
      if (options.formulas === 'portable') {
        const plan = planPortable({
          rules,
          lang,
          table: rulesTable,
          inputColumns: Object.fromEntries(matched.map((c) => [c.id, (matches[c.id] as { column: number }).column])),
          currencyColumn: rules.currency === undefined ? undefined : matches[CURRENCY_FIELD]?.column,
          scoreColumn: positions.get('SCORE') as number,
          rowNumber: rows.number,
          engineFlags: (i) => flagsOut[i] ?? '',
        });
        columns.forEach((c, k) => {
          if (c.key !== 'SCORE' && c.key !== 'TIER' && c.key !== 'FLAGS') return;
          const key = c.key;
          const plain = c.value;
          columns[k] = { ...c, value: (i) => (reportIndex[i] as number) < 0 ? null : (plan.cell(key, i, plain(i) as number | string | null) ?? plain(i)) };
        });
      }
      await writeAtomically(outPath, async (temp) => {
        shown = await reading(book, pack, () =>
          writeWorkbook(
            book.model,
            book.styles,
            {
              // Ready to show, as the pane's Apply leaves it: tier colours, a filter, a frozen header, and the summary sheet.
              accounts: { sheet, columns, positions, presentation: { colours: { key: 'TIER', colours: tierColours(rules) }, filter: true, freezeHeader: true } },
              sheets: rulesSpec ? [rulesSpec] : [],
              names: rulesSpec ? [{ name: RULES_NAME, value: rulesSpec.range }] : [],
              // The run record, for `kam check` and the pane to tell whether these results are current.
              properties: runRecordProperties(rules, new Date(), productVersion(), lang),
              summary: { content: summary, name: SUMMARY_SHEET, colours: chartColours(rules) },
            },
            temp,
          ),
        );
      });
    }
    if (rulesChanged) notes.push(pack.rulesSavedInSheet());
  } catch (error) {
    throw new InputError(pack.writeFailed({ file: outPath, detail: describeError(error) }));
  }

  // The summary.
  const ref = (i: number): string => pack.rowRef({ kind: rows.rowKind, number: rows.number(i) });
  const accountOf = (i: number): string => {
    const cell = accountColumn === undefined ? null : rows.cell(i, accountColumn);
    return cell === null || typeof cell === 'object' ? '' : String(cell).trim();
  };
  const fieldName = (id: string): string => (id === 'account' ? pack.accountField() : id === STRENGTH_FIELD ? STRENGTH_LABEL[lang] : criterionLabel(rules, id, lang));
  const used = Object.entries(matches).map(([id, m]) => pack.columnFrom({ header: m.header, field: fieldName(id) }));
  const missing = rulesBefore.criteria.filter((c) => !matches[c.id] && !derived[c.id]).map((c) => c.label[lang]);
  for (const [id, d] of Object.entries(derived)) used.push(pack.columnDerived({ headers: d.headers.map((h) => `"${h}"`).join(d.kind === 'marginFromProfit' ? ' ÷ ' : ', '), field: fieldName(id) }));

  io.out(pack.scoredHeading({ count: count - blankCount, file: input, sheet: sheetInfo ? sheetInfo.name : null }));
  io.out(pack.rulesFrom({ name: rules.name, source: rulesSource }));
  io.out(pack.columnsUsed({ list: pack.list(used) }));
  // Absent columns are said once, by the readiness notes below.
  if (missing.length > 0 && notes.length === 0) io.out(pack.columnsMissing({ list: pack.list(missing) }));
  for (const note of notes) io.out(note);
  // One row per order line rather than per account: say so, and what to run instead.
  if (accountColumn !== undefined) {
    const repeats = repeatedAccounts(rows.values(everyRow, accountColumn));
    if (repeats) io.out(pack.looksLikeOrderLines({ lines: repeats.lines, accounts: repeats.accounts, file: input }));
  }
  printRunSummary(io.out, pack, { rules, lang, counts, warnings: portfolio, found, unmatchedAccounts: relations.unmatchedAccounts, plan, capacity: options.capacity ?? null, visits, csv: false });
  io.out(pack.unreadableRows({ count: unreadable.length, where: limited(unreadable.map(ref), LIST_LIMIT, pack) }));
  if (blankCount > 0) io.out(pack.blankRows({ count: blankCount }));
  if (keptColumns.length > 0) io.out(pack.userColumnsKept({ list: pack.list(keptColumns.map((h) => `"${h}"`)) }));
  if (shown?.summary) {
    // The sections this summary has (a block is left out when there is nothing to show in it).
    io.out(pack.summaryWritten({ sheet: shown.summary.name, sections: pack.list(summary.blocks.map((b) => b.title)), charts: shown.summary.charts }));
    if (shown.summary.name !== SUMMARY_SHEET && !shown.summary.replaced) io.out(pack.summaryBesideUsers({ theirs: SUMMARY_SHEET, ours: shown.summary.name }));
  }
  if (shown && (shown.coloured || shown.filtered || shown.frozen)) io.out(pack.sheetShown(shown));

  // Portable formulas: the input cells only kam reads (texts such as "18%") are the user's to retype.
  if (options.formulas && book) {
    io.out(pack.portableWritten());
    const inputColumns = Object.fromEntries(matched.map((c) => [c.id, (matches[c.id] as { column: number }).column]));
    const texts = textInputs(reportRows, inputColumns, rows.cell, rows.number, rules, lang, pack);
    if (texts.length > 0) {
      io.err(pack.portableTexts({ count: texts.length }));
      for (const t of texts.slice(0, DETAIL_LIMIT)) io.err(`  ${t}`);
      if (texts.length > DETAIL_LIMIT) io.err(`  ${pack.moreRows({ count: texts.length - DETAIL_LIMIT })}`);
    }
  }

  // The rows that need the user's attention, on stderr.
  if (malformed.length > 0) {
    io.err(pack.stderrMalformed({ count: malformed.length, file: input }));
    for (const i of malformed) io.err(`  ${flagsOut[i] ?? ''}`);
  }
  if (unreadable.length > 0) {
    io.err(pack.stderrUnreadable({ count: unreadable.length }));
    for (const i of unreadable.slice(0, DETAIL_LIMIT)) io.err(`  ${pack.rowDetail({ ref: ref(i), account: accountOf(i), text: flagsOut[i] ?? '' })}`);
    if (unreadable.length > DETAIL_LIMIT) io.err(`  ${pack.moreRows({ count: unreadable.length - DETAIL_LIMIT })}`);
  }

  printRunEnd(io, pack, { problems: relations.problems, rules, lang, outPath, existed });
  return 0;
}

/** A result column's width in characters: its header with room for the filter button, or its longest value among the first rows. */
function columnWidth(header: string, values: readonly CellValue[]): number {
  let widest = displayWidth(header) + 4;
  for (let k = 0; k < Math.min(values.length, 2000); k++) {
    const v = values[k];
    if (typeof v === 'string') widest = Math.max(widest, displayWidth(v) + 2);
    else if (typeof v === 'number') widest = Math.max(widest, String(Math.round(v * 10) / 10).length + 2);
  }
  return Math.min(Math.max(widest, 10), 48);
}

