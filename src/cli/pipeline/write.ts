/**
 * The writing step: the scored workbook written beside the input (or to --out) through a temporary
 * file, every part kam does not change coming back as it was.
 */
import * as fs from 'node:fs';
import { CURRENCY_FIELD, LABEL_PACKS, LANGUAGES, normalizeWord, rulesToTable, runRecordProperties, type CellValue, type ResultKey as MarkKey } from '../../engine';
import { chartColours, RESULT_KEYS, tierColours, type ResultKey as ReportKey } from '../../engine/report';
import { SUMMARY_SHEET } from '../../gateway/types';
import { describeError, InputError, writeAtomically } from '../files';
import type { CliPack } from '../messages';
import { planPortable } from '../portable';
import { displayWidth } from '../run-summary';
import type { ScoreOptions } from '../score';
import type { WriteOutcome } from '../xlsx/edit';
import { productVersion } from '../xlsx/run-record';
import { planResultColumns, reading, rulesSheet, RULES_NAME, writeWorkbook, type OpenWorkbook, type ResultColumn } from '../xlsx-file';
import { inputColumns } from './map';
import type { MappedSheet } from './read';
import type { RunReport } from './report';
import type { FittedRules, ResolvedRules } from './rules';
import type { ScoredRows } from './score';

/** What writing did, for the summary. */
export interface WrittenWorkbook {
  /** The output replaced a file that was there. */
  existed: boolean;
  /** The user's columns whose titles look like ours: left as they are, ours beside them. */
  keptColumns: string[];
  shown: WriteOutcome | undefined;
  notes: string[];
}

/**
 * Writes the result columns into the accounts sheet (an earlier run's columns reused, its stale
 * ones emptied), the rules sheet when the rules are new to the workbook, the run record and the
 * KAM Summary; with --formulas portable, score, tier and flags as formulas over the rules sheet.
 */
export async function writeScoredWorkbook(
  book: OpenWorkbook,
  outPath: string,
  run: { input: MappedSheet; resolved: ResolvedRules; fitted: FittedRules; scored: ScoredRows; report: RunReport },
  options: ScoreOptions,
  pack: CliPack,
): Promise<WrittenWorkbook> {
  const { input, fitted, scored, report } = run;
  const { sheet, rows } = input;
  const { rules } = fitted;
  const { lang } = options;
  const written = report.columns;
  const existed = fs.existsSync(outPath);
  const notes: string[] = [];
  let keptColumns: string[] = [];
  let shown: WriteOutcome | undefined;
  try {
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
    const reportIndex = new Int32Array(rows.count).fill(-1);
    report.rows.forEach((i, k) => (reportIndex[i] = k));
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
      ...stale.map((mark): ResultColumn => ({
        key: mark,
        header: LABEL_PACKS[lang].column[mark.toLowerCase() as ReportKey],
        kind: 'text',
        numberFormat: '@',
        width: 14,
        value: () => null,
      })),
    ];
    // The rules travel with the workbook, so that what it shows can be explained and re-run.
    // Portable formulas read the rules sheet's cells: it is written in the layout they address.
    const rulesTable = rulesToTable(rules, { lang });
    const rulesSpec = run.resolved.fromWorkbook && !fitted.changed && !options.formulas ? undefined : rulesSheet(rulesTable);
    if (options.formulas === 'portable') {
      const plan = planPortable({
        rules,
        lang,
        table: rulesTable,
        inputColumns: inputColumns(input.columns),
        currencyColumn: rules.currency === undefined ? undefined : input.columns.matches[CURRENCY_FIELD]?.column,
        scoreColumn: positions.get('SCORE') as number,
        rowNumber: rows.number,
        engineFlags: (i) => scored.flags[i] ?? '',
      });
      columns.forEach((c, k) => {
        if (c.key !== 'SCORE' && c.key !== 'TIER' && c.key !== 'FLAGS') return;
        const key = c.key;
        const plain = c.value;
        columns[k] = { ...c, value: (i) => ((reportIndex[i] as number) < 0 ? null : (plan.cell(key, i, plain(i) as number | string | null) ?? plain(i))) };
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
            summary: { content: report.summary, name: SUMMARY_SHEET, colours: chartColours(rules) },
          },
          temp,
        ),
      );
    });
    if (fitted.changed) notes.push(pack.rulesSavedInSheet());
  } catch (error) {
    throw new InputError(pack.writeFailed({ file: outPath, detail: describeError(error) }));
  }
  return { existed, keptColumns, shown, notes };
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
