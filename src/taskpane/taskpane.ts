/**
 * The task pane's entry point. Inside Excel it runs on the Office.js gateway in Office's display
 * language. Opened outside Excel (office.js unreachable, or Office.onReady reporting no host) it
 * runs on the demo workbook, so the page still shows something useful instead of hanging.
 */
import { MemoryGateway } from '../gateway/memory';
import { OfficeGateway } from '../gateway/office';
import { KamApp } from './app';
import { kamFormulaEvaluator } from './demo/formulas';
import { demoWorkbook } from './demo/workbook';
import { langFromDisplay } from './session';

/** The Office.js requirement set the gateway uses (getTables, copyFrom, autoFill). */
const EXCEL_API = '1.9';

function root(): HTMLElement {
  return document.getElementById('app') as HTMLElement;
}

function startDemo(): void {
  const lang = langFromDisplay(navigator.language);
  const book = demoWorkbook(lang);
  book.evaluator = kamFormulaEvaluator;
  void new KamApp({ root: root(), gateway: new MemoryGateway(book), lang, demo: true }).start();
}

function startInExcel(): void {
  const lang = langFromDisplay(Office.context.displayLanguage);
  if (!Office.context.requirements.isSetSupported('ExcelApi', EXCEL_API)) {
    // Too old an Excel for the pane; the custom functions still work.
    const message =
      lang === 'zh'
        ? `此版本的 Excel 不支持 ExcelApi ${EXCEL_API},任务窗格无法运行;KAM 函数仍可使用。`
        : `This Excel does not support ExcelApi ${EXCEL_API}, which the pane needs; the KAM functions still work.`;
    root().textContent = message;
    return;
  }
  void new KamApp({ root: root(), gateway: new OfficeGateway(), lang }).start();
}

if (typeof Office === 'undefined') startDemo();
else {
  void Office.onReady((info) => {
    if (info.host === Office.HostType.Excel) startInExcel();
    else startDemo();
  });
}
