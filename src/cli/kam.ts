#!/usr/bin/env -S node --max-old-space-size=768
// The heap cap: a full Excel sheet keeps under ~350 MB live, and without a cap V8 lets garbage grow
// the heap past 1 GB before collecting (1,048,576 rows: 1.05 GB RSS uncapped, 0.62 GB capped, and
// faster). bench/xlsx.bench.ts reads these flags from this line, and package.json's scripts pass them.
/**
 * `kam`: the command line over the engine. It parses arguments, reads and writes files and formats
 * text; every rule lives in the engine.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { coerceInput, LANGUAGES, type Lang } from '../engine';
import { CAPACITY_SPEC } from '../engine/report';
import { cleanUpOnSignals, InputError } from './files';
import { CLI_PACKS, type CliPack } from './messages';
import { runRules } from './rules-command';
import { runDuckdbScore, runSql } from './sql-command';
import { rollupHelp, runRollup } from './rollup';
import { runScore, type Output } from './score';
import { runCheck } from './check';
import { SYNC_PACKS } from './check-messages';
import { runMerge } from './merge';

/** The language asked for with --lang, else the locale's (LC_ALL, LC_MESSAGES, LANG), else English. */
export function languageOf(argv: readonly string[], env: NodeJS.ProcessEnv): Lang | { invalid: string } {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const value = arg === '--lang' ? argv[i + 1] : arg.startsWith('--lang=') ? arg.slice('--lang='.length) : undefined;
    if (value === undefined) continue;
    const lang = value.trim().toLowerCase();
    return (LANGUAGES as readonly string[]).includes(lang) ? (lang as Lang) : { invalid: value };
  }
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return locale.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

/** node:util parseArgs, with its errors turned into usage errors in the user's language. */
function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T, pack: CliPack, command: string) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    const e = error as Error & { code?: string };
    const option = /'(-[^' ]+)/.exec(e.message)?.[1] ?? '';
    if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new InputError(pack.unknownOption({ option }), command);
    if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw new InputError(pack.optionNeedsValue({ option }), command);
    throw new InputError(pack.badArguments({ detail: e.message }), command);
  }
}

const LANG_OPTION = { lang: { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const;

function version(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Runs one command line; returns the exit status (0 done, 2 bad input or usage, 1 internal error). */
export async function main(argv: readonly string[], io: Output, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const chosen = languageOf(argv, env);
  const lang: Lang = typeof chosen === 'string' ? chosen : 'en';
  const pack = CLI_PACKS[lang];
  try {
    if (typeof chosen !== 'string') throw new InputError(pack.badLang({ lang: chosen.invalid }), 'kam');
    const [command, ...rest] = argv;
    if (command === undefined) {
      io.err(pack.help.main);
      return 2;
    }
    if (command === '-h' || command === '--help' || command === 'help') {
      io.out(pack.help.main);
      return 0;
    }
    if (command === '--version' || command === '-v') {
      io.out(version());
      return 0;
    }
    if (command === 'score') {
      const { values, positionals } = parse(
        [...rest],
        {
          ...LANG_OPTION,
          out: { type: 'string', short: 'o' },
          rules: { type: 'string', short: 'r' },
          sheet: { type: 'string', short: 's' },
          map: { type: 'string', short: 'm', multiple: true },
          'score-present': { type: 'boolean' },
          calibrate: { type: 'boolean' },
          contacts: { type: 'string' },
          needs: { type: 'string' },
          capacity: { type: 'string' },
          engine: { type: 'string' },
          formulas: { type: 'string' },
        },
        pack,
        'kam score',
      );
      if (values.help) {
        io.out(pack.help.score);
        return 0;
      }
      const [input, ...extra] = positionals;
      if (input === undefined) throw new InputError(pack.missingInput(), 'kam score');
      if (extra.length > 0) throw new InputError(pack.tooManyInputs({ extra: extra.join(' ') }), 'kam score');
      if (values.engine !== undefined) {
        if (values.engine.trim().toLowerCase() !== 'duckdb') throw new InputError(pack.badEngine({ engine: values.engine }), 'kam score');
        return await runDuckdbScore({ input, out: values.out, rules: values.rules, map: values.map ?? [], lang }, pack, io);
      }
      // Read as the pane reads its capacity box ("160", "1,5", "１６０"); never guessed.
      const read = values.capacity === undefined ? undefined : coerceInput(values.capacity, CAPACITY_SPEC);
      if (read !== undefined && read.kind !== 'value') throw new InputError(pack.badCapacity({ value: values.capacity ?? '' }), 'kam score');
      const capacity = read?.value;
      const relations = { contacts: values.contacts, needs: values.needs, capacity };
      if (values.formulas !== undefined && values.formulas.trim().toLowerCase() !== 'portable') throw new InputError(pack.badFormulas({ value: values.formulas }), 'kam score');
      const choices = { scorePresent: values['score-present'], calibrate: values.calibrate, formulas: values.formulas === undefined ? undefined : ('portable' as const) };
      return await runScore({ input, out: values.out, rules: values.rules, sheet: values.sheet, map: values.map ?? [], lang, ...choices, ...relations }, pack, io);
    }
    if (command === 'rollup') {
      const { values, positionals } = parse(
        [...rest],
        {
          ...LANG_OPTION,
          out: { type: 'string', short: 'o' },
          sheet: { type: 'string', short: 's' },
          period: { type: 'string', short: 'p' },
          'fiscal-start': { type: 'string' },
          dates: { type: 'string' },
          map: { type: 'string', short: 'm', multiple: true },
        },
        pack,
        'kam rollup',
      );
      if (values.help) {
        io.out(rollupHelp(lang));
        return 0;
      }
      const [input, ...extra] = positionals;
      if (input === undefined) throw new InputError(pack.missingInput(), 'kam rollup');
      if (extra.length > 0) throw new InputError(pack.tooManyInputs({ extra: extra.join(' ') }), 'kam rollup');
      const options = { input, out: values.out, sheet: values.sheet, period: values.period, fiscalStart: values['fiscal-start'], dates: values.dates, map: values.map ?? [], lang };
      return await runRollup(options, pack, io);
    }
    if (command === 'rules') {
      const { values, positionals } = parse([...rest], { ...LANG_OPTION, out: { type: 'string', short: 'o' }, rules: { type: 'string', short: 'r' } }, pack, 'kam rules');
      if (values.help) {
        io.out(pack.help.rules);
        return 0;
      }
      const [action, ...args] = positionals;
      if (action !== undefined && action !== 'check' && action !== 'table') throw new InputError(pack.unknownCommand({ command: `rules ${action}` }), 'kam rules');
      const allowed = action === 'check' ? 1 : 0;
      if (args.length > allowed) throw new InputError(pack.tooManyInputs({ extra: args.slice(allowed).join(' ') }), 'kam rules');
      return await runRules({ action, file: args[0], rules: values.rules, out: values.out, lang }, pack, io);
    }
    if (command === 'sql') {
      const { values, positionals } = parse(
        [...rest],
        {
          ...LANG_OPTION,
          rules: { type: 'string', short: 'r' },
          dialect: { type: 'string', short: 'd' },
          table: { type: 'string', short: 't' },
          map: { type: 'string', short: 'm', multiple: true },
          columns: { type: 'string', short: 'c' },
        },
        pack,
        'kam sql',
      );
      if (values.help) {
        io.out(pack.help.sql);
        return 0;
      }
      if (positionals.length > 0) throw new InputError(pack.tooManyInputs({ extra: positionals.join(' ') }), 'kam sql');
      return await runSql({ rules: values.rules, dialect: values.dialect, table: values.table, map: values.map ?? [], columns: values.columns, lang }, pack, io);
    }
    if (command === 'check') {
      const { values, positionals } = parse([...rest], { ...LANG_OPTION, sheet: { type: 'string', short: 's' } }, pack, 'kam check');
      if (values.help) {
        io.out(SYNC_PACKS[lang].checkHelp);
        return 0;
      }
      const [file, ...extra] = positionals;
      if (file === undefined) throw new InputError(pack.missingInput(), 'kam check');
      if (extra.length > 0) throw new InputError(pack.tooManyInputs({ extra: extra.join(' ') }), 'kam check');
      return await runCheck({ file, sheet: values.sheet, lang }, pack, io);
    }
    if (command === 'merge') {
      const options = { ...LANG_OPTION, out: { type: 'string', short: 'o' }, rules: { type: 'string', short: 'r' }, 'rules-from': { type: 'string' } } as const;
      const { values, positionals } = parse([...rest], options, pack, 'kam merge');
      if (values.help) {
        io.out(SYNC_PACKS[lang].mergeHelp);
        return 0;
      }
      return await runMerge({ files: positionals, out: values.out, rules: values.rules, rulesFrom: values['rules-from'], lang }, pack, io);
    }
    throw new InputError(pack.unknownCommand({ command }), 'kam');
  } catch (error) {
    if (error instanceof InputError) {
      io.err(`kam: ${error.message}`);
      if (error.helpFor) io.err(pack.seeHelp({ command: error.helpFor }));
      return 2;
    }
    io.err(`kam: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 1;
  }
}

if (require.main === module) {
  cleanUpOnSignals();
  // `kam score … | head` closes the pipe early: the work is done, so stop quietly.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  const io: Output = {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  };
  void main(process.argv.slice(2), io).then((status) => {
    process.exitCode = status;
  });
}
