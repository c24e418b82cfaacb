import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Db } from '../../../src/server/db.ts';
import { createTestDb } from '../../helpers/db.ts';
import { makeProduct, makeVariant } from '../../../db/factories/factories.ts';
import { orders, stockReservations, variants } from '../../../db/schema/index.ts';
import { getCatalogVersion } from '../../../src/server/catalog/index.ts';
import { parseVariantForm, saveVariantForm } from '../../../src/server/catalog/index.ts';

const T0 = Date.UTC(2026, 2, 10, 12);
let db: Db;

const form = (fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  return f;
};
const row = (sku: string) => db.select().from(variants).where(eq(variants.sku, sku)).get().then((r) => r!);

beforeAll(async () => {
  db = await createTestDb();
  const coat = await makeProduct(db, {
    slug: 'wool-coat',
    name: 'Wool coat',
    variants: [makeVariant({ sku: 'COAT-S', size: 'S', priceCents: 30000, compareAtCents: 40000, stock: 5 }), makeVariant({ sku: 'COAT-M', size: 'M', priceCents: 30000, stock: 2, active: false })],
  });
  await makeProduct(db, { slug: 'retired-bag', name: 'Retired bag', active: false, variants: [makeVariant({ sku: 'BAG', stock: 1 })] });
  // Two units of COAT-S held by a pending order (live), one by a lapsed hold (no longer counts).
  const o = await db
    .insert(orders)
    .values({
      number: 'LB-2222-3333',
      email: 'a@example.com',
      status: 'pending',
      currency: 'USD',
      subtotalCents: 60000,
      shippingCents: 0,
      totalCents: 60000,
      shippingMethod: 'standard',
      shippingLabel: 'Standard',
      shipName: 'A',
      shipLine1: '1 St',
      shipCity: 'X',
      shipPostcode: '12345',
      shipCountry: 'US',
      provider: 'test',
      reservationExpiresAt: T0 + 600_000,
      createdAt: T0,
      updatedAt: T0,
    })
    .returning()
    .get();
  const coatS = coat.variants[0]!.id;
  await db.insert(stockReservations).values([
    { orderId: o.id, variantId: coatS, qty: 2, status: 'active', expiresAt: T0 + 600_000, createdAt: T0 },
    { orderId: o.id, variantId: coatS, qty: 1, status: 'active', expiresAt: T0 - 1, createdAt: T0 - 900_000 },
  ]);
});
afterAll(() => db.$client.close());

describe('parseVariantForm', () => {
  it('reads decimal money exactly and the checkbox', () => {
    expect(parseVariantForm(form({ sku: 'COAT-S', price: '289.99', compareAt: '', stock: '7', stockWas: '5', active: 'on' }))).toEqual({
      ok: true,
      value: { sku: 'COAT-S', priceCents: 28999, compareAtCents: null, stockOnHand: 7, stockWas: 5, active: true },
    });
    const off = parseVariantForm(form({ sku: 'COAT-S', price: '1', compareAt: '2', stock: '0', stockWas: '0' }));
    expect(off.ok && off.value.active).toBe(false);
  });

  it('gives a message per bad field', () => {
    const r = parseVariantForm(form({ sku: 'COAT-S', price: '1,299', compareAt: '10.00', stock: '-2', stockWas: '5' }));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors).toEqual({
      price: 'Price: Use a dot for decimals and no thousands separators, like 1299.00.',
      stock: 'On hand must be a whole number of units (0 or more).',
    });
    const sale = parseVariantForm(form({ sku: 'COAT-S', price: '100', compareAt: '100.00', stock: '1', stockWas: '1' }));
    expect(!sale.ok && sale.errors.compareAt).toMatch(/must be above the price/);
  });
});

describe('saveVariantForm', () => {
  const base = { sku: 'COAT-S', price: '300.00', compareAt: '400.00', stock: '5', stockWas: '5', active: 'on' };

  it('writes only what changed and bumps the catalog version', async () => {
    const v0 = await getCatalogVersion(db);
    expect(await saveVariantForm(db, form(base))).toEqual({ ok: true, changed: [] });
    expect(await getCatalogVersion(db)).toBe(v0);
    expect(await saveVariantForm(db, form({ ...base, price: '289.00', compareAt: '' }))).toEqual({ ok: true, changed: ['price', 'compareAt'] });
    expect(await row('COAT-S')).toMatchObject({ priceCents: 28900, compareAtCents: null, stockOnHand: 5, active: true });
    expect(await getCatalogVersion(db)).toBeGreaterThan(v0);
  });

  it('sets stock on hand and the active flag', async () => {
    expect(await saveVariantForm(db, form({ sku: 'COAT-M', price: '300', compareAt: '', stock: '12', stockWas: '2', active: 'on' }))).toEqual({
      ok: true,
      changed: ['stock', 'active'],
    });
    expect(await row('COAT-M')).toMatchObject({ stockOnHand: 12, active: true });
  });

  it('refuses a stock edit made on a stale number (a sale happened meanwhile), writing nothing', async () => {
    await db.update(variants).set({ stockOnHand: 4 }).where(eq(variants.sku, 'COAT-S')); // a sale
    const before = await row('COAT-S');
    const r = await saveVariantForm(db, form({ sku: 'COAT-S', price: '250.00', compareAt: '', stock: '10', stockWas: '5', active: 'on' }));
    expect(r).toMatchObject({ ok: false, reason: 'stock_changed', message: expect.stringMatching(/changed from 5 to 4/) });
    expect(await row('COAT-S')).toEqual(before);
  });

  it('keeps sales made while the page was open when only the price changes', async () => {
    // The form still says 5 on hand (stockWas 5, stock 5), the shelf now has 4: stock is not touched.
    expect(await saveVariantForm(db, form({ sku: 'COAT-S', price: '260.00', compareAt: '', stock: '5', stockWas: '5', active: 'on' }))).toEqual({
      ok: true,
      changed: ['price'],
    });
    expect(await row('COAT-S')).toMatchObject({ priceCents: 26000, stockOnHand: 4 });
  });

  it('refuses bad values and unknown variants, writing nothing', async () => {
    const before = await row('COAT-S');
    const bad = await saveVariantForm(db, form({ sku: 'COAT-S', price: '89.999', compareAt: 'abc', stock: '4', stockWas: '4', active: 'on' }));
    expect(bad).toMatchObject({ ok: false, reason: 'invalid' });
    expect(!bad.ok && Object.keys(bad.errors).sort()).toEqual(['compareAt', 'price']);
    const huge = await saveVariantForm(db, form({ sku: 'COAT-S', price: '999999.00', compareAt: '', stock: '4', stockWas: '4', active: 'on' }));
    expect(huge).toMatchObject({ ok: false, reason: 'invalid', errors: { price: 'Price: must be at most 100000.00' } });
    expect(await row('COAT-S')).toEqual(before);
    expect(await saveVariantForm(db, form({ ...base, sku: 'NOPE' }))).toMatchObject({ ok: false, reason: 'not_found' });
  });
});
