/** The Explain tab: why one account got its score and tier. */
import { LABEL_PACKS, type Evaluation } from '../../engine';
import { button, h, messageBar, replace, table, textField } from '../dom';
import { PaneTab } from './pane';
import { tierChip } from './shared';

export class ExplainTab extends PaneTab {
  private explained: { row: number; evaluation: Evaluation } | null = null;
  private explainNote: string | null = null;

  /** New data: the explanation no longer describes it. */
  forget(): void {
    this.explained = null;
  }

  /** Rescored: the shown account's explanation follows the rules. */
  rescore(): void {
    if (this.explained) this.explained = { row: this.explained.row, evaluation: this.pane.session.explain(this.explained.row) as Evaluation };
    this.pane.render('explain');
  }

  render(): void {
    const t = this.pane.t;
    const s = this.pane.session;
    const lang = this.pane.lang;
    const L = LABEL_PACKS[lang].explanation;
    const panel = this.panel;
    let rowText = '';
    const parts: Array<HTMLElement | null> = [
      h('h2', {}, t.explainHeading),
      h(
        'div',
        { class: 'row' },
        button(t.explainSelected, () => void this.explainActive(), { appearance: 'primary', 'data-action': 'explain', 'data-testid': 'explain-selected' }),
      ),
      h(
        'div',
        { class: 'row' },
        textField({ label: t.explainRowLabel, name: 'explain-row', value: '', inputMode: 'decimal', size: 6, onInput: (v) => (rowText = v) }),
        button(t.explainButton, () => this.explainSheetRow(rowText), { 'data-action': 'explain-row', 'data-testid': 'explain-row' }),
      ),
    ];
    if (this.explainNote) parts.push(messageBar('warning', this.explainNote, { 'data-testid': 'explain-note' }));
    const ex = this.explained;
    if (ex) {
      const e = ex.evaluation;
      const fmt = (x: number | null, digits = 1): string => (x === null ? '—' : String(Math.round(x * 10 ** digits) / 10 ** digits));
      const rows = e.criteria.map((c) => [c.label[lang], c.status === 'ok' ? fmt(c.input, 4) : t.status[c.status], fmt(c.points), fmt(c.weight), fmt(c.contribution, 2)]);
      parts.push(
        h(
          'div',
          { class: 'explanation', 'data-testid': 'explanation' },
          h('h3', { tabindex: -1, 'data-testid': 'explanation-title' }, t.explainTitle({ account: s.accountName(ex.row), row: s.sheetRow(ex.row) })),
          h(
            'p',
            { class: 'verdict' },
            tierChip(e.outcome, this.pane.label(e.outcome), { 'data-testid': 'explain-tier' }),
            ' ',
            t.explainScore({ score: e.score === null ? t.noScore : String(e.score), tier: this.pane.label(e.outcome) }),
          ),
          table([L.criterion, L.input, L.points, L.weight, L.contribution], rows, { 'data-testid': 'explain-table' }),
          h('p', { class: 'info' }, t.presentShare({ share: `${Math.round(e.presentShare * 1000) / 10}%` })),
          e.knockouts.length > 0 ? h('h4', {}, t.explainKnockouts) : null,
          e.knockouts.length > 0 ? h('ul', {}, ...e.knockouts.map((k) => h('li', {}, k.reason[lang]))) : null,
          h('h4', {}, t.explainFlags),
          h('p', { 'data-testid': 'explain-flags' }, s.flagMessages(ex.row) || '—'),
        ),
      );
    }
    replace(panel, ...parts);
  }

  private async explainActive(): Promise<void> {
    let row: number | null = null;
    await this.pane.run(async () => {
      row = await this.pane.session.activeRow();
    });
    this.explainRow(row);
  }

  private explainSheetRow(text: string): void {
    const n = Number(text.trim());
    const row = Number.isInteger(n) ? n - this.pane.session.sheetRow(0) : null;
    this.explainRow(row);
  }

  private explainRow(row: number | null): void {
    const evaluation = row === null ? null : this.pane.session.explain(row);
    if (row === null || !evaluation) {
      this.explained = null;
      this.explainNote = this.pane.t.explainOutside;
    } else {
      this.explained = { row, evaluation };
      this.explainNote = null;
    }
    this.pane.render('explain');
    const { t } = this.pane;
    if (this.explained) {
      // The answer is what the user asked for: focus goes to its heading, the verdict is said once.
      const e = this.explained.evaluation;
      this.pane.focusSoon('[data-testid="explanation-title"]');
      this.pane.announce(t.explainScore({ score: e.score === null ? t.noScore : String(e.score), tier: this.pane.label(e.outcome) }));
    } else if (this.explainNote) this.pane.announce(this.explainNote);
  }
}
