/**
 * The report module (src/engine/report): contacts and needs matched to accounts, which tables look
 * like contacts or needs, and the invariants of the result columns for any verdicts.
 */
import fc from 'fast-check';
import { defaultRules, OUTCOME_IDS, type CellValue, type OutcomeId } from '../../src/engine';
import {
  looksLikeContacts,
  looksLikeNeeds,
  matchRelations,
  pickRelationTables,
  readStrength,
  reportColumns,
  RESULT_KEYS,
  summarySheet,
  SUMMARY_STRINGS,
  type ReportInput,
} from '../../src/engine/report';

const rules = defaultRules();

describe('matchRelations', () => {
  const contacts = {
    headers: ['客户', 'Name', 'Role', 'Stance'],
    rows: [
      ['  contoso ltd ', 'Ann', 'economic', 'supporter'],
      ['ＣＯＮＴＯＳＯ LTD', 'Bob', 'coach', 'supporter'],
      ['Northwind', 'Cy', 'user', 'neutral'],
      ['', 'Nobody', 'user', 'neutral'],
      ['Fabrikam', 'Dee', 'economic', 'sometimes'],
    ] as CellValue[][],
  };

  it('matches by normalised name (case, width, spaces), lists names the accounts lack, and reports unreadable cells', () => {
    const matched = matchRelations(['Contoso Ltd', 'Fabrikam', null, 'Contoso Ltd'], contacts, null, rules);
    expect(matched.coverage.map((c) => c?.contacts)).toEqual([2, 0, 0, 2]);
    expect(matched.coverage[0]).toMatchObject({ decisionMaker: 'engaged', hasCoach: true });
    expect(matched.unmatchedAccounts).toEqual(['Northwind']);
    // Fabrikam's only contact has a stance nobody can read: left out, and said so.
    expect(matched.problems).toHaveLength(1);
    expect(matched.needs).toEqual([null, null, null, null]);
    expect([matched.hasContacts, matched.hasNeeds]).toEqual([true, false]);
  });

  it('gives every account a needs balance once a needs table is given, empty when it lists none', () => {
    const needs = { headers: ['Account', 'Need', 'Horizon', 'Months'], rows: [['Fabrikam', 'lower price', 'short', 2]] as CellValue[][] };
    const matched = matchRelations(['Contoso', 'Fabrikam'], null, needs, rules);
    expect(matched.needs).toEqual([
      { short: 0, long: 0, earliestMonths: null, problems: [] },
      { short: 1, long: 0, earliestMonths: 2, problems: [] },
    ]);
    expect(matched.coverage).toEqual([null, null]);
  });
});

describe('which tables hold contacts and needs', () => {
  it('recognises them by their headers, in either language, and takes the first of each', () => {
    expect(looksLikeContacts(['客户', '姓名', '角色'])).toBe(true);
    expect(looksLikeContacts(['Account', 'Name'])).toBe(false);
    expect(looksLikeNeeds(['Customer', 'Need', 'Horizon'])).toBe(true);
    const picked = pickRelationTables([
      { source: 'Accounts', headers: ['Customer', 'Annual sales'] },
      { source: 'People', headers: ['Account', 'Contact', 'Stance'] },
      { source: 'Plans', headers: ['Account', 'Term'] },
      { source: 'People 2', headers: ['Account', 'Name', 'Role'] },
    ]);
    expect(picked).toEqual({ contacts: 'People', needs: 'Plans' });
  });
});

it('reads a strength as every input is read, never guessing a percentage', () => {
  expect([80, '６５', '12,5', '50%', 'strong', 150, '', null].map(readStrength)).toEqual([80, 65, 12.5, null, null, null, null, null]);
});

describe('the result columns, for any verdicts', () => {
  const verdicts = fc.array(
    fc.record({
      outcome: fc.constantFrom(...OUTCOME_IDS),
      score: fc.option(fc.double({ min: 0, max: 100, noNaN: true }), { nil: null }),
      strength: fc.option(fc.double({ min: 0, max: 100, noNaN: true }), { nil: null }),
    }),
    { maxLength: 30 },
  );
  const input = (rows: Array<{ outcome: OutcomeId; score: number | null; strength: number | null }>, withStrength: boolean): ReportInput => ({
    rules,
    lang: 'en',
    verdicts: { outcomes: rows.map((r) => r.outcome), scores: rows.map((r) => (r.outcome === 'invalid' ? null : r.score)), flags: rows.map(() => '') },
    accounts: rows.map((_, i) => `A${i}`),
    strength: withStrength ? rows.map((r) => r.strength) : null,
  });

  it('one value per row, priority a ranking 1..n, a quadrant exactly when there is a score and a strength', () => {
    fc.assert(
      fc.property(verdicts, fc.boolean(), (rows, withStrength) => {
        const columns = reportColumns(input(rows, withStrength));
        expect(columns.map((c) => c.key)).toEqual(RESULT_KEYS.filter((k) => k !== 'coverage' && (withStrength || k !== 'quadrant')));
        for (const c of columns) expect(c.values).toHaveLength(rows.length);
        const priority = columns.find((c) => c.key === 'priority')?.values as number[];
        expect([...priority].sort((a, b) => a - b)).toEqual(rows.map((_, i) => i + 1));
        const quadrant = columns.find((c) => c.key === 'quadrant');
        rows.forEach((r, i) => {
          const placed = r.outcome !== 'invalid' && r.score !== null && r.strength !== null;
          if (quadrant) expect(quadrant.values[i] !== '').toBe(placed);
        });
      }),
    );
  });

  it('the summary counts every row once and plots the rows that have a quadrant', () => {
    fc.assert(
      fc.property(verdicts, (rows) => {
        const summary = summarySheet(input(rows, true), null, SUMMARY_STRINGS.en);
        const tiers = summary.blocks.find((b) => b.id === 'tiers');
        expect(tiers?.rows.reduce((n, r) => n + (r[1] as number), 0)).toBe(rows.length);
        const plotted = rows.filter((r) => r.outcome !== 'invalid' && r.score !== null && r.strength !== null).length;
        expect(summary.blocks.find((b) => b.id === 'portfolio')?.rows.length ?? 0).toBe(plotted);
      }),
    );
  });
});
