/**
 * The app's run-time context: configuration from astro:env/server and the one database handle.
 * Pages and middleware import from here; src/server/* never does (it receives `db` and values).
 */
import {
  DATABASE_AUTH_TOKEN,
  DATABASE_URL,
  RENDER_CACHE_ENTRIES,
  SECURE_COOKIES,
  SHOP_CURRENCY,
  SHOP_LOCALE,
  SHOP_NAME,
} from 'astro:env/server';
import { openDb, type Db } from '../server/db.ts';
import { formatMoney } from '../server/catalog/money.ts';

export const shop = {
  name: SHOP_NAME,
  currency: SHOP_CURRENCY,
  locale: SHOP_LOCALE,
  secureCookies: SECURE_COOKIES,
  renderCacheEntries: RENDER_CACHE_ENTRIES,
} as const;

let dbPromise: Promise<Db> | undefined;

/** The process-wide database handle (opened lazily, once). */
export function getDb(): Promise<Db> {
  dbPromise ??= openDb({ url: DATABASE_URL, authToken: DATABASE_AUTH_TOKEN });
  return dbPromise;
}

/** Formats minor units in the shop's currency and locale. */
export function money(minor: number): string {
  return formatMoney(minor, shop);
}
