/**
 * The admin home's figures on a small real database: orders paid inside and outside each period, a
 * partial and a full refund, a pending order (never counted, but its live hold lowers stock), the
 * "to ship" queue, low stock and pending payouts — with exact numbers.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../../src/server/db.ts';
import { createTestDb } from '../../helpers/db.ts';
import { testApp } from '../../helpers/app.ts';
import { makeCreator, makeProduct, makeVariant } from '../../../db/factories/factories.ts';
import { orderLines, orders, payoutBatches, payouts, productSlugs, products } from '../../../db/schema/index.ts';
import { adminHome, refundOrderByShop, type App } from '../../../src/server/flows/index.ts';
import { adminHomeFigures, parseAdminPeriod, periodRange, periodTotalsQuery } from '../../../src/server/admin/index.ts';
import { buy } from '../../helpers/buy.ts';

const NOW = Date.UTC(2026, 2, 10, 12); // Tue 2026-03-10 12:00 UTC
const HOUR = 3_600_000;
const DAY = 86_400_000;
const ACTOR = 'admin:ops@lookbook.test';

let db: Db;
let app: App;
let anaId: number;
let teeId: number;

beforeAll(async () => {
  db = await createTestDb();
  app = testApp(db);
  anaId = (await makeCreator(db, { handle: 'ana', displayName: 'Ana Ito' })).id;
  const ben = (await makeCreator(db, { handle: 'ben', displayName: 'Ben Ode' })).id;
  teeId = (await makeProduct(db, { slug: 'tee', name: 'Organic Cotton Tee', variants: [makeVariant({ sku: 'TEE', priceCents: 4000, stock: 50 })] })).id;
  await makeProduct(db, { slug: 'knit', name: 'Merino Knit', variants: [makeVariant({ sku: 'KNIT', priceCents: 9000, stock: 50 })] });
  // 5 on the shelf, 2 held by the pending order below → 3 available: low.
  await makeProduct(db, { slug: 'scarf', name: 'Silk Scarf', variants: [makeVariant({ sku: 'SCARF', priceCents: 2500, stock: 5 })] });
  // Sold out (low, and out); an inactive variant and an archived product are not on sale, so not counted.
  await makeProduct(db, {
    slug: 'cap',
    name: 'Cap',
    variants: [makeVariant({ sku: 'CAP-S', size: 'S', stock: 0 }), makeVariant({ sku: 'CAP-L', size: 'L', stock: 0, active: false }), makeVariant({ sku: 'CAP-M', size: 'M', stock: 40 })],
  });
  const archived = await makeProduct(db, { slug: 'old', variants: [makeVariant({ sku: 'OLD', stock: 1 })] });
  await db.update(products).set({ archivedAt: NOW - 100 * DAY }).where(eq(products.id, archived.id));

  // A: today, 2 tees from Ana's post: 8000.
  await buy(app, [{ sku: 'TEE', qty: 2, creator: 'ana' }], { email: 'a@example.com', at: NOW - 2 * HOUR });
  // B: 3 days ago, a knit from Ben's post and a tee bought directly; the tee is refunded: 9000.
  const b = await buy(app, [{ sku: 'KNIT', qty: 1, creator: 'ben' }, { sku: 'TEE', qty: 1 }], { email: 'b@example.com', at: NOW - 3 * DAY });
  const bTee = await db.select().from(orderLines).where(and(eq(orderLines.orderId, b.orderId), eq(orderLines.sku, 'TEE'))).get();
  expect(await refundOrderByShop(app, { orderId: b.orderId, request: [{ lineId: bTee!.id, qty: 1 }], restock: false, actor: ACTOR, now: NOW - 2 * DAY })).toMatchObject({ ok: true });
  // C: 10 days ago (in 30 days only), a tee from Ana's post: 4000.
  await buy(app, [{ sku: 'TEE', qty: 1, creator: 'ana' }], { email: 'c@example.com', at: NOW - 10 * DAY });
  // D: 40 days ago, outside every period: a knit. Already shipped, so not in the queue either.
  const d = await buy(app, [{ sku: 'KNIT', qty: 1 }], { email: 'd@example.com', at: NOW - 40 * DAY });
  // (The parcel itself is the orders capability's business; only the state matters here.)
  await db.update(orders).set({ fulfilmentStatus: 'shipped' }).where(eq(orders.id, d.orderId));
  // E: placed 5 minutes ago and not paid: never counted; its hold on 2 scarves is still live.
  await buy(app, [{ sku: 'SCARF', qty: 2 }], { email: 'e@example.com', at: NOW - 5 * 60_000, pay: false });
  // F: today, a tee from Ben's post, refunded in full: no sale, no order, nothing to ship.
  const f = await buy(app, [{ sku: 'TEE', qty: 1, creator: 'ben' }], { email: 'f@example.com', at: NOW - HOUR });
  expect(await refundOrderByShop(app, { orderId: f.orderId, request: 'all', restock: true, actor: ACTOR, now: NOW - HOUR / 2 })).toMatchObject({ ok: true });

  // Payouts: two waiting to be paid, one paid.
  const batch = await db.insert(payoutBatches).values({ createdAt: NOW - DAY, createdBy: ACTOR, thresholdCents: 1000 }).returning().get();
  await db.insert(payouts).values([
    { batchId: batch.id, creatorId: anaId, amountCents: 1500, status: 'pending', createdAt: NOW - DAY },
    { batchId: batch.id, creatorId: ben, amountCents: 2500, status: 'pending', createdAt: NOW - DAY },
    { batchId: batch.id, creatorId: ben, amountCents: 9999, status: 'paid', createdAt: NOW - 20 * DAY, paidAt: NOW - 19 * DAY, reference: 'TX-1' },
  ]);
});

describe('periods', () => {
  it('reads ?period= and refuses anything else in words', () => {
    expect(parseAdminPeriod(null)).toEqual({ ok: true, period: '7d' });
    expect(parseAdminPeriod('today')).toEqual({ ok: true, period: 'today' });
    expect(parseAdminPeriod('90d')).toMatchObject({ ok: false, message: expect.stringContaining('Period must be one of') });
  });

  it('are calendar days in UTC ending today', () => {
    expect(periodRange('today', NOW)).toEqual({ period: 'today', from: '2026-03-10', to: '2026-03-10', fromMs: Date.UTC(2026, 2, 10), toMs: Date.UTC(2026, 2, 11) });
    expect(periodRange('7d', NOW)).toMatchObject({ from: '2026-03-04', to: '2026-03-10' });
    expect(periodRange('30d', NOW)).toMatchObject({ from: '2026-02-09', to: '2026-03-10' });
  });
});

describe('adminHomeFigures', () => {
  it('today: one order of 8000 (the fully refunded one and the pending one are not counted)', async () => {
    const f = await adminHomeFigures(db, { period: 'today', now: NOW });
    expect({ sales: f.salesCents, orders: f.orders, avg: f.averageOrderCents }).toEqual({ sales: 8000, orders: 1, avg: 8000 });
    expect(f.topProducts).toEqual([{ productSlug: 'tee', productId: teeId, title: 'Organic Cotton Tee', units: 2, salesCents: 8000 }]);
    expect(f.topCreators).toEqual([{ creatorId: anaId, handle: 'ana', displayName: 'Ana Ito', orders: 1, salesCents: 8000 }]);
  });

  it('7 days: the partly refunded order counts what was kept', async () => {
    const f = await adminHomeFigures(db, { period: '7d', now: NOW });
    expect({ sales: f.salesCents, orders: f.orders, avg: f.averageOrderCents }).toEqual({ sales: 17000, orders: 2, avg: 8500 });
    expect(f.topProducts.map((p) => [p.productSlug, p.units, p.salesCents])).toEqual([
      ['knit', 1, 9000],
      ['tee', 2, 8000],
    ]);
    expect(f.topCreators.map((c) => [c.handle, c.orders, c.salesCents])).toEqual([
      ['ben', 1, 9000],
      ['ana', 1, 8000],
    ]);
  });

  it('30 days: adds the order of 10 days ago, not the one of 40 days ago', async () => {
    const f = await adminHomeFigures(db, { period: '30d', now: NOW });
    expect({ sales: f.salesCents, orders: f.orders, avg: f.averageOrderCents }).toEqual({ sales: 21000, orders: 3, avg: 7000 });
    expect(f.topProducts.map((p) => [p.productSlug, p.units, p.salesCents])).toEqual([
      ['tee', 3, 12000],
      ['knit', 1, 9000],
    ]);
    expect(f.topCreators.map((c) => [c.handle, c.orders, c.salesCents])).toEqual([
      ['ana', 2, 12000],
      ['ben', 1, 9000],
    ]);
  });

  it('what needs doing now, whatever the period', async () => {
    for (const period of ['today', '30d'] as const) {
      const f = await adminHomeFigures(db, { period, now: NOW });
      // A, B (partly refunded, knit still to send) and C; not D (shipped), E (unpaid) or F (refunded).
      expect(f.ordersToShip).toBe(3);
      // SCARF (3 available) is low and CAP-S sold out; CAP-L (inactive) and OLD (archived) are not on sale.
      expect({ low: f.lowStockVariants, out: f.soldOutVariants }).toEqual({ low: 1, out: 1 });
      expect(f.pendingPayouts).toEqual({ count: 2, amountCents: 4000 });
    }
  });

  it('a lapsed hold frees the stock again', async () => {
    const f = await adminHomeFigures(db, { period: 'today', now: NOW + 20 * 60_000 });
    expect({ low: f.lowStockVariants, out: f.soldOutVariants }).toEqual({ low: 0, out: 1 });
  });
});

describe('adminHome workflow', () => {
  it('links every figure to the list behind it', async () => {
    const r = await adminHome(app, { period: '7d', now: NOW });
    expect(r.ok).toBe(true);
    expect(r.links.orders).toBe('/admin/orders?from=2026-03-04&to=2026-03-10');
    expect(r.links.lowStock).toBe('/admin/products?stock=low');
    expect(r.links.toShip).toBe('/admin/orders?view=to-ship');
    expect(r.links.product({ productId: teeId, title: 'Organic Cotton Tee' })).toBe(`/admin/products/${teeId}`);
    expect(r.links.product({ productId: null, title: 'Gone & Tee' })).toBe('/admin/products?q=Gone%20%26%20Tee');
    expect(r.links.payouts).toBe('/admin/payouts');
    expect(r.links.creator('ana')).toBe('/admin/creators/ana');
  });

  it('a bad period is a 400 with the default figures under the message', async () => {
    const r = await adminHome(app, { period: 'year', now: NOW });
    expect(r).toMatchObject({ ok: false, status: 400, period: '7d' });
    expect(r.figures.salesCents).toBe(17000);
  });
});

describe('query plan', () => {
  it("finds the period's orders through orders_fulfilment_idx and their lines through order_lines_order_idx", async () => {
    const q = periodTotalsQuery(db, periodRange('30d', NOW)).toSQL();
    const plan = await db.$client.execute({ sql: `explain query plan ${q.sql}`, args: q.params as never });
    const text = plan.rows.map((r) => String(r.detail)).join('\n');
    expect(text).toMatch(/orders USING INDEX orders_fulfilment_idx/);
    expect(text).toMatch(/order_lines USING INDEX order_lines_order_idx/);
    expect(text).not.toMatch(/SCAN orders\b/);
  });
});

describe('a renamed product', () => {
  it('adds up under one row, with its current name and page (runs last: it sells one more knit)', async () => {
    // The knit becomes "merino-knit"; its old address is kept, as the product form does.
    const knit = await db.select().from(products).where(eq(products.slug, 'knit')).get();
    await db.update(products).set({ slug: 'merino-knit', name: 'Merino Crew Knit' }).where(eq(products.id, knit!.id));
    await db.insert(productSlugs).values({ slug: 'knit', productId: knit!.id, createdAt: NOW - HOUR });
    await buy(app, [{ sku: 'KNIT', qty: 1 }], { email: 'g@example.com', at: NOW - HOUR / 4 });
    const f = await adminHomeFigures(db, { period: '30d', now: NOW });
    expect(f.topProducts.map((p) => [p.productId, p.title, p.units, p.salesCents])).toEqual([
      [knit!.id, 'Merino Crew Knit', 2, 18000],
      [teeId, 'Organic Cotton Tee', 3, 12000],
    ]);
  });
});
