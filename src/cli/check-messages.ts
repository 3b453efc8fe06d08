import type { Lang } from '../engine';

/**
 * What `kam check` and `kam merge` say, in each language (kept beside messages.ts so that the
 * commands that share a workbook between regions stay in one place; the compiler checks that
 * both packs have every key).
 */
export interface SyncPack {
  checkHelp: string;
  mergeHelp: string;
  checkCsv: (p: { file: string }) => string;
  noRecord: (p: { file: string }) => string;
  checking: (p: { file: string; sheet: string; at: string; version: string; lang: string; fingerprint: string }) => string;
  recordWithoutRules: () => string;
  rulesChanged: (p: { from: string; to: string }) => string;
  rulesChangedNoRows: () => string;
  ruleChange: (p: { field: string; from: string; to: string }) => string;
  rulesSame: () => string;
  noResults: (p: { file: string; sheet: string }) => string;
  allCurrent: (p: { count: number }) => string;
  staleRows: (p: { rows: number; cells: number }) => string;
  staleCell: (p: { row: number; account: string; column: string; header: string; stored: string; current: string; reasons: string }) => string;
  reasonInputs: () => string;
  reasonRules: () => string;
  reasonRulesOrInputs: () => string;
  more: (p: { count: number }) => string;
  empty: () => string;
  // merge
  mergeNeedsFiles: () => string;
  mergeHeading: (p: { count: number }) => string;
  mergeSameAccounts: (p: { count: number; list: string }) => string;
  mergeNeedsOut: () => string;
  mergeOutIsInput: (p: { file: string }) => string;
  mergeOutType: (p: { file: string }) => string;
  mergeOnlyXlsx: (p: { file: string }) => string;
  mergeRulesBoth: () => string;
  mergeRulesFromUnknown: (p: { file: string }) => string;
  mergeRulesDiffer: (p: { count: number; files: number }) => string;
  mergeRulesSame: (p: { files: number }) => string;
  mergeChooseRules: () => string;
  mergeDifference: (p: { field: string; path: string; values: string }) => string;
  mergeFileRows: (p: { file: string; sheet: string; rows: number; region: string; rules: string }) => string;
  mergeRulesUsed: (p: { source: string }) => string;
  mergeHeadersDiffer: (p: { header: string; files: string }) => string;
  regionHeader: string;
  mergedSheet: string;
  defaultRules: () => string;
}

const en: SyncPack = {
  checkHelp: `Usage: kam check <scored.xlsx> [--sheet NAME] [--lang en|zh]

Recomputes the results a workbook holds (written by "kam score" or the task pane's Apply) and names
every row whose stored result differs from what its inputs and its KAM Rules sheet give now, with
the reason: the rules changed since the run, or the row's inputs changed. The workbook records the
run (rules fingerprint, time, version, language) in its document properties; the file is only read.

Exit status: 0 every result is current, 1 some results are stale (or the file has no run record),
2 bad input or usage. Use it to guard a shared folder or a CI job.

A CSV file has no place for a run record: score it again ("kam score") and compare the outputs.`,
  mergeHelp: `Usage: kam merge <A.xlsx> <B.xlsx> … --out <ALL.xlsx> [--rules FILE | --rules-from A.xlsx]

Brings regional copies of a workbook together: the accounts sheet of every file goes into one sheet,
with a Region column naming the file each row came from; columns are matched by their headers. Every
rule that differs between the copies' KAM Rules sheets is listed (field, value in each file). All
accounts are then scored under the one rule set you name, as "kam score" does.

Options:
  -o, --out FILE        the merged workbook to write (.xlsx); required
  -r, --rules FILE      score with this rule set (.json, .xlsx or .csv)
  --rules-from FILE     score with the rules of this workbook (one of the inputs, or another)
  --lang en|zh          language of the output
Without --rules or --rules-from the copies' rules must all be the same.

The input files are only read, never changed.`,
  checkCsv: ({ file }) =>
    `${file} is a CSV file: it cannot hold a run record, so kam cannot tell which rules its results came from. Score it again ("kam score ${file}") and compare the outputs, or keep the results in an .xlsx workbook.`,
  noRecord: ({ file }) =>
    `${file} has no run record: its results were not written by "kam score" or Apply (or by an older version), so kam cannot tell whether they are current. Score it again.`,
  checking: ({ file, sheet, at, version, lang, fingerprint }) => `Checking ${file}, sheet "${sheet}": results of ${at} (kam ${version}, ${lang}), rules ${fingerprint}`,
  recordWithoutRules: () => `The run record holds no readable copy of its rules: a row whose result changed is named for rules or inputs.`,
  rulesChanged: ({ from, to }) => `The rules changed since the run (${from} → ${to}):`,
  rulesChangedNoRows: () => `The rules changed, but no result changes with them.`,
  ruleChange: ({ field, from, to }) => `  ${field}: ${from} → ${to}`,
  rulesSame: () => `The rules are those of the run.`,
  noResults: ({ file, sheet }) => `${file}, sheet "${sheet}": there are no KAM result columns to check.`,
  allCurrent: ({ count }) => `All ${count} results are current.`,
  staleRows: ({ rows, cells }) => `${rows} ${rows === 1 ? 'row is' : 'rows are'} stale (${cells} ${cells === 1 ? 'cell' : 'cells'}):`,
  staleCell: ({ row, account, column, header, stored, current, reasons }) =>
    `  row ${row}${account ? ` (${account})` : ''}, ${header} (column ${column}): stored ${stored}, current ${current} (${reasons})`,
  reasonInputs: () => 'inputs changed',
  reasonRules: () => 'rules changed',
  reasonRulesOrInputs: () => 'rules or inputs changed',
  more: ({ count }) => `  … and ${count} more`,
  empty: () => '(empty)',
  mergeNeedsFiles: () => 'kam merge needs at least two workbooks',
  mergeHeading: ({ count }) => `Merging ${count} workbooks:`,
  mergeSameAccounts: ({ count, list }) => `${count} ${count === 1 ? 'account appears' : 'accounts appear'} in more than one file (each row is kept and scored): ${list}`,
  mergeNeedsOut: () => 'kam merge needs --out FILE.xlsx (the inputs are never changed)',
  mergeOutIsInput: ({ file }) => `--out ${file} is one of the inputs; the inputs are never changed: choose another file`,
  mergeOutType: ({ file }) => `--out ${file}: the merged workbook is written as .xlsx`,
  mergeOnlyXlsx: ({ file }) => `${file}: kam merge reads .xlsx workbooks (their KAM Rules sheets are compared)`,
  mergeRulesBoth: () => 'use --rules or --rules-from, not both',
  mergeRulesFromUnknown: ({ file }) => `--rules-from ${file}: no such workbook`,
  mergeRulesDiffer: ({ count, files }) => `${count} ${count === 1 ? 'rule differs' : 'rules differ'} between the ${files} files:`,
  mergeRulesSame: ({ files }) => `The ${files} files have the same rules.`,
  mergeChooseRules: () => 'The rules differ: name the rule set to score with, --rules FILE or --rules-from ONE.xlsx.',
  mergeDifference: ({ field, path, values }) => `  ${field} [${path}]: ${values}`,
  mergeFileRows: ({ file, sheet, rows, region, rules }) => `  ${file}, sheet "${sheet}": ${rows} rows, region "${region}", rules ${rules}`,
  mergeRulesUsed: ({ source }) => `Scoring every account with the rules of ${source}.`,
  mergeHeadersDiffer: ({ header, files }) => `  Column "${header}" is only in ${files}; other files' rows leave it empty.`,
  regionHeader: 'Region',
  mergedSheet: 'Accounts',
  defaultRules: () => 'the default rules',
};

const zh: SyncPack = {
  checkHelp: `用法:kam check <已评分.xlsx> [--sheet 表名] [--lang en|zh]

重新计算工作簿中的结果(由 "kam score" 或任务窗格的"应用"写入),列出存储结果与当前输入和 KAM Rules
表不一致的每一行,并说明原因:评分后规则已更改,或该行输入已更改。工作簿在文档属性中记录每次评分
(规则指纹、时间、版本、语言);本命令只读取文件。

退出码:0 所有结果均为最新,1 有过时结果(或文件没有评分记录),2 输入或用法有误。
可用于守护共享文件夹或 CI 任务。

CSV 文件无法保存评分记录:请重新评分("kam score")并比较输出。`,
  mergeHelp: `用法:kam merge <A.xlsx> <B.xlsx> … --out <汇总.xlsx> [--rules 文件 | --rules-from A.xlsx]

合并各区域的工作簿副本:每个文件的客户表合并到一张表中,并增加"区域"列注明每行来自哪个文件;
按表头对应各列。列出各副本 KAM Rules 表之间的每一处规则差异(字段、各文件中的值)。
然后按您指定的一套规则为所有客户评分,与 "kam score" 相同。

选项:
  -o, --out 文件        要写出的汇总工作簿(.xlsx);必填
  -r, --rules 文件      使用此规则评分(.json、.xlsx 或 .csv)
  --rules-from 文件     使用此工作簿的规则评分(可以是输入之一,也可以是其他文件)
  --lang en|zh          输出语言
不指定 --rules 或 --rules-from 时,各副本的规则必须完全相同。

输入文件只读取,从不修改。`,
  checkCsv: ({ file }) => `${file} 是 CSV 文件:无法保存评分记录,kam 无法判断其结果来自哪套规则。请重新评分("kam score ${file}")并比较输出,或把结果保存在 .xlsx 工作簿中。`,
  noRecord: ({ file }) => `${file} 没有评分记录:其结果不是由 "kam score" 或"应用"写入的(或来自旧版本),无法判断是否为最新。请重新评分。`,
  checking: ({ file, sheet, at, version, lang, fingerprint }) => `检查 ${file},工作表 "${sheet}":评分时间 ${at}(kam ${version},${lang}),规则 ${fingerprint}`,
  recordWithoutRules: () => `评分记录中没有可读的规则副本:结果变化的行原因标为"规则或输入"。`,
  rulesChanged: ({ from, to }) => `评分后规则已更改(${from} → ${to}):`,
  rulesChangedNoRows: () => `规则已更改,但没有结果因此改变。`,
  ruleChange: ({ field, from, to }) => `  ${field}:${from} → ${to}`,
  rulesSame: () => `规则与评分时相同。`,
  noResults: ({ file, sheet }) => `${file},工作表 "${sheet}":没有可检查的 KAM 结果列。`,
  allCurrent: ({ count }) => `全部 ${count} 个结果均为最新。`,
  staleRows: ({ rows, cells }) => `${rows} 行结果已过时(${cells} 个单元格):`,
  staleCell: ({ row, account, column, header, stored, current, reasons }) =>
    `  第 ${row} 行${account ? `(${account})` : ''},${header}(${column} 列):存储值 ${stored},当前值 ${current}(${reasons})`,
  reasonInputs: () => '输入已更改',
  reasonRules: () => '规则已更改',
  reasonRulesOrInputs: () => '规则或输入已更改',
  more: ({ count }) => `  ……另有 ${count} 处`,
  empty: () => '(空)',
  mergeNeedsFiles: () => 'kam merge 至少需要两个工作簿',
  mergeHeading: ({ count }) => `合并 ${count} 个工作簿:`,
  mergeSameAccounts: ({ count, list }) => `${count} 个客户出现在多个文件中(每行均保留并评分):${list}`,
  mergeNeedsOut: () => 'kam merge 需要 --out 文件.xlsx(输入文件从不修改)',
  mergeOutIsInput: ({ file }) => `--out ${file} 是输入文件之一;输入文件从不修改:请另选文件`,
  mergeOutType: ({ file }) => `--out ${file}:汇总工作簿须为 .xlsx`,
  mergeOnlyXlsx: ({ file }) => `${file}:kam merge 读取 .xlsx 工作簿(比较其 KAM Rules 表)`,
  mergeRulesBoth: () => '--rules 与 --rules-from 只能用其一',
  mergeRulesFromUnknown: ({ file }) => `--rules-from ${file}:没有这个工作簿`,
  mergeRulesDiffer: ({ count, files }) => `${files} 个文件之间有 ${count} 处规则不同:`,
  mergeRulesSame: ({ files }) => `${files} 个文件的规则相同。`,
  mergeChooseRules: () => '规则不同:请指定评分所用的规则,--rules 文件 或 --rules-from 某个.xlsx。',
  mergeDifference: ({ field, path, values }) => `  ${field} [${path}]:${values}`,
  mergeFileRows: ({ file, sheet, rows, region, rules }) => `  ${file},工作表 "${sheet}":${rows} 行,区域 "${region}",规则 ${rules}`,
  mergeRulesUsed: ({ source }) => `所有客户均按 ${source} 的规则评分。`,
  mergeHeadersDiffer: ({ header, files }) => `  列 "${header}" 只在 ${files} 中;其他文件的行此列为空。`,
  regionHeader: '区域',
  mergedSheet: '客户',
  defaultRules: () => '默认规则',
};

export const SYNC_PACKS: Record<Lang, SyncPack> = { en, zh };
