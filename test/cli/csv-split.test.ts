import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { defaultRules, parseCsv, repeatedAccounts, scaleHints, suggestCalibration, type CellValue } from '../../src/engine';
import { KAM, kam, tempDir, type Run } from './helpers';

/**
 * Issue 7 (≥ 250,000 rows/s): a large CSV is scored on two threads (by default from 32 MiB; with
 * KAM_THREADS=2, as here, from 4 MiB, so that the cases stay small), the main thread the
 * first part of the file, a worker the second part from the first line feed at or after its middle
 * byte. The second part is kept only when the first part's reader ends on that byte at a record
 * boundary and the worker met no rejected line; otherwise the main thread scores it again, in order.
 * Whatever happened, the output, stdout and stderr must be byte for byte what one thread gives
 * (KAM_THREADS=1). KAM_DEBUG=csv makes kam say, on one stderr line, which of these it did.
 *
 * Each case scores the same file both ways in the same folder (the output is moved aside between
 * the runs, so both say the same path and neither "replaced the previous result").
 */
const SPLIT_FROM = 4 * 1024 * 1024;
const ENGLISH_HEADER = 'Customer,Annual sales,Gross margin,Purchase growth,Days to pay,Access to goals';

let root: string;
beforeAll(() => {
  root = tempDir();
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** What the contract says kam does with a file: one part, or a split after the line feed at `lf`, the second part kept or redone. */
type Expected = { parts: 'one' } | { parts: 'two'; lf: number; kept: boolean; firm?: boolean };

const isBlank = (fields: readonly string[]): boolean => fields.every((f) => f.trim() === '');

/**
 * The contract applied to a UTF-8 file's bytes, independently of kam: where the split falls, and
 * whether a record starts right after it (the first part ends at a record boundary) with no
 * rejected line (quote problem or wrong field count) from there on.
 */
function expectedFor(bytes: Buffer): Expected & { line: number; reason: string } {
  if (bytes.length < SPLIT_FROM) return { parts: 'one', line: 0, reason: 'small' };
  const lf = bytes.indexOf(0x0a, Math.floor(bytes.length / 2));
  // Physical line on which the second part starts: one more than the line breaks before it (CRLF, LF or a lone CR).
  let line = 1;
  for (let i = 0; i <= lf; i++) {
    const b = bytes[i];
    if (b === 0x0a || (b === 0x0d && bytes[i + 1] !== 0x0a)) line++;
  }
  const { records } = parseCsv(bytes.toString('utf8'));
  const header = records.find((r) => !r.problem && !isBlank(r.fields));
  const width = header?.fields.length ?? 0;
  if (!records.some((r) => r.line === line)) return { parts: 'two', lf, kept: false, line, reason: 'no record starts after the split' };
  const rejected = records.find((r) => r.line >= line && (r.problem !== undefined || (!isBlank(r.fields) && r.fields.length !== width)));
  if (rejected) return { parts: 'two', lf, kept: false, line, reason: `line ${rejected.line} rejected` };
  // A stray quote shortly before the split is only known as stray by reading past it (up to 1 MiB on):
  // redoing the second part then is cautious, not wrong.
  const strayNear = records.some((r) => r.problem === 'unterminatedQuote' && r.line < line && r.line > line - 20_000);
  return { parts: 'two', lf, kept: true, firm: !strayNear, line, reason: 'clean' };
}

const DEBUG = /^kam debug: /;
const debugLines = (stderr: string): string[] => stderr.split('\n').filter((l) => DEBUG.test(l));
const withoutDebug = (stderr: string): string =>
  stderr
    .split('\n')
    .filter((l) => !DEBUG.test(l))
    .join('\n');

/** The debug line says what the case expects: one part, or the split byte (the line feed or the byte after it) and kept/redone. */
function expectDebugLine(line: string, expected: Expected, size: number): void {
  if (expected.parts === 'one') {
    expect(line).toMatch(/^kam debug: one part \(.+\)$/);
    return;
  }
  const said = /^kam debug: split at byte (\d+) of (\d+): second part (kept|redone \(.+\))$/.exec(line);
  expect(said).not.toBeNull();
  if (!said) return;
  expect(Number(said[2])).toBe(size);
  // Either the line feed's offset or where the second part starts, right after it.
  expect([expected.lf, expected.lf + 1]).toContain(Number(said[1]));
  if (expected.firm === false) expect(said[3]).toMatch(/^(kept|redone)/);
  else expect(said[3]).toMatch(expected.kept ? /^kept$/ : /^redone \(/);
}

/** Where two outputs first differ, with a little text on each side (null when they are the same bytes). */
function firstDifference(one: Buffer, two: Buffer): { at: number; sizes: [number, number]; one: string; two: string } | null {
  if (one.equals(two)) return null;
  let at = 0;
  while (at < one.length && at < two.length && one[at] === two[at]) at++;
  const around = (b: Buffer): string => b.subarray(Math.max(0, at - 120), at + 120).toString('utf8');
  return { at, sizes: [one.length, two.length], one: around(one), two: around(two) };
}

interface Compared {
  /** KAM_THREADS=1 (with KAM_DEBUG=csv). */
  one: Run;
  /** KAM_THREADS=2, KAM_DEBUG=csv unless told otherwise. */
  two: Run;
  /** The two-thread run's debug line. */
  debug: string;
  /** The outputs of the one-thread run, by file name. */
  outputs: Map<string, Buffer>;
}

let cases = 0;
/**
 * Scores `bytes` (saved as `name`) with KAM_THREADS=1 and with KAM_THREADS=2, and checks that
 * both wrote the same bytes, said the same on stdout and stderr (but for the debug line), left
 * nothing but their outputs in the folder, and that each said one debug line.
 */
function scoreBothWays(
  name: string,
  bytes: Buffer,
  options: {
    args?: string[];
    outputs?: string[];
    /** Other files the run reads (a rules file), written beside the input. */
    files?: Record<string, string>;
    /** false: the two-thread run goes without KAM_DEBUG; 'maybe': a run that fails may end before its debug line. */
    debug?: false | 'maybe';
    status?: number;
  } = {},
): Compared {
  const dir = path.join(root, `case-${++cases}`);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, name), bytes);
  const files = Object.entries(options.files ?? {});
  for (const [file, text] of files) fs.writeFileSync(path.join(dir, file), text);
  const outputs = options.outputs ?? [name.replace(/\.csv$/, '.kam.csv')];
  const args = ['score', name, ...(options.args ?? [])];
  const run = (env: NodeJS.ProcessEnv): { run: Run; written: Map<string, Buffer> } => {
    const result = kam(args, { cwd: dir, env });
    // Only the input and the outputs: no scratch folder, no temporary file, no worker's leftovers.
    expect(fs.readdirSync(dir).sort()).toEqual([name, ...files.map(([file]) => file), ...outputs].sort());
    expect(fs.readFileSync(path.join(dir, name)).equals(bytes)).toBe(true);
    const written = new Map(outputs.map((o) => [o, fs.readFileSync(path.join(dir, o))]));
    for (const o of outputs) fs.rmSync(path.join(dir, o));
    return { run: result, written };
  };
  const one = run({ KAM_THREADS: '1', KAM_DEBUG: 'csv' });
  const two = run({ KAM_THREADS: '2', KAM_DEBUG: options.debug === false ? undefined : 'csv' });
  expect(one.run.status).toBe(options.status ?? 0);
  expect(two.run.status).toBe(one.run.status);
  for (const o of outputs) expect({ file: o, difference: firstDifference(one.written.get(o) as Buffer, two.written.get(o) as Buffer) }).toEqual({ file: o, difference: null });
  expect(two.run.stdout).toBe(one.run.stdout);
  expect(withoutDebug(two.run.stderr)).toBe(withoutDebug(one.run.stderr));
  // KAM_THREADS=1 is one part, whatever the file.
  const oneDebug = debugLines(one.run.stderr);
  expect(oneDebug.length).toBe(options.debug === 'maybe' ? Math.min(oneDebug.length, 1) : 1);
  for (const line of oneDebug) expect(line).toMatch(/^kam debug: one part \(.+\)$/);
  const twoDebug = debugLines(two.run.stderr);
  if (options.debug === false) expect(twoDebug).toEqual([]);
  else expect(twoDebug.length).toBe(options.debug === 'maybe' ? Math.min(twoDebug.length, 1) : 1);
  fs.rmSync(dir, { recursive: true, force: true });
  return { one: one.run, two: two.run, debug: twoDebug[0] ?? '', outputs: one.written };
}

/** Lines joined with `eol` and ended by one, optionally after a UTF-8 byte-order mark. */
const fileOf = (lines: readonly string[], eol = '\n', bom = false): Buffer => Buffer.from(`${bom ? '\uFEFF' : ''}${lines.join(eol)}${eol}`, 'utf8');

/** The line numbers (1-based) that `lines` put each of the given line indexes on, counting the line breaks inside quotes. */
const physicalLine = (lines: readonly string[], index: number, firstLine = 1): number => {
  let n = firstLine;
  for (let i = 0; i < index; i++) n += 1 + ((lines[i] as string).match(/\r\n|\n|\r/g)?.length ?? 0);
  return n;
};

describe('plain English accounts: two parts, the summary over both', () => {
  const LINES = 80_000;
  const lines = [ENGLISH_HEADER];
  const names: CellValue[] = [];
  const columns: Record<string, CellValue[]> = { sales: [], margin: [], growth: [], paymentDays: [], access: [] };
  /** Lines (1-based, in the file) of the rows with an unreadable cell. */
  const unreadableLines: number[] = [];
  let bytes: Buffer;
  beforeAll(() => {
    const unreadable = new Set([1_234, 9_999, 20_001, 33_333, 38_000, 39_990, 41_000, 50_505, 61_234, 70_000, 77_777, 79_999]);
    for (let i = 0; i < LINES; i++) {
      // Names of the first half are 0..19,999, of the second 10,000..29,999: 30,000 accounts, half of them in both parts.
      const n = i < LINES / 2 ? i % 20_000 : 10_000 + (i % 20_000);
      const name = `Harbour Trading Customer ${n}${i % 2 === 0 ? '' : ' '}`;
      // The two halves' amounts differ, so that neither half's 90th percentile is the file's.
      const sales = i < LINES / 2 ? String(20_000_000 + ((i * 7919) % 10_000_000)) : String(2_000_000 + ((i * 104_729) % 3_000_000));
      const margin = unreadable.has(i) ? `${i}abc` : i % 97 === 0 ? 'n/a' : (0.05 + (i % 30) / 100).toFixed(2);
      const growth = ((i % 21) / 100 - 0.05).toFixed(2);
      const days = String(20 + (i % 90));
      const access = String(1 + (i % 5));
      if (unreadable.has(i)) unreadableLines.push(lines.length + 1);
      lines.push(`${name},${sales},${margin},${growth},${days},${access}`);
      names.push(name);
      columns.sales?.push(sales);
      columns.margin?.push(margin);
      columns.growth?.push(growth);
      columns.paymentDays?.push(days);
      columns.access?.push(access);
      // Blank lines in both halves (they shift the line numbers, and are counted over both).
      if (i % 9_973 === 5) lines.push('');
    }
    bytes = fileOf(lines);
    expect(bytes.length).toBeGreaterThanOrEqual(SPLIT_FROM);
  });

  let first: Compared;
  test('kept: the same output and messages; the order-lines hint counts distinct names over both parts; real line numbers', () => {
    const expected = expectedFor(bytes);
    expect(expected).toMatchObject({ parts: 'two', kept: true });
    first = scoreBothWays('accounts.csv', bytes);
    expectDebugLine(first.debug, expected, bytes.length);

    // 80,000 lines for 30,000 accounts, not 20,000 + 20,000 counted per part.
    expect(repeatedAccounts(names)).toEqual({ lines: LINES, accounts: 30_000 });
    expect(first.two.stdout).toContain(`This looks like order lines: ${LINES} lines for 30000 accounts.`);
    // The scale hint's 90th percentile over every line, as the engine gives it.
    const [hint] = scaleHints(columns, defaultRules());
    expect(hint).toBeDefined();
    expect(first.two.stdout).toContain(`but 90% of the accounts are below ${(hint?.p90 ?? NaN).toLocaleString('en-US', { maximumFractionDigits: 2 })};`);
    expect(first.two.stdout).toContain(`Rows with unreadable cells (not scored): ${unreadableLines.length} (`);
    expect(first.two.stdout).toContain('Blank rows skipped: 9');
    expect(first.two.stdout).toContain(`Scored ${LINES} accounts`);
    // stderr names each row with an unreadable cell by its line in the file, those of the second part too.
    const second = unreadableLines.filter((n) => n > expected.line);
    expect(second.length).toBeGreaterThanOrEqual(5);
    for (const n of unreadableLines) expect(first.two.stderr).toContain(`\n  line ${n} (Harbour Trading Customer `);
  }, 60_000);

  test('without KAM_DEBUG nothing is said beyond what one thread says', () => {
    const quiet = scoreBothWays('accounts.csv', bytes, { debug: false });
    expect(quiet.two.stderr).toBe(withoutDebug(quiet.one.stderr));
  }, 60_000);

  test('a rerun over the result (earlier result columns present, BOM, CRLF): the same either way', () => {
    const scored = first.outputs.get('accounts.kam.csv') as Buffer;
    const expected = expectedFor(scored);
    expect(expected).toMatchObject({ parts: 'two', kept: true });
    const rerun = scoreBothWays('scored.csv', scored);
    expectDebugLine(rerun.debug, expected, scored.length);
    expect(rerun.two.stdout).toContain(`Scored ${LINES} accounts`);
  }, 60_000);

  test('--calibrate and --capacity: the 90th percentile and the hours over both parts, the rules file the same', () => {
    const run = scoreBothWays('accounts.csv', bytes, { args: ['--calibrate', '--capacity', '500'], outputs: ['accounts.kam.csv', 'accounts.kam.rules.json'] });
    expectDebugLine(run.debug, expectedFor(bytes), bytes.length);
    const [suggestion] = suggestCalibration(columns, defaultRules());
    expect(suggestion).toBeDefined();
    const num = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: 2 });
    expect(run.two.stdout).toContain(`target ${num(suggestion?.current ?? NaN)} → ${num(suggestion?.suggested ?? NaN)} (90th percentile of ${suggestion?.basis.values} accounts)`);
    expect(run.two.stdout).toMatch(/Hours a month needed: \d+ of 500 available/);
  }, 60_000);
});

/** English accounts with a note column: `count` lines of ~60 bytes, the notes plain (no quotes). */
function notedLines(count: number, seed = 0): string[] {
  const lines = [`${ENGLISH_HEADER},Note`];
  for (let i = 0; i < count; i++) {
    const k = i + seed;
    // A few unreadable cells (fewer than the 20 that stderr details), in both halves.
    const margin = k % 4_001 === 7 ? 'abc' : (0.05 + (k % 30) / 100).toFixed(2);
    lines.push(
      `Anchor Harbour Trading Customer ${k % 15_000},${100_000 + ((k * 7919) % 3_000_000)},${margin},${((k % 21) / 100 - 0.05).toFixed(2)},${20 + (k % 90)},${1 + (k % 5)},${k % 3 === 0 ? '' : `n${k % 100}`}`,
    );
  }
  return lines;
}

/**
 * notedLines (with their header unless `header` is false), the last one padded, so that they make
 * exactly `size` bytes with `eol` after each.
 */
function linesOfSize(size: number, eol = '\n', header = true): string[] {
  const lines = notedLines(Math.ceil(size / 40)).slice(header ? 0 : 1);
  // Lines up to 80 bytes short of the size, then one line that makes it up.
  let short = 0;
  let count = 0;
  while (short + Buffer.byteLength(lines[count] as string) + eol.length <= size - 80) short += Buffer.byteLength(lines[count++] as string) + eol.length;
  lines.length = count;
  const fixed = 'Padding Customer ,100000,0.20,0.10,30,3,';
  lines.push(`Padding Customer ${'x'.repeat(size - short - eol.length - fixed.length)},100000,0.20,0.10,30,3,`);
  expect(Buffer.byteLength(lines.join(eol)) + eol.length).toBe(size);
  return lines;
}

/** Index at which to insert a line so that it starts at the last line start at or before byte `at` of `lines` joined by `eol`. */
function lineStartingBefore(lines: readonly string[], at: number, eol = '\n'): number {
  let offset = 0;
  for (let i = 0; i < lines.length; i++) {
    const next = offset + Buffer.byteLength(lines[i] as string) + eol.length;
    if (next > at) return i;
    offset = next;
  }
  return lines.length;
}

describe('a quoted field with line breaks across the split point', () => {
  test('redone: the same output, and the line numbers after it are the file’s', () => {
    const lines = notedLines(74_000);
    const straddle = 'Straddle Customer,250000,0.30,0.05,30,4,"This note starts before the middle of the file,\r\nand goes on past it with ""quotes""\nand a third line"';
    // The file's size does not depend on where the record goes: put it where its first inside line break is the first after the middle.
    const size = fileOf([...lines, straddle]).length;
    const at = lineStartingBefore(lines, Math.floor(size / 2));
    lines.splice(at, 0, straddle);
    const bytes = fileOf(lines);
    expect(bytes.length).toBe(size);
    const lf = bytes.indexOf(0x0a, Math.floor(size / 2));
    expect(bytes.subarray(lf - 40, lf + 1).toString()).toContain('middle of the file,\r\n');
    const expected = expectedFor(bytes);
    expect(expected).toMatchObject({ parts: 'two', kept: false });
    const run = scoreBothWays('straddle.csv', bytes);
    expectDebugLine(run.debug, expected, size);
    // Unreadable cells after the three-line record are named by their physical line.
    const after = lines.findIndex((l, i) => i > at && l.includes(',abc,'));
    expect(run.two.stderr).toContain(`\n  line ${physicalLine(lines, after)} (Anchor Harbour Trading Customer `);
  }, 60_000);
});

describe('a rejected line in the second part: redone, named by its line', () => {
  test('a line with one field too many (and one in the first part)', () => {
    const lines = notedLines(74_000);
    const early = 20_000;
    const late = 60_000;
    lines[early] = `${lines[early] as string},extra`;
    lines[late] = `${lines[late] as string},extra`;
    const bytes = fileOf(lines);
    const expected = expectedFor(bytes);
    expect(expected).toMatchObject({ parts: 'two', kept: false });
    const run = scoreBothWays('fields.csv', bytes);
    expectDebugLine(run.debug, expected, bytes.length);
    expect(run.two.stderr).toContain(`  line ${early + 1} has 8 fields, the header has 7`);
    expect(run.two.stderr).toContain(`  line ${late + 1} has 8 fields, the header has 7`);
    expect(run.two.stdout).toContain(`Malformed lines (kept, not scored): 2 (line ${early + 1}, line ${late + 1})`);
  }, 60_000);

  test("a rerun over a result whose malformed lines an earlier run kept: the second part's are rejected again, redone", () => {
    const lines = notedLines(74_000);
    lines[60_000] = `${lines[60_000] as string},extra`;
    const first = scoreBothWays('kept.csv', fileOf(lines));
    const scored = first.outputs.get('kept.kam.csv') as Buffer;
    // Its text went into the first cell: a line as wide as the header, which only the earlier run's tier marks as malformed.
    const expected = { ...expectedFor(scored), kept: false };
    expect(expected.parts).toBe('two');
    const rerun = scoreBothWays('again.csv', scored);
    expectDebugLine(rerun.debug, expected, scored.length);
    expect(rerun.two.stderr).toContain('  line 60001 has 8 fields, the header has 7');
  }, 60_000);

  test('a quote that never closes', () => {
    const lines = notedLines(74_000);
    const late = 61_000;
    lines[late] = `"${lines[late] as string}`;
    const bytes = fileOf(lines);
    const expected = expectedFor(bytes);
    expect(expected).toMatchObject({ parts: 'two', kept: false });
    const run = scoreBothWays('stray.csv', bytes);
    expectDebugLine(run.debug, expected, bytes.length);
    expect(run.two.stderr).toContain(`  line ${late + 1} opens a quote that does not close properly`);
  }, 60_000);

  test('a rejected line in the first part only: kept, named by its line', () => {
    const lines = notedLines(74_000);
    // The stray quote far enough before the middle that the reader knows it for stray (1 MiB on) before the split.
    const early = 10_000;
    lines[early] = `"${lines[early] as string}`;
    lines[early + 20_000] = `${lines[early + 20_000] as string},,`;
    const bytes = fileOf(lines);
    const expected = expectedFor(bytes);
    expect(expected).toMatchObject({ parts: 'two', kept: true });
    const run = scoreBothWays('early.csv', bytes);
    expectDebugLine(run.debug, expected, bytes.length);
    expect(run.two.stderr).toContain(`  line ${early + 1} opens a quote that does not close properly`);
    expect(run.two.stderr).toContain(`  line ${early + 20_001} has 9 fields, the header has 7`);
  }, 60_000);
});

describe('other encodings of a text file, kept', () => {
  test('Chinese headers and names (multi-byte UTF-8), a byte-order mark, CRLF', () => {
    const lines = ['客户名称,年销售额,毛利率,采购增长率,付款天数,业务目标切入点'];
    const unreadable: number[] = [];
    for (let i = 0; i < 60_000; i++) {
      const bad = i % 2_003 === 11;
      if (bad) unreadable.push(lines.length + 1);
      lines.push(
        `上海华东贸易有限公司第${i % 12_000}分公司,${100_000 + ((i * 7919) % 3_000_000)},${bad ? '未知' : (0.05 + (i % 30) / 100).toFixed(2)},${((i % 21) / 100 - 0.05).toFixed(2)},${20 + (i % 90)},${1 + (i % 5)}`,
      );
    }
    const bytes = fileOf(lines, '\r\n', true);
    expect(bytes.length).toBeGreaterThanOrEqual(SPLIT_FROM);
    const expected = expectedFor(bytes);
    expect(expected).toMatchObject({ parts: 'two', kept: true });
    const run = scoreBothWays('客户.csv', bytes, { args: ['--lang', 'zh'] });
    expectDebugLine(run.debug, expected, bytes.length);
    // More rows with unreadable cells than stderr lists: "… and N more" counts both parts.
    expect(unreadable.length).toBeGreaterThan(20);
    expect(run.two.stderr).toContain(`第 ${unreadable[0] as number} 行`);
    expect(run.two.stdout).toContain('这看起来是订单明细:12000 个客户共 60000 行');
  }, 60_000);

  test('a sep=; first line and semicolons (decimal commas in places), --map and --score-present', () => {
    const lines = ['sep=;', 'Customer;Umsatz;Gross margin;Purchase growth;Days to pay;Access to goals'];
    const unreadable: number[] = [];
    for (let i = 0; i < 75_000; i++) {
      const bad = i % 5_001 === 17;
      if (bad) unreadable.push(lines.length + 1);
      const margin = bad ? 'abc' : i % 2 === 0 ? (0.05 + (i % 30) / 100).toFixed(2).replace('.', ',') : (0.05 + (i % 30) / 100).toFixed(2);
      lines.push(
        `Kunde Nordsee Handelsgesellschaft mbH ${i % 10_000};${100_000 + ((i * 7919) % 3_000_000)};${margin};${((i % 21) / 100 - 0.05).toFixed(2)};${20 + (i % 90)};${1 + (i % 5)}`,
      );
    }
    const bytes = fileOf(lines);
    expect(bytes.length).toBeGreaterThanOrEqual(SPLIT_FROM);
    const expected = expectedFor(bytes);
    expect(expected).toMatchObject({ parts: 'two', kept: true });
    const run = scoreBothWays('semicolons.csv', bytes, { args: ['--map', 'sales=Umsatz', '--score-present'], outputs: ['semicolons.kam.csv', 'semicolons.kam.rules.json'] });
    expect(run.two.stdout).toContain('"Umsatz" → Annual sales');
    expect(run.two.stdout).toContain('Scored on the criteria present (--score-present)');
    expectDebugLine(run.debug, expected, bytes.length);
    expect(run.outputs.get('semicolons.kam.csv')?.subarray(0, 7).toString()).toBe('sep=;\r\n');
    const late = unreadable.filter((n) => n > expected.line);
    expect(late.length).toBeGreaterThan(3);
    for (const n of unreadable) expect(run.two.stderr).toContain(`\n  line ${n} (Kunde Nordsee Handelsgesellschaft mbH `);
  }, 60_000);
});

/** A debug line of one of the contract's three forms, when the contract does not say which. */
function expectSomeDebugLine(line: string, size: number): void {
  expect(line).toMatch(new RegExp(`^kam debug: (one part \\(.+\\)|split at byte \\d+ of ${size}: second part (kept|redone \\(.+\\)))$`));
}

describe('where the second part cannot be read on its own', () => {
  test('a quoted field across the split whose inside lines read as good records: redone', () => {
    // From the split on, the worker sees two well-formed lines (the closing quote is a literal quote
    // inside an unquoted field to it): only the first part's reader can tell the split is inside a field.
    const lines = notedLines(74_000);
    const straddle =
      'Masked Customer,250000,0.30,0.05,30,4,"a note that holds lines as the file has them:\nFake Customer A,900000,0.40,0.20,10,5,x\nFake Customer B,900000,0.40,0.20,10,5,end"';
    const size = fileOf([...lines, straddle]).length;
    const at = lineStartingBefore(lines, Math.floor(size / 2));
    lines.splice(at, 0, straddle);
    const bytes = fileOf(lines);
    const lf = bytes.indexOf(0x0a, Math.floor(size / 2));
    expect(bytes.subarray(lf + 1, lf + 16).toString()).toBe('Fake Customer A');
    const expected = expectedFor(bytes);
    expect(expected).toMatchObject({ parts: 'two', kept: false });
    const run = scoreBothWays('masked.csv', bytes);
    expectDebugLine(run.debug, expected, size);
    expect(run.two.stdout).not.toContain('Fake Customer');
  }, 60_000);

  test('lone CR line breaks (old Mac) in the first part: kept, and the second part’s line numbers count them', () => {
    const lines = notedLines(74_000);
    // Three records on one "line" of the array, broken by lone carriage returns.
    for (const i of [5_000, 15_000, 25_000]) lines[i] = `${lines[i] as string}\rCR Customer ${i},100000,0.20,0.10,30,3,cr\rCR Customer ${i + 1},100000,0.20,0.10,30,3,cr`;
    const bytes = fileOf(lines);
    const expected = expectedFor(bytes);
    expect(expected).toMatchObject({ parts: 'two', kept: true });
    const run = scoreBothWays('cr.csv', bytes);
    expectDebugLine(run.debug, expected, bytes.length);
    const late = lines.map((l, i) => (l.includes(',abc,') ? physicalLine(lines, i) : 0)).filter((n) => n > expected.line);
    expect(late.length).toBeGreaterThan(3);
    for (const n of late) expect(run.two.stderr).toContain(`\n  line ${n} (Anchor Harbour Trading Customer `);
  }, 60_000);

  test('empty rows as Excel writes them (",,,,,") fill the first half: the header comes after the split', () => {
    const data = notedLines(30_000);
    const lines = [...Array.from({ length: 330_000 }, () => ',,,,,,'), ...data];
    const bytes = fileOf(lines, '\r\n');
    expect(bytes.length).toBeGreaterThanOrEqual(SPLIT_FROM);
    expect(bytes.indexOf('Customer')).toBeGreaterThan(bytes.length / 2);
    const run = scoreBothWays('empty-rows.csv', bytes);
    expectSomeDebugLine(run.debug, bytes.length);
    expect(run.two.stdout).toContain('Scored 30000 accounts');
  }, 60_000);

  test('empty rows as Excel writes them fill the second half (nothing to score there): kept', () => {
    const lines = [...notedLines(36_000), ...Array.from({ length: 330_000 }, () => ',,,,,,')];
    const bytes = fileOf(lines);
    const expected = expectedFor(bytes);
    expect(expected).toMatchObject({ parts: 'two', kept: true });
    expect(bytes.indexOf('Customer', Math.floor(bytes.length / 2))).toBe(-1);
    const run = scoreBothWays('trailing-rows.csv', bytes);
    expectDebugLine(run.debug, expected, bytes.length);
    expect(run.two.stdout).toContain('Blank rows skipped: 330000');
  }, 60_000);

  test('the header is the last line before the split (no data line in the first part)', () => {
    // As many bytes of empty rows before the header as of data after it: the middle falls in the header.
    const empty = fileOf(Array.from({ length: 300_000 }, () => ',,,,,,'));
    const data = fileOf(linesOfSize(empty.length).slice(1));
    const bytes = Buffer.concat([empty, fileOf([`${ENGLISH_HEADER},Note`]), data]);
    expect(bytes.length).toBeGreaterThanOrEqual(SPLIT_FROM);
    const expected = expectedFor(bytes);
    expect(expected.parts).toBe('two');
    if (expected.parts === 'two') expect(bytes.subarray(expected.lf + 1, expected.lf + 7).toString()).toBe('Anchor');
    const run = scoreBothWays('header-last.csv', bytes);
    expectSomeDebugLine(run.debug, bytes.length);
  }, 60_000);

  test('one line longer than the second half: the only line feed after the middle ends the file', () => {
    const lines = [...notedLines(30_000), `Long Customer,100000,0.20,0.10,30,3,${'long note '.repeat(300_000)}`];
    const bytes = fileOf(lines);
    expect(bytes.indexOf(0x0a, Math.floor(bytes.length / 2))).toBe(bytes.length - 1);
    const run = scoreBothWays('long-line.csv', bytes);
    expectSomeDebugLine(run.debug, bytes.length);
  }, 60_000);

  test('the same without a final line break: no line feed after the middle at all', () => {
    const lines = [...notedLines(30_000), `Long Customer,100000,0.20,0.10,30,3,${'long note '.repeat(300_000)}`];
    const bytes = Buffer.from(lines.join('\n'));
    expect(bytes.indexOf(0x0a, Math.floor(bytes.length / 2))).toBe(-1);
    const run = scoreBothWays('no-break.csv', bytes);
    expectSomeDebugLine(run.debug, bytes.length);
  }, 60_000);

  test('a byte that is not UTF-8 in the second part: the same refusal, nothing written', () => {
    const lines = notedLines(74_000);
    lines[60_000] = `Caf\u00e9 Customer,100000,0.20,0.10,30,3,x`;
    const text = fileOf(lines);
    // é as Latin-1 writes it (one byte 0xE9), not as UTF-8 (0xC3 0xA9).
    const at = text.indexOf('Caf\u00e9');
    const bytes = Buffer.concat([text.subarray(0, at + 3), Buffer.from([0xe9]), text.subarray(at + 5)]);
    expect(at).toBeGreaterThan(bytes.length / 2);
    const run = scoreBothWays('latin1.csv', bytes, { outputs: [], debug: 'maybe', status: 2 });
    expect(run.two.stderr).toContain('latin1.csv');
  }, 60_000);
});

describe("where the split falls on the reader's 64 KiB grid, or before a second file", () => {
  const CHUNK = 1 << 16;
  test('the second part starts exactly on a 64 KiB read boundary: kept', () => {
    // A first half of 36 × 64 KiB ending with its line feed, a second half 30 bytes shorter: the middle is 15 bytes before that line feed.
    const half = 36 * CHUNK;
    const bytes = Buffer.concat([fileOf(linesOfSize(half)), fileOf(linesOfSize(half - 30, '\n', false))]);
    const expected = expectedFor(bytes);
    expect(expected).toMatchObject({ parts: 'two', kept: true, lf: half - 1 });
    const run = scoreBothWays('grid.csv', bytes);
    expectDebugLine(run.debug, expected, bytes.length);
  }, 60_000);

  test('CRLF with its CR the last byte of a read and its LF the first of the next, at the split: kept', () => {
    const half = 36 * CHUNK + 1;
    const bytes = Buffer.concat([fileOf(linesOfSize(half, '\r\n'), '\r\n'), fileOf(linesOfSize(half - 30, '\r\n', false), '\r\n')]);
    expect(bytes.subarray(36 * CHUNK - 1, 36 * CHUNK + 1).toString()).toBe('\r\n');
    const expected = expectedFor(bytes);
    expect(expected).toMatchObject({ parts: 'two', kept: true, lf: 36 * CHUNK });
    const run = scoreBothWays('grid-crlf.csv', bytes);
    expectDebugLine(run.debug, expected, bytes.length);
  }, 60_000);

  test("two exports joined (cat a.csv b.csv): the second one's byte-order mark and header start the second part", () => {
    // The second file's BOM is text in the middle of the first (as a whole-file read keeps it), and its header a line of unreadable cells.
    const second = fileOf(notedLines(34_000), '\n', true);
    const first = fileOf(linesOfSize(second.length + 150));
    const bytes = Buffer.concat([first, second]);
    const expected = expectedFor(bytes);
    expect(expected).toMatchObject({ parts: 'two', kept: true, lf: first.length - 1 });
    const run = scoreBothWays('joined.csv', bytes);
    expectDebugLine(run.debug, expected, bytes.length);
    const headerLine = linesOfSize(second.length + 150).length + 1;
    // (The name is shown trimmed, and JavaScript's trim takes U+FEFF.)
    expect(run.two.stderr).toContain(`\n  line ${headerLine} (Customer): Annual sales: "Annual sales" is not a number`);
  }, 60_000);
});

describe('what the rule set and options bring', () => {
  test('currencies converted by the rules file, sales by year, profit, relationship strength, --capacity: kept', () => {
    const rules = JSON.stringify({
      ...defaultRules(),
      currency: 'CNY',
      fx: [
        { code: 'EUR', rate: 8 },
        { code: 'USD', rate: 7 },
      ],
    });
    const currencies = ['CNY', 'EUR', 'USD', 'CNY', 'JPY', '', 'EUR'];
    const lines = ['Customer,Currency,Sales 2024,Sales 2025,Profit 2025,Days to pay,Access to goals,Relationship strength'];
    let leftOut = 0;
    for (let i = 0; i < 70_000; i++) {
      const currency = currencies[i % currencies.length] as string;
      if (currency === 'JPY' || currency === '') leftOut++;
      const sales = 50_000 + ((i * 7919) % 900_000);
      const profit = i % 3_001 === 9 ? 'abc' : String(Math.round(sales * (0.05 + (i % 25) / 100)));
      lines.push(
        `Ridgeway Industrial Supply Co ${i % 20_000},${currency},${sales - 10_000 + (i % 30_000)},${sales},${profit},${20 + (i % 90)},${1 + (i % 5)},${i % 4 === 0 ? '' : 1 + (i % 5)}`,
      );
    }
    const bytes = fileOf(lines);
    expect(bytes.length).toBeGreaterThanOrEqual(SPLIT_FROM);
    const expected = expectedFor(bytes);
    expect(expected).toMatchObject({ parts: 'two', kept: true });
    const run = scoreBothWays('currencies.csv', bytes, { args: ['--rules', 'cny.rules.json', '--capacity', '800'], files: { 'cny.rules.json': rules } });
    expectDebugLine(run.debug, expected, bytes.length);
    expect(run.two.stdout).toContain(`converted at the FX table's rates; ${leftOut} accounts left out`);
    expect(run.two.stdout).toContain('Amounts scored in CNY:');
    expect(run.two.stdout).toContain('"Sales 2024", "Sales 2025" → Purchase growth (computed)');
  }, 60_000);

  test('--contacts: one part (relations are matched over every name)', () => {
    const bytes = fileOf(notedLines(74_000));
    const contacts = 'Account,Name,Role,Stance,Influence\nAnchor Harbour Trading Customer 1,Wang Li,decision maker,supportive,high\n';
    const run = scoreBothWays('related.csv', bytes, { args: ['--contacts', 'contacts.csv'], files: { 'contacts.csv': contacts } });
    expectDebugLine(run.debug, { parts: 'one' }, bytes.length);
  }, 60_000);
});

describe('one part', () => {
  const exactly = (size: number): Buffer => fileOf(linesOfSize(size), '\n');

  test('a file under 4 MiB (by one byte): one part; at exactly 4 MiB: two', () => {
    const under = exactly(SPLIT_FROM - 1);
    const small = scoreBothWays('under.csv', under);
    expectDebugLine(small.debug, { parts: 'one' }, under.length);
    const at = exactly(SPLIT_FROM);
    const expected = expectedFor(at);
    expect(expected).toMatchObject({ parts: 'two', kept: true });
    const split = scoreBothWays('at.csv', at);
    expectDebugLine(split.debug, expected, at.length);
  }, 60_000);

  test('without KAM_THREADS a file under 32 MiB is one part: a second thread would cost more than it saves', () => {
    const file = path.join(root, 'auto', 'auto.csv');
    fs.mkdirSync(path.dirname(file));
    fs.writeFileSync(file, exactly(SPLIT_FROM));
    const run = kam(['score', file], { env: { KAM_DEBUG: 'csv', KAM_THREADS: '' } });
    expect(run.status).toBe(0);
    expect(run.stderr).toContain(`kam debug: one part (smaller than ${32 * 1024 * 1024} bytes)`);
  }, 60_000);

  // taskset (util-linux) pins kam to one processor, where Node's availableParallelism() says 1.
  const taskset = ['/usr/bin/taskset', '/bin/taskset'].find((p) => fs.existsSync(p));
  (taskset ? test : test.skip)(
    'on one processor a file is one part unless KAM_THREADS=2 asks for two',
    () => {
      const file = path.join(root, 'cpu', 'one-cpu.csv');
      fs.mkdirSync(path.dirname(file));
      fs.writeFileSync(file, exactly(SPLIT_FROM));
      const pinned = (threads: string): string => {
        const run = spawnSync(taskset as string, ['-c', '0', process.execPath, KAM, 'score', file], {
          env: { ...process.env, LANG: 'C', KAM_DEBUG: 'csv', KAM_THREADS: threads },
          encoding: 'utf8',
        });
        expect(run.status).toBe(0);
        return run.stderr.split('\n').find((l) => l.startsWith('kam debug: ')) ?? '';
      };
      expect(pinned('')).toBe('kam debug: one part (one processor)');
      expect(pinned('2')).toMatch(/^kam debug: split at byte \d+ of \d+: second part kept$/);
    },
    60_000,
  );

  test('UTF-16LE of more than 4 MiB: one part, the same output', () => {
    const lines = notedLines(40_000);
    const bytes = Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf16le');
    expect(bytes.length).toBeGreaterThanOrEqual(SPLIT_FROM);
    const run = scoreBothWays('utf16.csv', bytes);
    expectDebugLine(run.debug, { parts: 'one' }, bytes.length);
  }, 60_000);
});

describe('property: whatever lands near the middle, the same output either way', () => {
  const base = notedLines(72_000);
  const insert = fc.oneof(
    // A quoted note with one to three line breaks (LF or CRLF) inside.
    fc
      .tuple(fc.constant('quoted' as const), fc.array(fc.constantFrom('\n', '\r\n'), { minLength: 1, maxLength: 3 }))
      .map(([, breaks]) => `Quoted Customer,300000,0.25,0.05,40,3,"${breaks.map((b, i) => `part ${i} of a note as long as a line, or longer${b}`).join('')}end, with ""quotes"""`),
    fc.constant(''),
    fc.constant('Wide Customer,300000,0.25,0.05,40,3,note,extra'),
    fc.constant('"Stray Customer,300000,0.25,0.05,40,3,note'),
    fc.constant('Unreadable Customer,300000,abc,0.05,40,3,note'),
    // Empty rows as Excel writes them, and two records split by a lone carriage return.
    fc.constant(',,,,,,'),
    fc.constant('CR Customer,300000,0.25,0.05,40,3,a\rCR Customer 2,300000,abc,0.05,40,3,b'),
  );
  test('quoted multi-line fields, blank and rejected lines placed around the split point', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(fc.array(fc.tuple(insert, fc.noBias(fc.integer({ min: -120, max: 150 }))), { minLength: 1, maxLength: 3 }), fc.constantFrom('\n', '\r\n'), (inserts, eol) => {
        // Offsets are from the middle of the file as it will be; inserted in order, each lands where it says.
        const grown = inserts.reduce((n, [text]) => n + Buffer.byteLength(text) + eol.length, 0);
        const mid = Math.floor((fileOf(base, eol).length + grown) / 2);
        const lines = [...base];
        for (const [text, offset] of [...inserts].sort((x, y) => x[1] - y[1])) lines.splice(lineStartingBefore(lines, mid + offset, eol), 0, text);
        const bytes = fileOf(lines, eol);
        const expected = expectedFor(bytes);
        const run = scoreBothWays('random.csv', bytes);
        seen.add(expected.parts === 'two' && expected.kept ? 'kept' : 'redone');
        expectDebugLine(run.debug, expected, bytes.length);
      }),
      { numRuns: 6, seed: 20261201 },
    );
    // The seed gives both outcomes.
    expect([...seen].sort()).toEqual(['kept', 'redone']);
  }, 120_000);
});
