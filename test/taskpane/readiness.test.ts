/**
 * The pane's path from an order-line export to scored accounts (issue 8): the roll-up offer, the
 * readiness of the rolled-up data, the choice to score on the criteria present, and what Apply
 * writes (the reduced rule set in the readable rules sheet, read back without loss).
 */
import { rowFlags, rulesFromTable } from '../../src/engine';
import { MemoryGateway, type MemorySheet } from '../../src/gateway/memory';
import { RULES_SHEET } from '../../src/gateway/types';
import { demoOrderLines, demoOrdersWorkbook } from '../../src/taskpane/demo/workbook';
import { UI_PACKS } from '../../src/taskpane/i18n';
import { KamSession } from '../../src/taskpane/session';

for (const lang of ['en', 'zh'] as const) {
  describe(`order lines to accounts, scored on the criteria present (${lang})`, () => {
    const t = UI_PACKS[lang];

    it('offers the roll-up, rolls up on a new sheet, says what is absent, and applies the reduced rules', async () => {
      const book = demoOrdersWorkbook(lang);
      const gateway = new MemoryGateway(book);
      const session = new KamSession(gateway, lang);
      await session.open();
      const lines = demoOrderLines(lang).length - 1;
      expect(session.orderLines()).toEqual({ lines, accounts: 12 });

      const rolled = await session.rollUpToSheet(t.rollupSheet, t.rollupHeaders);
      expect(rolled).toMatchObject({ ok: true, sheet: t.rollupSheet, lines, accounts: 12 });
      expect(book.sheet(lang === 'zh' ? '订单' : 'Orders')?.usedRect()?.rowCount).toBe(lines + 1);
      expect(session.region?.sheet).toBe(t.rollupSheet);
      expect(session.region?.rowCount).toBe(12);
      expect(session.orderLines()).toBeNull();

      // Sales, margin and growth came from the roll-up: the other four are absent, 45% of the weight.
      const ready = session.readiness();
      expect(ready?.absent).toEqual(['wallet', 'paymentDays', 'access', 'openness']);
      expect(ready?.absentShare).toBeCloseTo(0.45, 10);
      expect(ready?.allInsufficient).toBe(true);
      expect(session.preview()?.counts.insufficient).toBe(12);
      // Absent columns are said once, not in every row's flags.
      const result = session.result;
      if (!result) throw new Error('no result');
      for (let r = 0; r < result.rowCount; r++) expect(rowFlags(result, r).filter((f) => f.kind === 'message' && f.id === 'missingData')).toEqual([]);

      expect(session.scoreOnPresent((name) => t.reducedRulesName({ name }))).toBe(true);
      expect(session.rules.criteria.map((c) => [c.id, c.weight])).toEqual([
        ['sales', 36.3],
        ['margin', 36.4],
        ['growth', 27.3],
      ]);
      expect(session.preview()?.counts.insufficient).toBe(0);

      const report = await session.apply({ mode: 'values', colours: true, filter: 'autoFilter' });
      expect(report.reduction?.absent).toEqual(['wallet', 'paymentDays', 'access', 'openness']);
      // The readable rules sheet, in the pane's language, reads back as the reduced rule set.
      const rulesSheet = book.sheet(RULES_SHEET) as MemorySheet;
      const cells = rulesSheet.read(rulesSheet.usedRect() as NonNullable<ReturnType<MemorySheet['usedRect']>>);
      const back = rulesFromTable(cells, lang);
      expect(back.ok && back.rules).toEqual(session.rules);
      // Reopened, the workbook's rules are the reduced ones.
      const reopened = new KamSession(new MemoryGateway(book), lang);
      await reopened.open();
      expect(reopened.rules).toEqual(session.rules);
      expect(reopened.rulesOrigin).toEqual({ kind: 'workbook', sheet: RULES_SHEET });

      // Going back restores the full rule set.
      session.scoreOnAll();
      expect(session.rules.criteria).toHaveLength(7);
      expect(session.reduction).toBeNull();
    });
  });
}
