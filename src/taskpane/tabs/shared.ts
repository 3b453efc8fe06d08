/** What several tabs draw alike: source choices, chart boxes and tier chips. */
import type { OutcomeId } from '../../engine/types';
import type { SourceChoice } from '../../gateway/types';
import { h, type Choice } from '../dom';
import type { UiPack } from '../i18n';
import { TIER_PALETTE } from '../palette';

export function choiceValue(choice: SourceChoice): string {
  return choice.kind === 'selection' ? 'selection' : `${choice.kind}:${choice.name}`;
}

export function choiceOf(value: string): SourceChoice | null {
  if (value === 'selection') return { kind: 'selection' };
  const m = /^(table|sheet):(.*)$/.exec(value);
  return m ? { kind: m[1] as 'table' | 'sheet', name: m[2] as string } : null;
}

/** A table or sheet of the workbook as a dropdown choice. */
export function sourceChoice(src: { kind: 'table' | 'sheet'; name: string }, t: UiPack): Choice {
  return { value: `${src.kind}:${src.name}`, text: src.kind === 'table' ? t.sourceTable({ name: src.name }) : t.sourceSheet({ name: src.name }) };
}

/** A box holding one of charts.ts's pictures. */
export function chartBox(markup: string): HTMLElement {
  const div = h('div', { class: 'chart' });
  div.innerHTML = markup;
  return div;
}

/** A tier's name on its sheet colours. */
export function tierChip(outcome: OutcomeId, text: string, attrs: Record<string, string | number> = {}): HTMLElement {
  return h('span', { class: 'chip', style: `background:${TIER_PALETTE[outcome].fill};color:${TIER_PALETTE[outcome].font}`, 'data-tier': outcome, ...attrs }, text);
}
