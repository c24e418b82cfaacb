/**
 * Rules 1, 2, 3 and 6 against a real migrated database: prices from the server, no oversell under
 * concurrency, idempotent fulfilment in any order with expiry, bad input changes nothing.
 */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/server/db.ts';
import { createTestDb } from '../../helpers/db.ts';
import { makeProduct, makeVariant } from '../../../db/factories/factories.ts';
import { fillBag, placeTestOrder, TEST_CHECKOUT, BUYER_FORM } from '../../helpers/checkout.ts';
import { addToBag, loadBag } from '../../../src/server/cart/index.ts';
import { parseAddToBag } from '../../../src/server/cart/index.ts';
import { placeOrder } from '../../../src/server/checkout/index.ts';
import { applyPaymentEvent, refundOrderByShop, retryLateRefunds, type App } from '../../../src/server/flows/index.ts';
import { testApp } from '../../helpers/app.ts';
import { createTestProvider, testPaymentEvent } from '../../../src/server/payments/index.ts';
import { getProductsBySlug, getCatalogVersion } from '../../../src/server/catalog/index.ts';
import { cartLines, coupons, orderLines, orders, paymentEvents, stockReservations, variants } from '../../../db/schema/index.ts';

let db: Db;
let app: App;
const T0 = Date.UTC(2026, 10, 1, 12);
const MIN = 60_000;

async function stock(sku: string) {
  return (await db.select({ n: variants.stockOnHand }).from(variants).where(eq(variants.sku, sku)).get())!.n;
}
async function available(slug: string, sku: string, now: number) {
  return (await getProductsBySlug(db, [slug], now)).get(slug)!.variants.find((v) => v.sku === sku)!.available;
}
async function orderRow(id: number) {
  return (await db.select().from(orders).where(eq(orders.id, id)).get())!;
}
const pay = (orderId: number, session: string, now: number) => applyPaymentEvent(app, testPaymentEvent(orderId, session, 'pay'), { now });

beforeAll(async () => {
  db = await createTestDb();
  app = testApp(db);
  await makeProduct(db, { slug: 'last-five', variants: [makeVariant({ sku: 'FIVE', priceCents: 5000, stock: 5 })] });
  await makeProduct(db, { slug: 'tee', variants: [makeVariant({ sku: 'TEE', priceCents: 2500, stock: 100 })] });
  await makeProduct(db, { slug: 'single', variants: [makeVariant({ sku: 'ONE', priceCents: 9900, stock: 1 })] });
  await makeProduct(db, { slug: 'pair', variants: [makeVariant({ sku: 'PAIR', priceCents: 1000, stock: 2 })] });
});
afterAll(() => db.$client.close());

describe('no oversell (rule 2)', () => {
  it('50 parallel checkouts for 5 units: exactly 5 succeed and stock never goes below zero', async () => {
    const bags = await Promise.all(Array.from({ length: 50 }, () => fillBag(db, [{ sku: 'FIVE', qty: 1 }], T0)));
    // The bags were filled while 5 were free; now everyone checks out at once.
    const results = await Promise.all(bags.map((cartId) => placeTestOrder(db, cartId, { now: T0 })));
    const ok = results.filter((r) => r.ok);
    expect(ok).toHaveLength(5);
    for (const r of results.filter((r) => !r.ok)) expect(r).toMatchObject({ ok: false, reason: 'unavailable', lines: [{ sku: 'FIVE', available: 0 }] });
    expect(await available('last-five', 'FIVE', T0 + 1)).toBe(0);
    // Pay all five, twice each, concurrently: each unit is sold exactly once.
    const sessions = ok.map((r, i) => ({ id: (r as { orderId: number }).orderId, s: `test_cs_concurrency_${i}_xxxxxxxx` }));
    await Promise.all(sessions.flatMap(({ id, s }) => [pay(id, s, T0 + MIN), pay(id, s, T0 + MIN)]));
    expect(await stock('FIVE')).toBe(0);
    const paid = await db.select({ n: sql<number>`count(*)` }).from(orders).where(eq(orders.status, 'paid')).get();
    expect(paid?.n).toBe(5);
  });

  it('a short line reserves nothing, and the buyer learns which line', async () => {
    const cart = await fillBag(db, [{ sku: 'TEE', qty: 2 }, { sku: 'ONE', qty: 1 }], T0);
    // someone else takes the single unit first
    const other = await fillBag(db, [{ sku: 'ONE', qty: 1 }], T0);
    expect((await placeTestOrder(db, other, { now: T0 })).ok).toBe(true);
    const before = await db.select({ n: sql<number>`count(*)` }).from(stockReservations).get();
    const r = await placeTestOrder(db, cart, { now: T0 });
    expect(r).toMatchObject({ ok: false, reason: 'unavailable', lines: [{ sku: 'ONE', available: 0, wanted: 1 }] });
    expect((await db.select({ n: sql<number>`count(*)` }).from(stockReservations).get())?.n).toBe(before?.n);
    expect(await available('tee', 'TEE', T0)).toBe(100);
  });

  it('an expired reservation stops counting without any sweeper', async () => {
    const cart = await fillBag(db, [{ sku: 'PAIR', qty: 2 }], T0);
    const r = await placeTestOrder(db, cart, { now: T0 });
    expect(r.ok).toBe(true);
    expect(await available('pair', 'PAIR', T0 + 14 * MIN)).toBe(0);
    expect(await available('pair', 'PAIR', T0 + 15 * MIN)).toBe(2);
  });
});

describe('prices come from the server (rule 1)', () => {
  it('ignores any price in the request: the add-to-bag input has no price field to tamper with', async () => {
    const parsed = parseAddToBag({ sku: 'TEE', qty: '1', price: '1', priceCents: '1', unitPriceCents: '1' });
    expect(parsed).toEqual({ ok: true, value: { sku: 'TEE', qty: 1, source: { kind: 'direct' } } });
    const cart = await fillBag(db, [{ sku: 'TEE', qty: 2 }], T0);
    const placed = await placeTestOrder(db, cart, { now: T0 });
    if (!placed.ok) throw new Error('expected order');
    const line = await db.select().from(orderLines).where(eq(orderLines.orderId, placed.orderId)).get();
    expect(line).toMatchObject({ unitPriceCents: 2500, qty: 2, subtotalCents: 5000 });
    expect(placed.totalCents).toBe(5000 + 595);
  });
  it('snapshots price and title: a later price change does not alter the order', async () => {
    const cart = await fillBag(db, [{ sku: 'TEE', qty: 1 }], T0);
    const placed = await placeTestOrder(db, cart, { now: T0 });
    if (!placed.ok) throw new Error('expected order');
    await db.update(variants).set({ priceCents: 1 }).where(eq(variants.sku, 'TEE'));
    const line = await db.select().from(orderLines).where(eq(orderLines.orderId, placed.orderId)).get();
    expect(line?.unitPriceCents).toBe(2500);
    expect((await orderRow(placed.orderId)).totalCents).toBe(2500 + 595);
    await db.update(variants).set({ priceCents: 2500 }).where(eq(variants.sku, 'TEE'));
  });
});

describe('fulfilment is idempotent and order-independent (rule 3)', () => {
  it('sells reserved stock once, clears the bag, and a duplicate event changes nothing', async () => {
    const cart = await fillBag(db, [{ sku: 'TEE', qty: 3 }], T0);
    const placed = await placeTestOrder(db, cart, { now: T0 });
    if (!placed.ok) throw new Error('expected order');
    const before = await stock('TEE');
    const v0 = await getCatalogVersion(db);
    expect((await pay(placed.orderId, 'test_cs_idem_aaaaaaaaaaaaaa', T0 + MIN)).outcome).toBe('fulfilled');
    expect(await stock('TEE')).toBe(before - 3);
    expect(await getCatalogVersion(db)).toBeGreaterThan(v0);
    expect(await loadBag(db, cart, T0)).toEqual([]);
    expect((await pay(placed.orderId, 'test_cs_idem_aaaaaaaaaaaaaa', T0 + MIN)).outcome).toBe('duplicate');
    // a different event id for the same payment (e.g. async succeeded after completed)
    expect(
      (await applyPaymentEvent(app, { id: 'evt_other', provider: 'test', type: 'payment_succeeded', orderId: placed.orderId, paymentId: null }, { now: T0 + MIN }))
        .outcome,
    ).toBe('already_paid');
    expect(await stock('TEE')).toBe(before - 3);
    const o = await orderRow(placed.orderId);
    expect(o.status).toBe('paid');
  });

  it('an expiry event after payment changes nothing', async () => {
    const cart = await fillBag(db, [{ sku: 'TEE', qty: 1 }], T0);
    const placed = await placeTestOrder(db, cart, { now: T0 });
    if (!placed.ok) throw new Error('expected order');
    await pay(placed.orderId, 'test_cs_expafter_aaaaaaaaa', T0 + MIN);
    const s = await stock('TEE');
    const r = await applyPaymentEvent(app, { id: 'evt_exp_after', provider: 'test', type: 'checkout_expired', orderId: placed.orderId }, { now: T0 + 20 * MIN });
    expect(r.outcome).toBe('ignored');
    expect((await orderRow(placed.orderId)).status).toBe('paid');
    expect(await stock('TEE')).toBe(s);
  });

  it('a payment after its reservation lapsed is honoured from free stock', async () => {
    const cart = await fillBag(db, [{ sku: 'TEE', qty: 1 }], T0);
    const placed = await placeTestOrder(db, cart, { now: T0 });
    if (!placed.ok) throw new Error('expected order');
    const s = await stock('TEE');
    const r = await pay(placed.orderId, 'test_cs_late_aaaaaaaaaaaaaa', T0 + 30 * MIN);
    expect(r.outcome).toBe('fulfilled_late');
    expect(await stock('TEE')).toBe(s - 1);
  });

  it('a payment after expiry with no stock left is refunded, never sold below zero', async () => {
    await makeProduct(db, { slug: 'rare', variants: [makeVariant({ sku: 'RARE', stock: 1 })] });
    const slow = await placeTestOrder(db, await fillBag(db, [{ sku: 'RARE', qty: 1 }], T0), { now: T0 });
    if (!slow.ok) throw new Error('expected order');
    // the reservation lapses; the expiry event cancels the order; someone else buys the last unit
    await applyPaymentEvent(app, { id: 'evt_rare_exp', provider: 'test', type: 'checkout_expired', orderId: slow.orderId }, { now: T0 + 16 * MIN });
    const fast = await placeTestOrder(db, await fillBag(db, [{ sku: 'RARE', qty: 1 }], T0 + 16 * MIN), { now: T0 + 16 * MIN });
    if (!fast.ok) throw new Error('expected order');
    expect((await pay(fast.orderId, 'test_cs_rare_fast_aaaaaaaa', T0 + 17 * MIN)).outcome).toBe('fulfilled');
    // now the slow buyer's payment arrives
    const late = await pay(slow.orderId, 'test_cs_rare_slow_aaaaaaaa', T0 + 18 * MIN);
    expect(late.outcome).toBe('needs_refund');
    expect(await stock('RARE')).toBe(0);
    // The payment workflow refunds it at once, in full.
    expect(await orderRow(slow.orderId)).toMatchObject({ status: 'refunded', refundedCents: slow.totalCents, needsRefund: false });
    // The sweeper's retry and a redelivered event are harmless.
    expect(await retryLateRefunds(app, T0 + 19 * MIN)).toEqual({ ok: 0, failed: 0 });
    expect((await pay(slow.orderId, 'test_cs_rare_slow_aaaaaaaa', T0 + 20 * MIN)).outcome).toBe('duplicate');
    expect(await orderRow(slow.orderId)).toMatchObject({ status: 'refunded', refundedCents: slow.totalCents });
  });

  it('a declined payment releases the reservation at once', async () => {
    const placed = await placeTestOrder(db, await fillBag(db, [{ sku: 'PAIR', qty: 2 }], T0 + 20 * MIN), { now: T0 + 20 * MIN });
    if (!placed.ok) throw new Error('expected order');
    expect(await available('pair', 'PAIR', T0 + 21 * MIN)).toBe(0);
    const r = await applyPaymentEvent(app, testPaymentEvent(placed.orderId, 'test_cs_decline_aaaaaaaaa', 'decline'), { now: T0 + 21 * MIN });
    expect(r.outcome).toBe('released');
    expect(await available('pair', 'PAIR', T0 + 21 * MIN)).toBe(2);
    expect((await orderRow(placed.orderId)).status).toBe('canceled');
  });

  it('an event for an unknown order is recorded once and changes nothing', async () => {
    const r = await applyPaymentEvent(app, { id: 'evt_ghost', provider: 'test', type: 'checkout_expired', orderId: 999999 }, { now: T0 });
    expect(r.outcome).toBe('unknown_order');
    expect(await db.select().from(paymentEvents).where(eq(paymentEvents.id, 'evt_ghost')).get()).toMatchObject({ outcome: 'unknown_order' });
  });
});

describe('coupons at checkout', () => {
  it('applies a percent code, spreads the discount over lines, and enforces the per-email limit', async () => {
    await db.insert(coupons).values({ code: 'WELCOME10', kind: 'percent', percentOff: 10, perEmailLimit: 1, createdAt: T0 });
    const cart = await fillBag(db, [{ sku: 'TEE', qty: 1 }, { sku: 'PAIR', qty: 1 }], T0 + 40 * MIN);
    const r = await placeTestOrder(db, cart, { now: T0 + 40 * MIN, form: { couponCode: 'WELCOME10', email: 'coupon@example.com' } });
    if (!r.ok) throw new Error(JSON.stringify(r));
    const o = await orderRow(r.orderId);
    expect(o).toMatchObject({ subtotalCents: 3500, discountCents: 350, shippingCents: 595, totalCents: 3500 - 350 + 595, couponCode: 'WELCOME10' });
    const lines = await db.select().from(orderLines).where(eq(orderLines.orderId, r.orderId)).orderBy(orderLines.id);
    expect(lines.map((l) => l.discountCents)).toEqual([250, 100]);
    await pay(r.orderId, 'test_cs_coupon_aaaaaaaaaaaa', T0 + 41 * MIN);
    const again = await placeTestOrder(db, await fillBag(db, [{ sku: 'TEE', qty: 1 }], T0 + 42 * MIN), {
      now: T0 + 42 * MIN,
      form: { couponCode: 'welcome10', email: 'coupon@example.com' },
    });
    expect(again).toMatchObject({ ok: false, reason: 'coupon', message: expect.stringContaining('already been used') });
  });
  it('an unknown code fails and writes nothing', async () => {
    const count = async () => (await db.select({ n: sql<number>`count(*)` }).from(orders).get())?.n;
    const before = await count();
    const r = await placeTestOrder(db, await fillBag(db, [{ sku: 'TEE', qty: 1 }], T0), { now: T0, form: { couponCode: 'NOPE' } });
    expect(r).toMatchObject({ ok: false, reason: 'coupon' });
    expect(await count()).toBe(before);
  });
});

describe('bag limits (rule 6)', () => {
  it('refuses unknown SKUs, quantities over the limit and sold-out items, changing nothing', async () => {
    const cart = await fillBag(db, [{ sku: 'TEE', qty: 9 }], T0);
    const lines = async () => db.select().from(cartLines).where(eq(cartLines.cartId, cart));
    const before = await lines();
    const add = (sku: string, qty: number) => addToBag(db, { sku, qty, source: { kind: 'direct' } }, { cartId: cart, now: T0, checkSource: () => true });
    expect(await add('NOPE', 1)).toEqual({ ok: false, reason: 'unknown_variant' });
    expect(await add('TEE', 2)).toEqual({ ok: false, reason: 'line_limit' });
    expect(await add('FIVE', 1)).toMatchObject({ ok: false, reason: 'sold_out' });
    expect(await lines()).toEqual(before);
  });
  it('refuses a card that is not in the post', async () => {
    const r = await addToBag(db, { sku: 'TEE', qty: 1, source: { kind: 'post', post: 'a-post', card: 3 } }, { now: T0, checkSource: () => false });
    expect(r).toEqual({ ok: false, reason: 'unknown_source' });
  });
  it('holds at most 50 lines', async () => {
    const skus = Array.from({ length: 51 }, (_, i) => `BULK-${i}`);
    await makeProduct(db, { slug: 'bulk', variants: skus.map((sku) => makeVariant({ sku, stock: 5 })) });
    const cart = await fillBag(db, skus.slice(0, 50).map((sku) => ({ sku, qty: 1 })), T0);
    const r = await addToBag(db, { sku: skus[50]!, qty: 1, source: { kind: 'direct' } }, { cartId: cart, now: T0, checkSource: () => true });
    expect(r).toEqual({ ok: false, reason: 'bag_full' });
  });
  it('keeps where a line came from', async () => {
    const cart = await fillBag(db, [{ sku: 'TEE', qty: 1, post: 'autumn', card: 2 }], T0);
    const [line] = await loadBag(db, cart, T0);
    expect(line?.source).toEqual({ kind: 'post', post: 'autumn', card: 2 });
    const placed = await placeOrder(db, { cartId: cart, form: BUYER_FORM, config: TEST_CHECKOUT, provider: 'test', now: T0 });
    if (!placed.ok) throw new Error('expected order');
    expect(await db.select({ p: orderLines.sourcePost, c: orderLines.sourceCard }).from(orderLines).where(eq(orderLines.orderId, placed.orderId)).get()).toEqual({
      p: 'autumn',
      c: 2,
    });
  });
});

describe('payments and refunds that arrive at awkward times', () => {
  it('a payment on an order the shop canceled is refunded, not revived', async () => {
    const placed = await placeTestOrder(db, await fillBag(db, [{ sku: 'TEE', qty: 1 }], T0), { now: T0 });
    if (!placed.ok) throw new Error('expected order');
    const { releaseOrder } = await import('../../../src/server/orders/index.ts');
    await db.transaction((tx) => releaseOrder(tx, placed.orderId, { now: T0 + MIN, actor: 'admin:boss@lookbook.test', note: 'Canceled by the shop' }));
    const s = await stock('TEE');
    expect((await pay(placed.orderId, 'test_cs_shopcancel_aaaaaa', T0 + 2 * MIN)).outcome).toBe('needs_refund');
    expect(await stock('TEE')).toBe(s);
    // Not revived: the payment goes straight back.
    expect(await orderRow(placed.orderId)).toMatchObject({ status: 'refunded', refundedCents: placed.totalCents, needsRefund: false, paidAt: null });
  });
  it('a second payment on a refunded order never sells the stock again', async () => {
    const placed = await placeTestOrder(db, await fillBag(db, [{ sku: 'TEE', qty: 1 }], T0), { now: T0 });
    if (!placed.ok) throw new Error('expected order');
    await pay(placed.orderId, 'test_cs_refunded_aaaaaaaaa', T0 + MIN);
    expect((await refundOrderByShop(app, { orderId: placed.orderId, request: 'all', restock: true, actor: 'admin:x', now: T0 + 2 * MIN })).ok).toBe(true);
    const s = await stock('TEE');
    const again = await applyPaymentEvent(app, { id: 'evt_second_pay', provider: 'test', type: 'payment_succeeded', orderId: placed.orderId, paymentId: null }, { now: T0 + 3 * MIN });
    expect(again.outcome).toBe('already_paid');
    expect(await stock('TEE')).toBe(s);
    expect((await orderRow(placed.orderId)).status).toBe('refunded');
  });
  it('two identical refunds submitted at once are recorded once', async () => {
    const placed = await placeTestOrder(db, await fillBag(db, [{ sku: 'TEE', qty: 2 }], T0), { now: T0 });
    if (!placed.ok) throw new Error('expected order');
    await pay(placed.orderId, 'test_cs_doublerefund_aaaaa', T0 + MIN);
    const { refundOrder } = await import('../../../src/server/orders/index.ts');
    const line = await db.select().from(orderLines).where(eq(orderLines.orderId, placed.orderId)).get();
    const s = await stock('TEE');
    // The orders capability alone (no effects needed to test its own race).
    const req = { orderId: placed.orderId, request: [{ lineId: line!.id, qty: 1 }], restock: true, actor: 'admin:x', now: T0 + 2 * MIN, hooks: { onRefunded: async () => {} } };
    const results = await Promise.all([refundOrder(db, createTestProvider(), req), refundOrder(db, createTestProvider(), req)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toMatchObject({ reason: 'conflict' });
    const after = await db.select().from(orderLines).where(eq(orderLines.id, line!.id)).get();
    expect(after?.refundedQty).toBe(1);
    expect(await stock('TEE')).toBe(s + 1);
  });
});

describe('trending', () => {
  it('ranks products by units sold since a date, net of refunds', async () => {
    const { bestSellingSlugs } = await import('../../../src/server/catalog/index.ts');
    const since = T0 - 1;
    const top = await bestSellingSlugs(db, since, 5);
    expect(top.length).toBeGreaterThan(0);
    for (let i = 1; i < top.length; i++) expect(top[i - 1]!.units).toBeGreaterThanOrEqual(top[i]!.units);
    // nothing was paid after this moment
    expect(await bestSellingSlugs(db, Date.UTC(2030, 0, 1))).toEqual([]);
    // refunded units do not count: the fully refunded tee order above is left out of its total
    const tee = top.find((t) => t.slug === 'tee');
    const sold = await db.select({ q: orderLines.qty, r: orderLines.refundedQty, paid: orderLines.paidAt }).from(orderLines).where(eq(orderLines.productSlug, 'tee'));
    expect(tee?.units).toBe(sold.filter((l) => l.paid !== null && l.paid >= since).reduce((n, l) => n + l.q - l.r, 0));
  });
});
