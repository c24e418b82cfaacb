/**
 * Formula injection (OWASP "CSV Injection"), pure: a text cell that starts with = + - @ (also after
 * leading spaces, which some spreadsheets skip) or with a tab or carriage return would be run as a
 * formula when the file is opened in a spreadsheet. Such a cell gets a leading apostrophe, which
 * spreadsheets show as text and hide. Every CSV Lookbook writes guards its text cells this way;
 * a file Lookbook reads back (the product import) drops the apostrophe again, so a round trip keeps
 * the text exactly.
 */

/** = + - @ (also after leading spaces) or a leading tab / CR. */
const FORMULA_START = /^(?:\s*[=+\-@]|[\t\r])/;

/**
 * @example guardFormula('=HYPERLINK("x")') // "'=HYPERLINK(\"x\")"
 * @example guardFormula('Linen shirt') // 'Linen shirt'
 */
export function guardFormula(text: string): string {
  return needsGuard(text) ? `'${text}` : text;
}

/**
 * The inverse, for cells read back: an apostrophe is dropped only where guardFormula put one.
 * @example unguardFormula("'=SUM(A1)") // '=SUM(A1)'
 * @example unguardFormula("'tis the season") // "'tis the season"
 */
export function unguardFormula(text: string): string {
  return text.startsWith("'") && needsGuard(text.slice(1)) ? text.slice(1) : text;
}

/**
 * A formula start, or apostrophes before one: "'=x" typed by someone is guarded too ("''=x"), so
 * that reading back drops exactly the apostrophe the export added and unguard(guard(t)) is t.
 */
function needsGuard(text: string): boolean {
  return FORMULA_START.test(text.replace(/^'+/, ''));
}
