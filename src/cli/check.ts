/**
 * `kam check FILE`: are the results a workbook holds still what its inputs and rules give? The
 * workbook's run record (custom properties, see xlsx/run-record.ts) says which rules the results
 * were computed with; the results are recomputed through `kam score` itself (into a temporary
 * copy, never the file) under the current rules and, when they changed, under the recorded ones,
 * so that each stale row is named with its reason.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { columnLetters, LABEL_PACKS, readRunRecord, rulesDiff, rulesFingerprint, ruleValueText, type CellValue, type Lang, type ResultKey, type RuleSet } from '../engine';
import { SYNC_PACKS } from './check-messages';
import { fileKind, InputError, requireFile } from './files';
import type { CliPack } from './messages';
import { accountColumn as accountColumnOf } from './pipeline/map';
import { readAccountRows } from './pipeline/read';
import { resolveRules } from './pipeline/rules';
import { runScore, type Output } from './score';
import { resultMarks } from './xlsx/accounts';
import { readCustomProperties } from './xlsx/run-record';
import { accountsSheet, reading, withWorkbook } from './xlsx-file';

export interface CheckOptions {
  file: string;
  sheet?: string | undefined;
  lang: Lang;
}

/** The result columns of a workbook's accounts sheet, as stored. */
export interface StoredResults {
  sheet: string;
  headerRow: number;
  rowCount: number;
  /** Marked result columns: key → zero-based column. */
  columns: Map<ResultKey, number>;
  /** Each result column's cells, by data row. */
  values: Map<ResultKey, CellValue[]>;
  /** The account's name on each data row ('' when none). */
  accounts: string[];
}

const SILENT: Output = { out: () => undefined, err: () => undefined };

/** Reads the result columns kam marked on the accounts sheet (and the account names, to name rows). */
export async function readStoredResults(file: string, sheetName: string | undefined, rules: RuleSet, pack: CliPack): Promise<StoredResults> {
  return withWorkbook(file, pack, async (book) => {
    const info = accountsSheet(book, sheetName, pack);
    const marks = resultMarks(book.model, info);
    let accountColumn: number | undefined;
    const read = await readAccountRows(book, info, rules, pack, (headers) => {
      accountColumn = accountColumnOf(headers, rules);
      return [...marks.values(), ...(accountColumn === undefined ? [] : [accountColumn])];
    });
    const values = new Map<ResultKey, CellValue[]>();
    for (const [key, col] of read.marked) {
      const column = read.columns.get(col);
      values.set(
        key,
        Array.from({ length: read.rowCount }, (_, i) => plain(column?.get(i))),
      );
    }
    const names = read.columns.get(accountColumn ?? -1);
    const accounts = Array.from({ length: read.rowCount }, (_, i) => {
      const v = plain(names?.get(i));
      return v === null || v === undefined ? '' : String(v as string | number).trim();
    });
    return { sheet: info.name, headerRow: read.headerRow, rowCount: read.rowCount, columns: read.marked, values, accounts };
  });
}

const plain = (v: unknown): CellValue =>
  v === null || v === undefined || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' || v instanceof Date ? v : null;
const blank = (v: CellValue): boolean => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
const sameCell = (a: CellValue, b: CellValue): boolean => (blank(a) && blank(b)) || (a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b);

export async function runCheck(options: CheckOptions, pack: CliPack, io: Output): Promise<number> {
  const { file, lang } = options;
  const say = SYNC_PACKS[lang];
  requireFile(file, pack);
  if (fileKind(file, pack) === 'csv') throw new InputError(say.checkCsv({ file }));

  // The record and the current rules, read from the file (which is only read).
  const { props, current } = await withWorkbook(file, pack, async (book) => {
    const props = await reading(book, pack, () => readCustomProperties(book.model.pkg));
    return { props, current: (await resolveRules(undefined, book, pack, lang)).rules };
  });
  const record = readRunRecord(props);
  if (!record) {
    io.out(say.noRecord({ file }));
    return 1;
  }
  const currentPrint = rulesFingerprint(current);
  const recordedRules = record.rules === undefined ? undefined : (JSON.parse(record.rules) as RuleSet);
  const rulesChanged = currentPrint !== record.fingerprint;

  const stored = await readStoredResults(file, options.sheet, current, pack);
  io.out(say.checking({ file, sheet: stored.sheet, at: record.appliedAt, version: record.version, lang: record.lang, fingerprint: record.fingerprint }));
  if (stored.columns.size === 0) {
    io.out(say.noResults({ file, sheet: stored.sheet }));
    return 1;
  }

  // Recompute through `kam score`, in the language the results were written in (tier labels, flags).
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kam-check-'));
  try {
    const rescore = async (name: string, rulesFile?: string): Promise<StoredResults> => {
      const out = path.join(dir, name);
      await runScore({ input: file, out, rules: rulesFile, sheet: options.sheet, map: [], lang: record.lang }, pack, SILENT);
      return readStoredResults(out, options.sheet, current, pack);
    };
    const now = await rescore('current.xlsx');
    let then: StoredResults | undefined;
    if (rulesChanged && recordedRules) {
      const rulesFile = path.join(dir, 'recorded.json');
      fs.writeFileSync(rulesFile, record.rules as string);
      then = await rescore('recorded.xlsx', rulesFile);
    }

    if (rulesChanged) {
      io.out(say.rulesChanged({ from: record.fingerprint, to: currentPrint }));
      if (recordedRules) {
        for (const d of rulesDiff(recordedRules, current)) io.out(say.ruleChange({ field: d.field[lang], from: ruleValueText(d.a, lang), to: ruleValueText(d.b, lang) }));
      } else io.out(say.recordWithoutRules());
    } else io.out(say.rulesSame());

    // Every stored result cell against the current one; the reasons from the run under the recorded rules.
    const lines: string[] = [];
    const staleRows = new Set<number>();
    const keys = [...new Set([...stored.columns.keys(), ...now.columns.keys()])];
    const show = (v: CellValue): string => (blank(v) ? say.empty() : v instanceof Date ? v.toISOString().slice(0, 10) : String(v));
    for (let i = 0; i < stored.rowCount; i++) {
      for (const key of keys) {
        const was = stored.values.get(key)?.[i] ?? null;
        const is = now.values.get(key)?.[i] ?? null;
        if (sameCell(was, is)) continue;
        staleRows.add(i);
        const reasons: string[] = [];
        if (!rulesChanged) reasons.push(say.reasonInputs());
        else if (!then) reasons.push(say.reasonRulesOrInputs());
        else {
          const before = then.values.get(key)?.[i] ?? null;
          if (!sameCell(was, before)) reasons.push(say.reasonInputs());
          if (!sameCell(before, is)) reasons.push(say.reasonRules());
        }
        const column = stored.columns.get(key) ?? now.columns.get(key) ?? 0;
        const header = LABEL_PACKS[record.lang].column[key.toLowerCase() as keyof (typeof LABEL_PACKS)['en']['column']];
        lines.push(
          say.staleCell({
            row: stored.headerRow + 1 + i,
            account: stored.accounts[i] ?? '',
            column: columnLetters(column),
            header,
            stored: show(was),
            current: show(is),
            reasons: reasons.join(lang === 'zh' ? '、' : ', '),
          }),
        );
      }
    }
    const results = stored.accounts.filter((_, i) => [...stored.values.values()].some((col) => !blank(col[i] ?? null))).length;
    if (lines.length === 0) {
      if (rulesChanged) io.out(say.rulesChangedNoRows());
      io.out(say.allCurrent({ count: results }));
      return 0;
    }
    io.out(say.staleRows({ rows: staleRows.size, cells: lines.length }));
    const LIMIT = 200;
    for (const line of lines.slice(0, LIMIT)) io.out(line);
    if (lines.length > LIMIT) io.out(say.more({ count: lines.length - LIMIT }));
    return 1;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
