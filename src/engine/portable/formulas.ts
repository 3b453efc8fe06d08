import { compileRules, type CompiledCriterion } from '../compile';
import { cellAddress, ruleCells, type CellRef, type RulesTable } from '../rules/table';
import { LABEL_PACKS } from '../i18n/labels';
import { formatMessage, message, type MessageKey, type MessageParams } from '../i18n/messages';
import type { RuleSet } from '../rules/schema';
import { isObject, own, usableRules } from '../guard';
import { langOf, type Lang } from '../types';
import { CODE_SPELLINGS, CURRENCY_BLANKS } from '../currency';

/**
 * The rule set as native spreadsheet formulas, one set per account row: score, tier and flags
 * computed from the row's input cells and the rules sheet's cells, with no add-in. The steps are
 * the kernel's (batch.ts scoreColumns), as in the SQL generator (sql/generate.ts):
 * inputs → valid ranges → headroom → linear curve clamped to 0–100 → weighted sum over the criteria
 * present → score rounded to one decimal, half-way up → knock-outs → tier → flags.
 *
 * Only functions that Excel 2010+, Excel for Mac, LibreOffice, WPS and Google Sheets all have are
 * used (PORTABLE_FUNCTIONS), and UNICHAR (Excel 2013+) for a currency cell: no LET, so a shared
 * sub-expression is written out where it is used. A file names UNICHAR `_xlfn.UNICHAR` (cli/portable.ts).
 * Formulas are returned without the leading `=` (as an .xlsx `<f>` element holds them).
 */

/** Every function the formulas call: the test suite checks that nothing else appears. */
export const PORTABLE_FUNCTIONS = [
  'IF',
  'AND',
  'OR',
  'NOT',
  'ISNUMBER',
  'MIN',
  'MAX',
  'INT',
  'LEN',
  'LEFT',
  'MID',
  'CHAR',
  'TRIM',
  'UPPER',
  'FIND',
  'SUBSTITUTE',
  'UNICHAR',
  'SUMPRODUCT',
] as const;

export interface PortableOptions {
  /**
   * Criterion id → the cell holding its input on the formula's row, e.g. `C5` or `$C5`. A criterion
   * not named here has no column: blank on every row and, like the engine's absent columns, left
   * out of the row's flags.
   */
  inputs: Readonly<Record<string, string>>;
  /**
   * The cell the score formula is written in, on the same row: the tier reads the score from it.
   * Without it the tier formula computes the score itself (longer, but needs no known position).
   */
  scoreCell?: string;
  /**
   * Rule-set path → an absolute reference to the cell holding that value (see ruleReferences).
   * A value with no reference is written into the formula as a constant.
   */
  ruleCells?: Readonly<Record<string, string>>;
  /**
   * The cell holding the account's currency on the formula's row (a rule set with a currency): the
   * amounts are converted with the FX table before scoring, as the engine converts them. Without
   * it the amounts are in the rule set's currency, as the engine reads a sheet with no currency column.
   */
  currency?: string;
  /** Language of the tier labels and flags. Default English. */
  lang?: Lang;
  /** Flags from outside the rule set (relationships, plan), written after the engine's as constant text. */
  extraFlags?: string;
}

export interface PortableFormulas {
  score: string;
  tier: string;
  flags: string;
}

/** A number as a formula constant; negative numbers in parentheses so `-` never meets `^` or `-`. */
function numberLiteral(x: number): string {
  const text = String(x).toUpperCase();
  return x < 0 || Object.is(x, -0) ? `(${text})` : text;
}

/** A text as a formula constant. */
/** A text as a formula constant. A quote is CHAR(34): HyperFormula does not read a doubled "" inside a text. */
const textLiteral = (text: string): string =>
  text
    .split('"')
    .map((part) => `"${part}"`)
    .join('&CHAR(34)&');

/** The longest formula Excel (and so every spreadsheet that reads its files) accepts, in characters. */
export const MAX_FORMULA_LENGTH = 8192;

/** TRUE and FALSE as comparisons: some engines (HyperFormula) read a bare TRUE as a name. */
const NEVER = '(1=0)';
const ALWAYS = '(1=1)';

/** A message's text around a placeholder: its template split where the value goes. */
function around<K extends MessageKey>(key: K, params: MessageParams[K], lang: Lang, marks: readonly string[]): string[] {
  let text = formatMessage(message(key, params), lang);
  const parts: string[] = [];
  for (const mark of marks) {
    const at = text.indexOf(mark);
    parts.push(at < 0 ? text : text.slice(0, at));
    text = at < 0 ? '' : text.slice(at + mark.length);
  }
  parts.push(text);
  return parts;
}

const MARK_A = '\u0001';
const MARK_B = '\u0002';

/** The blanks the engine trims around a currency code, as formulas name them (UNICHAR past ASCII: CHAR is a code-page character). */
const BLANK_CHARS = CURRENCY_BLANKS.map((code) => (code < 128 ? `CHAR(${code})` : `UNICHAR(${code})`));

/** ASCII letters, for the engine's test of a currency code (three of them: currency.ts readCurrencyCell). */
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * The score, tier and flag formulas of one row, or undefined when the rules are not a rule set, the
 * options name no input cells, or a formula would be longer than MAX_FORMULA_LENGTH. Each equals
 * the engine's result for numbers and blanks; a cell holding text (which the engine may read,
 * e.g. `18%`) makes the row Invalid input.
 */
export function portableFormulas(rules: RuleSet, options: PortableOptions): PortableFormulas | undefined {
  const usable = usableRules(rules);
  if (!usable || !isObject(options) || !isObject(options.inputs)) return undefined;
  rules = usable;
  const lang = langOf(options.lang);
  const compiled = compileRules(rules);
  const criteria = compiled.criteria;
  const refs: Readonly<Record<string, unknown>> = isObject(options.ruleCells) ? options.ruleCells : {};
  const inputOf = (c: CompiledCriterion): string | undefined => {
    const at = own(options.inputs, c.id);
    return typeof at === 'string' && at !== '' ? at : undefined;
  };
  /** A rule value: its cell when one is given, else the value itself. */
  const num = (path: string, value: number): string => {
    const at = own(refs, path);
    return typeof at === 'string' && at !== '' ? at : numberLiteral(value);
  };
  const txt = (path: string, value: string): string => {
    const at = own(refs, path);
    return typeof at === 'string' && at !== '' ? at : textLiteral(value);
  };
  const any = (terms: readonly string[]): string => (terms.length === 0 ? NEVER : terms.length === 1 ? (terms[0] as string) : `OR(${terms.join(',')})`);
  const sum = (terms: readonly string[]): string => (terms.length === 0 ? '0' : terms.join('+'));
  const weight = (c: CompiledCriterion): string => num(`criteria.${c.index}.weight`, c.weight);
  const label = (c: CompiledCriterion): string => txt(`criteria.${c.index}.label.${lang}`, rules.criteria[c.index]?.label[lang] ?? c.id);
  const sep = lang === 'zh' ? ';' : '; ';

  // Currencies (currency.ts accountRate): with a currency cell, each amount is multiplied by the
  // rate of the account's currency, looked up in the FX table on the rules sheet, before any curve,
  // headroom or knock-out reads it (the valid range is tested on the amount as written).
  const currencyCell = rules.currency !== undefined && typeof options.currency === 'string' && options.currency !== '' ? options.currency : undefined;
  const amountIndexes = new Set(compiled.amounts);
  const amounts = currencyCell === undefined ? [] : criteria.filter((c) => amountIndexes.has(c.index) && inputOf(c) !== undefined);
  const converting = amounts.length > 0;
  // The cell trimmed as the engine trims it: TRIM strips spaces only, so the other blanks become
  // spaces first. UNICHAR, not CHAR: CHAR(160) is a code-page character (Mac Excel's is not U+00A0).
  const spaced = BLANK_CHARS.reduce((text, blank) => `SUBSTITUTE(${text},${blank}," ")`, currencyCell ?? '""');
  const trimmed = `TRIM(${spaced})`;
  // The code as the engine reads the cell: trimmed and upper-cased; RMB is CNY, € EUR and £ GBP.
  // SUBSTITUTE names the trimmed cell once (it is long): it differs from the engine's code only on
  // texts that are not three letters nor a lone €/£, which match no code and are Invalid input either way.
  const code = CODE_SPELLINGS.reduce((text, [written, meant]) => `SUBSTITUTE(${text},"${written}","${meant}")`, `UPPER(${trimmed})`);
  const fx = rules.fx ?? [];
  const codesRange = own(refs, 'currency.codes');
  const ratesRange = own(refs, 'currency.rates');
  // The rate of the account's currency, 0 when the table has none. `=` compares whole texts (MATCH
  // would read * and ? in the cell as wildcards); exact, as one product is the rate and the rest 0.
  const rate =
    typeof codesRange === 'string' && typeof ratesRange === 'string' && codesRange !== '' && ratesRange !== ''
      ? `SUMPRODUCT((${codesRange}=${code})*${ratesRange})`
      : `(${[`(${code}=${txt('currency', rules.currency ?? '')})*1`, ...fx.map((r, i) => `(${code}=${txt(`fx.${i}.code`, r.code)})*${num(`fx.${i}.rate`, r.rate)}`)].join('+')})`;
  /** An input as the curves and knock-outs read it: an amount in the rule set's currency. */
  const valueOf = (c: CompiledCriterion): string => {
    const x = inputOf(c) as string;
    return converting && amountIndexes.has(c.index) ? `(${x}*${rate})` : x;
  };
  // An account with an amount and no rate (a blank, unknown or unreadable currency) is Invalid input.
  const currencyBad = converting ? `AND(${any(amounts.map((c) => `ISNUMBER(${inputOf(c) as string})`))},NOT(${rate}>0))` : NEVER;

  // Step 1–2: an input is read when it is a number; text (or a number outside its valid range)
  // makes the account Invalid input, as an unreadable cell does in the engine.
  const badOf = (c: CompiledCriterion): string | undefined => {
    const x = inputOf(c);
    if (x === undefined) return undefined;
    const def = rules.criteria[c.index];
    const tests: string[] = [];
    if (def?.validMin !== undefined) tests.push(`${x}<${num(`criteria.${c.index}.validMin`, def.validMin)}`);
    if (def?.validMax !== undefined) tests.push(`${x}>${num(`criteria.${c.index}.validMax`, def.validMax)}`);
    return tests.length === 0 ? `AND(NOT(ISNUMBER(${x})),${x}<>"")` : `IF(ISNUMBER(${x}),${any(tests)},${x}<>"")`;
  };
  const bad = criteria.map(badOf);
  const inputsInvalid = any(bad.filter((b): b is string => b !== undefined));
  const invalid = currencyBad === NEVER ? inputsInvalid : any([...bad.filter((b): b is string => b !== undefined), currencyBad]);

  // Step 3: what the curve scores (headroom over its base, never below 0), and whether it is present.
  const present = (c: CompiledCriterion): string => {
    const x = inputOf(c);
    if (x === undefined) return NEVER;
    if (c.headroomOver < 0) return `ISNUMBER(${x})`;
    const base = inputOf(criteria[c.headroomOver] as CompiledCriterion);
    return base === undefined ? NEVER : `AND(ISNUMBER(${x}),ISNUMBER(${base}))`;
  };
  const scored = (c: CompiledCriterion): string => {
    const x = valueOf(c);
    return c.headroomOver < 0 ? x : `MAX(${x}-${valueOf(criteria[c.headroomOver] as CompiledCriterion)},0)`;
  };
  // Step 4: points 0–100 on the linear curve, clamped at both ends: (x − min) / (max − min).
  const points = (c: CompiledCriterion): string => {
    const lo = num(`criteria.${c.index}.curve.min`, c.curveMin);
    const hi = num(`criteria.${c.index}.curve.max`, c.curveMin + c.curveSpan);
    const t = `(${scored(c)}-${lo})/(${hi}-${lo})`;
    return `MIN(100,MAX(0,(${c.higherIsBetter ? t : `1-${t}`})*100))`;
  };
  const scoredCriteria = criteria.filter((c) => present(c) !== NEVER);
  // Step 5: weighted points and weight over the criteria present, added in the kernel's order.
  const weighted = sum(scoredCriteria.map((c) => `IF(${present(c)},${weight(c)}*${points(c)},0)`));
  const presentWeight = sum(scoredCriteria.map((c) => `IF(${present(c)},${weight(c)},0)`));
  const totalWeight = sum(criteria.map(weight));

  // Step 6–7: score = weighted / present weight, ×10 nudged by (1 + 2^-52) as roundScore does, then
  // half-way up with INT (ROUND rounds as written to 15 digits in Excel and LibreOffice). INT(y+0.5)
  // is exact for y ≥ 0.5; below, the score rounds to 0.
  const y = `(${weighted})/(${presentWeight})*10*(1+2^-52)`;
  const score = `IF(${invalid},"",IF((${presentWeight})>0,IF(${y}>=0.5,INT(${y}+0.5),0)/10,""))`;

  // Knock-outs: all conditions hold, every input they read present (the raw input, not the headroom).
  const ops: Record<string, string> = { '<': '<', '<=': '<=', '>': '>', '>=': '>=', '=': '=' };
  const fired = compiled.knockouts.map((k) => {
    const tests = k.conditions.map((w, j) => {
      const c = criteria[w.criterion];
      const x = c ? inputOf(c) : undefined;
      return x === undefined || c === undefined ? undefined : `ISNUMBER(${x}),${valueOf(c)}${ops[w.op] ?? '='}${num(`knockouts.${k.index}.when.${j}.value`, w.value)}`;
    });
    return tests.some((t) => t === undefined) ? NEVER : `AND(${tests.join(',')})`;
  });
  const excluded = any(compiled.knockouts.filter((k, j) => k.exclude && fired[j] !== NEVER).map((k) => fired[k.index] as string));
  const required = criteria.filter((c) => rules.criteria[c.index]?.required === true);
  // A required input that is blank (a criterion with no column is always blank).
  const requiredBlank = any(
    required.map((c) => {
      const x = inputOf(c);
      return x === undefined ? ALWAYS : `NOT(ISNUMBER(${x}))`;
    }),
  );

  const tierLabel = (id: 'strategic' | 'key' | 'develop' | 'maintain' | 'excluded' | 'insufficient'): string => txt(`tiers.${id}.label.${lang}`, rules.tiers[id].label[lang]);
  const s = typeof options.scoreCell === 'string' && options.scoreCell !== '' ? options.scoreCell : `(${score})`;
  const share = `IF((${totalWeight})>0,(${presentWeight})/(${totalWeight}),0)`;
  const [strategicMin, keyMin, developMin] = compiled.thresholds;
  const byScore = `IF(${s}>=${num('tiers.strategic.minScore', strategicMin)},${tierLabel('strategic')},IF(${s}>=${num('tiers.key.minScore', keyMin)},${tierLabel('key')},IF(${s}>=${num('tiers.develop.minScore', developMin)},${tierLabel('develop')},${tierLabel('maintain')})))`;
  const insufficient = any([`${s}=""`, `${share}<${num('missingData.minWeightShare', compiled.minWeightShare)}`, ...(requiredBlank === NEVER ? [] : [requiredBlank])]);
  const tier = `IF(${invalid},${textLiteral(LABEL_PACKS[lang].invalidOutcome)},IF(${excluded},${tierLabel('excluded')},IF(${insufficient},${tierLabel('insufficient')},${byScore})))`;

  // Flags: the engine's texts. A list is pieces each led by its separator, the first one cut off with MID.
  const list = (pieces: readonly string[], separator: string): string => (pieces.length === 0 ? '""' : `MID(${pieces.join('&')},${separator.length + 1},32767)`);
  const fieldSep = around('missingData', { fields: [MARK_A, MARK_B] }, lang, [MARK_A, MARK_B])[1] as string;
  const problemPieces = criteria.flatMap((c, i) => {
    const x = inputOf(c);
    const b = bad[i];
    if (x === undefined || b === undefined) return [];
    const def = rules.criteria[c.index];
    const field = rules.criteria[c.index]?.label[lang] ?? c.id;
    const notNumber = around('notNumber', { field, text: MARK_A }, lang, [MARK_A]);
    const quoted = `IF(LEN(${x})>40,LEFT(${x},40)&"…",${x})`;
    const notNumberText = `${textLiteral(notNumber[0] as string)}&${quoted}&${textLiteral(notNumber[1] as string)}`;
    if (def?.validMin === undefined && def?.validMax === undefined) return [`IF(${b},${textLiteral(sep)}&${notNumberText},"")`];
    const range = around('outOfRange', { field, value: MARK_A as unknown as number, min: def.validMin ?? null, max: def.validMax ?? null }, lang, [MARK_A]);
    let rangeText = `${textLiteral(range[0] as string)}&${x}&${textLiteral(range[1] as string)}`;
    // coerce.ts checkRange: a fraction of 18 (valid to 1) is said to be 18% typed without its sign.
    if (def.unit === 'fraction' && def.validMax !== undefined && def.validMax <= 1) {
      // The template reads the value as text (toString) and divided by 100 (valueOf → NaN).
      const marked = { toString: () => MARK_A, valueOf: () => NaN } as unknown as number;
      const percent = around('percentWithoutSign', { field, value: marked }, lang, [MARK_A, MARK_A, 'NaN']);
      const percentText = `${textLiteral(percent[0] as string)}&${x}&${textLiteral(percent[1] as string)}&${x}&${textLiteral(percent[2] as string)}&${x}/100&${textLiteral(percent[3] as string)}`;
      rangeText = `IF(AND(${x}>1,${x}<=100),${percentText},${rangeText})`;
    }
    return [`IF(${b},${textLiteral(sep)}&IF(ISNUMBER(${x}),${rangeText},${notNumberText}),"")`];
  });
  const notScored = (c: CompiledCriterion): string => `NOT(${present(c)})`;
  const named = (c: CompiledCriterion): string => `IF(${notScored(c)},${textLiteral(fieldSep)}&${label(c)},"")`;
  const flaggedRequired = required.filter((c) => inputOf(c) !== undefined);
  const requiredFlag = any(flaggedRequired.map(notScored));
  const requiredText = around('requiredMissing', { fields: [MARK_A] }, lang, [MARK_A]);
  const missingText = around('missingData', { fields: [MARK_A] }, lang, [MARK_A]);
  const optional = criteria.filter((c) => inputOf(c) !== undefined && rules.criteria[c.index]?.required !== true);
  const verdictPieces = [
    ...compiled.knockouts.flatMap((k, j) =>
      fired[j] === NEVER ? [] : [`IF(${fired[j] as string},${textLiteral(sep)}&${txt(`knockouts.${k.index}.reason.${lang}`, rules.knockouts[k.index]?.reason[lang] ?? k.id)},"")`],
    ),
    ...(flaggedRequired.length === 0
      ? []
      : [`IF(${requiredFlag},${textLiteral(sep + (requiredText[0] as string))}&${list(flaggedRequired.map(named), fieldSep)}&${textLiteral(requiredText[1] as string)},"")`]),
    ...(optional.length === 0
      ? []
      : [
          `IF(${any(optional.map(notScored))},${textLiteral(sep + (missingText[0] as string))}&${list(optional.map(named), fieldSep)}&${textLiteral(missingText[1] as string)},"")`,
        ]),
  ];
  const extra = typeof options.extraFlags === 'string' && options.extraFlags !== '' ? [textLiteral(sep + options.extraFlags)] : [];
  let flags = `IF(${invalid},${list([...problemPieces, ...extra], sep)},${list([...verdictPieces, ...extra], sep)})`;
  if (converting) {
    // The engine names a currency problem only when every input was read (currency.ts, batch.ts).
    const missing = around('missingCurrency', { field: MARK_A }, lang, [MARK_A]);
    const unknown = around('unknownCurrency', { code: MARK_A, known: MARK_B }, lang, [MARK_A, MARK_B]);
    const unreadable = around('badCurrency', { text: MARK_A }, lang, [MARK_A]);
    // The blank currency is named after the first amount present, as accountRate names it.
    const firstAmount = amounts.reduceRight((rest, c) => `IF(ISNUMBER(${inputOf(c) as string}),${label(c)},${rest})`, '""');
    const known = [txt('currency', rules.currency ?? ''), ...fx.map((r, i) => txt(`fx.${i}.code`, r.code))].join(`&${textLiteral(', ')}&`);
    const isLetter = (i: number): string => `ISNUMBER(FIND(MID(${trimmed},${i},1),"${LETTERS}"))`;
    // Three letters, or a symbol the engine reads as a code (€, £).
    const symbols = CODE_SPELLINGS.filter(([written]) => written.length < 3).map(([written]) => `${trimmed}="${written}"`);
    const codeLike = `OR(${[`AND(LEN(${trimmed})=3,${isLetter(1)},${isLetter(2)},${isLetter(3)})`, ...symbols].join(',')})`;
    const [m0, m1] = missing.map(textLiteral) as [string, string];
    const [u0, u1, u2] = unknown.map(textLiteral) as [string, string, string];
    const [b0, b1] = unreadable.map(textLiteral) as [string, string];
    const currencyText = `IF(${trimmed}="",${m0}&${firstAmount}&${m1},IF(${codeLike},${u0}&${code}&${u1}&${known}&${u2},${b0}&LEFT(${trimmed},40)&${b1}))`;
    flags = `IF(${inputsInvalid},${list([...problemPieces, ...extra], sep)},IF(${currencyBad},${[currencyText, ...extra].join('&')},${list([...verdictPieces, ...extra], sep)}))`;
  }
  // No LET: a rule set of many criteria writes out more than Excel holds in one formula.
  if ([score, tier, flags].some((f) => f.length > MAX_FORMULA_LENGTH)) return undefined;
  return { score, tier, flags };
}

export interface RuleReferenceOptions {
  /** The sheet holding the table. Default the KAM Rules sheet. */
  sheet?: string;
  /** Where the table's first cell sits on the sheet, zero-based. Default A1. */
  origin?: CellRef;
  /** The language the table was read in (for its readable titles). */
  lang?: Lang;
}

/** `B4` as `$B$4`. */
const absolute = (address: string): string => address.replace(/^([A-Z]+)(\d+)$/, '$$$1$$$2');

/** A sheet name as a formula writes it: always quoted, inner quotes doubled. */
const sheetPrefix = (name: string): string => `'${name.replace(/'/g, "''")}'!`;

/**
 * Rule-set path → absolute reference (`'KAM Rules'!$B$4`) of every value in a rules table, as the
 * table decoder locates them (rules/table.ts), for PortableOptions.ruleCells; with an FX table,
 * also `currency.codes` and `currency.rates`, its two columns as ranges. Empty when the table does
 * not decode.
 */
export function ruleReferences(table: RulesTable, options: RuleReferenceOptions = {}): Record<string, string> {
  const given: Record<string, unknown> = isObject(options) ? options : {};
  const sheet = typeof given.sheet === 'string' && given.sheet !== '' ? given.sheet : 'KAM Rules';
  const origin = isObject(given.origin) ? (given.origin as unknown as CellRef) : { row: 0, col: 0 };
  const cells = ruleCells(table, langOf(given.lang));
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  if (!cells) return out;
  for (const [path, ref] of cells) {
    const address = cellAddress(ref, origin);
    if (address === '') continue;
    out[path] = `${sheetPrefix(sheet)}${absolute(address)}`;
  }
  // The FX table as two ranges, the rule set's own currency first (rate 1), its rates in the FX
  // rows' column: a portable formula looks an account's currency up in them.
  const base = cells.get('currency');
  const rateColumn = cells.get('fx.0.rate')?.col;
  if (base && rateColumn !== undefined) {
    const codes: CellRef[] = [base];
    const rates: CellRef[] = [{ row: base.row, col: rateColumn }];
    for (let i = 0; cells.has(`fx.${i}.code`); i++) {
      codes.push(cells.get(`fx.${i}.code`) as CellRef);
      rates.push(cells.get(`fx.${i}.rate`) ?? { row: -1, col: -1 });
    }
    // One row each, one under the other, as the table writes them; otherwise the formulas name each cell.
    const inLine = (refs: readonly CellRef[]): boolean => refs.every((r, i) => r.col === (refs[0] as CellRef).col && r.row === base.row + i);
    const range = (refs: readonly CellRef[]): string =>
      `${sheetPrefix(sheet)}${absolute(cellAddress(refs[0] as CellRef, origin))}:${absolute(cellAddress(refs[refs.length - 1] as CellRef, origin))}`;
    if (inLine(codes) && inLine(rates)) {
      out['currency.codes'] = range(codes);
      out['currency.rates'] = range(rates);
    }
  }
  return out;
}
