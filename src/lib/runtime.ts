/**
 * The app's run-time context: configuration from astro:env/server and the one database handle.
 * Pages and middleware import from here; src/server/* never does (it receives `db` and values).
 */
import {
  DATABASE_AUTH_TOKEN,
  DATABASE_URL,
  MAIL_FROM,
  RENDER_CACHE_ENTRIES,
  SECURE_COOKIES,
  SHOP_CURRENCY,
  SHOP_LOCALE,
  SHOP_NAME,
  SMTP_URL,
} from 'astro:env/server';
import { openDb, type Db } from '../server/db.ts';
import { formatMoney } from '../server/shared/index.ts';
import { createMailTransport, type MailTransport } from '../server/mail/index.ts';

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

/** Mail configuration (ADR 0005): SMTP when SMTP_URL is set, otherwise the outbox (/dev/mail). */
export const mail = {
  smtpUrl: SMTP_URL?.trim() || undefined,
  from: MAIL_FROM,
  transport: SMTP_URL?.trim() ? 'smtp' : 'outbox',
} as const satisfies { smtpUrl: string | undefined; from: string; transport: 'smtp' | 'outbox' };

let mailTransport: MailTransport | undefined;

/** The process-wide mail transport (created lazily, once); pass it to `deliverPending`. */
export function getMailTransport(): MailTransport {
  mailTransport ??= createMailTransport(mail);
  return mailTransport;
}
