import fc from 'fast-check';
import { CsvReader, csvField, detectDelimiter, parseCsv, writeCsv, type CsvDelimiter } from '../../src/engine/csv';

const fields = (text: string, delimiter?: CsvDelimiter): string[][] => parseCsv(text, delimiter ? { delimiter } : {}).records.map((r) => r.fields);

describe('parseCsv (RFC 4180)', () => {
  test('reads plain fields, with or without a final line break', () => {
    expect(fields('a,b,c\r\n1,2,3\r\n')).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
    ]);
    expect(fields('a,b,c\n1,2,3')).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
    ]);
  });

  test('reads quoted fields with delimiters, doubled quotes and line breaks inside', () => {
    const text = 'name,note\r\n"Smith, John","said ""hi""\r\nthen left"\r\n"",x\r\n';
    expect(fields(text)).toEqual([
      ['name', 'note'],
      ['Smith, John', 'said "hi"\r\nthen left'],
      ['', 'x'],
    ]);
  });

  test('numbers records by the line they start on, across line breaks inside quotes', () => {
    const { records } = parseCsv('h1,h2\n"a\nb\nc",1\nx,2\r\ny,3\rz,4');
    expect(records.map((r) => r.line)).toEqual([1, 2, 5, 6, 7]);
    expect(records[1]?.text).toBe('"a\nb\nc",1');
  });

  test('drops a UTF-8 byte-order mark, keeps every other character', () => {
    expect(fields('\uFEFF客户,毛利率\n宁波精工,18%\n')).toEqual([
      ['客户', '毛利率'],
      ['宁波精工', '18%'],
    ]);
  });

  test('an empty line is a record of one empty field, not skipped silently', () => {
    expect(fields('a,b\n\n1,2\n')).toEqual([['a', 'b'], [''], ['1', '2']]);
  });

  test('keeps a record with too many fields as it is, with its source text', () => {
    const { records } = parseCsv('id,name,address,city\nBLONP,Blondel,24, place Kléber,Strasbourg\n');
    expect(records[1]).toEqual({ fields: ['BLONP', 'Blondel', '24', ' place Kléber', 'Strasbourg'], line: 2, text: 'BLONP,Blondel,24, place Kléber,Strasbourg' });
  });

  test('a quote inside an unquoted field is literal', () => {
    expect(fields('a,b\n12" pipe,Bon app\'\n')).toEqual([
      ['a', 'b'],
      ['12" pipe', "Bon app'"],
    ]);
  });

  test('text after a closing quote marks the record, and the rest still parses', () => {
    const { records } = parseCsv('a,b\n"x"y,1\n2,3\n');
    expect(records[1]?.problem).toBe('textAfterQuote');
    expect(records[2]).toEqual({ fields: ['2', '3'], line: 3, text: '2,3' });
  });

  test('an unclosed quote costs its own line only', () => {
    const { records } = parseCsv('a,b\n"oops,1\n2,3\n4,5');
    expect(records.map((r) => [r.line, r.problem ?? null, r.fields])).toEqual([
      [1, null, ['a', 'b']],
      [2, 'unterminatedQuote', ['"oops,1']],
      [3, null, ['2', '3']],
      [4, null, ['4', '5']],
    ]);
  });
});

describe('detectDelimiter', () => {
  test.each([
    ['a,b,c\n1;2;3', ','],
    ['Kunde;Umsatz;Marge\n1;2,5;3', ';'],
    ['客户\t年销售额\t毛利率\n', '\t'],
    ['"a;b;c",d\n', ','],
    ['single\n', ','],
    ['\uFEFFa;b\n', ';'],
  ])('%j → %j', (text, expected) => {
    expect(detectDelimiter(text)).toBe(expected);
  });

  test('reads a semicolon file without being told', () => {
    expect(fields('Kunde;Umsatz\n"Müller; Söhne";1.200,50\n')).toEqual([
      ['Kunde', 'Umsatz'],
      ['Müller; Söhne', '1.200,50'],
    ]);
  });
});

describe('writeCsv', () => {
  test('quotes only what needs it, with CRLF and an optional BOM', () => {
    expect(writeCsv([['a', 'b,c', 'say "x"', 'l1\nl2', '']], { bom: true })).toBe('\uFEFFa,"b,c","say ""x""","l1\nl2",\r\n');
  });

  test('a row of one empty field is written as "" so it survives', () => {
    expect(writeCsv([['h'], [''], ['x']])).toBe('h\r\n""\r\nx\r\n');
    expect(fields(writeCsv([['h'], [''], ['x']]))).toEqual([['h'], [''], ['x']]);
  });
});

describe('round trip (property)', () => {
  // Characters that stress quoting: delimiters, quotes, every line break, a BOM, CJK, spaces.
  const char = fc.constantFrom(',', ';', '\t', '"', '\r', '\n', '\uFEFF', ' ', 'a', 'Z', '0', '中', 'é', "'");
  const field = fc.oneof(fc.string({ unit: char, maxLength: 8 }), fc.string({ maxLength: 6 }));
  // Rectangular, as a sheet is: a record spanning lines must have the header's width (see the stray-quote rule).
  const table = fc.integer({ min: 1, max: 6 }).chain((width) => fc.array(fc.array(field, { minLength: width, maxLength: width }), { maxLength: 8 }));
  const delimiter = fc.constantFrom<CsvDelimiter>(',', ';', '\t');

  test('writing then parsing any table of strings gives it back', () => {
    fc.assert(
      fc.property(table, delimiter, fc.boolean(), fc.constantFrom<'\r\n' | '\n'>('\r\n', '\n'), (rows, d, bom, lineBreak) => {
        const text = writeCsv(rows, { delimiter: d, bom, lineBreak });
        expect(fields(text, d)).toEqual(rows);
      }),
      { numRuns: 500 },
    );
  });

  test('records keep their exact source text: joined by the line breaks, they give the file back', () => {
    fc.assert(
      fc.property(table, (rows) => {
        const text = writeCsv(rows);
        const { records } = parseCsv(text, { delimiter: ',' });
        expect(records.map((r) => `${r.text}\r\n`).join('')).toBe(text);
      }),
    );
  });

  test('the header row decides the delimiter when it has more than one field', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: fc.constantFrom('a', 'b', '中', ' '), minLength: 1, maxLength: 5 }), { minLength: 2, maxLength: 6 }), delimiter, (header, d) => {
        expect(detectDelimiter(writeCsv([header], { delimiter: d }))).toBe(d);
      }),
    );
  });
});

describe('issue 7: a stray quote costs at most the line it opens', () => {
  test('a quote opened on line 2 and "closed" on line 103 folds nothing', () => {
    const lines = ['Customer,Sales,Margin', '"Acme,100,0.2'];
    for (let i = 3; i <= 102; i++) lines.push(`C${i},${i},0.1`);
    lines.push('12" pipe Co",5,0.3', 'Last,1,0.1');
    const { records } = parseCsv(lines.join('\n'));
    expect(records).toHaveLength(lines.length);
    expect(records[1]).toMatchObject({ line: 2, problem: 'unterminatedQuote', text: '"Acme,100,0.2' });
    expect(records.slice(2, 102).every((r) => !r.problem && r.fields.length === 3)).toBe(true);
    expect(records[102]).toMatchObject({ line: 103, fields: ['12" pipe Co"', '5', '0.3'] });
    expect(records[103]).toMatchObject({ line: 104, fields: ['Last', '1', '0.1'] });
  });

  test('a closing quote followed by a delimiter lines later: the wrong width gives the stray quote away', () => {
    const { records } = parseCsv('a,b,c\n"x,1,2\ny,3,4\nz",5\nw,6,7\n');
    expect(records.map((r) => [r.line, r.problem ?? null])).toEqual([
      [1, null],
      [2, 'unterminatedQuote'],
      [3, null],
      [4, null], // z",5: a literal quote in an unquoted field, two fields: the reader of the file reports the count
      [5, null],
    ]);
  });

  test("a real multi-line field with the header's width still reads as one record", () => {
    const { records } = parseCsv('name,note\n"Smith","line one\nline two"\nJones,x\n');
    expect(records.map((r) => r.fields)).toEqual([
      ['name', 'note'],
      ['Smith', 'line one\nline two'],
      ['Jones', 'x'],
    ]);
  });

  test('a quote that never closes in a long file is read as stray without holding the rest', () => {
    const reader = new CsvReader();
    const got = reader.push('a,b\n"open,1\n', false);
    const rest: string[] = [];
    for (let i = 0; i < 40_000; i++) rest.push(`row${i},${'x'.repeat(30)}`);
    const more = reader.push(rest.join('\n'), false);
    const last = reader.push('\n', true);
    const all = [...got, ...more, ...last];
    expect(all[1]).toMatchObject({ line: 2, problem: 'unterminatedQuote' });
    expect(all).toHaveLength(40_002);
  });
});

describe('issue 7: sep= line and chunked reading', () => {
  test('a leading sep=; line sets the delimiter and is not read as the header', () => {
    const parse = parseCsv('sep=;\r\nCustomer;Sales\r\nAcme;1,5\r\n');
    expect(parse.delimiter).toBe(';');
    expect(parse.separatorLine).toBe('sep=;');
    expect(parse.records.map((r) => [r.line, r.fields])).toEqual([
      [2, ['Customer', 'Sales']],
      [3, ['Acme', '1,5']],
    ]);
    expect(parseCsv('\uFEFFSEP=\t\nA\tB\n').records[0]?.fields).toEqual(['A', 'B']);
  });

  test('a given delimiter wins over a sep= line, which is then data', () => {
    expect(parseCsv('sep=;\na,b\n', { delimiter: ',' }).records[0]?.fields).toEqual(['sep=;']);
  });

  // Once a counterexample: ['"\\r";', cuts [2]] (a CR at a chunk's end inside the first line's quotes).
  test('any text cut into any chunks reads as the whole text does', () => {
    const char = fc.constantFrom(',', ';', '"', '\r', '\n', 'a', '中', ' ');
    fc.assert(
      fc.property(fc.string({ unit: char, maxLength: 60 }), fc.array(fc.nat(60), { maxLength: 6 }), (text, cuts) => {
        const whole = parseCsv(text);
        const reader = new CsvReader();
        const points = [...new Set(cuts.map((c) => Math.min(c, text.length)))].sort((a, b) => a - b);
        const records = [];
        let from = 0;
        for (const p of points) {
          records.push(...reader.push(text.slice(from, p), false));
          from = p;
        }
        records.push(...reader.push(text.slice(from), true));
        expect(records).toEqual(whole.records);
        expect(reader.delimiter ?? ',').toBe(whole.delimiter);
      }),
      { numRuns: 1000 },
    );
  });

  // kam scores a large file in two parts (csv-stream.ts): the second starts at a line feed where a
  // copy of the first part's reader ends a record, and is read by a reader continuing from there.
  test('a text cut at a line feed where a record ends reads on in a continuing reader as the whole text does', () => {
    const char = fc.constantFrom(',', '"', '\r', '\n', 'a', '中', ' ', '\uFEFF');
    let kept = 0;
    fc.assert(
      fc.property(fc.string({ unit: char, maxLength: 60 }), fc.nat(60), (body, at) => {
        const text = `h1,h2\n${body}`;
        const whole = parseCsv(text);
        const feed = text.indexOf('\n', Math.min(at, text.length));
        if (feed < 0) return;
        const cut = feed + 1;
        const reader = new CsvReader();
        const copy = reader.copy();
        const first = copy.push(text.slice(0, cut), false);
        if (copy.pending) {
          // Not a record's end (a quoted field runs on): the reader it was copied from is untouched.
          expect(reader.push(text, true)).toEqual(whole.records);
          return;
        }
        kept++;
        const header = whole.records[0]?.fields.length ?? 0;
        const rest = CsvReader.continuing(whole.delimiter, header).push(text.slice(cut), true);
        const before = copy.nextLine - 1;
        expect([...first, ...rest.map((r) => ({ ...r, line: r.line + before }))]).toEqual(whole.records);
      }),
      { numRuns: 2000 },
    );
    // The property was tried on cuts that were kept, not only on ones that fell inside quotes.
    expect(kept).toBeGreaterThan(200);
  });
});

describe('csvField: one field as writeCsv writes it inside a row', () => {
  test.each([
    ['plain', ',', 'plain'],
    ['a,b', ',', '"a,b"'],
    ['a,b', ';', 'a,b'],
    ['a;b', ';', '"a;b"'],
    ['tab\there', '\t', '"tab\there"'],
    ['say "hi"', ',', '"say ""hi"""'],
    ['two\nlines', ',', '"two\nlines"'],
    ['cr\r', ',', '"cr\r"'],
    ['', ',', ''],
  ] as const)('%j with %j', (field, delimiter, expected) => {
    expect(csvField(field, delimiter)).toBe(expected);
    expect(writeCsv([['x', field]], { delimiter })).toBe(`x${delimiter}${expected}\r\n`);
  });
});
