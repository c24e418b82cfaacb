/**
 * Catalog reads and the catalog version counter. One query loads every product a page shows
 * (one query per page for all the cards on it, however many there are).
 */
import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db.ts';
import { brands, cacheVersions, categories, cutOffers, groupOffers, orderLines, products, productSlugs, stockReservations, variants } from '../../../db/schema/index.ts';
import type { ProductView } from './catalog.ts';
import type { ShopQuery } from './shop-query.ts';
import { loadSales, openPresale, openPresaleSql, priceProduct } from '../sales/index.ts';
import { SHOP_PAGE_SIZE } from './shop-query.ts';

/**
 * Units a reader can buy now: on hand − live reservations (docs/architecture.md, rule 2). A reservation is
 * live while it is 'active' and not expired, so expiry needs no sweeper. Every read (cards,
 * product page, shop filters, checkout) uses this one expression.
 */
export function availableSql(now: number): SQL<number> {
  // Table-qualified on purpose: in a select from `variants` alone Drizzle leaves column names bare,
  // and a bare "id" inside the subquery would mean the reservation's own id.
  return sql<number>`max("variants"."stock_on_hand" - coalesce((select sum(r."qty") from "stock_reservations" r where r."variant_id" = "variants"."id" and r."status" = 'active' and r."expires_at" > ${now}), 0), 0)`;
}

/**
 * The earliest moment a live reservation lapses (freeing stock without any write), or +∞.
 * Cached pages must not outlive it (ADR 0003).
 */
export async function nextReservationExpiry(db: Db, now = Date.now()): Promise<number> {
  const row = await db
    .select({ at: sql<number | null>`min(${stockReservations.expiresAt})` })
    .from(stockReservations)
    .where(and(eq(stockReservations.status, 'active'), sql`${stockReservations.expiresAt} > ${now}`))
    .get();
  return row?.at ?? Number.POSITIVE_INFINITY;
}

/**
 * Loads products by slug with their active variants and live availability, in one query.
 * Unknown slugs are simply absent from the map (the caller shows "no longer available").
 */
export async function getProductsBySlug(db: Db, slugs: readonly string[], now = Date.now()): Promise<Map<string, ProductView>> {
  const out = await loadProductsBySlug(db, slugs, now);
  // A card may name a product by a slug it had before (ADR 0043): it shows the product under its
  // current slug (one more query, only when some slug was not found).
  const missing = [...new Set(slugs)].filter((s) => !out.has(s));
  if (missing.length > 0) {
    const moved = await db
      .select({ former: productSlugs.slug, current: products.slug })
      .from(productSlugs)
      .innerJoin(products, eq(products.id, productSlugs.productId))
      .where(inArray(productSlugs.slug, missing));
    if (moved.length > 0) {
      const found = await loadProductsBySlug(db, moved.map((m) => m.current), now);
      for (const m of moved) {
        const p = found.get(m.current);
        if (p) out.set(m.former, p);
      }
    }
  }
  return out;
}

async function loadProductsBySlug(db: Db, slugs: readonly string[], now: number): Promise<Map<string, ProductView>> {
  const unique = [...new Set(slugs)];
  const out = new Map<string, ProductView>();
  if (unique.length === 0) return out;
  const rows = await db
    .select({
      id: products.id,
      slug: products.slug,
      name: products.name,
      description: products.description,
      imagePath: products.imagePath,
      active: products.active,
      brandSlug: brands.slug,
      brandName: brands.name,
      categorySlug: categories.slug,
      categoryName: categories.name,
      variantId: variants.id,
      sku: variants.sku,
      size: variants.size,
      colour: variants.colour,
      colourHex: variants.colourHex,
      variantImage: variants.imagePath,
      priceCents: variants.priceCents,
      compareAtCents: variants.compareAtCents,
      available: availableSql(now),
    })
    .from(products)
    .innerJoin(brands, eq(brands.id, products.brandId))
    .innerJoin(categories, eq(categories.id, products.categoryId))
    .leftJoin(variants, and(eq(variants.productId, products.id), eq(variants.active, true)))
    .where(inArray(products.slug, unique))
    .orderBy(asc(products.id), asc(variants.position), asc(variants.id));
  for (const r of rows) {
    let p = out.get(r.slug);
    if (!p) {
      p = {
        id: r.id,
        slug: r.slug,
        name: r.name,
        description: r.description,
        imagePath: r.imagePath,
        active: r.active,
        brand: { slug: r.brandSlug, name: r.brandName },
        category: { slug: r.categorySlug, name: r.categoryName },
        variants: [],
        priceValidUntil: null,
        sale: null,
        presale: null,
      };
      out.set(r.slug, p);
    }
    if (r.variantId !== null && r.sku !== null && r.priceCents !== null) {
      p.variants.push({
        id: r.variantId,
        sku: r.sku,
        size: r.size,
        colour: r.colour,
        colourHex: r.colourHex,
        imagePath: r.variantImage,
        priceCents: r.priceCents,
        compareAtCents: r.compareAtCents,
        available: Number(r.available ?? 0),
      });
    }
  }
  await attachSocial(db, [...out.values()]);
  await attachSales(db, [...out.values()], now);
  return out;
}

/**
 * Flash sales, markdowns and presale (src/server/sales): each variant's price becomes the price at
 * `now`, and the product learns its sale, presale and the moment that next changes — four small
 * queries for all the products of a page, whatever their number.
 */
async function attachSales(db: Db, list: ProductView[], now: number): Promise<void> {
  if (list.length === 0) return;
  const sales = await loadSales(db, list.map((p) => p.id), now);
  for (const p of list) {
    const priced = priceProduct(p.variants, sales.get(p.id), now);
    for (const v of p.variants) {
      const pv = priced.variants.get(v.id);
      if (pv) {
        v.priceCents = pv.priceCents;
        v.compareAtCents = pv.compareAtCents;
      }
    }
    p.sale = priced.sale;
    p.presale = priced.presale;
    // While a presale is open every size sells from its cap, not from stock (ADR 0055).
    const open = openPresale(sales.get(p.id), now);
    if (open) {
      for (const v of p.variants) v.available = open.unitsLeft;
      // Group buys and help-cuts hold real stock, which a product on pre-order does not have yet.
      delete p.social;
    }
    p.priceValidUntil = priced.validUntil;
  }
}

/**
 * The live group-buy and help-cut offers of these products (two small indexed queries). Saving an
 * offer bumps the catalog version, so cached cards follow (src/server/social).
 */
async function attachSocial(db: Db, list: ProductView[]): Promise<void> {
  if (list.length === 0) return;
  const ids = list.map((p) => p.id);
  const [cuts, groups] = await Promise.all([
    db
      .select({ productId: cutOffers.productId, startPriceCents: cutOffers.startPriceCents, floorPriceCents: cutOffers.floorPriceCents, helpsNeeded: cutOffers.helpsNeeded, variantId: cutOffers.variantId })
      .from(cutOffers)
      .where(and(inArray(cutOffers.productId, ids), eq(cutOffers.active, true))),
    db
      .select({ productId: groupOffers.productId, priceCents: groupOffers.priceCents, groupSize: groupOffers.groupSize, variantId: groupOffers.variantId })
      .from(groupOffers)
      .where(and(inArray(groupOffers.productId, ids), eq(groupOffers.active, true))),
  ]);
  for (const p of list) {
    const cut = cuts.find((c) => c.productId === p.id);
    const group = groups.find((g) => g.productId === p.id);
    p.social = {
      cut: cut ? { startPriceCents: cut.startPriceCents, floorPriceCents: cut.floorPriceCents, helpsNeeded: cut.helpsNeeded, variantId: cut.variantId } : null,
      group: group ? { priceCents: group.priceCents, groupSize: group.groupSize, variantId: group.variantId } : null,
    };
  }
}

export async function getProduct(db: Db, slug: string, now = Date.now()): Promise<ProductView | undefined> {
  return (await getProductsBySlug(db, [slug], now)).get(slug);
}

export interface ShopPage {
  products: ProductView[];
  total: number;
  page: number;
  pageCount: number;
}

/**
 * The /shop listing: filters apply to active products through their active variants
 * (a size filter matches a product that has that size; with "in stock" that size must be available).
 */
export async function listShop(db: Db, q: ShopQuery, now = Date.now()): Promise<ShopPage> {
  const avail = availableSql(now);
  const variantFilters: SQL[] = [sql`${variants.active} = 1`];
  if (q.sizes.length) variantFilters.push(inArray(variants.size, q.sizes));
  // A product on pre-order with units left is buyable, whatever its stock (ADR 0055).
  if (q.inStockOnly) variantFilters.push(sql`(${avail} > 0 or ${openPresaleSql('"variants"."product_id"', now)})`);
  // The lowest live scheduled price of a variant (src/server/sales), so price filters, price sorts
  // and "on sale" see flash sales and markdowns. A flash sale whose units are gone still counts
  // here until it ends (the card itself shows the price it will charge).
  const liveSale = sql<number | null>`(select min(s."price_cents") from "price_schedules" s where s."product_id" = "variants"."product_id" and (s."variant_id" is null or s."variant_id" = "variants"."id") and s."canceled_at" is null and s."starts_at" <= ${now} and s."ends_at" > ${now})`;
  const pv = db
    .select({
      productId: variants.productId,
      minPrice: sql<number>`min(min(${variants.priceCents}, coalesce(${liveSale}, ${variants.priceCents})))`.as('min_price'),
      onSale: sql<number>`max(case when ${variants.compareAtCents} > ${variants.priceCents} or ${liveSale} < ${variants.priceCents} then 1 else 0 end)`.as('on_sale'),
      available: sql<number>`sum(${avail})`.as('available_units'),
    })
    .from(variants)
    .where(and(...variantFilters))
    .groupBy(variants.productId)
    .as('pv');

  const where: SQL[] = [eq(products.active, true)];
  if (q.categories.length) where.push(inArray(categories.slug, q.categories));
  if (q.brands.length) where.push(inArray(brands.slug, q.brands));
  if (q.minCents !== undefined) where.push(sql`${pv.minPrice} >= ${q.minCents}`);
  if (q.maxCents !== undefined) where.push(sql`${pv.minPrice} <= ${q.maxCents}`);

  const order = {
    new: [sql`${products.createdAt} desc`, sql`${products.id} desc`],
    'price-asc': [sql`${pv.minPrice} asc`, sql`${products.id} asc`],
    'price-desc': [sql`${pv.minPrice} desc`, sql`${products.id} asc`],
    sale: [sql`${pv.onSale} desc`, sql`${products.createdAt} desc`, sql`${products.id} desc`],
  }[q.sort];

  const rows = await db
    .select({ slug: products.slug, total: sql<number>`count(*) over ()` })
    .from(products)
    .innerJoin(pv, eq(pv.productId, products.id))
    .innerJoin(brands, eq(brands.id, products.brandId))
    .innerJoin(categories, eq(categories.id, products.categoryId))
    .where(and(...where))
    .orderBy(...order)
    .limit(SHOP_PAGE_SIZE)
    .offset((q.page - 1) * SHOP_PAGE_SIZE);

  let total = rows[0]?.total ?? 0;
  if (rows.length === 0 && q.page > 1) {
    // Past the last page: count without paging so the page can say how many pages there are.
    const c = await db
      .select({ n: sql<number>`count(*)` })
      .from(products)
      .innerJoin(pv, eq(pv.productId, products.id))
      .innerJoin(brands, eq(brands.id, products.brandId))
      .innerJoin(categories, eq(categories.id, products.categoryId))
      .where(and(...where))
      .get();
    total = c?.n ?? 0;
  }
  const views = await getProductsBySlug(db, rows.map((r) => r.slug), now);
  return {
    products: rows.map((r) => views.get(r.slug)).filter((p): p is ProductView => p !== undefined),
    total,
    page: q.page,
    pageCount: Math.max(1, Math.ceil(total / SHOP_PAGE_SIZE)),
  };
}

export interface ShopFacets {
  categories: { slug: string; name: string; count: number }[];
  brands: { slug: string; name: string; count: number }[];
  sizes: string[];
}

/** Filter choices for /shop (counts of active products). */
export async function getShopFacets(db: Db): Promise<ShopFacets> {
  const [cats, brs, sizes] = await Promise.all([
    db
      .select({ slug: categories.slug, name: categories.name, count: sql<number>`count(${products.id})` })
      .from(categories)
      .leftJoin(products, and(eq(products.categoryId, categories.id), eq(products.active, true)))
      .groupBy(categories.id)
      .orderBy(asc(categories.position), asc(categories.name)),
    db
      .select({ slug: brands.slug, name: brands.name, count: sql<number>`count(${products.id})` })
      .from(brands)
      .leftJoin(products, and(eq(products.brandId, brands.id), eq(products.active, true)))
      .groupBy(brands.id)
      .orderBy(asc(brands.name)),
    db
      .selectDistinct({ size: variants.size })
      .from(variants)
      .innerJoin(products, eq(products.id, variants.productId))
      .where(and(eq(variants.active, true), eq(products.active, true), sql`${variants.size} is not null`)),
  ]);
  return {
    categories: cats.filter((c) => c.count > 0),
    brands: brs.filter((b) => b.count > 0),
    sizes: sortSizes(sizes.map((s) => s.size).filter((s): s is string => s !== null)),
  };
}

const SIZE_ORDER = ['XXS', 'XS', 'S', 'M', 'L', 'XL', 'XXL', 'One size'];
/** Letter sizes in wearing order, then numeric sizes ascending, then anything else alphabetically. */
export function sortSizes(sizes: string[]): string[] {
  const rank = (s: string) => {
    const i = SIZE_ORDER.indexOf(s);
    if (i >= 0) return [0, i, s] as const;
    const n = Number.parseFloat(s);
    return Number.isFinite(n) ? ([1, n, s] as const) : ([2, 0, s] as const);
  };
  return [...new Set(sizes)].sort((a, b) => {
    const [ga, na, sa] = rank(a);
    const [gb, nb, sb] = rank(b);
    return ga - gb || na - nb || sa.localeCompare(sb);
  });
}

/** All product slugs with their active flag (content:check, sitemap). */
export async function listProductSlugs(db: Db): Promise<{ slug: string; active: boolean }[]> {
  return db.select({ slug: products.slug, active: products.active }).from(products).orderBy(asc(products.slug));
}

const CATALOG = 'catalog';

/** The version a cached page was rendered at; compared on every cache hit (ADR 0003). */
export async function getCatalogVersion(db: Db): Promise<number> {
  const row = await db.select({ v: cacheVersions.version }).from(cacheVersions).where(eq(cacheVersions.key, CATALOG)).get();
  return row?.v ?? 0;
}

/**
 * The version the render cache keys pages on: every key's version summed (the catalog's, and the
 * content's bumped by studio publishes — src/server/content/studio-store.ts). Each only grows, so
 * the sum changes whenever either does.
 */
export async function getRenderVersion(db: Db): Promise<number> {
  const row = await db.select({ v: sql<number>`coalesce(sum(${cacheVersions.version}), 0)` }).from(cacheVersions).get();
  return Number(row?.v ?? 0);
}

/**
 * Call in the same transaction as any write that changes what a card shows (price, stock,
 * reservation, active flag), so cached pages are never staler than the write.
 */
export async function bumpCatalogVersion(db: DbOrTx): Promise<void> {
  await db
    .insert(cacheVersions)
    .values({ key: CATALOG, version: 1 })
    .onConflictDoUpdate({ target: cacheVersions.key, set: { version: sql`${cacheVersions.version} + 1` } });
}

/**
 * Every product with its active flag and count of active variants (content:check) — under its
 * current slug and each former one, since a card naming a former slug still shows it (ADR 0043).
 */
export async function listCatalogEntries(db: Db): Promise<{ slug: string; active: boolean; variants: number }[]> {
  const current = await db
    .select({
      id: products.id,
      slug: products.slug,
      active: products.active,
      variants: sql<number>`count(${variants.id})`,
    })
    .from(products)
    .leftJoin(variants, and(eq(variants.productId, products.id), eq(variants.active, true)))
    .groupBy(products.id)
    .orderBy(asc(products.slug));
  const former = await db.select({ slug: productSlugs.slug, productId: productSlugs.productId }).from(productSlugs);
  const byId = new Map(current.map((c) => [c.id, c]));
  const entries = [
    ...current.map(({ slug, active, variants: n }) => ({ slug, active, variants: n })),
    ...former.flatMap((f) => {
      const c = byId.get(f.productId);
      return c ? [{ slug: f.slug, active: c.active, variants: c.variants }] : [];
    }),
  ];
  return entries.sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
}

/**
 * Trending: products by units sold (paid, not refunded) since `since`, best first. The home page
 * fills the strip with these, then with the pieces creators feature most.
 */
export async function bestSellingSlugs(db: Db, since: number, limit = 12): Promise<{ slug: string; units: number }[]> {
  const rows = await db
    .select({ slug: orderLines.productSlug, units: sql<number>`sum(${orderLines.qty} - ${orderLines.refundedQty})` })
    .from(orderLines)
    .where(sql`${orderLines.paidAt} >= ${since}`)
    .groupBy(orderLines.productSlug)
    .having(sql`sum(${orderLines.qty} - ${orderLines.refundedQty}) > 0`)
    .orderBy(sql`2 desc`, asc(orderLines.productSlug))
    .limit(limit);
  return rows.map((r) => ({ slug: r.slug, units: Number(r.units) }));
}
