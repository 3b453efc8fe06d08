/**
 * The KAM rules engine: pure functions over plain data, with no Office, DOM or Node imports
 * (its tsconfig gives it neither library). Every surface (custom functions, task pane, command
 * line, Node library users) goes through this API.
 */
export * from './types';
export { MIN_WEIGHT_SUM, MAX_WEIGHT_SUM } from './rules/schema';
export { RULES_SCHEMA_ID, RULES_VERSION, MAX_CRITERIA, MAX_KNOCKOUTS, UNITS, OPERATORS } from './rules/schema';
export type { RuleSet, RuleSetInput, Criterion, Knockout, Unit, Operator } from './rules/schema';
export { defaultRules } from './rules/defaults';
export { parseRules, formatPath, type RuleIssue, type RulesResult } from './rules/validate';
export { RULE_ISSUE_PACKS, type RuleIssueKey, type RuleIssueParams } from './rules/issues';
export { rulesToTable, rulesFromTable, cellAddress, RULES_SHEET, RULES_NAME, type RulesTable, type CellRef, type TableIssue, type TableRulesResult } from './rules/table';
export { coerceInput, checkRange, type Coerced, type FieldSpec } from './coerce';
export { isBlankCell, isExcelError, EXCEL_ERRORS, columnLetters, PLANNING_INPUTS, type ExcelErrorText } from './cells';
// compileRules and curvePoints are the kernel's internals (they take compiled rules): not API.
export { roundScore, type CompiledRules } from './compile';
export { scoreColumns, columnsFromAccounts, countOutcomes, outcomeAt, missingMessage, OUTCOME_CODE, type ColumnInput, type BatchResult, type BatchOptions } from './batch';
export {
  evaluate,
  evaluateBatch,
  explainRow,
  rowFlags,
  rowFlagsKey,
  flagText,
  flagsText,
  outcomeLabel,
  criterionLabel,
  type Evaluation,
  type CriterionExplanation,
  type Flag,
  type Verdict,
  type BatchEvaluation,
} from './evaluate';
export { growthFromSeries, type GrowthResult } from './growth';
export { relationshipCoverage, readContact, type ContactInput, type Contact, type Coverage, type DecisionMakerStatus } from './relationships';
export {
  needsBalance,
  horizonBucket,
  horizonBucketLabels,
  hoursPerMonth,
  needsSeniorVisit,
  planFlags,
  capacityPlan,
  capacityTotals,
  priorityRanks,
  portfolioQuadrant,
  portfolioWarnings,
  QUADRANT_IDS,
  type NeedInput,
  type NeedsBalance,
  type CapacityPlan,
  type CapacityTotals,
  type QuadrantId,
} from './plan';
export {
  suggestCalibration,
  suggestFromPercentiles,
  calibrationCriteria,
  applyCalibration,
  percentile,
  percentileAt,
  niceRound,
  scaleHints,
  scaleHintsFromPercentiles,
  readiness,
  rulesForPresent,
  type CalibrationSuggestion,
  type AmountPercentile,
  type ScaleHint,
  type Readiness,
} from './calibrate';
export { calibrationAmounts, type CalibrationAmounts } from './calibrate';
export { CURRENCY_FIELD } from './currency';
export {
  matchColumns,
  accountFields,
  readHeader,
  matchPeriodColumns,
  deriveValue,
  rememberMapping,
  MEASURE_WORDS,
  ACCOUNT_ALIASES,
  CONTACT_FIELDS,
  NEED_FIELDS,
  type ColumnMatch,
  type ColumnMatching,
  type HeaderPeriod,
  type HeaderReading,
  type DerivedColumn,
  type PeriodMatching,
} from './columns';
export { parseCsv, writeCsv, csvField, detectDelimiter, CsvReader, MAX_RECORD_LENGTH, type CsvRecord, type CsvDelimiter, type CsvParse, type CsvWriteOptions } from './csv';
export { normalizeWord, wordHash, readWord, readYesNo, ROLE_WORDS, STANCE_WORDS, INFLUENCE_WORDS, HORIZON_WORDS } from './words';
export { formatMessage, formatMessageWithoutField, message, MESSAGE_PACKS, type Message, type MessageKey, type MessageParams, type MessagePack } from './i18n/messages';
export { LABEL_PACKS, type LabelPack } from './i18n/labels';
export { RESULT_MARK_PREFIX, RESULT_KEYS, resultMarkName, resultKeyOfName, markedColumn, markReference, type ResultKey } from './marks';
export { SUMMARY_MARK_NAME } from './marks';
export {
  rollUp,
  parsePeriod,
  repeatedAccounts,
  addMonths,
  dayOf,
  isoDay,
  ORDER_LINE_FIELDS,
  ROLLUP_FLAG_TEXT,
  type AccountRollup,
  type RollupResult,
  type RollupOptions,
  type RollupFlag,
  type RollupProblem,
  type PeriodSpec,
  type DayWindow,
  type OrderLineField,
} from './rollup';
export { rulesToSql, SQL_RESULT_COLUMNS, SQL_DIALECTS, type SqlOptions, type SqlDialect } from './sql';
export { rulesFingerprint, canonicalRules, canonicalJson, sha256Hex } from './fingerprint';
export { rulesDiff, ruleValueText, type RuleDifference } from './rules/diff';
export { runRecordProperties, readRunRecord, RUN_RECORD_KEYS, type RunRecord } from './run-record';
export { portableFormulas, ruleReferences, PORTABLE_FUNCTIONS, MAX_FORMULA_LENGTH, type PortableOptions, type PortableFormulas, type RuleReferenceOptions } from './portable';
