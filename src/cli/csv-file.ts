import * as fs from 'node:fs';
import { TextDecoder } from 'node:util';
import {
  CsvReader,
  flagsText,
  LABEL_PACKS,
  LANGUAGES,
  OUTCOME_IDS,
  outcomeLabel,
  parseCsv,
  rowFlags,
  scoreColumns,
  type CellValue,
  type CsvDelimiter,
  type CsvRecord,
  type Lang,
  type OutcomeId,
  type RuleSet,
} from '../engine';
import { InputError, writeAtomically } from './files';
import type { CliPack } from './messages';
import type { AccountTable } from './table';

/**
 * `kam score` on a CSV file, streamed: the file is read in chunks, scored in blocks and written as
 * it goes, so memory stays flat whatever the number of lines (a million lines take ~100 MB, not
 * 1.5 GB). Every line of the input comes back in place with the result columns set.
 */

/**
 * Bytes read at a time; the rows they hold are scored and written before the next read. Small
 * enough that a chunk's rows die young (V8 then never promotes them and the heap stays flat), big
 * enough (~1,000 rows) for the kernel's typed arrays to pay.
 */
const CHUNK_BYTES = 1 << 16;
/** How many malformed lines and unreadable rows the summary keeps to name (the rest are counted). */
export const KEPT_DETAILS = 1000;

/** The result cells of one row, in the order of the result columns (score, tier, flags). */
export type ResultCells = readonly [score: number | null, tier: string, flags: string];

/** Where the result columns go, and their headers. */
export interface ResultColumns {
  positions: readonly [number, number, number];
  headers: readonly [string, string, string];
}

/** What a scoring run found, for the summary: counts, and the first rows that need attention. */
export interface ScoreRun {
  /** Rows that are not blank. */
  accounts: number;
  blank: number;
  counts: Record<OutcomeId, number>;
  unreadable: { count: number; rows: Array<{ number: number; account: string; text: string }> };
  malformed: { count: number; rows: Array<{ number: number; message: string }> };
}

/** A CSV file opened and read up to its header: enough to match columns before any row is scored. */
export interface CsvHead {
  file: string;
  table: AccountTable;
  delimiter: CsvDelimiter;
  separatorLine: string | undefined;
  leading: CsvRecord[];
  header: CsvRecord;
  /** Records already read after the header. */
  pending: CsvRecord[];
  next: () => Promise<CsvRecord[] | null>;
  close: () => Promise<void>;
}

type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be';

/**
 * The text encoding of a file from its first bytes: a byte-order mark, else UTF-16 recognised by
 * its zero bytes (ASCII text in UTF-16 has a zero in every other byte, which UTF-8 never writes),
 * else UTF-8. Never a code page guess.
 */
export function detectEncoding(bytes: Uint8Array): Encoding {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  const pairs = Math.floor(Math.min(bytes.length, 4096) / 2);
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < pairs; i++) {
    if (bytes[2 * i] === 0) evenZeros++;
    if (bytes[2 * i + 1] === 0) oddZeros++;
  }
  if (pairs > 0 && oddZeros >= pairs / 4 && evenZeros === 0) return 'utf-16le';
  if (pairs > 0 && evenZeros >= pairs / 4 && oddZeros === 0) return 'utf-16be';
  return 'utf-8';
}

/** Decodes a whole file's bytes (the rules command's CSV and JSON): the same encodings as a streamed CSV. */
export function decodeText(bytes: Uint8Array, file: string, pack: CliPack): string {
  try {
    return new TextDecoder(detectEncoding(bytes), { fatal: true }).decode(bytes);
  } catch {
    throw new InputError(pack.notUtf8({ file }));
  }
}

/** Opens a CSV file and reads it up to its header (the first line with any text). */
export async function openCsv(file: string, pack: CliPack): Promise<CsvHead> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    let decoder: TextDecoder | undefined;
    const reader = new CsvReader();
    let done = false;
    const next = async (): Promise<CsvRecord[] | null> => {
      if (done) return null;
      const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, null);
      const bytes = buffer.subarray(0, bytesRead);
      decoder ??= new TextDecoder(detectEncoding(bytes), { fatal: true });
      let text: string;
      try {
        text = decoder.decode(bytes, { stream: bytesRead > 0 });
      } catch {
        throw new InputError(pack.notUtf8({ file }));
      }
      if (bytesRead === 0) done = true;
      return reader.push(text, done);
    };
    const isBlank = (r: CsvRecord): boolean => !r.problem && r.fields.every((f) => f.trim() === '');
    const leading: CsvRecord[] = [];
    let header: CsvRecord | undefined;
    let pending: CsvRecord[] = [];
    while (!header) {
      const records = await next();
      if (records === null) break;
      const at = records.findIndex((r) => !isBlank(r));
      if (at < 0) {
        leading.push(...records);
        continue;
      }
      leading.push(...records.slice(0, at));
      header = records[at];
      pending = records.slice(at + 1);
    }
    if (!header) throw new InputError(pack.fileEmpty({ file }));
    if (header.problem) throw new InputError(pack.badHeaderLine({ file, line: header.line }));
    const headers = header.fields.map((h) => h.trim());
    return {
      file,
      table: { rowKind: 'line', headers, rows: [], width: header.fields.length },
      delimiter: reader.delimiter ?? ',',
      separatorLine: reader.separatorLine,
      leading,
      header,
      pending,
      next,
      close: () => handle.close(),
    };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/**
 * Text we write that a spreadsheet would run as a formula (OWASP's CSV-injection advice): a tier
 * label, flag or message from a rule set that starts with = + - @ or a tab or carriage return gets
 * a leading apostrophe, which spreadsheets show as text. The user's own cells are never changed.
 */
export function inertText(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** One field as CSV writes it: quoted only when it must be. */
function field(text: string, delimiter: CsvDelimiter, alone: boolean): string {
  if (text.includes(delimiter) || text.includes('"') || text.includes('\n') || text.includes('\r') || (alone && text === '')) {
    return `"${text.replace(/"/g, '""')}"`;
  }
  return text;
}

export interface CsvScorePlan {
  rules: RuleSet;
  lang: Lang;
  columns: ResultColumns;
  /** The column of each matched criterion. */
  matched: ReadonlyArray<{ id: string; column: number }>;
  accountColumn: number | undefined;
  outPath: string;
}

/** Scores every row of an opened CSV file and writes the output through a temporary file. */
export async function scoreCsv(head: CsvHead, plan: CsvScorePlan, pack: CliPack): Promise<ScoreRun> {
  const { rules, lang, columns } = plan;
  const delimiter = head.delimiter;
  const width = head.table.width;
  const outWidth = Math.max(width, ...columns.positions.map((p) => p + 1));
  const appendOnly = columns.positions.every((p) => p >= width);
  const resultAt = new Map<number, number>(columns.positions.map((p, k) => [p, k]));
  const tierLabels = OUTCOME_IDS.map((id) => inertText(outcomeLabel(rules, id, lang)));
  const invalidLabel = inertText(outcomeLabel(rules, 'invalid', lang));
  const counts = Object.fromEntries(OUTCOME_IDS.map((id) => [id, 0])) as Record<OutcomeId, number>;
  const run: ScoreRun = { accounts: 0, blank: 0, counts, unreadable: { count: 0, rows: [] }, malformed: { count: 0, rows: [] } };
  const flagCache = new Map<number | string, string>();
  const keptLines = keptLineCheck(head, columns, pack);

  /** A row of fields with the result columns set, as one CSV line. */
  const line = (fields: readonly string[], result: ResultCells | null, record?: CsvRecord): string => {
    const cellOf = (k: number): string => {
      if (!result) return '';
      const v = result[k];
      return typeof v === 'number' ? v.toFixed(1) : (v ?? '');
    };
    if (appendOnly && record && fields.length === width && record.fields === fields) {
      // The line as it was, byte for byte, with the results after it.
      let out = record.text;
      for (let i = width; i < outWidth; i++) {
        const k = resultAt.get(i);
        out += delimiter + (k === undefined ? '' : field(cellOf(k), delimiter, false));
      }
      return `${out}\r\n`;
    }
    const parts = new Array<string>(outWidth);
    for (let i = 0; i < outWidth; i++) {
      const k = resultAt.get(i);
      const text = k === undefined ? (fields[i] ?? '') : cellOf(k);
      parts[i] = field(text, delimiter, outWidth === 1);
    }
    return `${parts.join(delimiter)}\r\n`;
  };

  const scoreBlock = (records: readonly CsvRecord[]): string => {
    const results: Array<ResultCells | null> = new Array<ResultCells | null>(records.length).fill(null);
    const rejected: Array<string | undefined> = new Array<string | undefined>(records.length);
    const originals: Array<string | undefined> = new Array<string | undefined>(records.length);
    const scored: number[] = [];
    records.forEach((record, i) => {
      const blank = !record.problem && record.fields.every((f) => f.trim() === '');
      if (blank) {
        run.blank++;
        return;
      }
      run.accounts++;
      let reason: string | undefined;
      if (record.problem === 'unterminatedQuote') reason = pack.unterminatedQuote({ line: record.line });
      else if (record.problem === 'textAfterQuote') reason = pack.textAfterQuote({ line: record.line });
      else if (record.fields.length !== width) reason = pack.fieldCount({ line: record.line, fields: record.fields.length, expected: width });
      else {
        const kept = keptLines(record);
        if (kept) {
          reason = kept.reason;
          originals[i] = kept.original;
        }
      }
      if (reason === undefined) {
        scored.push(i);
        return;
      }
      rejected[i] = reason;
      results[i] = [null, invalidLabel, inertText(reason)];
      counts.invalid++;
      if (run.malformed.rows.length < KEPT_DETAILS) run.malformed.rows.push({ number: record.line, message: reason });
      run.malformed.count++;
    });

    const kernelColumns: Record<string, CellValue[]> = {};
    for (const { id, column } of plan.matched) kernelColumns[id] = scored.map((i) => (records[i] as CsvRecord).fields[column] ?? null);
    const result = scoreColumns({ rowCount: scored.length, columns: kernelColumns }, rules);
    scored.forEach((i, k) => {
      const code = result.outcome[k] as number;
      counts[OUTCOME_IDS[code] as OutcomeId]++;
      const s = result.score[k] as number;
      const problems = result.problems.get(k);
      let flags: string;
      if (problems) flags = inertText(flagsText(rowFlags(result, k), lang, rules));
      else {
        // Without input problems, the flags depend only on the knock-outs fired and the inputs missing.
        const fired = result.knockoutMask[k] as number;
        const key = fired < 0x10000 ? code + 16 * ((result.missingMask[k] as number) + 0x100000000 * fired) : `${fired}:${result.missingMask[k]}:${code}`;
        let cached = flagCache.get(key);
        if (cached === undefined) {
          cached = inertText(flagsText(rowFlags(result, k), lang, rules));
          flagCache.set(key, cached);
        }
        flags = cached;
      }
      results[i] = [s === s ? s : null, tierLabels[code] as string, flags];
      if (problems) {
        run.unreadable.count++;
        if (run.unreadable.rows.length < KEPT_DETAILS) {
          const record = records[i] as CsvRecord;
          const account = plan.accountColumn === undefined ? '' : (record.fields[plan.accountColumn] ?? '').trim();
          run.unreadable.rows.push({ number: record.line, account, text: flags });
        }
      }
    });

    let out = '';
    records.forEach((record, i) => {
      const reason = rejected[i];
      if (reason !== undefined) out += line([originals[i] ?? record.text], results[i] ?? null);
      else out += line(record.fields, results[i] ?? null, record);
    });
    return out;
  };

  await writeAtomically(plan.outPath, async (temp) => {
    const out = fs.createWriteStream(temp);
    const failed = new Promise<never>((_, reject) => out.on('error', reject));
    const write = async (text: string): Promise<void> => {
      if (!out.write(text)) await Promise.race([new Promise<void>((resolve) => out.once('drain', () => resolve())), failed]);
    };
    try {
      // UTF-8 with a byte-order mark: without it Excel reads the file in the local code page and
      // garbles Chinese (and accented) text. A sep= line is kept, after it.
      let start = '\uFEFF';
      if (head.separatorLine !== undefined) start += `${head.separatorLine}\r\n`;
      for (const r of head.leading) start += line(r.fields, null);
      const headerFields = head.header.fields;
      if (appendOnly) {
        start += head.header.text;
        for (let i = width; i < outWidth; i++) {
          const k = resultAt.get(i);
          start += delimiter + (k === undefined ? '' : field(columns.headers[k] as string, delimiter, false));
        }
        start += '\r\n';
      } else {
        const cells = Array.from({ length: outWidth }, (_, i) => {
          const k = resultAt.get(i);
          return k === undefined ? (headerFields[i] ?? '') : (columns.headers[k] as string);
        });
        start += cells.map((c) => field(c, delimiter, outWidth === 1)).join(delimiter) + '\r\n';
      }
      await write(start);
      for (let block: CsvRecord[] | null = head.pending; block !== null; block = await head.next()) {
        if (block.length > 0) await write(scoreBlock(block));
      }
    } finally {
      await new Promise<void>((resolve) => out.end(resolve));
      await head.close();
    }
    await Promise.race([Promise.resolve(), failed]);
  });
  return run;
}

/**
 * Malformed lines that an earlier kam run kept: their original text sits in the first cell, every
 * other input cell is blank. Read as they are, they would be scored as an account with nothing
 * known; they are rejected again, with the same report, and written back the same way.
 */
function keptLineCheck(head: CsvHead, columns: ResultColumns, pack: CliPack): (record: CsvRecord) => { reason: string; original: string } | undefined {
  const width = head.table.width;
  const positions = columns.positions;
  const inputWidth = width - positions.filter((p) => p < width).length;
  const tierAt = positions[1];
  if (tierAt >= width) return () => undefined; // no KAM Tier column: not an earlier run's output
  const invalidLabels = new Set(LANGUAGES.map((l) => LABEL_PACKS[l].invalidOutcome));
  return (record) => {
    const cells = record.fields;
    if (!invalidLabels.has(cells[tierAt] ?? '')) return undefined;
    const first = cells[0] ?? '';
    if (!first.includes(head.delimiter)) return undefined;
    const othersBlank = cells.every((cell, i) => i === 0 || positions.includes(i) || cell === '');
    if (!othersBlank) return undefined;
    const kept = parseCsv(first, { delimiter: head.delimiter }).records[0];
    if (!kept || kept.fields.length === inputWidth) return undefined;
    return { reason: pack.fieldCount({ line: record.line, fields: kept.fields.length, expected: inputWidth }), original: first };
  };
}
