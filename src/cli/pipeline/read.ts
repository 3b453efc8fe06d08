/**
 * The reading step: where a run's input and output are, and the accounts sheet read with its
 * columns mapped while it streams, so that only the columns the rules read are kept in memory.
 */
import * as path from 'node:path';
import { matchColumns, type RuleSet } from '../../engine';
import { defaultOutputPath, fileKind, InputError, requireFile, sameFile, type FileKind } from '../files';
import type { CliPack } from '../messages';
import { inputFields } from '../report';
import type { SheetInfo } from '../xlsx/workbook';
import { accountsSheet, readXlsxAccounts, RULES_SHEET, type AccountsSheet, type OpenWorkbook } from '../xlsx-file';
import { mapColumns, type AccountRows, type MappedColumns } from './map';

/** Checked before anything is read: the input exists, and the result goes to a file of its kind that is not the input. */
export function scorePaths(input: string, out: string | undefined, pack: CliPack): { kind: FileKind; outPath: string } {
  requireFile(input, pack);
  const kind = fileKind(input, pack);
  const outPath = out ?? defaultOutputPath(input);
  if (sameFile(outPath, input)) throw new InputError(pack.outIsInput({ file: outPath }));
  const outExt = path.extname(outPath).toLowerCase();
  const outKind = outExt === '.csv' || outExt === '.tsv' || outExt === '.txt' ? 'csv' : outExt === '.xlsx' || outExt === '.xlsm' ? 'xlsx' : null;
  if (outKind !== kind) throw new InputError(pack.outWrongType({ file: outPath, ext: kind === 'csv' ? '.csv' : '.xlsx' }));
  // A workbook keeps its kind: macros need .xlsm, and Excel refuses a macro-free package under that name.
  const inExt = path.extname(input).toLowerCase();
  if (kind === 'xlsx' && outExt !== inExt) throw new InputError(pack.outWrongType({ file: outPath, ext: inExt }));
  return { kind, outPath };
}

/** Reads an accounts sheet in one stream, its header row found by the fields these rules name; `choose` names the columns to keep. */
export function readAccountRows(book: OpenWorkbook, sheet: SheetInfo, rules: RuleSet, pack: CliPack, choose: (headers: string[]) => readonly number[]): Promise<AccountsSheet> {
  const fields = inputFields(rules);
  return readXlsxAccounts(book, sheet, pack, { namedFields: (texts) => Object.keys(matchColumns(texts, fields).matches).length, choose });
}

/** The accounts of a workbook as `kam score` scores them. */
export interface MappedSheet {
  info: SheetInfo;
  sheet: AccountsSheet;
  rows: AccountRows;
  columns: MappedColumns;
  /** The rows the kernel reads (not blank, not rejected): calibration, the scale hint and the order-lines hint look at these. */
  readable: number[];
}

/** Reads the accounts sheet (the named one, else the first), mapping its columns to the rules' fields as its header is read. */
export async function readMappedAccounts(
  book: OpenWorkbook,
  sheetName: string | undefined,
  rules: RuleSet,
  mapping: Readonly<Record<string, string>>,
  pack: CliPack,
): Promise<MappedSheet> {
  const info = accountsSheet(book, sheetName, pack);
  const where = pack.sheetWithName({ file: book.file, sheet: info.name });
  const otherSheets = sheetName === undefined ? book.model.sheets.filter((s) => s.isWorksheet && s !== info && s.name !== RULES_SHEET).map((s) => s.name) : [];
  const map = (headers: readonly string[]): MappedColumns => mapColumns(headers, rules, mapping, pack, { where, otherSheets });
  let columns: MappedColumns | undefined;
  const sheet = await readAccountRows(book, info, rules, pack, (headers) => {
    columns = map(headers);
    // The derived criteria's source columns (sales by year, profit) are read too.
    return columns.kept;
  });
  columns ??= map(sheet.headers);
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
  const readable: number[] = [];
  for (let i = 0; i < rows.count; i++) if (!rows.blank(i) && !rows.rejected(i)) readable.push(i);
  return { info, sheet, rows, columns, readable };
}
