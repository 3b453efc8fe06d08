import { rulesToSql, SQL_DIALECTS, type Lang, type RuleSet, type SqlDialect } from '../engine';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultOutputPath, describeError, InputError, requireFile, writeAtomically } from './files';
import type { CliPack } from './messages';
import { parseMapPairs } from './pipeline/map';
import { namedRules, resolveRules } from './pipeline/rules';
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
  const { rules, warnings } = await resolveRules(await namedRules(options.rules, pack, options.lang), undefined, pack, options.lang);
  for (const w of warnings) io.err(w);
  const map = parsePairs(options.map, rules, pack, 'kam sql');
  const columns = options.columns
    ?.split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '');
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

export interface DuckdbScoreOptions {
  input: string;
  out?: string | undefined;
  rules?: string | undefined;
  map: readonly string[];
  lang: Lang;
}

const DUCKDB_INPUTS: Readonly<Record<string, string>> = { '.csv': 'read_csv', '.parquet': 'read_parquet' };
const DUCKDB_OUTPUTS: Readonly<Record<string, string>> = { '.csv': '(FORMAT csv, HEADER true)', '.parquet': '(FORMAT parquet)' };
const sqlText = (text: string): string => `'${text.replace(/'/g, "''")}'`;

/**
 * `kam score FILE.csv|FILE.parquet --engine duckdb`: the generated query run by DuckDB inside the
 * process, streaming from the file to a CSV or Parquet file without holding the accounts in memory.
 * Columns are criterion ids (or --map FIELD=COLUMN); their values must be numbers or blanks.
 */
export async function runDuckdbScore(options: DuckdbScoreOptions, pack: CliPack, io: Output): Promise<number> {
  const { input } = options;
  requireFile(input, pack);
  const inExt = path.extname(input).toLowerCase();
  const reader = DUCKDB_INPUTS[inExt];
  if (reader === undefined) throw new InputError(pack.unsupportedType({ file: input, ext: inExt === '' ? '(none)' : inExt }));
  const out = options.out ?? defaultOutputPath(input);
  const outExt = path.extname(out).toLowerCase();
  const format = DUCKDB_OUTPUTS[outExt];
  if (format === undefined) throw new InputError(pack.unsupportedType({ file: out, ext: outExt === '' ? '(none)' : outExt }));
  if (fs.existsSync(out)) throw new InputError(pack.outExists({ file: out }));
  const { rules, warnings } = await resolveRules(await namedRules(options.rules, pack, options.lang), undefined, pack, options.lang);
  for (const w of warnings) io.err(w);
  const map = parsePairs(options.map, rules, pack, 'kam score');

  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const source = `${reader}(${sqlText(path.resolve(input))})`;
    const described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`);
    const columns = described.getRowObjectsJS().map((row) => String(row.column_name));
    // A criterion is read from its mapped column, else from the column named by its id (any case).
    const found: Record<string, string> = {};
    const absent: string[] = [];
    for (const c of rules.criteria) {
      const wanted = map[c.id] ?? c.id;
      const column = columns.find((h) => h === wanted) ?? columns.find((h) => h.toLowerCase() === wanted.toLowerCase());
      if (column === undefined) {
        if (map[c.id] !== undefined) throw new InputError(pack.badMappingHeader({ file: input, field: c.id, header: wanted, headers: columns.join(', ') }));
        absent.push(c.id);
      } else found[c.id] = column;
    }
    if (absent.length === rules.criteria.length) {
      throw new InputError(pack.engineNoCriteria({ file: input, headers: columns.join(', '), ids: rules.criteria.map((c) => c.id).join(', ') }));
    }
    if (absent.length > 0) io.err(pack.engineAbsent({ file: input, ids: absent.join(', ') }));
    const query = rulesToSql(rules, { dialect: 'duckdb', source, map: found, absent, columns, lang: options.lang });
    let rows = 0;
    await writeAtomically(out, async (temp) => {
      const result = await connection.run(`COPY (${query}) TO ${sqlText(temp)} ${format}`);
      rows = Number(result.rowsChanged);
    });
    const counts = await connection.runAndReadAll(
      `SELECT kam_tier_label AS label, COUNT(*) AS n FROM ${DUCKDB_INPUTS[outExt] ?? 'read_csv'}(${sqlText(path.resolve(out))}) GROUP BY kam_tier_label ORDER BY n DESC`,
    );
    const summary = counts
      .getRowObjectsJS()
      .map((row) => `${String(row.label)} ${String(row.n)}`)
      .join(', ');
    io.out(pack.engineWritten({ file: path.resolve(out), rows, summary }));
    return 0;
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(pack.engineFailed({ file: input, detail: describeError(error) }));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** `field=column` pairs, the field checked against the rule set's criteria (the SQL reads no other fields). */
function parsePairs(pairs: readonly string[], rules: RuleSet, pack: CliPack, command: string): Record<string, string> {
  return parseMapPairs(
    pairs,
    rules.criteria.map((c) => c.id),
    { pack, command, unknownField: pack.unknownMapField },
  );
}
