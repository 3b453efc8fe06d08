import * as fs from 'node:fs';
import { cellAddress, formatMessage, parseCsv, parseRules, rulesFromTable, type Lang, type Message, type RulesTable, type RuleSet, type TableIssue } from '../engine';
import { decodeText } from './csv-file';
import { fileKind, InputError, requireFile } from './files';
import type { CliPack } from './messages';
import { findSheet, namedRulesArea, RULES_SHEET, sheetGrid, sheetNames, withWorkbook, type OpenWorkbook } from './xlsx-file';

export type RulesFileResult = { ok: true; rules: RuleSet; warnings: string[]; source: string } | { ok: false; problems: string[] };

interface Context {
  file: string;
  pack: CliPack;
  lang: Lang;
}

function renderWarnings(warnings: readonly Message[], ctx: Context): string[] {
  return warnings.map((w) => ctx.pack.rulesWarning({ file: ctx.file, text: formatMessage(w, ctx.lang) }));
}

/** Line and column (1-based) of a character offset. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

function fromJson(text: string, ctx: Context): RulesFileResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    const at = /\s*in JSON at position (\d+).*$/.exec(detail);
    const where = at ? lineAndColumn(text, Number(at[1])) : null;
    const problem = ctx.pack.rulesJsonSyntax({
      file: ctx.file,
      detail: at ? detail.slice(0, at.index) : detail,
      line: where?.line ?? null,
      column: where?.column ?? null,
    });
    return { ok: false, problems: [problem] };
  }
  const result = parseRules(json, ctx.lang);
  if (!result.ok) {
    return { ok: false, problems: result.issues.map((i) => ctx.pack.rulesIssue({ file: ctx.file, path: i.path, message: i.message, cell: null })) };
  }
  return { ok: true, rules: result.rules, warnings: renderWarnings(result.warnings, ctx), source: ctx.file };
}

/** Decodes the table form; issues name their cell as `<sheet>!A1` (or plain A1 for a CSV file). */
export function fromTable(grid: RulesTable, sheet: string | null, ctx: Context, origin: { row: number; col: number } = { row: 0, col: 0 }): RulesFileResult {
  const result = rulesFromTable(grid, ctx.lang);
  if (!result.ok) {
    const cellOf = (issue: TableIssue): string | null => {
      if (!issue.cell) return null;
      const a1 = cellAddress(issue.cell, origin);
      return sheet === null ? a1 : `'${sheet}'!${a1}`;
    };
    return { ok: false, problems: result.issues.map((i) => ctx.pack.rulesIssue({ file: ctx.file, path: i.path, message: i.message, cell: cellOf(i) })) };
  }
  const source = sheet === null ? ctx.file : ctx.pack.workbookRulesSource({ file: ctx.file, sheet });
  return { ok: true, rules: result.rules, warnings: renderWarnings(result.warnings, ctx), source };
}

/**
 * The rule set a workbook holds: the cells the name KAM_RULES points at (what the pane and the
 * formulas read, so that a note beside the table is not taken for a rule), else the whole
 * "KAM Rules" sheet; undefined when it has neither.
 */
export async function rulesInWorkbook(book: OpenWorkbook, pack: CliPack, lang: Lang): Promise<(RulesFileResult & { sheet: string }) | undefined> {
  const file = book.file;
  const named = namedRulesArea(book);
  const namedSheet = named ? findSheet(book, named.sheet) : undefined;
  if (named && namedSheet?.isWorksheet) {
    return { ...fromTable(await sheetGrid(book, namedSheet, pack, named.area), namedSheet.name, { file, pack, lang }, named.area), sheet: namedSheet.name };
  }
  const sheet = findSheet(book, RULES_SHEET);
  return sheet?.isWorksheet ? { ...fromTable(await sheetGrid(book, sheet, pack), sheet.name, { file, pack, lang }), sheet: sheet.name } : undefined;
}

/** Reads a rule set from a .json file, or from the table form in an .xlsx ("KAM Rules" sheet) or .csv file. */
export async function readRulesFile(file: string, pack: CliPack, lang: Lang): Promise<RulesFileResult> {
  const ctx: Context = { file, pack, lang };
  requireFile(file, pack);
  if (file.toLowerCase().endsWith('.json')) return fromJson(decodeText(fs.readFileSync(file), file, pack), ctx);
  const kind = fileKind(file, pack);
  if (kind === 'csv') {
    const { records } = parseCsv(decodeText(fs.readFileSync(file), file, pack));
    return fromTable(
      records.map((r) => r.fields),
      null,
      ctx,
    );
  }
  return withWorkbook(file, pack, async (book) => {
    const found = await rulesInWorkbook(book, pack, lang);
    if (!found) return { ok: false, problems: [pack.rulesSheetMissing({ file, sheet: RULES_SHEET, sheets: sheetNames(book) })] };
    return found;
  });
}

/** Invalid rules stop a run in one message: how many problems, then each on its line. */
export function rulesInvalidError(file: string, problems: readonly string[], pack: CliPack): InputError {
  return new InputError([pack.rulesInvalid({ file, count: problems.length }), ...problems.map((p) => `  ${p}`)].join('\n'));
}

/** Like readRulesFile, for commands that cannot go on without the rules: problems become one InputError. */
export async function loadRulesFile(file: string, pack: CliPack, lang: Lang): Promise<RulesFileResult & { ok: true }> {
  const result = await readRulesFile(file, pack, lang);
  if (!result.ok) throw rulesInvalidError(file, result.problems, pack);
  return result;
}
