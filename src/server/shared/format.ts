/**
 * Presentation bound to the shop's locale and currency: money, dates and date-times. Pages and
 * emails format through a `Formatter` made once from the configuration (`createFormatter`), so the
 * shop shows one money format and one set of date styles everywhere.
 */
import { formatMoney } from './money.ts';

export interface ShopLocale {
  locale: string;
  currency: string;
}

export type DateStyle = 'day' | 'long-day' | 'date-time' | 'precise' | 'long-date-time' | 'short-day' | 'short-date' | 'weekday';

const STYLES: Record<DateStyle, Intl.DateTimeFormatOptions> = {
  day: { dateStyle: 'medium', timeZone: 'UTC' },
  'long-day': { dateStyle: 'long', timeZone: 'UTC' },
  'date-time': { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' },
  precise: { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'UTC' },
  'long-date-time': { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' },
  'short-date': { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' },
  'short-day': { day: 'numeric', month: 'short', timeZone: 'UTC' },
  weekday: { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' },
};

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** One cached Intl.DateTimeFormat per locale and style. */
export function dateFormat(locale: string, style: DateStyle): Intl.DateTimeFormat {
  const key = `${locale}|${style}`;
  let f = dateFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, STYLES[style]);
    dateFormats.set(key, f);
  }
  return f;
}

export interface Formatter {
  /** @example fmt.money(12900) // "$129.00" */
  money(minor: number): string;
  /** @example fmt.date(Date.UTC(2026, 10, 23)) // "Nov 23, 2026" */
  date(at: number | Date, style?: DateStyle): string;
  /** @example fmt.dateTime(at) // "Nov 23, 2026, 2:05 PM" (UTC) */
  dateTime(at: number | Date): string;
  /** @example fmt.count(2, 'day') // "2 days";  fmt.count(1, 'item') // "1 item" */
  count(n: number, singular: string, plural?: string): string;
  /** Minor-unit digits of the shop's currency (2 for USD, EUR, GBP), for money typed into forms. */
  fractionDigits: number;
}

export function createFormatter(shop: ShopLocale): Formatter {
  return {
    money: (minor) => formatMoney(minor, shop),
    date: (at, style = 'day') => dateFormat(shop.locale, style).format(at),
    dateTime: (at) => dateFormat(shop.locale, 'date-time').format(at),
    count: (n, singular, plural = `${singular}s`) => `${n} ${n === 1 ? singular : plural}`,
    fractionDigits: new Intl.NumberFormat(shop.locale, { style: 'currency', currency: shop.currency }).resolvedOptions().maximumFractionDigits ?? 2,
  };
}
