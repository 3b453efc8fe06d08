/**
 * Every text the task pane shows, in each language it speaks. The pack is one typed object per
 * language: the compiler refuses a pack that lacks a key, and test/taskpane/i18n.test.ts checks
 * that no text is empty or left in English in the Chinese pack.
 */
import type { Lang } from '../engine/types';
import type { GatewayProblem, GatewayProblemParams, SelfCheckId } from '../gateway/types';
import { SUMMARY_TEXTS, summaryStringsOf, type SummaryStrings, type SummaryTexts } from '../engine/report';

type Fn<P> = (p: P) => string;

export interface UiPack {
  appTitle: string;
  demoNotice: string;
  tabs: { data: string; preview: string; rules: string; apply: string; summary: string; explain: string };
  working: string;
  progress: Fn<{ done: number; total: number }>;
  cancel: string;
  dismiss: string;

  dataHeading: string;
  sourceLabel: string;
  sourceSelection: string;
  sourceTable: Fn<{ name: string }>;
  sourceSheet: Fn<{ name: string }>;
  useData: string;
  regionInfo: Fn<{ address: string; rows: number }>;
  existingKam: Fn<{ columns: string }>;
  mappingHeading: string;
  mappingHelp: string;
  notUsed: string;
  missing: string;
  optional: string;
  duplicateColumn: Fn<{ field: string; other: string; header: string }>;
  unreadableColumn: Fn<{ field: string; count: number; of: number; example: string }>;
  badMapping: Fn<{ field: string; header: string }>;
  ambiguousColumn: Fn<{ field: string; headers: string }>;
  absentSummary: Fn<{ fields: string; share: string }>;
  absentBlank: string;
  absentAllInsufficient: Fn<{ required: string | null }>;
  readinessChoice: string;
  scoreAll: string;
  scorePresent: string;
  scoredOnPresent: Fn<{ absent: string; share: string; kept: string }>;
  reducedRulesName: Fn<{ name: string }>;
  appliedOnPresent: Fn<{ absent: string; share: string; kept: string }>;
  orderLines: Fn<{ lines: number; accounts: number }>;
  rollUp: string;
  rollupSheet: string;
  rollupHeaders: Record<'accountId' | 'account' | 'orders' | 'firstOrder' | 'lastOrder' | 'period' | 'notes', string>;
  rolledUp: Fn<{ lines: number; accounts: number; sheet: string; period: string }>;
  rollupComputed: Fn<{ list: string }>;
  rollupLeftOut: Fn<{ count: number }>;
  rollupFailed: Record<'noAccount' | 'noDate' | 'noAmount' | 'noLines' | 'periodOutsideData' | 'ambiguousDates', string>;
  relationsHeading: string;
  relationsHelp: string;
  contactsLabel: string;
  needsLabel: string;
  none: string;
  useRelations: string;
  relationsLoaded: Fn<{ contacts: string; needs: string }>;
  unmatchedAccounts: Fn<{ count: number; names: string }>;
  relationProblems: Fn<{ count: number; example: string }>;

  previewHeading: string;
  previewEmpty: string;
  tierCounts: string;
  distribution: string;
  distributionAria: Fn<{ total: number }>;
  tierChartAria: Fn<{ counts: string }>;
  unscored: Fn<{ count: number }>;
  knockedOutHeading: string;
  knockedOutNone: string;
  invalidHeading: string;
  colAccount: string;
  colRow: string;
  colTier: string;
  colReason: string;
  moreRows: Fn<{ count: number }>;

  rulesHeading: string;
  rulesFromSheet: Fn<{ sheet: string }>;
  rulesDefault: string;
  rulesSheetInvalid: Fn<{ sheet: string }>;
  rulesInvalid: string;
  criteriaHeading: string;
  weight: string;
  curveZero: string;
  curveFull: string;
  weightsSum: Fn<{ sum: number }>;
  calibrate: string;
  calibrationNone: string;
  calibrationItem: Fn<{ label: string; current: number; suggested: number; count: number }>;
  calibrationCurrency: Fn<{ currency: string; leftOut: number }>;
  useSuggestions: string;
  thresholdsHeading: string;
  minScore: Fn<{ tier: string }>;
  knockoutsHeading: string;
  effect: string;
  effectExclude: string;
  effectFlag: string;
  conditionValue: Fn<{ criterion: string; op: string }>;
  reasonEn: string;
  reasonZh: string;
  labelsHeading: string;
  labelEn: Fn<{ tier: string }>;
  labelZh: Fn<{ tier: string }>;
  portfolioRulesHeading: string;
  maxKeyAccounts: string;
  minWeightShare: string;
  resetRules: string;
  notANumber: Fn<{ text: string }>;

  applyHeading: string;
  modeLabel: string;
  modeValues: string;
  modeFormulas: string;
  modePortable: string;
  formulasNote: string;
  formulasBlocked: Fn<{ criteria: string }>;
  portableTexts: Fn<{ count: number; cells: string }>;
  colours: string;
  filterLabel: string;
  filterAuto: string;
  filterTable: string;
  filterNone: string;
  applyButton: string;
  applyNeedsData: string;
  applyBlockedByRules: string;
  applyDone: Fn<{ sheet: string; added: string; updated: string }>;
  rulesWritten: Fn<{ address: string }>;
  keptUserColumns: Fn<{ columns: string; count: number }>;
  applyAllInsufficient: string;
  showTier: string;
  showAll: string;

  summaryHeading: string;
  capacityLabel: string;
  capacityHelp: string;
  hoursHeading: string;
  hoursAria: Fn<{ demand: number; capacity: string }>;
  demandOnly: Fn<{ demand: number }>;
  fits: Fn<{ demand: number; capacity: number }>;
  cuts: Fn<{ count: number }>;
  portfolioHeading: string;
  portfolioNeedsStrength: string;
  portfolioAria: Fn<{ count: number }>;
  axisScore: string;
  axisStrength: string;
  visitsHeading: string;
  visitsNeedContacts: string;
  visitsNone: string;
  writeSummary: string;
  summaryDone: Fn<{ sheet: string; charts: number }>;
  /** The summary sheet's texts: the engine's, one wording for the pane and kam. */
  sheet: Omit<SummaryTexts, 'strengthAxis' | 'scoreAxis'>;

  explainHeading: string;
  explainSelected: string;
  explainRowLabel: string;
  explainButton: string;
  explainOutside: string;
  explainTitle: Fn<{ account: string; row: number }>;
  explainScore: Fn<{ score: string; tier: string }>;
  noScore: string;
  presentShare: Fn<{ share: string }>;
  status: { blank: string; invalid: string; unscorable: string };
  explainKnockouts: string;
  explainFlags: string;

  problem: { [K in keyof GatewayProblemParams]: Fn<GatewayProblemParams[K]> };
  unexpected: Fn<{ text: string }>;

  // What the pane's status region says after an action, and the values beside its charts.
  mapped: Fn<{ field: string; header: string }>;
  tiersNow: Fn<{ counts: string }>;
  filteredTo: Fn<{ tiers: string }>;
  filterCleared: string;
  hoursValue: Fn<{ label: string; hours: number }>;
  bandsAria: Fn<{ bands: string }>;
  quadrantCount: Fn<{ label: string; count: number }>;
}

const listEn = (items: readonly string[]): string => items.join(', ');
const listZh = (items: readonly string[]): string => items.join('、');

const en: UiPack = {
  appTitle: 'KAM for Excel',
  demoNotice: 'Demo workbook: Excel is not available here, so the pane works on a sample workbook in this page.',
  tabs: { data: 'Data', preview: 'Preview', rules: 'Rules', apply: 'Apply', summary: 'Summary', explain: 'Explain' },
  working: 'Working…',
  progress: ({ done, total }) => `${done} of ${total} rows`,
  cancel: 'Cancel',
  dismiss: 'Dismiss',

  dataHeading: 'Pick the data',
  sourceLabel: 'Data',
  sourceSelection: 'The region around the selection',
  sourceTable: ({ name }) => `Table ${name}`,
  sourceSheet: ({ name }) => `Sheet ${name}`,
  useData: 'Use this data',
  regionInfo: ({ address, rows }) => `${address}: ${rows} account${rows === 1 ? '' : 's'}`,
  existingKam: ({ columns }) => `KAM columns from an earlier Apply: ${columns}. Applying again updates them in place.`,
  mappingHeading: 'Columns',
  mappingHelp: 'Each criterion is matched to a column by its name in English or Chinese. Correct any match here.',
  notUsed: '— not used —',
  missing: 'Missing',
  optional: 'Optional',
  duplicateColumn: ({ field, other, header }) => `${field}: the column "${header}" is already used for ${other}.`,
  unreadableColumn: ({ field, count, of, example }) => `${field}: ${count} of ${of} cells cannot be read (${example}). Is this the right column?`,
  badMapping: ({ field, header }) => `${field}: the data has no column "${header}".`,
  ambiguousColumn: ({ field, headers }) => `${field}: more than one column could hold it (${headers}); the first is used until you choose one.`,
  absentSummary: ({ fields, share }) => `Absent from this data: ${fields} (${share} of the weight).`,
  absentBlank: 'As the rules stand, these criteria count as blank for every account.',
  absentAllInsufficient: ({ required }) =>
    `${required === null ? 'Too little of the weight has data' : `${required} is required`}: as the rules stand, every account would be Insufficient data.`,
  readinessChoice: 'Score these accounts on',
  scoreAll: 'Every criterion of the rules (the absent ones count as blank)',
  scorePresent: 'The criteria present only (weights re-shared)',
  scoredOnPresent: ({ absent, share, kept }) =>
    `Scoring on the criteria present: ${absent} left out (${share} of the weight); weights re-shared: ${kept}. Apply writes this rule set to the KAM Rules sheet.`,
  reducedRulesName: ({ name }) => `${name}, criteria present`,
  appliedOnPresent: ({ absent, share, kept }) =>
    `Scored on the criteria present: ${absent} left out (${share} of the weight); weights re-shared: ${kept}. The KAM Rules sheet holds this reduced rule set.`,
  orderLines: ({ lines, accounts }) => `This looks like order lines, not accounts: ${lines} lines for ${accounts} accounts. Scored as it is, each line would count as an account.`,
  rollUp: 'Roll up into a new Accounts sheet',
  rollupSheet: 'Accounts',
  rollupHeaders: { accountId: 'Customer ID', account: 'Customer', orders: 'Orders', firstOrder: 'First order', lastOrder: 'Last order', period: 'Period', notes: 'Roll-up notes' },
  rolledUp: ({ lines, accounts, sheet, period }) =>
    `Rolled up ${lines} lines into ${accounts} accounts on the new sheet "${sheet}" (period: ${period}). That sheet is now the data.`,
  rollupComputed: ({ list }) => `Computed: ${list}.`,
  rollupLeftOut: ({ count }) => `${count} line${count === 1 ? '' : 's'} could not be read and ${count === 1 ? 'was' : 'were'} left out.`,
  rollupFailed: {
    noAccount: 'Cannot roll up: no column names the customer.',
    noDate: 'Cannot roll up: no column holds the order date.',
    noAmount: 'Cannot roll up: no column holds the amount.',
    noLines: 'Cannot roll up: no line could be read.',
    periodOutsideData: 'Cannot roll up: the period holds no order.',
    ambiguousDates: 'Cannot roll up: the dates could be day/month or month/day.',
  },
  relationsHeading: 'Relationships and needs',
  relationsHelp: 'Optional: a contacts table (account, name, role, stance, influence, vested interest) and a needs table (account, need, horizon).',
  contactsLabel: 'Contacts table',
  needsLabel: 'Needs table',
  none: '— none —',
  useRelations: 'Use these tables',
  relationsLoaded: ({ contacts, needs }) => `Contacts: ${contacts}. Needs: ${needs}.`,
  unmatchedAccounts: ({ count, names }) => `${count} account${count === 1 ? ' is' : 's are'} in these tables but not in the data: ${names}`,
  relationProblems: ({ count, example }) => `${count} cell${count === 1 ? '' : 's'} in these tables could not be read, e.g. ${example}`,

  previewHeading: 'Preview: nothing is written yet',
  previewEmpty: 'Pick the data first.',
  tierCounts: 'Accounts per tier',
  distribution: 'Score distribution',
  distributionAria: ({ total }) => `Histogram of ${total} scores in bands of 10 points`,
  tierChartAria: ({ counts }) => `Accounts per tier: ${counts}`,
  unscored: ({ count }) => `${count} account${count === 1 ? ' has' : 's have'} no score.`,
  knockedOutHeading: 'Knock-outs',
  knockedOutNone: 'No knock-out rule fired.',
  invalidHeading: 'Inputs that could not be read',
  colAccount: 'Account',
  colRow: 'Row',
  colTier: 'Tier',
  colReason: 'Why',
  moreRows: ({ count }) => `…and ${count} more`,

  rulesHeading: 'Rules',
  rulesFromSheet: ({ sheet }) => `Rules read from the sheet "${sheet}".`,
  rulesDefault: 'Default rules: the workbook has no KAM Rules sheet yet.',
  rulesSheetInvalid: ({ sheet }) => `The sheet "${sheet}" has problems, listed below. The pane uses the default rules until they are fixed; Apply would replace that sheet.`,
  rulesInvalid: 'Some settings are invalid (see the marked fields); the preview uses the last valid rules.',
  criteriaHeading: 'Criteria',
  weight: 'Weight',
  curveZero: '0 points at',
  curveFull: '100 points at',
  weightsSum: ({ sum }) => `The weights add up to ${sum}.`,
  calibrate: 'Calibrate from this data',
  calibrationNone: 'Nothing to calibrate: the data has no positive amounts for the currency criteria.',
  calibrationItem: ({ label, current, suggested, count }) => `${label}: ${current} → ${suggested} (90th percentile of ${count} values)`,
  calibrationCurrency: ({ currency, leftOut }) =>
    `Amounts read in ${currency}, converted at the FX table's rates${leftOut > 0 ? `; ${leftOut} account${leftOut === 1 ? '' : 's'} left out: currency blank or without a rate` : ''}.`,
  useSuggestions: 'Use these targets',
  thresholdsHeading: 'Tier thresholds',
  minScore: ({ tier }) => `${tier}: lowest score`,
  knockoutsHeading: 'Knock-out rules',
  effect: 'Effect',
  effectExclude: 'Exclude the account',
  effectFlag: 'Flag only',
  conditionValue: ({ criterion, op }) => `If ${criterion} ${op}`,
  reasonEn: 'Reason (English)',
  reasonZh: 'Reason (Chinese)',
  labelsHeading: 'Tier labels',
  labelEn: ({ tier }) => `${tier} (English)`,
  labelZh: ({ tier }) => `${tier} (Chinese)`,
  portfolioRulesHeading: 'Portfolio and missing data',
  maxKeyAccounts: 'Most key accounts to manage well',
  minWeightShare: 'Least share of weight with data (0–1)',
  resetRules: 'Reset to the default rules',
  notANumber: ({ text }) => `"${text}" is not a number`,

  applyHeading: 'Apply to the sheet',
  modeLabel: 'Write',
  modeValues: 'Values: share-safe, anyone can see and filter them',
  modeFormulas: 'Live formulas: =KAM.SCORE(…) referencing KAM_RULES',
  modePortable: 'Portable formulas: plain IF/MIN/MAX reading the KAM Rules sheet, live without the add-in (Excel, LibreOffice, WPS, Google Sheets)',
  formulasNote: 'Live formulas fill KAM Score, KAM Tier and KAM Flags; priority, hours and the relationship columns are written as values as of this Apply.',
  portableTexts: ({ count, cells }) =>
    `Portable formulas read numbers only: ${count} input cell${count === 1 ? ' holds' : 's hold'} text that KAM reads but a formula does not, and would show Invalid input after recalculation. Type ${count === 1 ? 'it' : 'them'} as numbers to keep ${count === 1 ? 'it' : 'them'} live: ${cells}`,
  formulasBlocked: ({ criteria }) => `Live formulas cover the seven standard criteria; these rules also use ${criteria}. Write values instead.`,
  colours: 'Colour the tiers',
  filterLabel: 'Filter',
  filterAuto: 'AutoFilter on the data',
  filterTable: 'Make the data an Excel table',
  filterNone: 'No filter',
  applyButton: 'Apply',
  applyNeedsData: 'Pick the data first (Data tab).',
  applyBlockedByRules: 'Fix the invalid rule settings first (Rules tab).',
  applyDone: ({ sheet, added, updated }) => `Written to ${sheet}. Added: ${added}. Updated in place: ${updated}.`,
  rulesWritten: ({ address }) => `Rules saved to ${address} (workbook name KAM_RULES).`,
  keptUserColumns: ({ columns, count }) =>
    count === 1
      ? `Your column ${columns} only looks like KAM's: left as it was, and KAM's columns went beside it.`
      : `Your columns ${columns} only look like KAM's: left as they were, and KAM's columns went beside them.`,
  applyAllInsufficient: 'As the rules stand, every account would be Insufficient data: on the Data tab, choose to score on the criteria present, or add the absent columns.',
  showTier: 'Show in the sheet',
  showAll: 'All tiers',

  summaryHeading: 'Summary',
  capacityLabel: 'Hours available per month',
  capacityHelp: 'Leave blank to see the hours needed only.',
  hoursHeading: 'Hours needed per month',
  hoursAria: ({ demand, capacity }) => `${demand} hours needed, ${capacity} available`,
  demandOnly: ({ demand }) => `The accounts need ${demand} hours a month.`,
  fits: ({ demand, capacity }) => `${demand} of ${capacity} hours: the plan fits.`,
  cuts: ({ count }) => `To fit, take ${count} account${count === 1 ? '' : 's'} out of the plan, lowest tiers first.`,
  portfolioHeading: 'Portfolio matrix',
  portfolioNeedsStrength: 'The matrix needs relationship strength: a contacts table, or a Strength column (0–100) mapped on the Data tab.',
  portfolioAria: ({ count }) => `Portfolio matrix of ${count} accounts: attractiveness against relationship strength`,
  axisScore: SUMMARY_TEXTS.en.scoreAxis,
  axisStrength: SUMMARY_TEXTS.en.strengthAxis,
  visitsHeading: 'Senior-management visits',
  visitsNeedContacts: 'This needs a contacts table: who decides, and are they on side?',
  visitsNone: 'No account needs one.',
  writeSummary: 'Write the KAM Summary sheet',
  summaryDone: ({ sheet, charts }) => `Summary written to the sheet "${sheet}" with ${charts} chart${charts === 1 ? '' : 's'}.`,
  // The summary sheet's texts are the engine report's, so `kam` writes the same sheet.
  sheet: SUMMARY_TEXTS.en,

  explainHeading: 'Why this verdict?',
  explainSelected: 'Explain the selected account',
  explainRowLabel: 'Or a sheet row number',
  explainButton: 'Explain',
  explainOutside: 'The active cell is not in a row of the data: select a cell in an account’s row.',
  explainTitle: ({ account, row }) => `${account} (row ${row})`,
  explainScore: ({ score, tier }) => `Score ${score}: ${tier}`,
  noScore: 'no score',
  presentShare: ({ share }) => `${share} of the weight had data.`,
  status: { blank: 'blank', invalid: 'unreadable', unscorable: 'not scored' },
  explainKnockouts: 'Knock-outs that fired',
  explainFlags: 'Flags',

  problem: {
    noData: ({ sheet }) => `No data found on the sheet "${sheet}": select a cell inside your table of accounts, or pick a table.`,
    noHeader: ({ address }) => `${address} has no header row: the first row must name the columns.`,
    notFound: ({ kind, name }) => `The ${kind} "${name}" no longer exists.`,
    cellsNotEmpty: ({ sheet, address, used }) =>
      `Nothing was written: on the sheet "${sheet}", ${address}, where the new KAM columns would go, is not empty (data in ${used}). Move or clear those cells, then apply again.`,
    cancelled: () => 'Cancelled: no KAM column was written or changed.',
    tableOverlap: ({ address }) => `${address} cannot become an Excel table: it overlaps another table.`,
    tableCannotGrow: ({ table, address }) =>
      `The table ${table} cannot take the KAM columns at ${address}: cells to their right are in use and this Excel cannot shift them. Move those cells away and apply again.`,
    excel: ({ code, text }) => `Excel reported ${code}: ${text}`,
  },
  unexpected: ({ text }) => `Something went wrong: ${text}`,

  mapped: ({ field, header }) => `${field}: ${header}.`,
  tiersNow: ({ counts }) => `Tiers now: ${counts}.`,
  filteredTo: ({ tiers }) => `The sheet shows ${tiers} only.`,
  filterCleared: 'The sheet shows every tier.',
  hoursValue: ({ label, hours }) => `${label}: ${hours} h`,
  bandsAria: ({ bands }) => `Accounts per band of 10 points: ${bands}`,
  quadrantCount: ({ label, count }) => `${label} (${count})`,
};

const zh: UiPack = {
  appTitle: 'KAM 大客户管理',
  demoNotice: '演示工作簿:此处无法使用 Excel,任务窗格使用本页中的示例工作簿。',
  tabs: { data: '数据', preview: '预览', rules: '规则', apply: '应用', summary: '汇总', explain: '解释' },
  working: '正在处理…',
  progress: ({ done, total }) => `已处理 ${done} / ${total} 行`,
  cancel: '取消',
  dismiss: '关闭',

  dataHeading: '选择数据',
  sourceLabel: '数据来源',
  sourceSelection: '所选单元格周围的区域',
  sourceTable: ({ name }) => `表格 ${name}`,
  sourceSheet: ({ name }) => `工作表 ${name}`,
  useData: '使用此数据',
  regionInfo: ({ address, rows }) => `${address}:${rows} 个客户`,
  existingKam: ({ columns }) => `已有上次应用写入的 KAM 列:${columns}。再次应用将原位更新这些列。`,
  mappingHeading: '列对应',
  mappingHelp: '每项标准按中英文列名自动对应到数据列,可在此更正。',
  notUsed: '— 不使用 —',
  missing: '缺失',
  optional: '可选',
  duplicateColumn: ({ field, other, header }) => `${field}:列“${header}”已用于${other}。`,
  unreadableColumn: ({ field, count, of, example }) => `${field}:${of} 个单元格中有 ${count} 个无法读取(${example})。是否选错了列?`,
  badMapping: ({ field, header }) => `${field}:数据中没有“${header}”列。`,
  ambiguousColumn: ({ field, headers }) => `${field}:有多个列都可能对应此项(${headers});在您选择之前使用第一个。`,
  absentSummary: ({ fields, share }) => `此数据中没有的列:${fields}(占权重 ${share})。`,
  absentBlank: '按当前规则,所有客户的这些标准均按空白处理。',
  absentAllInsufficient: ({ required }) => `${required === null ? '有数据的权重太少' : `${required} 是必需项`}:按当前规则,所有客户都将是“数据不足”。`,
  readinessChoice: '这些客户的评分依据',
  scoreAll: '规则中的全部标准(没有的列按空白处理)',
  scorePresent: '仅现有的评分项(权重重新分配)',
  scoredOnPresent: ({ absent, share, kept }) => `按现有评分项评分:未计入 ${absent}(占权重 ${share});权重重新分配为:${kept}。应用时会将此规则写入 KAM Rules 工作表。`,
  reducedRulesName: ({ name }) => `${name}(仅现有评分项)`,
  appliedOnPresent: ({ absent, share, kept }) => `已按现有评分项评分:未计入 ${absent}(占权重 ${share});权重重新分配为:${kept}。KAM Rules 工作表中是这套精简后的规则。`,
  orderLines: ({ lines, accounts }) => `这看起来是订单明细而不是客户表:${accounts} 个客户共 ${lines} 行。直接评分会把每一行当作一个客户。`,
  rollUp: '汇总到新的客户工作表',
  rollupSheet: '客户汇总',
  rollupHeaders: { accountId: '客户编号', account: '客户', orders: '订单数', firstOrder: '首次下单', lastOrder: '最近下单', period: '期间', notes: '汇总提示' },
  rolledUp: ({ lines, accounts, sheet, period }) => `已将 ${lines} 行汇总为 ${accounts} 个客户,写入新工作表“${sheet}”(期间:${period})。该工作表现为评分数据。`,
  rollupComputed: ({ list }) => `计算方式:${list}。`,
  rollupLeftOut: ({ count }) => `有 ${count} 行无法读取,已略过。`,
  rollupFailed: {
    noAccount: '无法汇总:没有表示客户的列。',
    noDate: '无法汇总:没有订单日期列。',
    noAmount: '无法汇总:没有金额列。',
    noLines: '无法汇总:没有可读取的行。',
    periodOutsideData: '无法汇总:该期间内没有订单。',
    ambiguousDates: '无法汇总:日期既可能是日/月也可能是月/日。',
  },
  relationsHeading: '关系与需求',
  relationsHelp: '可选:联系人表(客户、姓名、角色、态度、影响力、既得利益)和需求表(客户、需求、期限)。',
  contactsLabel: '联系人表',
  needsLabel: '需求表',
  none: '— 无 —',
  useRelations: '使用这些表',
  relationsLoaded: ({ contacts, needs }) => `联系人:${contacts}。需求:${needs}。`,
  unmatchedAccounts: ({ count, names }) => `这些表中有 ${count} 个客户不在数据中:${names}`,
  relationProblems: ({ count, example }) => `这些表中有 ${count} 个单元格无法读取,例如 ${example}`,

  previewHeading: '预览:尚未写入任何内容',
  previewEmpty: '请先选择数据。',
  tierCounts: '各等级客户数',
  distribution: '得分分布',
  distributionAria: ({ total }) => `${total} 个得分按每 10 分一档的分布图`,
  tierChartAria: ({ counts }) => `各等级客户数:${counts}`,
  unscored: ({ count }) => `${count} 个客户没有得分。`,
  knockedOutHeading: '否决规则',
  knockedOutNone: '没有触发任何否决规则。',
  invalidHeading: '无法读取的输入',
  colAccount: '客户',
  colRow: '行',
  colTier: '等级',
  colReason: '原因',
  moreRows: ({ count }) => `……另有 ${count} 个`,

  rulesHeading: '规则',
  rulesFromSheet: ({ sheet }) => `规则读取自工作表“${sheet}”。`,
  rulesDefault: '默认规则:工作簿中还没有 KAM Rules 工作表。',
  rulesSheetInvalid: ({ sheet }) => `工作表“${sheet}”有问题(见下方)。修正之前任务窗格使用默认规则;应用时会替换该工作表。`,
  rulesInvalid: '部分设置无效(见标出的字段);预览使用上一次有效的规则。',
  criteriaHeading: '标准',
  weight: '权重',
  curveZero: '0 分对应',
  curveFull: '100 分对应',
  weightsSum: ({ sum }) => `权重合计为 ${sum}。`,
  calibrate: '根据此数据校准',
  calibrationNone: '无可校准项:数据中货币类标准没有正数金额。',
  calibrationItem: ({ label, current, suggested, count }) => `${label}:${current} → ${suggested}(${count} 个值的第 90 百分位)`,
  calibrationCurrency: ({ currency, leftOut }) => `金额按 ${currency} 读取(按汇率表换算)${leftOut > 0 ? `;${leftOut} 个客户因货币为空或无汇率未计入` : ''}。`,
  useSuggestions: '采用这些目标值',
  thresholdsHeading: '等级分数线',
  minScore: ({ tier }) => `${tier}:最低分`,
  knockoutsHeading: '否决规则',
  effect: '作用',
  effectExclude: '排除该客户',
  effectFlag: '仅提示',
  conditionValue: ({ criterion, op }) => `若${criterion} ${op}`,
  reasonEn: '原因(英文)',
  reasonZh: '原因(中文)',
  labelsHeading: '等级名称',
  labelEn: ({ tier }) => `${tier}(英文)`,
  labelZh: ({ tier }) => `${tier}(中文)`,
  portfolioRulesHeading: '客户组合与缺失数据',
  maxKeyAccounts: '能管理好的大客户数上限',
  minWeightShare: '有数据的权重占比下限(0–1)',
  resetRules: '恢复默认规则',
  notANumber: ({ text }) => `“${text}”不是数字`,

  applyHeading: '应用到工作表',
  modeLabel: '写入方式',
  modeValues: '数值:便于分享,没有加载项也能查看和筛选',
  modeFormulas: '实时公式:KAM 函数(中文 Excel 中为 =KAM.客户评分(…)),引用 KAM_RULES',
  modePortable: '通用公式:读取 KAM Rules 工作表的普通 IF/MIN/MAX 公式,无需加载项也能实时更新(Excel、LibreOffice、WPS、Google 表格)',
  formulasNote: '实时公式填写 KAM 得分、KAM 等级和 KAM 提示;优先级、小时数和关系相关列按本次应用时的数值写入。',
  portableTexts: ({ count, cells }) => `通用公式只读取数字:${count} 个输入单元格是 KAM 能读取、但公式不能读取的文本,重新计算后会显示"输入有误"。请改为数字以保持实时更新:${cells}`,
  formulasBlocked: ({ criteria }) => `实时公式只支持七项标准;这些规则还使用了 ${criteria}。请改为写入数值。`,
  colours: '按等级着色',
  filterLabel: '筛选',
  filterAuto: '对数据启用自动筛选',
  filterTable: '将数据转换为 Excel 表格',
  filterNone: '不筛选',
  applyButton: '应用',
  applyNeedsData: '请先选择数据(“数据”选项卡)。',
  applyBlockedByRules: '请先修正无效的规则设置(“规则”选项卡)。',
  applyDone: ({ sheet, added, updated }) => `已写入 ${sheet}。新增:${added}。原位更新:${updated}。`,
  rulesWritten: ({ address }) => `规则已保存到 ${address}(工作簿名称 KAM_RULES)。`,
  keptUserColumns: ({ columns }) => `您的列 ${columns} 只是看起来像 KAM 的列:已保持原样,KAM 的列写在其旁边。`,
  applyAllInsufficient: '按当前规则,所有客户都将是“数据不足”:请在“数据”选项卡中选择仅按现有评分项评分,或补充没有的列。',
  showTier: '在工作表中显示',
  showAll: '全部等级',

  summaryHeading: '汇总',
  capacityLabel: '每月可用小时数',
  capacityHelp: '留空则只显示所需小时数。',
  hoursHeading: '每月所需小时数',
  hoursAria: ({ demand, capacity }) => `需要 ${demand} 小时,可用 ${capacity} 小时`,
  demandOnly: ({ demand }) => `这些客户每月需要 ${demand} 小时。`,
  fits: ({ demand, capacity }) => `需要 ${demand} 小时,可用 ${capacity} 小时:计划可行。`,
  cuts: ({ count }) => `为使计划可行,需从计划中去掉 ${count} 个客户,从最低等级开始。`,
  portfolioHeading: '客户组合矩阵',
  portfolioNeedsStrength: '矩阵需要关系强度:联系人表,或在“数据”选项卡中对应的关系强度列(0–100)。',
  portfolioAria: ({ count }) => `${count} 个客户的组合矩阵:吸引力对关系强度`,
  axisScore: SUMMARY_TEXTS.zh.scoreAxis,
  axisStrength: SUMMARY_TEXTS.zh.strengthAxis,
  visitsHeading: '高层拜访',
  visitsNeedContacts: '需要联系人表:谁是决策者?他们是否支持?',
  visitsNone: '没有客户需要高层拜访。',
  writeSummary: '写入 KAM Summary 工作表',
  summaryDone: ({ sheet, charts }) => `汇总已写入工作表“${sheet}”,含 ${charts} 个图表。`,
  // The summary sheet's texts are the engine report's, so `kam` writes the same sheet.
  sheet: SUMMARY_TEXTS.zh,

  explainHeading: '为什么是这个结论?',
  explainSelected: '解释所选客户',
  explainRowLabel: '或输入工作表行号',
  explainButton: '解释',
  explainOutside: '活动单元格不在数据行中:请选中某个客户所在行的单元格。',
  explainTitle: ({ account, row }) => `${account}(第 ${row} 行)`,
  explainScore: ({ score, tier }) => `得分 ${score}:${tier}`,
  noScore: '无得分',
  presentShare: ({ share }) => `有数据的权重占 ${share}。`,
  status: { blank: '空白', invalid: '无法读取', unscorable: '未计分' },
  explainKnockouts: '触发的否决规则',
  explainFlags: '提示',

  problem: {
    noData: ({ sheet }) => `工作表“${sheet}”中没有找到数据:请选中客户表中的单元格,或选择一个表格。`,
    noHeader: ({ address }) => `${address} 没有标题行:第一行必须是列名。`,
    notFound: ({ kind, name }) => `${kind === 'table' ? '表格' : '工作表'}“${name}”已不存在。`,
    cellsNotEmpty: ({ sheet, address, used }) => `未写入任何内容:工作表“${sheet}”中新 KAM 列将占用的 ${address} 不是空的(${used} 有数据)。请移走或清除这些单元格后再应用。`,
    cancelled: () => '已取消:没有写入或改动任何 KAM 列。',
    tableOverlap: ({ address }) => `${address} 无法转换为 Excel 表格:它与另一个表格重叠。`,
    tableCannotGrow: ({ table, address }) => `表格 ${table} 无法在 ${address} 加入 KAM 列:其右侧的单元格已被使用,此版本的 Excel 无法移动它们。请移走这些单元格后重试。`,
    excel: ({ code, text }) => `Excel 报告错误 ${code}:${text}`,
  },
  unexpected: ({ text }) => `出现意外错误:${text}`,

  mapped: ({ field, header }) => `${field} 使用列:${header}。`,
  tiersNow: ({ counts }) => `当前等级:${counts}。`,
  filteredTo: ({ tiers }) => `工作表现在只显示${tiers}。`,
  filterCleared: '工作表现在显示全部等级。',
  hoursValue: ({ label, hours }) => `${label}:${hours} 小时`,
  bandsAria: ({ bands }) => `每 10 分一档的客户数:${bands}`,
  quadrantCount: ({ label, count }) => `${label}:${count} 个`,
};

export const UI_PACKS: Record<Lang, UiPack> = { en, zh };

/** The texts the KAM Summary sheet is written with, from a language pack. */
export function summaryStrings(t: UiPack): SummaryStrings {
  return summaryStringsOf(t.sheet, { strength: t.axisStrength, score: t.axisScore });
}

export function listOf(items: readonly string[], lang: Lang): string {
  return lang === 'zh' ? listZh(items) : listEn(items);
}

export function problemText(problem: GatewayProblem, lang: Lang): string {
  const render = UI_PACKS[lang].problem[problem.key] as (p: unknown) => string;
  return render(problem.params);
}

// ---- "Check this Excel" (src/taskpane/selfcheck.ts) ----

export interface SelfCheckTexts {
  heading: string;
  intro: string;
  run: string;
  running: string;
  environment: Fn<{ host: string; platform: string; version: string; language: string }>;
  apiSets: Fn<{ sets: string }>;
  none: string;
  passed: Fn<{ passed: number; total: number }>;
  pass: string;
  fail: string;
  copy: string;
  /** What each step tried, as the user would read it. */
  steps: Record<SelfCheckId, string>;
  failedToRun: Fn<{ message: string }>;
}

export const SELF_CHECK_TEXTS: Record<Lang, SelfCheckTexts> = {
  en: {
    heading: 'Check this Excel',
    intro: 'Runs every workbook operation KAM uses on a scratch sheet, then removes it. Your sheets are not touched.',
    run: 'Check this Excel',
    running: 'Checking…',
    environment: ({ host, platform, version, language }) => `${host} on ${platform}, version ${version}, display language ${language}`,
    apiSets: ({ sets }) => `Requirement sets: ${sets}`,
    none: 'none',
    passed: ({ passed, total }) => `${passed} of ${total} checks passed`,
    pass: 'Pass',
    fail: 'Fail',
    copy: 'Select the text below to copy it into a report.',
    steps: {
      scratchSheet: 'Add a scratch sheet',
      stagingCopy: 'Copy Text-formatted values from a hidden sheet',
      r1c1Fill: 'Write an R1C1 formula and fill it down',
      textCellFormula: 'A formula typed into a Text cell stays text',
      liveFormula: 'A live KAM formula in the display language computes',
      conditionalFormat: 'Add a colour rule (conditional format)',
      tableColumns: 'Add columns to a table',
      autoFilter: 'Filter rows with an AutoFilter',
      names: 'Define and read a workbook name',
      columnChart: 'Make a column chart with its series',
      scatterChart: 'Make a scatter chart with two series',
      cleanUp: 'Remove the scratch sheet',
    },
    failedToRun: ({ message }) => `The check could not run: ${message}`,
  },
  zh: {
    heading: '检查此 Excel',
    intro: '在一张临时工作表上运行 KAM 用到的每项工作簿操作,然后删除该表。不会改动您的工作表。',
    run: '检查此 Excel',
    running: '正在检查…',
    environment: ({ host, platform, version, language }) => `${host}(${platform}),版本 ${version},显示语言 ${language}`,
    apiSets: ({ sets }) => `要求集:${sets}`,
    none: '无',
    passed: ({ passed, total }) => `${total} 项检查中通过 ${passed} 项`,
    pass: '通过',
    fail: '失败',
    copy: '可选中下面的文字,复制到问题报告中。',
    steps: {
      scratchSheet: '添加临时工作表',
      stagingCopy: '从隐藏工作表复制文本格式的值',
      r1c1Fill: '写入 R1C1 公式并向下填充',
      textCellFormula: '在文本格式单元格中输入的公式保持为文本',
      liveFormula: '以显示语言写入的 KAM 实时公式能够计算',
      conditionalFormat: '添加颜色规则(条件格式)',
      tableColumns: '为表格添加列',
      autoFilter: '用自动筛选筛选行',
      names: '定义并读取工作簿名称',
      columnChart: '创建带数据系列的柱形图',
      scatterChart: '创建带两个系列的散点图',
      cleanUp: '删除临时工作表',
    },
    failedToRun: ({ message }) => `无法运行检查:${message}`,
  },
};
