/**
 * Stripe webhooks → the shop's payment events (ADR 0006; docs/architecture.md, rules 3 and 6).
 *
 * 1. `verifyStripeEvent` checks the `Stripe-Signature` header over the RAW body with the endpoint
 *    secret (HMAC-SHA256, timestamp within the tolerance, 5 minutes by default, so a captured
 *    delivery cannot be replayed later). Nothing is read from an unverified body.
 *    https://docs.stripe.com/webhooks#verify-events
 * 2. `toPaymentEvent` maps the six event types we handle onto `PaymentEvent` (provider.ts); every
 *    other type maps to null and is acknowledged without a write. The Stripe event id (`evt_…`)
 *    becomes the payment event id, so `handlePaymentEvent` deduplicates redeliveries.
 *    `checkout.session.completed` is `checkout_completed`, except for a manual-capture session
 *    (`metadata.capture === 'manual'`, set by stripe-provider.ts) that is still `unpaid`: the card is
 *    authorised and nothing is captured, so it is `payment_authorized` with the session's
 *    PaymentIntent — never `checkout_completed` with `paid: false`, which would wait for an
 *    async payment that never comes. (A delayed method's unpaid completion has no such metadata.)
 * 3. `handleStripeWebhook` puts both together with the HTTP answer Stripe needs: 400 for a bad
 *    signature (nothing written), 200 for anything we have taken in — including duplicates and
 *    types we ignore, so Stripe stops retrying — and 500 when applying failed or the event cannot
 *    be matched to its order yet (Stripe retries).
 *
 * Which order an event is about:
 * - checkout.session.*: `metadata.order_id`, which the provider set together with
 *   `client_reference_id`; when both are present they must agree. An id that names no order still
 *   maps to an event, so it is recorded once as 'unknown_order' (useful when investigating).
 * - charge.refunded / charge.dispute.created: the order whose `provider_payment_id` is the
 *   charge's PaymentIntent (stored when checkout completed), else the object's `metadata.order_id`
 *   (Stripe does not copy the PaymentIntent's metadata onto its charges, so usually there is none).
 *   When neither finds an order, the rule (docs/decisions/0035-payment-events-in-any-order.md):
 *   - while one of our Checkout Sessions could still complete without its completion having been
 *     taken in (an order placed with Stripe in the last 24 hours + margin — Stripe's longest session
 *     — with no PaymentIntent recorded), the charge may be that payment, whose
 *     `checkout.session.completed` has not arrived yet: `toPaymentEvent` throws `NotYetMatched`
 *     and the webhook answers 500, so Stripe delivers the event again later (it retries for days)
 *     and it is applied once the completion has recorded the PaymentIntent;
 *   - otherwise no payment of ours can be behind it (another integration on the same account):
 *     acknowledged with 200, not recorded.
 * Malformed ids map to null as well. Amounts in events are used for refunds and disputes only
 * (what Stripe says was paid back); what the order costs always comes from our own rows.
 */
import { and, eq, gt, inArray, isNotNull, isNull } from 'drizzle-orm';
import type Stripe from 'stripe';
import type { Db } from '../db.ts';
import { orders } from '../../../db/schema/index.ts';
import type { PaymentEvent } from './provider.ts';
import { PAYMENT_INTENT_PATTERN } from './stripe-provider.ts';

export const STRIPE_EVENT_PATTERN = /^evt_[A-Za-z0-9_]{8,}$/;
export const CHECKOUT_SESSION_PATTERN = /^cs_(?:test|live)_[A-Za-z0-9_]{8,}$/;
const ORDER_ID_PATTERN = /^[1-9][0-9]{0,14}$/;

/** The event types we act on; everything else is acknowledged and ignored. */
export const HANDLED_STRIPE_EVENTS = [
  'checkout.session.completed',
  'checkout.session.async_payment_succeeded',
  'checkout.session.async_payment_failed',
  'checkout.session.expired',
  'charge.refunded',
  'charge.dispute.created',
] as const;

export type VerifyResult =
  | { ok: true; event: Stripe.Event }
  | { ok: false; reason: 'missing_signature' | 'bad_signature'; message: string };

/**
 * Verifies a delivery and parses it. A wrong signature, a stale or future timestamp (outside
 * `toleranceSeconds` either way), a malformed header and an unparsable body are all 'bad_signature'.
 * Stripe's own check only refuses stale timestamps; a signature dated ahead would stay replayable
 * until that date, so the future side is checked here.
 */
export function verifyStripeEvent(
  stripe: Pick<Stripe, 'webhooks'>,
  rawBody: string,
  signature: string | null,
  secret: string,
  toleranceSeconds = 300,
  nowSeconds = Math.floor(Date.now() / 1000),
): VerifyResult {
  if (!signature) return { ok: false, reason: 'missing_signature', message: 'Missing Stripe-Signature header.' };
  if (!secret) throw new Error('verifyStripeEvent needs the webhook signing secret');
  const timestamp = /(?:^|,)\s*t=(\d{1,12})(?:,|$)/.exec(signature)?.[1];
  if (timestamp !== undefined && Number(timestamp) > nowSeconds + toleranceSeconds) {
    return { ok: false, reason: 'bad_signature', message: 'Timestamp is in the future.' };
  }
  try {
    const event = stripe.webhooks.constructEvent(rawBody, signature, secret, toleranceSeconds);
    if (!event || typeof event.id !== 'string' || typeof event.type !== 'string') {
      return { ok: false, reason: 'bad_signature', message: 'Not a Stripe event.' };
    }
    return { ok: true, event };
  } catch (err) {
    return { ok: false, reason: 'bad_signature', message: err instanceof Error ? err.message : 'Invalid signature.' };
  }
}

function idOf(ref: string | { id: string } | null | undefined): string | null {
  if (!ref) return null;
  return typeof ref === 'string' ? ref : ref.id;
}

function paymentIntentId(ref: string | { id: string } | null | undefined): string | null {
  const id = idOf(ref);
  return id && PAYMENT_INTENT_PATTERN.test(id) ? id : null;
}

/** The order id a Checkout Session names, or null when it names none or contradicts itself. */
export function sessionOrderId(session: Pick<Stripe.Checkout.Session, 'metadata' | 'client_reference_id'>): number | null {
  const fromMetadata = session.metadata?.order_id ?? null;
  const fromReference = session.client_reference_id ?? null;
  if (fromMetadata !== null && fromReference !== null && fromMetadata !== fromReference) return null;
  const raw = fromMetadata ?? fromReference;
  return raw !== null && ORDER_ID_PATTERN.test(raw) ? Number(raw) : null;
}

async function orderForCharge(
  db: Db,
  paymentId: string | null,
  metadata: Stripe.Metadata | null | undefined,
): Promise<{ id: number; currency: string } | null> {
  if (paymentId) {
    const byPayment = await db
      .select({ id: orders.id, currency: orders.currency })
      .from(orders)
      .where(eq(orders.providerPaymentId, paymentId))
      .get();
    if (byPayment) return byPayment;
  }
  const raw = metadata?.order_id;
  if (raw && ORDER_ID_PATTERN.test(raw)) {
    const byMetadata = await db
      .select({ id: orders.id, currency: orders.currency })
      .from(orders)
      .where(eq(orders.id, Number(raw)))
      .get();
    if (byMetadata) return byMetadata;
  }
  return null;
}

/**
 * Thrown by `toPaymentEvent` for a charge event that may be about a payment whose completion has
 * not been taken in yet; the webhook answers 500 so Stripe delivers it again later.
 */
export class NotYetMatched extends Error {
  override name = 'NotYetMatched';
}

/** Stripe's longest Checkout Session (24 h), with margin: older sessions can no longer complete. */
const SESSION_HORIZON_MS = 24 * 60 * 60_000 + 60 * 60_000;

/** Could a Checkout Session of ours still complete, with no PaymentIntent recorded yet? */
async function awaitingStripeCompletion(db: Db, now: number): Promise<boolean> {
  const row = await db
    .select({ id: orders.id })
    .from(orders)
    .where(
      and(
        eq(orders.provider, 'stripe'),
        isNotNull(orders.providerSessionId),
        isNull(orders.providerPaymentId),
        inArray(orders.status, ['pending', 'canceled']),
        gt(orders.createdAt, now - SESSION_HORIZON_MS),
      ),
    )
    .limit(1)
    .get();
  return row !== undefined;
}

async function orderForChargeOrRetry(
  db: Db,
  eventType: string,
  paymentId: string | null,
  metadata: Stripe.Metadata | null | undefined,
  now: number,
): Promise<{ id: number; currency: string } | null> {
  const order = await orderForCharge(db, paymentId, metadata);
  if (order || !paymentId) return order;
  if (await awaitingStripeCompletion(db, now)) {
    throw new NotYetMatched(`${eventType} for ${paymentId}: no order has this PaymentIntent yet; a checkout completion may still be on its way`);
  }
  return null;
}

const isAmount = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0;

/**
 * A verified Stripe event in the shop's words, or null when there is nothing for the shop to do.
 * @example await toPaymentEvent(db, event) // { id: 'evt_…', provider: 'stripe', type: 'checkout_completed', orderId: 12, paymentId: 'pi_…', paid: true }
 */
export async function toPaymentEvent(db: Db, event: Stripe.Event, now = Date.now()): Promise<PaymentEvent | null> {
  if (!STRIPE_EVENT_PATTERN.test(event.id)) return null;
  const base = { id: event.id, provider: 'stripe' as const };

  switch (event.type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded':
    case 'checkout.session.async_payment_failed':
    case 'checkout.session.expired': {
      const session = event.data.object;
      if (!CHECKOUT_SESSION_PATTERN.test(session.id) || session.mode !== 'payment') return null;
      const orderId = sessionOrderId(session);
      if (orderId === null) return null;
      if (event.type === 'checkout.session.completed') {
        if (session.metadata?.capture === 'manual' && session.payment_status === 'unpaid') {
          return { ...base, type: 'payment_authorized', orderId, paymentId: paymentIntentId(session.payment_intent) };
        }
        const paid = session.payment_status === 'paid' || session.payment_status === 'no_payment_required';
        return { ...base, type: 'checkout_completed', orderId, paymentId: paymentIntentId(session.payment_intent), paid };
      }
      if (event.type === 'checkout.session.async_payment_succeeded') {
        return { ...base, type: 'payment_succeeded', orderId, paymentId: paymentIntentId(session.payment_intent) };
      }
      // Failure and expiry cancel the order, so they must be about the session the order is
      // waiting on: a stale session of the same order (were one ever replaced) must not cancel it.
      // A completed payment is taken in whatever session it came from — the money has moved.
      const current = await db.select({ sessionId: orders.providerSessionId }).from(orders).where(eq(orders.id, orderId)).get();
      if (current?.sessionId && current.sessionId !== session.id) return null;
      return { ...base, type: event.type === 'checkout.session.expired' ? 'checkout_expired' : 'payment_failed', orderId };
    }
    case 'charge.refunded': {
      const charge = event.data.object;
      if (!isAmount(charge.amount_refunded)) return null;
      const order = await orderForChargeOrRetry(db, event.type, paymentIntentId(charge.payment_intent), charge.metadata, now);
      // `amount_refunded` is in the charge's currency; it only means minor units of the order's
      // currency when the two agree (Adaptive Pricing is off in stripe-provider.ts for this reason).
      if (!order || charge.currency.toLowerCase() !== order.currency.toLowerCase()) return null;
      return { ...base, type: 'charge_refunded', orderId: order.id, amountRefundedCents: charge.amount_refunded };
    }
    case 'charge.dispute.created': {
      const dispute = event.data.object;
      if (!isAmount(dispute.amount)) return null;
      const order = await orderForChargeOrRetry(db, event.type, paymentIntentId(dispute.payment_intent), dispute.metadata, now);
      if (!order) return null;
      return { ...base, type: 'dispute_created', orderId: order.id, amountCents: dispute.amount };
    }
    default:
      return null;
  }
}

/**
 * What applying an event came to, as the orders capability names it ('fulfilled', 'duplicate', …),
 * or 'unhandled'. A plain string here, so payments does not depend on orders (orders depends on
 * payments for the provider interface).
 */
export type WebhookOutcome = string;

export type WebhookAnswer =
  | { status: 200; body: { received: true; outcome: WebhookOutcome } }
  | { status: 400; body: { error: string } }
  | { status: 500; body: { error: string } };

/**
 * The whole webhook, minus HTTP plumbing: verify, map, apply. `apply` is the app's
 * `applyPaymentEvent` (src/server/flows/pay.ts), which also refunds a late payment with no stock left.
 */
export async function handleStripeWebhook(
  db: Db,
  {
    stripe,
    rawBody,
    signature,
    secret,
    apply,
    toleranceSeconds = 300,
    log = console,
  }: {
    stripe: Pick<Stripe, 'webhooks'>;
    rawBody: string;
    signature: string | null;
    secret: string;
    apply: (event: PaymentEvent) => Promise<{ outcome: string }>;
    toleranceSeconds?: number;
    log?: Pick<Console, 'error' | 'warn'>;
  },
): Promise<WebhookAnswer> {
  const verified = verifyStripeEvent(stripe, rawBody, signature, secret, toleranceSeconds);
  if (!verified.ok) {
    return { status: 400, body: { error: verified.reason === 'missing_signature' ? 'Missing Stripe-Signature header.' : 'Invalid or expired signature.' } };
  }
  try {
    const event = await toPaymentEvent(db, verified.event);
    if (!event) {
      if ((HANDLED_STRIPE_EVENTS as readonly string[]).includes(verified.event.type)) {
        log.warn(`stripe webhook: ${verified.event.type} ${verified.event.id} names no order of this shop; ignored`);
      }
      return { status: 200, body: { received: true, outcome: 'unhandled' } };
    }
    const { outcome } = await apply(event);
    return { status: 200, body: { received: true, outcome } };
  } catch (err) {
    if (err instanceof NotYetMatched) {
      log.warn(`stripe webhook: ${verified.event.type} ${verified.event.id}: ${err.message}; asking Stripe to deliver it again`);
      return { status: 500, body: { error: 'This event cannot be matched to its order yet; please retry.' } };
    }
    // handlePaymentEvent runs in one transaction, so a failure there wrote nothing and Stripe's
    // retry applies the event afresh; a retry after it committed is recognised as a duplicate.
    log.error(`stripe webhook: ${verified.event.type} ${verified.event.id} failed`, err);
    return { status: 500, body: { error: 'Could not process the event; please retry.' } };
  }
}
