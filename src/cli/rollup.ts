import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  matchColumns,
  cellAddress,
  defaultRules,
  isoDay,
  ORDER_LINE_FIELDS,
  parsePeriod,
  rollUp,
  ROLLUP_FLAG_TEXT,
  writeCsv,
  type AccountRollup,
  type CellValue,
  type Lang,
  type OrderLineField,
  type RollupProblem,
  type RollupResult,
} from '../engine';
import { readCsvInput } from './csv-file';
import { describeError, fileKind, InputError, openCommand, requireFile, sameFile, writeAtomically } from './files';
import type { CliPack } from './messages';
import type { Output } from './score';
import { isFormulaWithoutResult, type AccountTable } from './table';
import { parseMapPairs } from './pipeline/map';
import { accountsSheet, newWorkbook, readXlsxTable, withWorkbook } from './xlsx-file';

export interface RollupCliOptions {
  input: string;
  out?: string | undefined;
  sheet?: string | undefined;
  period?: string | undefined;
  fiscalStart?: string | undefined;
  dates?: string | undefined;
  map: readonly string[];
  lang: Lang;
}

/** What `kam rollup` says, in each language (its own pack, so the shared CLI pack only grows by a line or two). */
interface RollupPack {
  help: string;
  badPeriod: (p: { text: string }) => string;
  badFiscalStart: (p: { text: string }) => string;
  badDates: (p: { text: string }) => string;
  badMapField: (p: { field: string; known: string }) => string;
  noColumn: (p: { file: string; field: string; headers: string; aliases: string }) => string;
  noLines: (p: { file: string }) => string;
  periodOutside: (p: { file: string; period: string; range: string }) => string;
  ambiguousDates: (p: { file: string; header: string }) => string;
  problem: (p: { ref: string; kind: RollupProblem['kind']; header: string; text: string }) => string;
  heading: (p: { lines: number; accounts: number; file: string }) => string;
  period: (p: { label: string }) => string;
  columns: (p: { list: string }) => string;
  computed: (p: { header: string; from: string }) => string;
  flagCounts: (p: { list: string }) => string;
  leftOut: (p: { count: number }) => string;
  noGrowth: (p: { first: string }) => string;
  netReturns: (p: { net: string }) => string;
  next: (p: { command: string }) => string;
  headers: Record<'accountId' | 'account' | 'orders' | 'firstOrder' | 'lastOrder' | 'period' | 'notes', string>;
  sheet: string;
  fieldNames: Record<OrderLineField, string>;
}

const EN: RollupPack = {
  help: `Usage: kam rollup <orders.xlsx|orders.csv> [options]

Rolls order or invoice lines (one row per line: customer, date, amount, maybe profit or cost,
invoice and payment dates) up to one row per customer, ready for "kam score": sales over the
period, gross margin, purchase growth, days to pay, orders, first and last order.

Options:
  -o, --out FILE        where to write (default: beside the input, <name>.accounts.<ext>);
                        .csv, or .xlsx (a new workbook with an Accounts sheet)
  -p, --period P        last12 (default: the 12 months ending at the last order date), a year
                        (2018), a fiscal year (FY2018, named by the year it ends in), a quarter
                        (2018-Q3, FY2018-Q3, 2018年第三季度)
  --fiscal-start M      the month a fiscal year starts in, 1-12 (default 1)
  --dates dmy|mdy       how to read dates like 03/04/2019 when the column does not tell
  -s, --sheet NAME      the sheet holding the lines (default: the first)
  -m, --map FIELD=HEADER
                        take FIELD (accountId, account, date, amount, profit, cost, invoiceDate,
                        paymentDate, orderId) from the column headed HEADER
  --lang en|zh          language of the headers and summary

Returns and credit notes net off; an account whose returns exceed its purchases is flagged
"net returns", and one whose earlier year is below 5% of the latest "new account".`,
  badPeriod: ({ text }) => `--period: "${text}" is not a period; write last12, 2018, FY2018 or 2018-Q3`,
  badFiscalStart: ({ text }) => `--fiscal-start: "${text}" is not a month number 1-12`,
  badDates: ({ text }) => `--dates takes dmy or mdy, not "${text}"`,
  badMapField: ({ field, known }) => `--map: "${field}" is not a field of an order line (fields: ${known})`,
  noColumn: ({ file, field, headers, aliases }) => `${file}: no column holds the ${field}.\n  headers found: ${headers}\n  expected (any of): ${aliases}\n  use --map to name it`,
  noLines: ({ file }) => `${file}: no order line could be read`,
  periodOutside: ({ file, period, range }) => `${file}: the period ${period} is outside the data, which runs ${range}`,
  ambiguousDates: ({ file, header }) => `${file}: the dates in "${header}" could be day/month or month/day (every day is 12 or less); say which with --dates dmy or --dates mdy`,
  problem: ({ ref, kind, header, text }) =>
    `${ref}: ${kind === 'blankAccount' ? `"${header}" is blank` : `"${header}": "${text}" is not a ${kind === 'badDate' ? 'date' : 'number'}`}; left out`,
  heading: ({ lines, accounts, file }) => `Rolled up ${lines} order line${lines === 1 ? '' : 's'} into ${accounts} account${accounts === 1 ? '' : 's'} from ${file}.`,
  period: ({ label }) => `Period: ${label}`,
  columns: ({ list }) => `Columns: ${list}`,
  computed: ({ header, from }) => `  ${header}: ${from}`,
  flagCounts: ({ list }) => `Flags: ${list}`,
  leftOut: ({ count }) => `Lines left out (unreadable): ${count}`,
  netReturns: ({ net }) => `net returns: returns exceed purchases in the period (net ${net}; sales written as 0)`,
  noGrowth: ({ first }) => `No growth column: the data (from ${first}) holds no complete period before this one to compare with.`,
  next: ({ command }) => `Next: ${command}`,
  headers: { accountId: 'Customer ID', account: 'Customer', orders: 'Orders', firstOrder: 'First order', lastOrder: 'Last order', period: 'Period', notes: 'Roll-up notes' },
  sheet: 'Accounts',
  fieldNames: {
    accountId: 'customer id',
    account: 'customer',
    date: 'order date',
    amount: 'amount',
    profit: 'profit',
    cost: 'cost',
    paymentDate: 'payment date',
    invoiceDate: 'invoice date',
    orderId: 'order id',
  },
};

const ZH: RollupPack = {
  help: `用法:kam rollup <订单.xlsx|订单.csv> [选项]

把订单或发票明细(每行一条:客户、日期、金额,可含利润或成本、开票和回款日期)汇总为每个客户一行,
供 "kam score" 使用:期间销售额、毛利率、采购增长率、付款天数、订单数、首次和最近下单日期。

选项:
  -o, --out 文件        输出位置(默认:输入文件旁的 <文件名>.accounts.<扩展名>);
                        .csv,或 .xlsx(新工作簿,含"客户"工作表)
  -p, --period 期间     last12(默认:截至最后订单日期的 12 个月)、年份(2018)、财年(FY2018,
                        以结束的年份命名)、季度(2018-Q3、FY2018-Q3、2018年第三季度)
  --fiscal-start 月     财年起始月份,1-12(默认 1)
  --dates dmy|mdy       列本身无法判断时,03/04/2019 这类日期的读法
  -s, --sheet 名称      明细所在的工作表(默认:第一个)
  -m, --map 字段=表头   从表头为"表头"的列读取"字段"(accountId、account、date、amount、profit、
                        cost、invoiceDate、paymentDate、orderId)
  --lang en|zh          表头和汇总所用的语言

退货和红字发票会冲减销售额;退货超过采购的客户标注"净退货",上一年度不足最近年度 5% 的标注"新客户"。`,
  badPeriod: ({ text }) => `--period:"${text}" 不是期间;请写 last12、2018、FY2018 或 2018-Q3`,
  badFiscalStart: ({ text }) => `--fiscal-start:"${text}" 不是 1-12 的月份`,
  badDates: ({ text }) => `--dates 只能是 dmy 或 mdy,而不是 "${text}"`,
  badMapField: ({ field, known }) => `--map:"${field}" 不是订单明细的字段(字段:${known})`,
  noColumn: ({ file, field, headers, aliases }) => `${file}:没有找到${field}列。\n  找到的表头:${headers}\n  期望(任一):${aliases}\n  可用 --map 指定`,
  noLines: ({ file }) => `${file}:没有可读取的订单行`,
  periodOutside: ({ file, period, range }) => `${file}:期间 ${period} 不在数据范围内(数据为 ${range})`,
  ambiguousDates: ({ file, header }) => `${file}:“${header}”中的日期既可能是日/月也可能是月/日(所有日都不超过 12);请用 --dates dmy 或 --dates mdy 指定`,
  problem: ({ ref, kind, header, text }) => `${ref}:${kind === 'blankAccount' ? `“${header}”为空` : `“${header}”:“${text}”不是${kind === 'badDate' ? '日期' : '数字'}`};已略过`,
  heading: ({ lines, accounts, file }) => `已将 ${file} 中的 ${lines} 条订单行汇总为 ${accounts} 个客户。`,
  period: ({ label }) => `期间:${label}`,
  columns: ({ list }) => `使用的列:${list}`,
  computed: ({ header, from }) => `  ${header}:${from}`,
  flagCounts: ({ list }) => `提示:${list}`,
  leftOut: ({ count }) => `略过的行(无法读取):${count}`,
  netReturns: ({ net }) => `净退货:本期退货超过采购(净额 ${net};销售额记为 0)`,
  noGrowth: ({ first }) => `没有增长率列:数据(始于 ${first})中本期之前没有完整的可比期间。`,
  next: ({ command }) => `下一步:${command}`,
  headers: { accountId: '客户编号', account: '客户', orders: '订单数', firstOrder: '首次下单', lastOrder: '最近下单', period: '期间', notes: '汇总提示' },
  sheet: '客户',
  fieldNames: {
    accountId: '客户编号',
    account: '客户',
    date: '订单日期',
    amount: '金额',
    profit: '利润',
    cost: '成本',
    paymentDate: '回款日期',
    invoiceDate: '开票日期',
    orderId: '订单号',
  },
};

const PACKS: Record<Lang, RollupPack> = { en: EN, zh: ZH };
export const rollupHelp = (lang: Lang): string => PACKS[lang].help;

/** `orders.csv` → `orders.accounts.csv`. */
function defaultRollupPath(input: string, kind: 'csv' | 'xlsx'): string {
  const ext = path.extname(input);
  return path.join(path.dirname(input), `${path.basename(input, ext)}.accounts${kind === 'csv' ? '.csv' : '.xlsx'}`);
}

/** The lines as the engine reads them: a formula without a saved result is an unreadable cell, never a guess. */
function linesOf(table: AccountTable): { rows: CellValue[][]; numbers: number[]; rejected: string[] } {
  const rows: CellValue[][] = [];
  const numbers: number[] = [];
  const rejected: string[] = [];
  for (const row of table.rows) {
    if (row.blank) continue;
    // A malformed CSV line is never read with its values shifted: it is left out and named.
    if (row.rejected) {
      rejected.push(row.rejected);
      continue;
    }
    numbers.push(row.number);
    rows.push(row.cells.map((c) => (isFormulaWithoutResult(c) ? `=${c.formulaWithoutResult}` : c)));
  }
  return { rows, numbers, rejected };
}

const round = (x: number, places: number): number => Number(x.toFixed(places));

export async function runRollup(options: RollupCliOptions, cli: CliPack, io: Output): Promise<number> {
  const { input, lang } = options;
  const pack = PACKS[lang];
  requireFile(input, cli);
  const kind = fileKind(input, cli);
  const fiscalStart = options.fiscalStart === undefined ? 1 : Number(options.fiscalStart);
  if (!Number.isInteger(fiscalStart) || fiscalStart < 1 || fiscalStart > 12) throw new InputError(pack.badFiscalStart({ text: options.fiscalStart ?? '' }), 'kam rollup');
  const period = options.period === undefined ? undefined : parsePeriod(options.period, fiscalStart);
  if (period === null) throw new InputError(pack.badPeriod({ text: options.period ?? '' }), 'kam rollup');
  if (options.dates !== undefined && options.dates !== 'dmy' && options.dates !== 'mdy') throw new InputError(pack.badDates({ text: options.dates }), 'kam rollup');
  const mapping = parseMapPairs(options.map, Object.keys(ORDER_LINE_FIELDS), { pack: cli, command: 'kam rollup', unknownField: pack.badMapField });
  const outPath = options.out ?? defaultRollupPath(input, kind);
  if (sameFile(outPath, input)) throw new InputError(cli.outIsInput({ file: outPath }));
  const outKind = fileKind(outPath, cli);

  const readSheet = (): Promise<AccountTable> =>
    withWorkbook(input, cli, (book) =>
      readXlsxTable(book, accountsSheet(book, options.sheet, cli), cli, (texts) => Object.keys(matchColumns(texts, ORDER_LINE_FIELDS).matches).length),
    );
  const table = kind === 'csv' ? readCsvInput(input, cli).table : await readSheet();
  const { rows, numbers, rejected } = linesOf(table);
  const quotedHeaders =
    table.headers
      .filter((h) => h !== '')
      .map((h) => `"${h}"`)
      .join(', ') || '(none)';
  const bad = Object.entries(mapping).find(([, h]) => !table.headers.some((t) => t.trim().toLowerCase() === h.toLowerCase()));
  if (bad) throw new InputError(cli.badMappingHeader({ file: input, field: bad[0], header: bad[1], headers: quotedHeaders }));
  const result = rollUp(table.headers, rows, { period, mapping, ...(options.dates ? { dayMonthOrder: options.dates as 'dmy' | 'mdy' } : {}) });
  if (!result.ok) throw new InputError(failure(result, input, quotedHeaders, options.period ?? '', pack));

  // The account sheet: headers kam score recognises, in the user's language.
  const rules = defaultRules();
  const label = (id: string): string => rules.criteria.find((c) => c.id === id)?.label[lang] ?? id;
  const hasId = result.columns.matches.accountId !== undefined;
  type Column = { header: string; value: (a: AccountRollup) => CellValue; from?: string; format?: string; width: number };
  const columns: Column[] = [];
  if (hasId) columns.push({ header: pack.headers.accountId, value: (a) => a.key, width: 14 });
  if (!hasId || result.columns.matches.account !== undefined) columns.push({ header: pack.headers.account, value: (a) => (hasId ? a.name : a.key), width: 32 });
  const d = result.derivations;
  // Net returns are a fact about the period, not a bad cell: the sales column says 0 (the criterion
  // takes no negative amounts), and the note gives the net figure.
  columns.push({ header: label('sales'), value: (a) => Math.max(a.sales, 0), from: d.sales?.[lang], format: '#,##0.00', width: 16 });
  if (d.margin) columns.push({ header: label('margin'), value: (a) => (a.margin === null ? null : round(a.margin, 4)), from: d.margin[lang], format: '0.0%', width: 14 });
  if (d.growth) columns.push({ header: label('growth'), value: (a) => (a.growth === null ? null : round(a.growth, 4)), from: d.growth[lang], format: '0.0%', width: 16 });
  if (d.paymentDays) columns.push({ header: label('paymentDays'), value: (a) => a.paymentDays, from: d.paymentDays[lang], format: '0.0', width: 12 });
  columns.push({ header: pack.headers.orders, value: (a) => a.orders, from: d.orders?.[lang], width: 10 });
  columns.push({ header: pack.headers.firstOrder, value: (a) => isoDay(a.firstOrder), width: 12 });
  columns.push({ header: pack.headers.lastOrder, value: (a) => isoDay(a.lastOrder), width: 12 });
  columns.push({ header: pack.headers.period, value: () => result.periodLabel, width: 30 });
  const flagText = (a: AccountRollup, f: AccountRollup['flags'][number]): string => (f === 'netReturns' ? pack.netReturns({ net: a.sales.toFixed(2) }) : ROLLUP_FLAG_TEXT[f][lang]);
  columns.push({ header: pack.headers.notes, value: (a) => a.flags.map((f) => flagText(a, f)).join(lang === 'zh' ? ';' : '; '), width: 40 });

  const existed = fs.existsSync(outPath);
  try {
    if (outKind === 'csv') {
      const text = writeCsv(
        [
          columns.map((c) => c.header),
          ...result.accounts.map((a) =>
            columns.map((c) => {
              const v = c.value(a);
              return v === null || v === undefined ? '' : String(v);
            }),
          ),
        ],
        { bom: true },
      );
      await writeAtomically(outPath, (temp) => fs.writeFileSync(temp, text));
    } else {
      const workbook = await newWorkbook();
      const sheet = workbook.addWorksheet(pack.sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
      const header = sheet.addRow(columns.map((c) => c.header));
      header.font = { bold: true };
      columns.forEach((c, i) => {
        // The header's note says what the column was computed from.
        if (c.from) header.getCell(i + 1).note = c.from;
        const column = sheet.getColumn(i + 1);
        column.width = c.width;
        if (c.format) column.numFmt = c.format;
      });
      for (const a of result.accounts) sheet.addRow(columns.map((c) => c.value(a) ?? null));
      sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
      await writeAtomically(outPath, (temp) => workbook.xlsx.writeFile(temp));
    }
  } catch (error) {
    throw new InputError(cli.writeFailed({ file: outPath, detail: describeError(error) }));
  }

  // The summary.
  io.out(pack.heading({ lines: rows.length, accounts: result.accounts.length, file: input }));
  io.out(pack.period({ label: result.periodLabel }));
  const names = pack.fieldNames;
  io.out(pack.columns({ list: cli.list(Object.entries(result.columns.matches).map(([f, m]) => cli.columnFrom({ header: m.header, field: names[f as OrderLineField] }))) }));
  for (const c of columns) if (c.from) io.out(pack.computed({ header: c.header, from: c.from }));
  if (!d.growth) io.out(pack.noGrowth({ first: isoDay(Math.min(...result.accounts.map((a) => a.firstOrder))) }));
  const flagCounts = (Object.keys(ROLLUP_FLAG_TEXT) as Array<keyof typeof ROLLUP_FLAG_TEXT>)
    .map((f) => [f, result.accounts.filter((a) => a.flags.includes(f)).length] as const)
    .filter(([, n]) => n > 0)
    .map(([f, n]) => `${ROLLUP_FLAG_TEXT[f][lang].split(/[:：]/)[0] ?? f} ${n}`);
  if (flagCounts.length > 0) io.out(pack.flagCounts({ list: cli.list(flagCounts) }));
  if (result.problems.length + rejected.length > 0) {
    io.out(pack.leftOut({ count: result.problems.length + rejected.length }));
    io.err(pack.leftOut({ count: result.problems.length + rejected.length }));
    for (const r of rejected.slice(0, 20)) io.err(`  ${r}`);
    for (const p of result.problems.slice(0, 20)) {
      const number = numbers[p.line] ?? 0;
      const ref = cli.rowRef({ kind: table.rowKind, number });
      const headerText = String(result.columns.matches[p.field]?.header ?? p.field);
      const where = table.rowKind === 'row' ? `${ref} (${cellAddress({ row: number - 1, col: result.columns.matches[p.field]?.column ?? 0 })})` : ref;
      io.err(`  ${pack.problem({ ref: where, kind: p.kind, header: headerText, text: p.text })}`);
    }
    if (result.problems.length > 20) io.err(`  ${cli.moreRows({ count: result.problems.length - 20 })}`);
  }
  const absolute = path.resolve(outPath);
  io.out('');
  io.out(`${cli.wrote({ file: absolute })}${existed ? ` ${cli.replaced()}` : ''}`);
  io.out(pack.next({ command: `kam score ${JSON.stringify(outPath)}${lang === 'zh' ? ' --lang zh' : ''}` }));
  io.out(cli.openHint({ command: openCommand(absolute) }));
  return 0;
}

function failure(result: Extract<RollupResult, { ok: false }>, file: string, headers: string, period: string, pack: RollupPack): string {
  const noColumn = (field: OrderLineField): string =>
    pack.noColumn({
      file,
      field: pack.fieldNames[field],
      headers,
      aliases: ORDER_LINE_FIELDS[field]
        .slice(0, 8)
        .map((a) => `"${a}"`)
        .join(', '),
    });
  switch (result.reason) {
    case 'noAccount':
      return noColumn('account');
    case 'noDate':
      return noColumn('date');
    case 'noAmount':
      return noColumn('amount');
    case 'noLines':
      return pack.noLines({ file });
    case 'periodOutsideData':
      return pack.periodOutside({ file, period, range: result.detail ?? '' });
    case 'ambiguousDates':
      return pack.ambiguousDates({ file, header: result.detail ?? '' });
  }
}
