import * as fs from 'node:fs';
import * as path from 'node:path';
import ExcelJS from 'exceljs';
import { defaultRules, OUTCOME_IDS, rulesToTable } from '../../src/engine';
import { CLI_PACKS } from '../../src/cli/messages';
import { InputError } from '../../src/cli/files';
import { mapColumns, parseMapPairs, parseMapping } from '../../src/cli/pipeline/map';
import { readMappedAccounts } from '../../src/cli/pipeline/read';
import { withWorkbook } from '../../src/cli/xlsx-file';
import { fitRules, resolveRules } from '../../src/cli/pipeline/rules';
import { scoreRows } from '../../src/cli/pipeline/score';
import { runScore } from '../../src/cli/score';
import { GOLDEN, tempDir, writeGoldenXlsx } from './helpers';

/** The steps `kam score` is made of, each on its own: what check, merge and rollup rely on when they call them. */
const pack = CLI_PACKS.en;
const silent = { out: () => undefined, err: () => undefined };
let dir: string;
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The message a step stops with. */
const stopped = (step: () => unknown): string => {
  try {
    step();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).message;
  }
  throw new Error('the step did not stop');
};

describe('--map, parsed once for score and rollup', () => {
  const say = { pack, command: 'kam test', unknownField: ({ field, known }: { field: string; known: string }) => `no ${field} among ${known}` };

  test('a field is found whatever its case, and the header is kept as written', () => {
    expect(parseMapPairs(['SALES = Umsatz 2019', 'account=Kunde'], ['sales', 'account'], say)).toEqual({ sales: 'Umsatz 2019', account: 'Kunde' });
  });

  test('a pair without "=" or with an empty side is a usage error of the command that took it', () => {
    for (const pair of ['sales', '=Umsatz', 'sales=']) {
      try {
        parseMapPairs([pair], ['sales'], say);
        throw new Error(`${pair} was taken`);
      } catch (error) {
        expect(error).toBeInstanceOf(InputError);
        expect((error as InputError).helpFor).toBe('kam test');
        expect((error as InputError).message).toContain(pair);
      }
    }
  });

  test("an unknown field is named with the command's own message and the fields it knows", () => {
    expect(stopped(() => parseMapPairs(['turnover=X'], ['sales', 'account'], say))).toBe('no turnover among sales, account');
  });

  test("kam score's fields are the rule set's: the account, each criterion, the relationship strength", () => {
    const rules = defaultRules();
    expect(
      parseMapping(
        rules.criteria.map((c) => `${c.id}=H ${c.id}`),
        rules,
        pack,
      ),
    ).toEqual(Object.fromEntries(rules.criteria.map((c) => [c.id, `H ${c.id}`])));
    expect(stopped(() => parseMapping(['turnover=X'], rules, pack))).toContain('turnover');
  });
});

describe('mapping headers to the rules', () => {
  const rules = defaultRules();
  const at = { where: 'book.xlsx, sheet "Accounts"', otherSheets: ['Data', 'Q2'] };

  test('matched criteria, and the columns the reader keeps', () => {
    const mapped = mapColumns(['Customer', 'Annual sales', 'Notes', 'Gross margin'], rules, {}, pack, at);
    expect(mapped.matched.map((c) => c.id)).toEqual(['sales', 'margin']);
    expect(mapped.kept.sort()).toEqual([0, 1, 3]);
  });

  test('two columns for one criterion stop the run, naming both', () => {
    const message = stopped(() => mapColumns(['Customer', 'Sales', 'Annual sales'], rules, {}, pack, at));
    expect(message).toContain('"Sales"');
    expect(message).toContain('"Annual sales"');
    expect(message).toContain(at.where);
  });

  test('no criterion column: the headers found, the ones expected, and the other sheets to try', () => {
    const message = stopped(() => mapColumns(['Name', 'Colour'], rules, {}, pack, at));
    expect(message).toContain('"Name", "Colour"');
    expect(message).toContain('"Data", "Q2"');
  });

  test('a --map header the sheet does not have stops the run', () => {
    expect(stopped(() => mapColumns(['Customer', 'Annual sales'], rules, { margin: 'GM %' }, pack, at))).toContain('GM %');
  });
});

describe('resolving the rules: --rules, else the workbook’s own, else the defaults', () => {
  let scored: string;
  beforeAll(async () => {
    const input = path.join(dir, 'golden.xlsx');
    await writeGoldenXlsx(input);
    scored = path.join(dir, 'golden.kam.xlsx');
    // A scored workbook carries its rules sheet.
    await runScore({ input, out: scored, map: [], lang: 'en' }, pack, silent);
  });

  test('without a workbook or --rules: the defaults, named as such', async () => {
    const resolved = await resolveRules(undefined, undefined, pack, 'en');
    expect(resolved.rules).toEqual(defaultRules());
    expect(resolved.source).toBe(pack.defaultRulesSource());
    expect(resolved.fromWorkbook).toBe(false);
  });

  test("a workbook's own rules sheet, then --rules over it", async () => {
    await withWorkbook(scored, pack, async (book) => {
      const own = await resolveRules(undefined, book, pack, 'en');
      expect(own.fromWorkbook).toBe(true);
      expect(own.source).toContain(scored);
      expect(own.rules.criteria.map((c) => c.id)).toEqual(defaultRules().criteria.map((c) => c.id));
      const named = { rules: { ...defaultRules(), name: 'Named' }, source: 'named.json', warnings: [], fromWorkbook: false };
      expect(await resolveRules(named, book, pack, 'en')).toBe(named);
    });
  });

  test('an invalid rules sheet stops the run, naming the workbook', async () => {
    const table = rulesToTable(defaultRules());
    const weightCol = (table[3] as unknown[]).indexOf('weight');
    (table[4] as unknown[])[weightCol] = 'heavy'; // the first criterion's weight
    const broken = path.join(dir, 'broken.xlsx');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('KAM Rules');
    table.forEach((row) => sheet.addRow(row.map((v) => (v === '' ? null : v))));
    await workbook.xlsx.writeFile(broken);
    await withWorkbook(broken, pack, async (book) => {
      await expect(resolveRules(undefined, book, pack, 'en')).rejects.toThrow(`${broken}: invalid rule set, 1 problem`);
    });
  });
});

describe('read, fit and score, called as check and merge call them', () => {
  test('the golden accounts get their known outcomes and scores', async () => {
    const input = path.join(dir, 'steps.xlsx');
    await writeGoldenXlsx(input);
    await withWorkbook(input, pack, async (book) => {
      const resolved = await resolveRules(undefined, book, pack, 'en');
      const accounts = await readMappedAccounts(book, undefined, resolved.rules, {}, pack);
      expect(accounts.info.name).toBe('Accounts');
      expect(accounts.readable).toHaveLength(GOLDEN.length);
      const fitted = fitRules(resolved.rules, accounts, {}, { input, map: [], lang: 'en' }, pack);
      expect(fitted.changed).toBe(false);
      const scored = scoreRows(accounts, fitted, pack, 'en');
      GOLDEN.forEach((g, i) => {
        expect({ account: g.account, outcome: OUTCOME_IDS[(scored.outcomes[i] as number) - 1] }).toEqual({ account: g.account, outcome: g.expected.outcome });
        const score = scored.scores[i] as number;
        if (g.expected.score === null) expect(score).toBeNaN();
        else expect(score).toBeCloseTo(g.expected.score, 1);
      });
    });
  });
});
