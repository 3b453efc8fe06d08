import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultRules, LABEL_PACKS, OUTCOME_IDS, outcomeLabel, parseCsv, priorityRanks, type OutcomeId } from '../../src/engine';
import { KAM, kam, tempDir } from './helpers';

/** Issue 7: kam score streams a CSV (read in chunks, written as it goes) and an interrupted run leaves nothing behind. */
let dir: string;
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const sha = (file: string): string => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe('streamed CSV', () => {
  test('lines cut across many read chunks come back whole, and priority ranks hold over the whole file', () => {
    // ~20 chunks of 64 KB: quoted fields with line breaks and delimiters land on chunk ends somewhere.
    const lines = ['Customer,Annual sales,Gross margin,Note'];
    for (let i = 1; i <= 12_000; i++) {
      const sales = (i * 7919) % 2_000_000;
      const note = i % 7 === 0 ? `"two\r\nlines, and ""quotes"""` : i % 11 === 0 ? '' : `note ${i}`;
      lines.push(`Customer ${i % 5000},${sales},${(i % 40) / 100},${note}`);
      if (i % 997 === 0) lines.push('');
    }
    const text = `${lines.join('\r\n')}\r\n`;
    const file = path.join(dir, 'chunks.csv');
    fs.writeFileSync(file, text);
    const run = kam(['score', file]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const input = parseCsv(text).records;
    const out = parseCsv(fs.readFileSync(path.join(dir, 'chunks.kam.csv'), 'utf8')).records;
    expect(out).toHaveLength(input.length);
    // Every input field back as it was, in place.
    input.forEach((r, i) => expect(out[i]?.fields.slice(0, r.fields.length)).toEqual(r.fields));
    // Priority: the engine's ranks over every account of the file, not of a chunk.
    const header = out[0]?.fields ?? [];
    const at = (name: string): number => header.indexOf(LABEL_PACKS.en.column[name as 'tier']);
    const rows = out.slice(1).filter((r) => (r.fields[at('tier')] ?? '') !== '');
    const byLabel = new Map(OUTCOME_IDS.map((id) => [outcomeLabel(defaultRules(), id, 'en'), id]));
    const outcomes = rows.map((r) => byLabel.get(r.fields[at('tier')] as string) as OutcomeId);
    expect(outcomes.every((o) => o !== undefined)).toBe(true);
    const scores = rows.map((r) => (r.fields[at('score')] === '' ? null : Number(r.fields[at('score')])));
    expect(rows.map((r) => Number(r.fields[at('priority')]))).toEqual(priorityRanks(outcomes, scores));
    expect(run.stdout).toContain(`Scored ${rows.length} accounts`);
    expect(run.stdout).toContain('This looks like order lines: 12000 lines for 5000 accounts');
  }, 60_000);

  test.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)(
    '%s while kam writes: no temporary file, no output, the input untouched, a message',
    async (signal, status) => {
      const sub = fs.mkdtempSync(path.join(dir, 'sig-'));
      const big = path.join(sub, 'big.csv');
      const line = 'Customer 1,123456,0.25,0.1,900000,45,3,4\n';
      fs.writeFileSync(big, `Customer,Sales,Margin,Growth,Wallet,Days to pay,Access,Openness\n${line.repeat(1_000_000)}`);
      const before = sha(big);
      const child = spawn(process.execPath, [KAM, 'score', big], { env: { ...process.env, LANG: 'C', LC_ALL: '' }, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      // Wait until the output has started (the temporary file holds bytes), then interrupt.
      const temp = (): string | undefined => fs.readdirSync(sub).find((f) => f.endsWith('.tmp'));
      for (let i = 0; i < 6000; i++) {
        const t = temp();
        if (t !== undefined && fs.statSync(path.join(sub, t), { throwIfNoEntry: false })?.size) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      expect(temp()).toBeDefined();
      child.kill(signal);
      expect(await exited).toBe(status);
      expect(fs.readdirSync(sub).sort()).toEqual(['big.csv']);
      expect(sha(big)).toBe(before);
      expect(stderr).toContain(`stopped by ${signal}`);
      fs.rmSync(sub, { recursive: true, force: true });
    },
    120_000,
  );
});
