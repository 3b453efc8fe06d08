/**
 * How the adapter makes Excel errors. The core never touches the `CustomFunctions` global: it gets
 * a factory, so Node (tests, benchmark) can run it and see which error a cell would show.
 */
import type { ExcelErrorText } from '../engine';

/** The `CustomFunctions.ErrorCode` members a function may return (`#REF!` and `#NAME?` are input-only). */
export type ErrorCodeName = 'invalidValue' | 'notAvailable' | 'divisionByZero' | 'invalidNumber' | 'nullReference';

/** Makes the error object a cell shows; in Excel, `new CustomFunctions.Error(ErrorCode[code], message)`. */
export type ErrorFactory<E> = (code: ErrorCodeName, message?: string) => E;

/** What a cell shows for each error a function may return. */
export const ERROR_CODE_TEXT: Readonly<Record<ErrorCodeName, ExcelErrorText>> = {
  invalidValue: '#VALUE!',
  notAvailable: '#N/A',
  divisionByZero: '#DIV/0!',
  invalidNumber: '#NUM!',
  nullReference: '#NULL!',
};

/** Only #VALUE! and #N/A can carry a message in Excel. */
const TAKES_MESSAGE: ReadonlySet<ErrorCodeName> = new Set(['invalidValue', 'notAvailable']);

/** Excel errors that can be returned as themselves (the reverse of ERROR_CODE_TEXT); the rest come back as #VALUE! naming them. */
const RETURNABLE: ReadonlyMap<string, ErrorCodeName> = new Map(Object.entries(ERROR_CODE_TEXT).map(([code, text]) => [text, code as ErrorCodeName]));

export class Errors<E> {
  constructor(private readonly make: ErrorFactory<E>) {}

  value(message: string): E {
    return this.make('invalidValue', message);
  }

  notAvailable(message: string): E {
    return this.make('notAvailable', message);
  }

  /** An Excel error that arrived in an input comes back out as itself where Excel allows it. */
  passThrough(excelError: string, message: string): E {
    const code = RETURNABLE.get(excelError) ?? 'invalidValue';
    return TAKES_MESSAGE.has(code) ? this.make(code, message) : this.make(code);
  }
}
