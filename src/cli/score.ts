import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  accountFields,
  cellAddress,
  countOutcomes,
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
import { KEPT_DETAILS, openCsv, scoreCsv, type ResultCells, type ResultColumns, type ScoreRun } from './csv-file';
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

function limited(items: readonly string[], total: number, limit: number, pack: CliPack): string {
  const shown = items.slice(0, limit);
  const more = total - shown.length;
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

  // A CSV file is read up to its header here, and streamed through the kernel below.
  const csv = kind === 'csv' ? await openCsv(input, pack) : undefined;
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
  const matched = rules.criteria.filter((c) => matching.matches[c.id]);
  if (matched.length === 0) {
    const expected = rules.criteria.map((c) => `${c.id} ("${c.label.en}", "${c.label.zh}", …)`).join(', ');
    throw new InputError(pack.noCriterionColumns({ file: where, headers: quotedHeaders, expected }));
  }
  const existed = fs.existsSync(outPath);
  const run: ScoreRun = csv
    ? await scoreCsvFile(csv, { rules, lang, columns, outPath, matched: matched.map((c) => ({ id: c.id, column: (matching.matches[c.id] as { column: number }).column })), accountColumn: matching.matches.account?.column }, pack)
    : await scoreWorkbook();
  printSummary();
  return 0;

  /** The workbook path: the whole sheet in memory (its streaming rewrite is issue 7, item 2). */
  async function scoreWorkbook(): Promise<ScoreRun> {
    // Rows the kernel reads: not blank, not rejected while reading, no criterion formula without a result.
    const rejected = new Map<number, string>();
    table.rows.forEach((row, i) => {
      if (row.rejected) rejected.set(i, row.rejected);
      if (row.blank || row.rejected) return;
      const problems: string[] = [];
      for (const c of matched) {
        const column = (matching.matches[c.id] as { column: number }).column;
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
      const column = (matching.matches[c.id] as { column: number }).column;
      // Dates are passed on as they are: the engine reports that a date is not an amount.
      kernelColumns[c.id] = scored.map((i) => (table.rows[i]?.cells[column] ?? null) as CellValue);
  }
    const result = scoreColumns({ rowCount: scored.length, columns: kernelColumns }, rules);

    const invalidLabel = outcomeLabel(rules, 'invalid', lang);
    const results: Array<ResultCells | null> = table.rows.map(() => null);
    scored.forEach((rowIndex, k) => {
      const s = result.score[k] as number;
      results[rowIndex] = [s === s ? s : null, outcomeLabel(rules, outcomeAt(result, k), lang), flagsText(rowFlags(result, k), lang, rules)];
    });
    for (const [rowIndex, reason] of rejected) results[rowIndex] = [null, invalidLabel, reason];

    const counts = countOutcomes(result);
    counts.invalid += rejected.size;

    // Write the result beside the input (or to --out), through a temporary file.
    try {
      if (xlsx) {
        setResultColumns(xlsx, results, columns);
        // The rules travel with the workbook, so that what it shows can be explained and re-run.
        if (!rulesFromWorkbook) writeRulesSheet(xlsx.workbook, rulesToTable(rules));
        await writeAtomically(outPath, (temp) => xlsx.workbook.xlsx.writeFile(temp));
      }
    } catch (error) {
      throw new InputError(pack.writeFailed({ file: outPath, detail: describeError(error) }));
  }

    const accountColumn = matching.matches.account?.column;
    const accountOf = (i: number): string => {
      const cell = accountColumn === undefined ? null : (table.rows[i]?.cells[accountColumn] ?? null);
      return cell === null || typeof cell === 'object' ? '' : String(cell).trim();
    };
    const unreadable = [...scored.filter((_, k) => result.problems.has(k)), ...[...rejected.keys()].filter((i) => !table.rows[i]?.rejected)].sort((a, b) => a - b);
    const malformed = [...rejected.keys()].filter((i) => table.rows[i]?.rejected);
    const blankCount = table.rows.filter((r) => r.blank).length;
    const numberOf = (i: number): number => table.rows[i]?.number ?? 0;
    return {
      accounts: table.rows.length - blankCount,
      blank: blankCount,
      counts,
      unreadable: { count: unreadable.length, rows: unreadable.slice(0, KEPT_DETAILS).map((i) => ({ number: numberOf(i), account: accountOf(i), text: results[i]?.[2] ?? '' })) },
      malformed: { count: malformed.length, rows: malformed.slice(0, KEPT_DETAILS).map((i) => ({ number: numberOf(i), message: rejected.get(i) ?? '' })) },
    };
  }

  /** The summary on stdout, and the rows that need the user's attention on stderr. */
  function printSummary(): void {
    const { counts } = run;
    const portfolio = portfolioWarnings(counts, rules).map((m) => formatMessage(m, lang, (id, l) => criterionLabel(rules, id, l)));
    const ref = (number: number): string => pack.rowRef({ kind: table.rowKind, number });
    const fieldName = (id: string): string => (id === 'account' ? pack.accountField() : criterionLabel(rules, id, lang));
    const used = Object.entries(matching.matches).map(([id, m]) => pack.columnFrom({ header: m.header, field: fieldName(id) }));
    const missing = rules.criteria.filter((c) => !matching.matches[c.id]).map((c) => c.label[lang]);
    const { unreadable, malformed, blank: blankCount } = run;

    io.out(pack.scoredHeading({ count: run.accounts, file: input, sheet: xlsx ? xlsx.sheet.name : null }));
    io.out(pack.rulesFrom({ name: rules.name, source: rulesSource }));
    io.out(pack.columnsUsed({ list: pack.list(used) }));
    if (missing.length > 0) io.out(pack.columnsMissing({ list: pack.list(missing) }));
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
    io.out(pack.unreadableRows({ count: unreadable.count, where: limited(unreadable.rows.map((r) => ref(r.number)), unreadable.count, LIST_LIMIT, pack) }));
    if (csv) io.out(pack.malformedLines({ count: malformed.count, where: limited(malformed.rows.map((r) => ref(r.number)), malformed.count, LIST_LIMIT, pack) }));
    if (blankCount > 0) io.out(pack.blankRows({ count: blankCount }));

    // The rows that need the user's attention, on stderr.
    if (malformed.count > 0) {
      io.err(pack.stderrMalformed({ count: malformed.count, file: input }));
      for (const r of malformed.rows) io.err(`  ${r.message}`);
      if (malformed.count > malformed.rows.length) io.err(`  ${pack.moreRows({ count: malformed.count - malformed.rows.length })}`);
  }
    if (unreadable.count > 0) {
      io.err(pack.stderrUnreadable({ count: unreadable.count }));
      for (const r of unreadable.rows.slice(0, DETAIL_LIMIT)) io.err(`  ${pack.rowDetail({ ref: ref(r.number), account: r.account, text: r.text })}`);
      if (unreadable.count > DETAIL_LIMIT) io.err(`  ${pack.moreRows({ count: unreadable.count - DETAIL_LIMIT })}`);
  }

    const absolute = path.resolve(outPath);
    io.out('');
    io.out(`${pack.wrote({ file: absolute })}${existed ? ` ${pack.replaced()}` : ''}`);
    io.out(pack.openHint({ command: openCommand(absolute) }));
  }
}

/** A CSV file scored as it streams; a failure to write names the output file. */
async function scoreCsvFile(...args: Parameters<typeof scoreCsv>): Promise<ScoreRun> {
  try {
    return await scoreCsv(...args);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(args[2].writeFailed({ file: args[1].outPath, detail: describeError(error) }));
  }
}

/** Terminal width of a text: CJK characters take two columns. */
function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  return width;
}
