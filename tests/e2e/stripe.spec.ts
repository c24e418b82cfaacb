/**
 * The deployed Stripe path, end to end: a built server of its own with STRIPE_SECRET_KEY,
 * STRIPE_WEBHOOK_SECRET and STRIPE_API_URL pointing at the local Stripe stub (tests/helpers/
 * stripe-stub.ts). A buyer orders in Chromium; the stub's session URL sends them straight back to
 * the success URL, as Stripe does after a payment (nothing leaves the machine, and the checkout's
 * CSP allows only this site and checkout.stripe.com as form targets); signed webhooks are posted to
 * /api/stripe/webhook as Stripe would, in the order Stripe may choose:
 * - a refund whose charge names no order, before the completion: 500 (Stripe delivers it again),
 *   then the completion pays the order and the redelivered refund refunds it;
 * - Back from the payment page and placing the same last unit again: the buyer's own hold does not
 *   block them, the first Checkout Session is expired at Stripe, and a payment that still lands on
 *   the first order is refunded through Stripe; the order page says so.
 */
import Stripe from 'stripe';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { newPage } from './helpers/browser.ts';
import { startBuiltServer, type BuiltServer } from '../../scripts/lib/serve-built.ts';
import { rid, startStripeStub, stripeEvents, type StripeStub } from '../helpers/stripe-stub.ts';
import { openDb, type Db } from '../../src/server/db.ts';
import { makeProduct, makeVariant } from '../../db/factories/factories.ts';
import { bumpCatalogVersion } from '../../src/server/catalog/index.ts';

const KEY = 'sk_test_e2e_stub';
const WEBHOOK_SECRET = 'whsec_e2e_stub_signing_secret';

let stub: StripeStub;
let server: BuiltServer;
let db: Db;
const stripe = new Stripe(KEY); // only for signing test deliveries: no request is made with it

beforeAll(async () => {
  stub = await startStripeStub({ checkoutUrl: (id, s) => s.sessions.get(id)!.body.success_url! });
  server = await startBuiltServer({ distDir: inject('distDir'), env: { STRIPE_SECRET_KEY: KEY, STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, STRIPE_API_URL: stub.url } });
  db = await openDb({ url: server.databaseUrl });
});
afterAll(async () => {
  db?.$client.close();
  await server?.stop();
  await stub?.close();
});

let n = 0;
async function product(stock: number) {
  const tag = `${Date.now().toString(36)}${++n}`;
  const slug = `e2e-stripe-${tag}`;
  await db.transaction(async (tx) => {
    await makeProduct(tx, { slug, name: `Stripe Tote ${tag.toUpperCase()}`, brand: 'oro-studio', category: 'bags', image: '/images/products/canvas-market-tote-black.svg', variants: [makeVariant({ sku: `E2E-S-${tag.toUpperCase()}`, size: 'One size', priceCents: 5200, stock })] });
    await bumpCatalogVersion(tx);
  });
  return slug;
}

/** A buyer on the Stripe server at this width. */
function buyer(width: number): Promise<Page> {
  return newPage({ baseURL: server.baseURL, viewport: { width, height: 900 } });
}

async function addAndCheckOut(page: Page, slug: string, email: string): Promise<string> {
  await page.goto(`/products/${slug}`);
  await Promise.all([page.waitForResponse((r) => r.url().includes('/bag/add')), page.getByRole('button', { name: 'Add to bag' }).click()]);
  await page.goto('/checkout');
  return placeOrder(page, email);
}

async function placeOrder(page: Page, email: string) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Full name').fill('Ada Lovelace');
  await page.getByLabel('Street address').fill('12 Analytical Row');
  await page.getByLabel('City').fill('London');
  await page.getByLabel('Postcode').fill('SW1A 1AA');
  await page.getByLabel('Country').selectOption('GB');
  const place = page.getByRole('button', { name: /^Continue to payment/ });
  expect(await place.isEnabled()).toBe(true);
  // Through Stripe (the stub) and back to the order page, as after paying.
  await Promise.all([page.waitForURL((u) => u.pathname.startsWith('/orders/') && u.searchParams.get('from') === 'checkout'), place.click()]);
  const number = new URL(page.url()).pathname.split('/').at(-1)!;
  const rs = await db.$client.execute({ sql: 'select provider_session_id from orders where number = ?', args: [number] });
  return String(rs.rows[0]!.provider_session_id); // cs_test_… created at the stub
}

async function deliver(event: object): Promise<{ status: number; body: Record<string, unknown> }> {
  const payload = JSON.stringify(event);
  const res = await fetch(`${server.baseURL}/api/stripe/webhook`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Stripe-Signature': stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET }) },
    body: payload,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function orderBySession(sessionId: string) {
  const rs = await db.$client.execute({ sql: 'select id, number, status, total_cents, refunded_cents, superseded_by_order_id from orders where provider_session_id = ?', args: [sessionId] });
  const r = rs.rows[0];
  if (!r) throw new Error(`no order for ${sessionId}`);
  return { id: Number(r.id), number: String(r.number), status: String(r.status), totalCents: Number(r.total_cents), refundedCents: Number(r.refunded_cents), supersededBy: r.superseded_by_order_id === null ? null : Number(r.superseded_by_order_id) };
}
async function orderById(id: number) {
  const rs = await db.$client.execute({ sql: 'select status, refunded_cents, needs_refund from orders where id = ?', args: [id] });
  return { status: String(rs.rows[0]!.status), refundedCents: Number(rs.rows[0]!.refunded_cents), needsRefund: Number(rs.rows[0]!.needs_refund) === 1 };
}

describe('Stripe through the deployed code path', () => {
  test("the Checkout Session is created at the stub with the shop's key; a refund before the completion is retried, then applied", async () => {
    const slug = await product(3);
    const page = await buyer(1366);
    const sessionId = await addAndCheckOut(page, slug, `e2e-stripe-${Date.now()}@example.com`);
    const created = stub.requests.find((r) => r.path === '/v1/checkout/sessions' && stub.sessions.get(sessionId)?.body === r.body);
    expect(created?.authorization).toBe(`Bearer ${KEY}`);
    const order = await orderBySession(sessionId);
    expect(order.status).toBe('pending');
    const paymentIntent = rid('pi_test');

    // Stripe sends the refund first; the charge carries no order metadata.
    const refund = stripeEvents.chargeRefunded(paymentIntent, order.totalCents);
    expect((await deliver(refund)).status).toBe(500);
    expect(await orderById(order.id)).toMatchObject({ status: 'pending', refundedCents: 0 });

    const completed = stripeEvents.session('checkout.session.completed', { orderId: order.id, number: order.number, sessionId, paymentIntent });
    expect(await deliver(completed)).toEqual({ status: 200, body: { received: true, outcome: 'fulfilled' } });
    // Stripe's redelivery of the refund now finds the order by its PaymentIntent.
    expect(await deliver(refund)).toEqual({ status: 200, body: { received: true, outcome: 'refund_recorded' } });
    expect(await orderById(order.id)).toMatchObject({ status: 'refunded', refundedCents: order.totalCents });

    // Back from Stripe to the success URL: the order page tells the truth.
    const success = stub.sessions.get(sessionId)!.body.success_url!;
    await page.goto(success);
    expect(await page.getByRole('main').getByRole('status').first().innerText()).toBe('Payment: Refunded');
  });

  test('Back from the payment page and placing the last unit again: one kept payment, the other refunded through Stripe', async () => {
    const slug = await product(1); // the last unit: held by the buyer's own first order
    const page = await buyer(390);
    const email = `e2e-stripe-twice-${Date.now()}@example.com`;
    const firstSession = await addAndCheckOut(page, slug, email);
    await page.goBack(); // Back from the payment page to the checkout
    await page.goto('/checkout'); // fresh page, as a reload would show it
    const secondSession = await placeOrder(page, email); // not "Sold out": the buyer's own hold counts as theirs
    expect(secondSession).not.toBe(firstSession);

    const first = await orderBySession(firstSession);
    const second = await orderBySession(secondSession);
    expect(first).toMatchObject({ status: 'canceled', supersededBy: second.id });
    expect(stub.requests.some((r) => r.path === `/v1/checkout/sessions/${firstSession}/expire`)).toBe(true);
    expect(stub.sessions.get(firstSession)?.status).toBe('expired');

    // The first payment went through just before its page closed.
    const pi1 = rid('pi_test');
    expect((await deliver(stripeEvents.session('checkout.session.completed', { orderId: first.id, number: first.number, sessionId: firstSession, paymentIntent: pi1 }))).body).toMatchObject({ outcome: 'needs_refund' });
    expect(stub.requests.filter((r) => r.path === '/v1/refunds' && r.body.payment_intent === pi1).map((r) => r.body.amount)).toEqual([String(first.totalCents)]);
    expect(await orderById(first.id)).toMatchObject({ status: 'refunded', needsRefund: false });
    expect((await deliver(stripeEvents.session('checkout.session.completed', { orderId: second.id, number: second.number, sessionId: secondSession, paymentIntent: rid('pi_test') }))).body).toMatchObject({ outcome: 'fulfilled' });

    // The first order's page says what happened.
    await page.goto(stub.sessions.get(firstSession)!.body.success_url!);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Order replaced');
    expect(await page.locator('section.order').innerText()).toContain(`You placed the same bag again as order ${second.number}`);
    expect(await page.locator('section.order').innerText()).toContain('refunded in full');
    await page.screenshot({ path: '/tmp/stripe-replaced-390.png', fullPage: true });
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
  });
});
