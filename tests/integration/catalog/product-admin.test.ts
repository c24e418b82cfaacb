/**
 * The product admin's workflows on a real migrated database (src/server/flows/product-admin.ts,
 * src/server/catalog/product-write.ts; docs/decisions/0043-product-admin.md): create, edit,
 * archive; a duplicate SKU or slug refused naming the product that has it; the stock
 * compare-and-set under a sale paid between reading the form and saving it; a changed slug kept as
 * a redirect; brands merged; and the admin role checked in the workflow itself.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/server/db.ts';
import { createTestDb } from '../../helpers/db.ts';
import { testApp } from '../../helpers/app.ts';
import { fillBag } from '../../helpers/checkout.ts';
import { makeProduct, makeVariant, upsertBrand, upsertCategory } from '../../../db/factories/factories.ts';
import { applyPaymentEvent, quoteBag, runTaxonomyAction, saveProductForm, setProductArchived, type ProductFormOutcome } from '../../../src/server/flows/index.ts';
import { axesOf, coloursFieldOf, currentSlugFor, getAdminProduct, getCatalogVersion, getProduct, listCatalogEntries, listTaxonomy, rowsOf } from '../../../src/server/catalog/index.ts';
import { addToBag } from '../../../src/server/cart/index.ts';
import { startCheckout } from '../../../src/server/flows/index.ts';
import { testPaymentEvent } from '../../../src/server/payments/index.ts';
import { orders, productImages, products, variants } from '../../../db/schema/index.ts';
import sharp from 'sharp';
import { addProductImageUpload, runProductImageAction } from '../../../src/server/flows/index.ts';
import { createUser } from '../../../src/server/auth/index.ts';

let db: Db;
const T0 = Date.UTC(2026, 10, 2, 9);
const admin = { id: 1, role: 'admin' as const };
let brandId: number;
let categoryId: number;
const BUYER = { email: 'ada@example.com', name: 'Ada Lovelace', line1: '1 Loom Street', line2: '', city: 'Boston', region: 'MA', postcode: '02110', country: 'US', shippingMethod: 'standard', couponCode: '' };

const fd = (fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  return f;
};

function teeForm(over: Record<string, string> = {}) {
  return {
    intent: 'save',
    title: 'Organic Cotton Tee',
    slug: 'organic-cotton-tee',
    description: 'Soft **organic** cotton, cut straight.',
    brandId: String(brandId),
    categoryId: String(categoryId),
    tags: 'basics, cotton',
    seoTitle: '',
    seoDescription: '',
    sizes: 'S, M',
    colours: '',
    active: 'on',
    v0_size: 'S',
    v0_sku: 'TEE-S',
    v0_price: '29.00',
    v0_stock: '5',
    v0_active: 'on',
    v1_size: 'M',
    v1_sku: 'TEE-M',
    v1_price: '29.00',
    v1_compareAt: '39.00',
    v1_stock: '7',
    v1_active: 'on',
    ...over,
  };
}

/** The edit form as the page renders it for product `id` (ids and the stock the admin saw). */
async function editForm(id: number, over: Record<string, string> = {}) {
  const p = (await getAdminProduct(db, id))!;
  const fields: Record<string, string> = {
    intent: 'save',
    title: p.title,
    slug: p.slug,
    description: p.description,
    brandId: String(p.brandId),
    categoryId: String(p.categoryId),
    tags: p.tags.join(', '),
    seoTitle: p.seoTitle ?? '',
    seoDescription: p.seoDescription ?? '',
    sizes: axesOf(p.variants).sizes.join(', '),
    colours: axesOf(p.variants).colours.join(', '),
  };
  if (p.active) fields.active = 'on';
  rowsOf(p.variants.filter((v) => !v.retired)).forEach((r, i) => {
    Object.assign(fields, { [`v${i}_id`]: r.id, [`v${i}_size`]: r.size, [`v${i}_colour`]: r.colour, [`v${i}_sku`]: r.sku, [`v${i}_price`]: r.price, [`v${i}_compareAt`]: r.compareAt, [`v${i}_stock`]: r.stock, [`v${i}_stockWas`]: r.stockWas });
    if (r.active) fields[`v${i}_active`] = 'on';
  });
  return { ...fields, ...over };
}

const created = (o: ProductFormOutcome) => {
  if (o.kind !== 'done') throw new Error(`${o.message} ${JSON.stringify(o.errors)}`);
  return o.id;
};

beforeAll(async () => {
  db = await createTestDb();
  brandId = await upsertBrand(db, 'atelier-north');
  categoryId = await upsertCategory(db, 'tops');
  await makeProduct(db, { slug: 'linen-shirt', name: 'Linen Shirt', variants: [makeVariant({ sku: 'SHIRT-M', stock: 3 })] });
});
afterAll(() => db.$client.close());

describe('create, edit, archive', () => {
  let teeId: number;

  it('creates a product with two sizes, bumps the catalog version, and it is in the shop', async () => {
    const app = testApp(db);
    const v0 = await getCatalogVersion(db);
    teeId = created(await saveProductForm(app, { user: admin, id: null, form: fd(teeForm()), now: T0 }));
    expect(await getCatalogVersion(db)).toBeGreaterThan(v0);
    const shop = await getProduct(db, 'organic-cotton-tee', T0);
    expect(shop).toMatchObject({ name: 'Organic Cotton Tee', active: true });
    expect(shop!.variants.map((v) => [v.sku, v.size, v.priceCents, v.compareAtCents, v.available])).toEqual([
      ['TEE-S', 'S', 2900, null, 5],
      ['TEE-M', 'M', 2900, 3900, 7],
    ]);
    const row = await db.select().from(products).where(eq(products.id, teeId)).get();
    expect(JSON.parse(row!.tagsJson)).toEqual(['basics', 'cotton']);
  });

  it('refuses a bad form with field messages and writes nothing', async () => {
    const app = testApp(db);
    const before = (await db.select().from(products)).length;
    const o = await saveProductForm(app, { user: admin, id: null, form: fd(teeForm({ slug: 'another-tee', title: '', v0_sku: 'NEW-S', v1_sku: 'NEW-M', v0_price: 'abc' })), now: T0 });
    expect(o).toMatchObject({ kind: 'form', status: 400, errors: { title: 'Give the product a title.', v0_price: expect.stringContaining('S: price') } });
    expect((await db.select().from(products)).length).toBe(before);
  });

  it('refuses a duplicate SKU and a duplicate slug naming the product that has it', async () => {
    const app = testApp(db);
    const sku = await saveProductForm(app, { user: admin, id: null, form: fd(teeForm({ slug: 'tee-two', v0_sku: 'SHIRT-M', v1_sku: 'TEE2-M' })), now: T0 });
    expect(sku).toMatchObject({ kind: 'form', status: 409, errors: { v0_sku: 'SKU SHIRT-M is already used by Linen Shirt.' } });
    const slug = await saveProductForm(app, { user: admin, id: null, form: fd(teeForm({ slug: 'linen-shirt', v0_sku: 'X-S', v1_sku: 'X-M' })), now: T0 });
    expect(slug).toMatchObject({ kind: 'form', status: 409, errors: { slug: 'The address /products/linen-shirt is already used by Linen Shirt.' } });
    const lower = await saveProductForm(app, { user: admin, id: null, form: fd(teeForm({ slug: 'tee-three', v0_sku: 'tee-m', v1_sku: 'Y-M' })), now: T0 });
    expect(lower).toMatchObject({ kind: 'form', errors: { v0_sku: 'SKU TEE-M is already used by Organic Cotton Tee.' } });
    expect(await db.select().from(products).where(eq(products.slug, 'tee-two')).get()).toBeUndefined();
  });

  it('edits: a new slug keeps the old one as a redirect, and a freed former slug cannot be taken by another product', async () => {
    const app = testApp(db);
    const o = await saveProductForm(app, { user: admin, id: teeId, form: fd(await editForm(teeId, { slug: 'cotton-tee', title: 'Cotton Tee' })), now: T0 + 1 });
    expect(o.kind).toBe('done');
    expect(await currentSlugFor(db, 'organic-cotton-tee')).toBe('cotton-tee');
    // A card naming the old slug still shows the product, under its current slug.
    expect((await getProduct(db, 'organic-cotton-tee'))!.slug).toBe('cotton-tee');
    const other = await saveProductForm(app, { user: admin, id: null, form: fd(teeForm({ slug: 'organic-cotton-tee', v0_sku: 'Z-S', v1_sku: 'Z-M' })), now: T0 });
    expect(other).toMatchObject({ kind: 'form', errors: { slug: "The address /products/organic-cotton-tee was Cotton Tee's and still redirects there: choose another." } });
    // Taking its own former slug back is fine.
    const back = await saveProductForm(app, { user: admin, id: teeId, form: fd(await editForm(teeId, { slug: 'organic-cotton-tee' })), now: T0 + 2 });
    expect(back.kind).toBe('done');
    expect(await currentSlugFor(db, 'cotton-tee')).toBe('organic-cotton-tee');
    expect(await currentSlugFor(db, 'organic-cotton-tee')).toBeNull();
    // content:check sees a card naming the former slug as a live product, not a missing one.
    expect((await listCatalogEntries(db)).filter((e) => e.slug === 'cotton-tee' || e.slug === 'organic-cotton-tee')).toEqual([
      { slug: 'cotton-tee', active: true, variants: 2 },
      { slug: 'organic-cotton-tee', active: true, variants: 2 },
    ]);
  });

  it('adds a size through the grid, and a size taken out of the grid goes off sale (kept, never deleted)', async () => {
    const app = testApp(db);
    const grid = await saveProductForm(app, { user: admin, id: teeId, form: fd(await editForm(teeId, { sizes: 'M, L', intent: 'grid' })), now: T0 });
    expect(grid).toMatchObject({ kind: 'form', status: 200 });
    if (grid.kind !== 'form') return;
    expect(grid.rows.map((r) => [r.size, r.sku])).toEqual([
      ['M', 'TEE-M'],
      ['L', ''],
    ]);
    const fields = await editForm(teeId, { sizes: 'M, L' });
    const m = Object.fromEntries(Object.entries(fields).filter(([k]) => !k.startsWith('v')));
    grid.rows.forEach((r, i) => Object.assign(m, { [`v${i}_id`]: r.id, [`v${i}_size`]: r.size, [`v${i}_colour`]: r.colour, [`v${i}_sku`]: r.sku || 'TEE-L', [`v${i}_price`]: r.price || '31.00', [`v${i}_compareAt`]: r.compareAt, [`v${i}_stock`]: r.stock, [`v${i}_stockWas`]: r.stockWas, [`v${i}_active`]: 'on' }));
    const saved = await saveProductForm(app, { user: admin, id: teeId, form: fd(m), now: T0 });
    expect(saved.kind).toBe('done');
    const all = await db.select({ sku: variants.sku, active: variants.active }).from(variants).where(eq(variants.productId, teeId));
    expect(all.sort((a, b) => a.sku.localeCompare(b.sku))).toEqual([
      { sku: 'TEE-L', active: true },
      { sku: 'TEE-M', active: true },
      { sku: 'TEE-S', active: false },
    ]);
    expect((await getProduct(db, 'organic-cotton-tee'))!.variants.map((v) => v.sku)).toEqual(['TEE-M', 'TEE-L']);
    // The edit form's grid no longer has S; putting S back on the axes brings TEE-S back, not a blank row.
    const p = (await getAdminProduct(db, teeId))!;
    expect(axesOf(p.variants)).toEqual({ sizes: ['M', 'L'], colours: [] });
    const back = await saveProductForm(app, { user: admin, id: teeId, form: fd(await editForm(teeId, { sizes: 'S, M, L', intent: 'grid' })) });
    expect(back.kind === 'form' && back.rows.map((r) => [r.size, r.sku, r.active])).toEqual([
      ['S', 'TEE-S', false],
      ['M', 'TEE-M', true],
      ['L', 'TEE-L', true],
    ]);
  });

  it('archives: off the shop, never buyable, and cannot be switched back on until unarchived', async () => {
    const app = testApp(db);
    const v0 = await getCatalogVersion(db);
    expect(await setProductArchived(app, { user: admin, id: teeId, archived: true, now: T0 })).toMatchObject({ kind: 'done' });
    expect(await getCatalogVersion(db)).toBeGreaterThan(v0);
    expect((await getProduct(db, 'organic-cotton-tee'))!.active).toBe(false);
    const add = await addToBag(db, { sku: 'TEE-M', qty: 1, source: { kind: 'direct' } }, { now: T0, checkSource: () => true });
    expect(add.ok).toBe(false);
    const on = await saveProductForm(app, { user: admin, id: teeId, form: fd(await editForm(teeId, { active: 'on' })), now: T0 });
    expect(on).toMatchObject({ kind: 'form', errors: { active: 'An archived product cannot be on sale: unarchive it first.' } });
    expect(await setProductArchived(app, { user: admin, id: teeId, archived: false, now: T0 })).toMatchObject({ kind: 'done' });
    const p = (await getAdminProduct(db, teeId))!;
    expect(p).toMatchObject({ archivedAt: null, active: false });
  });

  it('a bag holding a product that is then archived cannot check out', async () => {
    const app = testApp(db);
    const p = await makeProduct(db, { slug: 'soon-archived', name: 'Soon Archived', variants: [makeVariant({ sku: 'SOON-1', stock: 5 })] });
    const cartId = await fillBag(db, [{ sku: 'SOON-1', qty: 1 }], T0);
    const quote = await quoteBag(app, { cartId, shippingMethod: 'standard', email: BUYER.email }, T0);
    expect((await setProductArchived(app, { user: admin, id: p.id, archived: true, now: T0 })).kind).toBe('done');
    const before = (await db.select().from(orders)).length;
    const r = await startCheckout(app, { cartId, fields: { ...BUYER, expectedTotal: String(quote.totals.totalCents) }, ref: null, now: T0 + 1 });
    expect(r.ok).toBe(false);
    expect((await db.select().from(orders)).length).toBe(before);
  });

  it('checks the admin role in the workflow', async () => {
    const app = testApp(db);
    const creator = { id: 2, role: 'creator' as const };
    expect(await saveProductForm(app, { user: creator, id: null, form: fd(teeForm({ slug: 'sneaky', v0_sku: 'SN-S', v1_sku: 'SN-M' })) })).toMatchObject({ kind: 'form', status: 403, refusal: { reason: 'not_allowed' } });
    expect(await setProductArchived(app, { user: null, id: teeId, archived: true })).toMatchObject({ kind: 'refused' });
    expect(await db.select().from(products).where(eq(products.slug, 'sneaky')).get()).toBeUndefined();
  });
});

describe('stock compare-and-set', () => {
  it('refuses a stock edit when a sale was paid after the admin opened the page, says what changed, and the retry works', async () => {
    const app = testApp(db);
    const one = Object.fromEntries(Object.entries(teeForm({ slug: 'cas-tee', title: 'CAS Tee', sizes: 'M', v0_size: 'M', v0_sku: 'CAS-M', v0_stock: '7' })).filter(([k]) => !k.startsWith('v1_')));
    const id = created(await saveProductForm(app, { user: admin, id: null, form: fd(one), now: T0 }));
    // The admin opens the page: 7 on hand.
    const seen = await editForm(id, { v0_stock: '10', v0_price: '35.00' });
    expect(seen.v0_stockWas).toBe('7');

    // Meanwhile a reader checks out two (reserved through the checkout workflow) and pays.
    const cartId = await fillBag(db, [{ sku: 'CAS-M', qty: 2 }], T0);
    const quote = await quoteBag(app, { cartId, shippingMethod: 'standard', email: BUYER.email }, T0);
    const placed = await startCheckout(app, { cartId, fields: { ...BUYER, expectedTotal: String(quote.totals.totalCents) }, ref: null, now: T0 });
    if (!placed.ok) throw new Error(placed.message);
    const order = (await db.select().from(orders).where(eq(orders.number, placed.orderNumber)).get())!;
    await applyPaymentEvent(app, testPaymentEvent(order.id, order.providerSessionId!, 'pay'), { now: T0 + 1000 });
    expect((await db.select().from(variants).where(eq(variants.sku, 'CAS-M')).get())!.stockOnHand).toBe(5);

    const v0 = await getCatalogVersion(db);
    const o = await saveProductForm(app, { user: admin, id, form: fd(seen), now: T0 + 2000 });
    expect(o).toMatchObject({ kind: 'form', status: 409, errors: { v0_stock: 'M: 2 sold since you opened this page: stock is now 5, not 7 — check and save again.' } });
    // Nothing was written: not the stock, not the price.
    const after = (await db.select().from(variants).where(eq(variants.sku, 'CAS-M')).get())!;
    expect(after).toMatchObject({ stockOnHand: 5, priceCents: 2900 });
    expect(await getCatalogVersion(db)).toBe(v0);

    // The form comes back checked against the shelf as it is now; saving again writes.
    if (o.kind !== 'form') return;
    expect(o.rows[0]!.stockWas).toBe('5');
    const retry = { ...seen, v0_stockWas: o.rows[0]!.stockWas };
    expect((await saveProductForm(app, { user: admin, id, form: fd(retry), now: T0 + 3000 })).kind).toBe('done');
    expect((await db.select().from(variants).where(eq(variants.sku, 'CAS-M')).get())!).toMatchObject({ stockOnHand: 10, priceCents: 3500 });
  });

  it('saving a price without touching stock never overwrites a sale', async () => {
    const app = testApp(db);
    const p = await makeProduct(db, { slug: 'cas-scarf', variants: [makeVariant({ sku: 'CAS-SCARF', size: undefined, stock: 4 })] });
    const seen = await editForm(p.id, { v0_price: '45.00' });
    await db.update(variants).set({ stockOnHand: 3 }).where(eq(variants.sku, 'CAS-SCARF')); // a sale
    expect((await saveProductForm(app, { user: admin, id: p.id, form: fd(seen) })).kind).toBe('done');
    expect((await db.select().from(variants).where(eq(variants.sku, 'CAS-SCARF')).get())!).toMatchObject({ stockOnHand: 3, priceCents: 4500 });
  });
});

describe('gallery', () => {
  it('adds uploads in order (alt text required), reorders, edits alt, removes — the cover follows the first image', async () => {
    const app = testApp(db);
    const user = await createUser(db, { email: 'gallery-admin@lookbook.test', password: 'a long enough password', role: 'admin' });
    if (!user.ok) throw new Error(user.message);
    const me = user.user;
    const p = await makeProduct(db, { slug: 'gallery-tee', variants: [makeVariant({ sku: 'GAL-1' })] });
    const png = (r: number) => sharp({ create: { width: 500, height: 625, channels: 3, background: { r, g: 100, b: 100 } } }).png().toBuffer();
    const cover = async () => (await db.select({ imagePath: products.imagePath }).from(products).where(eq(products.id, p.id)).get())!.imagePath;
    const gallery = () => db.select().from(productImages).where(eq(productImages.productId, p.id)).orderBy(productImages.position);

    expect(await addProductImageUpload(app, { user: me, productId: p.id, bytes: await png(10), alt: ' ' })).toMatchObject({ ok: false, reason: 'invalid', fieldErrors: { alt: expect.stringContaining('alt text') } });
    expect(await gallery()).toHaveLength(0);
    expect(await addProductImageUpload(app, { user: me, productId: p.id, bytes: new TextEncoder().encode('nope'), alt: 'x' })).toMatchObject({ ok: false, problem: 'unsupported' });
    expect((await addProductImageUpload(app, { user: me, productId: p.id, bytes: await png(10), alt: 'Front' })).ok).toBe(true);
    expect((await addProductImageUpload(app, { user: me, productId: p.id, bytes: await png(200), alt: 'Back' })).ok).toBe(true);
    let g = await gallery();
    expect(g.map((i) => [i.alt, i.position])).toEqual([['Front', 0], ['Back', 1]]);
    expect(await cover()).toContain(`/media/${g[0]!.mediaId}/`);

    const v0 = await getCatalogVersion(db);
    expect(await runProductImageAction(app, { user: me, productId: p.id, form: fd({ action: 'move', image: String(g[1]!.id), dir: 'up' }) })).toEqual({ ok: true, done: 'moved' });
    expect(await getCatalogVersion(db)).toBeGreaterThan(v0);
    g = await gallery();
    expect(g.map((i) => i.alt)).toEqual(['Back', 'Front']);
    expect(await cover()).toContain(`/media/${g[0]!.mediaId}/`);

    expect(await runProductImageAction(app, { user: me, productId: p.id, form: fd({ action: 'alt', image: String(g[0]!.id), alt: '' }) })).toMatchObject({ ok: false, reason: 'invalid' });
    expect(await runProductImageAction(app, { user: me, productId: p.id, form: fd({ action: 'alt', image: String(g[0]!.id), alt: 'Back, flat' }) })).toEqual({ ok: true, done: 'alt' });
    for (const img of g) expect((await runProductImageAction(app, { user: me, productId: p.id, form: fd({ action: 'remove', image: String(img.id) }) })).ok).toBe(true);
    expect(await gallery()).toHaveLength(0);
    expect(await cover()).toBe('/images/products/placeholder.svg');
    // Another product's image id is not this product's.
    expect(await runProductImageAction(app, { user: me, productId: p.id, form: fd({ action: 'remove', image: String(g[0]!.id) }) })).toMatchObject({ ok: false, reason: 'not_found' });
    expect(await runProductImageAction(app, { user: { id: me.id, role: 'creator' }, productId: p.id, form: fd({ action: 'remove', image: '1' }) })).toMatchObject({ ok: false, reason: 'not_allowed' });
  });
});

describe('colours', () => {
  it('a new size of an existing colour takes its swatch and picture', async () => {
    const app = testApp(db);
    const p = await makeProduct(db, { slug: 'swatch-tee', variants: [makeVariant({ sku: 'SW-NAVY-S', size: 'S', colour: 'Navy', colourHex: '#1f2a44', image: '/images/products/navy.svg' })] });
    const fields = await editForm(p.id, { sizes: 'S, M', v1_size: 'M', v1_colour: 'Navy', v1_sku: 'SW-NAVY-M', v1_price: '20.00', v1_stock: '1', v1_active: 'on' });
    expect((await saveProductForm(app, { user: admin, id: p.id, form: fd(fields) })).kind).toBe('done');
    expect(await db.select({ hex: variants.colourHex, image: variants.imagePath }).from(variants).where(eq(variants.sku, 'SW-NAVY-M')).get()).toEqual({ hex: '#1f2a44', image: '/images/products/navy.svg' });
    // The edit form shows the swatch; a new colour's swatch is typed after its name.
    expect(coloursFieldOf((await getAdminProduct(db, p.id))!.variants)).toBe('Navy #1f2a44');
    const sand = await editForm(p.id, { colours: 'Navy #1f2a44, Sand #d8c3a5', intent: 'grid' });
    const grid = await saveProductForm(app, { user: admin, id: p.id, form: fd(sand) });
    if (grid.kind !== 'form') throw new Error('expected the grid');
    const m: Record<string, string> = Object.fromEntries(Object.entries(sand).filter(([k]) => !k.startsWith('v')));
    m.intent = 'save';
    grid.rows.forEach((r, i) => Object.assign(m, { [`v${i}_id`]: r.id, [`v${i}_size`]: r.size, [`v${i}_colour`]: r.colour, [`v${i}_sku`]: r.sku || `SW-SAND-${r.size}`, [`v${i}_price`]: r.price || '20.00', [`v${i}_compareAt`]: r.compareAt, [`v${i}_stock`]: r.stock, [`v${i}_stockWas`]: r.stockWas, [`v${i}_active`]: 'on' }));
    expect((await saveProductForm(app, { user: admin, id: p.id, form: fd(m) })).kind).toBe('done');
    expect((await db.select({ hex: variants.colourHex }).from(variants).where(eq(variants.sku, 'SW-SAND-S')).get())!.hex).toBe('#d8c3a5');
  });
});

describe('brands and categories', () => {
  it('creates, refuses a duplicate name in words, renames, and merges (products move, the merged one is gone)', async () => {
    const app = testApp(db);
    expect(await runTaxonomyAction(app, { user: admin, form: fd({ action: 'create', kind: 'brand', name: 'Northwind' }) })).toEqual({ kind: 'done', flash: 'Brand Northwind added.' });
    const dup = await runTaxonomyAction(app, { user: admin, form: fd({ action: 'create', kind: 'brand', name: 'northwind' }) });
    expect(dup).toMatchObject({ kind: 'refused', refusal: { reason: 'taken', message: 'There is already a brand called Northwind: merge into it instead.' } });
    const north = (await listTaxonomy(db, 'brand')).find((b) => b.name === 'Northwind')!;
    expect((await runTaxonomyAction(app, { user: admin, form: fd({ action: 'rename', kind: 'brand', id: String(north.id), name: 'Northwind Co.' }) })).kind).toBe('done');

    await makeProduct(db, { slug: 'nw-cap', brand: 'northwind', variants: [makeVariant({ sku: 'NW-CAP' })] });
    const v0 = await getCatalogVersion(db);
    const merged = await runTaxonomyAction(app, { user: admin, form: fd({ action: 'merge', kind: 'brand', id: String(north.id), into: String(brandId) }) });
    expect(merged).toEqual({ kind: 'done', flash: 'Merged Northwind Co. into Atelier North: 1 product moved.' });
    expect(await getCatalogVersion(db)).toBeGreaterThan(v0);
    expect((await getProduct(db, 'nw-cap'))!.brand.slug).toBe('atelier-north');
    expect((await listTaxonomy(db, 'brand')).some((b) => b.id === north.id)).toBe(false);

    const self = await runTaxonomyAction(app, { user: admin, form: fd({ action: 'merge', kind: 'category', id: String(categoryId), into: String(categoryId) }) });
    expect(self).toMatchObject({ kind: 'refused', refusal: { message: 'Choose another category to merge into.' } });
  });
});
