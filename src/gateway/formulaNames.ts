/**
 * The names KAM's custom functions answer to in Excel's display language. The localized metadata
 * (functions-zh-cn.json, chosen by the manifest for the zh-CN display language) renames them
 * (KAM.SCORE is KAM.客户评分 there), and Excel resolves a custom function written through
 * `formulas`/`formulasR1C1` by its display name only: an English name of a translated function
 * gives #NAME? (OfficeDev/office-js issues 891 and 6614). So in a translated display language the
 * gateway writes live formulas through `formulasLocal`, with the names Excel shows there.
 *
 * The workbook stores the function's id, so a file written in one language works in the other.
 */
import { ZH_CN } from '../functions/i18n/zh-cn';

/** The namespace of the manifest (not localized). */
export const FUNCTION_NAMESPACE = 'KAM';

/** Display languages whose metadata translates the function names, by manifest override locale. */
const TRANSLATED: Readonly<Record<string, Readonly<Record<string, { name: string }>>>> = { 'zh-cn': ZH_CN };

/** Excel's display language (e.g. "zh-CN") → the metadata locale it gets, or null for the English names. */
export function metadataLocale(displayLanguage: string | null | undefined): string | null {
  const tag = (displayLanguage ?? '').toLowerCase();
  return TRANSLATED[tag] ? tag : null;
}

/** `KAM.SCORE` → `KAM.客户评分` in that display language; the same names when it is not translated. */
export function localFunctionNames(displayLanguage: string | null | undefined): Map<string, string> {
  const locale = metadataLocale(displayLanguage);
  const names = new Map<string, string>();
  if (locale === null) return names;
  for (const [id, text] of Object.entries(TRANSLATED[locale] ?? {})) names.set(`${FUNCTION_NAMESPACE}.${id}`, `${FUNCTION_NAMESPACE}.${text.name}`);
  return names;
}

const CALL = /(?<![\p{L}\p{N}_.])([A-Za-z_][\w]*\.[\p{L}\p{N}_.]+)(?=\()/gu;

/**
 * A formula as `formulasLocal` takes it: KAM's function names as the display language shows them
 * and the locale's list separator, outside string literals. KAM's formulas hold no numbers with
 * decimals, so nothing else of the locale applies.
 */
export function localizeFormula(formula: string, displayLanguage: string | null | undefined, listSeparator = ','): string {
  const names = localFunctionNames(displayLanguage);
  return formula
    .split(/("(?:[^"]|"")*")/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(CALL, (name: string) => names.get(name.toUpperCase()) ?? name).replace(/,/g, listSeparator)))
    .join('');
}

/**
 * The list separator of `formulasLocal`: Excel separates arguments with ";" where the decimal
 * separator is a comma, and with "," elsewhere (zh-CN included).
 */
export function listSeparatorFor(decimalSeparator: string | null | undefined): string {
  return decimalSeparator === ',' ? ';' : ',';
}

/** Whether a formula calls one of KAM's functions (only those need their local names). */
export function callsKamFunction(formula: string): boolean {
  return /(?<![A-Za-z0-9_.])KAM\.[A-Za-z\u4e00-\u9fff]+\(/.test(formula.replace(/"(?:[^"]|"")*"/g, '""'));
}
