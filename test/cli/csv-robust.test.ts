import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { defaultRules, parseCsv, type CsvRecord } from '../../src/engine';
import { detectEncoding } from '../../src/cli/csv-file';
import { runScore } from '../../src/cli/score';
import { CLI_PACKS } from '../../src/cli/messages';
import { kam, tempDir } from './helpers';

/** Issue 7: CSV files as users and hostile inputs have them. Each case failed before. */
let dir: string;
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const write = (name: string, content: string | Buffer): string => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
};
const output = (file: string): string => fs.readFileSync(file.replace(/\.csv$/, '.kam.csv'), 'utf8');

describe('kam score on odd CSV files', () => {
  test('a stray quote on line 2 costs line 2 only, and the message names it', () => {
    const lines = ['Customer,Sales,Margin', '"Acme,500000,0.2'];
    for (let i = 3; i <= 103; i++) lines.push(`C${i},${i * 1000},0.1`);
    lines.push('12" Pipe Co",5,0.3');
    const file = write('stray.csv', `${lines.join('\n')}\n`);
    const run = kam(['score', file]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Scored 103 accounts');
    // Line 104's quote sits inside an unquoted field: a literal inch sign, and the line is scored.
    expect(run.stdout).toMatch(/Malformed lines \(kept, not scored\): 1 \(line 2\)/);
    expect(run.stderr).toContain('line 2 opens a quote');
    const out = parseCsv(output(file)).records;
    expect(out).toHaveLength(lines.length);
    expect(out[2]?.fields.slice(0, 3)).toEqual(['C3', '3000', '0.1']);
  });

  test('a leading sep=; line sets the delimiter and is kept', () => {
    const file = write('sep.csv', 'sep=;\r\nCustomer;Sales;Margin\r\nAcme;500000;0,2\r\n');
    const run = kam(['score', file]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Scored 1 account');
    expect(run.stdout).toContain('"Sales" → Annual sales');
    // The sep= line comes back first, without a byte-order mark before it (Excel reads sep= only as the very first bytes).
    expect(output(file)).toMatch(/^sep=;\r\nCustomer;Sales;Margin;KAM Score;KAM Tier;KAM Flags;KAM Priority;KAM Hours\/Month\r\nAcme;500000;0,2;/);
  });

  test.each(['utf-16le', 'utf-16be'] as const)('%s without a byte-order mark reads its headers', (name) => {
    const text = 'Customer,Sales,Margin\r\n宁波精工,500000,0.2\r\n';
    const le = Buffer.from(text, 'utf16le');
    const bytes = name === 'utf-16le' ? le : Buffer.from(le.map((_, i) => le[i ^ 1] as number));
    expect(detectEncoding(bytes)).toBe(name);
    const file = write(`${name}.csv`, bytes);
    const run = kam(['score', file]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('"Customer" → account');
    expect(output(file)).toContain('宁波精工,500000,0.2,');
  });

  test('a 1 MB number is quoted as it is in the cell (shortened), never as "Infinity"', () => {
    const file = write('huge.csv', `Customer,Sales\nAcme,${'9'.repeat(1_000_000)}\n`);
    const run = kam(['score', file]);
    expect(run.status).toBe(0);
    expect(run.stderr).not.toContain('Infinity');
    expect(run.stderr).toContain('"9999999999');
    expect(output(file)).not.toContain('Infinity');
  });

  test("labels and reasons from a rule set never become live formulas; the user's cells keep theirs", () => {
    const rules = defaultRules();
    rules.tiers.maintain.label.en = '=1+1';
    rules.tiers.insufficient.label.en = '@SUM(A1)';
    const knockout = rules.knockouts[0];
    if (!knockout) throw new Error('the default rules have knock-outs');
    knockout.reason.en = '=HYPERLINK("http://example.com","click")';
    const rulesFile = write('evil-rules.json', JSON.stringify(rules));
    const file = write('evil.csv', 'Customer,Sales,Margin,Days to pay,Note\n=2+3,100,-0.1,120,=A1\nB,,,,+x\n');
    const run = kam(['score', file, '--rules', rulesFile]);
    expect(run.status).toBe(0);
    const rows = parseCsv(output(file)).records.map((r) => r.fields);
    expect(rows[1]?.slice(0, 5)).toEqual(['=2+3', '100', '-0.1', '120', '=A1']);
    expect(rows[1]?.[7]).toMatch(/^'=HYPERLINK\("http:\/\/example.com","click"\); /);
    expect(rows[2]?.[4]).toBe('+x');
    expect(rows[2]?.[6]).toBe("'@SUM(A1)");
    for (const row of rows.slice(1)) for (const cell of row.slice(5)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });
});

describe('scored + malformed = data lines, for any CSV text (property)', () => {
  const pack = CLI_PACKS.en;
  const char = fc.constantFrom(',', '"', '\n', '\r', '1', '0', '.', '5', 'a', ' ', '%', '-', '中');
  test('every line after the header is scored, reported malformed, or blank, and comes back in place', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: char, maxLength: 120 }), async (body) => {
        const file = write(`prop${n}.csv`, `account,sales,margin\n${body}`);
        const outPath = path.join(dir, `prop${n++}.out.csv`);
        await runScore({ input: file, out: outPath, map: [], lang: 'en' }, pack, { out: () => undefined, err: () => undefined });
        const isBlank = (r: CsvRecord): boolean => !r.problem && r.fields.every((f) => f.trim() === '');
        const input = parseCsv(fs.readFileSync(file, 'utf8')).records.slice(1);
        const out = parseCsv(fs.readFileSync(outPath, 'utf8')).records.slice(1);
        // Every line after the header comes back, and each that is not blank has a verdict (scored or invalid).
        expect(out.length).toBeGreaterThanOrEqual(input.length);
        const withVerdict = out.filter((r) => (r.fields[4] ?? '') !== '').length;
        expect(withVerdict).toBe(input.filter((r) => !isBlank(r)).length);
      }),
      { numRuns: 150 },
    );
  }, 60_000);
});

describe('kam rules check (issue 7)', () => {
  test('refuses criterion and knock-out ids that every object has, and weights that add up to Infinity', () => {
    const rules = defaultRules() as unknown as {
      criteria: Array<{ id: string; weight: number; headroomOver?: string }>;
      knockouts: Array<{ id: string; when: Array<{ criterion: string }> }>;
    };
    rules.criteria.forEach((c) => delete c.headroomOver);
    (rules.criteria[0] as { id: string }).id = 'constructor';
    (rules.criteria[1] as { id: string }).id = 'toString';
    rules.knockouts = [];
    const file = write('proto-rules.json', JSON.stringify(rules));
    const check = kam(['rules', 'check', file]);
    expect(check.status).toBe(2);
    const said = check.stdout + check.stderr;
    expect(said).toContain('criteria[0].id');
    expect(said).toContain('criteria[1].id');
    expect(said).toMatch(/constructor, toString/);

    const heavy = defaultRules() as unknown as { criteria: Array<{ weight: number }> };
    heavy.criteria.forEach((c, i) => (c.weight = i < 2 ? 1e308 : 0));
    const check2 = kam(['rules', 'check', write('heavy-rules.json', JSON.stringify(heavy))]);
    expect(check2.status).toBe(2);
    expect(check2.stdout + check2.stderr).toMatch(/weights add up to Infinity/);
  });
});
