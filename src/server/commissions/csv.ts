/**
 * CSV for the dashboard exports, pure.
 *
 * - RFC 4180: fields with a comma, a double quote, CR or LF are quoted, quotes are doubled, rows
 *   end in CRLF. A UTF-8 byte-order mark goes first so that Excel reads "€" and “curly quotes”.
 * - Formula injection (OWASP "CSV Injection"): a text cell that starts with = + - @ (or a tab or
 *   carriage return; also after leading spaces) would be run as a formula by a spreadsheet; it gets
 *   a leading apostrophe (`guardFormula`, src/server/shared/csv-guard.ts).
 *   Post titles, product names and reasons come from people, so every text cell is guarded.
 *   Numbers are not text: write them as `number` (or `decimal()` for money) and they stay numbers,
 *   so "-12.50" for a reversal is not mangled into "'-12.50".
 */
import { guardFormula } from '../shared/index.ts';

/** A number written as text, e.g. "-12.50" for money; only digits, one optional sign and point. */
export class CsvDecimal {
  constructor(readonly text: string) {
    if (!/^-?\d+(\.\d+)?$/.test(text)) throw new TypeError(`not a decimal: ${text}`);
  }
}

export type CsvValue = string | number | boolean | null | undefined | CsvDecimal;

/**
 * Minor units as a decimal number: 1250 → 12.50, -5 → -0.05.
 * @example decimal(-1250).text // '-12.50'
 */
export function decimal(minor: number, fractionDigits = 2): CsvDecimal {
  if (!Number.isInteger(minor)) throw new TypeError(`decimal expects integer minor units, got ${minor}`);
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  if (fractionDigits === 0) return new CsvDecimal(`${sign}${abs}`);
  const unit = 10 ** fractionDigits;
  return new CsvDecimal(`${sign}${Math.floor(abs / unit)}.${String(abs % unit).padStart(fractionDigits, '0')}`);
}

/**
 * One cell, guarded and quoted as needed.
 * @example csvCell('=HYPERLINK("x")') // '"\'=HYPERLINK(""x"")"'
 * @example csvCell(-3) // '-3'
 */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof CsvDecimal) return value.text;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return '';
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = guardFormula(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRow(values: readonly CsvValue[]): string {
  return values.map(csvCell).join(',');
}

/**
 * A whole document: BOM, the header row, then the rows; every row ends in CRLF.
 * @example toCsv(['a', 'b'], [[1, 'x,y']]) // '\uFEFFa,b\r\n1,"x,y"\r\n'
 */
export function toCsv(header: readonly string[], rows: Iterable<readonly CsvValue[]>): string {
  const out: string[] = [csvRow(header)];
  for (const r of rows) {
    if (r.length !== header.length) throw new RangeError(`CSV row has ${r.length} cells, header has ${header.length}`);
    out.push(csvRow(r));
  }
  return `\uFEFF${out.join('\r\n')}\r\n`;
}

/**
 * A safe download name: letters, digits, dots, dashes and underscores only.
 * @example csvFilename('lookbook', 'entries', '2026-10-01', '2026-10-31') // 'lookbook-entries-2026-10-01-to-2026-10-31.csv'
 */
export function csvFilename(prefix: string, what: string, from: string, to: string): string {
  const clean = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'export';
  return `${clean(prefix)}-${clean(what)}-${clean(from)}-to-${clean(to)}.csv`;
}

/** The headers of a CSV download (the name is already safe; see csvFilename). */
export function csvHeaders(filename: string): Record<string, string> {
  if (!/^[A-Za-z0-9._-]+$/.test(filename)) throw new TypeError(`unsafe filename: ${filename}`);
  return {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="${filename}"`,
    'Cache-Control': 'private, no-store',
    'X-Content-Type-Options': 'nosniff',
  };
}

/** A plain-text error for an export (a download, not a page): 400 for bad dates, 403 without a creator. */
export function exportError(status: 400 | 403, message: string): Response {
  return new Response(`${message}\n`, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'private, no-store', 'X-Content-Type-Options': 'nosniff' },
  });
}
