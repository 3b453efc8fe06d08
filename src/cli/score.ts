/**
 * `kam score`: a run is a pipeline of named steps (src/cli/pipeline/), read → resolve rules → map
 * → score → write, which `kam check`, `kam merge` and `kam rollup` share where they do the same.
 */
import { InputError } from './files';
import type { CliPack } from './messages';
import { scoreCsvStreamed } from './csv-stream';
import type { Lang } from '../engine';
import type { SummarySheet } from '../engine/report';
import { parseMapping } from './pipeline/map';
import { readMappedAccounts, scorePaths } from './pipeline/read';
import { withWorkbook } from './xlsx-file';
import { reportRun } from './pipeline/report';
import { fitRules, namedRules, resolveRules } from './pipeline/rules';
import { scoreRows } from './pipeline/score';
import { tellScoreRun } from './pipeline/tell';
import { writeScoredWorkbook } from './pipeline/write';

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

export async function runScore(options: ScoreOptions, pack: CliPack, io: Output): Promise<number> {
  const { input, lang } = options;
  const { kind, outPath } = scorePaths(input, options.out, pack);
  const named = await namedRules(options.rules, pack, lang);
  if (options.formulas !== undefined && kind === 'csv') throw new InputError(pack.formulasNeedWorkbook({ file: input }), 'kam score');
  // A CSV is streamed (src/cli/csv-stream.ts): memory stays flat whatever its number of lines.
  if (kind === 'csv') {
    const { rules, source, warnings } = await resolveRules(named, undefined, pack, lang);
    return scoreCsvStreamed({ options, pack, io, rules, rulesSource: source, warnings, outPath, parseMapping });
  }
  return withWorkbook(input, pack, async (book) => {
    const resolved = await resolveRules(named, book, pack, lang);
    for (const w of resolved.warnings) io.err(w);
    const mapping = parseMapping(options.map, resolved.rules, pack);
    const accounts = await readMappedAccounts(book, options.sheet, resolved.rules, mapping, pack);
    const fitted = fitRules(resolved.rules, accounts, mapping, options, pack);
    const scored = scoreRows(accounts, fitted, pack, lang);
    const report = await reportRun(book, accounts, fitted, scored, options, pack);
    const written = await writeScoredWorkbook(book, outPath, { input: accounts, resolved, fitted, scored, report }, options, pack);
    tellScoreRun(io, pack, options, { outPath, resolved, input: accounts, fitted, scored, report, written });
    return 0;
  });
}
