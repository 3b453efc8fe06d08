import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CliPack } from './messages';

/** A problem with the user's input or arguments: reported in one message, exit status 2. */
export class InputError extends Error {
  constructor(
    message: string,
    /** Set for usage errors: the command whose --help to point at. */
    readonly helpFor?: string,
  ) {
    super(message);
    this.name = 'InputError';
  }
}

export type FileKind = 'csv' | 'xlsx';

/** The kind of file a path names, by its extension. */
export function fileKind(file: string, pack: CliPack): FileKind {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.csv' || ext === '.tsv' || ext === '.txt') return 'csv';
  if (ext === '.xlsx' || ext === '.xlsm') return 'xlsx';
  if (ext === '.xls') throw new InputError(pack.oldExcelFormat({ file }));
  throw new InputError(pack.unsupportedType({ file, ext: ext === '' ? '(none)' : ext }));
}

/** Checks that an input file exists and is a regular file. */
export function requireFile(file: string, pack: CliPack): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new InputError(pack.fileNotFound({ file }));
  }
  if (!stat.isFile()) throw new InputError(pack.notAFile({ file }));
}

/** `accounts.xlsx` → `accounts.kam.xlsx`, beside the input. */
export function defaultOutputPath(input: string): string {
  const ext = path.extname(input);
  return path.join(path.dirname(input), `${path.basename(input, ext)}.kam${ext}`);
}

/** The real path of a file, or of its directory joined with its name when it does not exist yet. */
function canonical(file: string): string {
  const absolute = path.resolve(file);
  try {
    return fs.realpathSync(absolute);
  } catch {
    try {
      return path.join(fs.realpathSync(path.dirname(absolute)), path.basename(absolute));
    } catch {
      return absolute;
    }
  }
}

/** Whether two paths name the same file (through symlinks and `..`). */
export function sameFile(a: string, b: string): boolean {
  return canonical(a) === canonical(b);
}

/**
 * Writes a file through a temporary file beside it and a rename, so that a failure half-way never
 * leaves a half-written result (and never touches an existing file until the new one is complete).
 */
export async function writeAtomically(target: string, write: (tempPath: string) => Promise<void> | void): Promise<void> {
  const dir = path.dirname(path.resolve(target));
  const temp = path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  unfinished.add(temp);
  try {
    await write(temp);
    fs.renameSync(temp, target);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  } finally {
    unfinished.delete(temp);
  }
}

/** Temporary files (and scratch folders) being written: what an interrupted run must remove. */
const unfinished = new Set<string>();

/** A temporary path that an interrupted run must remove (a file, or a folder with what is in it). */
export function markUnfinished(temp: string): void {
  unfinished.add(temp);
}

export function forgetUnfinished(temp: string): void {
  unfinished.delete(temp);
}

/** What to say when a signal stops the run (set by the command, in the user's language). */
let interruptMessage: ((signal: string) => string) | undefined;

export function sayOnInterrupt(say: (signal: string) => string): void {
  interruptMessage = say;
}

/** Conventional exit statuses for a run stopped by a signal: 128 + its number. */
const SIGNAL_STATUS = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;

/**
 * Ctrl-C, SIGTERM or a closed terminal while kam writes: remove the temporary file (the output, or
 * the file it would replace, is never half-written) and exit with 128 + the signal's number.
 */
export function cleanUpOnSignals(): void {
  for (const signal of Object.keys(SIGNAL_STATUS) as Array<keyof typeof SIGNAL_STATUS>) {
    process.once(signal, () => {
      // Retried: a worker thread may still be adding a file to a scratch folder.
      for (const temp of unfinished) fs.rmSync(temp, { force: true, recursive: true, maxRetries: 5, retryDelay: 10 });
      if (interruptMessage) process.stderr.write(`kam: ${interruptMessage(signal)}\n`);
      process.exit(SIGNAL_STATUS[signal]);
    });
  }
}

/** A shell command that opens a file with its default application, for the final hint. */
export function openCommand(file: string, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return `start "" "${file}"`;
  const quoted = `'${file.replace(/'/g, `'\\''`)}'`;
  return platform === 'darwin' ? `open ${quoted}` : `xdg-open ${quoted}`;
}

/** A short description of an unexpected error from a library, for messages that name the file. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
