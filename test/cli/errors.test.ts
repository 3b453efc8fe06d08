import ExcelJS from 'exceljs';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultRules, rulesToTable } from '../../src/engine';
import { writeCsv } from '../../src/engine/csv';
import { goldenCsvRows, kam, tempDir, writeGoldenXlsx } from './helpers';

let dir: string;
let csv: string;
let xlsx: string;
beforeAll(async () => {
  dir = tempDir();
  csv = path.join(dir, 'accounts.csv');
  fs.writeFileSync(csv, writeCsv(goldenCsvRows()));
  xlsx = path.join(dir, 'accounts.xlsx');
  await writeGoldenXlsx(xlsx);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Files in the work directory other than the inputs: nothing may be left behind by a failed run. */
const leftovers = (): string[] => fs.readdirSync(dir).filter((f) => !/^(accounts\.(csv|xlsx)|rules.*|.*\.input\..*)$/.test(f));

describe('bad input: exit status 2 and a message naming the file', () => {
  afterEach(() => {
    expect(leftovers()).toEqual([]);
  });

  test('a missing file', () => {
    const missing = path.join(dir, 'nope.xlsx');
    const run = kam(['score', missing]);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`kam: ${missing}: no such file\n`);
  });

  test('an unknown sheet, listing the sheets there are', () => {
    const run = kam(['score', xlsx, '--sheet', 'Kunden']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`${xlsx}: no sheet named "Kunden" (sheets: "Accounts")`);
  });

  test('a file that is not a workbook', () => {
    const fake = path.join(dir, 'fake.input.xlsx');
    fs.writeFileSync(fake, 'this is not a zip file');
    const run = kam(['score', fake]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`${fake}: cannot read it as an .xlsx workbook`);
  });

  test('an empty sheet', async () => {
    const empty = path.join(dir, 'empty.input.xlsx');
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Accounts');
    await workbook.xlsx.writeFile(empty);
    const run = kam(['score', empty]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`${empty}, sheet "Accounts": the sheet is empty`);
  });

  test('no recognisable columns, listing the headers found and what is expected', () => {
    const other = path.join(dir, 'other.input.csv');
    fs.writeFileSync(other, 'Name,Colour,Size\nA,red,3\n');
    const run = kam(['score', other]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`${other}: no column holds a criterion of the rule set`);
    expect(run.stderr).toContain('headers found: "Name", "Colour", "Size"');
    expect(run.stderr).toContain('sales ("Annual sales", "年销售额"');
  });

  test('--map naming a header that is not there', () => {
    const run = kam(['score', csv, '--map', 'sales=Umsatz']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`${csv}: --map sales=Umsatz: no column is headed "Umsatz"`);
  });

  test('two columns that could both be one criterion: the user is asked to choose, nothing is dropped', () => {
    const twice = path.join(dir, 'twice.input.csv');
    fs.writeFileSync(twice, 'account,sales,Revenue,margin\nA,100,900000,0.2\n');
    const run = kam(['score', twice]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`${twice}: more than one column could be sales: "sales", "Revenue"; say which with --map sales=HEADER`);
    const out = path.join(dir, 'chosen.csv');
    const chosen = kam(['score', twice, '--map', 'sales=Revenue', '--out', out]);
    expect(chosen.status).toBe(0);
    expect(chosen.stdout).toContain('"Revenue" → Annual sales');
    fs.rmSync(out); // this run was meant to write; the check after each test is for failed runs
  });

  test('--map naming a field the rules do not have', () => {
    const run = kam(['score', csv, '--map', 'revenue=Annual sales']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--map: "revenue" is not a field of the rule set');
  });

  test('--out equal to the input, however it is spelled', () => {
    for (const out of [csv, path.join(dir, '.', '..', path.basename(dir), 'accounts.csv')]) {
      const run = kam(['score', csv, '--out', out]);
      expect(run.status).toBe(2);
      expect(run.stderr).toContain(`${out}: refusing to write the result over the input`);
    }
    expect(fs.readFileSync(csv, 'utf8')).toBe(writeCsv(goldenCsvRows()));
  });

  test('--out of another type than the input', () => {
    const run = kam(['score', csv, '--out', path.join(dir, 'out.xlsx')]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('the output must be a .csv file, like the input');
  });

  test('a text file that is not UTF-8', () => {
    const gbk = path.join(dir, 'gbk.input.csv');
    // "客户,年销售额" in GBK, as Excel saves "CSV" on a Chinese Windows.
    fs.writeFileSync(gbk, Buffer.from([0xbf, 0xcd, 0xbb, 0xa7, 0x2c, 0xc4, 0xea, 0xcf, 0xfa, 0xca, 0xdb, 0xb6, 0xee, 0x0a]));
    const run = kam(['score', gbk]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`${gbk}: the text is not UTF-8`);
  });

  test('the old .xls format', () => {
    const xls = path.join(dir, 'old.input.xls');
    fs.writeFileSync(xls, 'x');
    const run = kam(['score', xls]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('save it as .xlsx');
  });

  test('usage errors point at the help', () => {
    const unknown = kam(['score', csv, '--bogus']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toBe('kam: unknown option --bogus\nRun "kam score --help" for usage.\n');
    expect(kam(['score']).stderr).toContain('no input file given');
    expect(kam(['frobnicate']).stderr).toContain('unknown command "frobnicate"');
    expect(kam(['score', csv, '--lang', 'fr']).stderr).toContain('--lang must be en or zh');
    expect(kam([]).status).toBe(2);
  });
});

describe('rule files', () => {
  const rulesFile = (name: string, content: string): string => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, content);
    return file;
  };

  test('malformed JSON: names the file, line and column', () => {
    const file = rulesFile('rules-syntax.json', '{\n  "schema": "kam-rules",\n  "version": 1,\n}\n');
    for (const args of [
      ['score', csv, '--rules', file],
      ['rules', 'check', file],
    ]) {
      const run = kam(args);
      expect(run.status).toBe(2);
      expect(`${run.stdout}${run.stderr}`).toContain(`${file}:4:1: not valid JSON (Expected double-quoted property name)`);
    }
  });

  test('a schema error names the field path', () => {
    const rules = defaultRules();
    const broken = { ...rules, criteria: rules.criteria.map((c, i) => (i === 1 ? { ...c, weight: -5, curve: { ...c.curve, max: -1 } } : c)) };
    const file = rulesFile('rules-schema.json', JSON.stringify(broken));
    const check = kam(['rules', 'check', file]);
    expect(check.status).toBe(2);
    expect(check.stdout).toContain(`${file}: criteria[1].weight: must be 0 or more`);
    expect(check.stdout).toContain(`${file}: criteria[1].curve.max: must be greater than curve.min (0)`);
    expect(check.stderr).toContain(`${file}: invalid rule set, 2 problems`);
    const score = kam(['score', csv, '--rules', file]);
    expect(score.status).toBe(2);
    expect(score.stderr).toContain(`${file}: criteria[1].weight: must be 0 or more`);
  });

  test('an invalid table in a workbook names the cell', async () => {
    const table = rulesToTable(defaultRules());
    const weightCol = (table[3] as unknown[]).indexOf('weight');
    (table[4] as unknown[])[weightCol] = 'heavy'; // the first criterion's weight
    const file = path.join(dir, 'rules-table.xlsx');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('KAM Rules');
    table.forEach((row) => sheet.addRow(row.map((v) => (v === '' ? null : v))));
    await workbook.xlsx.writeFile(file);
    const check = kam(['rules', 'check', file]);
    expect(check.status).toBe(2);
    const col = String.fromCharCode(65 + weightCol);
    expect(check.stdout).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: criteria\\[0\\]\\.weight: .* \\(cell 'KAM Rules'!${col}5\\)$`, 'm'));
  });

  test('a workbook without a rules sheet', () => {
    const run = kam(['rules', 'check', xlsx]);
    expect(run.status).toBe(2);
    expect(run.stdout).toContain(`${xlsx}: no sheet named "KAM Rules" holds a rule set (sheets: "Accounts")`);
  });

  test('a valid rule set whose weights do not add up to 100 is accepted, with a warning', () => {
    const rules = defaultRules();
    rules.criteria = rules.criteria.filter((c) => c.id === 'sales' || c.id === 'growth');
    rules.knockouts = [];
    const file = rulesFile('rules-two.json', JSON.stringify(rules));
    const check = kam(['rules', 'check', file]);
    expect(check.status).toBe(0);
    expect(check.stdout).toContain(`${file}: valid rule set "${rules.name}" (2 criteria, 0 knock-out rules)`);
    expect(check.stdout).toContain(`${file}: warning: the weights add up to 35, not 100`);
    const score = kam(['score', csv, '--rules', file, '--out', path.join(dir, 'two.kam.csv')]);
    expect(score.status).toBe(0);
    expect(score.stderr).toContain(`${file}: warning: the weights add up to 35, not 100`);
    fs.rmSync(path.join(dir, 'two.kam.csv'));
  });
});

describe('kam rules', () => {
  test('prints the default rule set as JSON', () => {
    const run = kam(['rules']);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(defaultRules());
  });

  test('the table form round-trips through .xlsx and .csv files', () => {
    for (const name of ['rules-out.xlsx', 'rules-out.csv']) {
      const out = path.join(dir, name);
      const written = kam(['rules', 'table', '--out', out]);
      expect(written.status).toBe(0);
      const back = kam(['rules', '--rules', out]);
      expect(back.status).toBe(0);
      expect(JSON.parse(back.stdout)).toEqual(defaultRules());
      // Never over a file that exists.
      const again = kam(['rules', 'table', '--out', out]);
      expect(again.status).toBe(2);
      expect(again.stderr).toContain(`${out}: already exists`);
    }
  });

  test('help texts', () => {
    expect(kam(['--help']).stdout).toContain('kam score <accounts.xlsx|accounts.csv>');
    expect(kam(['score', '--help']).stdout).toContain('--map FIELD=HEADER');
    expect(kam(['rules', '--help']).stdout).toContain('kam rules check FILE');
  });
});
