/** A message shown at its field's own control drops the field's name, in every language. */
import { coerceInput, formatMessage, formatMessageWithoutField, message, PLANNING_INPUTS } from '../../src/engine';

describe('formatMessageWithoutField', () => {
  const negative = coerceInput('-3', PLANNING_INPUTS.capacity);
  const problem = negative.kind === 'problem' ? negative.problem : message('notNumber', { field: 'capacity', text: '-3' });

  it('drops the leading field name in English and in Chinese', () => {
    const label = (id: string): string => (id === 'capacity' ? 'Hours' : id);
    expect(formatMessage(problem, 'en', label).startsWith('Hours: ')).toBe(true);
    expect(formatMessageWithoutField(problem, 'en', label)).toBe(formatMessage(problem, 'en', label).slice('Hours: '.length));
    const zh = formatMessage(problem, 'zh', label);
    expect(zh.startsWith('Hours:')).toBe(true);
    expect(formatMessageWithoutField(problem, 'zh', label)).toBe(zh.slice('Hours:'.length));
  });

  it('keeps a message whole when it does not begin with its field, or has none', () => {
    const headroom = message('headroomNeedsBase', { field: 'wallet', base: 'sales' });
    expect(formatMessageWithoutField(headroom, 'en')).toBe(formatMessage(headroom, 'en'));
    const noField = message('notScored', { count: 2 });
    expect(formatMessageWithoutField(noField, 'zh')).toBe(formatMessage(noField, 'zh'));
  });

  it('keeps the field where it appears again after the prefix', () => {
    const text = message('notNumber', { field: 'margin', text: 'margin' });
    expect(formatMessageWithoutField(text, 'en')).toBe('"margin" is not a number');
  });
});
