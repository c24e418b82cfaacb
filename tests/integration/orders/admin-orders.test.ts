import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../../src/server/db.ts';
import { createTestDb } from '../../helpers/db.ts';
import { makeProduct, makeVariant } from '../../../db/factories/factories.ts';
import { couponRedemptions, coupons, orderEvents, orderLines, orders, outboxEmails, products, shipmentLines, shipments, stockReservations, variants } from '../../../db/schema/index.ts';
import { addToBag } from '../../../src/server/cart/index.ts';
import { placeOrder } from '../../../src/server/checkout/index.ts';
import type { CheckoutConfig } from '../../../src/server/checkout/index.ts';
import type { PaymentProvider } from '../../../src/server/payments/index.ts';
import { createTestProvider, testPaymentEvent } from '../../../src/server/payments/index.ts';
import { availableSql } from '../../../src/server/catalog/index.ts';
import { applyPaymentEvent, cancelOrderByShop, refundOrderByShop } from '../../../src/server/flows/index.ts';
import { testApp } from '../../helpers/app.ts';
import type { EmailContext } from '../../../src/server/orders/index.ts';
import { parseAdminOrderQuery, type AdminOrderQuery } from '../../../src/server/orders/index.ts';
import {
  getOrderDetail,
  listOrders,
  markDelivered,
  markShipped,
  previewRefund,
} from '../../../src/server/orders/index.ts';

const T0 = Date.UTC(2026, 2, 10, 12); // 2026-03-10 12:00 UTC
const MIN = 60_000;
const DAY = 86_400_000;
const ACTOR = 'admin:ops@lookbook.test';

const config: CheckoutConfig = {
  currency: 'USD',
  countries: ['US'],
  reservationTtlMs: 15 * MIN,
  shippingMethods: [{ id: 'standard', label: 'Standard delivery', priceCents: 595, freeOverCents: 15000, days: '3–5 business days' }],
};
const emailCtx: EmailContext = { shopName: 'Lookbook', locale: 'en-US', siteUrl: 'http://127.0.0.1:4321', linkSecret: 'test-secret' };

let db: Db;
let sessionSeq = 0;

/** A provider that records what it was asked to refund (the built-in test provider underneath). */
function spyProvider(before?: () => Promise<void>) {
  const inner = createTestProvider();
  const refunds: number[] = [];
  const provider: PaymentProvider = {
    ...inner,
    async refund(args) {
      await before?.();
      refunds.push(args.amountCents);
      return inner.refund(args);
    },
  };
  return { provider, refunds };
}

/** Places a real order through the bag and checkout (and pays it, unless told not to). */
async function order(
  items: { sku: string; qty: number }[],
  { email = 'ada@example.com', at = T0, pay = true, coupon }: { email?: string; at?: number; pay?: boolean; coupon?: string } = {},
) {
  let cartId: string | undefined;
  for (const it of items) {
    const r = await addToBag(db, { sku: it.sku, qty: it.qty, source: { kind: 'direct' } }, { cartId, now: at, checkSource: () => true });
    if (!r.ok) throw new Error(`addToBag ${it.sku}: ${r.reason}`);
    cartId = r.cartId;
  }
  const placed = await placeOrder(db, {
    cartId: cartId!,
    config,
    provider: 'test',
    now: at,
    form: { email, name: 'Ada Lovelace', line1: '1 Loom St', line2: null, city: 'Boston', region: 'MA', postcode: '02110', country: 'US', shippingMethod: 'standard', couponCode: coupon ?? null },
  });
  if (!placed.ok) throw new Error(`placeOrder: ${JSON.stringify(placed)}`);
  if (pay) {
    const session = `test_cs_${String(++sessionSeq).padStart(16, '0')}`;
    const res = await applyPaymentEvent(testApp(db), testPaymentEvent(placed.orderId, session, 'pay'), { now: at + MIN });
    expect(res.outcome).toBe('fulfilled');
  }
  return placed;
}

const getOrder = (id: number) => db.select().from(orders).where(eq(orders.id, id)).get().then((o) => o!);
const linesOf = (id: number) => db.select().from(orderLines).where(eq(orderLines.orderId, id)).orderBy(orderLines.id);
const eventsOf = (id: number) => db.select().from(orderEvents).where(eq(orderEvents.orderId, id)).orderBy(orderEvents.id);
const outboxOf = (id: number) => db.select().from(outboxEmails).where(eq(outboxEmails.orderId, id));
const stock = async (sku: string, now = T0 + 2 * MIN) =>
  db
    .select({ onHand: variants.stockOnHand, available: availableSql(now) })
    .from(variants)
    // joined on purpose: availableSql's correlated subquery needs qualified column names
    .innerJoin(products, eq(products.id, variants.productId))
    .where(eq(variants.sku, sku))
    .get()
    .then((r) => ({ onHand: r!.onHand, available: Number(r!.available) }));

/** Everything an action could touch, to prove a refused one changed nothing. */
async function snapshot(orderId: number) {
  return {
    order: await getOrder(orderId),
    lines: await linesOf(orderId),
    events: await eventsOf(orderId),
    outbox: await outboxOf(orderId),
    reservations: await db.select().from(stockReservations).where(eq(stockReservations.orderId, orderId)),
    stock: await db.select({ sku: variants.sku, onHand: variants.stockOnHand }).from(variants).orderBy(variants.id),
  };
}

beforeAll(async () => {
  db = await createTestDb();
  await makeProduct(db, {
    slug: 'merino-knit',
    variants: [makeVariant({ sku: 'KNIT-S', size: 'S', priceCents: 8900, stock: 20 }), makeVariant({ sku: 'KNIT-M', size: 'M', priceCents: 8900, stock: 20 })],
  });
  await makeProduct(db, { slug: 'linen-shirt', variants: [makeVariant({ sku: 'SHIRT-M', size: 'M', priceCents: 4200, stock: 20 })] });
  await makeProduct(db, { slug: 'silk-scarf', variants: [makeVariant({ sku: 'SCARF', size: 'One size', priceCents: 2500, stock: 20 })] });
});
afterAll(() => db.$client.close());

describe('listOrders', () => {
  let ids: Record<string, { orderId: number; number: string }>;
  const q = (qs: string): AdminOrderQuery => {
    const r = parseAdminOrderQuery(new URLSearchParams(qs));
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    return r.query;
  };
  const numbers = async (qs: string, pageSize?: number) => (await listOrders(db, { ...q(qs), ...(pageSize ? { pageSize } : {}) })).rows.map((r) => r.number);

  beforeAll(async () => {
    // A separate, empty-of-other-orders window: March 2025.
    const base = Date.UTC(2025, 2, 1, 9);
    ids = {
      a: await order([{ sku: 'SCARF', qty: 2 }], { email: 'ada@example.com', at: base }),
      b: await order([{ sku: 'SCARF', qty: 1 }], { email: 'grace.hopper@navy.test', at: base + DAY }),
      c: await order([{ sku: 'SCARF', qty: 1 }, { sku: 'SHIRT-M', qty: 1 }], { email: 'ada@example.com', at: base + 2 * DAY, pay: false }),
      d: await order([{ sku: 'SCARF', qty: 3 }], { email: 'linus@example.org', at: base + 3 * DAY + 14 * 3600_000 }),
    };
  });

  it('lists newest first with item counts and totals', async () => {
    const page = await listOrders(db, q('from=2025-03-01&to=2025-03-31'));
    expect(page.total).toBe(4);
    expect(page.rows.map((r) => r.number)).toEqual([ids.d!.number, ids.c!.number, ids.b!.number, ids.a!.number]);
    const c = page.rows.find((r) => r.number === ids.c!.number)!;
    expect(c).toMatchObject({ email: 'ada@example.com', status: 'pending', itemCount: 2, totalCents: 2500 + 4200 + 595, currency: 'USD' });
    expect(page.rows.find((r) => r.number === ids.d!.number)!.itemCount).toBe(3);
  });

  it('filters by status', async () => {
    expect(await numbers('status=pending&from=2025-03-01&to=2025-03-31')).toEqual([ids.c!.number]);
    expect(await numbers('status=paid&from=2025-03-01&to=2025-03-31')).toEqual([ids.d!.number, ids.b!.number, ids.a!.number]);
  });

  it('filters by created date, the "to" day included in full', async () => {
    expect(await numbers('from=2025-03-02&to=2025-03-03')).toEqual([ids.c!.number, ids.b!.number]);
    expect(await numbers('from=2025-03-04&to=2025-03-04')).toEqual([ids.d!.number]); // created 23:00 UTC that day
    expect(await numbers('to=2025-02-28')).toEqual([]);
  });

  it('finds an order by number in any case, with or without dashes, or by part of it', async () => {
    const n = ids.b!.number; // LB-XXXX-YYYY
    for (const typed of [n, n.toLowerCase(), n.replace(/-/g, ''), n.replace(/-/g, ' ').toLowerCase(), n.slice(3, 7)]) {
      expect(await numbers(`q=${encodeURIComponent(typed)}`), typed).toContain(n);
    }
    expect(await numbers(`q=${encodeURIComponent(n.toLowerCase())}`)).toEqual([n]);
  });

  it('finds orders by part of the email, any case, literally (no wildcards)', async () => {
    expect(await numbers('q=ADA@EXAMPLE&from=2025-03-01&to=2025-03-31')).toEqual([ids.c!.number, ids.a!.number]);
    expect(await numbers('q=navy.test')).toEqual([ids.b!.number]);
    expect(await numbers('q=%25')).toEqual([]);
    expect(await numbers('q=nobody@nowhere')).toEqual([]);
  });

  it('combines filters', async () => {
    expect(await numbers('q=ada&status=paid&from=2025-03-01&to=2025-03-31')).toEqual([ids.a!.number]);
  });

  it('paginates with a total count', async () => {
    const p1 = await listOrders(db, { ...q('from=2025-03-01&to=2025-03-31'), pageSize: 3 });
    const p2 = await listOrders(db, { ...q('from=2025-03-01&to=2025-03-31&page=2'), pageSize: 3 });
    expect([p1.total, p1.pageCount, p1.rows.length, p2.rows.length]).toEqual([4, 2, 3, 1]);
    expect(p2.rows[0]!.number).toBe(ids.a!.number);
    const beyond = await listOrders(db, { ...q('from=2025-03-01&to=2025-03-31&page=9'), pageSize: 3 });
    expect([beyond.total, beyond.rows.length]).toEqual([4, 0]);
  });
});

describe('getOrderDetail', () => {
  it('shows lines, payment events, history and reservations', async () => {
    const placed = await order([{ sku: 'KNIT-S', qty: 2 }, { sku: 'SCARF', qty: 1 }]);
    const d = (await getOrderDetail(db, placed.number.toLowerCase().replace(/-/g, ''), T0 + 2 * MIN))!;
    expect(d.order.number).toBe(placed.number);
    expect(d.statusLabel).toBe('Paid');
    expect(d.fulfilmentLabel).toBe('Not shipped');
    expect(d.lines.map((l) => [l.sku, l.qty, l.unitPriceCents, l.refundedQty, l.remainingQty, l.netCents])).toEqual([
      ['KNIT-S', 2, 8900, 0, 2, 17800],
      ['SCARF', 1, 2500, 0, 1, 2500],
    ]);
    expect(d.paymentEvents.map((e) => [e.type, e.outcome])).toEqual([['checkout_completed', 'fulfilled']]);
    expect(d.history.map((h) => [h.fromStatus, h.toStatus, h.actor])).toEqual([
      [null, 'pending', 'buyer'],
      ['pending', 'paid', 'provider:test'],
    ]);
    expect(d.reservations.map((r) => [r.sku, r.qty, r.status])).toEqual([
      ['KNIT-S', 2, 'converted'],
      ['SCARF', 1, 'converted'],
    ]);
    expect(d.actions).toEqual({ ship: true, deliver: [], markReturned: [], refund: true, cancel: { kind: 'refund', amountCents: 17800 + 2500, units: 3 } });
  });

  it('shows a lapsed reservation as expired (no sweeper needed)', async () => {
    const placed = await order([{ sku: 'SCARF', qty: 1 }], { pay: false });
    expect((await getOrderDetail(db, placed.number, T0 + 5 * MIN))!.reservations[0]!.status).toBe('active');
    const later = (await getOrderDetail(db, placed.number, T0 + 16 * MIN))!;
    expect(later.reservations[0]!.status).toBe('expired');
    expect(later.actions).toMatchObject({ ship: false, deliver: [], refund: false, cancel: { kind: 'release', units: 1 } });
  });

  it('is null for an unknown number', async () => {
    expect(await getOrderDetail(db, 'LB-2222-2222')).toBeNull();
    expect(await getOrderDetail(db, 'not a number')).toBeNull();
  });
});

describe('markShipped', () => {
  it('writes carrier and tracking, records the change and puts the shipped email in the outbox', async () => {
    const placed = await order([{ sku: 'KNIT-M', qty: 1 }]);
    const r = await markShipped(db, { orderId: placed.orderId, carrier: '  UPS ', trackingNumber: '1Z999AA10123456784', lines: 'all', actor: ACTOR, now: T0 + 60 * MIN, emailCtx });
    expect(r).toMatchObject({ ok: true, fulfilmentStatus: 'shipped' });
    const o = await getOrder(placed.orderId);
    // The payment state stays 'paid'; where the parcel is lives apart (ADR 0045).
    expect([o.status, o.fulfilmentStatus, o.carrier, o.trackingNumber, o.updatedAt]).toEqual(['paid', 'shipped', 'UPS', '1Z999AA10123456784', T0 + 60 * MIN]);
    expect((await eventsOf(placed.orderId)).at(-1)).toMatchObject({ fromStatus: null, toStatus: null, actor: ACTOR, at: T0 + 60 * MIN, note: expect.stringMatching(/^Shipped 1 × .+ with UPS, tracking 1Z999AA10123456784$/) });
    const mail = (await outboxOf(placed.orderId)).filter((m) => m.kind === 'order_shipped');
    expect(mail).toHaveLength(1);
    expect(mail[0]!.toAddress).toBe('ada@example.com');
    expect(mail[0]!.textBody).toContain('1Z999AA10123456784');
    expect(mail[0]!.textBody).toContain('UPS');

    const again = await markShipped(db, { orderId: placed.orderId, carrier: 'DHL', trackingNumber: 'JD0002', lines: 'all', actor: ACTOR, emailCtx });
    expect(again).toMatchObject({ ok: false, reason: 'not_allowed' });
  });

  it('refuses a pending order and changes nothing', async () => {
    const placed = await order([{ sku: 'KNIT-M', qty: 1 }], { pay: false });
    const before = await snapshot(placed.orderId);
    const r = await markShipped(db, { orderId: placed.orderId, carrier: 'UPS', trackingNumber: '1Z999AA1', lines: 'all', actor: ACTOR, emailCtx });
    expect(r).toMatchObject({ ok: false, reason: 'not_allowed', message: expect.stringMatching(/not been paid/) });
    expect(await snapshot(placed.orderId)).toEqual(before);
  });

  it('validates carrier and tracking number, writing nothing', async () => {
    const placed = await order([{ sku: 'KNIT-M', qty: 1 }]);
    const before = await snapshot(placed.orderId);
    const r = await markShipped(db, { orderId: placed.orderId, carrier: ' ', trackingNumber: 'abc<script>', lines: 'all', actor: ACTOR, emailCtx });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toBe('invalid');
    expect(!r.ok && r.fieldErrors).toEqual({ carrier: 'Enter the carrier.', trackingNumber: 'Tracking numbers use letters, digits, spaces and dashes only.' });
    const missing = await markShipped(db, { orderId: placed.orderId, carrier: undefined, trackingNumber: undefined, lines: 'all', actor: ACTOR, emailCtx });
    expect(!missing.ok && missing.fieldErrors).toEqual({ carrier: 'Enter the carrier.', trackingNumber: 'Enter the tracking number.' });
    expect(await snapshot(placed.orderId)).toEqual(before);
  });

  it('refuses an unknown order', async () => {
    expect(await markShipped(db, { orderId: 999_999, carrier: 'UPS', trackingNumber: '1Z999AA1', lines: 'all', actor: ACTOR, emailCtx })).toMatchObject({ ok: false, reason: 'not_found' });
  });
});

describe('markDelivered', () => {
  it('marks a parcel delivered and records it', async () => {
    const placed = await order([{ sku: 'SHIRT-M', qty: 1 }]);
    expect(await markDelivered(db, { orderId: placed.orderId, shipmentId: 999_999, actor: ACTOR })).toMatchObject({ ok: false, reason: 'not_found' });
    const shipped = await markShipped(db, { orderId: placed.orderId, carrier: 'USPS', trackingNumber: '9400 1000 0000', lines: 'all', actor: ACTOR, emailCtx });
    const shipmentId = shipped.ok ? shipped.shipmentId : -1;
    expect(await markDelivered(db, { orderId: placed.orderId, shipmentId, actor: ACTOR, now: T0 + DAY })).toEqual({ ok: true, fulfilmentStatus: 'delivered' });
    expect(await getOrder(placed.orderId)).toMatchObject({ status: 'paid', fulfilmentStatus: 'delivered' });
    expect((await eventsOf(placed.orderId)).at(-1)).toMatchObject({ actor: ACTOR, at: T0 + DAY, note: 'Parcel with USPS tracking 9400 1000 0000 marked delivered' });
    expect(await markDelivered(db, { orderId: placed.orderId, shipmentId, actor: ACTOR })).toMatchObject({ ok: false, message: 'This parcel is already marked delivered.' });
  });

  it('delivers a shipped order that was partly refunded since', async () => {
    const placed = await order([{ sku: 'SHIRT-M', qty: 2 }]);
    const shipped = await markShipped(db, { orderId: placed.orderId, carrier: 'USPS', trackingNumber: '9400 1000 0001', lines: 'all', actor: ACTOR, emailCtx });
    const { provider } = spyProvider();
    const lineId = (await linesOf(placed.orderId))[0]!.id;
    expect(await refundOrderByShop(testApp(db, { provider }), { orderId: placed.orderId, request: [{ lineId, qty: 1 }], restock: false, actor: ACTOR })).toMatchObject({
      ok: true,
      status: 'partially_refunded',
    });
    expect(await getOrder(placed.orderId)).toMatchObject({ status: 'partially_refunded', fulfilmentStatus: 'shipped' });
    expect(await markDelivered(db, { orderId: placed.orderId, shipmentId: shipped.ok ? shipped.shipmentId : -1, actor: ACTOR })).toEqual({ ok: true, fulfilmentStatus: 'delivered' });
  });
});

describe('cancelOrder', () => {
  it('cancels a pending order: its reservation is released and the stock is available again', async () => {
    const before = await stock('KNIT-S');
    const placed = await order([{ sku: 'KNIT-S', qty: 3 }], { pay: false });
    expect(await stock('KNIT-S')).toEqual({ onHand: before.onHand, available: before.available - 3 });
    const { provider, refunds } = spyProvider();

    const r = await cancelOrderByShop(testApp(db, { provider }), { orderId: placed.orderId, actor: ACTOR, now: T0 + 2 * MIN });
    expect(r).toEqual({ ok: true, status: 'canceled', refundedCents: 0 });
    expect(await stock('KNIT-S')).toEqual(before);
    expect(refunds).toEqual([]);
    const o = await getOrder(placed.orderId);
    expect([o.status, o.refundedCents]).toEqual(['canceled', 0]);
    expect((await eventsOf(placed.orderId)).at(-1)).toMatchObject({ fromStatus: 'pending', toStatus: 'canceled', actor: ACTOR });
    expect((await db.select().from(stockReservations).where(eq(stockReservations.orderId, placed.orderId)))[0]!.status).toBe('released');

    expect(await cancelOrderByShop(testApp(db, { provider }), { orderId: placed.orderId, actor: ACTOR })).toMatchObject({ ok: false, reason: 'not_allowed', message: 'This order is already canceled.' });
  });

  it('cancels a paid order: the money is refunded in full, the stock returned, and it ends canceled', async () => {
    const before = { knit: await stock('KNIT-M'), scarf: await stock('SCARF') };
    const placed = await order([{ sku: 'KNIT-M', qty: 2 }, { sku: 'SCARF', qty: 1 }]);
    expect((await stock('KNIT-M')).onHand).toBe(before.knit.onHand - 2);
    const { provider, refunds } = spyProvider();
    const r = await cancelOrderByShop(testApp(db, { provider }), { orderId: placed.orderId, actor: ACTOR, now: T0 + 30 * MIN });
    expect(r).toEqual({ ok: true, status: 'canceled', refundedCents: placed.totalCents });
    expect(refunds).toEqual([placed.totalCents]);
    // The workflow's effects ran in the same transaction: the buyer's refund email is in the outbox.
    expect((await outboxOf(placed.orderId)).filter((m) => m.kind === 'order_refunded')).toHaveLength(1);
    expect(await stock('KNIT-M')).toEqual(before.knit);
    expect(await stock('SCARF')).toEqual(before.scarf);
    const o = await getOrder(placed.orderId);
    expect([o.status, o.refundedCents]).toEqual(['canceled', o.totalCents]);
    const [knit, scarf] = await linesOf(placed.orderId);
    expect([knit, scarf].map((l) => [l!.refundedQty, l!.refundedCents])).toEqual([
      [2, 17800],
      [1, 2500],
    ]);
    const history = await eventsOf(placed.orderId);
    expect(history.map((h) => [h.fromStatus, h.toStatus])).toEqual([
      [null, 'pending'],
      ['pending', 'paid'],
      ['paid', 'canceled'],
    ]);
    // In people's words: money formatted, product titles (never line ids or cents).
    expect(history.at(-1)!.note).toMatch(new RegExp(`^Canceled by the shop before shipping\\. Refunded \\$${(placed.totalCents / 100).toFixed(2).replace('.', '\\.')} for 2 × ${knit!.title} \\(${knit!.variantLabel}\\), 1 × ${scarf!.title} \\(${scarf!.variantLabel}\\), returned to stock\\. Payment reference \\S+\\.$`));
    expect(history.at(-1)!.actor).toBe(ACTOR);

    // Nothing more to cancel or refund; a second cancel moves no money.
    expect(await cancelOrderByShop(testApp(db, { provider }), { orderId: placed.orderId, actor: ACTOR })).toMatchObject({ ok: false, reason: 'not_allowed' });
    expect(await refundOrderByShop(testApp(db, { provider }), { orderId: placed.orderId, request: 'all', restock: true, actor: ACTOR })).toMatchObject({ ok: false });
    expect(refunds).toHaveLength(1);
  });

  it('releases the coupon redemption of a canceled paid order', async () => {
    await db.insert(coupons).values({ code: 'TENOFF', kind: 'amount', amountOffCents: 1000, createdAt: T0 });
    const placed = await order([{ sku: 'KNIT-S', qty: 1 }], { coupon: 'TENOFF' });
    const r = await cancelOrderByShop(testApp(db, { provider: spyProvider().provider }), { orderId: placed.orderId, actor: ACTOR, now: T0 + 9 * MIN });
    expect(r).toEqual({ ok: true, status: 'canceled', refundedCents: 8900 - 1000 + 595 });
    const red = await db.select().from(couponRedemptions).where(eq(couponRedemptions.orderId, placed.orderId)).get();
    expect(red!.releasedAt).toBe(T0 + 9 * MIN);
  });

  it('refuses a shipped order and changes nothing', async () => {
    const placed = await order([{ sku: 'SHIRT-M', qty: 1 }]);
    await markShipped(db, { orderId: placed.orderId, carrier: 'UPS', trackingNumber: '1Z0001', lines: 'all', actor: ACTOR, emailCtx });
    const before = await snapshot(placed.orderId);
    const { provider, refunds } = spyProvider();
    expect(await cancelOrderByShop(testApp(db, { provider }), { orderId: placed.orderId, actor: ACTOR })).toMatchObject({
      ok: false,
      reason: 'not_allowed',
      message: expect.stringMatching(/shipped order cannot be canceled/),
    });
    expect(refunds).toEqual([]);
    expect(await snapshot(placed.orderId)).toEqual(before);
  });

  it('records nothing when the order is shipped while its refund is in flight', async () => {
    const placed = await order([{ sku: 'SHIRT-M', qty: 1 }]);
    // Another instance ships the order between the provider's refund and the record.
    const { provider } = spyProvider(async () => {
      // (written directly: this instance holds the order's lock while the provider is called)
      const [p] = await db.insert(shipments).values({ orderId: placed.orderId, carrier: 'UPS', trackingNumber: '1Z0002', shippedAt: T0, actor: ACTOR }).returning();
      for (const l of await linesOf(placed.orderId)) await db.insert(shipmentLines).values({ shipmentId: p!.id, orderLineId: l.id, qty: l.qty });
      await db.update(orders).set({ fulfilmentStatus: 'shipped', carrier: 'UPS', trackingNumber: '1Z0002' }).where(eq(orders.id, placed.orderId));
    });
    const onHand = (await stock('SHIRT-M')).onHand;
    const r = await cancelOrderByShop(testApp(db, { provider }), { orderId: placed.orderId, actor: ACTOR });
    expect(r).toMatchObject({ ok: false, reason: 'conflict' });
    const o = await getOrder(placed.orderId);
    expect([o.status, o.fulfilmentStatus, o.refundedCents]).toEqual(['paid', 'shipped', 0]);
    expect((await stock('SHIRT-M')).onHand).toBe(onHand); // not restocked: the parcel is on its way
    expect((await linesOf(placed.orderId))[0]!.refundedQty).toBe(0);
  });
});

describe('refunds', () => {
  it('prices the confirmation exactly as the refund, and restocks only the refunded line', async () => {
    const placed = await order([{ sku: 'KNIT-S', qty: 2 }, { sku: 'SHIRT-M', qty: 1 }]);
    const [knit, shirt] = await linesOf(placed.orderId);
    const before = { knit: await stock('KNIT-S'), shirt: await stock('SHIRT-M') };

    const preview = await previewRefund(db, { orderId: placed.orderId, request: [{ lineId: knit!.id, qty: 1 }], restock: true });
    expect(preview).toMatchObject({ ok: true, amountCents: 8900, includesShipping: false, restock: true, lines: [{ lineId: knit!.id, qty: 1, sku: 'KNIT-S', amountCents: 8900 }] });

    const { provider, refunds } = spyProvider();
    const r = await refundOrderByShop(testApp(db, { provider }), { orderId: placed.orderId, request: [{ lineId: knit!.id, qty: 1 }], restock: true, actor: ACTOR, now: T0 + DAY });
    expect(r).toEqual({ ok: true, amountCents: 8900, status: 'partially_refunded' });
    expect(refunds).toEqual([8900]);
    expect(await stock('KNIT-S')).toEqual({ onHand: before.knit.onHand + 1, available: before.knit.available + 1 });
    expect(await stock('SHIRT-M')).toEqual(before.shirt);
    expect((await linesOf(placed.orderId)).map((l) => [l.sku, l.refundedQty, l.refundedCents])).toEqual([
      ['KNIT-S', 1, 8900],
      ['SHIRT-M', 0, 0],
    ]);
    expect((await eventsOf(placed.orderId)).at(-1)).toMatchObject({ fromStatus: 'paid', toStatus: 'partially_refunded', actor: ACTOR, note: expect.stringMatching(new RegExp(`^Refunded \\$89\\.00 for 1 × ${knit!.title} \\(${knit!.variantLabel}\\), returned to stock\\. Payment reference \\S+\\.$`)) });
    expect(shirt).toBeDefined();
  });

  it('refunds without restocking when asked', async () => {
    const placed = await order([{ sku: 'SCARF', qty: 2 }]);
    const onHand = (await stock('SCARF')).onHand;
    const lineId = (await linesOf(placed.orderId))[0]!.id;
    const r = await refundOrderByShop(testApp(db, { provider: spyProvider().provider }), { orderId: placed.orderId, request: [{ lineId, qty: 2 }], restock: false, actor: ACTOR });
    // Every unit refunded → shipping goes back too, and the order is refunded in full.
    expect(r).toEqual({ ok: true, amountCents: 5000 + 595, status: 'refunded' });
    expect((await stock('SCARF')).onHand).toBe(onHand);
  });

  it('never refunds more than the total, however it is split', async () => {
    const placed = await order([{ sku: 'KNIT-M', qty: 3 }, { sku: 'SCARF', qty: 1 }], { coupon: 'TENOFF' });
    const o = await getOrder(placed.orderId);
    const [knit, scarf] = await linesOf(placed.orderId);
    const { provider, refunds } = spyProvider();
    const refund = (request: 'all' | { lineId: number; qty: number }[]) => refundOrderByShop(testApp(db, { provider }), { orderId: placed.orderId, request, restock: false, actor: ACTOR });

    expect(await refund([{ lineId: knit!.id, qty: 1 }])).toMatchObject({ ok: true });
    expect(await refund([{ lineId: knit!.id, qty: 3 }])).toMatchObject({ ok: false, reason: 'too_many', message: 'Only 2 of that item can still be refunded.' });
    expect(await refund([{ lineId: knit!.id, qty: 1 }, { lineId: scarf!.id, qty: 1 }])).toMatchObject({ ok: true, status: 'partially_refunded' });
    expect(await refund('all')).toMatchObject({ ok: true, status: 'refunded' });
    expect(await refund('all')).toMatchObject({ ok: false, reason: 'not_refundable' });
    expect(await refund([{ lineId: scarf!.id, qty: 1 }])).toMatchObject({ ok: false });
    expect(refunds.reduce((a, b) => a + b, 0)).toBe(o.totalCents);
    expect((await getOrder(placed.orderId)).refundedCents).toBe(o.totalCents);
    expect(await previewRefund(db, { orderId: placed.orderId, request: 'all', restock: false })).toMatchObject({ ok: false, reason: 'not_refundable' });
  });

  it('refunds once when the same refund is submitted twice at the same moment', async () => {
    const placed = await order([{ sku: 'KNIT-S', qty: 1 }, { sku: 'SCARF', qty: 1 }]);
    const lineId = (await linesOf(placed.orderId))[0]!.id;
    const onHand = (await stock('KNIT-S')).onHand;
    const { provider, refunds } = spyProvider();
    const submit = () => refundOrderByShop(testApp(db, { provider }), { orderId: placed.orderId, request: [{ lineId, qty: 1 }], restock: true, actor: ACTOR });
    const [a, b] = await Promise.all([submit(), submit()]);
    expect([a.ok, b.ok].sort()).toEqual([false, true]);
    expect(refunds).toEqual([8900]);
    expect((await stock('KNIT-S')).onHand).toBe(onHand + 1);
    expect((await linesOf(placed.orderId))[0]!.refundedQty).toBe(1);
  });

  it('refuses a pending order and changes nothing', async () => {
    const placed = await order([{ sku: 'SCARF', qty: 1 }], { pay: false });
    const before = await snapshot(placed.orderId);
    const { provider, refunds } = spyProvider();
    expect(await refundOrderByShop(testApp(db, { provider }), { orderId: placed.orderId, request: 'all', restock: true, actor: ACTOR })).toMatchObject({
      ok: false,
      reason: 'not_refundable',
    });
    expect(refunds).toEqual([]);
    expect(await snapshot(placed.orderId)).toEqual(before);
  });
});

beforeEach(async () => {
  // Sanity: no test leaves stock below zero or a line refunded past its quantity.
  const bad = await db.select({ n: sql<number>`count(*)` }).from(orderLines).where(sql`${orderLines.refundedQty} > ${orderLines.qty}`).get();
  expect(bad!.n).toBe(0);
});

describe('history notes from the payment provider', () => {
  it('are written in people\'s words, with money formatted', async () => {
    const placed = await order([{ sku: 'KNIT-S', qty: 1 }]);
    const total = (await getOrder(placed.orderId)).totalCents;
    await applyPaymentEvent(testApp(db), { id: 'evt_note_refund', provider: 'test', type: 'charge_refunded', orderId: placed.orderId, amountRefundedCents: 2610 }, { now: T0 + DAY });
    await applyPaymentEvent(testApp(db), { id: 'evt_note_dispute', provider: 'test', type: 'dispute_created', orderId: placed.orderId, amountCents: total - 2610 }, { now: T0 + 2 * DAY });
    const notes = (await eventsOf(placed.orderId)).map((e) => e.note).slice(-2);
    expect(notes).toEqual([
      'The payment provider recorded a refund: $26.10 refunded in total',
      `The buyer disputed the payment ($${((total - 2610) / 100).toFixed(2)}) with their bank`,
    ]);
  });
});
