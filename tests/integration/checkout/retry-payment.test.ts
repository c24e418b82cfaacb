/**
 * "Try again" after "Pay later", a closed payment page or Back from the provider: a new payment for
 * the same pending order while its hold lives (retryPayment, src/server/flows/checkout.ts) — the
 * previous checkout session closed first, so the order can never be paid twice. Once the hold has
 * ended the buyer is sent back to their bag.
 */
import { eq } from 'drizzle-orm';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../../helpers/db.ts';
import { testApp } from '../../helpers/app.ts';
import { fillBag } from '../../helpers/checkout.ts';
import { rid, startStripeStub, stripeEvents, type StripeStub } from '../../helpers/stripe-stub.ts';
import { makeProduct, makeVariant } from '../../../db/factories/factories.ts';
import { schema, type Db } from '../../../src/server/db.ts';
import { applyPaymentEvent, quoteBag, retryPayment, startCheckout, type App } from '../../../src/server/flows/index.ts';
import { createStripeProvider, handleStripeWebhook, testPaymentEvent } from '../../../src/server/payments/index.ts';
import { getOrderBySession } from '../../../src/server/orders/index.ts';
import { httpStatus } from '../../../src/server/shared/index.ts';

const { orders } = schema;
const FORM = { email: 'ada@example.com', name: 'Ada Lovelace', line1: '1 Loom Street', line2: '', city: 'Boston', region: 'MA', postcode: '02110', country: 'US', shippingMethod: 'standard', couponCode: '' };
const MIN = 60_000;
const SECRET = 'whsec_test_retry';

let db: Db;
let stub: StripeStub;
let stripe: Stripe;

beforeAll(async () => {
  db = await createTestDb();
  stub = await startStripeStub();
  stripe = new Stripe('sk_test_retry', { host: '127.0.0.1', port: stub.port, protocol: 'http', maxNetworkRetries: 0 });
});
afterAll(() => stub.close());

async function placed(app: App, now = Date.now()) {
  const p = await makeProduct(db, { variants: [makeVariant({ stock: 1, priceCents: 4000 })] });
  const cartId = await fillBag(db, [{ sku: p.variants[0]!.sku, qty: 1 }], now);
  const quote = await quoteBag(app, { cartId, shippingMethod: 'standard', email: FORM.email }, now);
  const r = await startCheckout(app, { cartId, fields: { ...FORM, expectedTotal: String(quote.totals.totalCents) }, ref: null, now });
  if (!r.ok) throw new Error(r.message);
  return { ...(await db.select().from(orders).where(eq(orders.number, r.orderNumber)).get())!, cartId };
}
const row = async (id: number) => (await db.select().from(orders).where(eq(orders.id, id)).get())!;

describe('retryPayment with the test provider', () => {
  it('opens a new payment for the same order and hold; the old payment page is gone; paying it fulfils once', async () => {
    const app = testApp(db);
    const o = await placed(app);
    const r = await retryPayment(app, o.id);
    if (!r.ok) throw new Error(r.message);
    const session = r.redirectUrl.split('/').at(-1)!;
    expect(session).not.toBe(o.providerSessionId);
    expect(await row(o.id)).toMatchObject({ status: 'pending', providerSessionId: session, reservationExpiresAt: o.reservationExpiresAt, totalCents: o.totalCents });
    expect(await getOrderBySession(db, o.providerSessionId!)).toBeUndefined();
    expect((await applyPaymentEvent(app, testPaymentEvent(o.id, session, 'pay'))).outcome).toBe('fulfilled');
    const paidAgain = await retryPayment(app, o.id);
    expect(paidAgain).toMatchObject({ ok: false, reason: 'already_paid' });
  });

  it('after the hold lapsed, or a declined payment released it: back to the bag, nothing charged', async () => {
    const app = testApp(db);
    const lapsed = await placed(app);
    const r = await retryPayment(app, lapsed.id, { now: lapsed.reservationExpiresAt + MIN });
    expect(r).toMatchObject({ ok: false, reason: 'expired' });
    if (r.ok) throw new Error('expected a refusal');
    expect(httpStatus(r)).toBe(410);
    expect(r.message).toMatch(/still in your bag|Your bag still has them/);

    const declined = await placed(app);
    await applyPaymentEvent(app, testPaymentEvent(declined.id, declined.providerSessionId!, 'decline'));
    expect(await retryPayment(app, declined.id)).toMatchObject({ ok: false, reason: 'expired' });
  });

  it('a superseded order is not paid again', async () => {
    const app = testApp(db);
    const o = await placed(app);
    const quote = await quoteBag(app, { cartId: o.cartId, shippingMethod: 'standard', email: FORM.email });
    expect(await startCheckout(app, { cartId: o.cartId, fields: { ...FORM, expectedTotal: String(quote.totals.totalCents) }, ref: null })).toMatchObject({ ok: true });
    expect(await retryPayment(app, o.id)).toMatchObject({ ok: false, reason: 'nothing_to_pay' });
  });
});

describe('retryPayment with Stripe', () => {
  const stripeApp = () => testApp(db, { provider: createStripeProvider({ secretKey: 'sk_test_retry', siteUrl: 'http://shop.test', stripe }) });
  const deliver = (app: App, event: object) => {
    const payload = JSON.stringify(event);
    const signature = stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET });
    return handleStripeWebhook(db, { stripe, rawBody: payload, signature, secret: SECRET, apply: (e) => applyPaymentEvent(app, e), log: { warn() {}, error() {} } });
  };

  it('expires the previous Checkout Session before creating a new one; its expiry does not cancel the order', async () => {
    const app = stripeApp();
    const o = await placed(app);
    const r = await retryPayment(app, o.id);
    if (!r.ok) throw new Error(r.message);
    expect(stub.sessions.get(o.providerSessionId!)?.status).toBe('expired');
    const fresh = (await row(o.id)).providerSessionId!;
    expect(fresh).not.toBe(o.providerSessionId);
    expect(stub.sessions.get(fresh)?.status).toBe('open');
    const creates = stub.requests.filter((q) => q.path === '/v1/checkout/sessions' && q.body['metadata[order_id]'] === String(o.id));
    expect(new Set(creates.map((q) => q.idempotencyKey)).size).toBe(2);

    // Stripe reports the closing of the old session: the order keeps waiting on the new one.
    expect((await deliver(app, stripeEvents.session('checkout.session.expired', { orderId: o.id, number: o.number, sessionId: o.providerSessionId!, paymentIntent: null }))).status).toBe(200);
    expect(await row(o.id)).toMatchObject({ status: 'pending' });
    expect((await deliver(app, stripeEvents.session('checkout.session.completed', { orderId: o.id, number: o.number, sessionId: fresh, paymentIntent: rid('pi_test') }))).body).toEqual({ received: true, outcome: 'fulfilled' });
  });

  it('when Stripe will not close the previous session (it completed), opens no second one', async () => {
    const app = stripeApp();
    const o = await placed(app);
    stub.sessions.get(o.providerSessionId!)!.status = 'expired'; // stands in for "complete": not open
    const before = stub.requests.filter((q) => q.path === '/v1/checkout/sessions').length;
    const r = await retryPayment(app, o.id);
    expect(r).toMatchObject({ ok: false, reason: 'provider_failed' });
    expect(stub.requests.filter((q) => q.path === '/v1/checkout/sessions').length).toBe(before);
    expect(await row(o.id)).toMatchObject({ status: 'pending', providerSessionId: o.providerSessionId });
  });
});
