/** CSV for the dashboard exports (src/server/commissions/csv.ts): RFC 4180 quoting and formula-injection guard. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvCell, csvFilename, csvHeaders, CsvDecimal, decimal, exportError, toCsv } from '../../../src/server/commissions/index.ts';

// The guard's rule (src/server/shared/csv-guard.ts): a formula start, also after apostrophes someone typed.
const GUARDED = /^'*(?:\s*[=+\-@]|[\t\r])/;

/** A small RFC 4180 reader, to check that what we write reads back as the same cells. */
function parseCsv(text: string): string[][] {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\r' && body[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      (row = []), (cell = ''), i++;
    } else cell += c;
  }
  if (cell !== '' || row.length) row.push(cell), rows.push(row);
  return rows;
}

describe('csvCell', () => {
  it('leaves plain text alone and quotes commas, quotes and line breaks', () => {
    expect(csvCell('Wool coat')).toBe('Wool coat');
    expect(csvCell('Coat, long')).toBe('"Coat, long"');
    expect(csvCell('The “Soft” "Edit"')).toBe('"The “Soft” ""Edit"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\rhere')).toBe('"cr\rhere"');
    expect(csvCell('')).toBe('');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
  });

  it.each([
    ['=1+2', "'=1+2"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=cmd', "'\t=cmd"],
    ['  =1+2', "'  =1+2"],
    ['=HYPERLINK("http://evil.example","click")', `"'=HYPERLINK(""http://evil.example"",""click"")"`],
    ['=cmd|\' /C calc\'!A0', "'=cmd|' /C calc'!A0"],
  ])('guards %j against formula injection', (input, out) => {
    expect(csvCell(input)).toBe(out);
  });

  it('keeps numbers and decimals as numbers (a negative amount is not text)', () => {
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(12.5)).toBe('12.5');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell(decimal(-1250))).toBe('-12.50');
    expect(csvCell(true)).toBe('true');
  });

  it('never lets a text cell start a formula, and reads back to the (guarded) text', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const cell = csvCell(s);
        const [[back]] = parseCsv(`${cell}\r\n`) as [[string]];
        expect(back === undefined ? '' : back).toBe(GUARDED.test(s) ? `'${s}` : s);
        expect(/^(?:\s*[=+\-@]|[\t\r])/.test(back ?? '')).toBe(false);
      }),
    );
  });
});

describe('decimal', () => {
  it.each([
    [0, '0.00'],
    [5, '0.05'],
    [-5, '-0.05'],
    [1250, '12.50'],
    [-123456, '-1234.56'],
  ])('%i → %s', (minor, text) => {
    expect(decimal(minor).text).toBe(text);
  });
  it('refuses fractions and non-numbers', () => {
    expect(() => decimal(1.5)).toThrow(TypeError);
    expect(() => new CsvDecimal('=1')).toThrow(TypeError);
  });
});

describe('toCsv', () => {
  it('writes a BOM, a header and CRLF rows that read back cell for cell', () => {
    const csv = toCsv(['post', 'title', 'sales'], [
      ['a', 'Coats, capes & “more”', decimal(12900)],
      ['b', '=danger()', decimal(-50)],
      ['c', 'line\nbreak', null],
    ]);
    expect(csv.startsWith('\uFEFFpost,title,sales\r\n')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(parseCsv(csv)).toEqual([
      ['post', 'title', 'sales'],
      ['a', 'Coats, capes & “more”', '129.00'],
      ['b', "'=danger()", '-0.50'],
      ['c', 'line\nbreak', ''],
    ]);
  });
  it('refuses a row of the wrong width', () => {
    expect(() => toCsv(['a', 'b'], [[1]])).toThrow(RangeError);
  });
  it('round-trips any table of strings', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string({ minLength: 1 }), { minLength: 2, maxLength: 2 }), { maxLength: 6 }), (rows) => {
        const back = parseCsv(toCsv(['x', 'y'], rows));
        expect(back.slice(1)).toEqual(rows.map((r) => r.map((s) => (GUARDED.test(s) ? `'${s}` : s))));
      }),
    );
  });
});

describe('csvFilename / csvHeaders / exportError', () => {
  it('makes a safe attachment name and download headers', () => {
    const name = csvFilename('lookbook', 'posts', '2026-10-01', '2026-10-31');
    expect(name).toBe('lookbook-posts-2026-10-01-to-2026-10-31.csv');
    expect(csvFilename('look"book', '../../etc', 'a b', 'c;d')).toMatch(/^[A-Za-z0-9._-]+$/);
    const h = csvHeaders(name);
    expect(h['Content-Type']).toBe('text/csv; charset=utf-8');
    expect(h['Content-Disposition']).toBe(`attachment; filename="${name}"`);
    expect(h['Cache-Control']).toBe('private, no-store');
    expect(() => csvHeaders('a"; b.csv')).toThrow(TypeError);
  });
  it('answers errors as plain text with the status', async () => {
    const r = exportError(400, 'From date is not a real calendar date');
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toContain('text/plain');
    expect(await r.text()).toBe('From date is not a real calendar date\n');
  });
});
