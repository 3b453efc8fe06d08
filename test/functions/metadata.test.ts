import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { HyperFormula } from 'hyperformula';
import { defaultRules } from '../../src/engine';
import { ACCOUNT_INPUTS, FUNCTION_CATALOG, FUNCTION_IDS, HELP_PAGE, helpAnchor, paramNames, type FunctionId, type ParamSpec } from '../../src/functions/catalog';
import { ZH_CN } from '../../src/functions/i18n/zh-cn';
import { isValidFunctionName, type FunctionsMetadata } from '../../src/functions/metadata/localize';
import { builtFile, readBuiltJson } from './bundle';

/**
 * The metadata Excel reads (dist/addin/functions.json and functions-zh-cn.json), as built: tied to
 * the catalog, documented, translated, and with names that cannot be mistaken for Excel's own.
 */

const english = readBuiltJson('functions.json') as FunctionsMetadata;
const chinese = readBuiltJson('functions-zh-cn.json') as FunctionsMetadata;
const reference = readFileSync(resolve(__dirname, '../../docs/functions.md'), 'utf8');
const helpPage = readFileSync(builtFile(HELP_PAGE), 'utf8');

/** Help URLs carry the host the build was made for; snapshots keep only the page and anchor. */
function withoutHost(metadata: FunctionsMetadata): FunctionsMetadata {
  return { ...metadata, functions: metadata.functions.map((f) => ({ ...f, helpUrl: f.helpUrl?.replace(/^https:\/\/[^/]+\//, '<host>/') })) };
}

describe('metadata snapshots', () => {
  it('English', () => {
    expect(withoutHost(english)).toMatchSnapshot();
  });
  it('Chinese', () => {
    expect(withoutHost(chinese)).toMatchSnapshot();
  });
});

describe('the metadata matches the catalog', () => {
  it("has the catalog's functions with its parameters, in order", () => {
    expect(english.functions.map((f) => f.id)).toEqual(FUNCTION_IDS);
    for (const f of english.functions) {
      expect(f.parameters.map((p) => p.name)).toEqual(paramNames(f.id as FunctionId));
    }
  });

  it('names each function after its id, in the KAM namespace', () => {
    for (const f of english.functions) expect(f.name).toBe(f.id);
  });

  it("the seven account inputs are the default rule set's criteria, in order", () => {
    expect(defaultRules().criteria.map((c) => c.id)).toEqual(ACCOUNT_INPUTS);
  });

  it('takes ranges everywhere a column of accounts may be given, and returns matrices', () => {
    for (const f of english.functions) {
      expect(f.result?.dimensionality).toBe('matrix');
      for (const p of f.parameters) {
        const single = p.name === 'language' || p.name === 'capacity';
        expect([p.name, p.dimensionality ?? 'scalar']).toEqual([p.name, single ? 'scalar' : 'matrix']);
      }
    }
  });

  it('makes [rules], [language], [capacity], [engaged] and [currency] optional, and nothing else', () => {
    const optional = new Set(['rules', 'language', 'capacity', 'engaged', 'currency']);
    for (const f of english.functions) {
      for (const p of f.parameters) expect([f.id, p.name, p.optional === true]).toEqual([f.id, p.name, optional.has(p.name)]);
    }
  });

  it('lets errors in ranges reach the functions, so one bad row does not hide the others', () => {
    expect(english.allowErrorForDataTypeAny).toBe(true);
    expect(chinese.allowErrorForDataTypeAny).toBe(true);
  });
});

describe('help', () => {
  it('every function and parameter has a description', () => {
    for (const metadata of [english, chinese]) {
      for (const f of metadata.functions) {
        expect(f.description?.length).toBeGreaterThan(20);
        for (const p of f.parameters) expect([f.id, p.name, (p.description ?? '').length > 5]).toEqual([f.id, p.name, true]);
      }
    }
  });

  it("help URLs point at each function's section of the reference served by the add-in", () => {
    for (const f of [...english.functions, ...chinese.functions]) {
      const anchor = helpAnchor(f.id as FunctionId);
      expect(f.helpUrl).toMatch(new RegExp(`^https://[^/]+/${HELP_PAGE.replace('.', '\\.')}#${anchor}$`));
      expect(reference).toContain(`<a id="${anchor}"></a>`);
      // Exactly one element has the id (the build may minify the page and drop the quotes).
      expect(helpPage.match(new RegExp(`\\sid=["']?${anchor}["']?[\\s>]`, 'g'))).toHaveLength(1);
    }
  });

  it('the reference documents every function with its signature and its parameters', () => {
    for (const id of FUNCTION_IDS) {
      const section = reference.split(`<a id="${helpAnchor(id)}"></a>`)[1]?.split('<a id=')[0] ?? '';
      const params = (FUNCTION_CATALOG[id].params as readonly ParamSpec[]).map((p) => (p.optional === true ? `[${p.name}]` : p.name));
      expect(section).toContain(`=KAM.${id}(${params.join(', ')})`);
    }
  });
});

describe('Chinese metadata', () => {
  it("translates every function's name and description and every parameter", () => {
    const cjk = /[\u4e00-\u9fff]/;
    chinese.functions.forEach((f, i) => {
      const en = english.functions[i];
      expect(f.id).toBe(en?.id);
      expect(f.name).toBe(ZH_CN[f.id as FunctionId].name);
      expect(f.name).toMatch(cjk);
      expect(f.description).toMatch(cjk);
      for (const p of f.parameters) {
        expect(p.name).toMatch(cjk);
        expect(p.description).toMatch(cjk);
      }
      // Only names and descriptions change: ids, types, shapes and help stay.
      const strip = (m: typeof f): unknown => ({ ...m, name: '', description: '', parameters: m.parameters.map((p) => ({ ...p, name: '', description: '' })) });
      expect(strip(f)).toEqual(strip(en as typeof f));
    });
  });

  it('uses names Excel accepts: a letter first, letters, digits, . and _, at least three characters, all different', () => {
    const names = chinese.functions.map((f) => f.name);
    for (const name of names) expect([name, isValidFunctionName(name)]).toEqual([name, true]);
    expect(new Set(names).size).toBe(names.length);
  });

  it('gives a parameter the same Chinese name in every function', () => {
    const seen = new Map<string, string>();
    for (const id of FUNCTION_IDS) {
      for (const [param, t] of Object.entries(ZH_CN[id].params as Record<string, { name: string }>)) {
        expect([param, t.name]).toEqual([param, seen.get(param) ?? t.name]);
        seen.set(param, t.name);
      }
    }
  });
});

describe("names never clash with Excel's own functions", () => {
  // HyperFormula implements a large share of Excel's functions under their Excel names. It lacks
  // some that matter here (GROWTH, TREND and the ranking and regression functions), and Excel 4.0
  // macro functions are reserved too, so those are listed by hand.
  const FROM_HYPERFORMULA = HyperFormula.getRegisteredFunctionNames('enGB');
  const BY_HAND = [
    'GROWTH',
    'TREND',
    'LOGEST',
    'LINEST',
    'FORECAST',
    'FORECAST.LINEAR',
    'RANK',
    'RANK.EQ',
    'RANK.AVG',
    'PERCENTRANK',
    'STANDARDIZE',
    'RATE',
    'RRI',
    'HOUR',
    'DAYS',
    'SUM',
    'SCAN',
    'SORT',
    'UNIQUE',
    'SEQUENCE',
    'LET',
    'LAMBDA',
    'XLOOKUP',
    'RUN',
    'ECHO',
    'HALT',
    'RETURN',
    'GOTO',
    'ALERT',
    'BEEP',
    'ERROR',
    'EVALUATE',
    'FORMULA',
    'HELP',
    'INPUT',
    'MESSAGE',
    'PAUSE',
    'RESULT',
    'SELECTION',
    'STEP',
    'WAIT',
    'FILES',
    'ARGUMENT',
  ];
  const BUILT_IN = new Set([...FROM_HYPERFORMULA, ...BY_HAND].map((n) => n.toUpperCase()));

  it('the list of built-in names is real', () => {
    expect(FROM_HYPERFORMULA.length).toBeGreaterThan(300);
    for (const name of ['SUM', 'VLOOKUP', 'HOUR', 'GROWTH', 'TREND']) expect(BUILT_IN.has(name)).toBe(true);
  });

  it.each([...english.functions.map((f) => f.name), ...chinese.functions.map((f) => f.name)])('%s', (name) => {
    expect(BUILT_IN.has(name.toUpperCase())).toBe(false);
    // Nor a cell reference (A1 to XFD1048576, R1C1).
    expect(name).not.toMatch(/^[A-Za-z]{1,3}\d+$|^R\d+C\d+$/i);
  });
});
