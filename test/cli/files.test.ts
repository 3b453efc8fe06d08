import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultOutputPath, openCommand, sameFile, writeAtomically } from '../../src/cli/files';
import { languageOf } from '../../src/cli/kam';
import { CLI_PACKS } from '../../src/cli/messages';
import { tempDir } from './helpers';

describe('file helpers', () => {
  test('the default output sits beside the input, never on it', () => {
    expect(defaultOutputPath('/data/accounts.xlsx')).toBe('/data/accounts.kam.xlsx');
    expect(defaultOutputPath('sales 2025.csv')).toBe('sales 2025.kam.csv');
    expect(defaultOutputPath('/data/accounts.kam.xlsx')).toBe('/data/accounts.kam.kam.xlsx');
  });

  test('sameFile sees through "..", "." and symbolic links', () => {
    const dir = tempDir();
    try {
      const file = path.join(dir, 'a.csv');
      fs.writeFileSync(file, 'x');
      fs.symlinkSync(file, path.join(dir, 'link.csv'));
      expect(sameFile(file, path.join(dir, '.', 'sub', '..', 'a.csv'))).toBe(true);
      expect(sameFile(file, path.join(dir, 'link.csv'))).toBe(true);
      expect(sameFile(file, path.join(dir, 'b.csv'))).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('writeAtomically leaves the old file whole when the write fails', async () => {
    const dir = tempDir();
    try {
      const target = path.join(dir, 'out.csv');
      fs.writeFileSync(target, 'previous result');
      await expect(
        writeAtomically(target, (temp) => {
          fs.writeFileSync(temp, 'half');
          throw new Error('disk full');
        }),
      ).rejects.toThrow('disk full');
      expect(fs.readFileSync(target, 'utf8')).toBe('previous result');
      expect(fs.readdirSync(dir)).toEqual(['out.csv']);
      await writeAtomically(target, (temp) => fs.writeFileSync(temp, 'new result'));
      expect(fs.readFileSync(target, 'utf8')).toBe('new result');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the open hint quotes the path for the shell of each platform', () => {
    expect(openCommand("/tmp/it's here.xlsx", 'linux')).toBe(`xdg-open '/tmp/it'\\''s here.xlsx'`);
    expect(openCommand('/Users/x/a b.xlsx', 'darwin')).toBe(`open '/Users/x/a b.xlsx'`);
    expect(openCommand('C:\\data\\a b.xlsx', 'win32')).toBe('start "" "C:\\data\\a b.xlsx"');
  });
});

describe('language', () => {
  test('--lang wins, then the locale, then English', () => {
    expect(languageOf(['score', 'a.csv', '--lang', 'zh'], { LANG: 'en_US.UTF-8' })).toBe('zh');
    expect(languageOf(['--lang=en'], { LANG: 'zh_CN.UTF-8' })).toBe('en');
    expect(languageOf([], { LANG: 'zh_TW.UTF-8' })).toBe('zh');
    expect(languageOf([], { LC_ALL: 'zh_CN.UTF-8', LANG: 'en_US' })).toBe('zh');
    expect(languageOf([], {})).toBe('en');
    expect(languageOf(['--lang', 'fr'], {})).toEqual({ invalid: 'fr' });
  });

  test('both language packs say the same things: every message renders, none is empty', () => {
    const en = CLI_PACKS.en;
    const zh = CLI_PACKS.zh;
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    const sample = {
      file: 'f',
      sheet: 's',
      sheets: '"a"',
      line: 3,
      fields: 12,
      expected: 11,
      count: 2,
      detail: 'd',
      column: 4,
      path: 'p',
      message: 'm',
      cell: 'A1',
      name: 'n',
      criteria: 7,
      knockouts: 3,
      text: 't',
      source: 'x',
      field: 'sales',
      formula: 'A1',
      header: 'H',
      headers: '"H"',
      known: 'k',
      option: '--x',
      command: 'kam',
      lang: 'fr',
      extra: 'e',
      ext: '.x',
      list: 'l',
      kind: 'row',
      number: 1,
      where: '',
      ref: 'row 1',
      account: 'A',
      share: 0.45,
      from: 1_000_000,
      to: 19_000,
      target: 1_000_000,
      p90: 19_000,
      lines: 10,
      accounts: 3,
      absent: 'x',
      kept: 'y',
      required: null,
    };
    for (const pack of [en, zh]) {
      for (const [key, render] of Object.entries(pack)) {
        if (key === 'help') continue;
        const text = key === 'list' ? (render as (items: string[]) => string)(['a', 'b']) : (render as (p: typeof sample) => string)(sample);
        expect([key, text.length > 0]).toEqual([key, true]);
      }
      for (const help of Object.values(pack.help)) expect(help).toContain('kam');
    }
  });
});
