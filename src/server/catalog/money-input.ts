/**
 * Money typed by a person ("89", "89.5", "89.00", "$1299.00") → integer minor units, exactly.
 * No floating point anywhere: the digits are joined as text, so "0.29" is 29, never 28.999….
 * A dot is the only decimal mark and there are no thousands separators, so "1,299" (1299 or
 * 1.299?) is refused with a message instead of guessed.
 */

export type MoneyInputResult = { ok: true; cents: number } | { ok: false; message: string };
export type OptionalMoneyInputResult = { ok: true; cents: number | null } | { ok: false; message: string };

const MAX_WHOLE_DIGITS = 9; // well inside Number.MAX_SAFE_INTEGER once the cents are added

/**
 * @param fractionDigits minor-unit digits of the currency (2 for USD/EUR/GBP, 0 for JPY)
 * @example parseMoneyInput('89.00') // { ok: true, cents: 8900 }
 * @example parseMoneyInput('0.1')   // { ok: true, cents: 10 }
 * @example parseMoneyInput('1,299') // { ok: false, message: 'Use a dot for decimals and no thousands separators, like 1299.00.' }
 */
export function parseMoneyInput(input: string, { fractionDigits = 2 }: { fractionDigits?: number } = {}): MoneyInputResult {
  let s = input.trim().replace(/^[$€£]\s*/, '');
  if (s === '') return { ok: false, message: 'Enter an amount, like 89.00.' };
  if (s.startsWith('-')) return { ok: false, message: 'The amount cannot be negative.' };
  if (s.startsWith('+')) s = s.slice(1);
  if (s.includes(',')) return { ok: false, message: `Use a dot for decimals and no thousands separators, like ${example(fractionDigits)}.` };
  const m = /^(\d*)(?:\.(\d*))?$/.exec(s);
  if (!m || (m[1] === '' && (m[2] ?? '') === '')) return { ok: false, message: `Enter an amount in numbers, like ${example(fractionDigits)}.` };
  const whole = m[1] === '' ? '0' : m[1]!;
  const frac = m[2] ?? '';
  if (frac.length > fractionDigits) {
    return {
      ok: false,
      message: fractionDigits === 0 ? 'This currency has no decimals: enter a whole amount.' : `Use at most ${fractionDigits} decimal places.`,
    };
  }
  const wholeDigits = whole.replace(/^0+(?=\d)/, '');
  if (wholeDigits.length > MAX_WHOLE_DIGITS) return { ok: false, message: 'That amount is too large.' };
  const cents = Number(wholeDigits + frac.padEnd(fractionDigits, '0'));
  return { ok: true, cents };
}

/** Like parseMoneyInput, but an empty field means "none" (e.g. no compare-at price). */
export function parseOptionalMoneyInput(input: string, opts: { fractionDigits?: number } = {}): OptionalMoneyInputResult {
  if (input.trim() === '') return { ok: true, cents: null };
  return parseMoneyInput(input, opts);
}

/** Minor units back to what the form shows: 8900 → "89.00" (no currency symbol, no separators). */
export function formatMoneyInput(cents: number, { fractionDigits = 2 }: { fractionDigits?: number } = {}): string {
  if (!Number.isInteger(cents) || cents < 0) throw new TypeError(`formatMoneyInput expects non-negative integer minor units, got ${cents}`);
  if (fractionDigits === 0) return String(cents);
  const s = String(cents).padStart(fractionDigits + 1, '0');
  return `${s.slice(0, -fractionDigits)}.${s.slice(-fractionDigits)}`;
}

function example(fractionDigits: number): string {
  return fractionDigits === 0 ? '1299' : `1299.${'0'.repeat(fractionDigits)}`;
}
