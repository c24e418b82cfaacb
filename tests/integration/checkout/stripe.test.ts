/**
 * The Stripe provider and webhook against a local stub of the Stripe API (node:http on 127.0.0.1,
 * random port) and a real migrated database, with real pending orders from addToBag + placeOrder.
 * Nothing here touches the internet: the Stripe client is pointed at the stub, and webhook
 * deliveries are signed locally with `generateTestHeaderString`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, eq } from 'drizzle-orm';
import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDb } from '../../helpers/db.ts';
import { makeProduct, makeVariant } from '../../../db/factories/factories.ts';
import { schema, type Db } from '../../../src/server/db.ts';
import { addToBag } from '../../../src/server/cart/index.ts';
import type { CheckoutForm } from '../../../src/server/checkout/index.ts';
import type { PaymentEvent } from '../../../src/server/payments/index.ts';
import { orderForPayment, placeOrder, setProviderSession } from '../../../src/server/checkout/index.ts';
import type { CheckoutConfig } from '../../../src/server/checkout/index.ts';
import {
  STRIPE_MIN_SESSION_MS,
  absoluteUrl,
  checkoutLineItems,
  createStripeProvider,
  sessionExpiresAt,
} from '../../../src/server/payments/index.ts';
import { handleStripeWebhook, sessionOrderId, toPaymentEvent, verifyStripeEvent } from '../../../src/server/payments/index.ts';
import { applyPaymentEvent, createApp } from '../../../src/server/flows/index.ts';
import { createMailTransport } from '../../../src/server/mail/index.ts';
import { testApp } from '../../helpers/app.ts';

const { coupons, orders, outboxEmails, paymentEvents, stockReservations, variants } = schema;

const SECRET = 'whsec_test_lookbook_signing_secret';
const KEY = 'sk_test_lookbook_stub';
const SITE = 'http://shop.test';
const MIN = 60_000;

const config: CheckoutConfig = {
  currency: 'USD',
  countries: ['US'],
  reservationTtlMs: 15 * MIN,
  shippingMethods: [
    { id: 'standard', label: 'Standard delivery', priceCents: 595, freeOverCents: 15000, days: '3–5 business days' },
    { id: 'express', label: 'Express delivery', priceCents: 1495, freeOverCents: null, days: '1–2 business days' },
  ],
};

const form = (over: Partial<CheckoutForm> = {}): CheckoutForm => ({
  email: 'ada@example.com',
  name: 'Ada Lovelace',
  line1: '1 Analytical Way',
  line2: null,
  city: 'London',
  region: null,
  postcode: '12345',
  country: 'US',
  shippingMethod: 'standard',
  couponCode: null,
  ...over,
});

// ---------------------------------------------------------------------------------------------
// The Stripe API stub: just what the provider calls, recording every request.

interface StubRequest {
  method: string;
  path: string;
  body: Record<string, string>;
  idempotencyKey: string | undefined;
  authorization: string | undefined;
}

interface StripeStub {
  server: Server;
  port: number;
  requests: StubRequest[];
  /** Make the next refund requests fail with a Stripe error. */
  failRefunds: boolean;
}

let seq = 0;
const rid = (prefix: string) => `${prefix}${Date.now().toString(36)}${(++seq).toString(36).padStart(6, '0')}`;

async function startStripeStub(): Promise<StripeStub> {
  const stub: StripeStub = { server: undefined as unknown as Server, port: 0, requests: [], failRefunds: false };
  const sessions = new Map<string, string>(); // idempotency key → session id, like Stripe
  stub.server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      const body = Object.fromEntries(new URLSearchParams(raw));
      const idempotencyKey = req.headers['idempotency-key'] as string | undefined;
      const path = (req.url ?? '').split('?')[0]!;
      stub.requests.push({ method: req.method ?? '', path, body, idempotencyKey, authorization: req.headers.authorization });
      const send = (status: number, json: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/json', 'Request-Id': rid('req_') });
        res.end(JSON.stringify(json));
      };
      if (req.method === 'POST' && path === '/v1/checkout/sessions') {
        const id = (idempotencyKey && sessions.get(idempotencyKey)) || rid('cs_test_');
        if (idempotencyKey) sessions.set(idempotencyKey, id);
        return send(200, {
          id,
          object: 'checkout.session',
          mode: body.mode,
          status: 'open',
          payment_status: 'unpaid',
          url: `https://checkout.stripe.com/c/pay/${id}`,
          client_reference_id: body.client_reference_id ?? null,
          customer_email: body.customer_email ?? null,
          metadata: { order_id: body['metadata[order_id]'], order_number: body['metadata[order_number]'] },
          expires_at: Number(body.expires_at),
          payment_intent: null,
        });
      }
      if (req.method === 'POST' && path === '/v1/refunds') {
        if (stub.failRefunds) {
          return send(400, { error: { type: 'invalid_request_error', code: 'charge_already_refunded', message: 'Charge has already been refunded.' } });
        }
        return send(200, { id: rid('re_'), object: 'refund', amount: Number(body.amount), payment_intent: body.payment_intent, status: 'succeeded' });
      }
      send(404, { error: { type: 'invalid_request_error', message: `Unrecognized request URL (${req.method}: ${path})` } });
    });
  });
  await new Promise<void>((resolve) => stub.server.listen(0, '127.0.0.1', resolve));
  stub.port = (stub.server.address() as AddressInfo).port;
  return stub;
}

/** The line items of a recorded session request, from its form-encoded body. */
function lineItemsOf(body: Record<string, string>) {
  const items: { name: string; description?: string; currency: string; unitAmount: number; quantity: number }[] = [];
  for (let i = 0; body[`line_items[${i}][quantity]`] !== undefined; i++) {
    const p = `line_items[${i}]`;
    items.push({
      name: body[`${p}[price_data][product_data][name]`]!,
      description: body[`${p}[price_data][product_data][description]`],
      currency: body[`${p}[price_data][currency]`]!,
      unitAmount: Number(body[`${p}[price_data][unit_amount]`]),
      quantity: Number(body[`${p}[quantity]`]),
    });
  }
  return items;
}

// ---------------------------------------------------------------------------------------------

let db: Db;
let stub: StripeStub;
let stripe: Stripe;
let provider: ReturnType<typeof createStripeProvider>;

beforeAll(async () => {
  db = await createTestDb();
  stub = await startStripeStub();
  stripe = new Stripe(KEY, { host: '127.0.0.1', port: stub.port, protocol: 'http', maxNetworkRetries: 0 });
  provider = createStripeProvider({ secretKey: KEY, siteUrl: SITE, stripe });
});
afterAll(async () => {
  db.$client.close();
  await new Promise((resolve) => stub.server.close(resolve));
});
beforeEach(() => {
  stub.requests.length = 0;
  stub.failRefunds = false;
});

/** A real pending order: bag → placeOrder (server prices, reservations). */
async function pendingOrder(lines: { sku: string; qty: number }[], { now = Date.now(), couponCode = null as string | null } = {}) {
  let cartId: string | undefined;
  for (const l of lines) {
    const added = await addToBag(db, { sku: l.sku, qty: l.qty, source: { kind: 'direct' } }, { cartId, now, checkSource: () => true });
    if (!added.ok) throw new Error(`addToBag failed: ${added.reason}`);
    cartId = added.cartId;
  }
  const placed = await placeOrder(db, { cartId: cartId!, form: form({ couponCode }), config, provider: 'stripe', now });
  if (!placed.ok) throw new Error(`placeOrder failed: ${placed.reason}`);
  return placed;
}

/** A pending order with a Checkout Session created through the provider (against the stub). */
async function orderWithSession(lines: { sku: string; qty: number }[], opts: { now?: number } = {}) {
  const placed = await pendingOrder(lines, opts);
  const payable = (await orderForPayment(db, placed.orderId))!;
  const session = await provider.createCheckout(payable, { successUrl: '/checkout/done', cancelUrl: '/bag' });
  await setProviderSession(db, placed.orderId, session.sessionId);
  return { ...placed, sessionId: session.sessionId, paymentIntent: rid('pi_test') };
}

async function product(stock: number, priceCents = 4900) {
  const p = await makeProduct(db, { variants: [makeVariant({ stock, priceCents })] });
  return p.variants[0]!;
}

const order = async (id: number) => (await db.select().from(orders).where(eq(orders.id, id)).get())!;
const stockOf = async (variantId: number) => (await db.select().from(variants).where(eq(variants.id, variantId)).get())!.stockOnHand;
const eventRow = async (id: string) => db.select().from(paymentEvents).where(eq(paymentEvents.id, id)).get();

// ---------------------------------------------------------------------------------------------
// Stripe events as Stripe would send them.

type SessionEventType = 'checkout.session.completed' | 'checkout.session.async_payment_succeeded' | 'checkout.session.async_payment_failed' | 'checkout.session.expired';

function sessionEvent(
  type: SessionEventType,
  o: { orderId: number; number: string; sessionId: string; paymentIntent: string },
  { id = rid('evt_test'), paymentStatus = 'paid' as 'paid' | 'unpaid' | 'no_payment_required' } = {},
) {
  return {
    id,
    object: 'event',
    api_version: Stripe.API_VERSION,
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    type,
    data: {
      object: {
        id: o.sessionId,
        object: 'checkout.session',
        mode: 'payment',
        status: type === 'checkout.session.expired' ? 'expired' : 'complete',
        payment_status: type === 'checkout.session.expired' ? 'unpaid' : paymentStatus,
        payment_intent: type === 'checkout.session.expired' ? null : o.paymentIntent,
        client_reference_id: String(o.orderId),
        metadata: { order_id: String(o.orderId), order_number: o.number },
        amount_total: 999_999, // never trusted
      },
    },
  };
}

function chargeRefundedEvent(paymentIntent: string, amountRefunded: number, { id = rid('evt_test'), currency = 'usd' } = {}) {
  return {
    id,
    object: 'event',
    type: 'charge.refunded',
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    data: { object: { id: rid('ch_test'), object: 'charge', amount_refunded: amountRefunded, currency, payment_intent: paymentIntent, metadata: {} } },
  };
}

function disputeEvent(paymentIntent: string, amount: number, { id = rid('evt_test') } = {}) {
  return {
    id,
    object: 'event',
    type: 'charge.dispute.created',
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    data: { object: { id: rid('dp_test'), object: 'dispute', amount, currency: 'usd', charge: rid('ch_test'), payment_intent: paymentIntent, metadata: {} } },
  };
}

/** The app's payment workflow, with this file's provider (Stripe against the local stub). */
function applyLikeTheApp(event: PaymentEvent) {
  return applyPaymentEvent(testApp(db, { provider }), event);
}

/** Delivers an event through the webhook handler, signed like Stripe signs it. */
async function deliver(event: object, { secret = SECRET, timestamp, signature }: { secret?: string; timestamp?: number; signature?: string | null } = {}) {
  const payload = JSON.stringify(event);
  const header = signature !== undefined ? signature : stripe.webhooks.generateTestHeaderString({ payload, secret, ...(timestamp ? { timestamp } : {}) });
  return handleStripeWebhook(db, { stripe, rawBody: payload, signature: header, secret: SECRET, apply: applyLikeTheApp, log: { warn() {}, error() {} } });
}

/** The outcome of a 200 answer, or the status of any other. */
const outcomeOf = (answer: Awaited<ReturnType<typeof deliver>>) => (answer.status === 200 ? answer.body.outcome : `HTTP ${answer.status}`);

// ---------------------------------------------------------------------------------------------

describe('createCheckout', () => {
  it('charges exactly the order total from server prices, discount included, with an idempotency key and the order in metadata', async () => {
    const a = await product(10, 4900);
    const b = await product(10, 1999);
    await db.insert(coupons).values({ code: 'FIFTEEN', kind: 'percent', percentOff: 15, createdAt: Date.UTC(2026, 0, 1) });
    const before = Date.now();
    const placed = await pendingOrder(
      [
        { sku: a.sku, qty: 3 },
        { sku: b.sku, qty: 1 },
      ],
      { couponCode: 'FIFTEEN' },
    );
    const payable = (await orderForPayment(db, placed.orderId))!;
    expect(payable.discountCents).toBeGreaterThan(0);

    const session = await provider.createCheckout(payable, { successUrl: '/checkout/done?session={CHECKOUT_SESSION_ID}', cancelUrl: '/bag' });
    expect(session.sessionId).toMatch(/^cs_test_/);
    expect(session.redirectUrl).toBe(`https://checkout.stripe.com/c/pay/${session.sessionId}`);

    expect(stub.requests).toHaveLength(1);
    const [req] = stub.requests;
    expect(req!.path).toBe('/v1/checkout/sessions');
    expect(req!.authorization).toBe(`Bearer ${KEY}`);
    expect(req!.idempotencyKey).toBe(`checkout-${placed.orderId}`);
    const body = req!.body;
    expect(body.mode).toBe('payment');
    expect(body.customer_email).toBe('ada@example.com');
    expect(body.client_reference_id).toBe(String(placed.orderId));
    expect(body['metadata[order_id]']).toBe(String(placed.orderId));
    expect(body['metadata[order_number]']).toBe(placed.number);
    expect(body['payment_intent_data[metadata][order_id]']).toBe(String(placed.orderId));
    expect(body['adaptive_pricing[enabled]']).toBe('false');
    expect(body.allow_promotion_codes).toBe('false');
    expect(body.success_url).toBe(`${SITE}/checkout/done?session={CHECKOUT_SESSION_ID}`);
    expect(body.cancel_url).toBe(`${SITE}/bag`);

    const items = lineItemsOf(body);
    expect(items).toHaveLength(2);
    for (const i of items) {
      expect(i.currency).toBe('usd');
      expect(Number.isInteger(i.unitAmount)).toBe(true);
    }
    const shipping = Number(body['shipping_options[0][shipping_rate_data][fixed_amount][amount]']);
    expect(body['shipping_options[0][shipping_rate_data][fixed_amount][currency]']).toBe('usd');
    expect(shipping).toBe(payable.shippingCents);
    const lineSum = items.reduce((s, i) => s + i.unitAmount * i.quantity, 0);
    expect(lineSum).toBe(payable.lines.reduce((s, l) => s + l.unitPriceCents * l.qty - l.discountCents, 0));
    expect(lineSum + shipping).toBe(placed.totalCents);
    // The discounted 3-unit line's net does not split evenly into cents: one line of 1 × net.
    const first = payable.lines[0]!;
    const firstNet = first.unitPriceCents * first.qty - first.discountCents;
    expect(firstNet % first.qty).not.toBe(0);
    expect(items[0]).toMatchObject({ quantity: 1, unitAmount: firstNet });
    expect(items[0]!.name).toContain('× 3');
    expect(items[0]!.description).toMatch(/less \$\d+\.\d\d discount/);

    const expiresAt = Number(body.expires_at) * 1000;
    expect(expiresAt).toBeGreaterThanOrEqual(before + STRIPE_MIN_SESSION_MS);
    expect(expiresAt).toBeGreaterThanOrEqual(placed.expiresAt);
    expect(expiresAt).toBeLessThan(Date.now() + 24 * 60 * MIN);
  });

  it('shows real unit prices and quantities when nothing is discounted', async () => {
    const a = await product(10, 2500);
    const placed = await pendingOrder([{ sku: a.sku, qty: 2 }]);
    const payable = (await orderForPayment(db, placed.orderId))!;
    await provider.createCheckout(payable, { successUrl: `${SITE}/ok`, cancelUrl: `${SITE}/bag` });
    const body = stub.requests[0]!.body;
    expect(lineItemsOf(body)).toEqual([{ name: expect.not.stringContaining('×'), description: undefined, currency: 'usd', unitAmount: 2500, quantity: 2 }]);
    expect(Number(body['shipping_options[0][shipping_rate_data][fixed_amount][amount]'])).toBe(595);
    expect(2 * 2500 + 595).toBe(placed.totalCents);
  });

  it('keeps the session open at least 30 minutes, and as long as the reservation', () => {
    const now = Date.UTC(2026, 5, 1, 12);
    expect(sessionExpiresAt(now + 15 * MIN, now) * 1000).toBeGreaterThanOrEqual(now + 30 * MIN);
    expect(sessionExpiresAt(now + 90 * MIN, now)).toBe((now + 90 * MIN) / 1000);
    expect(sessionExpiresAt(now + 48 * 60 * MIN, now) * 1000).toBeLessThan(now + 24 * 60 * MIN);
  });

  it('refuses to build a session that would charge another amount than the order total', () => {
    const payable = {
      id: 1,
      number: 'LB-TEST',
      email: 'a@example.com',
      currency: 'USD',
      totalCents: 5000,
      shippingCents: 0,
      discountCents: 0,
      shippingLabel: 'Standard',
      expiresAt: 0,
      lines: [{ title: 'Tee', variantLabel: 'M', unitPriceCents: 4900, qty: 1, discountCents: 0 }],
    };
    expect(() => checkoutLineItems(payable)).toThrow(/would charge 4900, but the order total is 5000/);
    expect(() => absoluteUrl('checkout/done', SITE)).toThrow();
    expect(absoluteUrl('/x', `${SITE}/`)).toBe(`${SITE}/x`);
  });

  it('sends the same idempotency key again for the same order (one session per order)', async () => {
    const a = await product(10);
    const placed = await pendingOrder([{ sku: a.sku, qty: 1 }]);
    const payable = (await orderForPayment(db, placed.orderId))!;
    const fixed = createStripeProvider({ secretKey: KEY, siteUrl: SITE, stripe, now: () => 1_900_000_000_000 });
    const one = await fixed.createCheckout(payable, { successUrl: '/ok', cancelUrl: '/bag' });
    const two = await fixed.createCheckout(payable, { successUrl: '/ok', cancelUrl: '/bag' });
    expect(two.sessionId).toBe(one.sessionId);
    expect(stub.requests.map((r) => r.idempotencyKey)).toEqual([`checkout-${placed.orderId}`, `checkout-${placed.orderId}`]);
    expect(stub.requests[1]!.body).toEqual(stub.requests[0]!.body);
  });
});

describe('refund', () => {
  it('refunds the PaymentIntent with the given idempotency key', async () => {
    const out = await provider.refund({ orderId: 1, paymentId: 'pi_test_abcdefgh', amountCents: 1234, idempotencyKey: 'refund:1:0:7x1' });
    expect(out).toEqual({ ok: true, refundId: expect.stringMatching(/^re_/) });
    expect(stub.requests).toEqual([
      expect.objectContaining({ path: '/v1/refunds', idempotencyKey: 'refund:1:0:7x1', body: { payment_intent: 'pi_test_abcdefgh', amount: '1234' } }),
    ]);
  });

  it('returns errors as values, never throws', async () => {
    expect(await provider.refund({ orderId: 1, paymentId: null, amountCents: 100, idempotencyKey: 'k1' })).toMatchObject({ ok: false });
    expect(await provider.refund({ orderId: 1, paymentId: 'ch_not_a_pi', amountCents: 100, idempotencyKey: 'k2' })).toMatchObject({ ok: false });
    expect(await provider.refund({ orderId: 1, paymentId: 'pi_test_abcdefgh', amountCents: 0, idempotencyKey: 'k3' })).toMatchObject({ ok: false });
    expect(stub.requests).toHaveLength(0);
    stub.failRefunds = true;
    expect(await provider.refund({ orderId: 1, paymentId: 'pi_test_abcdefgh', amountCents: 100, idempotencyKey: 'k4' })).toEqual({
      ok: false,
      error: 'Charge has already been refunded.',
    });
    const down = createStripeProvider({ secretKey: KEY, siteUrl: SITE, stripe: new Stripe(KEY, { host: '127.0.0.1', port: 9, protocol: 'http', maxNetworkRetries: 0 }) });
    expect(await down.refund({ orderId: 1, paymentId: 'pi_test_abcdefgh', amountCents: 100, idempotencyKey: 'k5' })).toMatchObject({ ok: false });
  });
});

describe('webhook signature', () => {
  it('rejects a bad signature, a stale timestamp and a missing header, writing nothing', async () => {
    const v = await product(5);
    const o = await orderWithSession([{ sku: v.sku, qty: 1 }]);
    const event = sessionEvent('checkout.session.completed', o);

    const wrongSecret = await deliver(event, { secret: 'whsec_someone_else' });
    const stale = await deliver(event, { timestamp: Math.floor(Date.now() / 1000) - 10 * 60 });
    const missing = await deliver(event, { signature: null });
    const garbage = await deliver(event, { signature: 't=1,v1=deadbeef' });
    expect(wrongSecret).toEqual({ status: 400, body: { error: 'Invalid or expired signature.' } });
    expect(stale).toEqual({ status: 400, body: { error: 'Invalid or expired signature.' } });
    expect(missing).toEqual({ status: 400, body: { error: 'Missing Stripe-Signature header.' } });
    expect(garbage.status).toBe(400);

    // A body changed after signing fails too.
    const payload = JSON.stringify(event);
    const header = stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET });
    const tampered = verifyStripeEvent(stripe, payload.replace('"paid"', '"unpaid"'), header, SECRET);
    expect(tampered).toMatchObject({ ok: false, reason: 'bad_signature' });

    expect(await eventRow(event.id)).toBeUndefined();
    expect((await order(o.orderId)).status).toBe('pending');
    expect(await stockOf(v.id)).toBe(5);
  });
});

describe('webhook → order', () => {
  it('completed (paid) fulfils once; the same event again is a duplicate; a later expiry changes nothing', async () => {
    const v = await product(5);
    const o = await orderWithSession([{ sku: v.sku, qty: 2 }]);
    const completed = sessionEvent('checkout.session.completed', o);

    expect(await deliver(completed)).toEqual({ status: 200, body: { received: true, outcome: 'fulfilled' } });
    let row = await order(o.orderId);
    expect(row.status).toBe('paid');
    expect(row.providerPaymentId).toBe(o.paymentIntent);
    expect(await stockOf(v.id)).toBe(3);
    expect(await eventRow(completed.id)).toMatchObject({ provider: 'stripe', type: 'checkout_completed', orderId: o.orderId, outcome: 'fulfilled' });

    expect(await deliver(completed)).toEqual({ status: 200, body: { received: true, outcome: 'duplicate' } });
    expect(await stockOf(v.id)).toBe(3);

    const expired = sessionEvent('checkout.session.expired', o);
    expect(await deliver(expired)).toEqual({ status: 200, body: { received: true, outcome: 'ignored' } });
    row = await order(o.orderId);
    expect(row.status).toBe('paid');
    expect(await stockOf(v.id)).toBe(3);
  });

  it('expired before completed: canceled and released; a late payment is honoured from free stock', async () => {
    const v = await product(3);
    const o = await orderWithSession([{ sku: v.sku, qty: 2 }]);

    expect((await deliver(sessionEvent('checkout.session.expired', o))).body).toEqual({ received: true, outcome: 'released' });
    expect((await order(o.orderId)).status).toBe('canceled');
    const held = await db.select().from(stockReservations).where(eq(stockReservations.orderId, o.orderId));
    expect(held.every((r) => r.status === 'released')).toBe(true);
    expect(await stockOf(v.id)).toBe(3);

    expect((await deliver(sessionEvent('checkout.session.completed', o))).body).toEqual({ received: true, outcome: 'fulfilled_late' });
    const row = await order(o.orderId);
    expect(row.status).toBe('paid');
    expect(row.needsRefund).toBe(false);
    expect(await stockOf(v.id)).toBe(1);
    expect(stub.requests.filter((r) => r.path === '/v1/refunds')).toHaveLength(0);
  });

  it('a late payment whose stock is gone is refunded in full through Stripe, once', async () => {
    const v = await product(1, 3000);
    const late = await orderWithSession([{ sku: v.sku, qty: 1 }], { now: Date.now() - 20 * MIN }); // reservation lapsed
    const other = await orderWithSession([{ sku: v.sku, qty: 1 }]); // takes the last unit meanwhile
    expect(outcomeOf(await deliver(sessionEvent('checkout.session.completed', other)))).toBe('fulfilled');
    expect(await stockOf(v.id)).toBe(0);

    const completed = sessionEvent('checkout.session.completed', late);
    expect((await deliver(completed)).body).toEqual({ received: true, outcome: 'needs_refund' });
    const refunds = stub.requests.filter((r) => r.path === '/v1/refunds');
    expect(refunds).toEqual([
      expect.objectContaining({ idempotencyKey: `late-refund:${late.orderId}`, body: { payment_intent: late.paymentIntent, amount: String(late.totalCents) } }),
    ]);
    const row = await order(late.orderId);
    expect(row).toMatchObject({ status: 'refunded', refundedCents: late.totalCents, needsRefund: false, providerPaymentId: late.paymentIntent });
    expect(await stockOf(v.id)).toBe(0);

    // Stripe's own charge.refunded for that refund, and a redelivery: nothing moves.
    expect(outcomeOf(await deliver(chargeRefundedEvent(late.paymentIntent, late.totalCents)))).toBe('ignored');
    expect(outcomeOf(await deliver(completed))).toBe('duplicate');
    expect(stub.requests.filter((r) => r.path === '/v1/refunds')).toHaveLength(1);
  });

  it('unpaid completion waits; async_payment_succeeded then pays', async () => {
    const v = await product(4);
    const o = await orderWithSession([{ sku: v.sku, qty: 1 }]);
    expect(outcomeOf(await deliver(sessionEvent('checkout.session.completed', o, { paymentStatus: 'unpaid' })))).toBe('awaiting_payment');
    let row = await order(o.orderId);
    expect(row).toMatchObject({ status: 'pending', providerPaymentId: o.paymentIntent });
    expect(await stockOf(v.id)).toBe(4);

    expect(outcomeOf(await deliver(sessionEvent('checkout.session.async_payment_succeeded', o)))).toBe('fulfilled');
    row = await order(o.orderId);
    expect(row.status).toBe('paid');
    expect(await stockOf(v.id)).toBe(3);
  });

  it('unpaid completion then async_payment_failed releases the reservation', async () => {
    const v = await product(4);
    const o = await orderWithSession([{ sku: v.sku, qty: 2 }]);
    await deliver(sessionEvent('checkout.session.completed', o, { paymentStatus: 'unpaid' }));
    expect(outcomeOf(await deliver(sessionEvent('checkout.session.async_payment_failed', o)))).toBe('released');
    expect((await order(o.orderId)).status).toBe('canceled');
    const live = await db
      .select()
      .from(stockReservations)
      .where(and(eq(stockReservations.orderId, o.orderId), eq(stockReservations.status, 'active')));
    expect(live).toHaveLength(0);
    expect(await stockOf(v.id)).toBe(4);
  });

  it('no_payment_required counts as paid', async () => {
    const v = await product(2);
    const o = await orderWithSession([{ sku: v.sku, qty: 1 }]);
    expect(outcomeOf(await deliver(sessionEvent('checkout.session.completed', o, { paymentStatus: 'no_payment_required' })))).toBe('fulfilled');
  });

  it('charge.refunded records partial then full refunds by the cumulative amount; repeats change nothing', async () => {
    const v = await product(5, 4000);
    const o = await orderWithSession([{ sku: v.sku, qty: 1 }]);
    await deliver(sessionEvent('checkout.session.completed', o));
    const total = (await order(o.orderId)).totalCents;

    const partial = chargeRefundedEvent(o.paymentIntent, 1000);
    expect(outcomeOf(await deliver(partial))).toBe('refund_recorded');
    expect(await order(o.orderId)).toMatchObject({ status: 'partially_refunded', refundedCents: 1000 });
    expect(outcomeOf(await deliver(partial))).toBe('duplicate');
    // A different event that reports the same cumulative amount (e.g. charge.refunded after a metadata change).
    expect(outcomeOf(await deliver(chargeRefundedEvent(o.paymentIntent, 1000)))).toBe('ignored');
    expect(await order(o.orderId)).toMatchObject({ status: 'partially_refunded', refundedCents: 1000 });

    expect(outcomeOf(await deliver(chargeRefundedEvent(o.paymentIntent, total)))).toBe('refund_recorded');
    expect(await order(o.orderId)).toMatchObject({ status: 'refunded', refundedCents: total });
    // An older event arriving late never moves the amount backwards.
    expect(outcomeOf(await deliver(chargeRefundedEvent(o.paymentIntent, 1000)))).toBe('ignored');
    expect(await order(o.orderId)).toMatchObject({ status: 'refunded', refundedCents: total });
  });

  it('charge.refunded in another currency than the order is not taken as minor units of the order', async () => {
    const v = await product(5, 4000);
    const o = await orderWithSession([{ sku: v.sku, qty: 1 }]);
    await deliver(sessionEvent('checkout.session.completed', o));
    const event = chargeRefundedEvent(o.paymentIntent, 1000, { currency: 'eur' });
    expect(outcomeOf(await deliver(event))).toBe('unhandled');
    expect(await eventRow(event.id)).toBeUndefined();
    expect((await order(o.orderId)).refundedCents).toBe(0);
  });

  it('charge.dispute.created is recorded against the order found by its PaymentIntent', async () => {
    const v = await product(5, 4000);
    const o = await orderWithSession([{ sku: v.sku, qty: 1 }]);
    await deliver(sessionEvent('checkout.session.completed', o));
    const event = disputeEvent(o.paymentIntent, 4595);
    expect(outcomeOf(await deliver(event))).toBe('dispute_recorded');
    expect(await eventRow(event.id)).toMatchObject({ orderId: o.orderId, type: 'dispute_created' });
  });
});

describe('webhook mapping edges', () => {
  it('acknowledges types we do not handle, and charges that are not ours, without a write', async () => {
    const other = { id: rid('evt_test'), object: 'event', type: 'payment_intent.succeeded', data: { object: { id: 'pi_test_abcdefgh', object: 'payment_intent' } } };
    expect(await deliver(other)).toEqual({ status: 200, body: { received: true, outcome: 'unhandled' } });
    const foreign = chargeRefundedEvent('pi_test_notoursatall', 500);
    // While one of our sessions could still complete, an unmatched charge may be ours: Stripe is
    // asked to deliver it again (500), nothing written (ADR 0035).
    expect((await deliver(foreign)).status).toBe(500);
    expect(await eventRow(foreign.id)).toBeUndefined();
    // Once no session of ours can complete any more, it is another integration's: acknowledged.
    const saved = await db.select({ id: orders.id, createdAt: orders.createdAt }).from(orders);
    await db.update(orders).set({ createdAt: Date.now() - 26 * 3_600_000 });
    expect(await deliver(foreign)).toEqual({ status: 200, body: { received: true, outcome: 'unhandled' } });
    for (const o of saved) await db.update(orders).set({ createdAt: o.createdAt }).where(eq(orders.id, o.id));
    expect(await eventRow(other.id)).toBeUndefined();
    expect(await eventRow(foreign.id)).toBeUndefined();
  });

  it('records a session event for an order id that does not exist once, as unknown_order', async () => {
    const ghost = sessionEvent('checkout.session.completed', { orderId: 987654, number: 'LB-GHST-0000', sessionId: rid('cs_test_'), paymentIntent: rid('pi_test') });
    expect(outcomeOf(await deliver(ghost))).toBe('unknown_order');
    expect(await eventRow(ghost.id)).toMatchObject({ outcome: 'unknown_order', orderId: null });
    expect(outcomeOf(await deliver(ghost))).toBe('duplicate');
  });

  it('ignores malformed or self-contradicting sessions, and expiry of a session the order is not waiting on', async () => {
    const v = await product(5);
    const o = await orderWithSession([{ sku: v.sku, qty: 1 }]);
    const base = sessionEvent('checkout.session.completed', o);
    const asEvent = (e: object) => e as unknown as Stripe.Event;

    const contradicting = structuredClone(base);
    contradicting.data.object.client_reference_id = String(o.orderId + 1);
    expect(await toPaymentEvent(db, asEvent(contradicting))).toBeNull();

    const badOrderId = structuredClone(base);
    badOrderId.data.object.metadata.order_id = '1 OR 1=1';
    badOrderId.data.object.client_reference_id = '1 OR 1=1';
    expect(await toPaymentEvent(db, asEvent(badOrderId))).toBeNull();

    const badEventId = { ...structuredClone(base), id: 'not-an-event' };
    expect(await toPaymentEvent(db, asEvent(badEventId))).toBeNull();

    const badIntent = structuredClone(base);
    badIntent.data.object.payment_intent = 'ch_wrongkind';
    expect(await toPaymentEvent(db, asEvent(badIntent))).toMatchObject({ type: 'checkout_completed', paymentId: null });

    const staleSession = sessionEvent('checkout.session.expired', { ...o, sessionId: rid('cs_test_') });
    expect(await deliver(staleSession)).toEqual({ status: 200, body: { received: true, outcome: 'unhandled' } });
    expect((await order(o.orderId)).status).toBe('pending');

    expect(sessionOrderId({ metadata: null, client_reference_id: '42' })).toBe(42);
    expect(sessionOrderId({ metadata: {}, client_reference_id: null })).toBeNull();
  });

  it('answers 500 when applying fails, so Stripe retries, and the retry then goes through', async () => {
    const v = await product(5);
    const o = await orderWithSession([{ sku: v.sku, qty: 1 }]);
    const event = sessionEvent('checkout.session.completed', o);
    const payload = JSON.stringify(event);
    const signature = stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET });
    const failing = await handleStripeWebhook(db, {
      stripe,
      rawBody: payload,
      signature,
      secret: SECRET,
      apply: async () => {
        throw new Error('database is locked');
      },
      log: { warn() {}, error() {} },
    });
    expect(failing).toEqual({ status: 500, body: { error: 'Could not process the event; please retry.' } });
    expect(await eventRow(event.id)).toBeUndefined();
    expect(outcomeOf(await deliver(event))).toBe('fulfilled');
  });
});

// The pages' composition root (src/lib/app.ts) imports astro:env; under the vitest Astro config it
// loads. With no STRIPE_SECRET_KEY set it picks the test provider, so no request can leave.
const root = await import('../../../src/lib/app.ts');

describe.skipIf(root.stripeConfigured)('through src/lib/app.ts', () => {
  it('applyPaymentEvent fulfils a Stripe completion and queues the confirmation email', async () => {
    const v = await product(5);
    const o = await orderWithSession([{ sku: v.sku, qty: 1 }]);
    const payload = JSON.stringify(sessionEvent('checkout.session.completed', o));
    const answer = await handleStripeWebhook(db, {
      stripe,
      rawBody: payload,
      signature: stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET }),
      secret: SECRET,
      apply: async (event) =>
        applyPaymentEvent(
          createApp({ db, provider: await root.getPaymentProvider(), mail: createMailTransport({ from: 'shop@example.com' }), config: root.appConfig, deliverMailAfterCommit: false }),
          event,
        ),
    });
    expect(answer).toEqual({ status: 200, body: { received: true, outcome: 'fulfilled' } });
    expect((await order(o.orderId)).status).toBe('paid');
    const mail = await db.select().from(outboxEmails).where(eq(outboxEmails.orderId, o.orderId));
    expect(mail.map((m) => m.kind)).toEqual(['order_confirmation']);
  });

  it('the webhook route answers 404 while Stripe is not configured', async () => {
    const { POST } = await import('../../../src/pages/api/stripe/webhook.ts');
    const request = new Request('http://127.0.0.1/api/stripe/webhook', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    const response = await POST({ request } as Parameters<typeof POST>[0]);
    expect(response.status).toBe(404);
  });
});
