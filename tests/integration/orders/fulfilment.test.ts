/**
 * Fulfilment apart from payment (ADR 0045) on a real migrated database: parcels of some lines, the
 * second parcel completing the order, over-shipping refused with nothing written, a refund after
 * shipping keeping "shipped" visible, internal notes, the to-ship queue and the CSV export.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Db } from '../../../src/server/db.ts';
import { createTestDb } from '../../helpers/db.ts';
import { makeProduct, makeVariant } from '../../../db/factories/factories.ts';
import { orderEvents, orderLines, orderNotes, orders, outboxEmails, shipmentLines, shipments } from '../../../db/schema/index.ts';
import { addToBag } from '../../../src/server/cart/index.ts';
import { placeOrder, type CheckoutConfig } from '../../../src/server/checkout/index.ts';
import { testPaymentEvent } from '../../../src/server/payments/index.ts';
import { addNoteToOrder, applyPaymentEvent, exportOrdersCsv, markParcelDelivered, markParcelReturned, refundOrderByShop, runAdminOrderAction, shipOrder } from '../../../src/server/flows/index.ts';
import { getOrderByNumber, getOrderDetail, listOrders, parseAdminOrderQuery } from '../../../src/server/orders/index.ts';
import { testApp } from '../../helpers/app.ts';

const T0 = Date.UTC(2026, 5, 1, 12);
const MIN = 60_000;
const HOUR = 60 * MIN;
const ACTOR = 'admin:ops@lookbook.test';
const config: CheckoutConfig = {
  currency: 'USD',
  countries: ['US'],
  reservationTtlMs: 15 * MIN,
  shippingMethods: [{ id: 'standard', label: 'Standard delivery', priceCents: 595, freeOverCents: 100000, days: '3–5 business days' }],
};

let db: Db;
let seq = 0;

async function paidOrder(items: { sku: string; qty: number }[], at = T0) {
  let cartId: string | undefined;
  for (const it of items) {
    const r = await addToBag(db, { sku: it.sku, qty: it.qty, source: { kind: 'direct' } }, { cartId, now: at, checkSource: () => true });
    if (!r.ok) throw new Error(r.reason);
    cartId = r.cartId;
  }
  const placed = await placeOrder(db, {
    cartId: cartId!,
    config,
    provider: 'test',
    now: at,
    form: { email: `buyer${++seq}@example.com`, name: 'Ada Lovelace', line1: '1 Loom St', line2: null, city: 'Boston', region: 'MA', postcode: '02110', country: 'US', shippingMethod: 'standard', couponCode: null },
  });
  if (!placed.ok) throw new Error(JSON.stringify(placed));
  const res = await applyPaymentEvent(testApp(db), testPaymentEvent(placed.orderId, `test_cs_f${String(seq).padStart(14, '0')}`, 'pay'), { now: at + MIN });
  expect(res.outcome).toBe('fulfilled');
  const lines = await db.select().from(orderLines).where(eq(orderLines.orderId, placed.orderId)).orderBy(orderLines.id);
  return { ...placed, lines };
}

const orderRow = (id: number) => db.select().from(orders).where(eq(orders.id, id)).get().then((o) => o!);
async function snapshot(orderId: number) {
  return {
    order: await orderRow(orderId),
    shipments: await db.select().from(shipments).where(eq(shipments.orderId, orderId)),
    shipmentLines: await db.select().from(shipmentLines),
    events: await db.select().from(orderEvents).where(eq(orderEvents.orderId, orderId)),
    outbox: await db.select().from(outboxEmails).where(eq(outboxEmails.orderId, orderId)),
  };
}

beforeAll(async () => {
  db = await createTestDb();
  await makeProduct(db, { slug: 'organic-tee', name: 'Organic Cotton Tee', variants: [makeVariant({ sku: 'TEE-M', size: 'M', priceCents: 2610, stock: 50 })] });
  await makeProduct(db, { slug: 'linen-shirt', name: 'Linen Shirt', variants: [makeVariant({ sku: 'LIN-M', size: 'M', priceCents: 5400, stock: 50 })] });
});
afterAll(() => db.$client.close());

describe('parcels of some lines', () => {
  it('ships one line (partial), then the other (shipped); payment stays paid; each parcel emails its own items', async () => {
    const app = testApp(db);
    const o = await paidOrder([{ sku: 'TEE-M', qty: 2 }, { sku: 'LIN-M', qty: 1 }]);
    const [tee, shirt] = o.lines;

    const first = await shipOrder(app, { orderId: o.orderId, actor: ACTOR, now: T0 + HOUR, carrier: 'ups', trackingNumber: '1Z999AA10123456784', lines: [{ lineId: tee!.id, qty: 2 }] });
    expect(first).toMatchObject({ ok: true, fulfilmentStatus: 'partial' });
    expect(await orderRow(o.orderId)).toMatchObject({ status: 'paid', fulfilmentStatus: 'partial', carrier: 'ups', trackingNumber: '1Z999AA10123456784' });

    const second = await shipOrder(app, { orderId: o.orderId, actor: ACTOR, now: T0 + 2 * HOUR, carrier: 'Royal Mail', trackingNumber: 'RM123456785GB', lines: [{ lineId: shirt!.id, qty: 1 }] });
    expect(second).toMatchObject({ ok: true, fulfilmentStatus: 'shipped' });
    expect(await orderRow(o.orderId)).toMatchObject({ status: 'paid', fulfilmentStatus: 'shipped' });

    const mails = await db.select().from(outboxEmails).where(eq(outboxEmails.orderId, o.orderId));
    const shippedMails = mails.filter((m) => m.kind === 'order_shipped');
    expect(shippedMails).toHaveLength(2);
    expect(shippedMails[0]!.textBody).toContain('Organic Cotton Tee');
    expect(shippedMails[0]!.textBody).not.toContain('Linen Shirt');
    expect(shippedMails[0]!.textBody).toContain('https://www.ups.com/track');
    expect(shippedMails[1]!.textBody).toContain('Linen Shirt');

    // The admin's view: two parcels with tracking links, nothing left, history in words.
    const d = (await getOrderDetail(db, o.number))!;
    expect(d.shipments.map((p) => [p.label, p.carrier, p.trackingUrl !== null, p.lines.map((l) => [l.title, l.qty])])).toEqual([
      ['Parcel 1', 'UPS', true, [['Organic Cotton Tee', 2]]],
      ['Parcel 2', 'Royal Mail', true, [['Linen Shirt', 1]]],
    ]);
    expect(d.lines.map((l) => l.toShipQty)).toEqual([0, 0]);
    expect(d.actions.ship).toBe(false);
    const texts = d.historyEntries.map((h) => h.text);
    expect(texts).toContain('Shipped 2 × Organic Cotton Tee (M) with UPS, tracking 1Z999AA10123456784; more to ship.');
    expect(texts).toContain('Shipped 1 × Linen Shirt (M) with Royal Mail, tracking RM123456785GB.');
    expect(d.historyEntries.at(-1)!.by).toBe('ops@lookbook.test');

    // The buyer's view: both parcels with their tracking links; history in words.
    const view = (await getOrderByNumber(db, o.number))!;
    expect(view).toMatchObject({ status: 'paid', fulfilmentStatus: 'shipped', fulfilmentLabel: 'Shipped' });
    expect(view.parcels.map((p) => [p.carrier, p.trackingNumber, p.trackingUrl?.startsWith('https://') ?? false])).toEqual([
      ['UPS', '1Z999AA10123456784', true],
      ['Royal Mail', 'RM123456785GB', true],
    ]);
    expect(view.history.map((h) => h.text)).toEqual(['Awaiting payment', 'Paid', 'Parcel 1 shipped with UPS', 'Parcel 2 shipped with Royal Mail']);

    // Delivered one parcel: still shipped; both: delivered. A returned parcel cannot then be delivered.
    expect(await markParcelDelivered(app, { orderId: o.orderId, shipmentId: d.shipments[0]!.id, actor: ACTOR, now: T0 + 3 * HOUR })).toEqual({ ok: true, fulfilmentStatus: 'shipped' });
    expect(await markParcelDelivered(app, { orderId: o.orderId, shipmentId: d.shipments[1]!.id, actor: ACTOR, now: T0 + 4 * HOUR })).toEqual({ ok: true, fulfilmentStatus: 'delivered' });
    expect(await markParcelReturned(app, { orderId: o.orderId, shipmentId: d.shipments[0]!.id, actor: ACTOR, now: T0 + 5 * HOUR })).toEqual({ ok: true, fulfilmentStatus: 'delivered' });
    expect(await markParcelReturned(app, { orderId: o.orderId, shipmentId: d.shipments[1]!.id, actor: ACTOR, now: T0 + 6 * HOUR })).toEqual({ ok: true, fulfilmentStatus: 'returned' });
    expect(await markParcelDelivered(app, { orderId: o.orderId, shipmentId: d.shipments[1]!.id, actor: ACTOR })).toMatchObject({ ok: false, reason: 'not_allowed' });
    // A parcel of another order is not this order's.
    const other = await paidOrder([{ sku: 'TEE-M', qty: 1 }]);
    expect(await markParcelDelivered(app, { orderId: other.orderId, shipmentId: d.shipments[0]!.id, actor: ACTOR })).toMatchObject({ ok: false, reason: 'not_found' });
  });

  it('refuses over-shipping in words and writes nothing', async () => {
    const app = testApp(db);
    const o = await paidOrder([{ sku: 'TEE-M', qty: 2 }, { sku: 'LIN-M', qty: 1 }]);
    const [tee, shirt] = o.lines;
    await shipOrder(app, { orderId: o.orderId, actor: ACTOR, now: T0 + HOUR, carrier: 'UPS', trackingNumber: '1Z0000000001', lines: [{ lineId: tee!.id, qty: 1 }] });
    const before = await snapshot(o.orderId);

    const tooMany = await shipOrder(app, { orderId: o.orderId, actor: ACTOR, carrier: 'UPS', trackingNumber: '1Z0000000002', lines: [{ lineId: tee!.id, qty: 2 }, { lineId: shirt!.id, qty: 1 }] });
    expect(tooMany).toMatchObject({ ok: false, reason: 'too_many', message: 'Organic Cotton Tee (M): only 1 left to ship, not 2.', fieldErrors: { [`ship-${tee!.id}`]: expect.any(String) } });
    expect(await snapshot(o.orderId)).toEqual(before);

    // Through the form: a quantity that is not a number, and nothing chosen.
    const form = (fields: Record<string, string>) => {
      const f = new FormData();
      for (const [k, v] of Object.entries(fields)) f.set(k, v);
      return f;
    };
    const lineIds = o.lines.map((l) => l.id);
    const bad = await runAdminOrderAction(app, { orderId: o.orderId, lineIds, actor: ACTOR, form: form({ action: 'ship', carrier: 'UPS', trackingNumber: '1Z0000000003', [`ship-${tee!.id}`]: 'two' }) });
    expect(bad).toMatchObject({ kind: 'refused', refusal: { reason: 'invalid' }, shipForm: { carrier: 'UPS' } });
    const none = await runAdminOrderAction(app, { orderId: o.orderId, lineIds, actor: ACTOR, form: form({ action: 'ship', carrier: 'UPS', trackingNumber: '1Z0000000003', [`ship-${tee!.id}`]: '0' }) });
    expect(none).toMatchObject({ kind: 'refused', refusal: { message: 'Choose at least one item to put in this parcel (a quantity above 0).' } });
    const noCarrier = await runAdminOrderAction(app, { orderId: o.orderId, lineIds, actor: ACTOR, form: form({ action: 'ship', carrier: '', trackingNumber: '1Z0000000003', [`ship-${shirt!.id}`]: '1' }) });
    expect(noCarrier).toMatchObject({ kind: 'refused', refusal: { fieldErrors: { carrier: 'Enter the carrier.' } } });
    expect(await snapshot(o.orderId)).toEqual(before);

    // What is left ships through the form.
    const ok = await runAdminOrderAction(app, { orderId: o.orderId, lineIds, actor: ACTOR, form: form({ action: 'ship', carrier: 'DHL', trackingNumber: 'JD0146000012', [`ship-${tee!.id}`]: '1', [`ship-${shirt!.id}`]: '1' }) });
    expect(ok).toEqual({ kind: 'done', done: 'shipped' });
    const nothingLeft = await shipOrder(app, { orderId: o.orderId, actor: ACTOR, carrier: 'UPS', trackingNumber: '1Z0000000004', lines: 'all' });
    expect(nothingLeft).toMatchObject({ ok: false, reason: 'not_allowed', message: 'Everything on this order has already been shipped or refunded; there is nothing left to ship.' });
  });

  it('refuses to ship an unpaid order', async () => {
    const app = testApp(db);
    let cartId: string | undefined;
    const r = await addToBag(db, { sku: 'TEE-M', qty: 1, source: { kind: 'direct' } }, { now: T0, checkSource: () => true });
    cartId = r.ok ? r.cartId : undefined;
    const placed = await placeOrder(db, { cartId: cartId!, config, provider: 'test', now: T0, form: { email: 'late@example.com', name: 'A B', line1: '1 St', line2: null, city: 'Boston', region: 'MA', postcode: '02110', country: 'US', shippingMethod: 'standard', couponCode: null } });
    if (!placed.ok) throw new Error('place');
    expect(await shipOrder(app, { orderId: placed.orderId, actor: ACTOR, carrier: 'UPS', trackingNumber: '1Z0000000009', lines: 'all' })).toMatchObject({ ok: false, message: 'This order has not been paid yet, so it cannot be shipped.' });
  });
});

describe('refunds and fulfilment', () => {
  it('a refund after shipping keeps "shipped" visible; refunding the unshipped rest completes a partial order', async () => {
    const app = testApp(db);
    const o = await paidOrder([{ sku: 'TEE-M', qty: 1 }, { sku: 'LIN-M', qty: 1 }]);
    const [tee, shirt] = o.lines;
    await shipOrder(app, { orderId: o.orderId, actor: ACTOR, now: T0 + HOUR, carrier: 'UPS', trackingNumber: '1Z0000000011', lines: [{ lineId: tee!.id, qty: 1 }] });
    expect((await orderRow(o.orderId)).fulfilmentStatus).toBe('partial');

    // The shirt is out of stock: refunded before it ships. Nothing is left to send.
    const r1 = await refundOrderByShop(app, { orderId: o.orderId, actor: ACTOR, now: T0 + 2 * HOUR, request: [{ lineId: shirt!.id, qty: 1 }], restock: true });
    expect(r1).toMatchObject({ ok: true, status: 'partially_refunded' });
    expect(await orderRow(o.orderId)).toMatchObject({ status: 'partially_refunded', fulfilmentStatus: 'shipped' });

    // The tee came back and is refunded too: refunded in money, and the parcel still shows it went out.
    const r2 = await refundOrderByShop(app, { orderId: o.orderId, actor: ACTOR, now: T0 + 3 * HOUR, request: [{ lineId: tee!.id, qty: 1 }], restock: true });
    expect(r2).toMatchObject({ ok: true, status: 'refunded' });
    expect(await orderRow(o.orderId)).toMatchObject({ status: 'refunded', fulfilmentStatus: 'shipped' });

    const d = (await getOrderDetail(db, o.number))!;
    const refundTexts = d.historyEntries.filter((h) => h.text.startsWith('Refunded')).map((h) => h.text);
    expect(refundTexts[0]).toBe('Refunded $54.00 for 1 × Linen Shirt (M), returned to stock.');
    expect(refundTexts[1]).toMatch(/^Refunded \$3\d\.\d\d for 1 × Organic Cotton Tee \(M\), shipping, returned to stock\.$/);
    for (const h of d.historyEntries) expect(h.text).not.toMatch(/cents|re_|_refunded|line \d/);
    // Paid, shipped, then refunded: it is in neither the to-ship queue nor canceled.
    const queue = await listOrders(db, { toShip: true, page: 1, pageSize: 500 });
    expect(queue.rows.map((r) => r.number)).not.toContain(o.number);
  });

  it('a shipped order cannot be canceled', async () => {
    const app = testApp(db);
    const o = await paidOrder([{ sku: 'TEE-M', qty: 1 }, { sku: 'LIN-M', qty: 1 }]);
    await shipOrder(app, { orderId: o.orderId, actor: ACTOR, carrier: 'UPS', trackingNumber: '1Z0000000012', lines: [{ lineId: o.lines[0]!.id, qty: 1 }] });
    const d = (await getOrderDetail(db, o.number))!;
    expect(d.actions.cancel).toBeNull();
  });
});

describe('internal notes', () => {
  it('adds and lists notes; an empty one is refused; the buyer never sees them', async () => {
    const app = testApp(db);
    const o = await paidOrder([{ sku: 'TEE-M', qty: 1 }]);
    expect(await addNoteToOrder(app, { orderId: o.orderId, actor: ACTOR, body: '   ' })).toMatchObject({ ok: false, reason: 'invalid', fieldErrors: { note: 'Write the note first.' } });
    expect(await addNoteToOrder(app, { orderId: o.orderId, actor: ACTOR, body: 'x'.repeat(2001) })).toMatchObject({ ok: false, reason: 'invalid' });
    expect(await db.select().from(orderNotes).where(eq(orderNotes.orderId, o.orderId))).toEqual([]);
    expect(await addNoteToOrder(app, { orderId: o.orderId, actor: ACTOR, now: T0 + HOUR, body: '  Gift — no invoice in the box.\nCall before delivery. ' })).toMatchObject({ ok: true });
    expect(await addNoteToOrder(app, { orderId: 999_999, actor: ACTOR, body: 'x' })).toMatchObject({ ok: false, reason: 'not_found' });
    const d = (await getOrderDetail(db, o.number))!;
    expect(d.notes).toEqual([{ id: expect.any(Number), body: 'Gift — no invoice in the box.\nCall before delivery.', by: 'ops@lookbook.test', createdAt: T0 + HOUR }]);
    const view = (await getOrderByNumber(db, o.number))!;
    expect(JSON.stringify(view)).not.toContain('Gift');
  });
});

describe('to-ship queue, filters and CSV export', () => {
  it('lists paid orders not fully shipped, oldest payment first; filters by fulfilment; exports in shop units', async () => {
    const app = testApp(db);
    const base = Date.UTC(2024, 0, 10, 9); // a window of its own
    const a = await paidOrder([{ sku: 'TEE-M', qty: 1 }], base + 2 * HOUR);
    const b = await paidOrder([{ sku: 'TEE-M', qty: 1 }, { sku: 'LIN-M', qty: 1 }], base);
    const c = await paidOrder([{ sku: 'LIN-M', qty: 1 }], base + HOUR);
    await shipOrder(app, { orderId: b.orderId, actor: ACTOR, carrier: 'UPS', trackingNumber: '1Z0000000021', lines: [{ lineId: b.lines[0]!.id, qty: 1 }] });
    await shipOrder(app, { orderId: c.orderId, actor: ACTOR, carrier: 'UPS', trackingNumber: '1Z0000000022', lines: 'all' });

    const parse = (qs: string) => {
      const r = parseAdminOrderQuery(new URLSearchParams(qs));
      if (!r.ok) throw new Error(JSON.stringify(r.errors));
      return r.query;
    };
    const inWindow = '&from=2024-01-10&to=2024-01-10';
    const queue = await listOrders(db, parse(`view=to-ship${inWindow}`));
    expect(queue.rows.map((r) => r.number)).toEqual([b.number, a.number]);
    expect((await listOrders(db, parse(`fulfilment=partial${inWindow}`))).rows.map((r) => r.number)).toEqual([b.number]);
    expect((await listOrders(db, parse(`fulfilment=shipped&status=paid${inWindow}`))).rows.map((r) => r.number)).toEqual([c.number]);

    const { page: _p, ...q } = parse(`view=to-ship${inWindow}`);
    const csv = await exportOrdersCsv(app, q);
    const rows = csv.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(rows[0]).toBe('Order,Placed (UTC),Paid (UTC),Email,Payment,Fulfilment,Items,Currency,Total,Refunded,Kept');
    expect(rows).toHaveLength(3);
    expect(rows[1]).toBe(`${b.number},2024-01-10 09:00,2024-01-10 09:01,${(await orderRow(b.orderId)).email},Paid,Partly shipped,2,USD,86.05,0.00,86.05`);
    expect(rows[2]).toMatch(new RegExp(`^${a.number},.*,Paid,Not shipped,1,USD,32\\.05,0\\.00,32\\.05$`));
    const all = await exportOrdersCsv(app, parse(inWindow.slice(1)));
    expect(all.trimEnd().split('\r\n')).toHaveLength(4);
  });
});
