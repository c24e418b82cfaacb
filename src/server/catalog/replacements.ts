/**
 * Replacement suggestions for a card whose product can no longer be bought (or changed price):
 * active products with an active variant a reader can buy now, never the product itself
 * (docs/decisions/0042-content-health.md).
 *
 * Order: the same brand in the same category first, then the same category from other brands,
 * then — only to fill the list — the same brand in another category; within each, the closest
 * price (of a variant in stock) to the card's price first. One query per product asked about
 * (the database ranks and cuts to the top 3), then one query loads every suggestion's card data.
 */
import { and, asc, eq, notInArray, or, sql } from 'drizzle-orm';
import type { Db } from '../db.ts';
import { brands, categories, products, variants } from '../../../db/schema/index.ts';
import type { ProductView } from './catalog.ts';
import { availableSql, getProductsBySlug } from './catalog-store.ts';

/** The product to replace: its slug, brand and category, and the price the card should be near. */
export interface ReplacementTarget {
  slug: string;
  brandSlug: string;
  categorySlug: string;
  priceCents: number;
}

export interface Replacement {
  product: ProductView;
  sameBrand: boolean;
  sameCategory: boolean;
  /** The in-stock price closest to the target's. */
  priceCents: number;
}

export const REPLACEMENT_LIMIT = 3;

/**
 * Up to `limit` in-stock replacements for each target, keyed by the target's slug. `exclude`:
 * products never suggested (the post's other cards, say).
 * @example await findReplacements(db, [{ slug: 'linen-shirt', brandSlug: 'tide', categorySlug: 'tops', priceCents: 4200 }])
 */
export async function findReplacements(
  db: Db,
  targets: readonly ReplacementTarget[],
  { exclude = [], limit = REPLACEMENT_LIMIT, now = Date.now() }: { exclude?: readonly string[]; limit?: number; now?: number } = {},
): Promise<Map<string, Replacement[]>> {
  const unique = [...new Map(targets.map((t) => [t.slug, t])).values()];
  const ranked = new Map<string, { slug: string; sameBrand: boolean; sameCategory: boolean; target: number }[]>();
  for (const t of unique) {
    const sameBrand = sql<number>`(${brands.slug} = ${t.brandSlug})`;
    const sameCategory = sql<number>`(${categories.slug} = ${t.categorySlug})`;
    const distance = sql<number>`min(abs(${variants.priceCents} - ${t.priceCents}))`;
    const rows = await db
      .select({
        slug: products.slug,
        sameBrand,
        sameCategory,
        distance,
      })
      .from(products)
      .innerJoin(brands, eq(brands.id, products.brandId))
      .innerJoin(categories, eq(categories.id, products.categoryId))
      .innerJoin(variants, and(eq(variants.productId, products.id), eq(variants.active, true), sql`${availableSql(now)} > 0`))
      .where(and(eq(products.active, true), notInArray(products.slug, [t.slug, ...exclude]), or(eq(brands.slug, t.brandSlug), eq(categories.slug, t.categorySlug))))
      .groupBy(products.id)
      .orderBy(sql`case when ${sameCategory} and ${sameBrand} then 0 when ${sameCategory} then 1 else 2 end`, asc(distance), asc(products.id))
      .limit(limit);
    ranked.set(
      t.slug,
      rows.map((r) => ({ slug: r.slug, sameBrand: Boolean(r.sameBrand), sameCategory: Boolean(r.sameCategory), target: t.priceCents })),
    );
  }
  const views = await getProductsBySlug(db, [...ranked.values()].flatMap((rs) => rs.map((r) => r.slug)), now);
  const out = new Map<string, Replacement[]>();
  for (const [slug, rs] of ranked) {
    out.set(
      slug,
      rs.flatMap((r) => {
        const product = views.get(r.slug);
        const price = nearestInStockPrice(product, r.target);
        return product && price !== undefined ? [{ product, sameBrand: r.sameBrand, sameCategory: r.sameCategory, priceCents: price }] : [];
      }),
    );
  }
  return out;
}

/** The in-stock price nearest `target` (ties: the lower). */
function nearestInStockPrice(product: ProductView | undefined, target: number): number | undefined {
  let best: number | undefined;
  for (const v of product?.variants ?? []) {
    if (v.available <= 0) continue;
    const d = Math.abs(v.priceCents - target);
    if (best === undefined || d < Math.abs(best - target) || (d === Math.abs(best - target) && v.priceCents < best)) best = v.priceCents;
  }
  return best;
}
