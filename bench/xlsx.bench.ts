/**
 * A full Excel sheet through `kam score`: 1,048,576 rows (a header and 1,048,575 accounts) × 10
 * columns, written with exceljs's streaming writer, then scored by the built command line as a
 * child process (wall time and peak RSS from /usr/bin/time), side by side with LibreOffice
 * opening and saving the same file (`soffice --convert-to xlsx`), when it is installed.
 *
 * KAM_BENCH_XLSX_ROWS sets a smaller sheet for a quick look (the targets are for the full sheet).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { report } from './report';

const FULL_SHEET = 1_048_576;

function commandPath(name: string): string | undefined {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
  return found === '' ? undefined : found;
}

/** Seeded accounts, one row at a time, through exceljs's streaming writer (bounded memory). */
async function writeBigWorkbook(file: string, rows: number): Promise<void> {
  const { stream } = await import('exceljs');
  const workbook = new stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true, useStyles: true });
  const sheet = workbook.addWorksheet('Accounts');
  sheet.addRow(['Customer', 'Region', 'Annual sales', 'Gross margin', 'Purchase growth', 'Wallet', 'Days to pay', 'Access to goals', 'Openness to ideas', 'Notes']).commit();
  let seed = 20261201;
  const random = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const regions = ['North', 'South', 'East', 'West'];
  for (let i = 1; i < rows; i++) {
    sheet
      .addRow([
        `Account ${i}`,
        regions[i % 4],
        Math.round(random() * 2e6),
        Math.round(random() * 40) / 100,
        Math.round(random() * 60 - 20) / 100,
        Math.round(random() * 5e6),
        Math.round(random() * 120),
        1 + Math.floor(random() * 5),
        1 + Math.floor(random() * 5),
        i % 7 === 0 ? 'call back' : null,
      ])
      .commit();
  }
  sheet.commit();
  await workbook.commit();
}

/** Runs a command under /usr/bin/time -v: wall seconds, peak RSS in MB, exit status. */
function timed(command: string, args: readonly string[]): { seconds: number; peakMB: number | null; status: number | null; stderr: string } {
  const time = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
  const started = process.hrtime.bigint();
  const result = time
    ? spawnSync(time, ['-v', command, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
    : spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr ?? '');
  return { seconds, peakMB: rss ? Number(rss[1]) / 1024 : null, status: result.status, stderr: result.stderr ?? '' };
}

export async function runXlsxBench(): Promise<void> {
  const rows = Number(process.env.KAM_BENCH_XLSX_ROWS ?? FULL_SHEET);
  const full = rows >= FULL_SHEET;
  const section = report.section('xlsx', `kam score on a ${rows.toLocaleString('en')}-row × 10-column workbook, beside LibreOffice`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kam-bench-xlsx-'));
  try {
    const input = path.join(dir, 'accounts.xlsx');
    const t0 = Date.now();
    await writeBigWorkbook(input, rows);
    section.note(`input written by exceljs's streaming writer in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${(fs.statSync(input).size / 1e6).toFixed(1)} MB`);

    const kamJs = path.join(__dirname, '..', 'src', 'cli', 'kam.js');
    // Run as the installed command runs: with the node flags of its #! line (the heap cap).
    const shebang = fs.readFileSync(kamJs, 'utf8').split('\n', 1)[0] ?? '';
    const nodeFlags = shebang.split(/\s+/).filter((word) => word.startsWith('--'));
    const kam = timed(process.execPath, [...nodeFlags, kamJs, 'score', input, '--out', path.join(dir, 'accounts.kam.xlsx')]);
    section.note(`kam run with node ${nodeFlags.join(' ') || '(no flags)'}, as its #! line says`);
    if (kam.status !== 0) throw new Error(`kam score failed (${kam.status}): ${kam.stderr.slice(-2000)}`);
    const soffice = commandPath('soffice') ?? commandPath('libreoffice');
    let lo: ReturnType<typeof timed> | undefined;
    if (soffice) {
      const profile = `file://${path.join(dir, 'lo-profile')}`;
      lo = timed(soffice, [`-env:UserInstallation=${profile}`, '--headless', '--convert-to', 'xlsx', '--outdir', path.join(dir, 'lo'), input]);
      if (!fs.existsSync(path.join(dir, 'lo', 'accounts.xlsx'))) lo = undefined;
    } else {
      section.note('LibreOffice (soffice) is not installed: no side-by-side figure');
    }

    section.figure(
      'kamSeconds',
      'kam score: read, score, write (wall)',
      kam.seconds,
      ' s',
      lo && full ? { target: { op: '<', value: lo.seconds }, note: 'target: less than LibreOffice open+save of the same file' } : {},
    );
    if (kam.peakMB !== null) section.figure('kamPeakMB', 'kam score: peak RSS', kam.peakMB, ' MB', full ? { target: { op: '<=', value: 1024 } } : {});
    section.figure('kamRowsPerSecond', 'kam score: rows per second', rows / kam.seconds, ' rows/s');
    if (lo) {
      section.figure('libreofficeSeconds', 'LibreOffice 7 open + save as .xlsx (wall)', lo.seconds, ' s');
      if (lo.peakMB !== null) section.figure('libreofficePeakMB', 'LibreOffice: peak RSS', lo.peakMB, ' MB');
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
