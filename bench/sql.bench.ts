import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { report } from './report';

/**
 * `kam score --engine duckdb` (issue 12) beside the engine's CSV path (`kam score` without
 * `--engine`) on the same synthetic accounts, each run in a child process of its own so its peak
 * RSS (DuckDB's native memory included) is its own. DuckDB writes the input files itself, so the
 * accounts never sit in this process's memory, whatever their number.
 *
 * KAM_BENCH_SQL_ROWS sets the number of accounts (default 1,000,000, so `npm run bench` stays
 * short); the README's 10,000,000-account figures come from `KAM_BENCH_SQL_ROWS=10000000`.
 */
const KAM = path.join(__dirname, '..', 'src', 'cli', 'kam.js');
const DEFAULT_ROWS = 1_000_000;

function rowCount(): number {
  const given = process.env.KAM_BENCH_SQL_ROWS;
  if (given === undefined || given.trim() === '') return DEFAULT_ROWS;
  const n = Number(given.replace(/[_,]/g, ''));
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`KAM_BENCH_SQL_ROWS: "${given}" is not a whole number of accounts`);
  return n;
}

const sqlText = (text: string): string => `'${text.replace(/'/g, "''")}'`;

/**
 * Seeded accounts as one SELECT: each value a function of the row number and the column (DuckDB's
 * `hash`), so every run and every thread writes the same file. About 5% blank cells per criterion,
 * 3% below cost, late payers, ratings 0–5: every tier and both knock-outs occur.
 */
function accountsQuery(rows: number): string {
  const u = (row: string, salt: number): string => `(hash(${row}, ${salt}) % 1000003) / 1000003.0`;
  const blankOr = (salt: number, value: string): string => `CASE WHEN ${u('i', 100 + salt)} < 0.05 THEN NULL ELSE ${value} END`;
  return `SELECT
    'Customer ' || i AS customer,
    ${blankOr(1, `round(${u('i', 1)} * 1500000, 2)`)} AS sales,
    ${blankOr(2, `round(${u('i', 2)} * 0.5 - 0.015, 4)`)} AS margin,
    ${blankOr(3, `round(${u('i', 3)} * 0.6 - 0.2, 4)`)} AS growth,
    ${blankOr(4, `round(${u('i', 1)} * 1500000 * (1 + 2 * ${u('i', 4)}), 2)`)} AS wallet,
    ${blankOr(5, `floor(${u('i', 5)} * 150)`)} AS paymentDays,
    ${blankOr(6, `floor(${u('i', 6)} * 6)`)} AS access,
    ${blankOr(7, `floor(${u('i', 7)} * 6)`)} AS openness
  FROM range(1, ${rows + 1}) AS t(i)`;
}

interface KamRun {
  status: number;
  wallSeconds: number;
  cpuSeconds: number;
  peakRssMB: number;
}

/** Runs `kam` with these arguments in a child that reports its own CPU time and peak RSS. */
function runKam(args: readonly string[]): KamRun {
  const script = `
    const { main } = require(${JSON.stringify(KAM)});
    const said = [];
    const quiet = { out() {}, err(line) { if (said.length < 5) said.push(line); } };
    main(${JSON.stringify(args)}, quiet).then((status) => {
      const cpu = process.cpuUsage();
      process.stdout.write(JSON.stringify({ status, said, cpu: (cpu.user + cpu.system) / 1e6, rss: process.resourceUsage().maxRSS * 1024 }));
    });`;
  const started = process.hrtime.bigint();
  const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', maxBuffer: 1 << 20 });
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (child.status !== 0 || child.stdout === '') throw new Error(`kam ${args.join(' ')} crashed: ${child.stderr}`);
  const got = JSON.parse(child.stdout) as { status: number; said: string[]; cpu: number; rss: number };
  if (got.status !== 0) throw new Error(`kam ${args.join(' ')} exited ${got.status}: ${got.said.join(' / ')}`);
  return { status: got.status, wallSeconds, cpuSeconds: got.cpu, peakRssMB: got.rss / 1e6 };
}

const mb = (file: string): number => fs.statSync(file).size / 1e6;

export async function runSqlBench(): Promise<void> {
  const rows = rowCount();
  const count = rows.toLocaleString('en-US');
  const section = report.section('sql', `kam score --engine duckdb beside the engine's CSV path, ${count} accounts, child processes`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kam-bench-sql-'));
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const csv = path.join(dir, 'accounts.csv');
    const parquet = path.join(dir, 'accounts.parquet');
    await connection.run(`COPY (${accountsQuery(rows)}) TO ${sqlText(csv)} (FORMAT csv, HEADER true)`);
    await connection.run(`COPY (SELECT * FROM read_csv(${sqlText(csv)})) TO ${sqlText(parquet)} (FORMAT parquet)`);
    section.note(`inputs: ${count} accounts, CSV ${mb(csv).toFixed(0)} MB, Parquet ${mb(parquet).toFixed(0)} MB, written by DuckDB`);

    const engineOut = path.join(dir, 'engine.kam.csv');
    const duckCsvOut = path.join(dir, 'duckdb.kam.csv');
    const duckParquetOut = path.join(dir, 'duckdb.kam.parquet');
    const duckParquet = runKam(['score', parquet, '--engine', 'duckdb', '--out', duckParquetOut]);
    const duckCsv = runKam(['score', csv, '--engine', 'duckdb', '--out', duckCsvOut]);

    const perCpu = (run: KamRun): string => `${run.wallSeconds.toFixed(1)} s wall, ${run.cpuSeconds.toFixed(1)} s CPU, ${run.peakRssMB.toFixed(0)} MB peak RSS`;
    section.figure('duckdb.parquet.rowsPerSecond', `--engine duckdb, Parquet → Parquet, ${count} accounts`, rows / duckParquet.wallSeconds, 'rows/s', {
      digits: 0,
      note: perCpu(duckParquet),
    });
    section.figure('duckdb.parquet.peakRss.mb', '--engine duckdb, Parquet → Parquet, peak RSS (bounded memory)', duckParquet.peakRssMB, 'MB', {
      digits: 0,
      target: { op: '<', value: 1500 },
    });
    section.figure('duckdb.csv.rowsPerSecond', `--engine duckdb, CSV → CSV, ${count} accounts`, rows / duckCsv.wallSeconds, 'rows/s', { digits: 0, note: perCpu(duckCsv) });
    section.figure('duckdb.csv.peakRss.mb', '--engine duckdb, CSV → CSV, peak RSS (bounded memory)', duckCsv.peakRssMB, 'MB', { digits: 0, target: { op: '<', value: 1500 } });
    const tiers = await connection.runAndReadAll(`SELECT kam_tier AS tier, COUNT(*) AS n FROM read_parquet(${sqlText(duckParquetOut)}) GROUP BY ALL ORDER BY n DESC`);
    section.note(
      `tiers: ${tiers
        .getRowObjectsJS()
        .map((r) => `${String(r.tier)} ${String(r.n)}`)
        .join(', ')}`,
    );

    // The engine's CSV path may refuse a file this size: that is reported as a finding, not a crash.
    let engine: KamRun;
    try {
      engine = runKam(['score', csv, '--out', engineOut]);
    } catch (error) {
      section.note(`the engine's CSV path did not run on ${count} accounts: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    section.figure('engine.csv.rowsPerSecond', `kam score (the engine's CSV path), same CSV, ${count} accounts`, rows / engine.wallSeconds, 'rows/s', {
      digits: 0,
      note: perCpu(engine),
    });
    section.figure('engine.csv.peakRss.mb', "kam score (the engine's CSV path), peak RSS", engine.peakRssMB, 'MB', { digits: 0 });
    section.figure('speedup', 'DuckDB CSV speed / engine CSV speed, same file, same run', engine.wallSeconds / duckCsv.wallSeconds, '×', { digits: 2 });

    // The two paths' verdicts, row by row (DuckDB joins the two result files on the account name).
    const engineHeaders = (await connection.runAndReadAll(`DESCRIBE SELECT * FROM read_csv(${sqlText(engineOut)}, all_varchar = true)`))
      .getRowObjectsJS()
      .map((r) => String(r.column_name));
    const scoreCol = engineHeaders[8];
    const tierCol = engineHeaders[9];
    if (scoreCol === undefined || tierCol === undefined) throw new Error(`engine output has no score and tier columns: ${engineHeaders.join(', ')}`);
    const q = (name: string): string => `"${name.replace(/"/g, '""')}"`;
    const differing = await connection.runAndReadAll(`
      SELECT COUNT(*) AS n FROM read_csv(${sqlText(engineOut)}, all_varchar = true) e
      JOIN read_parquet(${sqlText(duckParquetOut)}) d ON d.customer = e.customer
      WHERE coalesce(TRY_CAST(e.${q(scoreCol)} AS DOUBLE), -1) <> coalesce(d.kam_score, -1)
         OR e.${q(tierCol)} <> d.kam_tier_label`);
    const joined = await connection.runAndReadAll(
      `SELECT COUNT(*) AS n FROM read_csv(${sqlText(engineOut)}, all_varchar = true) e JOIN read_parquet(${sqlText(duckParquetOut)}) d ON d.customer = e.customer`,
    );
    const joinedRows = Number(joined.getRowObjectsJS()[0]?.n);
    if (joinedRows !== rows) throw new Error(`only ${joinedRows} of ${rows} accounts are in both results`);
    section.note(`compared the DuckDB result with the engine's "${scoreCol}" and "${tierCol}" columns`);
    section.figure('differences', 'accounts whose score or tier differ between the engine and DuckDB', Number(differing.getRowObjectsJS()[0]?.n), 'rows', {
      digits: 0,
      target: { op: '<=', value: 0 },
    });
  } finally {
    connection.closeSync();
    instance.closeSync();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
