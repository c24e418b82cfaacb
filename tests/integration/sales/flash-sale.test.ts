/**
 * Flash sales and markdowns on a real migrated database, through the workflows: the admin
 * schedules (and bad input writes nothing), the catalog prices at `now` with the next boundary,
 * the cache bound, checkout 1 ms before / at / after the boundaries, 500 concurrent buyers at the
 * starting second on 20 units (exactly 20 sold, every buyer within the limit, the rest refused in
 * words), a lapsed order giving its units back, and a bag priced during the sale repriced after it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import type { Db } from '../../../src/server/db.ts';
import { createTestDb } from '../../helpers/db.ts';
import { testApp } from '../../helpers/app.ts';
import { BUYER_FORM, fillBag } from '../../helpers/checkout.ts';
import { makeProduct, makeVariant } from '../../../db/factories/factories.ts';
import { flashSaleTakes, priceSchedules, orders } from '../../../db/schema/index.ts';
import { applyPaymentEvent, cancelSale, quoteBag, scheduleSale, startCheckout, type App } from '../../../src/server/flows/index.ts';
import { getProduct, RenderCache } from '../../../src/server/catalog/index.ts';
import { canonicalEmail } from '../../../src/server/shared/index.ts';
import { claimedSalesField, nextSaleBoundary, wallClock } from '../../../src/server/sales/index.ts';
import { testPaymentEvent } from '../../../src/server/payments/index.ts';

const T0 = Date.UTC(2026, 11, 3, 10, 0, 0);
const MIN = 60_000;
const HOUR = 60 * MIN;
const ADMIN = { id: 1, role: 'admin' as const };
let db: Db;
let app: App;

function when(at: number, prefix: 'start' | 'end') {
  const w = wallClock(at, app.config.shop.timeZone);
  return { [`${prefix}Date`]: w.date, [`${prefix}Time`]: w.time };
}

async function productWithSale(over: Record<string, string> = {}, { stock = 200, priceCents = 5000 } = {}) {
  const p = await makeProduct(db, { variants: [makeVariant({ priceCents, stock })] });
  const r = await scheduleSale(app, {
    user: ADMIN,
    productId: p.id,
    fields: { kind: 'flash', variant: 'all', price: '29.00', units: '20', limit: '2', ...when(T0, 'start'), ...when(T0 + HOUR, 'end'), ...over },
    now: T0 - HOUR,
  });
  if (!r.ok) throw new Error(JSON.stringify(r));
  return { product: p, sku: p.variants[0]!.sku, scheduleId: r.scheduleId };
}

/** The checkout form a buyer posts after seeing the summary at `seenAt`. */
async function formFor(cartId: string, email: string, seenAt: number) {
  const q = await quoteBag(app, { cartId, shippingMethod: 'standard', email }, seenAt);
  return {
    email,
    name: BUYER_FORM.name,
    line1: BUYER_FORM.line1,
    city: BUYER_FORM.city,
    region: 'IL',
    postcode: BUYER_FORM.postcode,
    country: BUYER_FORM.country,
    shippingMethod: 'standard',
    expectedTotal: String(q.totals.totalCents),
    sales: claimedSalesField(q.lines),
  };
}

beforeAll(async () => {
  db = await createTestDb();
  app = testApp(db);
});

describe('the catalog prices at now', () => {
  it('1 ms before: regular price, "upcoming", valid until the start; at the start: sale price until the end; at the end: regular, nothing scheduled', async () => {
    const { product } = await productWithSale();
    const before = (await getProduct(db, product.slug, T0 - 1))!;
    expect(before.variants[0]!.priceCents).toBe(5000);
    expect(before.sale).toMatchObject({ state: 'upcoming', priceCents: 2900, startsAt: T0 });
    expect(before.priceValidUntil).toBe(T0);
    const during = (await getProduct(db, product.slug, T0))!;
    expect(during.variants[0]).toMatchObject({ priceCents: 2900, compareAtCents: 5000 });
    expect(during.sale).toMatchObject({ state: 'live', unitsLeft: 20, perBuyerLimit: 2, endsAt: T0 + HOUR });
    expect(during.priceValidUntil).toBe(T0 + HOUR);
    const after = (await getProduct(db, product.slug, T0 + HOUR))!;
    expect(after.variants[0]!.priceCents).toBe(5000);
    expect(after.sale).toBeNull();
    expect(after.priceValidUntil).toBeNull();
  });

  it('a cached page is not served past the boundary (the render cache bound)', async () => {
    await productWithSale();
    const cache = new RenderCache(10);
    const bound = await nextSaleBoundary(db, T0 - MIN);
    expect(bound).toBe(T0);
    cache.set('/products/x', { body: 'regular price', headers: [], version: 1, validUntil: bound });
    expect(cache.get('/products/x', 1, T0 - 1)?.body).toBe('regular price');
    expect(cache.get('/products/x', 1, T0)).toBeUndefined();
  });
});

describe('the admin schedules sales; bad input writes nothing', () => {
  it.each([
    [{ price: '50.00' }, 'price', 'below the regular price'],
    [{ price: '' }, 'price', 'Enter the sale price'],
    [{ ...{ endDate: '2026-12-03', endTime: '09:00' } }, 'endDate', 'after the start'],
    [{ units: '0' }, 'units', 'at least 1'],
    [{ limit: '0' }, 'limit', 'at least 1'],
    [{ startDate: '2026-13-01' }, 'startDate', 'Enter a start date'],
  ])('%o → a message on %s', async (over, field, words) => {
    const p = await makeProduct(db, { variants: [makeVariant({ priceCents: 5000, stock: 5 })] });
    const before = await db.select({ n: count() }).from(priceSchedules).get();
    const r = await scheduleSale(app, {
      user: ADMIN,
      productId: p.id,
      fields: { kind: 'flash', variant: 'all', price: '29.00', units: '20', limit: '2', ...when(T0, 'start'), ...when(T0 + HOUR, 'end'), ...over },
      now: T0 - HOUR,
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.fieldErrors?.[field]).toContain(words);
    expect((await db.select({ n: count() }).from(priceSchedules).get())!.n).toBe(before!.n);
  });

  it('refuses a flash sale overlapping another on the same item; a markdown may overlap; only the admin may schedule', async () => {
    const { product } = await productWithSale();
    const clash = await scheduleSale(app, {
      user: ADMIN,
      productId: product.id,
      fields: { kind: 'flash', variant: 'all', price: '25.00', units: '5', limit: '1', ...when(T0 + 30 * MIN, 'start'), ...when(T0 + 2 * HOUR, 'end') },
      now: T0 - HOUR,
    });
    expect(clash).toMatchObject({ ok: false, reason: 'conflict' });
    if (!clash.ok) expect(clash.fieldErrors?.startDate).toMatch(/cannot overlap/);
    const markdown = await scheduleSale(app, { user: ADMIN, productId: product.id, fields: { kind: 'markdown', variant: 'all', price: '45.00', ...when(T0 - HOUR, 'start'), ...when(T0 + 5 * HOUR, 'end') }, now: T0 - HOUR });
    expect(markdown.ok).toBe(true);
    const reader = await scheduleSale(app, { user: { id: 2, role: 'reader' as never }, productId: product.id, fields: {}, now: T0 });
    expect(reader).toMatchObject({ ok: false, reason: 'not_allowed' });
    // Before the flash sale the markdown applies, during it the flash sale, after it the markdown again.
    expect((await getProduct(db, product.slug, T0 - 1))!.variants[0]!.priceCents).toBe(4500);
    expect((await getProduct(db, product.slug, T0))!.variants[0]!.priceCents).toBe(2900);
    expect((await getProduct(db, product.slug, T0 + HOUR))!.variants[0]!.priceCents).toBe(4500);
  });

  it('a canceled sale prices nothing from then on', async () => {
    const { product, scheduleId } = await productWithSale();
    expect(await cancelSale(app, { user: ADMIN, productId: product.id, scheduleId, now: T0 + MIN })).toEqual({ ok: true });
    expect((await getProduct(db, product.slug, T0 + 2 * MIN))!.variants[0]!.priceCents).toBe(5000);
    expect(await cancelSale(app, { user: ADMIN, productId: product.id, scheduleId, now: T0 + 2 * MIN })).toMatchObject({ ok: false, reason: 'not_found' });
  });
});

describe('checkout at the boundaries', () => {
  it('at the start the order is placed at the sale price and the take recorded; a second bag of the same buyer (another spelling of the email) passes the limit → refused', async () => {
    const { sku, scheduleId } = await productWithSale();
    const cart = await fillBag(db, [{ sku, qty: 2 }], T0);
    const placed = await startCheckout(app, { cartId: cart, fields: await formFor(cart, 'Ada.Reader+one@gmail.com', T0), ref: null, now: T0 });
    if (!placed.ok) throw new Error(JSON.stringify(placed));
    const takes = await db.select().from(flashSaleTakes).where(eq(flashSaleTakes.scheduleId, scheduleId));
    expect(takes).toMatchObject([{ qty: 2, email: 'adareader@gmail.com' }]);
    const order = await db.select().from(orders).where(eq(orders.id, takes[0]!.orderId)).get();
    expect(order!.subtotalCents).toBe(5800);
    const again = await fillBag(db, [{ sku, qty: 1 }], T0 + 1);
    const second = await startCheckout(app, { cartId: again, fields: await formFor(again, 'adareader@googlemail.com', T0 + 1), ref: null, now: T0 + 1 });
    expect(second).toMatchObject({ ok: false, reason: 'sale_limit' });
    if (!second.ok) expect(second.message).toContain('You can buy at most 2 at the sale price — you already have 2');
  });

  it('the limit also binds the signed-in account under another email', async () => {
    const { sku } = await productWithSale();
    const { users } = await import('../../../db/schema/index.ts');
    const u = await db.insert(users).values({ email: 'acct@example.com', passwordHash: '', role: 'reader', createdAt: T0 }).returning({ id: users.id }).get();
    const a = await fillBag(db, [{ sku, qty: 2 }], T0);
    expect((await startCheckout(app, { cartId: a, user: { id: u.id }, fields: await formFor(a, 'first@example.com', T0), ref: null, now: T0 })).ok).toBe(true);
    const b = await fillBag(db, [{ sku, qty: 1 }], T0);
    expect(await startCheckout(app, { cartId: b, user: { id: u.id }, fields: await formFor(b, 'second@example.com', T0), ref: null, now: T0 })).toMatchObject({ ok: false, reason: 'sale_limit' });
  });

  it('3 in the bag at a limit of 2 → "You can buy at most 2 at the sale price", nothing written', async () => {
    const { sku } = await productWithSale();
    const cart = await fillBag(db, [{ sku, qty: 3 }], T0);
    const ordersBefore = (await db.select({ n: count() }).from(orders).get())!.n;
    const r = await startCheckout(app, { cartId: cart, fields: await formFor(cart, 'three@example.com', T0), ref: null, now: T0 });
    expect(r).toMatchObject({ ok: false, reason: 'sale_limit' });
    if (!r.ok) expect(r.message).toContain('You can buy at most 2 at the sale price.');
    expect((await db.select({ n: count() }).from(orders).get())!.n).toBe(ordersBefore);
  });

  it('1 ms before the start a claimed sale is refused "hasn\'t started yet — it starts at …"', async () => {
    const { sku, scheduleId } = await productWithSale();
    const cart = await fillBag(db, [{ sku, qty: 1 }], T0 - 1);
    const fields = { ...(await formFor(cart, 'early@example.com', T0 - 1)), sales: String(scheduleId) };
    const r = await startCheckout(app, { cartId: cart, fields, ref: null, now: T0 - 1 });
    expect(r).toMatchObject({ ok: false, reason: 'sale_not_started' });
    if (!r.ok) expect(r.message).toMatch(/This sale hasn't started yet — it starts at 3 Dec, 10:00/);
  });

  it('a bag priced during the sale and placed at the end (and 1 ms after) is repriced, and the reader told', async () => {
    const { sku } = await productWithSale();
    for (const at of [T0 + HOUR, T0 + HOUR + 1]) {
      const cart = await fillBag(db, [{ sku, qty: 1 }], T0 + HOUR - 1);
      const fields = await formFor(cart, `late${at}@example.com`, T0 + HOUR - 1);
      expect(fields.sales).not.toBe('');
      const r = await startCheckout(app, { cartId: cart, fields, ref: null, now: at });
      expect(r).toMatchObject({ ok: false, reason: 'sale_ended' });
      if (!r.ok) expect(r.message).toMatch(/^This sale has ended — .* is back to its regular price\. Nothing was ordered/);
      // Placing again with the new summary goes through at the regular price.
      const again = await startCheckout(app, { cartId: cart, fields: await formFor(cart, `late${at}@example.com`, at), ref: null, now: at });
      expect(again.ok).toBe(true);
    }
  });

  it('a lapsed order gives its sale units back; a paid one keeps them', async () => {
    const { product, sku } = await productWithSale({ units: '2', limit: '2' });
    const a = await fillBag(db, [{ sku, qty: 2 }], T0);
    const placed = await startCheckout(app, { cartId: a, fields: await formFor(a, 'lapse@example.com', T0), ref: null, now: T0 });
    expect(placed.ok).toBe(true);
    expect((await getProduct(db, product.slug, T0 + MIN))!.sale).toMatchObject({ state: 'sold_out', unitsLeft: 0 });
    expect((await getProduct(db, product.slug, T0 + MIN))!.variants[0]!.priceCents).toBe(5000);
    // 15 minutes later the hold has lapsed: the units are back for the next buyer.
    const later = T0 + 16 * MIN;
    expect((await getProduct(db, product.slug, later))!.sale).toMatchObject({ state: 'live', unitsLeft: 2 });
    const b = await fillBag(db, [{ sku, qty: 2 }], later);
    const placedB = await startCheckout(app, { cartId: b, fields: await formFor(b, 'payer@example.com', later), ref: null, now: later });
    expect(placedB.ok).toBe(true);
    const take = await db.select().from(flashSaleTakes).where(eq(flashSaleTakes.email, 'payer@example.com')).get();
    await applyPaymentEvent(app, testPaymentEvent(take!.orderId, 'test_cs_flash_paid_1', 'pay'), { now: later + MIN });
    expect((await getProduct(db, product.slug, T0 + 50 * MIN))!.sale).toMatchObject({ state: 'sold_out', unitsLeft: 0 });
  });
});

describe('500 buyers at the starting second on 20 units', () => {
  it('sells exactly 20, each buyer within the limit of 2, the rest refused "The sale units are all gone" (or over their own limit)', async () => {
    const { sku, scheduleId } = await productWithSale({ units: '20', limit: '2' }, { stock: 1000 });
    const N = 500;
    // 250 people, each with two bags of 2 under two spellings of their email: only one of each pair may pass.
    const carts: { cartId: string; email: string }[] = [];
    for (let i = 0; i < N; i++) carts.push({ cartId: await fillBag(db, [{ sku, qty: 2 }], T0 - MIN), email: i % 2 === 0 ? `buyer${i >> 1}@example.com` : `Buyer${i >> 1}+again@example.com` });
    const sample = await formFor(carts[0]!.cartId, carts[0]!.email, T0);
    const results = await Promise.all(carts.map((c) => startCheckout(app, { cartId: c.cartId, fields: { ...sample, email: c.email }, ref: null, now: T0 })));
    const ok = results.filter((r) => r.ok);
    expect(ok).toHaveLength(10);
    const takes = await db.select().from(flashSaleTakes).where(eq(flashSaleTakes.scheduleId, scheduleId));
    expect(takes.reduce((n, t) => n + t.qty, 0)).toBe(20);
    const byBuyer = new Map<string, number>();
    for (const t of takes) byBuyer.set(t.email, (byBuyer.get(t.email) ?? 0) + t.qty);
    for (const [email, n] of byBuyer) {
      expect(n).toBeLessThanOrEqual(2);
      expect(email).toBe(canonicalEmail(email));
    }
    const refused = results.filter((r) => !r.ok) as { reason: string; message: string }[];
    expect(refused).toHaveLength(N - 10);
    for (const r of refused) expect(['sale_sold_out', 'sale_limit']).toContain(r.reason);
    expect(refused.filter((r) => r.reason === 'sale_sold_out').length).toBeGreaterThan(400);
    for (const r of refused.filter((x) => x.reason === 'sale_sold_out')) expect(r.message).toContain('The sale units are all gone.');
    // Every order placed was at the sale price.
    const placed = await db.select({ subtotal: orders.subtotalCents }).from(orders).innerJoin(flashSaleTakes, eq(flashSaleTakes.orderId, orders.id)).where(eq(flashSaleTakes.scheduleId, scheduleId));
    for (const p of placed) expect(p.subtotal).toBe(5800);
  }, 60_000);
});
