/**
 * The page-side composition of the Buy capability: configuration from astro:env, the payment
 * provider chosen by configuration (Stripe when STRIPE_SECRET_KEY is set, else the built-in test
 * provider — ADR 0006), and the hooks that put order emails in the outbox.
 */
import {
  FREE_SHIPPING_OVER_CENTS,
  RESERVATION_TTL_MINUTES,
  SHIP_COUNTRIES,
  SHIPPING_EXPRESS_CENTS,
  SHIPPING_STANDARD_CENTS,
  SITE_URL,
  STRIPE_SECRET_KEY,
  STRIPE_WEBHOOK_SECRET,
} from 'astro:env/server';
import type { Db } from '../server/db.ts';
import { parseCountryList, type CheckoutConfig } from '../server/checkout/pricing.ts';
import type { PaymentEvent, PaymentProvider } from '../server/checkout/payments.ts';
import { createTestProvider } from '../server/checkout/test-provider.ts';
import { handlePaymentEvent, type FulfilHooks } from '../server/orders/fulfil.ts';
import { refundLatePayment, type RefundHooks } from '../server/orders/refund.ts';
import { enqueueConfirmation, enqueueRefunded, type EmailContext } from '../server/orders/order-emails.ts';
import { getAppSecret } from '../server/orders/order-links.ts';
import { getMailTransport, shop } from './runtime.ts';
import { creditSettings } from './credit.ts';
import { creditOrderLines, reverseOrderCommissions } from '../server/commissions/ledger.ts';
import { orders } from '../../db/schema/index.ts';
import { eq } from 'drizzle-orm';
import { deliverPending } from '../server/mail/outbox.ts';

function countries(): string[] {
  try {
    return parseCountryList(SHIP_COUNTRIES);
  } catch (err) {
    throw new Error(`SHIP_COUNTRIES is invalid: ${(err as Error).message}`);
  }
}

export const checkoutConfig: CheckoutConfig = {
  currency: shop.currency,
  countries: countries(),
  reservationTtlMs: RESERVATION_TTL_MINUTES * 60_000,
  shippingMethods: [
    { id: 'standard', label: 'Standard delivery', priceCents: SHIPPING_STANDARD_CENTS, freeOverCents: FREE_SHIPPING_OVER_CENTS, days: '3–5 business days' },
    { id: 'express', label: 'Express delivery', priceCents: SHIPPING_EXPRESS_CENTS, freeOverCents: null, days: '1–2 business days' },
  ],
};

export const siteUrl = SITE_URL;
export const stripeConfigured = Boolean(STRIPE_SECRET_KEY);
export const stripeWebhookSecret = STRIPE_WEBHOOK_SECRET;

let provider: Promise<PaymentProvider> | undefined;
/** The configured provider: Stripe when a key is set, else the built-in test provider. */
export function getPaymentProvider(): Promise<PaymentProvider> {
  provider ??= (async () => {
    if (!STRIPE_SECRET_KEY) return createTestProvider();
    const { createStripeProvider } = await import('../server/checkout/stripe-provider.ts');
    return createStripeProvider({ secretKey: STRIPE_SECRET_KEY, siteUrl: SITE_URL });
  })().catch((err: unknown) => {
    provider = undefined; // do not cache a failed start
    throw err;
  });
  return provider;
}

export async function emailContext(db: Db): Promise<EmailContext> {
  return { shopName: shop.name, locale: shop.locale, siteUrl: SITE_URL, linkSecret: await getAppSecret(db, 'order_links') };
}

export async function paymentHooks(db: Db): Promise<FulfilHooks> {
  const ctx = await emailContext(db);
  return {
    onPaid: async (tx, orderId) => {
      // Attribution is decided once, per line, at payment (rule 4); the sale entries follow (rule 5).
      await creditOrderLines(tx, orderId, creditSettings, Date.now());
      await enqueueConfirmation(tx, orderId, ctx);
    },
    onRefundRecorded: async (tx, orderId) => {
      const o = await tx.select({ refundedCents: orders.refundedCents, totalCents: orders.totalCents }).from(orders).where(eq(orders.id, orderId)).get();
      if (o) await reverseOrderCommissions(tx, orderId, Date.now(), o);
    },
    onDispute: async (tx, orderId) => {
      await reverseOrderCommissions(tx, orderId, Date.now(), 'all');
    },
  };
}

export async function refundHooks(db: Db): Promise<RefundHooks> {
  const ctx = await emailContext(db);
  return {
    onRefunded: async (tx, orderId, lines, amountCents) => {
      await reverseOrderCommissions(tx, orderId, Date.now());
      await enqueueRefunded(tx, orderId, ctx, { amountCents, lines });
    },
  };
}

/**
 * Applies a provider event and finishes what must happen after it commits: a late payment with no
 * stock left is refunded automatically.
 */
export async function applyPaymentEvent(db: Db, event: PaymentEvent) {
  const result = await handlePaymentEvent(db, event, { hooks: await paymentHooks(db) });
  // A late payment with no stock left is refunded now. This also runs on a redelivered (duplicate)
  // event, so a refund that failed the first time is retried by the provider's retry; if it fails
  // again we throw, the webhook answers 500 and the provider delivers the event once more.
  if ((result.outcome === 'needs_refund' || result.outcome === 'duplicate') && result.orderId !== null) {
    const refunded = await refundLatePayment(db, await getPaymentProvider(), result.orderId, { hooks: await refundHooks(db) });
    if (!refunded.ok && refunded.message !== 'nothing to refund') {
      deliverMailSoon(db);
      throw new Error(`automatic refund of late payment for order ${result.orderId} failed: ${refunded.message}`);
    }
  }
  deliverMailSoon(db);
  return result;
}

/**
 * Sends what the last transaction put in the outbox, without making the request wait. A failure
 * stays in the outbox and is retried by the next call or the mail sweeper (ADR 0005).
 */
export function deliverMailSoon(db: Db): void {
  void deliverPending(db, getMailTransport()).catch((err) => console.error('mail delivery failed; will retry', err));
}
