/** The Data tab: which data, how its columns map to the criteria, and the relationship sheets. */
import { LABEL_PACKS } from '../../engine';
import type { WorkOptions } from '../../gateway/types';
import { button, dropdown, h, messageBar, radioGroup, replace, uid, type Choice } from '../dom';
import { listOf } from '../i18n';
import { PaneTab } from './pane';
import { choiceOf, choiceValue, sourceChoice } from './shared';

/** A weight share as people read it: 0.45 → "45%". */
function percent(share: number): string {
  return `${Math.round(share * 1000) / 10}%`;
}

export class DataTab extends PaneTab {
  private sourceValue = 'selection';
  private contactsValue = '';
  private needsValue = '';

  render(): void {
    const { t, session: s, lang } = this.pane;
    const sourceChoices: Choice[] = [{ value: 'selection', text: t.sourceSelection }, ...s.sources.map((src) => sourceChoice(src, t))];
    const region = s.region;
    const parts: Array<HTMLElement | null> = [
      h('h2', {}, t.dataHeading),
      h(
        'div',
        { class: 'row' },
        dropdown({ label: t.sourceLabel, name: 'source', value: this.sourceValue, choices: sourceChoices, onChange: (v) => (this.sourceValue = v) }),
        button(t.useData, () => void this.useSource(), { appearance: 'primary', 'data-action': 'use-data', 'data-testid': 'use-data' }),
      ),
    ];
    if (region) {
      parts.push(h('p', { class: 'info', 'data-testid': 'region-info' }, t.regionInfo({ address: region.address, rows: region.rowCount })));
      const existing = Object.keys(region.kamColumns) as Array<keyof typeof region.kamColumns>;
      if (existing.length > 0)
        parts.push(
          h(
            'p',
            { class: 'info' },
            t.existingKam({
              columns: listOf(
                existing.map((k) => LABEL_PACKS[lang].column[k]),
                lang,
              ),
            }),
          ),
        );
      const lines = s.orderLines();
      if (lines) {
        // Order lines scored as they are would count every line as an account: offer the roll-up first.
        parts.push(
          h(
            'div',
            { class: 'rollup', 'data-testid': 'order-lines' },
            messageBar('warning', t.orderLines(lines)),
            button(t.rollUp, () => void this.rollUp(), { 'data-action': 'rollup', 'data-testid': 'rollup' }),
          ),
        );
      }
      parts.push(this.mappingSection(), this.relationsSection());
    }
    replace(this.panel, ...parts);
  }

  private mappingSection(): HTMLElement {
    const { t, session: s, lang } = this.pane;
    const region = s.region;
    const headers = [...new Set((region?.columns ?? []).map((c) => c.header).filter((x) => x !== ''))];
    const problems = s.fieldProblems();
    const fieldLabel = (id: string): string => s.fields().find((f) => f.id === id)?.label[lang] ?? id;
    const rows = s.fields().map((f) => {
      const match = s.matches[f.id];
      const missing = !match && f.kind === 'criterion';
      const own = problems.filter((p) => p.field === f.id);
      const messages = own.map((p) => {
        if (p.kind === 'duplicate') return t.duplicateColumn({ field: f.label[lang], other: fieldLabel(p.other ?? ''), header: p.header ?? '' });
        if (p.kind === 'badMapping') return t.badMapping({ field: f.label[lang], header: p.header ?? '' });
        if (p.kind === 'ambiguous')
          return t.ambiguousColumn({ field: f.label[lang], headers: (p.headers ?? []).map((h) => (lang === 'zh' ? `“${h}”` : `"${h}"`)).join(lang === 'zh' ? '、' : ', ') });
        const example = p.example ? s.text(p.example) : '';
        const prefix = `${f.label[lang]}${lang === 'zh' ? ':' : ': '}`;
        return t.unreadableColumn({ field: f.label[lang], count: p.count ?? 0, of: p.of ?? 0, example: example.startsWith(prefix) ? example.slice(prefix.length) : example });
      });
      const errorId = messages.length > 0 ? uid('map-err') : undefined;
      const control = dropdown({
        label: f.label[lang],
        errorId,
        name: `map-${f.id}`,
        value: match?.header ?? '',
        choices: [{ value: '', text: t.notUsed }, ...headers.map((x) => ({ value: x, text: x }))],
        // Fluent dropdowns also report a change when they are drawn: only a different choice counts.
        onChange: (v) => {
          if (v !== (match?.header ?? '')) void this.remap(f.id, v === '' ? null : v);
        },
      });
      const badge = missing
        ? h('fluent-badge', { appearance: 'tint', color: 'danger', 'data-testid': `missing-${f.id}` }, t.missing)
        : (f.kind === 'strength' || f.kind === 'currency') && !match
          ? h('fluent-badge', { appearance: 'tint', color: 'informative' }, t.optional)
          : null;
      return h(
        'div',
        { class: `map-row${missing ? ' missing' : ''}${messages.length > 0 ? ' invalid' : ''}`, 'data-map-field': f.id },
        h('div', { class: 'map-control' }, control, badge),
        messages.length > 0 ? h('div', { class: 'field-error', id: errorId, 'data-testid': `map-error-${f.id}` }, messages.join(' ')) : null,
      );
    });
    return h('div', { class: 'mapping', 'data-testid': 'mapping' }, h('h3', {}, t.mappingHeading), h('p', { class: 'help' }, t.mappingHelp), this.readinessSection(), ...rows);
  }

  /**
   * Readiness, said once: which criteria the data lacks, their share of the weight and what follows,
   * with the choice to score on the criteria present before anything is applied.
   */
  private readinessSection(): HTMLElement | null {
    const { t, session: s, lang } = this.pane;
    const reduction = s.reduction;
    const ready = s.readiness();
    const absent = reduction?.absent ?? ready?.absent ?? [];
    if (absent.length === 0) return null;
    const share = reduction?.absentShare ?? ready?.absentShare ?? 0;
    const names = (ids: readonly string[]): string =>
      listOf(
        ids.map((id) => s.fullLabel(id)),
        lang,
      );
    const summary = t.absentSummary({ fields: names(absent), share: percent(share) });
    let text: string;
    if (reduction)
      text = t.scoredOnPresent({
        absent: names(absent),
        share: percent(share),
        kept: listOf(
          s.rules.criteria.map((c) => `${c.label[lang]} ${c.weight}`),
          lang,
        ),
      });
    else if (ready?.allInsufficient) text = `${summary} ${t.absentAllInsufficient({ required: ready.absentRequired.length > 0 ? names(ready.absentRequired) : null })}`;
    else text = `${summary} ${t.absentBlank}`;
    return h(
      'div',
      { class: 'readiness', 'data-testid': 'readiness' },
      messageBar(reduction ? 'info' : 'warning', text, {
        'data-testid': reduction ? 'reduction-summary' : 'missing-summary',
        'data-all-insufficient': Boolean(ready?.allInsufficient) && !reduction,
      }),
      radioGroup({
        label: t.readinessChoice,
        name: 'readiness',
        value: reduction ? 'present' : 'all',
        choices: [
          { value: 'all', text: t.scoreAll },
          { value: 'present', text: t.scorePresent },
        ],
        onChange: (v) => this.chooseReadiness(v === 'present'),
      }),
    );
  }

  private chooseReadiness(present: boolean): void {
    const { t, session: s } = this.pane;
    if (present === (s.reduction !== null)) return;
    if (present) s.scoreOnPresent((name) => t.reducedRulesName({ name }));
    else s.scoreOnAll();
    this.pane.renderAll();
    this.pane.refreshAfterScoring();
    const said = this.panel.querySelector('[data-testid="readiness"] fluent-message-bar')?.textContent ?? '';
    this.pane.announce(`${said} ${this.pane.tierCountsText()}`);
  }

  private async rollUp(): Promise<void> {
    const { t, session: s } = this.pane;
    this.pane.clearStatus();
    this.pane.forgetResults();
    let outcome: Awaited<ReturnType<typeof s.rollUpToSheet>> | null = null;
    const ok = await this.pane.run(async (work) => {
      outcome = await s.rollUpToSheet(t.rollupSheet, t.rollupHeaders, work);
      if (outcome.ok) {
        this.sourceValue = `sheet:${outcome.sheet}`;
        await this.guessRelations(work);
      }
    });
    this.pane.renderAll();
    const done = outcome as Awaited<ReturnType<typeof s.rollUpToSheet>> | null;
    if (!ok || !done) return;
    if (!done.ok) {
      this.pane.say('error', t.rollupFailed[done.reason], 'rollup');
      return;
    }
    const parts = [t.rolledUp({ lines: done.lines, accounts: done.accounts, sheet: done.sheet, period: done.period })];
    if (done.computed.length > 0) parts.push(t.rollupComputed({ list: listOf(done.computed, this.pane.lang) }));
    if (done.leftOut > 0) parts.push(t.rollupLeftOut({ count: done.leftOut }));
    this.pane.say('success', parts.join(' '), 'rolledUp');
  }

  private relationsSection(): HTMLElement {
    const { t, session: s, lang } = this.pane;
    const choices: Choice[] = [
      { value: '', text: t.none },
      ...s.sources.filter((src) => src.name !== s.region?.table && !(src.kind === 'sheet' && src.name === s.region?.sheet)).map((src) => sourceChoice(src, t)),
    ];
    const rel = s.relations;
    const info: Array<HTMLElement | null> = [];
    if (rel) {
      info.push(h('p', { class: 'info', 'data-testid': 'relations-info' }, t.relationsLoaded({ contacts: rel.contactsSource ?? t.none, needs: rel.needsSource ?? t.none })));
      if (rel.unmatchedAccounts.length > 0) {
        info.push(messageBar('warning', t.unmatchedAccounts({ count: rel.unmatchedAccounts.length, names: listOf(rel.unmatchedAccounts.slice(0, 10), lang) })));
      }
      const first = rel.problems[0];
      if (first) info.push(messageBar('warning', t.relationProblems({ count: rel.problems.length, example: s.text(first) })));
    }
    return h(
      'div',
      { class: 'relations' },
      h('h3', {}, t.relationsHeading),
      h('p', { class: 'help' }, t.relationsHelp),
      dropdown({ label: t.contactsLabel, name: 'contacts', value: this.contactsValue, choices, onChange: (v) => (this.contactsValue = v) }),
      dropdown({ label: t.needsLabel, name: 'needs', value: this.needsValue, choices, onChange: (v) => (this.needsValue = v) }),
      button(t.useRelations, () => void this.useRelations(), { 'data-action': 'relations', 'data-testid': 'use-relations' }),
      ...info,
    );
  }

  private async useSource(): Promise<void> {
    const choice = choiceOf(this.sourceValue);
    if (!choice) return;
    this.pane.clearStatus();
    this.pane.forgetResults();
    const ok = await this.pane.run(async (work) => {
      await this.pane.session.useSource(choice, work);
      this.contactsValue = '';
      this.needsValue = '';
      await this.guessRelations(work);
    });
    if (ok) this.sourceValue = choiceValue(choice);
    this.pane.renderAll();
  }

  private async remap(field: string, header: string | null): Promise<void> {
    const { t, session: s, lang } = this.pane;
    const ok = await this.pane.run((work) => s.setMapping(field, header, work));
    this.pane.render('data');
    this.pane.refreshAfterScoring();
    if (!ok) return;
    // One short message: the choice, what is wrong with it if anything, and the tiers it gives.
    const label = s.fields().find((f) => f.id === field)?.label[lang] ?? field;
    const error = this.panel.querySelector(`[data-testid="map-error-${CSS.escape(field)}"]`)?.textContent ?? '';
    this.pane.announce(error !== '' ? error : `${t.mapped({ field: label, header: header ?? t.notUsed })} ${this.pane.tierCountsText()}`);
  }

  /** Picks the contacts and needs sheets by their headers and loads them when found. */
  async guessRelations(work: WorkOptions): Promise<void> {
    const s = this.pane.session;
    const guess = await s.guessRelationSources();
    const value = (src: { kind: string; name: string } | null): string => (src ? `${src.kind}:${src.name}` : '');
    this.contactsValue = value(guess.contacts);
    this.needsValue = value(guess.needs);
    if (guess.contacts || guess.needs) await s.loadRelations(choiceOf(this.contactsValue), choiceOf(this.needsValue), work);
  }

  private async useRelations(): Promise<void> {
    this.pane.clearStatus();
    await this.pane.run((work) => this.pane.session.loadRelations(choiceOf(this.contactsValue), choiceOf(this.needsValue), work));
    this.pane.renderAll();
  }
}
