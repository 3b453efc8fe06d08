import * as fs from 'node:fs';
import * as path from 'node:path';
import { kam, tempDir } from './helpers';

let dir: string;
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('running kam again on its own CSV output', () => {
  test('a malformed line it kept is reported again and written back the same, not scored as a blank account', () => {
    const input = path.join(dir, 'mal.csv');
    fs.writeFileSync(input, 'account,sales,margin\nA,100,0.2\nB,Main St, 5,900000,0.1\nC,200,0.3\n');
    const first = kam(['score', input]);
    expect(first.status).toBe(0);
    const output = path.join(dir, 'mal.kam.csv');
    const once = fs.readFileSync(output, 'utf8');
    expect(once).toContain('"B,Main St, 5,900000,0.1",,,,Invalid input,"line 3 has 5 fields, the header has 3');

    const second = kam(['score', output, '--out', path.join(dir, 'again.csv')]);
    expect(second.status).toBe(0);
    expect(second.stderr).toContain('line 3 has 5 fields, the header has 3');
    expect(fs.readFileSync(path.join(dir, 'again.csv'), 'utf8')).toBe(once);
  });

  test('a first cell that merely contains a comma is an ordinary value, with or without data beside it', () => {
    const input = path.join(dir, 'comma.csv');
    fs.writeFileSync(input, 'account,sales,margin\n"Smith, Jones & Co",100,0.2\n"Lee, Wong Ltd",,\n');
    expect(kam(['score', input]).status).toBe(0);
    const output = fs.readFileSync(path.join(dir, 'comma.kam.csv'), 'utf8');
    expect(output).toContain('"Smith, Jones & Co",100,0.2,33.3,Insufficient data');
    expect(output).toContain('"Lee, Wong Ltd",,,,Insufficient data');
    // Run again on the output: still accounts, not malformed lines.
    expect(kam(['score', path.join(dir, 'comma.kam.csv'), '--out', path.join(dir, 'comma2.csv')]).status).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'comma2.csv'), 'utf8')).toBe(output);
  });
});
