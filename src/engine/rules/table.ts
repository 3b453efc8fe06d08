import { columnLetters, isBlankCell } from '../cells';
import { coerceInput } from '../coerce';
import { textOf, usableRules } from '../guard';
import { readYesNo } from '../words';
import { langOf, LANGUAGES, type CellValue, type Lang } from '../types';
import { renderRuleIssue, type RuleIssueKey, type RuleIssueParams } from './issues';
import { defaultRules } from './defaults';
import { RULES_SCHEMA_ID, RULES_VERSION, type RuleSet } from './schema';
import { parseRules, type RuleIssue, type RulesResult } from './validate';

/**
 * The rule set as a two-dimensional table of cells: the "KAM Rules" sheet that travels inside a
 * workbook and that formulas take as an argument. Lossless both ways with the JSON form.
 *
 *   kam-rules | 1 | <name>
 *   [criteria]
 *   id | label.en | label.zh | unit | better | curve.type | curve.min | curve.max | weight | … | aliases → (one per cell)
 *   [knockouts]
 *   id | effect | criterion | op | value | reason.en | reason.zh      (one row per condition)
 *   [settings]
 *   setting | value → (one per cell for lists)
 *
 * Numbers are written as numbers, never as text, so the sheet reads the same in every locale.
 * Columns are found by their header, so a user may reorder them.
 */
export type RulesTable = CellValue[][];

/** The sheet that carries the rule set inside a workbook, and the workbook name of its table. */
export const RULES_SHEET = 'KAM Rules';
export const RULES_NAME = 'KAM_RULES';

/** Where in the table a field of the rule set was read from: zero-based, relative to the table. */
export interface CellRef {
  row: number;
  col: number;
}

export interface TableIssue extends RuleIssue {
  cell?: CellRef;
}

export type TableRulesResult = (RulesResult & { ok: true }) | { ok: false; issues: TableIssue[] };

/** `day`: a date written yyyy-mm-dd; a date cell or an Excel serial is read as its day. */
type ColumnType = 'string' | 'number' | 'boolean' | 'list' | 'day';
interface ColumnSpec {
  header: string;
  path: readonly string[];
  type: ColumnType;
  optional?: boolean;
  /** The header in the readable sheet, per language (the machine header is read too). */
  title?: Record<Lang, string>;
  /** Words the readable sheet writes for a value, per language: value → words. */
  words?: Readonly<Record<string, Record<Lang, string>>>;
}

const CRITERION_COLUMNS: readonly ColumnSpec[] = [
  { header: 'id', path: ['id'], type: 'string', title: { en: 'Id', zh: '代码' } },
  { header: 'label.en', path: ['label', 'en'], type: 'string', title: { en: 'Criterion', zh: '英文名称' } },
  { header: 'label.zh', path: ['label', 'zh'], type: 'string', title: { en: 'Chinese name', zh: '评分项' } },
  { header: 'unit', path: ['unit'], type: 'string', title: { en: 'Unit', zh: '单位' } },
  {
    header: 'better',
    path: ['better'],
    type: 'string',
    title: { en: 'Better', zh: '方向' },
    words: { higher: { en: 'higher', zh: '越高越好' }, lower: { en: 'lower', zh: '越低越好' } },
  },
  { header: 'curve.type', path: ['curve', 'type'], type: 'string', title: { en: 'Curve', zh: '曲线' }, words: { linear: { en: 'linear', zh: '线性' } } },
  { header: 'curve.min', path: ['curve', 'min'], type: 'number', title: { en: '0 points at', zh: '0 分对应' } },
  { header: 'curve.max', path: ['curve', 'max'], type: 'number', title: { en: '100 points at', zh: '100 分对应' } },
  { header: 'weight', path: ['weight'], type: 'number', title: { en: 'Weight', zh: '权重' } },
  { header: 'headroomOver', path: ['headroomOver'], type: 'string', optional: true, title: { en: 'Headroom over', zh: '增长空间基于' } },
  { header: 'validMin', path: ['validMin'], type: 'number', optional: true, title: { en: 'Valid from', zh: '有效下限' } },
  { header: 'validMax', path: ['validMax'], type: 'number', optional: true, title: { en: 'Valid to', zh: '有效上限' } },
  { header: 'required', path: ['required'], type: 'boolean', optional: true, title: { en: 'Required', zh: '必需' } },
  { header: 'aliases', path: ['aliases'], type: 'list', title: { en: 'Column headers', zh: '列标题' } },
];

const KNOCKOUT_COLUMNS: readonly ColumnSpec[] = [
  { header: 'id', path: ['id'], type: 'string', title: { en: 'Id', zh: '代码' } },
  { header: 'effect', path: ['effect'], type: 'string', title: { en: 'Effect', zh: '效果' }, words: { exclude: { en: 'exclude', zh: '排除' }, flag: { en: 'flag', zh: '标注' } } },
  { header: 'criterion', path: ['criterion'], type: 'string', title: { en: 'Criterion', zh: '评分项' } },
  { header: 'op', path: ['op'], type: 'string', title: { en: 'Test', zh: '条件' } },
  { header: 'value', path: ['value'], type: 'number', title: { en: 'Value', zh: '数值' } },
  { header: 'reason.en', path: ['reason', 'en'], type: 'string', title: { en: 'Reason', zh: '英文原因' } },
  { header: 'reason.zh', path: ['reason', 'zh'], type: 'string', title: { en: 'Chinese reason', zh: '原因' } },
];

/**
 * The [currency] section, written only for a rule set with a currency: its first row is the rule
 * set's own currency (rate 1), the rows after it the FX table (one unit of `code` in that currency).
 */
const CURRENCY_COLUMNS: readonly ColumnSpec[] = [
  { header: 'code', path: ['code'], type: 'string', title: { en: 'Currency', zh: '货币' } },
  { header: 'rate', path: ['rate'], type: 'number', title: { en: 'Rate', zh: '汇率' } },
  { header: 'date', path: ['date'], type: 'day', optional: true, title: { en: 'Rate date', zh: '汇率日期' } },
];

/** The readable sheet's section titles and settings header, per language; the [markers] are read too. */
const SECTION_TITLES: Readonly<Record<keyof typeof SECTION, Record<Lang, string>>> = {
  criteria: { en: 'Criteria', zh: '评分标准' },
  knockouts: { en: 'Knock-out rules', zh: '否决规则' },
  settings: { en: 'Tiers, planning and portfolio', zh: '等级、计划与客户组合' },
  currency: { en: 'Currency and FX rates (first row: the currency scores are in)', zh: '货币与汇率(第一行:评分所用货币)' },
};
const SETTINGS_HEADER: Record<Lang, [string, string]> = { en: ['Setting', 'Value'], zh: ['设置', '值'] };
const INTRO: Record<Lang, string> = {
  en: 'The rules KAM scores with. Change the values; keep the titles and the first row.',
  zh: 'KAM 评分所用的规则。可修改数值;请保留标题和第一行。',
};

/** Fixed names of the tiers for setting labels (the tiers' own labels are settings, so may change). */
const TIER_NAMES: Readonly<Record<string, Record<Lang, string>>> = {
  strategic: { en: 'Strategic', zh: '战略' },
  key: { en: 'Key', zh: '大客户' },
  develop: { en: 'Develop', zh: '潜力' },
  maintain: { en: 'Maintain', zh: '维持' },
  excluded: { en: 'Excluded', zh: '排除' },
  insufficient: { en: 'Insufficient data', zh: '数据不足' },
};
const SETTING_LABELS: Readonly<Record<string, Record<Lang, string>>> = {
  'missingData.minWeightShare': { en: 'Least share of the weight with data', zh: '有数据的权重最低占比' },
  'relationships.minSolidContacts': { en: 'Solid contacts needed', zh: '所需稳固联系人数' },
  'relationships.depthCap': { en: 'Contacts counted at most', zh: '联系人计数上限' },
  'relationships.depthPoints': { en: 'Points for depth', zh: '联系深度分值' },
  'relationships.decisionMakerPoints': { en: 'Points for the decision maker on side', zh: '决策者支持分值' },
  'relationships.coachPoints': { en: 'Points for a coach', zh: '内线分值' },
  'relationships.balancePoints': { en: 'Points for balance', zh: '平衡分值' },
  'relationships.solidMinRating': { en: 'Least rating of a solid contact', zh: '稳固联系人最低评分' },
  'relationships.supporterRating': { en: 'Rating a supporter stands for', zh: '支持者对应评分' },
  'relationships.opponentRating': { en: 'Rating an opponent stands for', zh: '反对者对应评分' },
  'priorities.horizonMonths': { en: 'Need horizons (months)', zh: '需求期限分组(月)' },
  'priorities.seniorVisitTiers': { en: 'Tiers for a senior-management visit', zh: '需高层拜访的等级' },
  'priorities.landingTiers': { en: 'Tiers that need something landing', zh: '需有成果落地的等级' },
  'priorities.landingWithinMonths': { en: 'Landing within (months)', zh: '成果落地期限(月)' },
  'priorities.longTermNeedTiers': { en: 'Tiers that need a long-term need', zh: '需有长期需求的等级' },
  'portfolio.keyTiers': { en: 'Tiers counted as key accounts', zh: '计为大客户的等级' },
  'portfolio.maxKeyAccounts': { en: 'Most key accounts', zh: '大客户数上限' },
  'portfolio.maxKeyShare': { en: 'Largest share of key accounts', zh: '大客户占比上限' },
  'portfolio.attractivenessSplit': { en: 'Attractiveness split (portfolio)', zh: '吸引力分界(客户组合)' },
  'portfolio.strengthSplit': { en: 'Strength split (portfolio)', zh: '实力分界(客户组合)' },
};

/** The readable label of a setting path, in a language. */
function settingLabel(path: string, lang: Lang): string {
  const fixed = SETTING_LABELS[path];
  if (fixed) return fixed[lang];
  const parts = path.split('.');
  const tier = TIER_NAMES[parts[1] === 'hoursPerMonth' ? (parts[2] as string) : (parts[1] as string)];
  if (tier) {
    const sep = lang === 'zh' ? ':' : ': ';
    if (parts[1] === 'hoursPerMonth') return `${tier[lang]}${sep}${lang === 'zh' ? '每月小时' : 'hours per month'}`;
    if (parts[2] === 'minScore') return `${tier[lang]}${sep}${lang === 'zh' ? '最低得分' : 'from score'}`;
    if (parts[3] === 'en') return `${tier[lang]}${sep}${lang === 'zh' ? '英文名称' : 'name'}`;
    if (parts[3] === 'zh') return `${tier[lang]}${sep}${lang === 'zh' ? '名称' : 'Chinese name'}`;
  }
  return path;
}

const key = (text: string): string => text.normalize('NFKC').trim().toLowerCase();

/** The machine header and the readable titles of a column, as the decoder matches them. */
const headerNames = (spec: ColumnSpec): string[] => [spec.header, ...(spec.title ? LANGUAGES.map((l) => (spec.title as Record<Lang, string>)[l]) : [])].map(key);

/** A localized word back to the value it stands for; anything else as it is, for the schema to judge. */
function fromWords(spec: ColumnSpec, value: unknown): unknown {
  if (!spec.words || typeof value !== 'string') return value;
  for (const [canonical, words] of Object.entries(spec.words)) {
    if (key(canonical) === key(value) || LANGUAGES.some((l) => key(words[l]) === key(value))) return canonical;
  }
  return value;
}

const SECTION = { criteria: '[criteria]', knockouts: '[knockouts]', settings: '[settings]', currency: '[currency]' } as const;
/** Sections a table may leave out (older tables, and rule sets without a currency). */
const OPTIONAL_SECTIONS: ReadonlySet<string> = new Set([SECTION.currency]);

/** The [currency] section's rows: the rule set's currency at rate 1, then its FX table. */
function currencyRows(rules: RuleSet): Array<Record<string, unknown>> {
  if (rules.currency === undefined) return [];
  return [{ code: rules.currency, rate: 1 }, ...(rules.fx ?? [])];
}
/** The parts of a rule set that the [settings] section holds, as dotted paths. */
const SETTINGS_ROOTS = ['missingData', 'tiers', 'relationships', 'priorities', 'portfolio'] as const;

type Leaf = string | number | boolean | Array<string | number>;

function isLeaf(v: unknown): v is Leaf {
  return typeof v !== 'object' || v === null || Array.isArray(v);
}

function flatten(value: unknown, prefix: string, out: Map<string, Leaf>): void {
  if (isLeaf(value)) {
    out.set(prefix, value);
    return;
  }
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) flatten(v, prefix === '' ? k : `${prefix}.${k}`, out);
}

function settingsOf(rules: RuleSet): Map<string, Leaf> {
  const out = new Map<string, Leaf>();
  for (const root of SETTINGS_ROOTS) flatten(rules[root], root, out);
  return out;
}

function get(obj: unknown, path: readonly string[]): unknown {
  let v: unknown = obj;
  for (const k of path) v = v === null || typeof v !== 'object' ? undefined : (v as Record<string, unknown>)[k];
  return v;
}

function set(obj: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let target = obj;
  path.slice(0, -1).forEach((k) => {
    if (typeof target[k] !== 'object' || target[k] === null) target[k] = {};
    target = target[k] as Record<string, unknown>;
  });
  target[path[path.length - 1] as string] = value;
}

function cellsOf(value: unknown, type: ColumnType): CellValue[] {
  if (type === 'list') return (value as Array<string | number> | undefined) ?? [];
  return [value === undefined ? '' : (value as CellValue)];
}

export interface RulesTableOptions {
  /**
   * Write the sheet a manager reads and edits, in this language: titled sections, one row per
   * criterion led by its name, weights and curve ends first, words for directions and effects,
   * settings by name. Without it, the compact machine layout. rulesFromTable reads both.
   */
  lang?: Lang;
}

/** Encodes a rule set as a table; the rows are padded to one width, as a sheet range is. */
export function rulesToTable(rules: RuleSet, options: RulesTableOptions = {}): RulesTable {
  const usable = usableRules(rules);
  if (!usable) return [];
  rules = usable;
  if (options.lang !== undefined) return readableTable(rules, options.lang);
  const rows: CellValue[][] = [[RULES_SCHEMA_ID, RULES_VERSION, rules.name], []];
  rows.push(
    [SECTION.criteria],
    CRITERION_COLUMNS.map((c) => c.header),
  );
  for (const criterion of rules.criteria) rows.push(CRITERION_COLUMNS.flatMap((c) => cellsOf(get(criterion, c.path), c.type)));
  rows.push(
    [],
    [SECTION.knockouts],
    KNOCKOUT_COLUMNS.map((c) => c.header),
  );
  for (const k of rules.knockouts) {
    k.when.forEach((cond, i) => {
      const first = i === 0;
      rows.push([k.id, first ? k.effect : '', cond.criterion, cond.op, cond.value, first ? k.reason.en : '', first ? k.reason.zh : '']);
    });
  }
  rows.push([], [SECTION.settings], ['setting', 'value']);
  for (const [path, value] of settingsOf(rules)) rows.push([path, ...(Array.isArray(value) ? value : [value])]);
  const fxRows = currencyRows(rules);
  if (fxRows.length > 0)
    rows.push(
      [],
      [SECTION.currency],
      CURRENCY_COLUMNS.map((c) => c.header),
      ...fxRows.map((r) => CURRENCY_COLUMNS.flatMap((c) => cellsOf(get(r, c.path), c.type))),
    );
  const width = Math.max(...rows.map((r) => r.length));
  return rows.map((r) => [...r, ...new Array<CellValue>(width - r.length).fill('')]);
}

/** A cell as the table reads it: what a sheet can hold; any other value as its text. */
const cellOf = (v: unknown): CellValue =>
  v === null || v === undefined || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' || v instanceof Date ? v : textOf(v);
/** The readable layout (see RulesTableOptions.lang). */
function readableTable(rules: RuleSet, lang: Lang): RulesTable {
  const other: Lang = lang === 'en' ? 'zh' : 'en';
  const pick = (header: string): ColumnSpec => CRITERION_COLUMNS.find((c) => c.header === header) as ColumnSpec;
  // What a manager changes first, first: name, weight, curve ends, direction, required.
  const order = [
    `label.${lang}`,
    'weight',
    'curve.min',
    'curve.max',
    'better',
    'required',
    'id',
    'unit',
    `label.${other}`,
    'validMin',
    'validMax',
    'headroomOver',
    'curve.type',
    'aliases',
  ].map(pick);
  const title = (spec: ColumnSpec): string => spec.title?.[lang] ?? spec.header;
  const cell = (spec: ColumnSpec, value: unknown): CellValue[] => {
    if (spec.type === 'boolean') return [value === undefined ? '' : value === true ? (lang === 'zh' ? '是' : 'yes') : lang === 'zh' ? '否' : 'no'];
    if (spec.words && typeof value === 'string') return [spec.words[value]?.[lang] ?? value];
    return cellsOf(value, spec.type);
  };
  const rows: CellValue[][] = [[RULES_SCHEMA_ID, RULES_VERSION, rules.name, '', INTRO[lang]], []];
  rows.push([SECTION_TITLES.criteria[lang]], order.map(title));
  for (const c of rules.criteria) rows.push(order.flatMap((spec) => cell(spec, get(c, spec.path))));
  const reasonFirst = lang === 'en' ? ['reason.en', 'reason.zh'] : ['reason.zh', 'reason.en'];
  const knockoutOrder = ['id', 'effect', 'criterion', 'op', 'value', ...reasonFirst].map((h) => KNOCKOUT_COLUMNS.find((c) => c.header === h) as ColumnSpec);
  rows.push([], [SECTION_TITLES.knockouts[lang]], knockoutOrder.map(title));
  for (const k of rules.knockouts) {
    k.when.forEach((cond, i) => {
      const first = i === 0;
      const record: Record<string, unknown> = {
        id: k.id,
        effect: first ? k.effect : undefined,
        criterion: cond.criterion,
        op: cond.op,
        value: cond.value,
        reason: first ? k.reason : {},
      };
      rows.push(knockoutOrder.flatMap((spec) => cell(spec, get(record, spec.path))));
    });
  }
  rows.push([], [SECTION_TITLES.settings[lang]], [...SETTINGS_HEADER[lang]]);
  for (const [path, value] of settingsOf(rules)) rows.push([settingLabel(path, lang), ...(Array.isArray(value) ? value : [value])]);
  const fxRows = currencyRows(rules);
  if (fxRows.length > 0)
    rows.push([], [SECTION_TITLES.currency[lang]], CURRENCY_COLUMNS.map(title), ...fxRows.map((r) => CURRENCY_COLUMNS.flatMap((spec) => cell(spec, get(r, spec.path)))));
  const width = Math.max(...rows.map((r) => r.length));
  return rows.map((r) => [...r, ...new Array<CellValue>(width - r.length).fill('')]);
}

/** Reads a cell as the column's type; a value that doesn't fit is kept as it is, for the schema to report. */
function readCell(v: CellValue, type: 'string' | 'number' | 'boolean' | 'day'): unknown {
  if (type === 'day') {
    // Excel's day 0 is 1899-12-30; a serial in the sheets' range, or a Date, is that day.
    if (v instanceof Date) return Number.isNaN(v.getTime()) ? String(v) : v.toISOString().slice(0, 10);
    if (typeof v === 'number' && Number.isInteger(v) && v > 0 && v < 2958466) return new Date(Date.UTC(1899, 11, 30) + v * 86_400_000).toISOString().slice(0, 10);
    return typeof v === 'string' ? v.trim() : String(v);
  }
  if (type === 'string') return typeof v === 'string' ? v.trim() : String(v);
  if (type === 'boolean') {
    if (typeof v === 'boolean') return v;
    const yesNo = readYesNo(v, 'cell');
    return yesNo.kind === 'value' ? yesNo.value === 'yes' : v;
  }
  const n = coerceInput(v, { id: 'cell', unit: 'number' });
  return n.kind === 'value' ? n.value : v;
}

/** The section a marker row opens: its [marker] or its title in any language. */
function sectionOf(lead: string): string | undefined {
  for (const [name, marker] of Object.entries(SECTION) as Array<[keyof typeof SECTION, string]>) {
    if (lead === marker || LANGUAGES.some((l) => key(SECTION_TITLES[name][l]) === lead)) return marker;
  }
  return undefined;
}

interface Located {
  value: unknown;
  cells: Map<string, CellRef>;
}

/** Decodes a table read from a sheet (or a formula's range argument); every issue names its cell. */
export function rulesFromTable(table: readonly (readonly CellValue[])[], lang: Lang = 'en'): TableRulesResult {
  return decodeTable(table, lang, new Map());
}

/**
 * Where each value of the rule set sits in a table that decodes (dotted paths such as
 * `criteria.0.weight`, `knockouts.1.when.0.value`, `tiers.key.minScore`, zero-based cells relative
 * to the table), or undefined when it does not decode: the one place that knows the layout.
 */
export function ruleCells(table: readonly (readonly CellValue[])[], lang: Lang = 'en'): ReadonlyMap<string, CellRef> | undefined {
  const cells = new Map<string, CellRef>();
  return decodeTable(table, lang, cells).ok ? cells : undefined;
}

function decodeTable(table: readonly (readonly CellValue[])[], lang: Lang, cells: Map<string, CellRef>): TableRulesResult {
  lang = langOf(lang);
  const say = <K extends RuleIssueKey>(key: K, params: RuleIssueParams[K]): string => renderRuleIssue(key, params, lang);
  const issues: TableIssue[] = [];
  // Anything that is not a list of rows reads as an empty table, a row that is not a list as a blank row.
  const rows: CellValue[][] = (Array.isArray(table) ? (table as unknown[]) : []).map((r) => (Array.isArray(r) ? (r as CellValue[]).map(cellOf) : []));
  const first = rows.findIndex((r) => r.some((v) => !isBlankCell(v)));
  const head = rows[first] ?? [];
  if (first < 0 || head[0] !== RULES_SCHEMA_ID) {
    return { ok: false, issues: [{ path: 'schema', message: say('notRulesTable', { expected: RULES_SCHEMA_ID }), cell: { row: Math.max(first, 0), col: 0 } }] };
  }
  const doc: Record<string, unknown> = { schema: RULES_SCHEMA_ID, version: readCell(head[1], 'number'), name: readCell(head[2] ?? '', 'string') };
  cells.set('version', { row: first, col: 1 });
  cells.set('name', { row: first, col: 2 });

  // Split the rest into sections by their marker rows.
  const sections = new Map<string, number[]>();
  let current: number[] | null = null;
  for (let r = first + 1; r < rows.length; r++) {
    const row = rows[r] as CellValue[];
    const lead = typeof row[0] === 'string' ? key(row[0]) : '';
    const marker = sectionOf(lead);
    if (marker !== undefined) {
      current = [];
      sections.set(marker, current);
    } else if (row.some((v) => !isBlankCell(v))) {
      if (current) current.push(r);
      else issues.push({ path: '(table)', message: say('outsideSection', {}), cell: { row: r, col: 0 } });
    }
  }
  for (const marker of Object.values(SECTION)) {
    if (!sections.has(marker) && !OPTIONAL_SECTIONS.has(marker)) issues.push({ path: marker, message: say('missingSection', { section: marker }) });
  }
  if (issues.length > 0) return { ok: false, issues };

  const readRecords = (marker: string, specs: readonly ColumnSpec[], pathOf: (index: number) => string): Located[] => {
    const [headerRow, ...dataRows] = sections.get(marker) as number[];
    if (headerRow === undefined) return [];
    const header = (rows[headerRow] as CellValue[]).map((h) => (typeof h === 'string' ? h.trim() : ''));
    const positions = specs.map((spec) => {
      const names = headerNames(spec);
      return header.findIndex((h) => names.includes(key(h)));
    });
    specs.forEach((spec, i) => {
      if (positions[i] === -1 && !spec.optional) issues.push({ path: marker, message: say('missingHeader', { header: spec.header }), cell: { row: headerRow, col: 0 } });
    });
    return dataRows.map((r, index) => {
      const row = rows[r] as CellValue[];
      const record: Record<string, unknown> = {};
      const located = new Map<string, CellRef>();
      specs.forEach((spec, i) => {
        const col = positions[i] as number;
        if (col < 0) return;
        const at = `${pathOf(index)}.${spec.path.join('.')}`;
        located.set(at, { row: r, col });
        if (spec.type === 'list') {
          // A list runs from its header to the next headed column (a user's own notes column, say).
          const next = header.findIndex((h, j) => j > col && h !== '');
          set(
            record,
            spec.path,
            row
              .slice(col, next < 0 ? undefined : next)
              .filter((v) => !isBlankCell(v))
              .map((v) => readCell(v, 'string')),
          );
          return;
        }
        const v = row[col];
        if (isBlankCell(v)) {
          if (!spec.optional) set(record, spec.path, undefined);
          return;
        }
        set(record, spec.path, fromWords(spec, readCell(v, spec.type)));
      });
      return { value: record, cells: located };
    });
  };

  const criteria = readRecords(SECTION.criteria, CRITERION_COLUMNS, (i) => `criteria.${i}`);
  doc.criteria = criteria.map((c) => c.value);
  criteria.forEach((c) => c.cells.forEach((ref, path) => cells.set(path, ref)));

  // Consecutive knock-out rows sharing an id are the conditions of one rule; the rule's effect and
  // reason sit on its first row.
  const conditionRows = readRecords(SECTION.knockouts, KNOCKOUT_COLUMNS, (i) => `row.${i}`);
  const knockouts: Array<{ id: unknown; effect: unknown; reason: unknown; when: unknown[] }> = [];
  conditionRows.forEach((located, i) => {
    const row = located.value as Record<string, unknown>;
    const previous = knockouts[knockouts.length - 1];
    const continues = previous !== undefined && previous.id === row.id;
    if (continues) {
      // A continuation row only adds a condition; an effect or reason of its own that differs is
      // most likely a copied row whose id was not changed, and merging it would lose them silently.
      const reason = (row.reason ?? {}) as Record<string, unknown>;
      const first = (previous.reason ?? {}) as Record<string, unknown>;
      const differs = (mine: unknown, theirs: unknown): boolean => mine !== undefined && mine !== theirs;
      const field = differs(row.effect, previous.effect) ? 'effect' : differs(reason.en, first.en) ? 'reason.en' : differs(reason.zh, first.zh) ? 'reason.zh' : null;
      if (field !== null) {
        issues.push({
          path: `knockouts[${knockouts.length - 1}]`,
          message: say('continuationDiffers', { id: String(row.id) }),
          cell: located.cells.get(`row.${i}.${field}`) ?? { row: 0, col: 0 },
        });
      }
    } else knockouts.push({ id: row.id, effect: row.effect, reason: row.reason, when: [] });
    const index = knockouts.length - 1;
    const rule = knockouts[index] as (typeof knockouts)[number];
    for (const [path, ref] of located.cells) {
      const field = path.slice(`row.${i}.`.length);
      if (['criterion', 'op', 'value'].includes(field)) cells.set(`knockouts.${index}.when.${rule.when.length}.${field}`, ref);
      else if (!continues) cells.set(`knockouts.${index}.${field}`, ref);
    }
    rule.when.push({ criterion: row.criterion, op: row.op, value: row.value });
  });
  doc.knockouts = knockouts;

  // Currency: the first row names the rule set's currency, the others are its FX table.
  if (sections.has(SECTION.currency)) {
    const fx = readRecords(SECTION.currency, CURRENCY_COLUMNS, (i) => `currency.${i}`);
    const [base, ...others] = fx;
    if (base) {
      const first = base.value as Record<string, unknown>;
      doc.currency = first.code;
      if (first.rate !== 1)
        issues.push({ path: 'currency', message: say('currencyBaseRate', { code: String(first.code) }), cell: base.cells.get('currency.0.rate') ?? { row: 0, col: 0 } });
      base.cells.forEach((ref, path) => path.endsWith('.code') && cells.set('currency', ref));
      doc.fx = others.map((r) => r.value);
      others.forEach((r, i) => r.cells.forEach((ref, path) => cells.set(path.replace(/^currency\.\d+/, `fx.${i}`), ref)));
    }
  }

  // Settings: each path's type is the type the default rule set has there.
  const known = settingsOf(defaultRules());
  const settingByLabel = new Map<string, string>();
  for (const p of known.keys()) for (const l of LANGUAGES) settingByLabel.set(key(settingLabel(p, l)), p);
  const [settingsHeader, ...settingRows] = sections.get(SECTION.settings) as number[];
  const headerCell = settingsHeader === undefined ? undefined : (rows[settingsHeader] as CellValue[])[0];
  const settingHeaders = ['setting', ...LANGUAGES.map((l) => key(SETTINGS_HEADER[l][0]))];
  if (settingsHeader === undefined || typeof headerCell !== 'string' || !settingHeaders.includes(key(headerCell))) {
    issues.push({ path: SECTION.settings, message: say('missingHeader', { header: 'setting' }), cell: { row: settingsHeader ?? 0, col: 0 } });
  }
  const seen = new Map<string, CellRef>();
  for (const r of settingRows) {
    const row = rows[r] as CellValue[];
    const written = typeof row[0] === 'string' ? row[0].trim() : String(row[0]);
    // A setting's readable label in either language, or its path.
    const path = settingByLabel.get(key(written)) ?? written;
    const example = known.get(path);
    const earlier = seen.get(path);
    if (earlier) {
      issues.push({ path, message: say('duplicateSetting', { first: cellAddress({ row: earlier.row, col: 0 }) }), cell: { row: r, col: 0 } });
      continue;
    }
    seen.set(path, { row: r, col: 1 });
    cells.set(path, { row: r, col: 1 });
    if (example === undefined) {
      issues.push({ path, message: say('unknownSetting', {}), cell: { row: r, col: 0 } });
      continue;
    }
    // Values keep their columns, so an error on a list's third value points at that cell.
    const values = row.flatMap((v, col) => (col > 0 && !isBlankCell(v) ? [{ v, col }] : []));
    const itemType = Array.isArray(example) ? (typeof example[0] === 'number' ? 'number' : 'string') : typeof example === 'number' ? 'number' : 'string';
    const parsed = values.map(({ v }) => readCell(v, itemType));
    values.forEach(({ col }, i) => cells.set(`${path}.${i}`, { row: r, col }));
    if (!Array.isArray(example) && values.length > 1) {
      issues.push({ path, message: say('oneValue', {}), cell: { row: r, col: (values[1] as { col: number }).col } });
      continue;
    }
    set(doc, path.split('.'), Array.isArray(example) ? parsed : parsed[0]);
  }
  for (const path of known.keys()) {
    if (!seen.has(path)) issues.push({ path, message: say('missingSetting', { path }), cell: { row: settingsHeader ?? 0, col: 0 } });
  }
  if (issues.length > 0) return { ok: false, issues };

  const result = parseRules(doc, lang);
  if (result.ok) return result;
  return {
    ok: false,
    issues: result.issues.map((issue) => {
      const key = issue.path.replace(/\[(\d+)\]/g, '.$1');
      // The nearest located ancestor: an error on `criteria.2` points at that criterion's id cell.
      let probe = key;
      let cell = cells.get(probe);
      while (!cell && probe.includes('.')) {
        probe = probe.slice(0, probe.lastIndexOf('.'));
        cell = cells.get(probe) ?? cells.get(`${probe}.id`);
      }
      return cell ? { ...issue, cell } : issue;
    }),
  };
}

/** A1-style address of a cell, given where the table starts on its sheet (zero-based). */
export function cellAddress(ref: CellRef, origin: CellRef = { row: 0, col: 0 }): string {
  const at = (r: unknown, key: 'row' | 'col'): number => {
    const v = typeof r === 'object' && r !== null ? (r as Record<string, unknown>)[key] : 0;
    return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : NaN;
  };
  const col = at(ref, 'col') + at(origin, 'col');
  const row = at(ref, 'row') + at(origin, 'row');
  // Past Excel's last column (XFD) or row, or not a cell at all: no address rather than a wrong one.
  if (!(col < 16384 && row < 1048576)) return '';
  return `${columnLetters(col)}${row + 1}`;
}
