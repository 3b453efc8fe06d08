/**
 * A plain rendering of the in-memory workbook beside the pane (harness and demo only): sheet tabs,
 * the used range with tier colours, the AutoFilter's hidden rows, and a clickable selection.
 */
import { columnLetters } from '../../engine/cells';
import type { MemorySheet, MemoryWorkbook } from '../../gateway/memory';
import { h, replace } from '../dom';

const MAX_ROWS = 80;
const MAX_COLS = 20;

function display(sheet: MemorySheet, row: number, col: number): string {
  const v = sheet.value(row, col);
  if (typeof v === 'number') {
    const f = sheet.format(row, col);
    if (f === '0.0') return v.toFixed(1);
    if (f === '0') return String(Math.round(v));
    return String(Math.round(v * 10000) / 10000);
  }
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  return v === null || v === undefined ? '' : String(v);
}

export function renderSheetView(root: HTMLElement, book: MemoryWorkbook, shown: { sheet: string }): void {
  const sheet = book.sheet(shown.sheet) ?? book.sheets.find((s) => !s.hidden);
  if (!sheet) return;
  const tabs = h(
    'div',
    { class: 'sheet-tabs', role: 'tablist' },
    ...book.sheets
      .filter((s) => !s.hidden)
      .map((s) =>
        h(
          'button',
          {
            role: 'tab',
            'aria-selected': String(s === sheet),
            'data-sheet': s.name,
            onclick: () => {
              shown.sheet = s.name;
              renderSheetView(root, book, shown);
            },
          },
          s.name,
        ),
      ),
  );
  const used = sheet.usedRect();
  const rows = used ? Math.min(used.row + used.rowCount, MAX_ROWS) : 1;
  const cols = used ? Math.min(used.col + used.colCount, MAX_COLS) : 1;
  const filter = sheet.autoFilter ?? book.tables.find((t) => t.sheet === sheet.name)?.filter ?? null;
  const head = h('tr', {}, h('th', {}, ''), ...Array.from({ length: cols }, (_, c) => h('th', { scope: 'col' }, columnLetters(c))));
  const body: HTMLElement[] = [];
  for (let r = 0; r < rows; r++) {
    if (sheet.isRowHidden(r)) continue;
    const cells = Array.from({ length: cols }, (_, c) => {
      const cf = sheet.conditionalFormats.find((x) => r >= x.rect.row && r < x.rect.row + x.rect.rowCount && c >= x.rect.col && c < x.rect.col + x.rect.colCount);
      const colour = cf?.rules.find((rule) => rule.text === String(sheet.value(r, c)));
      const selected = book.selection.sheet === sheet.name && book.selection.row === r && book.selection.col === c;
      const isFilterHeader = filter !== null && r === filter.rect.row && c >= filter.rect.col && c < filter.rect.col + filter.rect.colCount;
      const formula = sheet.formula(r, c);
      const style = colour ? `background:${colour.fill};color:${colour.font}` : undefined;
      return h(
        'td',
        {
          'data-cell': `${columnLetters(c)}${r + 1}`,
          class: `${selected ? 'selected' : ''}${typeof sheet.value(r, c) === 'number' ? ' num' : ''}`,
          style,
          title: formula,
          onclick: () => {
            book.selection = { sheet: sheet.name, row: r, col: c };
            renderSheetView(root, book, shown);
          },
        },
        display(sheet, r, c),
        isFilterHeader ? h('span', { class: 'filter-mark', 'aria-hidden': 'true' }, filter.column === c ? ' ▾•' : ' ▾') : null,
      );
    });
    body.push(h('tr', { 'data-row': r + 1 }, h('th', { scope: 'row' }, String(r + 1)), ...cells));
  }
  const table = h('table', { class: 'grid', 'data-testid': 'sheet-grid', 'data-sheet': sheet.name }, h('thead', {}, head), h('tbody', {}, ...body));
  // Charts are listed, not drawn: what they plot is what the tests check.
  const charts = sheet.charts.map((chart) =>
    h(
      'li',
      { 'data-chart-kind': chart.kind },
      `${chart.kind === 'scatter' ? 'XY scatter' : 'Column chart'}: ${chart.title} (${chart.series.map((s) => `${s.name || 'series'}: ${s.y.rowCount} points`).join(', ')})`,
    ),
  );
  replace(root, tabs, h('div', { class: 'grid-wrap' }, table), charts.length > 0 ? h('ul', { class: 'charts' }, ...charts) : null);
}

export const SHEET_CSS = `
#harness { display: flex; gap: 0; align-items: flex-start; min-height: 100vh; }
#sheet { flex: 1; overflow: visible; padding: 8px; background: #F3F2F1; color: #242424; color-scheme: light; min-height: 100vh; font-family: Calibri, "Segoe UI", "WenQuanYi Micro Hei", sans-serif; font-size: 12px; }
#app { width: 400px; flex: none; border-left: 1px solid #C8C6C4; min-height: 100vh; box-sizing: border-box; }
.sheet-tabs { display: flex; gap: 2px; margin-bottom: 6px; }
.sheet-tabs button { border: 1px solid #C8C6C4; background: #fff; padding: 2px 10px; font: inherit; cursor: pointer; }
.sheet-tabs button[aria-selected="true"] { border-bottom: 3px solid #217346; font-weight: 600; }
table.grid { border-collapse: collapse; background: #fff; }
table.grid th { background: #E1DFDD; font-weight: normal; color: #444; padding: 1px 4px; border: 1px solid #C8C6C4; }
table.grid td { border: 1px solid #E1DFDD; padding: 1px 4px; white-space: nowrap; max-width: 130px; overflow: hidden; text-overflow: ellipsis; }
table.grid td.num { text-align: right; }
table.grid td.selected { outline: 2px solid #217346; outline-offset: -2px; }
.filter-mark { color: #217346; font-size: 10px; }
`;
