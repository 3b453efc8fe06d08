import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultRules, rulesToTable, writeCsv, type Lang, type RuleSet } from '../engine';
import { describeError, InputError, writeAtomically } from './files';
import type { CliPack } from './messages';
import { loadRulesFile, readRulesFile } from './rules-file';
import type { Output } from './score';
import { newWorkbook, writeRulesSheet } from './xlsx-file';

export interface RulesOptions {
  /** `check`, `table`, or undefined to print the rules as JSON. */
  action: 'check' | 'table' | undefined;
  /** The file to check (for `check`). */
  file?: string | undefined;
  rules?: string | undefined;
  out?: string | undefined;
  lang: Lang;
}

async function chosenRules(options: RulesOptions, pack: CliPack, io: Output): Promise<RuleSet> {
  if (options.rules === undefined) return defaultRules();
  const loaded = await loadRulesFile(options.rules, pack, options.lang);
  for (const w of loaded.warnings) io.err(w);
  return loaded.rules;
}

export async function runRules(options: RulesOptions, pack: CliPack, io: Output): Promise<number> {
  if (options.action === 'check') {
    const file = options.file;
    if (file === undefined) throw new InputError(pack.missingInput(), 'kam rules');
    const result = await readRulesFile(file, pack, options.lang);
    if (!result.ok) {
      for (const p of result.problems) io.out(p);
      io.err(pack.rulesInvalid({ file, count: result.problems.length }));
      return 2;
    }
    io.out(pack.rulesValid({ file, name: result.rules.name, criteria: result.rules.criteria.length, knockouts: result.rules.knockouts.length }));
    for (const w of result.warnings) io.out(w);
    return 0;
  }

  const rules = await chosenRules(options, pack, io);
  if (options.action === undefined) {
    io.out(JSON.stringify(rules, null, 2));
    return 0;
  }

  const table = rulesToTable(rules);
  const asText = table.map((row) => row.map((v) => (v === null || v === undefined ? '' : String(v))));
  if (options.out === undefined) {
    io.out(writeCsv(asText, { lineBreak: '\n' }).trimEnd());
    return 0;
  }
  const out = options.out;
  const ext = path.extname(out).toLowerCase();
  if (ext !== '.xlsx' && ext !== '.csv') throw new InputError(pack.unsupportedType({ file: out, ext: ext === '' ? '(none)' : ext }));
  // Never write over a file the user already has (it may be their workbook).
  if (fs.existsSync(out)) throw new InputError(pack.outExists({ file: out }));
  try {
    if (ext === '.csv') {
      const text = writeCsv(asText, { bom: true });
      await writeAtomically(out, (temp) => fs.writeFileSync(temp, text));
    } else {
      const workbook = await newWorkbook();
      writeRulesSheet(workbook, table);
      await writeAtomically(out, (temp) => workbook.xlsx.writeFile(temp));
    }
  } catch (error) {
    throw new InputError(pack.writeFailed({ file: out, detail: describeError(error) }));
  }
  io.out(pack.tableWritten({ file: path.resolve(out) }));
  return 0;
}
