/** The studio's product picker on a real database: matching, filters, order, availability, limits. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/server/db.ts';
import { createTestDb } from '../../helpers/db.ts';
import { fillBag, placeTestOrder } from '../../helpers/checkout.ts';
import { makeProduct, makeVariant } from '../../../db/factories/factories.ts';
import { formatMoney } from '../../../src/server/shared/index.ts';
import { parseCardPreviewQuery, parsePickerQuery, pickerJson, searchPickerProducts, PICKER_LIMIT } from '../../../src/server/catalog/index.ts';

let db: Db;
const T0 = Date.UTC(2026, 11, 2, 10);
const money = (minor: number) => formatMoney(minor, { currency: 'USD', locale: 'en-US' });
const slugs = async (q: string, category: string | null = null, now = T0) => (await searchPickerProducts(db, { q, category, now })).products.map((p) => p.slug);

beforeAll(async () => {
  db = await createTestDb();
  await makeProduct(db, {
    slug: 'linen-shirt',
    name: 'Linen Shirt',
    brand: 'atelier-nord',
    category: 'tops',
    variants: [
      makeVariant({ sku: 'LIN-SAND-S', size: 'S', colour: 'Sand', priceCents: 8900, stock: 3 }),
      makeVariant({ sku: 'LIN-SAND-M', size: 'M', colour: 'Sand', priceCents: 9900, stock: 1 }),
      makeVariant({ sku: 'LIN-OLD', size: 'L', priceCents: 100, stock: 9, active: false }),
    ],
  });
  await makeProduct(db, { slug: 'wool-coat', name: 'Wool Coat', brand: 'north-house', category: 'outerwear', variants: [makeVariant({ sku: 'COAT-M', priceCents: 30000, stock: 0 })] });
  await makeProduct(db, { slug: 'shirt-dress', name: 'Shirt Dress', brand: 'south', category: 'dresses', variants: [makeVariant({ sku: 'DRESS-1', priceCents: 12000, stock: 4 })] });
  await makeProduct(db, { slug: 'cotton-tee', name: 'Cotton Tee', brand: 'south', category: 'tops', variants: [makeVariant({ sku: 'TEE-100%', priceCents: 2900, stock: 5 })] });
  // Never offered: inactive, or no variant a reader could buy.
  await makeProduct(db, { slug: 'retired-shirt', name: 'Retired Shirt', category: 'tops', active: false, variants: [makeVariant({ sku: 'RET-1', stock: 5 })] });
  await makeProduct(db, { slug: 'ghost-shirt', name: 'Ghost Shirt', category: 'hidden', variants: [makeVariant({ sku: 'GHOST-1', stock: 5, active: false })] });
  // A pending order holds the last LIN-SAND-M: live availability is on hand − live reservations.
  const cart = await fillBag(db, [{ sku: 'LIN-SAND-M', qty: 1 }], T0);
  const placed = await placeTestOrder(db, cart, { now: T0 });
  if (!placed.ok) throw new Error(placed.reason);
});

describe('searchPickerProducts', () => {
  it('matches product, brand and category names and SKUs, case-insensitively', async () => {
    expect(await slugs('LINEN')).toEqual(['linen-shirt']);
    expect(await slugs('north house')).toEqual(['wool-coat']);
    expect(await slugs('Outerwear')).toEqual(['wool-coat']);
    expect(await slugs('dress-1')).toEqual(['shirt-dress']);
    expect(await slugs('sand-m')).toEqual(['linen-shirt']);
  });

  it('offers only active products with an active variant, and matches only active SKUs', async () => {
    expect(await slugs('shirt')).toEqual(['shirt-dress', 'linen-shirt']);
    expect(await slugs('LIN-OLD')).toEqual([]);
    expect(await slugs('ghost')).toEqual([]);
  });

  it('puts an exact SKU first, then names that start with the words, then the rest', async () => {
    // "shirt": Shirt Dress starts with it, Linen Shirt only contains it.
    expect((await slugs('shirt'))[0]).toBe('shirt-dress');
    await makeProduct(db, { slug: 'shirt-clip', name: 'Clip', category: 'accessories', variants: [makeVariant({ sku: 'SHIRT', stock: 1 })] });
    expect(await slugs('shirt')).toEqual(['shirt-clip', 'shirt-dress', 'linen-shirt']);
  });

  it('takes % and _ in a search literally', async () => {
    expect(await slugs('100%')).toEqual(['cotton-tee']);
    expect(await slugs('%')).toEqual(['cotton-tee']);
    expect(await slugs('_')).toEqual([]);
  });

  it('filters by category and lists the categories that have something to pick, in the shop order', async () => {
    expect(await slugs('', 'tops')).toEqual(['cotton-tee', 'linen-shirt']);
    expect(await slugs('tee', 'outerwear')).toEqual([]);
    const { categories } = await searchPickerProducts(db, { q: '', category: null, now: T0 });
    // Every factory category has position 0, so the shop's order is by name.
    expect(categories.map((c) => c.name)).toEqual(['Accessories', 'Dresses', 'Outerwear', 'Tops']);
    expect(categories.map((c) => c.slug)).not.toContain('hidden'); // only the ghost product, which has no active variant
  });

  it('shows live availability and the reader price; a reservation that lapsed frees its stock', async () => {
    const [shirt] = (await searchPickerProducts(db, { q: 'linen', category: null, now: T0 + 1000 })).products;
    expect(shirt!.variants.map((v) => [v.sku, v.label, v.priceCents, v.available])).toEqual([
      ['LIN-SAND-S', 'Sand / S', 8900, 3],
      ['LIN-SAND-M', 'Sand / M', 9900, 0],
    ]);
    expect(shirt!.available).toBe(3);
    expect(shirt!.price.fromCents).toBe(8900);
    expect(shirt!.price.varies).toBe(true);
    const later = (await searchPickerProducts(db, { q: 'linen', category: null, now: T0 + 16 * 60_000 })).products[0]!;
    expect(later.variants.find((v) => v.sku === 'LIN-SAND-M')!.available).toBe(1);
  });

  it('answers at most 24 products, newest first when nothing is typed', async () => {
    for (let i = 0; i < 30; i++) await makeProduct(db, { slug: `bulk-${i}`, name: `Bulk ${i}`, category: 'bulk', variants: [makeVariant({ stock: 1 })] });
    const all = await searchPickerProducts(db, { q: 'bulk', category: null, now: T0 });
    expect(all.products).toHaveLength(PICKER_LIMIT);
    expect((await searchPickerProducts(db, { q: 'bulk', category: null, limit: 5, now: T0 })).products).toHaveLength(5);
    expect((await searchPickerProducts(db, { q: 'bulk', category: null, limit: 500, now: T0 })).products).toHaveLength(PICKER_LIMIT);
  });
});

describe('pickerJson', () => {
  it('formats prices with the shop formatter and says what can be bought', async () => {
    const json = pickerJson(await searchPickerProducts(db, { q: 'linen', category: null, now: T0 }), money);
    expect(json.products[0]).toEqual({
      slug: 'linen-shirt',
      name: 'Linen Shirt',
      brand: 'Atelier Nord',
      category: 'Tops',
      priceLabel: 'From $89.00',
      image: { src: '/images/products/placeholder.svg', alt: 'Linen Shirt' },
      available: true,
      variants: [
        { sku: 'LIN-SAND-S', label: 'Sand / S', priceLabel: '$89.00', available: true },
        { sku: 'LIN-SAND-M', label: 'Sand / M', priceLabel: '$99.00', available: false },
      ],
    });
    const coat = pickerJson(await searchPickerProducts(db, { q: 'coat', category: null, now: T0 }), money).products[0]!;
    expect(coat.priceLabel).toBe('$300.00');
    expect(coat.available).toBe(false);
  });
});

describe('parsePickerQuery', () => {
  it('trims the search and accepts up to 80 characters and a category slug', () => {
    expect(parsePickerQuery(new URLSearchParams('q=%20linen%20%20shirt%20&category=tops'))).toEqual({ ok: true, query: { q: 'linen shirt', category: 'tops' } });
    expect(parsePickerQuery(new URLSearchParams(''))).toEqual({ ok: true, query: { q: '', category: null } });
    expect(parsePickerQuery(new URLSearchParams({ q: 'a'.repeat(80) })).ok).toBe(true);
  });
  it('refuses a longer search or a category that is not a slug, in words', () => {
    const long = parsePickerQuery(new URLSearchParams({ q: 'a'.repeat(81) }));
    expect(long).toMatchObject({ ok: false, reason: 'invalid', fieldErrors: { q: 'At most 80 characters.' } });
    const bad = parsePickerQuery(new URLSearchParams({ category: '../tops' }));
    expect(bad).toMatchObject({ ok: false, reason: 'invalid' });
    if (!bad.ok) expect(bad.message).not.toMatch(/slug|regex/i);
  });
});

describe('parseCardPreviewQuery', () => {
  it('takes a product slug and an optional SKU', () => {
    expect(parseCardPreviewQuery(new URLSearchParams('product=linen-shirt&variant=LIN-SAND-M'))).toEqual({ ok: true, product: 'linen-shirt', variant: 'LIN-SAND-M' });
    expect(parseCardPreviewQuery(new URLSearchParams('product=linen-shirt&variant='))).toEqual({ ok: true, product: 'linen-shirt', variant: undefined });
  });
  it('refuses what is not a slug or a SKU', () => {
    for (const qs of ['', 'product=Linen%20Shirt', 'product=../etc', 'product=-x', 'product=tee&variant=a%20b', 'product=tee&variant=<b>']) {
      expect(parseCardPreviewQuery(new URLSearchParams(qs)).ok, qs).toBe(false);
    }
  });
});
