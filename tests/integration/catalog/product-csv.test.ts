import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Db } from '../../../src/server/db.ts';
import { createTestDb } from '../../helpers/db.ts';
import { testApp } from '../../helpers/app.ts';
import { makeProduct, makeVariant, upsertCategory } from '../../../db/factories/factories.ts';
import { products, variants } from '../../../db/schema/index.ts';
import { CSV_COLUMNS, getCatalogVersion } from '../../../src/server/catalog/index.ts';
import { checkProductCsv, exportProductsCsv as exportResult, importMessage, packCheckedCsv, unpackCheckedCsv, importProductCsv, type App } from '../../../src/server/flows/index.ts';

let db: Db;
let app: App;
const NOW = Date.UTC(2026, 5, 1);
const HEADER = CSV_COLUMNS.join(',');
const none = new URLSearchParams('');
const exportProductsCsv = async (...args: Parameters<typeof exportResult>) => {
  const r = await exportResult(...args);
  if (!r.ok) throw new Error(r.message);
  return r;
};
const snapshot = async () => ({
  products: await db.select().from(products).orderBy(products.id),
  variants: await db.select().from(variants).orderBy(variants.id),
});

beforeAll(async () => {
  db = await createTestDb();
  app = testApp(db);
  await upsertCategory(db, 'outerwear', 'Outerwear');
  await makeProduct(db, {
    slug: 'wool-coat',
    name: 'Wool coat, "the" classic',
    brand: 'north',
    category: 'outerwear',
    description: 'Warm.\n\nSecond paragraph, with a comma.',
    variants: [makeVariant({ sku: 'COAT-S', size: 'S', colour: 'Camel', priceCents: 30000, compareAtCents: 40000, stock: 5 }), makeVariant({ sku: 'COAT-M', size: 'M', colour: 'Camel', priceCents: 30000, stock: 2, active: false })],
  });
  await makeProduct(db, { slug: 'linen-shirt', name: 'Linen shirt', brand: 'acme', category: 'tops', variants: [makeVariant({ sku: 'LS-S', size: 'S', priceCents: 4500, stock: 10 })] });
  await db.update(products).set({ tagsJson: JSON.stringify(['winter', 'wool']), seoTitle: 'Wool coat', seoDescription: null }).where(eq(products.slug, 'wool-coat'));
  await makeProduct(db, { slug: 'old-tote', name: 'Old tote', brand: 'north', category: 'tops', active: false, variants: [makeVariant({ sku: 'TOTE', priceCents: 2000, stock: 1 })] });
  await db.update(products).set({ archivedAt: Date.UTC(2026, 1, 1) }).where(eq(products.slug, 'old-tote'));
});

describe('export', () => {
  it('writes one row per variant, product columns repeated, money in shop units, every product', async () => {
    const { body, filename } = await exportProductsCsv(app, none, NOW);
    expect(filename).toBe('products-2026-06-01.csv');
    const lines = body.split('\r\n');
    expect(lines[0]).toBe(HEADER);
    expect(body).toContain('linen-shirt,Linen shirt,acme,tops,,A product made by the test factory.,,,yes,no,LS-S,S,,45.00,,10,yes');
    expect(body).toContain('"Wool coat, ""the"" classic",north,outerwear,"winter, wool","Warm.\n\nSecond paragraph, with a comma.",Wool coat,,yes,no,COAT-S,S,Camel,300.00,400.00,5,yes');
    expect(body).toContain(',COAT-M,M,Camel,300.00,,2,no');
    expect(body).toContain('old-tote,Old tote,north,tops,,A product made by the test factory.,,,no,yes,TOTE,M,,20.00,,1,yes');
    expect(body).not.toMatch(/30000|4500\b/);
  });
  it('refuses a bad filter in words instead of exporting something else', async () => {
    expect(await exportResult(app, new URLSearchParams('stock=lots'), NOW)).toMatchObject({ ok: false, reason: 'invalid', message: expect.stringMatching(/^Stock must be/) });
  });
  it('exports the filtered list only when filtered', async () => {
    const { body, filename } = await exportProductsCsv(app, new URLSearchParams('brand=acme'), NOW);
    expect(filename).toBe('products-2026-06-01-filtered.csv');
    expect(body.trim().split('\r\n')).toHaveLength(2);
  });
});

describe('round-trip', () => {
  it('exporting then importing the same file changes nothing (no write, no catalog bump)', async () => {
    const { body } = await exportProductsCsv(app, none, NOW);
    const before = await snapshot();
    const version = await getCatalogVersion(db);
    const check = await checkProductCsv(app, body, NOW);
    expect(check.kind).toBe('clean');
    if (check.kind !== 'clean') return;
    expect(check.summary).toEqual({ products: 3, newProducts: 0, variants: 4, newVariants: 0 });
    expect(check.outcome).toEqual({ created: 0, updated: 0, unchanged: 3, variantsCreated: 0, variantsUpdated: 0, stockChanges: [] });
    const r = await importProductCsv(app, { csv: check.csv, seen: check.seen }, NOW + 1000);
    expect(r.ok && importMessage(r)).toBe('Nothing to change: the shop already matches the file.');
    expect(await snapshot()).toEqual(before);
    expect(await getCatalogVersion(db)).toBe(version);
    expect((await exportProductsCsv(app, none, NOW)).body).toBe(body);
  });
});

describe('dry run', () => {
  it('lists every bad row (line, column, why), duplicates named, and imports nothing', async () => {
    const before = await snapshot();
    const version = await getCatalogVersion(db);
    const csv = [
      HEADER,
      'new-bag,,nobody,shoes,,,,,yes,no,BAG-1,,,12.5.0,,3,yes',
      'new-bag,,,,,,,,,,BAG-1,,,12.00,,3,yes',
      'thief,Thief,acme,tops,,,,,yes,no,COAT-S,,,10.00,,1,yes',
      'linen-shirt,Linen shirt,acme,tops,,,,,yes,no,LS-M,M,,ten,,x,maybe',
    ].join('\n');
    const r = await checkProductCsv(app, csv, NOW);
    expect(r.kind).toBe('problems');
    if (r.kind !== 'problems') return;
    const got = r.problems.map((p) => [p.line, p.column, p.message]);
    expect(got).toEqual(
      expect.arrayContaining([
        [2, 'title', 'Missing title.'],
        [2, 'brand', expect.stringMatching(/^Unknown brand “nobody”/)],
        [2, 'category', expect.stringMatching(/^Unknown category “shoes”/)],
        [2, 'price', expect.stringMatching(/^Price “12.5.0”/)],
        [3, 'sku', 'The SKU BAG-1 is already on line 2: each variant has its own SKU.'],
        [4, 'sku', 'The SKU COAT-S belongs to another product, Wool coat, "the" classic (wool-coat).'],
        [5, 'price', expect.stringMatching(/^Price “ten”/)],
        [5, 'stock', '“x” is not a whole number of units (0 or more).'],
        [5, 'variant_active', '“maybe” is not yes or no.'],
      ]),
    );
    expect(r.total).toBe(r.problems.length);
    expect(r.problems.map((p) => p.line)).toEqual([...r.problems.map((p) => p.line)].sort((a, b) => a - b));
    // The import refuses the same file too, and writes nothing.
    const imp = await importProductCsv(app, { csv, seen: '{}' }, NOW);
    expect(imp).toMatchObject({ ok: false, refusal: { reason: 'invalid' } });
    expect(await snapshot()).toEqual(before);
    expect(await getCatalogVersion(db)).toBe(version);
  });
});

describe('the checked file in the confirm form', () => {
  it('packs small and unpacks exactly; junk or a too-large file unpacks to nothing', async () => {
    const { body } = await exportProductsCsv(app, none, NOW);
    const packed = packCheckedCsv(body);
    expect(packed.length).toBeLessThan(body.length);
    expect(unpackCheckedCsv(packed)).toBe(body);
    expect(unpackCheckedCsv('not base64 gzip')).toBeNull();
    expect(unpackCheckedCsv(packCheckedCsv('x'.repeat(11 * 1024 * 1024)))).toBeNull();
  });
});

describe('dry run with a broken row', () => {
  it('still checks the other rows, so one run lists every problem in line order', async () => {
    const csv = [HEADER, 'a-bag,A bag,acme,tops,,,,,yes,no,AB-1,,,12.00,,3,yes,extra', 'b-bag,B bag,acme,tops,,,,,yes,no,AB-2,,,1.2.3,,3,yes'].join('\n');
    const r = await checkProductCsv(app, csv, NOW);
    expect(r.kind === 'problems' && r.problems.map((p) => [p.line, p.column])).toEqual([
      [2, null],
      [3, 'price'],
    ]);
  });
});

describe('import', () => {
  it('creates and updates by handle and SKU in one transaction, says what it did, bumps the catalog once', async () => {
    const { body } = await exportProductsCsv(app, new URLSearchParams('brand=acme'), NOW);
    const edited = [
      body.trim().replace(',LS-S,S,,45.00,,10,yes', ',LS-S,S,,42.00,50.00,12,yes'),
      'linen-shirt,,,,,,,,,,ls-m,M,,42.00,,4,yes',
      'rain-mac,Rain mac,North,Outerwear,"rain, city","Keeps you **dry**.",,,yes,no,MAC-S,S,Navy,120.00,,3,yes',
      'rain-mac,Rain mac,north,outerwear,,,,,,,MAC-M,M,Navy,120.00,,0,no',
    ].join('\r\n');
    const version = await getCatalogVersion(db);
    const check = await checkProductCsv(app, edited, NOW);
    expect(check.kind === 'problems' ? check.problems : []).toEqual([]);
    if (check.kind !== 'clean') return;
    expect(check.summary).toEqual({ products: 2, newProducts: 1, variants: 4, newVariants: 3 });
    expect(check.outcome.stockChanges).toEqual(['LS-S: on hand 10 → 12']);
    expect(await getCatalogVersion(db)).toBe(version); // the dry run wrote nothing
    expect(await db.select().from(products).where(eq(products.slug, 'rain-mac')).get()).toBeUndefined();

    const r = await importProductCsv(app, { csv: check.csv, seen: check.seen }, NOW);
    expect(r.ok && importMessage(r)).toBe('Imported 2 products (1 new, 1 updated) and 4 variants (3 new, 1 updated).');
    expect(await getCatalogVersion(db)).toBe(version + 1);
    const mac = (await db.select().from(products).where(eq(products.slug, 'rain-mac')).get())!;
    expect(mac).toMatchObject({ name: 'Rain mac', tagsJson: '["rain","city"]', description: 'Keeps you **dry**.', active: true, archivedAt: null, createdAt: NOW });
    const macVariants = await db.select().from(variants).where(eq(variants.productId, mac.id)).orderBy(variants.position);
    expect(macVariants.map((v) => [v.sku, v.size, v.colour, v.priceCents, v.stockOnHand, v.active])).toEqual([
      ['MAC-S', 'S', 'Navy', 12000, 3, true],
      ['MAC-M', 'M', 'Navy', 12000, 0, false],
    ]);
    expect(await db.select().from(variants).where(eq(variants.sku, 'LS-S')).get()).toMatchObject({ priceCents: 4200, compareAtCents: 5000, stockOnHand: 12 });
    expect(await db.select().from(variants).where(eq(variants.sku, 'LS-M')).get()).toMatchObject({ size: 'M', stockOnHand: 4 });
    expect((await db.select().from(products).where(eq(products.slug, 'linen-shirt')).get())!.updatedAt).toBe(NOW);
  });

  it('a sale between the check and the import is never overwritten: nothing is imported', async () => {
    const { body } = await exportProductsCsv(app, new URLSearchParams('q=coat'), NOW);
    const edited = body.replace(',COAT-S,S,Camel,300.00,400.00,5,yes', ',COAT-S,S,Camel,280.00,400.00,20,yes');
    const check = await checkProductCsv(app, edited, NOW);
    expect(check.kind).toBe('clean');
    if (check.kind !== 'clean') return;
    await db.update(variants).set({ stockOnHand: 4 }).where(eq(variants.sku, 'COAT-S')); // a sale
    const before = await snapshot();
    const r = await importProductCsv(app, { csv: check.csv, seen: check.seen }, NOW);
    expect(r).toMatchObject({ ok: false, refusal: { reason: 'conflict', message: expect.stringMatching(/On hand of COAT-S changed from 5 to 4 since the check/) } });
    expect(await snapshot()).toEqual(before);
  });

  it('archives and unarchives through the archived column (an archived product is never active)', async () => {
    const { body } = await exportProductsCsv(app, new URLSearchParams('brand=acme'), NOW);
    const archived = body.replaceAll(',yes,no,L', ',no,yes,L');
    const c1 = await checkProductCsv(app, archived, NOW);
    expect(c1.kind).toBe('clean');
    if (c1.kind !== 'clean') return;
    expect((await importProductCsv(app, { csv: c1.csv, seen: c1.seen }, NOW)).ok).toBe(true);
    expect(await db.select().from(products).where(eq(products.slug, 'linen-shirt')).get()).toMatchObject({ active: false, archivedAt: NOW });
    const bad = await checkProductCsv(app, archived.replaceAll(',no,yes,L', ',yes,yes,L'), NOW);
    expect(bad).toMatchObject({ kind: 'problems', problems: [expect.objectContaining({ column: 'active', message: expect.stringMatching(/archived product cannot be active/) })] });
  });
});
