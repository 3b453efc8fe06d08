import { cellAddress, columnLetters, EXCEL_ERRORS, isBlankCell, isExcelError, PLANNING_INPUTS, coerceInput } from '../../src/engine';

describe('the shared cell vocabulary', () => {
  it('a blank cell is nothing or only spaces; 0, false and text are not blank', () => {
    for (const blank of [null, undefined, '', ' ', '\t ']) expect([blank, isBlankCell(blank)]).toEqual([blank, true]);
    for (const filled of [0, false, 'x', ' 0 ', '#N/A']) expect([filled, isBlankCell(filled)]).toEqual([filled, false]);
  });

  it("knows Excel's error texts exactly as Excel writes them", () => {
    for (const e of EXCEL_ERRORS) expect(isExcelError(e)).toBe(true);
    for (const not of ['#n/a', 'N/A', '#VALUE', '', null, 7]) expect([not, isExcelError(not)]).toEqual([not, false]);
  });

  it('column letters go A..Z, AA..AZ, BA, and on to XFD', () => {
    expect([0, 1, 25, 26, 27, 51, 52, 701, 702, 16383].map(columnLetters)).toEqual(['A', 'B', 'Z', 'AA', 'AB', 'AZ', 'BA', 'ZZ', 'AAA', 'XFD']);
    expect(cellAddress({ row: 0, col: 27 })).toBe('AB1');
  });

  it('an index that is no whole number from 0 up has no letters (and Infinity does not loop)', () => {
    expect([-1, 1.5, Infinity, -Infinity, NaN].map(columnLetters)).toEqual(['', '', '', '', '']);
    expect(columnLetters(Number.MAX_SAFE_INTEGER)).toMatch(/^[A-Z]{11,12}$/);
  });

  it('planning inputs refuse what cannot be hours, a 0–100 axis or months', () => {
    expect(coerceInput(-1, PLANNING_INPUTS.capacity).kind).toBe('problem');
    expect(coerceInput(101, PLANNING_INPUTS.strength).kind).toBe('problem');
    expect(coerceInput(101, PLANNING_INPUTS.attractiveness).kind).toBe('problem');
    expect(coerceInput('4', PLANNING_INPUTS.months)).toEqual({ kind: 'value', value: 4 });
  });
});
