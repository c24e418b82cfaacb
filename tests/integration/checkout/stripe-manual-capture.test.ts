/**
 * Authorise now, capture later (group buy) with the real Stripe SDK provider against the local
 * Stripe stub (tests/helpers/stripe-stub.ts): a manual-capture Checkout Session, the buyer's
 * authorisation, then capture — once, however often it is retried with its key — or void; a
 * capture after a void or a lapse is refused as expired. And what the shop does today with the
 * signed completion of such a session: records it, and sells nothing (the group-buy workflow applies
 * it). Nothing here touches the internet.
 */
import { eq } from 'drizzle-orm';
import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDb } from '../../helpers/db.ts';
import { testApp } from '../../helpers/app.ts';
import { BUYER_FORM, TEST_CHECKOUT } from '../../helpers/checkout.ts';
import { amountOf, signStripeEvent, startStripeStub, stripeEvents, type StripeStub } from '../../helpers/stripe-stub.ts';
import { makeProduct, makeVariant } from '../../../db/factories/factories.ts';
import { schema, type Db } from '../../../src/server/db.ts';
import { addToBag } from '../../../src/server/cart/index.ts';
import { orderForPayment, placeOrder, setProviderSession } from '../../../src/server/checkout/index.ts';
import { applyPaymentEvent } from '../../../src/server/flows/index.ts';
import { createStripeProvider, handleStripeWebhook, type PaymentProvider } from '../../../src/server/payments/index.ts';

const { orders, paymentEvents, variants } = schema;
const SECRET = 'whsec_test_manual_capture';
const KEY = 'sk_test_manual_capture';

let db: Db;
let stub: StripeStub;
let stripe: Stripe;
let provider: PaymentProvider;

beforeAll(async () => {
  db = await createTestDb();
  stub = await startStripeStub();
  stripe = new Stripe(KEY, { host: '127.0.0.1', port: stub.port, protocol: 'http', maxNetworkRetries: 0 });
  provider = createStripeProvider({ secretKey: KEY, siteUrl: 'http://shop.test', stripe });
});
afterAll(async () => {
  db.$client.close();
  await stub.close();
});
beforeEach(() => {
  stub.requests.length = 0;
});

/** A pending Stripe order for `qty` of a new product, and its Checkout Session at the stub. */
async function stripeOrder({ capture, qty = 1, stock = 5 }: { capture?: 'automatic' | 'manual'; qty?: number; stock?: number } = {}) {
  const p = await makeProduct(db, { variants: [makeVariant({ stock, priceCents: 3200 })] });
  const variant = p.variants[0]!;
  const added = await addToBag(db, { sku: variant.sku, qty, source: { kind: 'direct' } }, { now: Date.now(), checkSource: () => true });
  if (!added.ok) throw new Error(added.reason);
  const placed = await placeOrder(db, { cartId: added.cartId, form: BUYER_FORM, config: TEST_CHECKOUT, provider: 'stripe' });
  if (!placed.ok) throw new Error(placed.reason);
  const payable = (await orderForPayment(db, placed.orderId))!;
  const session = await provider.createCheckout(payable, { successUrl: '/done', cancelUrl: '/bag' }, capture ? { capture } : {});
  await setProviderSession(db, placed.orderId, session.sessionId);
  return { orderId: placed.orderId, number: placed.number, totalCents: placed.totalCents, sessionId: session.sessionId, variantId: variant.id };
}

/** A manual-capture order whose buyer has authorised the card at the stub. */
async function authorisedOrder() {
  const o = await stripeOrder({ capture: 'manual' });
  const intent = stub.authorise(o.sessionId);
  stub.requests.length = 0;
  return { ...o, paymentIntent: intent.id, intent };
}

const requestsTo = (path: string) => stub.requests.filter((r) => r.path === path);

describe('createCheckout with capture', () => {
  it("'manual' asks Stripe to authorise only, and marks the session and its PaymentIntent", async () => {
    const o = await stripeOrder({ capture: 'manual' });
    const [req] = requestsTo('/v1/checkout/sessions');
    expect(req!.idempotencyKey).toBe(`checkout-${o.orderId}`);
    expect(req!.body).toMatchObject({
      mode: 'payment',
      'payment_intent_data[capture_method]': 'manual',
      'payment_intent_data[metadata][capture]': 'manual',
      'payment_intent_data[metadata][order_id]': String(o.orderId),
      'metadata[capture]': 'manual',
      'metadata[order_id]': String(o.orderId),
    });
    // Still exactly the order total (the authorised amount is what a capture may take at most).
    expect(amountOf(req!.body)).toBe(o.totalCents);
    expect(stub.sessions.get(o.sessionId)).toMatchObject({ captureMethod: 'manual', amountTotal: o.totalCents });
  });

  it("by default (and with 'automatic') the request is as before: no capture method, no capture metadata", async () => {
    await stripeOrder();
    await stripeOrder({ capture: 'automatic' });
    const bodies = requestsTo('/v1/checkout/sessions').map((r) => r.body);
    expect(bodies).toHaveLength(2);
    for (const body of bodies) {
      expect(Object.keys(body).filter((k) => k.includes('capture'))).toEqual([]);
      expect(Object.keys(body).filter((k) => k.startsWith('metadata['))).toEqual(['metadata[order_id]', 'metadata[order_number]']);
    }
  });
});

describe('capture', () => {
  it('captures the authorised amount once; a replay with the same key captures nothing more', async () => {
    const o = await authorisedOrder();
    const args = { paymentId: o.paymentIntent, amountCents: o.totalCents, idempotencyKey: `group-capture:${o.orderId}` };
    const first = await provider.capture(args);
    expect(first).toEqual({ ok: true, captureId: o.intent.latestCharge });
    expect(stub.paymentIntents.get(o.paymentIntent)).toMatchObject({ status: 'succeeded', amountReceived: o.totalCents, amountCapturable: 0 });

    const replay = await provider.capture(args);
    expect(replay).toEqual(first);
    const captures = requestsTo(`/v1/payment_intents/${o.paymentIntent}/capture`);
    expect(captures.map((r) => [r.idempotencyKey, r.body])).toEqual([
      [args.idempotencyKey, { amount_to_capture: String(o.totalCents) }],
      [args.idempotencyKey, { amount_to_capture: String(o.totalCents) }],
    ]);
    expect(stub.paymentIntents.get(o.paymentIntent)!.amountReceived).toBe(o.totalCents);

    // A new key cannot capture again either: the PaymentIntent is no longer awaiting capture.
    const again = await provider.capture({ ...args, idempotencyKey: `group-capture:${o.orderId}:again` });
    expect(again).toMatchObject({ ok: false, error: expect.stringContaining('status of succeeded') });
    expect(again).not.toHaveProperty('expired');
    // …and a captured payment cannot be voided.
    expect(await provider.voidAuthorization({ paymentId: o.paymentIntent, idempotencyKey: `group-void:${o.orderId}` })).toMatchObject({
      ok: false,
      error: expect.stringContaining('status of succeeded'),
    });
  });

  it('may capture less than was authorised, never more', async () => {
    const o = await authorisedOrder();
    const more = await provider.capture({ paymentId: o.paymentIntent, amountCents: o.totalCents + 1, idempotencyKey: `more:${o.orderId}` });
    expect(more).toMatchObject({ ok: false });
    expect(more).not.toHaveProperty('expired');
    expect(stub.paymentIntents.get(o.paymentIntent)!.status).toBe('requires_capture');
    expect(await provider.capture({ paymentId: o.paymentIntent, amountCents: o.totalCents - 595, idempotencyKey: `less:${o.orderId}` })).toMatchObject({ ok: true });
    expect(stub.paymentIntents.get(o.paymentIntent)!.amountReceived).toBe(o.totalCents - 595);
  });

  it('a PaymentIntent Stripe does not know is an error, not an expiry', async () => {
    const r = await provider.capture({ paymentId: 'pi_test_unknown000', amountCents: 100, idempotencyKey: 'unknown' });
    expect(r).toMatchObject({ ok: false, error: expect.stringContaining('No such payment_intent') });
    expect(r).not.toHaveProperty('expired');
  });
});

describe('voidAuthorization', () => {
  it('releases the hold; voiding again (new key or same) is fine; a capture after it is refused as expired', async () => {
    const o = await authorisedOrder();
    expect(await provider.voidAuthorization({ paymentId: o.paymentIntent, idempotencyKey: `group-void:${o.orderId}` })).toEqual({ ok: true });
    expect(stub.paymentIntents.get(o.paymentIntent)).toMatchObject({ status: 'canceled', amountCapturable: 0 });
    const cancels = requestsTo(`/v1/payment_intents/${o.paymentIntent}/cancel`);
    expect(cancels).toEqual([expect.objectContaining({ method: 'POST', idempotencyKey: `group-void:${o.orderId}`, body: {} })]);

    expect(await provider.voidAuthorization({ paymentId: o.paymentIntent, idempotencyKey: `group-void:${o.orderId}` })).toEqual({ ok: true });
    expect(await provider.voidAuthorization({ paymentId: o.paymentIntent, idempotencyKey: `group-void:${o.orderId}:again` })).toEqual({ ok: true });

    const late = await provider.capture({ paymentId: o.paymentIntent, amountCents: o.totalCents, idempotencyKey: `group-capture:${o.orderId}` });
    expect(late).toMatchObject({ ok: false, expired: true, error: expect.stringContaining('status of canceled') });
    expect(stub.paymentIntents.get(o.paymentIntent)!.amountReceived).toBe(0);
  });

  it('an authorisation Stripe let lapse cannot be captured (expired), and voiding it is fine', async () => {
    const o = await authorisedOrder();
    stub.lapse(o.paymentIntent);
    expect(await provider.capture({ paymentId: o.paymentIntent, amountCents: o.totalCents, idempotencyKey: `lapsed:${o.orderId}` })).toMatchObject({ ok: false, expired: true });
    expect(await provider.voidAuthorization({ paymentId: o.paymentIntent, idempotencyKey: `lapsed-void:${o.orderId}` })).toEqual({ ok: true });
  });
});

describe('the signed completion of a manual session, through the webhook', () => {
  async function deliver(event: object) {
    const { payload, signature } = signStripeEvent(stripe, event, SECRET);
    const app = testApp(db, { provider });
    return handleStripeWebhook(db, { stripe, rawBody: payload, signature, secret: SECRET, apply: (e) => applyPaymentEvent(app, e), log: { warn() {}, error() {} } });
  }

  it('is recorded once as payment_authorized and sells nothing here (the group-buy workflow applies it)', async () => {
    const o = await authorisedOrder();
    const stock = (await db.select().from(variants).where(eq(variants.id, o.variantId)).get())!.stockOnHand;
    const event = stripeEvents.manualSessionCompleted(o);
    expect(await deliver(event)).toEqual({ status: 200, body: { received: true, outcome: 'ignored' } });
    expect(await db.select().from(paymentEvents).where(eq(paymentEvents.id, event.id)).get()).toMatchObject({
      provider: 'stripe',
      type: 'payment_authorized',
      orderId: o.orderId,
      outcome: 'ignored',
    });
    expect(await db.select().from(orders).where(eq(orders.id, o.orderId)).get()).toMatchObject({ status: 'pending', paidAt: null });
    expect((await db.select().from(variants).where(eq(variants.id, o.variantId)).get())!.stockOnHand).toBe(stock);
    expect(await deliver(event)).toEqual({ status: 200, body: { received: true, outcome: 'duplicate' } });
    // Nothing was captured or refunded on the way.
    expect(stub.requests.filter((r) => r.path.startsWith('/v1/payment_intents/') || r.path === '/v1/refunds')).toEqual([]);
  });
});
