/**
 * The pane's language packs are complete: the same keys in every language, no empty text, and no
 * English left in the Chinese pack. Texts that are functions are called with placeholder values.
 */
import { LANGUAGES } from '../../src/engine/types';
import { UI_PACKS, problemText } from '../../src/taskpane/i18n';

type Leaf = string | ((p: unknown) => string);
type Tree = { [key: string]: Leaf | Tree | string[] };

/** Every text of a pack by its dotted key; functions are called with a placeholder for each parameter. */
function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  const params = new Proxy({}, { get: (_t, key) => (key === 'kind' ? 'table' : typeof key === 'string' ? 7 : undefined) });
  for (const [key, value] of Object.entries(tree)) {
    const name = prefix === '' ? key : `${prefix}.${key}`;
    if (typeof value === 'string') out.set(name, value);
    else if (typeof value === 'function') out.set(name, value(params));
    else if (Array.isArray(value)) value.forEach((v, i) => out.set(`${name}.${i}`, v));
    else for (const [k, v] of leaves(value, name)) out.set(k, v);
  }
  return out;
}

const packs = Object.fromEntries(LANGUAGES.map((lang) => [lang, leaves(UI_PACKS[lang] as unknown as Tree)]));
const CJK = /[\u3400-\u9fff]/;

it('has the same texts in every language', () => {
  const keys = [...(packs.en?.keys() ?? [])].sort();
  expect(keys.length).toBeGreaterThan(150);
  for (const lang of LANGUAGES) expect([...(packs[lang]?.keys() ?? [])].sort()).toEqual(keys);
});

it('has no empty text', () => {
  for (const lang of LANGUAGES) for (const [key, text] of packs[lang] ?? []) expect([key, text.trim().length > 0]).toEqual([key, true]);
});

it('has every Chinese text in Chinese', () => {
  const untranslated = [...(packs.zh ?? [])].filter(([, text]) => !CJK.test(text)).map(([key]) => key);
  expect(untranslated).toEqual([]);
});

it('renders every gateway problem in both languages', () => {
  const problem = { key: 'cellsNotEmpty', params: { sheet: 'Accounts', address: 'J1:L41', used: 'K7' } } as const;
  expect(problemText(problem, 'en')).toBe(
    'Nothing was written: on the sheet "Accounts", J1:L41, where the new KAM columns would go, is not empty (data in K7). Move or clear those cells, then apply again.',
  );
  expect(problemText(problem, 'zh')).toBe('未写入任何内容:工作表“Accounts”中新 KAM 列将占用的 J1:L41 不是空的(K7 有数据)。请移走或清除这些单元格后再应用。');
});
