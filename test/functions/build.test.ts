import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sources } from 'webpack';
import { ZH_CN } from '../../src/functions/i18n/zh-cn';
import { renderHelpPage, renderInline, renderMarkdown, slug } from '../../src/functions/metadata/help-page';
import { isValidFunctionName, localizeMetadata, prepareMetadata, type FunctionsMetadata, type LooseLanguagePack } from '../../src/functions/metadata/localize';

/** The build step that completes and localizes the metadata, and renders the help page. */

const GENERATED: FunctionsMetadata = {
  allowCustomDataForDataTypeAny: true,
  functions: [
    {
      id: 'QUADRANT',
      name: 'QUADRANT',
      description: 'Portfolio quadrant',
      helpUrl: 'https://localhost:3000/functions-help.html#kam-quadrant',
      parameters: [
        { name: 'attractiveness', description: 'a', dimensionality: 'matrix', type: 'any' },
        { name: 'strength', description: 's', dimensionality: 'matrix', type: 'any' },
        { name: 'rules', description: 'r', dimensionality: 'matrix', type: 'any', optional: true },
        { name: 'language', description: 'l', type: 'any', optional: true },
      ],
      result: { dimensionality: 'matrix' },
    },
  ],
};

const PACK: LooseLanguagePack = { QUADRANT: ZH_CN.QUADRANT };

describe('prepareMetadata', () => {
  it('lets errors reach the functions and points help at the host being built for', () => {
    const prepared = prepareMetadata(GENERATED, { devBaseUrl: 'https://localhost:3000/', helpBaseUrl: 'https://kam.example.com/addin/' });
    expect(prepared.allowErrorForDataTypeAny).toBe(true);
    expect(prepared.functions[0]?.helpUrl).toBe('https://kam.example.com/addin/functions-help.html#kam-quadrant');
    expect(GENERATED.functions[0]?.helpUrl).toBe('https://localhost:3000/functions-help.html#kam-quadrant');
  });
});

describe('localizeMetadata', () => {
  it('translates names and descriptions, and nothing else', () => {
    const { metadata, problems } = localizeMetadata(GENERATED, PACK, 'zh-cn');
    expect(problems).toEqual([]);
    const f = metadata.functions[0];
    expect(f?.name).toBe('组合象限');
    expect(f?.parameters.map((p) => p.name)).toEqual(['吸引力', '相对实力', '规则', '语言']);
    expect(f?.parameters.map((p) => p.optional ?? false)).toEqual([false, false, true, true]);
    expect(f?.helpUrl).toBe(GENERATED.functions[0]?.helpUrl);
    expect(f?.id).toBe('QUADRANT');
  });

  it('reports a function without a translation', () => {
    expect(localizeMetadata(GENERATED, {}, 'zh-cn').problems).toEqual(['zh-cn: function QUADRANT has no translation']);
  });

  it('reports a parameter without a translation, and one that no longer exists', () => {
    const { strength: _dropped, ...params } = ZH_CN.QUADRANT.params;
    const pack: LooseLanguagePack = { QUADRANT: { ...ZH_CN.QUADRANT, params: { ...params, weight: { name: '权重', description: '权重' } } } };
    expect(localizeMetadata(GENERATED, pack, 'zh-cn').problems).toEqual([
      'zh-cn: parameter strength of QUADRANT has no translation',
      'zh-cn: QUADRANT has a translation for a parameter it does not have: weight',
    ]);
  });

  it('reports names Excel would refuse, blanks, clashes and translations of functions that do not exist', () => {
    const twice: FunctionsMetadata = { functions: [GENERATED.functions[0]!, { ...GENERATED.functions[0]!, id: 'HORIZON' }] };
    const pack: LooseLanguagePack = {
      QUADRANT: { ...ZH_CN.QUADRANT, name: '象限' },
      HORIZON: { ...ZH_CN.QUADRANT, description: ' ' },
      GONE: ZH_CN.QUADRANT,
    };
    expect(localizeMetadata(twice, pack, 'zh-cn').problems).toEqual([
      'zh-cn: function QUADRANT: "象限" is not a valid function name',
      'zh-cn: function HORIZON needs a name and a description',
      'zh-cn: translation for a function that does not exist: GONE',
    ]);
    const clash: LooseLanguagePack = { QUADRANT: ZH_CN.QUADRANT, HORIZON: ZH_CN.QUADRANT };
    expect(localizeMetadata(twice, clash, 'zh-cn').problems).toEqual(['zh-cn: functions QUADRANT and HORIZON are both named "组合象限"']);
  });

  it("knows Excel's naming rule", () => {
    for (const ok of ['SCORE', '客户评分', '复合增长率', 'A_B.C', 'Abc1']) expect([ok, isValidFunctionName(ok)]).toEqual([ok, true]);
    for (const bad of ['AB', '评分', '1ABC', '客户 评分', 'SCORE!', '_ABC', 'x'.repeat(129)]) expect([bad, isValidFunctionName(bad)]).toEqual([bad, false]);
  });
});

describe('the webpack plugin', () => {
  // The plugin as webpack drives it, against a stand-in compilation that holds the generated asset.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Plugin = require('../../src/functions/build/metadata-plugin') as new (options: object) => { emit: (c: object, fail: (m: string) => void) => void };

  function run(pack: string): { failures: string[]; assets: Map<string, string> } {
    const dir = mkdtempSync(join(tmpdir(), 'kam-pack-'));
    const packFile = join(dir, 'pack.ts');
    writeFileSync(packFile, pack);
    const assets = new Map<string, string>([['functions.json', JSON.stringify(GENERATED)]]);
    const compilation = {
      errors: [] as unknown[],
      fileDependencies: new Set<string>(),
      getAsset: (name: string) => (assets.has(name) ? { source: new sources.RawSource(assets.get(name) ?? '') } : undefined),
      updateAsset: (name: string, source: { source: () => unknown }) => assets.set(name, String(source.source())),
      emitAsset: (name: string, source: { source: () => unknown }) => assets.set(name, String(source.source())),
    };
    const failures: string[] = [];
    const plugin = new Plugin({
      devBaseUrl: 'https://localhost:3000/',
      helpBaseUrl: 'https://localhost:3000/',
      locales: { 'zh-cn': { file: 'functions-zh-cn.json', pack: packFile, exportName: 'PACK' } },
    });
    plugin.emit(compilation, (m) => failures.push(m));
    return { failures, assets };
  }

  it('writes the localized metadata and the help page from a complete pack', () => {
    const pack = `export const PACK = ${JSON.stringify(PACK)};`;
    const { failures, assets } = run(pack);
    expect(failures).toEqual([]);
    const zh = JSON.parse(assets.get('functions-zh-cn.json') ?? '{}') as FunctionsMetadata;
    expect(zh.functions[0]?.name).toBe('组合象限');
    expect(JSON.parse(assets.get('functions.json') ?? '{}')).toMatchObject({ allowErrorForDataTypeAny: true });
    expect(assets.get('functions-help.html')).toContain('id="kam-quadrant"');
  });

  it('fails the build when a function has no translation', () => {
    expect(run('export const PACK = {};').failures).toEqual(['zh-cn: function QUADRANT has no translation']);
  });
});

describe('help page', () => {
  it('renders the Markdown the reference uses', () => {
    expect(renderInline('use `=KAM.SCORE(a < b)` and **bold** [link](#kam-score)')).toBe(
      'use <code>=KAM.SCORE(a &lt; b)</code> and <strong>bold</strong> <a href="#kam-score">link</a>',
    );
    expect(slug('KAM.SCORE: score key accounts')).toBe('kam-score-score-key-accounts');
    const html = renderMarkdown(
      ['# Title', '', 'one', 'two', '', '- a', '  b', '- c', '', '| x | y |', '|---|---|', '| 1 | 2 |', '', '```', '=A1<B1', '```', '<a id="x"></a>'].join('\n'),
    );
    expect(html.split('\n')).toEqual([
      '<h1 id="title">Title</h1>',
      '<p>one two</p>',
      '<ul><li>a b</li><li>c</li></ul>',
      '<table><thead><tr><th>x</th><th>y</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table>',
      '<pre><code>=A1&lt;B1</code></pre>',
      '<a id="x"></a>',
    ]);
  });

  it('has an anchor for every function of the reference', () => {
    const page = renderHelpPage(readFileSync(resolve(__dirname, '../../docs/functions.md'), 'utf8'), 'KAM');
    for (const id of Object.keys(ZH_CN)) expect(page).toContain(`<a id="kam-${id.toLowerCase()}"></a>`);
  });
});
