/**
 * The gateway's pure layout decisions: addresses, header detection, KAM's own columns, where new
 * columns go, payload estimates and chunking, and Excel's typing rules for texts.
 */
import fc from 'fast-check';
import {
  cellPayloadBytes,
  columnLetters,
  describeRegion,
  excelInputKind,
  kamColumnKey,
  looksLikeHeader,
  needsTextFormat,
  newColumnBlocks,
  nextReadRows,
  parseRangeA1,
  placeColumns,
  planChunks,
  quoteSheet,
  r1c1ToA1,
  placeSummaryBlocks,
  resultCellFormat,
  resultHeader,
  resultMark,
  resultMarks,
  lookalikeColumns,
  scatterRuns,
  rangeA1,
  rowPayloadBytes,
} from '../../src/gateway/layout';
import type { Cell } from '../../src/gateway/types';

describe('addresses', () => {
  it('names columns and ranges as Excel does', () => {
    expect([0, 25, 26, 51, 52, 701, 702, 16383].map(columnLetters)).toEqual(['A', 'Z', 'AA', 'AZ', 'BA', 'ZZ', 'AAA', 'XFD']);
    expect(rangeA1(0, 0, 1, 1)).toBe('A1');
    expect(rangeA1(4, 2, 10, 3)).toBe('C5:E14');
  });

  it('quotes sheet names only when a formula needs it', () => {
    expect(quoteSheet('Accounts')).toBe('Accounts');
    expect(quoteSheet('客户')).toBe('客户');
    expect(quoteSheet('KAM Rules')).toBe("'KAM Rules'");
    expect(quoteSheet("Bob's")).toBe("'Bob''s'");
    expect(quoteSheet('A1')).toBe("'A1'");
    expect(quoteSheet('2024')).toBe("'2024'");
  });

  it('parses what it writes', () => {
    expect(parseRangeA1("'KAM Rules'!$A$1:$T$62".replace(/\$/g, ''))).toEqual({ sheet: 'KAM Rules', row: 0, col: 0, rowCount: 62, colCount: 20 });
    expect(parseRangeA1('B3')).toEqual({ sheet: null, row: 2, col: 1, rowCount: 1, colCount: 1 });
    expect(parseRangeA1('nonsense')).toBeNull();
  });

  it('turns R1C1 references into A1 for a given cell', () => {
    expect(r1c1ToA1('=KAM.SCORE(RC2,RC[-1],R1C1,KAM_RULES)', 4, 5)).toBe('=KAM.SCORE($B5,E5,$A$1,KAM_RULES)');
  });
});

describe('the header row and KAM’s own columns', () => {
  it('takes a row of texts as the header, not a row with numbers', () => {
    expect(looksLikeHeader(['Customer', 'Sales', '', 'Margin'])).toBe(true);
    expect(looksLikeHeader(['Customer', 2024])).toBe(false);
    expect(looksLikeHeader(['Customer', '2024'])).toBe(false);
    expect(looksLikeHeader(['', null])).toBe(false);
  });

  it('knows its column headers in English and Chinese, whatever the spacing or case', () => {
    expect(kamColumnKey('KAM Score')).toBe('score');
    expect(kamColumnKey('kam  score')).toBe('score');
    expect(kamColumnKey('KAM 等级')).toBe('tier');
    expect(kamColumnKey('KAM Hours/Month')).toBe('hours');
    expect(kamColumnKey('Score')).toBeNull();
    expect(kamColumnKey(3)).toBeNull();
  });

  it('reads the marks of result columns: sheet-scoped names on this header row only', () => {
    const marks = resultMarks(
      [
        { name: 'KAM_RESULT_SCORE', formula: "='S'!$E$3" },
        { name: 'kam_result_tier', formula: '=S!$C$3' },
        { name: 'KAM_RESULT_FLAGS', formula: '=S!$F$9' },
        { name: 'KAM_RESULT_HOURS', formula: '=#REF!' },
        { name: 'KAM_RESULT_OTHER', formula: '=S!$G$3' },
        { name: 'KAM_RULES', formula: '=S!$H$3' },
      ],
      2,
    );
    expect([...marks]).toEqual([
      ['score', 4],
      ['tier', 2],
    ]);
    expect(resultMark("Bob's", 2, 'quadrant', 27)).toEqual({ name: 'KAM_RESULT_QUADRANT', reference: "='Bob''s'!$AB$3" });
  });

  it('keeps a user column titled like ours as the user’s, and titles ours beside it differently', () => {
    const region = describeRegion({ sheet: 'S', table: null, headerRow: 0, firstColumn: 0, headers: ['Customer', 'KAM Tier', 'kam-score'], rowCount: 3 });
    expect(region.kamColumns).toEqual({});
    expect(lookalikeColumns(region)).toEqual(['KAM Tier', 'kam-score']);
    expect(resultHeader(region, 'KAM Tier')).toBe('KAM Tier (kam)');
    expect(resultHeader(region, 'KAM Flags')).toBe('KAM Flags');
  });

  it('reuses KAM columns in place and puts new ones right after the region', () => {
    const marks = new Map([
      ['tier', 2],
      ['score', 4],
    ] as const);
    const region = describeRegion({ sheet: 'S', table: null, headerRow: 2, firstColumn: 1, headers: ['Customer', 'KAM Tier', 'Sales', 'KAM Score'], rowCount: 10, marks });
    expect(region.kamColumns).toEqual({ tier: 2, score: 4 });
    expect(region.columns.map((c) => c.index)).toEqual([1, 3]);
    expect(region.address).toBe('S!B3:E13');
    const placed = placeColumns(region, ['score', 'tier', 'flags', 'priority']);
    expect(placed).toEqual([
      { key: 'score', column: 4, existing: true },
      { key: 'tier', column: 2, existing: true },
      { key: 'flags', column: 5, existing: false },
      { key: 'priority', column: 6, existing: false },
    ]);
    expect(newColumnBlocks(placed)).toEqual([{ first: 5, count: 2 }]);
  });
});

describe('payload size', () => {
  it('counts JSON bytes, escapes at their worst', () => {
    expect(cellPayloadBytes(12.5)).toBe(5);
    expect(cellPayloadBytes('ab')).toBe(5);
    expect(cellPayloadBytes('战略')).toBe(15);
    expect(cellPayloadBytes(null)).toBe(5);
  });

  it('never underestimates a row of cells in JSON', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null)), { minLength: 1, maxLength: 8 }), (row) => {
        const columns = row.map((v) => [v as Cell]);
        expect(rowPayloadBytes(columns, 0)).toBeGreaterThanOrEqual(Buffer.byteLength(JSON.stringify(row), 'utf8'));
      }),
    );
  });

  it('cuts rows into consecutive chunks within the budget', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 500 }), { maxLength: 300 }), fc.integer({ min: 500, max: 5000 }), (sizes, budget) => {
        const chunks = planChunks(sizes.length, (r) => sizes[r] as number, budget);
        let next = 0;
        for (const c of chunks) {
          expect(c.start).toBe(next);
          expect(c.count).toBeGreaterThan(0);
          expect(c.bytes).toBeLessThanOrEqual(budget);
          next += c.count;
        }
        expect(next).toBe(sizes.length);
      }),
    );
  });

  it('sizes reads cautiously first, then from the largest row seen', () => {
    expect(nextReadRows(null, 8, 3_670_016)).toBe(3584);
    expect(nextReadRows(100, 8, 3_670_016)).toBe(18350);
  });
});

describe('Excel’s typing rules', () => {
  it('knows which texts Excel would turn into something else', () => {
    expect(['=SUM(A1)', '1e5', '12%', '1,200', '$5', 'TRUE', '1/2', '2024-01-31', '#N/A', 'Strategic', '战略大客户'].map(excelInputKind)).toEqual([
      'formula',
      'number',
      'number',
      'number',
      'number',
      'boolean',
      'date',
      'date',
      'error',
      'text',
      'text',
    ]);
  });

  it('protects those texts, and the ones starting with = + - @ or an apostrophe', () => {
    for (const t of ['=Top', '1e5', '+1', '-x', '@home', "'q", ' padded', '0012', 'true']) expect(needsTextFormat(t)).toBe(true);
    for (const t of ['Strategic', 'kam-rules', '大客户', 'sells below cost']) expect(needsTextFormat(t)).toBe(false);
  });
});

describe('what both gateways share', () => {
  it('never gives a formula cell the Text format; gives value text columns Text', () => {
    expect(resultCellFormat({ kind: 'text', formulaR1C1: '=KAM.TIER(RC2)' })).toBe('General');
    expect(resultCellFormat({ kind: 'number', numberFormat: '0.0', formulaR1C1: '=KAM.SCORE(RC2)' })).toBe('0.0');
    expect(resultCellFormat({ kind: 'text' })).toBe('@');
    expect(resultCellFormat({ kind: 'number' })).toBe('General');
  });

  it('knows the texts Excel turns into times, negatives and fractions', () => {
    expect(['12:30', '9:05 pm', '(5)', '($1,200.50)', '1 1/2', '-$5', '$ 5'].map(excelInputKind)).toEqual(['date', 'date', 'number', 'number', 'number', 'number', 'number']);
  });

  it('lays the summary out: title, blank row, then title, header and rows per block, with a gap', () => {
    const placed = placeSummaryBlocks({
      title: 'S',
      blocks: [
        {
          id: 'a',
          title: 'A',
          header: ['x', 'y'],
          rows: [
            [1, 2],
            [3, 4],
          ],
          formats: ['0', '0'],
        },
        { id: 'b', title: 'B', header: ['x'], rows: [], formats: ['0'] },
      ],
      charts: [],
    });
    expect([...placed]).toEqual([
      ['a', { row: 4, rowCount: 2, width: 2 }],
      ['b', { row: 9, rowCount: 0, width: 1 }],
    ]);
  });

  it('makes one scatter series per run of equal values', () => {
    expect(
      scatterRuns(
        [
          ['a', 'Star'],
          ['b', 'Star'],
          ['c', 'Develop'],
          ['d', 'Star'],
        ],
        1,
      ),
    ).toEqual([
      { name: 'Star', start: 0, count: 2 },
      { name: 'Develop', start: 2, count: 1 },
      { name: 'Star', start: 3, count: 1 },
    ]);
  });
});
