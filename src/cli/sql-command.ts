import { defaultRules, rulesToSql, SQL_DIALECTS, type Lang, type RuleSet, type SqlDialect } from '../engine';
import { InputError } from './files';
import type { CliPack } from './messages';
import { loadRulesFile } from './rules-file';
import type { Output } from './score';

export interface SqlCommandOptions {
  rules?: string | undefined;
  dialect?: string | undefined;
  table?: string | undefined;
  /** `criterion=column` pairs. */
  map: readonly string[];
  /** The table's columns, comma-separated, so the result lists exactly them plus the kam_ columns. */
  columns?: string | undefined;
  lang: Lang;
}

/** `kam sql`: prints the rule set as one SQL query; the generator lives in the engine. */
export async function runSql(options: SqlCommandOptions, pack: CliPack, io: Output): Promise<number> {
  const dialect = (options.dialect ?? 'duckdb').trim().toLowerCase();
  if (!(SQL_DIALECTS as readonly string[]).includes(dialect)) {
    throw new InputError(pack.badDialect({ dialect: options.dialect ?? '', known: SQL_DIALECTS.join(', ') }), 'kam sql');
  }
  let rules: RuleSet = defaultRules();
  if (options.rules !== undefined) {
    const loaded = await loadRulesFile(options.rules, pack, options.lang);
    for (const w of loaded.warnings) io.err(w);
    rules = loaded.rules;
  }
  const ids = rules.criteria.map((c) => c.id);
  const map: Record<string, string> = {};
  for (const pair of options.map) {
    const eq = pair.indexOf('=');
    const field = pair.slice(0, eq).trim();
    const column = pair.slice(eq + 1).trim();
    if (eq < 0 || field === '' || column === '') throw new InputError(pack.badMapSyntax({ text: pair }), 'kam sql');
    const id = ids.find((f) => f.toLowerCase() === field.toLowerCase());
    if (id === undefined) throw new InputError(pack.unknownMapField({ field, known: ids.join(', ') }), 'kam sql');
    map[id] = column;
  }
  const columns = options.columns?.split(',').map((c) => c.trim()).filter((c) => c !== '');
  const table = options.table?.trim();
  io.out(
    rulesToSql(rules, {
      dialect: dialect as SqlDialect,
      map,
      lang: options.lang,
      ...(table ? { table } : {}),
      ...(columns && columns.length > 0 ? { columns } : {}),
    }),
  );
  return 0;
}
