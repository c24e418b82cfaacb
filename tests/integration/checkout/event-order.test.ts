/**
 * Stripe does not order its events: a refund reported before the payment must end where the same
 * events in order would — refunded in full → refunded, no stock taken, no commission; in part →
 * partially refunded, stock sold, commission reversed in proportion. A refund whose charge names no
 * order is matched by its PaymentIntent, and asks for a redelivery (500) while the completion may
 * still be on its way. A signature dated in the future is refused.
 * (docs/decisions/0035-payment-events-in-any-order.md)
 */
import { and, eq, sum } from 'drizzle-orm';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../../helpers/db.ts';
import { testApp } from '../../helpers/app.ts';
import { BUYER_FORM, TEST_CHECKOUT } from '../../helpers/checkout.ts';
import { rid, startStripeStub, stripeEvents, type StripeStub } from '../../helpers/stripe-stub.ts';
import { makeCreator, makeProduct, makeVariant } from '../../../db/factories/factories.ts';
import { schema, type Db } from '../../../src/server/db.ts';
import { addToBag } from '../../../src/server/cart/index.ts';
import { orderForPayment, placeOrder, setProviderSession } from '../../../src/server/checkout/index.ts';
import { applyPaymentEvent } from '../../../src/server/flows/index.ts';
import { createStripeProvider, handleStripeWebhook, verifyStripeEvent } from '../../../src/server/payments/index.ts';
import { getProductsBySlug } from '../../../src/server/catalog/index.ts';

const { commissionEntries, orders, paymentEvents, variants } = schema;
const SECRET = 'whsec_test_event_order';
const KEY = 'sk_test_event_order';

let db: Db;
let stub: StripeStub;
let stripe: Stripe;
let creatorHandle: string;

beforeAll(async () => {
  db = await createTestDb();
  stub = await startStripeStub();
  stripe = new Stripe(KEY, { host: '127.0.0.1', port: stub.port, protocol: 'http', maxNetworkRetries: 0 });
  creatorHandle = (await makeCreator(db)).handle;
});
afterAll(() => stub.close());

/** A product with one variant; its slug and variant. */
async function product(stock: number, priceCents = 5000) {
  const p = await makeProduct(db, { variants: [makeVariant({ stock, priceCents })] });
  return { slug: p.slug, variant: p.variants[0]! };
}

/** A pending Stripe order for one unit, added from a creator's post card, with a Checkout Session at the stub. */
async function stripeOrder(sku: string) {
  const added = await addToBag(db, { sku, qty: 1, source: { kind: 'post', post: 'a-look', card: 0 } }, { now: Date.now(), checkSource: () => creatorHandle });
  if (!added.ok) throw new Error(added.reason);
  const placed = await placeOrder(db, { cartId: added.cartId, form: BUYER_FORM, config: TEST_CHECKOUT, provider: 'stripe' });
  if (!placed.ok) throw new Error(placed.reason);
  const provider = createStripeProvider({ secretKey: KEY, siteUrl: 'http://shop.test', stripe });
  const session = await provider.createCheckout((await orderForPayment(db, placed.orderId))!, { successUrl: '/done', cancelUrl: '/bag' });
  await setProviderSession(db, placed.orderId, session.sessionId);
  return { orderId: placed.orderId, number: placed.number, totalCents: placed.totalCents, sessionId: session.sessionId, paymentIntent: rid('pi_test') };
}

function deliver(event: object, { timestamp }: { timestamp?: number } = {}) {
  const payload = JSON.stringify(event);
  const signature = stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET, ...(timestamp ? { timestamp } : {}) });
  const app = testApp(db, { provider: createStripeProvider({ secretKey: KEY, siteUrl: 'http://shop.test', stripe }) });
  return handleStripeWebhook(db, { stripe, rawBody: payload, signature, secret: SECRET, apply: (e) => applyPaymentEvent(app, e), log: { warn() {}, error() {} } });
}

const order = async (id: number) => (await db.select().from(orders).where(eq(orders.id, id)).get())!;
const stockOf = async (variantId: number) => (await db.select().from(variants).where(eq(variants.id, variantId)).get())!.stockOnHand;
const availableOf = async (slug: string) => (await getProductsBySlug(db, [slug])).get(slug)!.variants[0]!.available;
const commission = async (orderId: number, kind: 'sale' | 'reversal') =>
  Number((await db.select({ n: sum(commissionEntries.amountCents) }).from(commissionEntries).where(and(eq(commissionEntries.orderId, orderId), eq(commissionEntries.kind, kind))).get())?.n ?? 0);

describe('a refund reported before the payment', () => {
  it('in full: the order ends refunded, no stock taken, no commission, nothing refunded twice', async () => {
    const { slug, variant } = await product(3);
    const o = await stripeOrder(variant.sku);
    const refund = stripeEvents.chargeRefunded(o.paymentIntent, o.totalCents, { metadata: { order_id: String(o.orderId) } });
    expect(await deliver(refund)).toEqual({ status: 200, body: { received: true, outcome: 'refund_recorded' } });
    expect(await order(o.orderId)).toMatchObject({ status: 'pending', refundedCents: o.totalCents });

    const completed = stripeEvents.session('checkout.session.completed', o);
    expect(await deliver(completed)).toEqual({ status: 200, body: { received: true, outcome: 'refunded_before_payment' } });
    expect(await order(o.orderId)).toMatchObject({ status: 'refunded', refundedCents: o.totalCents, needsRefund: false, providerPaymentId: o.paymentIntent });
    expect(await stockOf(variant.id)).toBe(3);
    expect(await availableOf(slug)).toBe(3); // the hold is released too
    expect(await commission(o.orderId, 'sale')).toBe(0);
    expect(stub.requests.filter((r) => r.path === '/v1/refunds')).toHaveLength(0);
  });

  it('in part: paid then partially refunded, stock sold, commission reversed in proportion', async () => {
    const { variant } = await product(3);
    const o = await stripeOrder(variant.sku);
    const part = Math.floor(o.totalCents / 2);
    expect((await deliver(stripeEvents.chargeRefunded(o.paymentIntent, part, { metadata: { order_id: String(o.orderId) } }))).status).toBe(200);
    expect((await deliver(stripeEvents.session('checkout.session.completed', o))).body).toEqual({ received: true, outcome: 'fulfilled' });
    expect(await order(o.orderId)).toMatchObject({ status: 'partially_refunded', refundedCents: part });
    expect(await stockOf(variant.id)).toBe(2);
    const sale = await commission(o.orderId, 'sale');
    expect(sale).toBeGreaterThan(0);
    const reversal = await commission(o.orderId, 'reversal');
    expect(reversal).toBeLessThan(0);
    expect(reversal).toBeGreaterThanOrEqual(-sale);
  });

  it('with no order metadata: 500 while the completion may still come, then matched by its PaymentIntent', async () => {
    const { variant } = await product(3);
    const o = await stripeOrder(variant.sku);
    const refund = stripeEvents.chargeRefunded(o.paymentIntent, o.totalCents);
    const early = await deliver(refund);
    expect(early.status).toBe(500);
    expect(await db.select().from(paymentEvents).where(eq(paymentEvents.id, refund.id)).get()).toBeUndefined();
    expect(await order(o.orderId)).toMatchObject({ status: 'pending', refundedCents: 0 });

    expect((await deliver(stripeEvents.session('checkout.session.completed', o))).body).toEqual({ received: true, outcome: 'fulfilled' });
    // Stripe's redelivery of the same event now finds the order by its PaymentIntent.
    expect(await deliver(refund)).toEqual({ status: 200, body: { received: true, outcome: 'refund_recorded' } });
    expect(await order(o.orderId)).toMatchObject({ status: 'refunded', refundedCents: o.totalCents });
    const sale = await commission(o.orderId, 'sale');
    expect(await commission(o.orderId, 'reversal')).toBe(-sale);
  });
});

describe('charges that are not ours', () => {
  it('are acknowledged without a write once no Checkout Session of ours can still complete', async () => {
    const fresh = await createTestDb();
    const payload = JSON.stringify(stripeEvents.chargeRefunded(rid('pi_test'), 500));
    const signature = stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET });
    const answer = await handleStripeWebhook(fresh, { stripe, rawBody: payload, signature, secret: SECRET, apply: () => Promise.reject(new Error('must not apply')), log: { warn() {}, error() {} } });
    expect(answer).toEqual({ status: 200, body: { received: true, outcome: 'unhandled' } });
  });
});

describe('signature timestamps', () => {
  it('refuses a signature dated in the future, as it refuses a stale one', () => {
    const payload = JSON.stringify(stripeEvents.chargeRefunded(rid('pi_test'), 100));
    const now = Math.floor(Date.now() / 1000);
    const at = (t: number) => verifyStripeEvent(stripe, payload, stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET, timestamp: t }), SECRET, 300, now);
    expect(at(now + 3600)).toMatchObject({ ok: false, reason: 'bad_signature' });
    expect(at(now - 3600)).toMatchObject({ ok: false, reason: 'bad_signature' });
    expect(at(now + 60)).toMatchObject({ ok: true });
    expect(at(now)).toMatchObject({ ok: true });
  });
});
