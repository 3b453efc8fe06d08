import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  accountFields,
  applyCalibration,
  readiness,
  repeatedAccounts,
  rulesForPresent,
  scaleHints,
  suggestCalibration,
  cellAddress,
  countOutcomes,
  deriveValue,
  matchPeriodColumns,
  rememberMapping,
  criterionLabel,
  defaultRules,
  flagsText,
  formatMessage,
  LABEL_PACKS,
  LANGUAGES,
  matchColumns,
  normalizeWord,
  OUTCOME_IDS,
  outcomeAt,
  outcomeLabel,
  portfolioWarnings,
  rowFlags,
  rulesToTable,
  scoreColumns,
  type CellValue,
  type Lang,
  type OutcomeId,
  type RuleSet,
} from '../engine';
import { csvOutput, readCsvInput, rejectKeptLines, type ResultCells, type ResultColumns } from './csv-file';
import { defaultOutputPath, describeError, fileKind, InputError, openCommand, requireFile, sameFile, writeAtomically } from './files';
import type { CliPack } from './messages';
import { loadRulesFile, rulesInWorkbook } from './rules-file';
import { isFormulaWithoutResult, type AccountTable } from './table';
import { readXlsxInput, setResultColumns, writeRulesSheet } from './xlsx-file';

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
}

export interface Output {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** How many rows a list on the terminal names before it says "and N more". */
const LIST_LIMIT = 10;
const DETAIL_LIMIT = 20;

/** `--map field=Header` → { fieldId: header }, with the field checked against the rule set. */
function parseMapping(pairs: readonly string[], rules: RuleSet, pack: CliPack): Record<string, string> {
  const fields = Object.keys(accountFields(rules));
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

/** Where the result columns go: where an earlier run put them (same headers, any language), else after the data. */
function resultColumns(table: AccountTable, lang: Lang): ResultColumns {
  const keys = ['score', 'tier', 'flags'] as const;
  const normalized = table.headers.map((h) => normalizeWord(h));
  let next = table.width;
  const positions = keys.map((key) => {
    const known = new Set(LANGUAGES.map((l) => normalizeWord(LABEL_PACKS[l].column[key])));
    const at = normalized.findIndex((h) => known.has(h));
    return at >= 0 ? at : next++;
  }) as unknown as [number, number, number];
  const headers = keys.map((key) => LABEL_PACKS[lang].column[key]) as unknown as [string, string, string];
  return { positions, headers };
}

function limited(items: readonly string[], limit: number, pack: CliPack): string {
  const shown = items.slice(0, limit);
  const more = items.length - shown.length;
  return pack.list(more > 0 ? [...shown, pack.moreRows({ count: more })] : shown);
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

  // Rules: --rules, else the workbook's own rules sheet (rules travel with the workbook), else the defaults.
  let rules: RuleSet = defaultRules();
  let rulesSource = pack.defaultRulesSource();
  let rulesFromWorkbook = false;
  const warnings: string[] = [];
  if (options.rules !== undefined) {
    const loaded = await loadRulesFile(options.rules, pack, lang);
    rules = loaded.rules;
    rulesSource = loaded.source;
    warnings.push(...loaded.warnings);
  }

  const csv = kind === 'csv' ? readCsvInput(input, pack) : undefined;
  const xlsx = kind === 'xlsx' ? await readXlsxInput(input, options.sheet, pack, accountFields(rules)) : undefined;
  const table = (csv?.table ?? xlsx?.table) as AccountTable;
  const where = xlsx ? pack.sheetWithName({ file: input, sheet: xlsx.sheet.name }) : input;
  if (xlsx && options.rules === undefined) {
    const own = rulesInWorkbook(xlsx.workbook, input, pack, lang);
    if (own && !own.ok) throw new InputError([pack.rulesInvalid({ file: input, count: own.problems.length }), ...own.problems.map((p) => `  ${p}`)].join('\n'));
    if (own?.ok) {
      rules = own.rules;
      rulesSource = own.source;
      rulesFromWorkbook = true;
      warnings.push(...own.warnings);
    }
  }
  for (const w of warnings) io.err(w);

  // Match columns, leaving out the result columns of an earlier run.
  const columns = resultColumns(table, lang);
  if (csv) rejectKeptLines(csv, columns.positions, pack);
  const matchable: CellValue[] = table.headers.map((h, i) => (columns.positions.includes(i) ? '' : h));
  const mapping = parseMapping(options.map, rules, pack);
  const matching = matchColumns(matchable, accountFields(rules), mapping);
  const quotedHeaders = table.headers.filter((h) => h !== '').map((h) => `"${h}"`).join(', ') || '(none)';
  const bad = matching.badMappings[0];
  if (bad) throw new InputError(pack.badMappingHeader({ file: where, field: bad.field, header: bad.header, headers: quotedHeaders }));
  // Two columns that could hold one criterion: using either would drop the other's values unseen.
  // (Two candidate account-name columns change no verdict; the first names the rows.)
  const ambiguous = matching.ambiguous.find((a) => a.field !== 'account');
  if (ambiguous) {
    const headers = ambiguous.headers.map((h) => `"${h}"`).join(', ');
    throw new InputError(pack.ambiguousColumns({ file: where, field: ambiguous.field, headers }), 'kam score');
  }
  // "Sales 2019", "2018年销售额": a measure with a period; two years of sales give growth, profit gives margin.
  const periodic = matchPeriodColumns(matchable, rules, matching.matches);
  Object.assign(matching.matches, periodic.matches);
  const derived = periodic.derived;
  const matched = rules.criteria.filter((c) => matching.matches[c.id] || derived[c.id]);
  const sourcesOf = (id: string): number[] => derived[id]?.columns ?? [(matching.matches[id] as { column: number }).column];
  if (matched.length === 0) {
    const expected = rules.criteria.map((c) => `${c.id} ("${c.label.en}", "${c.label.zh}", …)`).join(', ');
    const accountAt = matching.matches.account?.column;
    const repeats = accountAt === undefined ? null : repeatedAccounts(table.rows.map((r) => (r.cells[accountAt] ?? null) as CellValue));
    const hint = repeats ? `\n${pack.looksLikeOrderLines({ lines: repeats.lines, accounts: repeats.accounts, file: input })}` : '';
    throw new InputError(`${pack.noCriterionColumns({ file: where, headers: quotedHeaders, expected })}${hint}`);
  }

  // Rows the kernel reads: not blank, not rejected while reading, no criterion formula without a result.
  const rejected = new Map<number, string>();
  table.rows.forEach((row, i) => {
    if (row.rejected) rejected.set(i, row.rejected);
    if (row.blank || row.rejected) return;
    const problems: string[] = [];
    for (const c of matched) for (const column of sourcesOf(c.id)) {
      const cell = row.cells[column] ?? null;
      if (isFormulaWithoutResult(cell)) {
        const at = cellAddress({ row: row.number - 1, col: column });
        problems.push(pack.formulaWithoutResult({ field: c.label[lang], cell: at, formula: cell.formulaWithoutResult }));
      }
    }
    if (problems.length > 0) rejected.set(i, problems.join(lang === 'zh' ? ';' : '; '));
  });
  const scored = table.rows.map((_, i) => i).filter((i) => !table.rows[i]?.blank && !rejected.has(i));
  const kernelColumns: Record<string, CellValue[]> = {};
  for (const c of matched) {
    const d = derived[c.id];
    if (d) {
      kernelColumns[c.id] = scored.map((i) => deriveValue(d.kind, d.columns.map((col) => (table.rows[i]?.cells[col] ?? null) as CellValue)));
      continue;
    }
    const column = (matching.matches[c.id] as { column: number }).column;
    // Dates are passed on as they are: the engine reports that a date is not an amount.
    kernelColumns[c.id] = scored.map((i) => (table.rows[i]?.cells[column] ?? null) as CellValue);
  }
  // Readiness: columns absent from the whole sheet are said once, here, not in every row's flags.
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
  if (options.calibrate) {
    const suggestions = suggestCalibration(kernelColumns, rules);
    for (const s of suggestions) notes.push(pack.calibrated({ field: criterionLabel(rules, s.criterion, lang), from: s.current, to: s.suggested, count: s.basis.values }));
    if (suggestions.length > 0) rules = applyCalibration(rules, suggestions);
  } else {
    for (const h of scaleHints(kernelColumns, rules)) notes.push(pack.scaleHint({ field: criterionLabel(rules, h.criterion, lang), target: h.target, p90: h.p90 }));
  }
  // A workbook remembers the columns the user named (--map), as headers of its criteria.
  const rememberedRules = xlsx ? rememberMapping(rules, mapping) : rules;
  if (rememberedRules !== rules) notes.push(pack.mappingRemembered());
  rules = rememberedRules;
  const rulesChanged = rules !== rulesBefore;
  const result = scoreColumns({ rowCount: scored.length, columns: kernelColumns }, rules, { absent: ready.absent });

  const invalidLabel = outcomeLabel(rules, 'invalid', lang);
  const results: Array<ResultCells | null> = table.rows.map(() => null);
  scored.forEach((rowIndex, k) => {
    const s = result.score[k] as number;
    results[rowIndex] = [s === s ? s : null, outcomeLabel(rules, outcomeAt(result, k), lang), flagsText(rowFlags(result, k), lang, rules)];
  });
  for (const [rowIndex, reason] of rejected) results[rowIndex] = [null, invalidLabel, reason];

  const counts = countOutcomes(result);
  counts.invalid += rejected.size;
  const portfolio = portfolioWarnings(counts, rules).map((m) => formatMessage(m, lang, (id, l) => criterionLabel(rules, id, l)));

  // Write the result beside the input (or to --out), through a temporary file.
  const existed = fs.existsSync(outPath);
  try {
    if (csv) {
      const text = csvOutput(csv, results, columns);
      await writeAtomically(outPath, (temp) => fs.writeFileSync(temp, text));
    } else if (xlsx) {
      setResultColumns(xlsx, results, columns);
      // The rules travel with the workbook, so that what it shows can be explained and re-run.
      if (!rulesFromWorkbook || rulesChanged) writeRulesSheet(xlsx.workbook, rulesToTable(rules, { lang }));
      await writeAtomically(outPath, (temp) => xlsx.workbook.xlsx.writeFile(temp));
    }
    // A CSV has no rules sheet: a changed rule set goes beside it, for --rules next time.
    if (csv && rulesChanged) {
      const rulesPath = `${outPath.replace(/\.[^./\\]+$/, '')}.rules.json`;
      await writeAtomically(rulesPath, (temp) => fs.writeFileSync(temp, `${JSON.stringify(rules, null, 2)}\n`));
      notes.push(pack.rulesSavedBeside({ file: rulesPath }));
    } else if (rulesChanged) notes.push(pack.rulesSavedInSheet());
  } catch (error) {
    throw new InputError(pack.writeFailed({ file: outPath, detail: describeError(error) }));
  }

  // The summary.
  const ref = (i: number): string => pack.rowRef({ kind: table.rowKind, number: table.rows[i]?.number ?? 0 });
  const accountColumn = matching.matches.account?.column;
  const accountOf = (i: number): string => {
    const cell = accountColumn === undefined ? null : (table.rows[i]?.cells[accountColumn] ?? null);
    return cell === null || typeof cell === 'object' ? '' : String(cell).trim();
  };
  const fieldName = (id: string): string => (id === 'account' ? pack.accountField() : criterionLabel(rules, id, lang));
  const used = Object.entries(matching.matches).map(([id, m]) => pack.columnFrom({ header: m.header, field: fieldName(id) }));
  for (const [id, d] of Object.entries(derived)) used.push(pack.columnDerived({ headers: d.headers.map((h) => `"${h}"`).join(d.kind === 'marginFromProfit' ? ' ÷ ' : ', '), field: fieldName(id) }));
  const missing = rulesBefore.criteria.filter((c) => !matching.matches[c.id] && !derived[c.id]).map((c) => c.label[lang]);
  const unreadable = [...scored.filter((_, k) => result.problems.has(k)), ...[...rejected.keys()].filter((i) => !table.rows[i]?.rejected)].sort((a, b) => a - b);
  const malformed = [...rejected.keys()].filter((i) => table.rows[i]?.rejected);
  const blankCount = table.rows.filter((r) => r.blank).length;

  io.out(pack.scoredHeading({ count: table.rows.length - blankCount, file: input, sheet: xlsx ? xlsx.sheet.name : null }));
  io.out(pack.rulesFrom({ name: rules.name, source: rulesSource }));
  io.out(pack.columnsUsed({ list: pack.list(used) }));
  // Absent columns are said once, by the readiness notes below.
  if (missing.length > 0 && notes.length === 0) io.out(pack.columnsMissing({ list: pack.list(missing) }));
  for (const note of notes) io.out(note);
  // One row per order line rather than per account: say so, and what to run instead.
  if (accountColumn !== undefined) {
    const repeats = repeatedAccounts(scored.map((i) => (table.rows[i]?.cells[accountColumn] ?? null) as CellValue));
    if (repeats) io.out(pack.looksLikeOrderLines({ lines: repeats.lines, accounts: repeats.accounts, file: input }));
  }
  io.out('');
  io.out(pack.tiersHeading());
  const labels = OUTCOME_IDS.map((id: OutcomeId) => outcomeLabel(rules, id, lang));
  const labelWidth = Math.max(...labels.map(displayWidth));
  OUTCOME_IDS.forEach((id, k) => {
    const label = labels[k] as string;
    io.out(`  ${label}${' '.repeat(labelWidth - displayWidth(label))}  ${String(counts[id]).padStart(6)}`);
  });
  if (portfolio.length > 0) {
    io.out('');
    io.out(pack.warningsHeading());
    for (const w of portfolio) io.out(`  ${w}`);
  }
  io.out('');
  io.out(pack.unreadableRows({ count: unreadable.length, where: limited(unreadable.map(ref), LIST_LIMIT, pack) }));
  if (csv) io.out(pack.malformedLines({ count: malformed.length, where: limited(malformed.map(ref), LIST_LIMIT, pack) }));
  if (blankCount > 0) io.out(pack.blankRows({ count: blankCount }));

  // The rows that need the user's attention, on stderr.
  if (malformed.length > 0) {
    io.err(pack.stderrMalformed({ count: malformed.length, file: input }));
    for (const i of malformed) io.err(`  ${rejected.get(i) ?? ''}`);
  }
  if (unreadable.length > 0) {
    io.err(pack.stderrUnreadable({ count: unreadable.length }));
    for (const i of unreadable.slice(0, DETAIL_LIMIT)) io.err(`  ${pack.rowDetail({ ref: ref(i), account: accountOf(i), text: results[i]?.[2] ?? '' })}`);
    if (unreadable.length > DETAIL_LIMIT) io.err(`  ${pack.moreRows({ count: unreadable.length - DETAIL_LIMIT })}`);
  }

  const absolute = path.resolve(outPath);
  io.out('');
  io.out(`${pack.wrote({ file: absolute })}${existed ? ` ${pack.replaced()}` : ''}`);
  io.out(pack.openHint({ command: openCommand(absolute) }));
  return 0;
}

/** Terminal width of a text: CJK characters take two columns. */
function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  return width;
}
