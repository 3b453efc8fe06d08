/**
 * What Excel's custom-functions runtime and metadata reader require of the built add-in, offline:
 *  - functions.js parses as ES2017 (the JavaScript-only runtime is not a modern engine everywhere);
 *  - functions.json and functions-zh-cn.json are valid against a JSON Schema written from
 *    Microsoft's custom-functions metadata reference (test/fixtures/custom-functions-metadata.schema.json);
 *  - the production build and the tests never ask for development certificates.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'acorn';
import Ajv from 'ajv';
import { builtFile, readBuiltJson } from './bundle';

const ROOT = resolve(__dirname, '../..');
const schema = JSON.parse(readFileSync(resolve(__dirname, '../fixtures/custom-functions-metadata.schema.json'), 'utf8')) as object;
const validate = new Ajv({ allErrors: true }).compile(schema);

function problems(metadata: unknown): string[] {
  return validate(metadata) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

describe('the functions bundle', () => {
  const source = readFileSync(builtFile('functions.js'), 'utf8');

  it('parses as ES2017', () => {
    expect(() => parse(source, { ecmaVersion: 2017, sourceType: 'script' })).not.toThrow();
  });

  it('(the parser refuses what ES2017 does not have)', () => {
    for (const later of ['a?.b', 'a ?? b', 'class A { x = 1 }', 'try {} catch {}', '({ ...a })']) {
      expect([
        later,
        (() => {
          try {
            parse(later, { ecmaVersion: 2017 });
            return 'parsed';
          } catch {
            return 'refused';
          }
        })(),
      ]).toEqual([later, 'refused']);
    }
  });
});

describe('the functions metadata', () => {
  it.each(['functions.json', 'functions-zh-cn.json'])('%s is valid against the metadata schema', (name) => {
    expect(problems(readBuiltJson(name))).toEqual([]);
  });

  it('the schema refuses what Excel would: a bad id, a missing result, an unknown option, a wrong type', () => {
    const good = readBuiltJson('functions.json') as { functions: Array<Record<string, unknown>> };
    const first = good.functions[0] as Record<string, unknown>;
    const { result: _result, ...noResult } = first;
    const cases: Array<[string, unknown]> = [
      ['bad id', { ...good, functions: [{ ...first, id: 'KAM-SCORE' }] }],
      ['no result', { ...good, functions: [noResult] }],
      ['unknown option', { ...good, functions: [{ ...first, options: { volatil: true } }] }],
      ['wrong parameter type', { ...good, functions: [{ ...first, parameters: [{ name: 'x', type: 'number[][]' }] }] }],
      ['stream and cancelable', { ...good, functions: [{ ...first, options: { stream: true, cancelable: true } }] }],
    ];
    for (const [what, metadata] of cases) expect([what, problems(metadata).length > 0]).toEqual([what, true]);
  });

  it('keeps ids and parameters the same in every language; only names and descriptions change', () => {
    const en = readBuiltJson('functions.json') as { functions: Array<{ id: string; parameters: Array<{ dimensionality?: string; optional?: boolean }> }> };
    const zh = readBuiltJson('functions-zh-cn.json') as typeof en;
    expect(zh.functions.map((f) => f.id)).toEqual(en.functions.map((f) => f.id));
    const shape = (m: typeof en): unknown => m.functions.map((f) => f.parameters.map((p) => [p.dimensionality, p.optional ?? false]));
    expect(shape(zh)).toEqual(shape(en));
  });
});

describe('development certificates', () => {
  afterEach(() => jest.resetModules());

  async function configFor(env: Record<string, unknown>, mode: string): Promise<jest.Mock> {
    const getHttpsServerOptions = jest.fn(async () => ({}));
    jest.doMock('office-addin-dev-certs', () => ({ getHttpsServerOptions }));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const config = require(resolve(ROOT, 'webpack.config.js')) as (env: object, options: object) => Promise<object>;
    await config(env, { mode });
    return getHttpsServerOptions;
  }

  it('are not asked for by the production build, nor by a development build', async () => {
    expect(await configFor({}, 'production')).not.toHaveBeenCalled();
    expect(await configFor({ WEBPACK_BUILD: true }, 'development')).not.toHaveBeenCalled();
  });

  it('are asked for by the dev server only', async () => {
    expect(await configFor({ WEBPACK_SERVE: true }, 'development')).toHaveBeenCalledTimes(1);
  });
});
