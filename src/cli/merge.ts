/**
 * `kam merge A.xlsx B.xlsx … --out ALL.xlsx`: regional copies of a workbook brought together. The
 * accounts of every copy go into one sheet with a Region column, every rule that differs between
 * the copies is listed, and the whole is scored by `kam score` under the one rule set named. The
 * inputs are only read.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type ExcelJS from 'exceljs';
import { normalizeWord, rulesDiff, rulesFingerprint, ruleValueText, columnLetters, type CellValue, type Lang, type Localized, type RuleSet } from '../engine';
import { SYNC_PACKS } from './check-messages';
import { fileKind, InputError, requireFile, sameFile } from './files';
import type { CliPack } from './messages';
import { accountColumn } from './pipeline/map';
import { readAccountRows } from './pipeline/read';
import { resolveRules, workbookRules } from './pipeline/rules';
import { loadRulesFile } from './rules-file';
import { runScore, type Output } from './score';
import { isFormulaWithoutResult, type InputCell } from './table';
import { resultMarks } from './xlsx/accounts';
import { accountsSheet, newWorkbook, RULES_SHEET, sheetNames, withWorkbook } from './xlsx-file';

export interface MergeOptions {
  files: readonly string[];
  out?: string | undefined;
  rules?: string | undefined;
  rulesFrom?: string | undefined;
  lang: Lang;
}

/** One regional copy as read: its rules and its accounts (result columns of an earlier run left out). */
interface RegionalCopy {
  file: string;
  region: string;
  sheet: string;
  rules: RuleSet;
  /** The rules are the workbook's own (not the defaults, for want of a rules sheet). */
  ownRules: boolean;
  headers: string[];
  rows: InputCell[][];
}

async function readCopy(file: string, pack: CliPack, lang: Lang): Promise<RegionalCopy> {
  return withWorkbook(file, pack, async (book) => {
    const { rules, fromWorkbook } = await resolveRules(undefined, book, pack, lang);
    const info = accountsSheet(book, undefined, pack);
    const marked = new Set(resultMarks(book.model, info).values());
    let kept: number[] = [];
    const read = await readAccountRows(book, info, rules, pack, (headers) => (kept = headers.map((_, i) => i).filter((i) => !marked.has(i))));
    // A column without a header still carries its cells, under a name that says where it was.
    const headers = kept.map((c) => read.headers[c] || `(${columnLetters(c)})`);
    const rows: InputCell[][] = [];
    for (let i = 0; i < read.rowCount; i++) {
      if (read.nonBlank[i] !== 1) continue;
      rows.push(kept.map((c) => read.columns.get(c)?.get(i) ?? null));
    }
    return { file, region: '', sheet: info.name, rules, ownRules: fromWorkbook, headers, rows };
  });
}

/** Region names from the files' names (without extension), made unique. */
function regionNames(files: readonly string[]): string[] {
  const names: string[] = [];
  for (const f of files) {
    const base = path.basename(f).replace(/\.[^.]+$/, '');
    let name = base;
    for (let n = 2; names.includes(name); n++) name = `${base} (${n})`;
    names.push(name);
  }
  return names;
}

export async function runMerge(options: MergeOptions, pack: CliPack, io: Output): Promise<number> {
  const { files, lang } = options;
  const say = SYNC_PACKS[lang];
  if (files.length < 2) throw new InputError(say.mergeNeedsFiles(), 'kam merge');
  if (options.out === undefined) throw new InputError(say.mergeNeedsOut(), 'kam merge');
  const out = options.out;
  if (!/\.xls[xm]$/i.test(out)) throw new InputError(say.mergeOutType({ file: out }), 'kam merge');
  if (options.rules !== undefined && options.rulesFrom !== undefined) throw new InputError(say.mergeRulesBoth(), 'kam merge');
  for (const file of files) {
    requireFile(file, pack);
    if (fileKind(file, pack) !== 'xlsx') throw new InputError(say.mergeOnlyXlsx({ file }), 'kam merge');
    if (sameFile(out, file)) throw new InputError(say.mergeOutIsInput({ file: out }), 'kam merge');
  }

  const copies: RegionalCopy[] = [];
  const regions = regionNames(files);
  for (const [k, file] of files.entries()) copies.push({ ...(await readCopy(file, pack, lang)), region: regions[k] as string });

  // Every rule that differs, with each file's value (compared with the first file; the others agree with it where not listed).
  const differences = new Map<string, { field: Localized; first: unknown; values: Map<number, unknown> }>();
  const first = copies[0] as RegionalCopy;
  copies.slice(1).forEach((copy, j) => {
    for (const d of rulesDiff(first.rules, copy.rules)) {
      const entry = differences.get(d.path) ?? { field: d.field, first: d.a, values: new Map<number, unknown>() };
      entry.values.set(j + 1, d.b);
      differences.set(d.path, entry);
    }
  });
  io.out(say.mergeHeading({ count: files.length }));
  for (const copy of copies) io.out(say.mergeFileRows({ file: copy.file, sheet: copy.sheet, rows: copy.rows.length, region: copy.region, rules: rulesFingerprint(copy.rules) }));
  if (differences.size === 0) io.out(say.mergeRulesSame({ files: files.length }));
  else {
    io.out(say.mergeRulesDiffer({ count: differences.size, files: files.length }));
    for (const [where, d] of differences) {
      const values = copies
        .map((c, k) => `${path.basename(c.file)} ${ruleValueText(k === 0 ? d.first : d.values.has(k) ? d.values.get(k) : d.first, lang)}`)
        .join(lang === 'zh' ? ';' : '; ');
      io.out(say.mergeDifference({ field: d.field[lang], path: where, values }));
    }
  }

  // The one rule set everything is scored with.
  let rules: RuleSet;
  let source: string;
  if (options.rules !== undefined) {
    rules = (await loadRulesFile(options.rules, pack, lang)).rules;
    source = options.rules;
  } else if (options.rulesFrom !== undefined) {
    const from = options.rulesFrom;
    const copy = copies.find((c) => fs.existsSync(from) && sameFile(c.file, from));
    if (copy) rules = copy.rules;
    else {
      if (!fs.existsSync(from)) throw new InputError(say.mergeRulesFromUnknown({ file: from }), 'kam merge');
      rules = await withWorkbook(from, pack, async (book) => {
        const own = await workbookRules(book, pack, lang);
        if (!own) throw new InputError(pack.rulesSheetMissing({ file: from, sheet: RULES_SHEET, sheets: sheetNames(book) }));
        return own.rules;
      });
    }
    source = from;
  } else {
    if (differences.size > 0) throw new InputError(say.mergeChooseRules(), 'kam merge');
    rules = first.rules;
    source = first.ownRules ? files.join(', ') : say.defaultRules();
  }
  io.out(say.mergeRulesUsed({ source }));

  // Columns matched by their header (spelling and case aside), in the order they first appear.
  const columns: Array<{ key: string; header: string; files: Set<number> }> = [];
  const at = copies.map((copy, k) =>
    copy.headers.map((h) => {
      const key = normalizeWord(h);
      let c = columns.findIndex((x) => x.key === key);
      if (c < 0) c = columns.push({ key, header: h, files: new Set() }) - 1;
      columns[c]?.files.add(k);
      return c;
    }),
  );
  // The same account in several regions is kept on each row; saying so lets the user decide.
  const accountAt = accountColumn(
    columns.map((c) => c.header),
    rules,
  );
  if (accountAt !== undefined) {
    const regionsOf = new Map<string, Set<string>>();
    copies.forEach((copy, k) => {
      const c = (at[k] as number[]).indexOf(accountAt);
      for (const row of copy.rows) {
        const name = c < 0 ? '' : String((row[c] as CellValue) ?? '').trim();
        if (name !== '') regionsOf.set(name, (regionsOf.get(name) ?? new Set()).add(copy.region));
      }
    });
    const shared = [...regionsOf].filter(([, r]) => r.size > 1).map(([name, r]) => `${name} (${[...r].join(', ')})`);
    if (shared.length > 0) io.out(say.mergeSameAccounts({ count: shared.length, list: pack.list(shared.length > 10 ? [...shared.slice(0, 10), '…'] : shared) }));
  }
  for (const c of columns) {
    if (c.files.size < copies.length) io.out(say.mergeHeadersDiffer({ header: c.header, files: [...c.files].map((k) => path.basename(copies[k]?.file ?? '')).join(', ') }));
  }

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kam-merge-'));
  try {
    const merged = path.join(dir, `${path.basename(out).replace(/\.[^.]+$/, '')}.xlsx`);
    const workbook = await newWorkbook();
    const sheet = workbook.addWorksheet(say.mergedSheet);
    sheet.addRow([say.regionHeader, ...columns.map((c) => c.header)]);
    copies.forEach((copy, k) => {
      const map = at[k] as number[];
      for (const row of copy.rows) {
        const cells: ExcelJS.CellValue[] = new Array<ExcelJS.CellValue>(columns.length + 1).fill(null);
        cells[0] = copy.region;
        row.forEach((v, c) => (cells[(map[c] as number) + 1] = asExcel(v)));
        sheet.addRow(cells);
      }
    });
    await workbook.xlsx.writeFile(merged);
    const rulesFile = path.join(dir, 'rules.json');
    fs.writeFileSync(rulesFile, JSON.stringify(rules));
    // `kam score` writes --out; the temporary names in what it says are the merge's.
    const named = (line: string): string => line.split(merged).join(path.basename(out)).split(rulesFile).join(source);
    // Accounts repeated across regions were named above: score's advice to roll order lines up does not apply here.
    const template = pack.looksLikeOrderLines({ lines: 1_234_567, accounts: 7_654_321, file: '\u0000' });
    const orderLinesHint = new RegExp(
      `^${template
        .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
        .replace(/1,?234,?567|7,?654,?321/g, '[\\d,]+')
        .replace('\u0000', '.*')}$`,
    );
    const scoreLine = (l: string): void => {
      if (!orderLinesHint.test(l)) io.out(named(l));
    };
    io.out('');
    return await runScore({ input: merged, out, rules: rulesFile, map: [], lang }, pack, { out: scoreLine, err: (l) => io.err(named(l)) });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A cell for the merged sheet: a formula saved without its result stays visibly a formula, as text (its value is unknown). */
function asExcel(v: InputCell): ExcelJS.CellValue {
  if (isFormulaWithoutResult(v)) return `=${v.formulaWithoutResult}`;
  return v as CellValue as ExcelJS.CellValue;
}
