import { beforeAll, describe, expect, it } from 'vitest';
import { eq, inArray } from 'drizzle-orm';
import type { Db } from '../../../src/server/db.ts';
import { createTestDb } from '../../helpers/db.ts';
import { testApp } from '../../helpers/app.ts';
import { makeProduct, makeVariant, upsertCategory } from '../../../db/factories/factories.ts';
import { products, variants } from '../../../db/schema/index.ts';
import { getCatalogVersion, listAdminProductPage, listFacets, parseAdminListQuery } from '../../../src/server/catalog/index.ts';
import { listFlash, productListPage, runProductListAction } from '../../../src/server/flows/index.ts';

let db: Db;
const ids: Record<string, number> = {};
const page = (s: string) => listAdminProductPage(db, parseAdminListQuery(new URLSearchParams(s)).query);
const slugs = async (s: string) => {
  const r = await page(s);
  if (!r.ok) throw new Error(r.message);
  return r.items.map((i) => i.slug);
};
const form = (entries: [string, string][]) => {
  const f = new FormData();
  for (const [k, v] of entries) f.append(k, v);
  return f;
};

beforeAll(async () => {
  db = await createTestDb();
  await upsertCategory(db, 'outerwear', 'Outerwear');
  const made = [
    await makeProduct(db, { slug: 'wool-coat', name: 'Wool coat', brand: 'north', category: 'outerwear', variants: [makeVariant({ sku: 'COAT-S', priceCents: 30000, stock: 5 }), makeVariant({ sku: 'COAT-M', priceCents: 32000, stock: 2 })] }),
    await makeProduct(db, { slug: 'linen-shirt', name: 'Linen shirt', brand: 'acme', category: 'tops', variants: [makeVariant({ sku: 'LS-S', priceCents: 4500, stock: 10 }), makeVariant({ sku: 'LS-M', priceCents: 4500, stock: 12 })] }),
    await makeProduct(db, { slug: 'silk-scarf', name: 'Silk scarf', brand: 'acme', category: 'tops', active: false, variants: [makeVariant({ sku: 'SCARF', priceCents: 9000, stock: 0 })] }),
    await makeProduct(db, { slug: 'old-tote', name: 'Old tote', brand: 'north', category: 'tops', variants: [makeVariant({ sku: 'TOTE', priceCents: 2000, stock: 50 })] }),
  ];
  for (const m of made) ids[m.slug] = m.id;
  await db.update(products).set({ archivedAt: Date.UTC(2026, 1, 1), active: false }).where(eq(products.slug, 'old-tote'));
  // 60 more so the list has two pages.
  for (let i = 0; i < 60; i++) await makeProduct(db, { slug: `bulk-${String(i).padStart(2, '0')}`, name: `Zz bulk ${String(i).padStart(2, '0')}`, variants: [makeVariant({ sku: `BULK-${i}`, stock: 9 })] });
});

describe('listAdminProductPage', () => {
  it('summarises each product from its variants: price range, stock, variant count, low stock', async () => {
    const r = await page('q=wool');
    expect(r.ok && r.items).toEqual([
      expect.objectContaining({ slug: 'wool-coat', brand: 'North', category: 'Outerwear', variantCount: 2, minPriceCents: 30000, maxPriceCents: 32000, totalStock: 7, stockState: 'low', lowStock: true, lowVariants: 1, active: true, archived: false }),
    ]);
    expect(r.ok && r.items[0]!.variants.map((v) => v.sku)).toEqual(['COAT-S', 'COAT-M']);
  });
  it('searches title, SKU and brand (a % is a character, not a wildcard)', async () => {
    expect(await slugs('q=LINEN')).toEqual(['linen-shirt']);
    expect(await slugs('q=scarf')).toEqual(['silk-scarf']);
    expect(await slugs('q=coat-m')).toEqual(['wool-coat']);
    expect(await slugs('q=acme')).toEqual(['linen-shirt', 'silk-scarf']);
    expect(await slugs('q=%25')).toEqual([]);
  });
  it('filters by category, brand, stock state and status; archived only when asked', async () => {
    expect(await slugs('category=outerwear')).toEqual(['wool-coat']);
    expect(await slugs('brand=north')).toEqual(['wool-coat']);
    expect(await slugs('stock=out')).toEqual(['silk-scarf']);
    expect(await slugs('stock=low')).toEqual(['wool-coat']);
    expect(await slugs('stock=in&brand=acme')).toEqual(['linen-shirt']);
    expect(await slugs('active=off')).toEqual(['silk-scarf']);
    expect(await slugs('active=archived')).toEqual(['old-tote']);
    expect(await slugs('q=tote')).toEqual([]);
  });
  it('sorts by price, stock and last update', async () => {
    expect((await slugs('sort=price&brand=acme'))).toEqual(['linen-shirt', 'silk-scarf']);
    expect((await slugs('sort=stock&brand=acme'))).toEqual(['silk-scarf', 'linen-shirt']);
    await db.update(products).set({ updatedAt: Date.UTC(2027, 0, 1) }).where(eq(products.slug, 'silk-scarf'));
    expect((await slugs('sort=updated'))[0]).toBe('silk-scarf');
  });
  it('pages by 50 and refuses a page past the end in words', async () => {
    const one = await page('');
    expect(one.ok && [one.items.length, one.total, one.pages]).toEqual([50, 63, 2]);
    const two = await page('page=2');
    expect(two.ok && two.items.length).toBe(13);
    expect(two.ok && two.items.at(-1)!.slug).toBe('bulk-59');
    expect(await page('page=3')).toMatchObject({ ok: false, reason: 'not_found', message: 'This list has 2 pages; there is no page 3.' });
  });
  it('the flow names an unknown brand or category instead of matching nothing', async () => {
    const v = await productListPage(testApp(db), new URLSearchParams('brand=nobody&category=tops'));
    expect(v.problems.brand).toBe('There is no brand “nobody”; showing every brand.');
    expect(v.query.category).toBe('tops');
    expect(v.list.ok && v.list.items.every((i) => i.categorySlug === 'tops')).toBe(true);
  });
});

describe('bulk actions', () => {
  it('deactivate, activate, set category: one transaction, one catalog bump, said in words', async () => {
    const app = testApp(db);
    const before = await getCatalogVersion(db);
    const r = await runProductListAction(app, { form: form([['action', 'bulk'], ['bulk', 'deactivate'], ['id', String(ids['wool-coat'])], ['id', String(ids['linen-shirt'])], ['id', String(ids['silk-scarf'])], ['back', '?q=x&sort=price']]) });
    expect(r).toEqual({ kind: 'done', message: '2 products deactivated (1 already inactive).', back: '?q=x&sort=price', search: '?q=x&sort=price&done=deactivate&n=2&of=3' });
    expect(listFlash(new URLSearchParams(r.kind === 'done' ? r.search : ''), await listFacets(db))).toBe('2 products deactivated (1 already inactive).');
    expect(await getCatalogVersion(db)).toBe(before + 1);
    const rows = await db.select({ slug: products.slug, active: products.active }).from(products).where(inArray(products.id, [ids['wool-coat']!, ids['linen-shirt']!]));
    expect(rows.every((p) => !p.active)).toBe(true);

    const act = await runProductListAction(app, { form: form([['action', 'bulk'], ['bulk', 'activate'], ['id', String(ids['wool-coat'])], ['id', String(ids['old-tote'])]]) });
    expect(act).toMatchObject({ kind: 'done', message: '1 product activated (1 already active).' });
    expect((await db.select().from(products).where(eq(products.slug, 'old-tote')).get())!.active).toBe(false); // archived stays off

    const move = await runProductListAction(app, { form: form([['action', 'bulk'], ['bulk', 'set_category'], ['category', 'outerwear'], ['id', String(ids['linen-shirt'])], ['id', String(ids['wool-coat'])]]) });
    expect(move).toMatchObject({ kind: 'done', message: '1 product moved to Outerwear (1 already there).' });
    expect(listFlash(new URLSearchParams(move.kind === 'done' ? move.search : ''), await listFacets(db))).toBe('1 product moved to Outerwear (1 already there).');
    // "Select all on this page" without JavaScript: the page's ids come with the form.
    const all = await runProductListAction(app, { form: form([['action', 'bulk'], ['bulk', 'activate'], ['all', 'page'], ['page_id', String(ids['linen-shirt'])], ['page_id', String(ids['silk-scarf'])]]) });
    expect(all).toMatchObject({ kind: 'done', message: '2 products activated.' });
    expect(await slugs('category=outerwear')).toEqual(['linen-shirt', 'wool-coat']);
  });
  it('refuses a vanished product or an unknown category and writes nothing', async () => {
    const app = testApp(db);
    const before = await getCatalogVersion(db);
    const gone = await runProductListAction(app, { form: form([['action', 'bulk'], ['bulk', 'deactivate'], ['id', String(ids['wool-coat'])], ['id', '999999']]) });
    expect(gone).toMatchObject({ kind: 'refused', refusal: { reason: 'not_found' } });
    const cat = await runProductListAction(app, { form: form([['action', 'bulk'], ['bulk', 'set_category'], ['category', 'shoes'], ['id', String(ids['wool-coat'])]]) });
    expect(cat).toMatchObject({ kind: 'refused', refusal: { reason: 'invalid', message: expect.stringMatching(/does not exist/) } });
    const none = await runProductListAction(app, { form: form([['action', 'bulk'], ['bulk', 'activate']]) });
    expect(none).toMatchObject({ kind: 'refused', refusal: { message: expect.stringMatching(/Select at least one product/) } });
    expect(await getCatalogVersion(db)).toBe(before);
    expect((await db.select().from(products).where(eq(products.slug, 'wool-coat')).get())!.active).toBe(true);
  });
});

describe('quick stock edit', () => {
  it('is compare-and-set against what the admin saw: a sale in between is never overwritten', async () => {
    const app = testApp(db);
    // The page showed 10 on hand; a sale took one before the admin saved 15.
    await db.update(variants).set({ stockOnHand: 9 }).where(eq(variants.sku, 'LS-S'));
    const r = await runProductListAction(app, { form: form([['action', 'variant'], ['sku', 'LS-S'], ['price', '45.00'], ['compareAt', ''], ['stock', '15'], ['stockWas', '10'], ['active', 'on'], ['back', '?q=linen']]) });
    expect(r).toMatchObject({ kind: 'refused', sku: 'LS-S', back: '?q=linen', refusal: { reason: 'conflict', message: expect.stringMatching(/changed from 10 to 9/) } });
    expect((await db.select().from(variants).where(eq(variants.sku, 'LS-S')).get())!.stockOnHand).toBe(9);
    const ok = await runProductListAction(app, { form: form([['action', 'variant'], ['sku', 'LS-S'], ['price', '44.00'], ['compareAt', ''], ['stock', '15'], ['stockWas', '9'], ['active', 'on']]) });
    expect(ok).toMatchObject({ kind: 'done', message: 'Saved LS-S: price, stock.', anchor: 'v-LS-S' });
    expect((await db.select().from(variants).where(eq(variants.sku, 'LS-S')).get())).toMatchObject({ stockOnHand: 15, priceCents: 4400 });
  });
});
