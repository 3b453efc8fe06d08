import type { Lang } from '../engine';

/**
 * Everything `kam` says, in each language. A pack must implement every key (the compiler checks
 * it), so no message exists in one language only. Engine messages (cell problems, knock-out
 * reasons, rule-set warnings) come from the engine's own packs.
 */
export interface CliPack {
  help: { main: string; score: string; rules: string; sql: string };
  badDialect: (p: { dialect: string; known: string }) => string;
  badEngine: (p: { engine: string }) => string;
  engineAbsent: (p: { file: string; ids: string }) => string;
  engineNoCriteria: (p: { file: string; headers: string; ids: string }) => string;
  engineFailed: (p: { file: string; detail: string }) => string;
  engineWritten: (p: { file: string; rows: number; summary: string }) => string;
  // Usage errors.
  unknownCommand: (p: { command: string }) => string;
  unknownOption: (p: { option: string }) => string;
  optionNeedsValue: (p: { option: string }) => string;
  badArguments: (p: { detail: string }) => string;
  seeHelp: (p: { command: string }) => string;
  missingInput: () => string;
  tooManyInputs: (p: { extra: string }) => string;
  badLang: (p: { lang: string }) => string;
  badMapSyntax: (p: { text: string }) => string;
  unknownMapField: (p: { field: string; known: string }) => string;
  // File and sheet errors: each names the file.
  fileNotFound: (p: { file: string }) => string;
  notAFile: (p: { file: string }) => string;
  unsupportedType: (p: { file: string; ext: string }) => string;
  oldExcelFormat: (p: { file: string }) => string;
  notUtf8: (p: { file: string }) => string;
  csvTooLarge: (p: { file: string; mb: number }) => string;
  unreadableWorkbook: (p: { file: string; detail: string }) => string;
  sheetNotFound: (p: { file: string; sheet: string; sheets: string }) => string;
  otherSheets: (p: { sheets: string }) => string;
  noDataSheet: (p: { file: string }) => string;
  sheetEmpty: (p: { file: string; sheet: string }) => string;
  fileEmpty: (p: { file: string }) => string;
  badHeaderLine: (p: { file: string; line: number }) => string;
  badMappingHeader: (p: { file: string; field: string; header: string; headers: string }) => string;
  ambiguousColumns: (p: { file: string; field: string; headers: string }) => string;
  noCriterionColumns: (p: { file: string; headers: string; expected: string }) => string;
  outIsInput: (p: { file: string }) => string;
  outWrongType: (p: { file: string; ext: string }) => string;
  outExists: (p: { file: string }) => string;
  writeFailed: (p: { file: string; detail: string }) => string;
  sheetWithName: (p: { file: string; sheet: string }) => string;
  // Rule files.
  rulesJsonSyntax: (p: { file: string; detail: string; line: number | null; column: number | null }) => string;
  rulesSheetMissing: (p: { file: string; sheet: string; sheets: string }) => string;
  rulesIssue: (p: { file: string; path: string; message: string; cell: string | null }) => string;
  rulesInvalid: (p: { file: string; count: number }) => string;
  rulesValid: (p: { file: string; name: string; criteria: number; knockouts: number }) => string;
  rulesWarning: (p: { file: string; text: string }) => string;
  rulesFrom: (p: { name: string; source: string }) => string;
  defaultRulesSource: () => string;
  workbookRulesSource: (p: { file: string; sheet: string }) => string;
  // Row flags written into the KAM Flags column.
  fieldCount: (p: { line: number; fields: number; expected: number }) => string;
  unterminatedQuote: (p: { line: number }) => string;
  textAfterQuote: (p: { line: number }) => string;
  formulaWithoutResult: (p: { field: string; cell: string; formula: string }) => string;
  // The run's summary.
  scoredHeading: (p: { count: number; file: string; sheet: string | null }) => string;
  columnsUsed: (p: { list: string }) => string;
  accountField: () => string;
  columnFrom: (p: { header: string; field: string }) => string;
  columnsMissing: (p: { list: string }) => string;
  tiersHeading: () => string;
  warningsHeading: () => string;
  unreadableRows: (p: { count: number; where: string }) => string;
  malformedLines: (p: { count: number; where: string }) => string;
  blankRows: (p: { count: number }) => string;
  userColumnsKept: (p: { list: string }) => string;
  rowRef: (p: { kind: 'line' | 'row'; number: number }) => string;
  moreRows: (p: { count: number }) => string;
  rowDetail: (p: { ref: string; account: string; text: string }) => string;
  stderrUnreadable: (p: { count: number }) => string;
  stderrMalformed: (p: { count: number; file: string }) => string;
  wrote: (p: { file: string }) => string;
  replaced: () => string;
  openHint: (p: { command: string }) => string;
  tableWritten: (p: { file: string }) => string;
  list: (items: readonly string[]) => string;
  // Readiness, calibration and order lines (docs/rules.md §5).
  absentColumns: (p: { list: string; share: number }) => string;
  allInsufficient: (p: { required: string | null }) => string;
  scoredOnPresent: (p: { absent: string; share: number; kept: string }) => string;
  reducedRulesName: (p: { name: string }) => string;
  // Currencies (docs/rules.md §6).
  converted: (p: { into: string; rates: string }) => string;
  calibrationCurrency: (p: { into: string; leftOut: number }) => string;
  rulesSavedInSheet: () => string;
  // The .xlsx made ready to show: the summary sheet and the accounts sheet's look.
  summaryWritten: (p: { sheet: string; sections: string; charts: number }) => string;
  summaryBesideUsers: (p: { theirs: string; ours: string }) => string;
  sheetShown: (p: { coloured: boolean; filtered: boolean; frozen: boolean }) => string;
  rulesSavedBeside: (p: { file: string }) => string;
  calibrated: (p: { field: string; from: number; to: number; count: number }) => string;
  scaleHint: (p: { field: string; target: number; p90: number }) => string;
  looksLikeOrderLines: (p: { lines: number; accounts: number; file: string }) => string;
  columnDerived: (p: { headers: string; field: string }) => string;
  mappingRemembered: () => string;
  // Contacts, needs and capacity (the same report as the task pane's).
  badCapacity: (p: { value: string }) => string;
  badFormulas: (p: { value: string }) => string;
  formulasNeedWorkbook: (p: { file: string }) => string;
  portableDerived: (p: { fields: string }) => string;
  portableWritten: () => string;
  portableTooLong: (p: { count: number; max: number }) => string;
  portableTexts: (p: { count: number }) => string;
  portableTextCell: (p: { cell: string; field: string; text: string }) => string;
  relationNotFound: (p: { file: string; option: string; name: string; available: string }) => string;
  relationLineUnreadable: (p: { file: string; detail: string }) => string;
  relationFrom: (p: { kind: 'contacts' | 'needs'; source: string }) => string;
  relationSource: (p: { kind: 'sheet' | 'table' | 'file'; name: string }) => string;
  noRelations: (p: { csv: boolean }) => string;
  hoursNeeded: (p: { demand: number; capacity: number | null; over: number; cuts: number }) => string;
  seniorVisits: (p: { count: number; list: string }) => string;
  unmatchedAccounts: (p: { count: number; list: string }) => string;
  relationProblems: (p: { count: number }) => string;
  /** The progress line a long run keeps up to date on a terminal. */
  csvProgress: (p: { step: 'reading' | 'scoring' | 'writing'; lines: number; percent: number }) => string;
  /** A run stopped by Ctrl-C or SIGTERM: nothing written, the input untouched. */
  interrupted: (p: { signal: string }) => string;
}

const pct = (x: number): string => `${Math.round(x * 100)}%`;
const num = (x: number): string => x.toLocaleString('en-US', { maximumFractionDigits: 2 });

const en: CliPack = {
  help: {
    main: `kam: key-account scoring for spreadsheets

Usage:
  kam score <accounts.xlsx|accounts.csv> [options]   score accounts, write <name>.kam.<ext>
  kam rollup <orders.xlsx|orders.csv> [options]      order lines → one row per account, write <name>.accounts.<ext>
  kam rules                                          print the default rule set as JSON
  kam rules check <rules.json|rules.xlsx|rules.csv>  validate a rule set (exit 2 when invalid)
  kam rules table [--rules FILE] [--out FILE]        the rule set as a "KAM Rules" table (.xlsx or .csv)
  kam sql [--dialect duckdb|sqlite|postgres|spark|trino] [--table NAME]
                                                     the rule set as one SQL query over a table of accounts
  kam check <scored.xlsx>                            name the rows whose results are stale (exit 1 when any)
  kam merge <A.xlsx> <B.xlsx> … --out <ALL.xlsx> [--rules FILE|--rules-from A.xlsx]
                                                     regional copies → one sheet, rule differences listed

Options:
  --lang en|zh   language of the output (default: from LANG, else en)
  -h, --help     this help; "kam score --help" for the score options

Exit status: 0 done (rows with bad cells are flagged, not fatal), 2 bad input or usage, 1 internal error.`,
    score: `Usage: kam score <accounts.xlsx|accounts.csv> [options]

Reads one account per row, scores each with the rule set and writes a copy with the task pane's
columns added: KAM Score, KAM Tier, KAM Flags, KAM Priority, KAM Hours/Month, and with contacts
KAM Coverage and KAM Quadrant. The input file is never changed. A workbook also gets the tier
colours, a filter and a frozen header (where it has none of its own), a "KAM Rules" sheet and a
"KAM Summary" sheet: tiers, portfolio matrix, hours against capacity, visits, warnings, with charts.

Options:
  -o, --out FILE        where to write (default: beside the input, <name>.kam.<ext>); same type as the input
  -r, --rules FILE      rule set: .json, or .xlsx/.csv holding the "KAM Rules" table
                        (default: the workbook's own "KAM Rules" sheet, else the default rules)
  -s, --sheet NAME      the sheet holding the accounts (default: the first sheet other than "KAM Rules")
  -m, --map FIELD=HEADER
                        take FIELD (account, a criterion id such as sales, margin, paymentDays,
                        or strength: a 0-100 relationship rating) from the column headed HEADER;
                        repeat for several fields
  --score-present       score on the criteria the sheet has: absent ones dropped, weights re-shared
                        (the rule set used is written to the KAM Rules sheet, or beside a CSV)
  --calibrate           set the currency targets (sales, wallet) from the data: its 90th percentile
  --contacts NAME|FILE  the contacts table: a sheet or Excel table of the workbook, or a CSV file
                        (default for .xlsx: the first table or sheet with account, name and role
                        or stance columns; a CSV input has none unless named)
  --needs NAME|FILE     the needs table (default for .xlsx: the first with account and horizon)
  --capacity HOURS      hours a month available: the hours per tier are planned against them
  --formulas portable   .xlsx: write score, tier and flags as plain spreadsheet formulas that read the
                        KAM Rules sheet, with kam's results cached: live in Excel without the add-in,
                        LibreOffice, WPS and Google Sheets (docs/portable.md)
  --engine duckdb       score a .csv or .parquet file of any size in DuckDB, into .csv or .parquet:
                        columns named by criterion id (or --map), numbers or blanks only (see kam sql)
  --lang en|zh          language of the headers, tiers, flags and summary

Columns are found by criterion id, label or alias, in English or Chinese ("Annual sales",
"毛利率", "days to pay", ...). A CSV may use , ; or tab, and should be UTF-8.
Contacts and needs are matched to the accounts by name; they add coverage, relationship and plan
flags, senior-management visits and the portfolio quadrant, as the task pane does.`,
    rules: `Usage:
  kam rules [--rules FILE]                   print a rule set as JSON (default: the default rules)
  kam rules check FILE                       validate a rule set: .json, or .xlsx/.csv with the table form
  kam rules table [--rules FILE] [--out FILE]
                                             the rule set as a table: printed as CSV, or written to
                                             FILE (.xlsx: a "KAM Rules" sheet; .csv)`,
    sql: `Usage: kam sql [options]

Prints the rule set as one SQL SELECT over a table with one row per account and one column per
criterion (named by criterion id). It returns every column of the table plus kam_score, kam_tier,
kam_tier_label, kam_flags and kam_present_share, as "kam score" gives them for numeric inputs.
Blank inputs must be NULL; texts such as "18%" are not read (convert them to numbers first).

Options:
  -r, --rules FILE      rule set: .json, or .xlsx/.csv holding the "KAM Rules" table (default: the default rules)
  -d, --dialect NAME    duckdb (default), sqlite, postgres, spark or trino
  -t, --table NAME      the accounts table (default: accounts); schema.table is allowed
  -m, --map FIELD=COLUMN
                        read criterion FIELD from COLUMN; repeat for several criteria
  -c, --columns A,B,... the table's columns: the result lists exactly these plus the kam_ columns
                        (without it, DuckDB leaves the helper columns out itself; other engines keep them)
  --lang en|zh          language of kam_tier_label

Flags: invalid:<id> (outside its valid range), the ids of knock-outs that fired, required:<id>,
missing:<id>, joined with "; ". See docs/scale.md for running the query in each engine.`,
  },
  badDialect: ({ dialect, known }) => `--dialect: "${dialect}" is not one of ${known}`,
  badEngine: ({ engine }) => `--engine: "${engine}" is not an engine (duckdb)`,
  engineAbsent: ({ file, ids }) => `${file}: no column for ${ids}: scored as blank for every account`,
  engineNoCriteria: ({ file, headers, ids }) =>
    `${file}: no column is named after a criterion.\n  columns found: ${headers}\n  expected: ${ids}\n  use --map FIELD=COLUMN to name a column`,
  engineFailed: ({ file, detail }) => `${file}: DuckDB could not score it (inputs must be numbers or blanks): ${detail}`,
  engineWritten: ({ file, rows, summary }) => `Scored ${rows} accounts with DuckDB into ${file}: ${summary}`,
  unknownCommand: ({ command }) => `unknown command "${command}"`,
  unknownOption: ({ option }) => `unknown option ${option}`,
  optionNeedsValue: ({ option }) => `${option} needs a value`,
  badArguments: ({ detail }) => detail,
  seeHelp: ({ command }) => `Run "${command} --help" for usage.`,
  missingInput: () => 'no input file given',
  tooManyInputs: ({ extra }) => `unexpected argument${extra.includes(' ') ? 's' : ''}: ${extra}`,
  badLang: ({ lang }) => `--lang must be en or zh, not "${lang}"`,
  badMapSyntax: ({ text }) => `--map takes FIELD=HEADER, not "${text}"`,
  unknownMapField: ({ field, known }) => `--map: "${field}" is not a field of the rule set (fields: ${known})`,
  fileNotFound: ({ file }) => `${file}: no such file`,
  notAFile: ({ file }) => `${file}: not a file`,
  unsupportedType: ({ file, ext }) => `${file}: cannot read "${ext}" files; use .xlsx or .csv`,
  oldExcelFormat: ({ file }) => `${file}: the old .xls format is not supported; save it as .xlsx (Excel Workbook)`,
  csvTooLarge: ({ file, mb }) => `${file}: ${mb} MB is more text than kam score reads at once; score it with --engine duckdb`,
  notUtf8: ({ file }) => `${file}: the text is not UTF-8 (an ANSI or GBK export?); save it as "CSV UTF-8" and try again`,
  unreadableWorkbook: ({ file, detail }) => `${file}: cannot read it as an .xlsx workbook (${detail})`,
  sheetNotFound: ({ file, sheet, sheets }) => `${file}: no sheet named "${sheet}" (sheets: ${sheets})`,
  otherSheets: ({ sheets }) => `The workbook's other sheets: ${sheets}. Name the accounts sheet with --sheet NAME.`,
  noDataSheet: ({ file }) => `${file}: the workbook has no sheet of accounts`,
  sheetEmpty: ({ file, sheet }) => `${file}, sheet "${sheet}": the sheet is empty`,
  fileEmpty: ({ file }) => `${file}: the file is empty`,
  badHeaderLine: ({ file, line }) => `${file}: line ${line}, the header, has a quote that does not close properly`,
  badMappingHeader: ({ file, field, header, headers }) => `${file}: --map ${field}=${header}: no column is headed "${header}" (headers: ${headers})`,
  ambiguousColumns: ({ file, field, headers }) => `${file}: more than one column could be ${field}: ${headers}; say which with --map ${field}=HEADER`,
  noCriterionColumns: ({ file, headers, expected }) =>
    `${file}: no column holds a criterion of the rule set.\n  headers found: ${headers}\n  expected (any of): ${expected}\n  use --map FIELD=HEADER to name a column`,
  outIsInput: ({ file }) => `${file}: refusing to write the result over the input; choose another --out`,
  outWrongType: ({ file, ext }) => `${file}: the output must be a ${ext} file, like the input`,
  outExists: ({ file }) => `${file}: already exists; choose another --out or remove it first`,
  writeFailed: ({ file, detail }) => `${file}: could not write the result (${detail}); nothing was changed`,
  sheetWithName: ({ file, sheet }) => `${file}, sheet "${sheet}"`,
  rulesJsonSyntax: ({ file, detail, line, column }) => `${file}${line === null ? '' : `:${line}:${column ?? 1}`}: not valid JSON (${detail})`,
  rulesSheetMissing: ({ file, sheet, sheets }) => `${file}: no sheet named "${sheet}" holds a rule set (sheets: ${sheets})`,
  rulesIssue: ({ file, path, message, cell }) => `${file}: ${path}: ${message}${cell === null ? '' : ` (cell ${cell})`}`,
  rulesInvalid: ({ file, count }) => `${file}: invalid rule set, ${count} problem${count === 1 ? '' : 's'}`,
  rulesValid: ({ file, name, criteria, knockouts }) => `${file}: valid rule set "${name}" (${criteria} criteria, ${knockouts} knock-out rule${knockouts === 1 ? '' : 's'})`,
  rulesWarning: ({ file, text }) => `${file}: warning: ${text}`,
  rulesFrom: ({ name, source }) => `Rules: "${name}" (${source})`,
  defaultRulesSource: () => 'the default rules',
  workbookRulesSource: ({ file, sheet }) => `sheet "${sheet}" of ${file}`,
  fieldCount: ({ line, fields, expected }) =>
    `line ${line} has ${fields} field${fields === 1 ? '' : 's'}, the header has ${expected}${fields > expected ? ' (an unquoted comma?)' : ''}: not scored`,
  unterminatedQuote: ({ line }) => `line ${line} opens a quote that does not close properly (a stray quote?): not scored`,
  textAfterQuote: ({ line }) => `line ${line} has text after a closing quote: not scored`,
  formulaWithoutResult: ({ field, cell, formula }) => `${field}: the formula in ${cell} (=${formula}) has no saved result; open and save the file in Excel, then run again`,
  scoredHeading: ({ count, file, sheet }) => `Scored ${count} account${count === 1 ? '' : 's'} from ${file}${sheet === null ? '' : `, sheet "${sheet}"`}.`,
  columnsUsed: ({ list }) => `Columns: ${list}`,
  accountField: () => 'account',
  columnFrom: ({ header, field }) => `"${header}" → ${field}`,
  columnsMissing: ({ list }) => `No column (left blank): ${list}`,
  tiersHeading: () => 'Accounts per tier:',
  warningsHeading: () => 'Portfolio warnings:',
  unreadableRows: ({ count, where }) => `Rows with unreadable cells (not scored): ${count}${where === '' ? '' : ` (${where})`}`,
  malformedLines: ({ count, where }) => `Malformed lines (kept, not scored): ${count}${where === '' ? '' : ` (${where})`}`,
  blankRows: ({ count }) => `Blank rows skipped: ${count}`,
  userColumnsKept: ({ list }) => `Your own columns ${list} look like kam's but are not marked as kam's: they are kept as they are, and kam's columns go beside them`,
  rowRef: ({ kind, number }) => `${kind} ${number}`,
  moreRows: ({ count }) => `… and ${count} more`,
  rowDetail: ({ ref, account, text }) => `${ref}${account === '' ? '' : ` (${account})`}: ${text}`,
  stderrUnreadable: ({ count }) => `kam: ${count} row${count === 1 ? ' has' : 's have'} unreadable cells and ${count === 1 ? 'was' : 'were'} not scored (see KAM Flags):`,
  stderrMalformed: ({ count, file }) => `kam: ${file}: ${count} malformed line${count === 1 ? '' : 's'} kept in place, not scored:`,
  wrote: ({ file }) => `Wrote ${file}`,
  replaced: () => '(replaced the previous result)',
  openHint: ({ command }) => `Open it in Excel or LibreOffice, or run: ${command}`,
  tableWritten: ({ file }) => `Wrote the rule table to ${file}`,
  list: (items) => items.join(', '),
  absentColumns: ({ list, share }) => `Absent from the sheet: ${list} (${pct(share)} of the weight).`,
  allInsufficient: ({ required }) =>
    `${required === null ? 'Too little of the weight is present' : `${required} is required`}: every account would be Insufficient data. Add the columns, or run again with --score-present to score on the criteria present.`,
  scoredOnPresent: ({ absent, share, kept }) => `Scored on the criteria present (--score-present): ${absent} left out (${pct(share)} of the weight); weights re-shared: ${kept}.`,
  reducedRulesName: ({ name }) => `${name}, criteria present`,
  converted: ({ into, rates }) => `Amounts scored in ${into}: ${rates} (the rates are in the KAM Rules sheet's currency section).`,
  calibrationCurrency: ({ into, leftOut }) =>
    `Calibration and the scale hint read the amounts in ${into}, converted at the FX table's rates${leftOut > 0 ? `; ${leftOut} account${leftOut === 1 ? '' : 's'} left out: currency blank or without a rate` : ''}.`,
  rulesSavedInSheet: () => 'The rule set used is in the KAM Rules sheet of the result.',
  summaryWritten: ({ sheet, sections, charts }) => `Summary: sheet "${sheet}" (${sections}${charts > 0 ? `; ${charts} chart${charts === 1 ? '' : 's'}` : ''}).`,
  summaryBesideUsers: ({ theirs, ours }) => `Your own sheet "${theirs}" is kept as it is; kam's summary is in "${ours}".`,
  sheetShown: ({ coloured, filtered, frozen }) =>
    `Accounts sheet: ${[coloured ? 'tier colours' : '', filtered ? 'a filter on the header row' : '', frozen ? 'the header row frozen' : ''].filter((t) => t !== '').join(', ')} added (a filter, pane or colours of your own are kept).`,
  rulesSavedBeside: ({ file }) => `The rule set used is saved as ${file} (use it with --rules).`,
  calibrated: ({ field, from, to, count }) => `Calibrated: ${field} target ${num(from)} → ${num(to)} (90th percentile of ${count} accounts).`,
  scaleHint: ({ field, target, p90 }) =>
    `Scale: the ${field} target is ${num(target)}, but 90% of the accounts are below ${num(p90)}; run again with --calibrate to set the target from the data.`,
  columnDerived: ({ headers, field }) => `${headers} → ${field} (computed)`,
  mappingRemembered: () => 'The columns named with --map are saved in the KAM Rules sheet (as column headers of the criteria): the next run and the pane recognise them.',
  looksLikeOrderLines: ({ lines, accounts, file }) => `This looks like order lines: ${lines} lines for ${accounts} accounts. To score each account once, run: kam rollup "${file}"`,
  badCapacity: ({ value }) => `--capacity takes the hours a month available, a number 0 or more, not "${value}"`,
  badFormulas: ({ value }) => `--formulas: "${value}" is not a way to write formulas (portable)`,
  formulasNeedWorkbook: ({ file }) =>
    `--formulas portable: ${file} is a CSV file, and a CSV file holds values only, never formulas. Score an .xlsx workbook to get live formulas, or leave the option out.`,
  portableDerived: ({ fields }) =>
    `--formulas portable: ${fields} is computed by kam from several columns (sales by year, profit), and a portable formula reads one column per criterion. Add a column with the value, or leave the option out.`,
  portableTooLong: ({ count, max }) =>
    `--formulas portable: the rule set's ${count} criteria make formulas longer than the ${max} characters a spreadsheet cell holds. Score without the option, or with fewer criteria.`,
  portableWritten: () => 'Score, tier and flags are written as formulas that read the KAM Rules sheet: they stay live without the add-in (docs/portable.md).',
  portableTexts: ({ count }) =>
    `--formulas portable: ${count} input cell${count === 1 ? ' holds' : 's hold'} text that kam reads but a spreadsheet formula does not. These rows show kam's result until the workbook is recalculated, then "Invalid input". Type them as numbers to keep them live:`,
  portableTextCell: ({ cell, field, text }) => `${cell} (${field}): "${text}"`,
  relationNotFound: ({ file, option, name, available }) => `${file}: ${option} ${name}: no sheet or table of that name (sheets and tables: ${available})`,
  relationLineUnreadable: ({ file, detail }) => `${file}: ${detail}`,
  relationFrom: ({ kind, source }) => `${kind === 'contacts' ? 'Contacts' : 'Needs'}: ${source}`,
  relationSource: ({ kind, name }) => (kind === 'file' ? name : `${kind} "${name}"`),
  noRelations: ({ csv }) =>
    csv
      ? 'No contacts or needs (coverage, relationship flags and the portfolio need them): --contacts FILE, --needs FILE'
      : 'No contacts or needs table found (coverage, relationship flags and the portfolio need them): --contacts NAME, --needs NAME',
  hoursNeeded: ({ demand, capacity, over, cuts }) =>
    capacity === null
      ? `Hours a month needed: ${demand} (--capacity HOURS plans them against the hours you have)`
      : `Hours a month needed: ${demand} of ${capacity} available${over > 0 ? `: ${over} over, take out ${cuts} account${cuts === 1 ? '' : 's'}` : ''}`,
  seniorVisits: ({ count, list }) => `Senior-management visits: ${count}${list === '' ? '' : ` (${list})`}`,
  unmatchedAccounts: ({ count, list }) => `Contacts or needs of ${count} account${count === 1 ? '' : 's'} the data does not hold: ${list}`,
  relationProblems: ({ count }) => `kam: ${count} contact or need cell${count === 1 ? '' : 's'} could not be read (left out of coverage and needs):`,
  csvProgress: ({ step, lines, percent }) => `${step === 'reading' ? 'Reading' : step === 'scoring' ? 'Scoring' : 'Writing'}: ${lines.toLocaleString('en-US')} lines (${percent}%)`,
  interrupted: ({ signal }) => `stopped by ${signal}: no output written, the temporary file removed; the input is untouched`,
};

const zh: CliPack = {
  help: {
    main: `kam:电子表格大客户评分

用法:
  kam score <客户.xlsx|客户.csv> [选项]            为客户评分,写出 <文件名>.kam.<扩展名>
  kam rollup <订单.xlsx|订单.csv> [选项]          把订单明细汇总为每客户一行,写出 <文件名>.accounts.<扩展名>
  kam rules                                       以 JSON 输出默认规则
  kam rules check <规则.json|规则.xlsx|规则.csv>   校验规则(无效时退出码为 2)
  kam rules table [--rules 文件] [--out 文件]      以 "KAM Rules" 表格形式输出规则(.xlsx 或 .csv)
  kam sql [--dialect duckdb|sqlite|postgres|spark|trino] [--table 表名]
                                                以一条 SQL 查询输出规则,在数据库中为客户表评分
  kam check <已评分.xlsx>                          列出结果已过时的行(有则退出码为 1)
  kam merge <A.xlsx> <B.xlsx> … --out <汇总.xlsx> [--rules 文件|--rules-from A.xlsx]
                                                把各区域副本合并为一张表,并列出规则差异

选项:
  --lang en|zh   输出语言(默认取自 LANG,否则为 en)
  -h, --help     显示本帮助;评分选项见 "kam score --help"

退出码:0 完成(含错误单元格的行会被标注,不会中止),2 输入或用法有误,1 内部错误。`,
    score: `用法:kam score <客户.xlsx|客户.csv> [选项]

每行读取一个客户,按规则评分,并写出一份副本,新增与任务窗格相同的列:KAM 得分、KAM 等级、
KAM 提示、KAM 优先级、KAM 每月小时,有联系人时还有 KAM 关系覆盖和 KAM 象限。输入文件不会被修改。
工作簿还会加上等级颜色、筛选和冻结标题行(工作表自己没有时)、"KAM Rules" 工作表和
"KAM Summary" 工作表:等级、客户组合矩阵、所需与可用小时、高层拜访、提醒,并附图表。

选项:
  -o, --out 文件        输出位置(默认:输入文件旁的 <文件名>.kam.<扩展名>),类型须与输入相同
  -r, --rules 文件      规则:.json,或含 "KAM Rules" 表格的 .xlsx/.csv
                        (默认:工作簿自带的 "KAM Rules" 工作表,否则为默认规则)
  -s, --sheet 名称      客户所在的工作表(默认:除 "KAM Rules" 外的第一个工作表)
  -m, --map 字段=表头   从表头为"表头"的列读取"字段"(account,sales、margin、paymentDays
                        等评分项 id,或 strength:0-100 的关系评分);可重复使用
  --score-present       只按表中现有的评分项评分:去掉缺少的项,按比例重新分配权重
                        (所用规则写入 KAM Rules 工作表,CSV 则保存在其旁)
  --calibrate           按数据设定金额类目标值(销售额、业务总量):取第 90 百分位
  --contacts 名称|文件  联系人表:工作簿中的工作表或 Excel 表格,或 CSV 文件
                        (.xlsx 默认:第一个含客户、姓名以及角色或立场列的表格或工作表;
                        CSV 输入须明确指定)
  --needs 名称|文件     需求表(.xlsx 默认:第一个含客户和期限列的表格或工作表)
  --capacity 小时数     每月可用小时数:按等级安排的小时数与之对照
  --formulas portable   .xlsx:将得分、等级和提示写为读取 KAM Rules 工作表的普通公式,并缓存 kam 的
                        结果:在未装加载项的 Excel、LibreOffice、WPS 和 Google 表格中都能实时更新
  --engine duckdb       用 DuckDB 为任意大小的 .csv 或 .parquet 文件评分,写出 .csv 或 .parquet:
                        列名为评分项 id(或用 --map),只接受数字或空白(见 kam sql)
  --lang en|zh          表头、等级、提示和汇总所用的语言

列按评分项 id、名称或别名(中英文均可,如 "Annual sales"、"毛利率"、"账期")识别。
CSV 可用逗号、分号或制表符分隔,应为 UTF-8 编码。
联系人和需求按客户名称与客户匹配,与任务窗格一样给出关系覆盖度、关系和计划提示、高层拜访和组合象限。`,
    rules: `用法:
  kam rules [--rules 文件]                   以 JSON 输出规则(默认:默认规则)
  kam rules check 文件                       校验规则:.json,或含表格形式的 .xlsx/.csv
  kam rules table [--rules 文件] [--out 文件]
                                             以表格形式输出规则:打印为 CSV,或写入文件
                                             (.xlsx:名为 "KAM Rules" 的工作表;.csv)`,
    sql: `用法:kam sql [选项]

以一条 SQL SELECT 输出规则:表中每行一个客户、每个评分项一列(列名为评分项 id)。
结果为表的全部列,加上 kam_score、kam_tier、kam_tier_label、kam_flags 和 kam_present_share,
与 "kam score" 对数值输入给出的结果一致。空白输入须为 NULL;"18%" 之类的文本不会被读取(请先转换为数字)。

选项:
  -r, --rules 文件      规则:.json,或含 "KAM Rules" 表格的 .xlsx/.csv(默认:默认规则)
  -d, --dialect 名称    duckdb(默认)、sqlite、postgres、spark 或 trino
  -t, --table 表名      客户表(默认:accounts);可写 schema.table
  -m, --map 字段=列名   从该列读取评分项;可重复
  -c, --columns A,B,... 表的列:结果只列出这些列和 kam_ 列
                        (不给出时,DuckDB 会自行去掉辅助列,其他数据库会保留)
  --lang en|zh          kam_tier_label 的语言

标注:invalid:<id>(超出有效范围)、触发的否决规则 id、required:<id>、missing:<id>,以 "; " 分隔。
在各数据库中运行查询的方法见 docs/scale.md。`,
  },
  badDialect: ({ dialect, known }) => `--dialect:"${dialect}" 不是 ${known} 之一`,
  badEngine: ({ engine }) => `--engine:"${engine}" 不是可用的引擎(duckdb)`,
  engineAbsent: ({ file, ids }) => `${file}:没有 ${ids} 列:所有客户按空白评分`,
  engineNoCriteria: ({ file, headers, ids }) => `${file}:没有以评分项命名的列。\n  找到的列:${headers}\n  应为:${ids}\n  可用 --map 字段=列名 指定列`,
  engineFailed: ({ file, detail }) => `${file}:DuckDB 无法评分(输入须为数字或空白):${detail}`,
  engineWritten: ({ file, rows, summary }) => `已用 DuckDB 为 ${rows} 个客户评分,写入 ${file}:${summary}`,
  unknownCommand: ({ command }) => `未知命令 "${command}"`,
  unknownOption: ({ option }) => `未知选项 ${option}`,
  optionNeedsValue: ({ option }) => `${option} 需要一个值`,
  badArguments: ({ detail }) => detail,
  seeHelp: ({ command }) => `用法见 "${command} --help"。`,
  missingInput: () => '未指定输入文件',
  tooManyInputs: ({ extra }) => `多余的参数:${extra}`,
  badLang: ({ lang }) => `--lang 只能是 en 或 zh,而不是 "${lang}"`,
  badMapSyntax: ({ text }) => `--map 的格式为 字段=表头,而不是 "${text}"`,
  unknownMapField: ({ field, known }) => `--map:"${field}" 不是规则中的字段(字段:${known})`,
  fileNotFound: ({ file }) => `${file}:文件不存在`,
  notAFile: ({ file }) => `${file}:不是文件`,
  unsupportedType: ({ file, ext }) => `${file}:无法读取 "${ext}" 文件,请使用 .xlsx 或 .csv`,
  oldExcelFormat: ({ file }) => `${file}:不支持旧的 .xls 格式,请另存为 .xlsx(Excel 工作簿)`,
  csvTooLarge: ({ file, mb }) => `${file}:${mb} MB 超出 kam score 一次能读入的文本量,请加 --engine duckdb 评分`,
  notUtf8: ({ file }) => `${file}:文本不是 UTF-8 编码(ANSI 或 GBK 导出?),请另存为 "CSV UTF-8" 后重试`,
  unreadableWorkbook: ({ file, detail }) => `${file}:无法作为 .xlsx 工作簿读取(${detail})`,
  sheetNotFound: ({ file, sheet, sheets }) => `${file}:没有名为 "${sheet}" 的工作表(工作表:${sheets})`,
  otherSheets: ({ sheets }) => `工作簿中的其他工作表:${sheets}。请用 --sheet 名称 指定客户所在的工作表。`,
  noDataSheet: ({ file }) => `${file}:工作簿中没有客户工作表`,
  sheetEmpty: ({ file, sheet }) => `${file},工作表 "${sheet}":工作表为空`,
  fileEmpty: ({ file }) => `${file}:文件为空`,
  badHeaderLine: ({ file, line }) => `${file}:第 ${line} 行(表头)的引号没有正确闭合`,
  badMappingHeader: ({ file, field, header, headers }) => `${file}:--map ${field}=${header}:没有表头为 "${header}" 的列(表头:${headers})`,
  ambiguousColumns: ({ file, field, headers }) => `${file}:有多个列都可能是 ${field}:${headers};请用 --map ${field}=表头 指定`,
  noCriterionColumns: ({ file, headers, expected }) => `${file}:没有任何列对应规则中的评分项。\n  找到的表头:${headers}\n  期望(任一):${expected}\n  可用 --map 字段=表头 指定列`,
  outIsInput: ({ file }) => `${file}:不能用结果覆盖输入文件,请另选 --out`,
  outWrongType: ({ file, ext }) => `${file}:输出须与输入一样是 ${ext} 文件`,
  outExists: ({ file }) => `${file}:文件已存在;请另选 --out 或先删除它`,
  writeFailed: ({ file, detail }) => `${file}:无法写出结果(${detail}),未做任何更改`,
  sheetWithName: ({ file, sheet }) => `${file},工作表 "${sheet}"`,
  rulesJsonSyntax: ({ file, detail, line, column }) => `${file}${line === null ? '' : `:${line}:${column ?? 1}`}:不是有效的 JSON(${detail})`,
  rulesSheetMissing: ({ file, sheet, sheets }) => `${file}:没有名为 "${sheet}" 的规则工作表(工作表:${sheets})`,
  rulesIssue: ({ file, path, message, cell }) => `${file}: ${path}: ${message}${cell === null ? '' : `(单元格 ${cell})`}`,
  rulesInvalid: ({ file, count }) => `${file}:规则无效,共 ${count} 个问题`,
  rulesValid: ({ file, name, criteria, knockouts }) => `${file}:规则 "${name}" 有效(${criteria} 个评分项,${knockouts} 条否决规则)`,
  rulesWarning: ({ file, text }) => `${file}:注意:${text}`,
  rulesFrom: ({ name, source }) => `规则:"${name}"(${source})`,
  defaultRulesSource: () => '默认规则',
  workbookRulesSource: ({ file, sheet }) => `${file} 的工作表 "${sheet}"`,
  fieldCount: ({ line, fields, expected }) => `第 ${line} 行有 ${fields} 个字段,表头有 ${expected} 个${fields > expected ? '(有未加引号的逗号?)' : ''}:未计分`,
  unterminatedQuote: ({ line }) => `第 ${line} 行的引号没有正确闭合(多余的引号?):未计分`,
  textAfterQuote: ({ line }) => `第 ${line} 行在闭合引号后还有文字:未计分`,
  formulaWithoutResult: ({ field, cell, formula }) => `${field}:${cell} 中的公式(=${formula})没有保存的结果;请在 Excel 中打开并保存后重试`,
  scoredHeading: ({ count, file, sheet }) => `已为 ${file}${sheet === null ? '' : ` 的工作表 "${sheet}"`} 中的 ${count} 个客户评分。`,
  columnsUsed: ({ list }) => `使用的列:${list}`,
  accountField: () => '客户',
  columnFrom: ({ header, field }) => `"${header}" → ${field}`,
  columnsMissing: ({ list }) => `未找到的列(视为空白):${list}`,
  tiersHeading: () => '各等级客户数:',
  warningsHeading: () => '客户组合提示:',
  unreadableRows: ({ count, where }) => `含无法读取单元格的行(未计分):${count}${where === '' ? '' : `(${where})`}`,
  malformedLines: ({ count, where }) => `格式错误的行(保留原位,未计分):${count}${where === '' ? '' : `(${where})`}`,
  blankRows: ({ count }) => `跳过的空行:${count}`,
  userColumnsKept: ({ list }) => `您自己的列 ${list} 与 kam 的列名称相似,但没有 kam 的标记:这些列保持原样,kam 的列写在旁边`,
  rowRef: ({ number }) => `第 ${number} 行`,
  moreRows: ({ count }) => `……另有 ${count} 行`,
  rowDetail: ({ ref, account, text }) => `${ref}${account === '' ? '' : `(${account})`}:${text}`,
  stderrUnreadable: ({ count }) => `kam:${count} 行含无法读取的单元格,未计分(原因见 KAM 提示):`,
  stderrMalformed: ({ count, file }) => `kam:${file}:${count} 行格式错误,已保留原位,未计分:`,
  wrote: ({ file }) => `已写出 ${file}`,
  replaced: () => '(替换了之前的结果)',
  openHint: ({ command }) => `可在 Excel 或 LibreOffice 中打开,或运行:${command}`,
  tableWritten: ({ file }) => `规则表格已写入 ${file}`,
  list: (items) => items.join('、'),
  absentColumns: ({ list, share }) => `表中没有的列:${list}(占权重 ${pct(share)})。`,
  allInsufficient: ({ required }) =>
    `${required === null ? '现有列的权重太少' : `${required} 是必需项`}:所有客户都将是“数据不足”。请补充这些列,或加 --score-present 只按现有评分项评分。`,
  scoredOnPresent: ({ absent, share, kept }) => `已按现有评分项评分(--score-present):未计入 ${absent}(占权重 ${pct(share)});权重重新分配为:${kept}。`,
  reducedRulesName: ({ name }) => `${name}(仅现有评分项)`,
  converted: ({ into, rates }) => `金额按 ${into} 评分:${rates}(汇率见 KAM Rules 工作表的货币部分)。`,
  calibrationCurrency: ({ into, leftOut }) => `校准与量级提示按 ${into} 读取金额(按汇率表换算)${leftOut > 0 ? `;${leftOut} 个客户因货币为空或无汇率未计入` : ''}。`,
  rulesSavedInSheet: () => '所用规则已写入结果的 KAM Rules 工作表。',
  summaryWritten: ({ sheet, sections, charts }) => `汇总:工作表“${sheet}”(${sections}${charts > 0 ? `;${charts} 个图表` : ''})。`,
  summaryBesideUsers: ({ theirs, ours }) => `您自己的工作表“${theirs}”保持原样;kam 的汇总写在“${ours}”。`,
  sheetShown: ({ coloured, filtered, frozen }) =>
    `客户工作表:已添加${[coloured ? '等级颜色' : '', filtered ? '标题行筛选' : '', frozen ? '冻结标题行' : ''].filter((t) => t !== '').join('、')}(您自己的筛选、窗格或颜色保持不变)。`,
  rulesSavedBeside: ({ file }) => `所用规则已保存为 ${file}(可用 --rules 再次使用)。`,
  calibrated: ({ field, from, to, count }) => `已校准:${field} 目标值 ${num(from)} → ${num(to)}(${count} 个客户的第 90 百分位)。`,
  scaleHint: ({ field, target, p90 }) => `量级:${field} 的目标值为 ${num(target)},而 90% 的客户低于 ${num(p90)};可加 --calibrate 按数据设定目标值。`,
  columnDerived: ({ headers, field }) => `${headers} → ${field}(计算得出)`,
  mappingRemembered: () => '用 --map 指定的列已保存到 KAM Rules 工作表(作为评分项的列标题):下次运行和任务窗格都能识别。',
  looksLikeOrderLines: ({ lines, accounts, file }) => `这看起来是订单明细:${accounts} 个客户共 ${lines} 行。要每个客户评分一次,请运行:kam rollup "${file}"`,
  badCapacity: ({ value }) => `--capacity 为每月可用小时数,须为 0 或更大的数字,而不是 "${value}"`,
  badFormulas: ({ value }) => `--formulas:"${value}" 不是可用的公式写法(portable)`,
  formulasNeedWorkbook: ({ file }) => `--formulas portable:${file} 是 CSV 文件,CSV 只保存数值,不能保存公式。如需实时公式,请对 .xlsx 工作簿评分,或去掉该选项。`,
  portableDerived: ({ fields }) => `--formulas portable:${fields} 由 kam 根据多列(分年销售额、利润)计算得出,而通用公式每个评分项只读取一列。请添加一列填入该值,或去掉该选项。`,
  portableTooLong: ({ count, max }) => `--formulas portable:规则的 ${count} 个评分项使公式超过单元格可容纳的 ${max} 个字符。请去掉该选项评分,或减少评分项。`,
  portableWritten: () => '得分、等级和提示已写为读取 KAM Rules 工作表的公式:无需加载项也能实时更新(见 docs/portable.md)。',
  portableTexts: ({ count }) =>
    `--formulas portable:${count} 个输入单元格是 kam 能读取、但电子表格公式不能读取的文本。这些行在工作簿重新计算前显示 kam 的结果,重新计算后显示"输入有误"。请改为数字以保持实时更新:`,
  portableTextCell: ({ cell, field, text }) => `${cell}(${field}):"${text}"`,
  relationNotFound: ({ file, option, name, available }) => `${file}:${option} ${name}:没有这个名称的工作表或表格(工作表和表格:${available})`,
  relationLineUnreadable: ({ file, detail }) => `${file}:${detail}`,
  relationFrom: ({ kind, source }) => `${kind === 'contacts' ? '联系人' : '需求'}:${source}`,
  relationSource: ({ kind, name }) => (kind === 'file' ? name : `${kind === 'sheet' ? '工作表' : '表格'} "${name}"`),
  noRelations: ({ csv }) =>
    csv
      ? '没有联系人或需求(关系覆盖度、关系提示和客户组合矩阵需要它们):--contacts 文件、--needs 文件'
      : '没有找到联系人或需求表(关系覆盖度、关系提示和客户组合矩阵需要它们):--contacts 名称、--needs 名称',
  hoursNeeded: ({ demand, capacity, over, cuts }) =>
    capacity === null
      ? `每月所需小时:${demand}(用 --capacity 小时数 与可用时间对照)`
      : `每月所需小时:${demand},可用 ${capacity}${over > 0 ? `:超出 ${over},需去掉 ${cuts} 个客户` : ''}`,
  seniorVisits: ({ count, list }) => `需要高层拜访:${count}${list === '' ? '' : `(${list})`}`,
  unmatchedAccounts: ({ count, list }) => `联系人或需求中有 ${count} 个客户不在数据中:${list}`,
  relationProblems: ({ count }) => `kam:${count} 个联系人或需求单元格无法读取(未计入覆盖度和需求):`,
  csvProgress: ({ step, lines, percent }) => `${step === 'reading' ? '读取' : step === 'scoring' ? '评分' : '写入'}:${lines} 行(${percent}%)`,
  interrupted: ({ signal }) => `已被 ${signal} 中止:未写入结果,临时文件已删除;输入文件未改动`,
};

export const CLI_PACKS: Record<Lang, CliPack> = { en, zh };
