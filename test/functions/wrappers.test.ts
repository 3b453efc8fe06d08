import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { FUNCTION_CATALOG, FUNCTION_IDS, helpUrl, paramNames } from '../../src/functions/catalog';
import { EN } from '../../src/functions/i18n/en';
import { renderWrappers, wrapperName } from '../../src/functions/metadata/wrappers';

/** The JSDoc wrappers are derived from the catalog and the English pack, never edited by hand. */

const committed = readFileSync(resolve(__dirname, '../../src/functions/functions.ts'), 'utf8');

describe('functions.ts', () => {
  it('is what the generator writes from the catalog and the English pack (run `npm run generate:functions`)', () => {
    expect(committed).toBe(renderWrappers({ catalog: FUNCTION_CATALOG, english: EN, helpUrl }));
  });

  it('declares each catalog function once, with its parameters in order, optional ones marked', () => {
    for (const id of FUNCTION_IDS) {
      const declared = FUNCTION_CATALOG[id].params.map((p) => `${p.name}${'optional' in p && p.optional ? '?' : ''}:`);
      const signature = new RegExp(`export function ${wrapperName(id)}\\(([^)]*)\\)`).exec(committed)?.[1] ?? '';
      expect(
        signature
          .split(',')
          .map((d) => d.trim().replace(/\s.*$/, ''))
          .filter((d) => d !== ''),
      ).toEqual(declared);
      expect(committed).toContain(`@customfunction ${id}\n`);
      expect(committed).toContain(`return kam.${id}(${paramNames(id).join(', ')});`);
    }
  });

  it('the English pack names every function and parameter after its id', () => {
    for (const id of FUNCTION_IDS) {
      expect(EN[id].name).toBe(id);
      const params = EN[id].params as Record<string, { name: string }>;
      expect(Object.keys(params)).toEqual(paramNames(id));
      for (const [param, t] of Object.entries(params)) expect(t.name).toBe(param);
    }
  });
});
