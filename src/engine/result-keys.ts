/**
 * The result columns KAM writes beside the data, in the order they are written: the one list.
 * The report names them in lower case (the keys of the column labels in LABEL_PACKS); the workbook
 * marks them in upper case (`KAM_RESULT_SCORE`, see marks.ts). Keys are stable: workbooks store them.
 */
export const RESULT_KEYS = ['score', 'tier', 'flags', 'priority', 'hours', 'coverage', 'quadrant'] as const;
export type ResultKey = (typeof RESULT_KEYS)[number];

/** A result key as a workbook mark spells it. */
export type MarkKey = Uppercase<ResultKey>;
export const MARK_KEYS: readonly MarkKey[] = RESULT_KEYS.map((key) => key.toUpperCase() as MarkKey);
