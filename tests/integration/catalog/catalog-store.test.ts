import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/server/db.ts';
import { createTestDb } from '../../helpers/db.ts';
import { makeProduct, makeVariant } from '../../../db/factories/factories.ts';
import {
  getCatalogVersion,
  getProductsBySlug,
  getShopFacets,
  listCatalogEntries,
  listShop,
} from '../../../src/server/catalog/index.ts';
import { setProductActive, updateVariant } from '../../../src/server/catalog/index.ts';
import { parseShopQuery, type ShopQuery } from '../../../src/server/catalog/index.ts';
import { RenderCache } from '../../../src/server/catalog/index.ts';

let db: Db;
const q = (qs: string): ShopQuery => {
  const r = parseShopQuery(new URLSearchParams(qs));
  if (r.notes.length) throw new Error(JSON.stringify(r.notes));
  return r.query;
};

beforeAll(async () => {
  db = await createTestDb();
  await makeProduct(db, {
    slug: 'wool-coat',
    brand: 'north',
    category: 'outerwear',
    variants: [
      makeVariant({ sku: 'COAT-S', size: 'S', priceCents: 30000, compareAtCents: 40000, stock: 0 }),
      makeVariant({ sku: 'COAT-M', size: 'M', priceCents: 30000, compareAtCents: 40000, stock: 2 }),
    ],
  });
  await makeProduct(db, {
    slug: 'cotton-tee',
    brand: 'south',
    category: 'tops',
    variants: [makeVariant({ sku: 'TEE-S', size: 'S', priceCents: 2900, stock: 10 }), makeVariant({ sku: 'TEE-L', size: 'L', priceCents: 2900, stock: 10 })],
  });
  await makeProduct(db, {
    slug: 'silk-scarf',
    brand: 'north',
    category: 'accessories',
    variants: [makeVariant({ sku: 'SCARF', size: 'One size', priceCents: 8900, stock: 0 })],
  });
  await makeProduct(db, { slug: 'retired-bag', brand: 'south', category: 'bags', active: false, variants: [makeVariant({ sku: 'BAG', stock: 5 })] });
});
afterAll(() => db.$client.close());

describe('getProductsBySlug', () => {
  it('loads every requested product with active variants and availability in one call', async () => {
    const map = await getProductsBySlug(db, ['wool-coat', 'cotton-tee', 'no-such-thing', 'wool-coat']);
    expect([...map.keys()].sort()).toEqual(['cotton-tee', 'wool-coat']);
    const coat = map.get('wool-coat')!;
    expect(coat.brand.slug).toBe('north');
    expect(coat.category.slug).toBe('outerwear');
    expect(coat.variants.map((v) => [v.sku, v.available, v.priceCents, v.compareAtCents])).toEqual([
      ['COAT-S', 0, 30000, 40000],
      ['COAT-M', 2, 30000, 40000],
    ]);
  });
  it('returns inactive products flagged, so cards can say "no longer available"', async () => {
    const map = await getProductsBySlug(db, ['retired-bag']);
    expect(map.get('retired-bag')?.active).toBe(false);
  });
  it('hides deactivated variants', async () => {
    expect((await updateVariant(db, 'TEE-L', { active: false })).ok).toBe(true);
    const tee = (await getProductsBySlug(db, ['cotton-tee'])).get('cotton-tee')!;
    expect(tee.variants.map((v) => v.sku)).toEqual(['TEE-S']);
    await updateVariant(db, 'TEE-L', { active: true });
  });
});

describe('listShop', () => {
  it('lists active products, newest first by default', async () => {
    const page = await listShop(db, q(''));
    expect(page.products.map((p) => p.slug)).toEqual(['silk-scarf', 'cotton-tee', 'wool-coat']);
    expect(page.total).toBe(3);
  });
  it('filters by category and brand', async () => {
    expect((await listShop(db, q('brand=north'))).products.map((p) => p.slug).sort()).toEqual(['silk-scarf', 'wool-coat']);
    expect((await listShop(db, q('category=tops&category=outerwear&brand=north'))).products.map((p) => p.slug)).toEqual(['wool-coat']);
  });
  it('filters by size, and by size in stock', async () => {
    expect((await listShop(db, q('size=S'))).products.map((p) => p.slug).sort()).toEqual(['cotton-tee', 'wool-coat']);
    expect((await listShop(db, q('size=S&instock=1'))).products.map((p) => p.slug)).toEqual(['cotton-tee']);
    expect((await listShop(db, q('instock=1'))).products.map((p) => p.slug).sort()).toEqual(['cotton-tee', 'wool-coat']);
  });
  it('filters by price range in whole units and sorts by price', async () => {
    expect((await listShop(db, q('min=50&max=100'))).products.map((p) => p.slug)).toEqual(['silk-scarf']);
    expect((await listShop(db, q('sort=price-asc'))).products.map((p) => p.slug)).toEqual(['cotton-tee', 'silk-scarf', 'wool-coat']);
    expect((await listShop(db, q('sort=price-desc'))).products.map((p) => p.slug)).toEqual(['wool-coat', 'silk-scarf', 'cotton-tee']);
    expect((await listShop(db, q('sort=sale'))).products[0]?.slug).toBe('wool-coat');
  });
  it('says how many pages there are when asked for one past the end', async () => {
    const page = await listShop(db, q('page=9'));
    expect(page).toMatchObject({ products: [], total: 3, pageCount: 1 });
  });
});

describe('facets and content check data', () => {
  it('offers only categories and brands with active products, sizes in order', async () => {
    const f = await getShopFacets(db);
    expect(f.categories.map((c) => c.slug).sort()).toEqual(['accessories', 'outerwear', 'tops']);
    expect(f.brands.map((b) => [b.slug, b.count])).toEqual([
      ['north', 2],
      ['south', 1],
    ]);
    expect(f.sizes).toEqual(['S', 'M', 'L', 'One size']);
  });
  it('lists every product with its active flag and live variant count', async () => {
    const entries = await listCatalogEntries(db);
    expect(entries.find((e) => e.slug === 'retired-bag')).toEqual({ slug: 'retired-bag', active: false, variants: 1 });
  });
});

describe('catalog writes and the render cache', () => {
  it('a price change bumps the catalog version, so a cached page stops being served at once', async () => {
    const cache = new RenderCache(10);
    const before = await getCatalogVersion(db);
    cache.set('/posts/x', { body: 'old price', headers: [], version: before, validUntil: Infinity });
    expect(cache.get('/posts/x', await getCatalogVersion(db), Date.now())?.body).toBe('old price');
    expect(await updateVariant(db, 'COAT-M', { priceCents: 25000 })).toEqual({ ok: true });
    expect(await getCatalogVersion(db)).toBeGreaterThan(before);
    expect(cache.get('/posts/x', await getCatalogVersion(db), Date.now())).toBeUndefined();
    expect((await getProductsBySlug(db, ['wool-coat'])).get('wool-coat')?.variants[1]?.priceCents).toBe(25000);
  });
  it('stock and active changes bump the version too', async () => {
    const v0 = await getCatalogVersion(db);
    await updateVariant(db, 'COAT-S', { stockOnHand: 4 });
    const v1 = await getCatalogVersion(db);
    await setProductActive(db, 'silk-scarf', false);
    const v2 = await getCatalogVersion(db);
    expect(v1).toBeGreaterThan(v0);
    expect(v2).toBeGreaterThan(v1);
    await setProductActive(db, 'silk-scarf', true);
  });
  it.each([
    [{ priceCents: -1 }, 'invalid'],
    [{ priceCents: 12.5 }, 'invalid'],
    [{ stockOnHand: 'ten' }, 'invalid'],
    [{ priceCents: 1000, sneaky: true }, 'invalid'],
    [{ compareAtCents: 100 }, 'invalid'],
  ])('rejects %j and changes nothing', async (patch, reason) => {
    const v0 = await getCatalogVersion(db);
    const before = (await getProductsBySlug(db, ['wool-coat'])).get('wool-coat');
    const r = await updateVariant(db, 'COAT-M', patch);
    expect(r).toMatchObject({ ok: false, reason });
    expect((await getProductsBySlug(db, ['wool-coat'])).get('wool-coat')).toEqual(before);
    expect(await getCatalogVersion(db)).toBe(v0);
  });
  it('writes stock only if the shelf still holds what the admin saw (compare-and-set in the UPDATE)', async () => {
    await updateVariant(db, 'COAT-S', { stockOnHand: 4 });
    const v0 = await getCatalogVersion(db);
    // the admin saw 5; a sale took it to 4 before the save
    expect(await updateVariant(db, 'COAT-S', { stockOnHand: 10, stockWas: 5 })).toEqual({ ok: false, reason: 'stock_changed', stockOnHand: 4 });
    expect(await getCatalogVersion(db)).toBe(v0);
    expect(await updateVariant(db, 'COAT-S', { stockOnHand: 10, stockWas: 4 })).toEqual({ ok: true });
    expect((await getProductsBySlug(db, ['wool-coat'])).get('wool-coat')!.variants.find((v) => v.sku === 'COAT-S')!.available).toBe(10);
  });
  it('says what is wrong with a value in people\'s words', async () => {
    expect(await updateVariant(db, 'COAT-M', { priceCents: -1, stockOnHand: 2_000_000 })).toEqual({
      ok: false,
      reason: 'invalid',
      fieldErrors: { priceCents: 'The price cannot be negative.', stockOnHand: 'On hand must be at most 1000000 units.' },
    });
  });
  it('reports an unknown SKU', async () => {
    expect(await updateVariant(db, 'NOPE', { priceCents: 100 })).toEqual({ ok: false, reason: 'not_found' });
  });
});

describe('availability expression', () => {
  it('is right in a select from variants alone (no join to qualify the columns)', async () => {
    const { availableSql } = await import('../../../src/server/catalog/index.ts');
    const { variants: v } = await import('../../../db/schema/index.ts');
    const { eq } = await import('drizzle-orm');
    const { fillBag, placeTestOrder } = await import('../../helpers/checkout.ts');
    const now = Date.now();
    const placed = await placeTestOrder(db, await fillBag(db, [{ sku: 'TEE-S', qty: 2 }], now), { now });
    expect(placed.ok).toBe(true);
    const rows = await db.select({ a: availableSql(now + 1), onHand: v.stockOnHand }).from(v).where(eq(v.sku, 'TEE-S'));
    expect(rows[0]!.a).toBe(rows[0]!.onHand - 2);
  });
});
