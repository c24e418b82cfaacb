/**
 * Money is an integer amount of minor units plus an ISO 4217 currency code. This is the one
 * formatter; every price on every page goes through it.
 */
const formatters = new Map<string, Intl.NumberFormat>();

export interface MoneyFormat {
  currency: string;
  locale: string;
}

/**
 * @example formatMoney(12900, { currency: 'USD', locale: 'en-US' }) // "$129.00"
 */
export function formatMoney(minor: number, { currency, locale }: MoneyFormat): string {
  if (!Number.isInteger(minor)) throw new TypeError(`formatMoney expects integer minor units, got ${minor}`);
  const key = `${locale}|${currency}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, { style: 'currency', currency });
    formatters.set(key, f);
  }
  const digits = f.resolvedOptions().maximumFractionDigits ?? 2;
  return f.format(minor / 10 ** digits);
}

/** Amount as a decimal string for machine-readable output (JSON-LD, feeds): 12900 → "129.00". */
export function toDecimalString(minor: number, fractionDigits = 2): string {
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  const unit = 10 ** fractionDigits;
  return `${sign}${Math.floor(abs / unit)}.${String(abs % unit).padStart(fractionDigits, '0')}`;
}
