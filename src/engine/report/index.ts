/**
 * The report: what KAM writes for a scored set of accounts (result columns, flags, the summary
 * sheet) and how contacts and needs are matched to the accounts. Used by the task pane and by
 * `kam`, so one workbook gets one answer from both.
 */
export { looksLikeContacts, looksLikeNeeds, matchRelations, pickRelationTables, type MatchedRelations, type RelationTable } from './relations';
export {
  RESULT_KEYS,
  STRENGTH_FIELD,
  STRENGTH_ALIASES,
  STRENGTH_LABEL,
  hasStrength,
  readStrength,
  reportColumns,
  reportText,
  rowFlagText,
  strengthAt,
  verdictsOf,
  readinessOfRun,
  type RunReadiness,
  type ReportColumn,
  type ReportInput,
  type ResultKey,
  type RowRelations,
  type RowVerdicts,
} from './result-columns';
export {
  CAPACITY_SPEC,
  capacityOf,
  outcomeCounts,
  portfolioPoints,
  seniorVisits,
  summarySheet,
  summaryWarnings,
  SUMMARY_STRINGS,
  SUMMARY_TEXTS,
  summaryStringsOf,
  type PortfolioPoint,
  type SeniorVisit,
  type SummaryBlock,
  type SummaryChart,
  type SummarySheet,
  type SummaryStrings,
  type SummaryTexts,
} from './summary';
export { chartColours, QUADRANT_TIER, TIER_PALETTE, tierColours, type TierColour } from './palette';
