/**
 * The pane's layout on top of the Fluent theme tokens (so it follows the light or dark theme,
 * fluent.ts), with chart marks recoloured for the dark theme and everything in system colours
 * under forced colours; injected once by the app.
 */
import { OUTCOME_IDS } from '../engine/types';
import { TIER_BAR_DARK } from './palette';

const DARK_MARKS = OUTCOME_IDS.map((o) => `:root[data-theme="dark"] .chart .mark-${o} { fill: ${TIER_BAR_DARK[o]}; }`).join('\n');

export const PANE_CSS = `
:root { color-scheme: light; }
:root[data-theme="dark"] { color-scheme: dark; }
body { margin: 0; font-family: var(--fontFamilyBase, "Segoe UI", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif); font-size: 14px; color: var(--colorNeutralForeground1, #242424); background: var(--colorNeutralBackground1, #fff); }
#app { padding: 8px 12px 24px; max-width: 560px; }
.app-header h1 { font-size: 20px; font-weight: 600; margin: 4px 0 8px; }
h2 { font-size: 16px; font-weight: 600; margin: 12px 0 6px; }
h3 { font-size: 14px; font-weight: 600; margin: 14px 0 4px; }
h4 { font-size: 13px; font-weight: 600; margin: 10px 0 4px; }
fluent-tablist { margin: 6px 0 4px; flex-wrap: wrap; }
.panel { padding-top: 4px; }
.row { display: flex; gap: 8px; align-items: flex-end; flex-wrap: wrap; margin: 6px 0; }
.field { display: flex; flex-direction: column; gap: 2px; margin: 4px 0; min-width: 0; }
.field fluent-text-input, .field fluent-dropdown { width: 100%; min-width: 0; }
.label { font-weight: 600; font-size: 13px; }
.field-error { color: var(--colorPaletteRedForeground1, #BC2F32); font-size: 12px; min-height: 0; }
.field-error:empty { display: none; }
.field.invalid fluent-text-input { outline: 2px solid var(--colorPaletteRedForeground1, #BC2F32); outline-offset: 1px; border-radius: 4px; }
.help { color: var(--colorNeutralForeground2, #424242); font-size: 12px; margin: 2px 0 6px; }
.info { color: var(--colorNeutralForeground1, #242424); font-size: 13px; margin: 4px 0; }
.warning-text { color: var(--colorPaletteDarkOrangeForeground1, #C43501); font-weight: 600; }
.grid2 { display: grid; grid-template-columns: 1fr 1fr; gap: 0 8px; }
.grid3 { display: grid; grid-template-columns: 1fr 1fr 1fr; gap: 0 8px; }
fieldset { border: 1px solid var(--colorNeutralStroke1, #D1D1D1); border-radius: 6px; margin: 6px 0; padding: 4px 8px 6px; }
legend { font-weight: 600; font-size: 13px; padding: 0 4px; }
.map-row { border-left: 3px solid transparent; padding-left: 6px; margin: 2px 0; }
.map-row.missing { border-left-color: var(--colorPaletteRedBorder2, #D13438); }
.map-row.invalid { border-left-color: var(--colorPaletteRedBorder2, #D13438); background: var(--colorPaletteRedBackground1, #FDF6F6); }
.map-control { display: flex; align-items: flex-end; gap: 6px; }
.map-control .field { flex: 1; }
.strip { display: flex; flex-wrap: wrap; gap: 4px; margin: 6px 0; }
.chip { display: inline-block; border: 1px solid transparent; border-radius: 10px; padding: 1px 8px; font-size: 12px; font-weight: 600; }
.chart { margin: 4px 0; max-width: 340px; color: var(--colorNeutralForeground1, #242424); }
table.list { border-collapse: collapse; width: 100%; font-size: 12px; margin: 4px 0; }
table.list th, table.list td { border-bottom: 1px solid var(--colorNeutralStroke2, #E0E0E0); padding: 3px 4px; text-align: left; vertical-align: top; }
table.list th { background: var(--colorNeutralBackground3, #F5F5F5); font-weight: 600; }
.progress { margin: 6px 0; padding: 6px; border: 1px solid var(--colorNeutralStroke1, #D1D1D1); border-radius: 6px; }
.progress-row { display: flex; justify-content: space-between; align-items: center; margin-top: 4px; }
.status fluent-message-bar, .panel fluent-message-bar { margin: 4px 0; }
.filters { display: flex; flex-wrap: wrap; gap: 4px; align-items: center; margin: 8px 0; }
.filters .label { width: 100%; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
ul.issues { margin: 4px 0; padding-left: 18px; font-size: 12px; color: var(--colorPaletteRedForeground1, #BC2F32); }
fluent-field.check, fluent-radio-group fluent-field { margin: 2px 0; }
:focus-visible { outline: 2px solid var(--colorStrokeFocus2, #000); outline-offset: 2px; }
.chart .chart-capacity { stroke: var(--colorPaletteRedForeground1, #BC2F32); }
.chart .chart-value { paint-order: stroke; stroke: var(--colorNeutralBackground1, #fff); stroke-width: 3px; stroke-linejoin: round; }
.chart .chart-capacity-text { fill: var(--colorPaletteRedForeground1, #BC2F32); }
${DARK_MARKS}
/* Forced colours (Windows contrast themes): the system's colours, values still as text. */
@media (forced-colors: active) {
  /* !important: these beat the theme's mark colours, whatever their selectors. */
  .chart svg .chart-text { fill: CanvasText !important; }
  .chart svg .chart-value { stroke: Canvas !important; }
  .chart svg line, .chart svg .chart-frame { stroke: CanvasText !important; }
  .chart svg .mark { fill: Highlight !important; stroke: Canvas; stroke-width: 1; }
  .chart .chart-capacity { stroke: LinkText !important; }
  .chart .chart-capacity-text { fill: LinkText !important; }
  .chip { border-color: CanvasText; }
  .map-row.missing, .map-row.invalid { border-left-color: CanvasText; }
  .field-error, ul.issues, .warning-text { color: CanvasText; }
}
`;

let injected = false;

export function injectStyles(): void {
  if (injected) return;
  injected = true;
  const style = document.createElement('style');
  style.textContent = PANE_CSS;
  document.head.append(style);
}
