/**
 * Presale (预售) selling on a real migrated database (ADR 0055): the admin opens pre-orders with a
 * ship date and a cap on a product with no stock; the sizes share the cap, checked in the
 * transaction that places the order (many buyers at once sell exactly the cap); the order and its
 * email state the ship date; payment takes nothing from stock but keeps an owed hold; the parcel
 * waits for the ship date and for the arrived stock, which regular buyers cannot take from the
 * pre-orders; refunding an unshipped pre-order frees its unit with nothing to restock.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { and, count, eq } from 'drizzle-orm';
import type { Db } from '../../../src/server/db.ts';
import { createTestDb } from '../../helpers/db.ts';
import { testApp } from '../../helpers/app.ts';
import { fillBag, placeTestOrder } from '../../helpers/checkout.ts';
import { makeProduct, makeVariant } from '../../../db/factories/factories.ts';
import { orders, outboxEmails, presaleTakes, shipments, stockReservations, variants } from '../../../db/schema/index.ts';
import { applyPaymentEvent, refundOrderByShop, setPresale, shipOrder, type App } from '../../../src/server/flows/index.ts';
import { addToBag, loadBag } from '../../../src/server/cart/index.ts';
import { getProduct, listShop, parseShopQuery } from '../../../src/server/catalog/index.ts';
import { getOrderByNumber } from '../../../src/server/orders/index.ts';
import { testPaymentEvent } from '../../../src/server/payments/index.ts';
import { zonedToEpoch } from '../../../src/server/sales/index.ts';

const T0 = Date.UTC(2026, 11, 3, 10, 0, 0);
const MIN = 60_000;
const SHIPS_ON = '2027-01-12';
const ADMIN = { id: 1, role: 'admin' as const };
let db: Db;
let app: App;
let seq = 0;

beforeAll(async () => {
  db = await createTestDb();
  app = testApp(db);
});

/** A product with two sizes and no stock, on pre-order up to `cap`, shipping on SHIPS_ON. */
async function preorderProduct(cap = 5) {
  const p = await makeProduct(db, {
    variants: [makeVariant({ size: 'S', priceCents: 8000, stock: 0 }), makeVariant({ size: 'M', priceCents: 8000, stock: 0 })],
  });
  const r = await setPresale(app, { user: ADMIN, productId: p.id, fields: { shipsOn: SHIPS_ON, cap: String(cap) }, now: T0 - 60 * MIN });
  if (!r.ok) throw new Error(JSON.stringify(r));
  return { product: p, s: p.variants[0]!.sku, m: p.variants[1]!.sku, variantIds: p.variants.map((v) => v.id) };
}

async function pay(orderId: number, at: number) {
  return applyPaymentEvent(app, testPaymentEvent(orderId, `test_cs_presale_${Date.now().toString(36)}_${++seq}`, 'pay'), { now: at });
}

const shipDay = () => zonedToEpoch(SHIPS_ON, '09:00', app.config.shop.timeZone)!;

describe('selling before stock, up to the cap', () => {
  it('shows every size as available from the cap while stock is zero', async () => {
    const { product } = await preorderProduct(5);
    const view = (await getProduct(db, product.slug, T0))!;
    expect(view.presale).toMatchObject({ state: 'open', shipsOn: SHIPS_ON, unitsLeft: 5, capUnits: 5 });
    expect(view.variants.map((v) => v.available)).toEqual([5, 5]);
  });

  it('the sizes share the cap: a bag over it is refused in words and nothing is written', async () => {
    const { s, m } = await preorderProduct(5);
    const cartId = await fillBag(db, [{ sku: s, qty: 3 }, { sku: m, qty: 3 }], T0);
    const before = (await db.select({ n: count() }).from(orders).get())!.n;
    const placed = await placeTestOrder(db, cartId, { now: T0 });
    expect(placed).toMatchObject({ ok: false, reason: 'unavailable', lines: [{ available: 5, wanted: 6, variantLabel: 'pre-orders, all sizes together' }] });
    expect((await db.select({ n: count() }).from(orders).get())!.n).toBe(before);
    // The bag says each line is a pre-order with its date.
    expect((await loadBag(db, cartId, T0)).map((l) => l.presale?.shipsOn)).toEqual([SHIPS_ON, SHIPS_ON]);
  });

  it('an order within the cap records its takes with the promised date; the product is then full', async () => {
    const { product, s, m } = await preorderProduct(5);
    const cartId = await fillBag(db, [{ sku: s, qty: 3 }, { sku: m, qty: 2 }], T0);
    const placed = await placeTestOrder(db, cartId, { now: T0 });
    if (!placed.ok) throw new Error(JSON.stringify(placed));
    const takes = await db.select().from(presaleTakes).where(eq(presaleTakes.orderId, placed.orderId));
    expect(takes.map((t) => [t.qty, t.shipsOn])).toEqual([[3, SHIPS_ON], [2, SHIPS_ON]]);
    const full = (await getProduct(db, product.slug, T0 + MIN))!;
    expect(full.presale).toMatchObject({ state: 'full', unitsLeft: 0 });
    expect(full.variants.map((v) => v.available)).toEqual([0, 0]);
    const other = await addToBag(db, { sku: s, qty: 1, source: { kind: 'direct' } }, { now: T0 + MIN, checkSource: () => true });
    expect(other).toMatchObject({ ok: false, reason: 'sold_out' });
    // The order's own bag still sees its units (placing again releases them first).
    expect((await loadBag(db, cartId, T0 + MIN)).map((l) => l.available)).toEqual([5, 5]);
  });

  it('an unpaid order that lapses gives its pre-order units back with no write', async () => {
    const { product, s } = await preorderProduct(2);
    const placed = await placeTestOrder(db, await fillBag(db, [{ sku: s, qty: 2 }], T0), { now: T0 });
    expect(placed.ok).toBe(true);
    expect((await getProduct(db, product.slug, T0 + MIN))!.presale).toMatchObject({ state: 'full' });
    const lapsed = T0 + app.config.checkout.reservationTtlMs + 1;
    expect((await getProduct(db, product.slug, lapsed))!.presale).toMatchObject({ state: 'open', unitsLeft: 2 });
  });

  it('25 buyers at once on a cap of 6 (two units each): exactly 3 orders, 6 units', async () => {
    const { s } = await preorderProduct(6);
    const carts = await Promise.all(Array.from({ length: 25 }, () => fillBag(db, [{ sku: s, qty: 2 }], T0)));
    const results = await Promise.all(carts.map((c, i) => placeTestOrder(db, c, { now: T0 + 1, form: { email: `rush${i}@example.com` } })));
    const ok = results.filter((r) => r.ok);
    expect(ok).toHaveLength(3);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.reason === 'unavailable')).toBe(true);
    const units = await db.select({ qty: presaleTakes.qty }).from(presaleTakes).where(eq(presaleTakes.presaleId, (await db.select({ id: presaleTakes.presaleId }).from(presaleTakes).where(eq(presaleTakes.orderId, (ok[0] as { orderId: number }).orderId)).get())!.id));
    expect(units.reduce((n, u) => n + u.qty, 0)).toBe(6);
  });
});

describe('paid pre-orders: the ship date, owed stock, the parcel waits', () => {
  it('states the ship date on the order page and in the confirmation email; payment takes no stock', async () => {
    const { s, variantIds } = await preorderProduct(5);
    const placed = await placeTestOrder(db, await fillBag(db, [{ sku: s, qty: 2 }], T0), { now: T0 });
    if (!placed.ok) throw new Error(JSON.stringify(placed));
    expect((await pay(placed.orderId, T0 + MIN)).outcome).toBe('fulfilled');
    const view = (await getOrderByNumber(db, placed.number, T0 + MIN))!;
    expect(view.status).toBe('paid');
    expect(view.lines[0]!.note).toBe('Pre-order: ships on 12 January 2027');
    const mail = await db.select().from(outboxEmails).where(and(eq(outboxEmails.orderId, placed.orderId), eq(outboxEmails.kind, 'order_confirmation'))).get();
    expect(mail?.textBody).toContain('Pre-order: ships on 12 January 2027');
    expect(mail?.htmlBody).toContain('Pre-order: ships on 12 January 2027');
    const stock = await db.select({ n: variants.stockOnHand }).from(variants).where(eq(variants.id, variantIds[0]!)).get();
    expect(stock!.n).toBe(0);
    const hold = await db.select().from(stockReservations).where(eq(stockReservations.orderId, placed.orderId));
    expect(hold.map((h) => [h.status, h.qty])).toEqual([['active', 2]]);
  });

  it('refuses the parcel before the ship date and before the stock arrives; then ships it from stock, which regular buyers could not take', async () => {
    const { product, s, variantIds } = await preorderProduct(5);
    const placed = await placeTestOrder(db, await fillBag(db, [{ sku: s, qty: 2 }], T0), { now: T0 });
    if (!placed.ok) throw new Error(JSON.stringify(placed));
    await pay(placed.orderId, T0 + MIN);
    const parcel = { carrier: 'ups', trackingNumber: '1Z999AA10123456784', lines: 'all' as const, actor: 'admin:1' };

    const early = await shipOrder(app, { orderId: placed.orderId, ...parcel, now: T0 + 2 * MIN });
    expect(early).toMatchObject({ ok: false, reason: 'not_allowed' });
    if (!early.ok) expect(early.message).toContain('ships on 12 January');
    expect((await db.select({ n: count() }).from(shipments).where(eq(shipments.orderId, placed.orderId)).get())!.n).toBe(0);

    const noStock = await shipOrder(app, { orderId: placed.orderId, ...parcel, now: shipDay() });
    expect(noStock).toMatchObject({ ok: false, reason: 'not_allowed' });
    if (!noStock.ok) expect(noStock.message).toMatch(/Record the arrived stock .*2 to send, 0 on hand/);

    // The goods arrive: 10 units. The presale is over, and only 8 are for sale — 2 are owed.
    await db.update(variants).set({ stockOnHand: 10 }).where(eq(variants.id, variantIds[0]!));
    const after = (await getProduct(db, product.slug, shipDay()))!;
    expect(after.presale).toBeNull();
    expect(after.variants[0]!.available).toBe(8);

    const shipped = await shipOrder(app, { orderId: placed.orderId, ...parcel, now: shipDay() });
    expect(shipped).toMatchObject({ ok: true, fulfilmentStatus: 'shipped' });
    expect((await db.select({ n: variants.stockOnHand }).from(variants).where(eq(variants.id, variantIds[0]!)).get())!.n).toBe(8);
    expect((await getProduct(db, product.slug, shipDay()))!.variants[0]!.available).toBe(8);
    const hold = await db.select().from(stockReservations).where(eq(stockReservations.orderId, placed.orderId));
    expect(hold.map((h) => h.status)).toEqual(['converted']);
  });

  it('refunding an unshipped pre-order frees its units; "restock" adds nothing that was never taken', async () => {
    const { product, s, variantIds } = await preorderProduct(3);
    const placed = await placeTestOrder(db, await fillBag(db, [{ sku: s, qty: 3 }], T0), { now: T0 });
    if (!placed.ok) throw new Error(JSON.stringify(placed));
    await pay(placed.orderId, T0 + MIN);
    expect((await getProduct(db, product.slug, T0 + 2 * MIN))!.presale).toMatchObject({ state: 'full' });
    const r = await refundOrderByShop(app, { orderId: placed.orderId, actor: 'admin:1', request: 'all', restock: true, now: T0 + 3 * MIN });
    expect(r.ok).toBe(true);
    expect((await db.select({ n: variants.stockOnHand }).from(variants).where(eq(variants.id, variantIds[0]!)).get())!.n).toBe(0);
    expect((await db.select().from(stockReservations).where(eq(stockReservations.orderId, placed.orderId))).map((h) => h.status)).toEqual(['released']);
    // A refunded order's takes no longer count: the cap is open again.
    expect((await getProduct(db, product.slug, T0 + 4 * MIN))!.presale).toMatchObject({ state: 'open', unitsLeft: 3 });
  });
});

describe('the admin changes pre-orders', () => {
  it('a change keeps the units already pre-ordered; the cap cannot go below them; bad input writes nothing', async () => {
    const { product, s } = await preorderProduct(5);
    const placed = await placeTestOrder(db, await fillBag(db, [{ sku: s, qty: 3 }], T0), { now: T0 });
    if (!placed.ok) throw new Error(JSON.stringify(placed));
    await pay(placed.orderId, T0 + MIN);

    const low = await setPresale(app, { user: ADMIN, productId: product.id, fields: { shipsOn: SHIPS_ON, cap: '2' }, now: T0 + 2 * MIN });
    expect(low).toMatchObject({ ok: false, reason: 'invalid', fieldErrors: { cap: '3 units are already pre-ordered: enter 3 or more.' } });
    const bad = await setPresale(app, { user: ADMIN, productId: product.id, fields: { shipsOn: '2020-01-01', cap: '8' }, now: T0 + 2 * MIN });
    expect(bad).toMatchObject({ ok: false, fieldErrors: { shipsOn: 'The ship date must be after today.' } });
    if (!bad.ok) expect(bad.fieldErrors?.closesDate).toBeUndefined();
    expect((await getProduct(db, product.slug, T0 + 3 * MIN))!.presale).toMatchObject({ capUnits: 5, unitsLeft: 2, shipsOn: SHIPS_ON });

    const moved = await setPresale(app, { user: ADMIN, productId: product.id, fields: { shipsOn: '2027-02-01', cap: '8' }, now: T0 + 3 * MIN });
    expect(moved.ok).toBe(true);
    expect((await getProduct(db, product.slug, T0 + 4 * MIN))!.presale).toMatchObject({ capUnits: 8, unitsLeft: 5, shipsOn: '2027-02-01' });
    // The order placed before keeps the date it was promised.
    expect((await getOrderByNumber(db, placed.number, T0 + 4 * MIN))!.lines[0]!.note).toBe('Pre-order: ships on 12 January 2027');
  });
});

describe('the shop grid', () => {
  it('"in stock only" keeps a product on pre-order with units left, and drops it once full', async () => {
    const { product, s } = await preorderProduct(1);
    const shop = async (at: number) => (await listShop(db, { ...parseShopQuery(new URLSearchParams('instock=1&category=tops')).query, page: 1 }, at)).products.map((p) => p.slug);
    expect(await shop(T0)).toContain(product.slug);
    const placed = await placeTestOrder(db, await fillBag(db, [{ sku: s, qty: 1 }], T0), { now: T0 });
    expect(placed.ok).toBe(true);
    expect(await shop(T0 + MIN)).not.toContain(product.slug);
  });
});

describe('partial refunds', () => {
  it('refunding some unshipped pre-ordered units gives them back to the cap; the line keeps its ship date', async () => {
    const { product, s } = await preorderProduct(4);
    const placed = await placeTestOrder(db, await fillBag(db, [{ sku: s, qty: 3 }], T0), { now: T0 });
    if (!placed.ok) throw new Error(JSON.stringify(placed));
    await pay(placed.orderId, T0 + MIN);
    expect((await getProduct(db, product.slug, T0 + 2 * MIN))!.presale).toMatchObject({ unitsLeft: 1 });
    const lineId = (await getOrderByNumber(db, placed.number, T0 + 2 * MIN))!.lines[0]!.id;
    const r = await refundOrderByShop(app, { orderId: placed.orderId, actor: 'admin:1', request: [{ lineId, qty: 2 }], restock: true, now: T0 + 3 * MIN });
    expect(r.ok).toBe(true);
    expect((await getProduct(db, product.slug, T0 + 4 * MIN))!.presale).toMatchObject({ unitsLeft: 3 });
    expect((await getOrderByNumber(db, placed.number, T0 + 4 * MIN))!.lines[0]!.note).toBe('Pre-order: ships on 12 January 2027');
    const hold = await db.select().from(stockReservations).where(eq(stockReservations.orderId, placed.orderId));
    expect(hold.map((h) => [h.status, h.qty])).toEqual([['active', 1]]);
  });
});
