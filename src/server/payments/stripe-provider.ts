/**
 * The `stripe` payment provider (ADR 0006): Stripe Checkout Sessions built from the order's server
 * prices (docs/architecture.md, rule 1), and refunds against the PaymentIntent. It only moves money; the
 * order changes when Stripe's webhook reports what happened (stripe-webhook.ts → handlePaymentEvent),
 * never in the success redirect.
 *
 * How the charged total equals `order.totalCents` exactly, discounts included:
 * Checkout cannot take an arbitrary discount on a line, so each order line becomes ONE Checkout line
 * priced at its net (subtotal − its share of the discount, as placeOrder stored it). When the net
 * divides evenly by the quantity (always, without a discount) the line is sent as `qty × unit`, so
 * the buyer sees the real unit price; otherwise as `1 × net` with the quantity in the name. Shipping
 * is a fixed-amount shipping option. Sum of nets + shipping = subtotal − discount + shipping = total,
 * checked before anything is sent. We chose this over an ad-hoc Stripe coupon (`discounts`) because
 * it needs one request instead of two, leaves no coupon objects behind in the Stripe account, and
 * each line's charged amount is exactly the net the refund code (refund.ts) pays back per line.
 * The price of that choice: Stripe's page and receipt show no separate "discount" row; the line's
 * description names the code and the saving instead.
 *
 * Other settings that keep the amount ours: promotion codes, automatic tax and adjustable
 * quantities stay off, and Adaptive Pricing is switched off explicitly — with it the buyer may pay
 * in another currency, and refunds and `charge.amount_refunded` would then be in that currency,
 * not in the order's minor units.
 *
 * Authorise now, capture later (group buy; https://docs.stripe.com/payments/place-a-hold-on-a-payment-method):
 * `createCheckout(…, { capture: 'manual' })` sets `payment_intent_data.capture_method = 'manual'`
 * and `capture: 'manual'` in the metadata of both the session and its PaymentIntent, so the webhook
 * can tell an authorisation (completed, `payment_status: 'unpaid'`) from a delayed payment.
 * `capture` and `voidAuthorization` act on that PaymentIntent; Stripe's refusals come back as values,
 * `expired: true` when the PaymentIntent is canceled (voided, or lapsed after
 * MANUAL_CAPTURE_WINDOW_MS) and can never be captured.
 */
import Stripe from 'stripe';
import { formatMoney } from '../shared/index.ts';
import type { CaptureOutcome, CheckoutSession, OrderForPayment, PaymentProvider, RefundOutcome, VoidOutcome } from './provider.ts';

/** Stripe: `expires_at` must be 30 minutes to 24 hours after the session is created. */
export const STRIPE_MIN_SESSION_MS = 30 * 60_000;
export const STRIPE_MAX_SESSION_MS = 24 * 60 * 60_000;
/** Slack for the clock difference between this server and Stripe and the request's travel time. */
export const SESSION_MARGIN_MS = 2 * 60_000;

export const PAYMENT_INTENT_PATTERN = /^pi_[A-Za-z0-9_]{8,}$/;

const clients = new Map<string, Stripe>();

/** The PaymentIntent a Stripe API error carries, if any (e.g. with code 'payment_intent_unexpected_state'). */
function intentOfError(err: unknown): { status?: string } | undefined {
  return err instanceof Stripe.errors.StripeError ? err.payment_intent : undefined;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Can this Stripe error never turn into a capture? True when the PaymentIntent is canceled (voided
 * by us, or canceled by Stripe when the authorisation lapsed), or Stripe says the authorisation
 * expired. https://docs.stripe.com/error-codes#payment-intent-unexpected-state,
 * https://docs.stripe.com/error-codes#charge-expired-for-capture
 */
export function isExpiredAuthorisationError(err: unknown): boolean {
  if (!(err instanceof Stripe.errors.StripeError)) return false;
  if (err.code === 'charge_expired_for_capture') return true;
  return intentOfError(err)?.status === 'canceled';
}

/**
 * The process-wide Stripe client for a secret key (one per key, created on first use). Retries are
 * safe: every write we send carries an idempotency key.
 * @example const stripe = getStripe(STRIPE_SECRET_KEY);
 */
export function getStripe(secretKey: string, apiUrl?: string): Stripe {
  const key = `${secretKey}|${apiUrl ?? ''}`;
  let client = clients.get(key);
  if (!client) {
    client = new Stripe(secretKey, { maxNetworkRetries: 2, timeout: 20_000, appInfo: { name: 'Lookbook' }, ...stripeApiHost(apiUrl) });
    clients.set(key, client);
  }
  return client;
}

/**
 * Where the Stripe SDK sends its requests: api.stripe.com unless STRIPE_API_URL names another
 * origin (the e2e suite points the deployed code path at its local Stripe stub this way).
 * @example stripeApiHost('http://127.0.0.1:12111') // { host: '127.0.0.1', port: 12111, protocol: 'http' }
 */
export function stripeApiHost(apiUrl: string | undefined): { host?: string; port?: number; protocol?: 'http' | 'https' } {
  if (!apiUrl) return {};
  const u = new URL(apiUrl);
  const protocol = u.protocol === 'http:' ? 'http' : 'https';
  return { host: u.hostname, port: u.port ? Number(u.port) : protocol === 'http' ? 80 : 443, protocol };
}

/**
 * When the Checkout Session expires: no earlier than Stripe allows (now + 30 min + margin), and no
 * earlier than the reservation. The reservation (default 15 min) usually lapses first; a payment
 * in between is the "paid after the reservation expired" path of fulfil.ts (honoured from free
 * stock, or refunded). Seconds, as Stripe wants them.
 */
export function sessionExpiresAt(reservationExpiresAt: number, now: number): number {
  const earliest = now + STRIPE_MIN_SESSION_MS + SESSION_MARGIN_MS;
  const latest = now + STRIPE_MAX_SESSION_MS - SESSION_MARGIN_MS;
  return Math.ceil(Math.min(Math.max(earliest, reservationExpiresAt), latest) / 1000);
}

/**
 * Pure: Checkout line items from the order's server prices, with the amounts that must add up to
 * the order total. Throws if they do not (a bug: never send a session that charges another amount).
 */
export function checkoutLineItems(order: OrderForPayment, locale = 'en-US'): Stripe.Checkout.SessionCreateParams.LineItem[] {
  const currency = order.currency.toLowerCase();
  const money = (cents: number) => formatMoney(cents, { currency: order.currency, locale });
  const items = order.lines.map((l): Stripe.Checkout.SessionCreateParams.LineItem => {
    const subtotal = l.unitPriceCents * l.qty;
    const net = subtotal - l.discountCents;
    if (!Number.isInteger(net) || net < 0 || !Number.isInteger(l.qty) || l.qty < 1) {
      throw new Error(`order ${order.id}: line "${l.title}" has an invalid amount (${subtotal} − ${l.discountCents} for ${l.qty})`);
    }
    const label = l.variantLabel ? `${l.title} — ${l.variantLabel}` : l.title;
    const even = net % l.qty === 0;
    const saving = l.discountCents > 0 ? `${l.qty} × ${money(l.unitPriceCents)}, less ${money(l.discountCents)} discount` : undefined;
    return {
      quantity: even ? l.qty : 1,
      price_data: {
        currency,
        unit_amount: even ? net / l.qty : net,
        product_data: {
          name: even ? label : `${label} × ${l.qty}`,
          ...(saving ? { description: saving } : {}),
        },
      },
    };
  });
  const charged = items.reduce((s, i) => s + (i.price_data?.unit_amount ?? 0) * (i.quantity ?? 0), 0) + order.shippingCents;
  if (charged !== order.totalCents) {
    throw new Error(`order ${order.id}: Checkout would charge ${charged}, but the order total is ${order.totalCents}`);
  }
  return items;
}

/** Stripe needs absolute return URLs; the app passes paths. `{CHECKOUT_SESSION_ID}` is kept as is. */
export function absoluteUrl(url: string, siteUrl: string): string {
  if (/^https?:\/\//i.test(url)) return url;
  if (!url.startsWith('/')) throw new Error(`return URL must be absolute or start with "/": ${url}`);
  return siteUrl.replace(/\/+$/, '') + url;
}

export function createStripeProvider({
  secretKey,
  siteUrl,
  apiUrl,
  stripe = getStripe(secretKey, apiUrl),
  now = () => Date.now(),
  locale = 'en-US',
}: {
  secretKey: string;
  siteUrl: string;
  /** STRIPE_API_URL: another API origin than api.stripe.com (a local stub in tests). */
  apiUrl?: string | undefined;
  stripe?: Stripe;
  /** Clock for `expires_at` (tests). */
  now?: () => number;
  /** For the amounts in a discounted line's description on Stripe's page. */
  locale?: string;
}): PaymentProvider {
  return {
    name: 'stripe',

    async createCheckout(order, { successUrl, cancelUrl }, { attempt, capture = 'automatic' } = {}): Promise<CheckoutSession> {
      const currency = order.currency.toLowerCase();
      const manual = capture === 'manual';
      // `capture: 'manual'` in the metadata is what the webhook reads (stripe-webhook.ts): an
      // automatic session's metadata stays exactly as before.
      const metadata = { order_id: String(order.id), order_number: order.number, ...(manual ? { capture: 'manual' } : {}) };
      // One session per order: a retried request (network retry, double submit) gets the same
      // session back instead of a second one. Stripe refuses a reused key with different
      // parameters, so callers must reuse the stored session (orders.provider_session_id) rather
      // than ask again later for the same order. A retry (`attempt`, after the previous session was
      // expired) is a new payment with its own key.
      const session = await stripe.checkout.sessions.create(
        {
          mode: 'payment',
          customer_email: order.email,
          client_reference_id: String(order.id),
          metadata,
          payment_intent_data: { metadata, description: `Order ${order.number}`, ...(manual ? { capture_method: 'manual' as const } : {}) },
          line_items: checkoutLineItems(order, locale),
          shipping_options: [
            {
              shipping_rate_data: {
                type: 'fixed_amount',
                display_name: order.shippingLabel,
                fixed_amount: { amount: order.shippingCents, currency },
              },
            },
          ],
          adaptive_pricing: { enabled: false },
          allow_promotion_codes: false,
          submit_type: 'pay',
          expires_at: sessionExpiresAt(order.expiresAt, now()),
          success_url: absoluteUrl(successUrl, siteUrl),
          cancel_url: absoluteUrl(cancelUrl, siteUrl),
        },
        { idempotencyKey: attempt ? `checkout-${order.id}-${attempt}` : `checkout-${order.id}` },
      );
      if (!session.url) throw new Error(`Stripe returned Checkout Session ${session.id} without a URL`);
      return { redirectUrl: session.url, sessionId: session.id };
    },

    async expireCheckout(sessionId: string): Promise<void> {
      // https://docs.stripe.com/api/checkout/sessions/expire — only an open session can be expired.
      await stripe.checkout.sessions.expire(sessionId, {}, { idempotencyKey: `expire-${sessionId}` });
    },

    async refund({ paymentId, amountCents, idempotencyKey }): Promise<RefundOutcome> {
      if (!paymentId) return { ok: false, error: 'the order has no Stripe payment to refund' };
      if (!PAYMENT_INTENT_PATTERN.test(paymentId)) return { ok: false, error: `not a Stripe PaymentIntent id: ${paymentId}` };
      if (!Number.isInteger(amountCents) || amountCents <= 0) return { ok: false, error: 'refund amount must be a positive integer' };
      try {
        const refund = await stripe.refunds.create({ payment_intent: paymentId, amount: amountCents }, { idempotencyKey });
        if (refund.status === 'failed' || refund.status === 'canceled') {
          return { ok: false, error: `Stripe refund ${refund.id} ${refund.status}${refund.failure_reason ? `: ${refund.failure_reason}` : ''}` };
        }
        return { ok: true, refundId: refund.id };
      } catch (err) {
        return { ok: false, error: err instanceof Error ? err.message : String(err) };
      }
    },

    async capture({ paymentId, amountCents, idempotencyKey }): Promise<CaptureOutcome> {
      if (!paymentId) return { ok: false, error: 'there is no Stripe authorisation to capture' };
      if (!PAYMENT_INTENT_PATTERN.test(paymentId)) return { ok: false, error: `not a Stripe PaymentIntent id: ${paymentId}` };
      if (!Number.isInteger(amountCents) || amountCents <= 0) return { ok: false, error: 'capture amount must be a positive integer' };
      if (!idempotencyKey) return { ok: false, error: 'a capture needs an idempotency key' };
      try {
        // https://docs.stripe.com/api/payment_intents/capture — only from requires_capture; at most
        // amount_capturable, the rest of the hold is released. The key makes a retry a replay.
        const intent = await stripe.paymentIntents.capture(paymentId, { amount_to_capture: amountCents }, { idempotencyKey });
        if (intent.status === 'canceled') return { ok: false, error: `Stripe PaymentIntent ${intent.id} is canceled`, expired: true };
        if (intent.status !== 'succeeded') return { ok: false, error: `Stripe PaymentIntent ${intent.id} is ${intent.status} after capture` };
        const charge = intent.latest_charge;
        return { ok: true, captureId: (typeof charge === 'string' ? charge : charge?.id) ?? intent.id };
      } catch (err) {
        return isExpiredAuthorisationError(err) ? { ok: false, error: errorMessage(err), expired: true } : { ok: false, error: errorMessage(err) };
      }
    },

    async voidAuthorization({ paymentId, idempotencyKey }): Promise<VoidOutcome> {
      if (!paymentId) return { ok: false, error: 'there is no Stripe authorisation to void' };
      if (!PAYMENT_INTENT_PATTERN.test(paymentId)) return { ok: false, error: `not a Stripe PaymentIntent id: ${paymentId}` };
      if (!idempotencyKey) return { ok: false, error: 'a void needs an idempotency key' };
      try {
        // https://docs.stripe.com/api/payment_intents/cancel — releases the hold.
        const intent = await stripe.paymentIntents.cancel(paymentId, {}, { idempotencyKey });
        if (intent.status !== 'canceled') return { ok: false, error: `Stripe PaymentIntent ${intent.id} is ${intent.status} after cancel` };
        return { ok: true };
      } catch (err) {
        // Already canceled (voided before, or lapsed): the hold is gone, which is what was asked.
        if (intentOfError(err)?.status === 'canceled') return { ok: true };
        return { ok: false, error: errorMessage(err) };
      }
    },
  };
}
