/**
 * What differs between the SQL engines the generated query runs on, in one table. The query itself
 * avoids every other difference: it computes in IEEE doubles only (no integer division, no
 * DECIMAL literals), rounds with FLOOR instead of ROUND (whose half-way rule differs), gives
 * yes/no as 0/1 integers instead of booleans, and joins texts with `||` over non-null pieces.
 */
export const SQL_DIALECTS = ['duckdb', 'sqlite', 'postgres', 'spark', 'trino'] as const;
export type SqlDialect = (typeof SQL_DIALECTS)[number];

export interface DialectSpec {
  /** A quoted identifier (table, column). */
  ident(name: string): string;
  /** A string literal. */
  text(value: string): string;
  /** A double-precision literal that every engine parses to exactly the same double as JavaScript. */
  double(x: number): string;
  /** An input column read as a double; blank (NULL) stays NULL. */
  readNumber(column: string): string;
  /** The largest integer ≤ a non-negative double, as a number the engine can add doubles to. */
  floor(expr: string): string;
  /** A NULL of the double type, for a criterion the table has no column for. */
  nullDouble: string;
  /** A column read as text (a currency code), whatever type the table gave it. */
  textOf(column: string): string;
  /** The character with this Unicode code point (a tab, a no-break space): named, not written raw into the query. */
  char(code: number): string;
  /** Can the final SELECT drop the helper columns itself (`* EXCLUDE`)? */
  exclude: boolean;
}

/** The shortest text that reads back as `x` (JavaScript's), with a negative sign kept apart. */
function shortest(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`not a finite number: ${x}`);
  return String(Object.is(x, -0) ? 0 : x);
}

const wrapNegative = (x: number, text: string): string => (x < 0 ? `(${text})` : text);

/** `"name"` with inner quotes doubled: the SQL standard, used by all but Spark. */
const doubleQuoted = (name: string): string => `"${name.replace(/"/g, '""')}"`;
/** `'text'` with inner quotes doubled. */
const standardText = (value: string): string => `'${value.replace(/'/g, "''")}'`;

/** `1.5E-1`, `100E0`: an exponent makes a DOUBLE literal in DuckDB, Spark 3 and Trino (not DECIMAL). */
function exponentLiteral(x: number): string {
  const s = shortest(x);
  const text = /e/i.test(s) ? s.replace(/e\+?/i, 'E') : `${s}E0`;
  return wrapNegative(x, text);
}

/**
 * SQLite up to 3.46 reads decimal literals with long-double arithmetic that misses the nearest
 * double now and then (0.001743883 reads one unit in the last place low). A quotient of two exact
 * numbers is rounded correctly, so fractions are written as `(CAST(15 AS REAL) / 100)` for 0.15;
 * integers get ".0" so that sums of weights never divide as integers.
 */
function sqliteDouble(x: number): string {
  const s = shortest(x);
  if (Number.isInteger(x) && Math.abs(x) < 1e21) return wrapNegative(x, `${s}.0`);
  const [mantissa = '', exponent = '0'] = Math.abs(x).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const places = digits.length - 1 - Number(exponent);
  if (places > 0 && places <= 22 && Number(digits) <= Number.MAX_SAFE_INTEGER) {
    const divisor = places <= 18 ? `1${'0'.repeat(places)}` : `1e${places}`;
    return `(${x < 0 ? '-' : ''}CAST(${digits} AS REAL) / ${divisor})`;
  }
  return wrapNegative(x, s);
}

/** A code point's UTF-8 bytes in hexadecimal (the engine has no Buffer or TextEncoder types). */
function utf8Hex(code: number): string {
  const bytes =
    code < 0x80
      ? [code]
      : code < 0x800
        ? [0xc0 | (code >> 6), 0x80 | (code & 63)]
        : code < 0x10000
          ? [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63)]
          : [0xf0 | (code >> 18), 0x80 | ((code >> 12) & 63), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63)];
  return bytes.map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join('');
}

export const DIALECTS: Readonly<Record<SqlDialect, DialectSpec>> = {
  duckdb: {
    ident: doubleQuoted,
    text: standardText,
    double: exponentLiteral,
    readNumber: (column) => `CAST(${column} AS DOUBLE)`,
    floor: (expr) => `FLOOR(${expr})`,
    nullDouble: 'CAST(NULL AS DOUBLE)',
    textOf: (column) => `CAST(${column} AS VARCHAR)`,
    char: (code) => `chr(${code})`,
    exclude: true,
  },
  sqlite: {
    ident: doubleQuoted,
    text: standardText,
    double: sqliteDouble,
    // An imported CSV holds '' for a blank cell: that is a blank, not 0.
    readNumber: (column) => `CAST(NULLIF(${column}, '') AS REAL)`,
    // FLOOR needs SQLite's optional math functions; CAST truncates, which is FLOOR for x ≥ 0.
    floor: (expr) => `CAST(${expr} AS INTEGER)`,
    nullDouble: 'CAST(NULL AS REAL)',
    textOf: (column) => `CAST(${column} AS TEXT)`,
    char: (code) => `char(${code})`,
    exclude: false,
  },
  postgres: {
    ident: doubleQuoted,
    text: standardText,
    // Any numeric literal is NUMERIC in PostgreSQL: the typed literal makes it a double.
    double: (x) => `float8 '${shortest(x)}'`,
    readNumber: (column) => `CAST(${column} AS DOUBLE PRECISION)`,
    floor: (expr) => `FLOOR(${expr})`,
    nullDouble: 'CAST(NULL AS DOUBLE PRECISION)',
    textOf: (column) => `CAST(${column} AS TEXT)`,
    char: (code) => `chr(${code})`,
    exclude: false,
  },
  spark: {
    ident: (name) => `\`${name.replace(/`/g, '``')}\``,
    // Spark reads backslash escapes inside string literals.
    text: (value) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`,
    double: exponentLiteral,
    readNumber: (column) => `CAST(${column} AS DOUBLE)`,
    // Spark's FLOOR gives a BIGINT; adding it to a double gives a double again.
    floor: (expr) => `FLOOR(${expr})`,
    nullDouble: 'CAST(NULL AS DOUBLE)',
    textOf: (column) => `CAST(${column} AS STRING)`,
    // Spark's chr is Latin-1 (code mod 256): past it, the character's UTF-8 bytes decoded.
    char: (code) => (code < 256 ? `chr(${code})` : `decode(unhex('${utf8Hex(code)}'), 'UTF-8')`),
    exclude: false,
  },
  trino: {
    ident: doubleQuoted,
    text: standardText,
    double: exponentLiteral,
    readNumber: (column) => `CAST(${column} AS DOUBLE)`,
    floor: (expr) => `FLOOR(${expr})`,
    nullDouble: 'CAST(NULL AS DOUBLE)',
    textOf: (column) => `CAST(${column} AS VARCHAR)`,
    char: (code) => `chr(${code})`,
    exclude: false,
  },
};
