/**
 * The application context every workflow receives: the database, the payment provider, the mail
 * transport and the shop's configuration — all required, so a workflow can never run with a part
 * missing (docs/decisions/0011-application-layer.md). Built once per process by the composition
 * root: `src/lib/app.ts` for pages (from astro:env), `scripts/lib/app.ts` for the seed and CLIs,
 * `tests/helpers/app.ts` for tests.
 */
import type { Db } from '../db.ts';
import type { PaymentProvider } from '../payments/index.ts';
import { parseCountryList, type CheckoutConfig } from '../checkout/index.ts';
import type { CreditSettings } from '../commissions/index.ts';
import { deliverPending, type MailTransport } from '../mail/index.ts';
import type { EmailContext } from '../orders/index.ts';
import { createFormatter, type Formatter } from '../shared/index.ts';
import { getAppSecret } from '../shared/index.ts';
import type { ConfigValues } from '../shared/index.ts';
import { DAY_MS, MINUTE_MS } from '../shared/index.ts';

export interface ShopConfig {
  name: string;
  currency: string;
  locale: string;
  /** Public origin, for absolute links in mail and at the payment provider. */
  siteUrl: string;
  /** IANA time zone of the shop's day (daily limits such as help-cut's reset at its midnight). */
  timeZone: string;
}

export interface AppConfig {
  shop: ShopConfig;
  checkout: CheckoutConfig;
  credit: CreditSettings & { payoutThresholdCents: number };
  /** Verified buyer reviews (src/server/reviews). */
  reviews: { afterShippedDays: number };
}

export interface App {
  db: Db;
  provider: PaymentProvider;
  mail: MailTransport;
  config: AppConfig;
  fmt: Formatter;
  /**
   * Send the outbox right after a workflow commits (the server), or leave it to the sweeper and
   * explicit `deliverPending` calls (tests and the seed, which close the database when done).
   */
  deliverMailAfterCommit: boolean;
}

/**
 * The shop's configuration for the workflows, from validated variables (astro:env in the server,
 * `loadConfig` in scripts — the same rules, src/server/shared/config.ts).
 */
export function appConfigFrom(v: Pick<ConfigValues, AppConfigVar>): AppConfig {
  let countries: string[];
  try {
    countries = parseCountryList(v.SHIP_COUNTRIES);
  } catch (err) {
    throw new Error(`SHIP_COUNTRIES is invalid: ${(err as Error).message}`);
  }
  return {
    shop: { name: v.SHOP_NAME, currency: v.SHOP_CURRENCY, locale: v.SHOP_LOCALE, siteUrl: v.SITE_URL, timeZone: v.SHOP_TIME_ZONE },
    checkout: {
      currency: v.SHOP_CURRENCY,
      countries,
      reservationTtlMs: v.RESERVATION_TTL_MINUTES * MINUTE_MS,
      shippingMethods: [
        { id: 'standard', label: 'Standard delivery', priceCents: v.SHIPPING_STANDARD_CENTS, freeOverCents: v.FREE_SHIPPING_OVER_CENTS, days: '3–5 business days' },
        { id: 'express', label: 'Express delivery', priceCents: v.SHIPPING_EXPRESS_CENTS, freeOverCents: null, days: '1–2 business days' },
      ],
    },
    credit: {
      defaultRateBps: v.COMMISSION_DEFAULT_RATE_BPS,
      lockDays: v.COMMISSION_LOCK_DAYS,
      attributionWindowMs: v.ATTRIBUTION_WINDOW_DAYS * DAY_MS,
      savedWindowMs: v.SAVED_CREDIT_DAYS * DAY_MS,
      payoutThresholdCents: v.PAYOUT_THRESHOLD_CENTS,
    },
    reviews: { afterShippedDays: v.REVIEW_AFTER_SHIPPED_DAYS },
  };
}

type AppConfigVar =
  | 'SHOP_NAME'
  | 'SHOP_CURRENCY'
  | 'SHOP_LOCALE'
  | 'SHOP_TIME_ZONE'
  | 'SITE_URL'
  | 'SHIP_COUNTRIES'
  | 'RESERVATION_TTL_MINUTES'
  | 'SHIPPING_STANDARD_CENTS'
  | 'SHIPPING_EXPRESS_CENTS'
  | 'FREE_SHIPPING_OVER_CENTS'
  | 'COMMISSION_DEFAULT_RATE_BPS'
  | 'COMMISSION_LOCK_DAYS'
  | 'ATTRIBUTION_WINDOW_DAYS'
  | 'SAVED_CREDIT_DAYS'
  | 'PAYOUT_THRESHOLD_CENTS'
  | 'REVIEW_AFTER_SHIPPED_DAYS';

export function createApp(parts: { db: Db; provider: PaymentProvider; mail: MailTransport; config: AppConfig; deliverMailAfterCommit: boolean }): App {
  return { ...parts, fmt: createFormatter(parts.config.shop) };
}

/** What the order emails need: shop name, locale, site and the order-link secret. */
export async function emailContext(app: App): Promise<EmailContext> {
  const { shop } = app.config;
  return { shopName: shop.name, locale: shop.locale, siteUrl: shop.siteUrl, linkSecret: await getAppSecret(app.db, 'order_links') };
}

/**
 * Sends what the last transaction put in the outbox, without making the request wait. A failure
 * stays in the outbox and is retried by the next call or the mail sweeper (ADR 0005).
 */
export function deliverMailSoon(app: App): void {
  if (!app.deliverMailAfterCommit) return;
  void deliverPending(app.db, app.mail).catch((err) => console.error('mail delivery failed; will retry', err));
}
