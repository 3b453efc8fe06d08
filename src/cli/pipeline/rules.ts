/**
 * The rules steps: which rule set a run scores with (resolved once here for score, check and
 * merge, so that they agree on the rules a file carries), then that rule set fitted to the columns
 * the sheet has.
 */
import {
  applyCalibration,
  calibrationAmounts,
  criterionLabel,
  CURRENCY_FIELD,
  defaultRules,
  readiness,
  rememberMapping,
  rulesForPresent,
  scaleHints,
  suggestCalibration,
  type Lang,
  type Readiness,
  type RuleSet,
} from '../../engine';
import { InputError } from '../files';
import type { CliPack } from '../messages';
import { requirePortable } from '../portable';
import { loadRulesFile, rulesInvalidError, rulesInWorkbook } from '../rules-file';
import type { ScoreOptions } from '../score';
import type { OpenWorkbook } from '../xlsx-file';
import { kernelColumns } from './map';
import type { MappedSheet } from './read';

/** A rule set and where it came from. */
export interface ResolvedRules {
  rules: RuleSet;
  /** As the run's summary names it. */
  source: string;
  /** What reading the rules found worth saying (on stderr). */
  warnings: string[];
  /** Read from the workbook's own rules sheet: written again only when the run changes them. */
  fromWorkbook: boolean;
}

/** The --rules file, loaded before the input is opened, so that its problems are said first. */
export async function namedRules(file: string | undefined, pack: CliPack, lang: Lang): Promise<ResolvedRules | undefined> {
  if (file === undefined) return undefined;
  const loaded = await loadRulesFile(file, pack, lang);
  return { rules: loaded.rules, source: loaded.source, warnings: loaded.warnings, fromWorkbook: false };
}

/** The rules a workbook carries (undefined when it has none); invalid ones stop the run, each problem named. */
export async function workbookRules(book: OpenWorkbook, pack: CliPack, lang: Lang): Promise<ResolvedRules | undefined> {
  const own = await rulesInWorkbook(book, pack, lang);
  if (!own) return undefined;
  if (!own.ok) throw rulesInvalidError(book.file, own.problems, pack);
  return { rules: own.rules, source: own.source, warnings: own.warnings, fromWorkbook: true };
}

/** The rule set a run scores with: the one named with --rules, else the workbook's own (rules travel with the workbook), else the defaults. */
export async function resolveRules(named: ResolvedRules | undefined, book: OpenWorkbook | undefined, pack: CliPack, lang: Lang): Promise<ResolvedRules> {
  if (named) return named;
  const own = book ? await workbookRules(book, pack, lang) : undefined;
  return own ?? { rules: defaultRules(), source: pack.defaultRulesSource(), warnings: [], fromWorkbook: false };
}

/**
 * Readiness: the criteria absent from the whole sheet, said once (not in every row's flags), or
 * dropped with --score-present and their weight shared among the others. Written to serve the
 * streamed CSV path too, which has its own copy of these lines for now.
 */
export function fitToPresentColumns(
  resolved: RuleSet,
  present: readonly string[],
  scorePresent: boolean,
  pack: CliPack,
  lang: Lang,
): { rules: RuleSet; ready: Readiness; scoredOnPresent: boolean; notes: string[] } {
  const ready = readiness(resolved, present);
  const notes: string[] = [];
  const labelList = (ids: readonly string[]): string => pack.list(ids.map((id) => criterionLabel(resolved, id, lang)));
  if (scorePresent && ready.absent.length > 0) {
    const reduced = rulesForPresent(resolved, present);
    if (reduced) {
      notes.push(pack.scoredOnPresent({ absent: labelList(ready.absent), share: ready.absentShare, kept: pack.list(reduced.criteria.map((c) => `${c.label[lang]} ${c.weight}`)) }));
      return { rules: { ...reduced, name: pack.reducedRulesName({ name: resolved.name }) }, ready, scoredOnPresent: true, notes };
    }
  } else if (ready.absent.length > 0) {
    notes.push(pack.absentColumns({ list: labelList(ready.absent), share: ready.absentShare }));
    if (ready.allInsufficient) notes.push(pack.allInsufficient({ required: ready.absentRequired.length > 0 ? labelList(ready.absentRequired) : null }));
  }
  return { rules: resolved, ready, scoredOnPresent: false, notes };
}

/** The rule set as this sheet is scored with it, and what fitting it changed. */
export interface FittedRules {
  rules: RuleSet;
  /** The rules as resolved: missing columns and the run's readiness are told against these. */
  resolved: RuleSet;
  ready: Readiness;
  scoredOnPresent: boolean;
  /** The rules scored with differ from the resolved ones: the rules sheet is written again. */
  changed: boolean;
  /** What fitting did or found, for the summary. */
  notes: string[];
}

/**
 * Fits the resolved rules to the sheet's columns: absent criteria said once (or dropped, with
 * --score-present), currency targets calibrated (--calibrate) or compared with the data, the
 * columns named with --map remembered; stops a --formulas portable run the formulas cannot express.
 */
export function fitRules(resolved: RuleSet, input: MappedSheet, mapping: Readonly<Record<string, string>>, options: ScoreOptions, pack: CliPack): FittedRules {
  const { lang } = options;
  const { matches, derived, matched } = input.columns;
  const computedHere = matched.filter((c) => derived[c.id]);
  if (options.formulas && computedHere.length > 0) throw new InputError(pack.portableDerived({ fields: pack.list(computedHere.map((c) => c.label[lang])) }), 'kam score');

  const present = fitToPresentColumns(
    resolved,
    matched.map((c) => c.id),
    options.scorePresent === true,
    pack,
    lang,
  );
  const { ready, scoredOnPresent, notes } = present;
  let rules = present.rules;
  // Calibration and the scale hint look at the currency criteria of every readable row (one pass, those columns only).
  const currencyRules = rules;
  const currencyColumns = kernelColumns(input.rows, input.columns, input.readable, (id) => currencyRules.criteria.some((c) => c.id === id && c.unit === 'currency'));
  // Amounts in several currencies are converted to the rule set's first, as scoring converts them.
  const currencyColumnIndex = rules.currency !== undefined ? matches[CURRENCY_FIELD]?.column : undefined;
  const amounts = calibrationAmounts(currencyColumns, rules, currencyColumnIndex === undefined ? undefined : input.rows.values(input.readable, currencyColumnIndex));
  const calibration = options.calibrate ? suggestCalibration(amounts.columns, rules) : [];
  const hints = options.calibrate ? [] : scaleHints(amounts.columns, rules);
  if (amounts.currency !== undefined && (options.calibrate || hints.length > 0 || amounts.leftOut > 0))
    notes.push(pack.calibrationCurrency({ into: amounts.currency, leftOut: amounts.leftOut }));
  for (const s of calibration) notes.push(pack.calibrated({ field: criterionLabel(rules, s.criterion, lang), from: s.current, to: s.suggested, count: s.basis.values }));
  if (calibration.length > 0) rules = applyCalibration(rules, calibration);
  for (const h of hints) notes.push(pack.scaleHint({ field: criterionLabel(rules, h.criterion, lang), target: h.target, p90: h.p90 }));
  // A workbook remembers the columns the user named (--map), as headers of its criteria.
  const remembered = rememberMapping(rules, mapping);
  if (remembered !== rules) notes.push(pack.mappingRemembered());
  rules = remembered;

  if (options.formulas) requirePortable(rules, lang, pack);
  return { rules, resolved, ready, scoredOnPresent, changed: rules !== resolved, notes };
}
