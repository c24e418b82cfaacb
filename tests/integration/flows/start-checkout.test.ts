/**
 * The checkout workflow (src/server/flows/checkout.ts) on a real database: it places the order and
 * hands over to the provider; a form that fails validation or a total the buyer did not see writes
 * nothing; a provider that cannot start releases the hold it just took.
 */
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/server/db.ts';
import { createTestDb } from '../../helpers/db.ts';
import { testApp } from '../../helpers/app.ts';
import { fillBag } from '../../helpers/checkout.ts';
import { makeProduct, makeVariant } from '../../../db/factories/factories.ts';
import { quoteBag, startCheckout } from '../../../src/server/flows/index.ts';
import { createTestProvider, type PaymentProvider } from '../../../src/server/payments/index.ts';
import { getProductsBySlug } from '../../../src/server/catalog/index.ts';
import { httpStatus } from '../../../src/server/shared/index.ts';
import { orders } from '../../../db/schema/index.ts';

let db: Db;
const T0 = Date.UTC(2026, 10, 2, 9);
const FORM = { email: 'ada@example.com', name: 'Ada Lovelace', line1: '1 Loom Street', line2: '', city: 'Boston', region: 'MA', postcode: '02110', country: 'US', shippingMethod: 'standard', couponCode: '' };

beforeAll(async () => {
  db = await createTestDb();
  await makeProduct(db, { slug: 'scarf', variants: [makeVariant({ sku: 'SCARF', priceCents: 4000, stock: 1 })] });
});
afterAll(() => db.$client.close());

const orderCount = async () => (await db.select({ n: count() }).from(orders).get())!.n;
const available = async (now: number) => (await getProductsBySlug(db, ['scarf'], now)).get('scarf')!.variants[0]!.available;

describe('startCheckout', () => {
  it('refuses a total the buyer was not shown, and writes nothing', async () => {
    const app = testApp(db);
    const cartId = await fillBag(db, [{ sku: 'SCARF', qty: 1 }], T0);
    const before = await orderCount();
    const r = await startCheckout(app, { cartId, fields: { ...FORM, expectedTotal: '1' }, ref: null, now: T0 });
    expect(r).toMatchObject({ ok: false, reason: 'changed' });
    if (r.ok) throw new Error('expected a refusal');
    expect(httpStatus(r)).toBe(409);
    expect(r.message).toContain('$45.95');
    expect(await orderCount()).toBe(before);
  });

  it('refuses a form with a bad field, with the message next to that field, and writes nothing', async () => {
    const app = testApp(db);
    const cartId = await fillBag(db, [{ sku: 'SCARF', qty: 1 }], T0);
    const before = await orderCount();
    const r = await startCheckout(app, { cartId, fields: { ...FORM, email: 'not-an-email', expectedTotal: '4595' }, ref: null, now: T0 });
    expect(r).toMatchObject({ ok: false, reason: 'invalid' });
    if (r.ok || !('fieldErrors' in r)) throw new Error('expected field errors');
    expect(Object.keys(r.fieldErrors ?? {})).toEqual(['email']);
    expect(await orderCount()).toBe(before);
  });

  it('places the order and hands over to the provider with the total the buyer saw', async () => {
    const app = testApp(db);
    const cartId = await fillBag(db, [{ sku: 'SCARF', qty: 1 }], T0);
    const quote = await quoteBag(app, { cartId, shippingMethod: 'standard', email: FORM.email }, T0);
    const r = await startCheckout(app, { cartId, fields: { ...FORM, expectedTotal: String(quote.totals.totalCents) }, ref: null, now: T0 });
    expect(r).toMatchObject({ ok: true });
    if (!r.ok) throw new Error(r.message);
    expect(r.redirectUrl).toMatch(/^\/pay\/test\/test_cs_/);
    const o = await db.select().from(orders).where(eq(orders.number, r.orderNumber)).get();
    expect(o).toMatchObject({ status: 'pending', totalCents: quote.totals.totalCents });
    expect(o!.providerSessionId).toBe(r.redirectUrl.split('/').at(-1));
    expect(await available(T0 + 1)).toBe(0);
  });

  it('releases the hold when the provider cannot start, and says nothing was charged', async () => {
    const failing: PaymentProvider = {
      ...createTestProvider(),
      async createCheckout() {
        throw new Error('connection refused');
      },
    };
    const app = testApp(db, { provider: failing });
    const now = T0 + 20 * 60_000; // the previous test's 15-minute hold has lapsed
    const cartId = await fillBag(db, [{ sku: 'SCARF', qty: 1 }], now);
    const quote = await quoteBag(app, { cartId, shippingMethod: 'standard', email: FORM.email }, now);
    const r = await startCheckout(app, { cartId, fields: { ...FORM, expectedTotal: String(quote.totals.totalCents) }, ref: null, now });
    expect(r).toMatchObject({ ok: false, reason: 'provider_failed' });
    if (r.ok) throw new Error('expected a refusal');
    expect(httpStatus(r)).toBe(502);
    expect(r.message).toMatch(/Nothing was charged/);
    const last = await db.select().from(orders).orderBy(orders.id).all();
    expect(last.at(-1)!.status).toBe('canceled');
    expect(await available(now + 1)).toBe(1);
  });
});
