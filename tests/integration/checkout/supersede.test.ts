/**
 * One bag, one payment: placing the same bag again (Back from the payment page, a second tab)
 * supersedes the earlier unpaid order — its hold released, its checkout session expired — and a
 * payment that still lands on it is refunded automatically, with an email saying why.
 * (docs/decisions/0036-one-bag-one-payment.md)
 */
import { and, eq, inArray } from 'drizzle-orm';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../../helpers/db.ts';
import { testApp } from '../../helpers/app.ts';
import { fillBag } from '../../helpers/checkout.ts';
import { rid, startStripeStub, stripeEvents, type StripeStub } from '../../helpers/stripe-stub.ts';
import { makeProduct, makeVariant } from '../../../db/factories/factories.ts';
import { schema, type Db } from '../../../src/server/db.ts';
import { applyPaymentEvent, quoteBag, startCheckout, type App } from '../../../src/server/flows/index.ts';
import { createStripeProvider, handleStripeWebhook, testPaymentEvent } from '../../../src/server/payments/index.ts';
import { getOrderByNumber } from '../../../src/server/orders/index.ts';

const { orders, outboxEmails, variants } = schema;
const FORM = { email: 'ada@example.com', name: 'Ada Lovelace', line1: '1 Loom Street', line2: '', city: 'Boston', region: 'MA', postcode: '02110', country: 'US', shippingMethod: 'standard', couponCode: '' };
const SECRET = 'whsec_test_supersede';

let db: Db;
let stub: StripeStub;
let stripe: Stripe;

beforeAll(async () => {
  db = await createTestDb();
  stub = await startStripeStub();
  stripe = new Stripe('sk_test_supersede', { host: '127.0.0.1', port: stub.port, protocol: 'http', maxNetworkRetries: 0 });
});
afterAll(() => stub.close());

async function place(app: App, cartId: string) {
  const quote = await quoteBag(app, { cartId, shippingMethod: 'standard', email: FORM.email });
  const r = await startCheckout(app, { cartId, fields: { ...FORM, expectedTotal: String(quote.totals.totalCents) }, ref: null });
  if (!r.ok) throw new Error(r.message);
  const o = (await db.select().from(orders).where(eq(orders.number, r.orderNumber)).get())!;
  return o;
}

const row = async (id: number) => (await db.select().from(orders).where(eq(orders.id, id)).get())!;
const paidOrders = async (ids: number[]) => (await db.select().from(orders).where(and(inArray(orders.id, ids), inArray(orders.status, ['paid'])))).length;

async function oneUnit() {
  const p = await makeProduct(db, { variants: [makeVariant({ stock: 1, priceCents: 4000 })] });
  return p.variants[0]!;
}

describe('placing the same bag twice with the test provider', () => {
  it('supersedes the first order; paying both keeps one paid order and refunds the other, telling the buyer', async () => {
    const app = testApp(db);
    const v = await oneUnit();
    const cartId = await fillBag(db, [{ sku: v.sku, qty: 1 }]);
    const first = await place(app, cartId);
    const second = await place(app, cartId); // the buyer went Back and placed the bag again
    expect(await row(first.id)).toMatchObject({ status: 'canceled', supersededByOrderId: second.id });
    expect(second.status).toBe('pending');

    // The first tab's Pay still goes through: its payment is refunded at once.
    const late = await applyPaymentEvent(app, testPaymentEvent(first.id, first.providerSessionId!, 'pay'));
    expect(late.outcome).toBe('needs_refund');
    expect(await row(first.id)).toMatchObject({ status: 'refunded', refundedCents: first.totalCents, needsRefund: false });
    const paid = await applyPaymentEvent(app, testPaymentEvent(second.id, second.providerSessionId!, 'pay'));
    expect(paid.outcome).toBe('fulfilled');
    expect(await paidOrders([first.id, second.id])).toBe(1);
    expect((await db.select().from(variants).where(eq(variants.id, v.id)).get())!.stockOnHand).toBe(0);

    const mail = await db.select().from(outboxEmails).where(and(eq(outboxEmails.orderId, first.id), eq(outboxEmails.kind, 'order_refunded'))).get();
    expect(mail?.textBody).toContain(`You placed the same bag again as order ${second.number}`);
    const view = await getOrderByNumber(db, first.number);
    expect(view).toMatchObject({ status: 'refunded', supersededBy: { number: second.number } });
  });
});

describe('placing the same bag twice with Stripe', () => {
  it('expires the first Checkout Session; a completion that still arrives for it is refunded through Stripe', async () => {
    const app = testApp(db, { provider: createStripeProvider({ secretKey: 'sk_test_supersede', siteUrl: 'http://shop.test', stripe }) });
    const v = await oneUnit();
    const cartId = await fillBag(db, [{ sku: v.sku, qty: 1 }]);
    const first = await place(app, cartId);
    const second = await place(app, cartId);
    expect(stub.requests.filter((r) => r.path === `/v1/checkout/sessions/${first.providerSessionId}/expire`)).toHaveLength(1);
    expect(stub.sessions.get(first.providerSessionId!)?.status).toBe('expired');
    expect(stub.sessions.get(second.providerSessionId!)?.status).toBe('open');

    // Paid on Stripe just before it expired: the completion arrives anyway.
    const deliver = (event: object) => {
      const payload = JSON.stringify(event);
      const signature = stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET });
      return handleStripeWebhook(db, { stripe, rawBody: payload, signature, secret: SECRET, apply: (e) => applyPaymentEvent(app, e), log: { warn() {}, error() {} } });
    };
    const pi1 = rid('pi_test');
    expect((await deliver(stripeEvents.session('checkout.session.completed', { orderId: first.id, number: first.number, sessionId: first.providerSessionId!, paymentIntent: pi1 }))).body).toEqual({ received: true, outcome: 'needs_refund' });
    const refunds = stub.requests.filter((r) => r.path === '/v1/refunds');
    expect(refunds).toHaveLength(1);
    expect(refunds[0]!.body).toMatchObject({ payment_intent: pi1, amount: String(first.totalCents) });
    expect(await row(first.id)).toMatchObject({ status: 'refunded' });

    expect((await deliver(stripeEvents.session('checkout.session.completed', { orderId: second.id, number: second.number, sessionId: second.providerSessionId!, paymentIntent: rid('pi_test') }))).body).toEqual({ received: true, outcome: 'fulfilled' });
    expect(await paidOrders([first.id, second.id])).toBe(1);
  });
});
