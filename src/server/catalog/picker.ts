/**
 * The studio's product picker: what a creator can put in a post's ProductCard or ShopTheLook.
 * A search over active products that have at least one active variant (anything else would render
 * as "no longer available" in the post), matched against the product, brand and category names
 * and the variants' SKUs, with live availability (on hand − live reservations, rule 2 of
 * docs/architecture.md, through `getProductsBySlug`) and the reader's price summary.
 *
 * `parsePickerQuery` and `pickerJson` are pure; `searchPickerProducts` reads the database.
 */
import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db.ts';
import { brands, categories, products } from '../../../db/schema/index.ts';
import { refuse, type Result } from '../shared/index.ts';
import { priceSummary, totalAvailable, variantLabel, type PriceSummary, type ProductView } from './catalog.ts';
import { getProductsBySlug } from './catalog-store.ts';

/** Most characters a search may have (a name or a SKU is far shorter). */
export const PICKER_MAX_QUERY = 80;
/** Most products one search answers with (one screen of the picker). */
export const PICKER_LIMIT = 24;

/** The same shape as the shop's category slugs (shop-query.ts). */
const CATEGORY = /^[a-z0-9-]{1,60}$/;
/** A product slug and a variant SKU as a post may name them (the studio compiler's patterns). */
const PRODUCT_SLUG = /^[a-z0-9][a-z0-9-]{0,80}$/;
const SKU = /^[A-Z0-9][A-Z0-9-]{0,40}$/i;

export interface PickerQuery {
  /** Trimmed; empty lists the newest products. */
  q: string;
  /** A category slug, or null for every category. */
  category: string | null;
}

/**
 * The picker's query string, checked: `q` (at most 80 characters) and an optional `category` slug.
 * @example parsePickerQuery(new URLSearchParams('q=linen&category=tops')) // { ok: true, query: { q: 'linen', category: 'tops' } }
 */
export function parsePickerQuery(params: URLSearchParams): Result<{ query: PickerQuery }, 'invalid'> {
  const q = (params.get('q') ?? '').replace(/\s+/g, ' ').trim();
  if (q.length > PICKER_MAX_QUERY) {
    return refuse('invalid', `Search with at most ${PICKER_MAX_QUERY} characters — a product name, brand, category or code.`, { q: `At most ${PICKER_MAX_QUERY} characters.` });
  }
  const raw = (params.get('category') ?? '').trim();
  if (raw !== '' && !CATEGORY.test(raw)) {
    return refuse('invalid', 'That category is not one of the shop’s — choose one from the list.', { category: 'Choose a category from the list.' });
  }
  return { ok: true, query: { q, category: raw === '' ? null : raw } };
}

/**
 * The card preview's parameters (`/studio/api/card-preview`): a product slug and an optional SKU.
 * @example parseCardPreviewQuery(new URLSearchParams('product=linen-shirt&variant=LIN-M')) // { ok: true, product: 'linen-shirt', variant: 'LIN-M' }
 */
export function parseCardPreviewQuery(params: URLSearchParams): Result<{ product: string; variant: string | undefined }, 'invalid'> {
  const product = (params.get('product') ?? '').trim();
  const variant = (params.get('variant') ?? '').trim();
  if (!PRODUCT_SLUG.test(product)) return refuse('invalid', 'Choose a product to preview.');
  if (variant !== '' && !SKU.test(variant)) return refuse('invalid', 'That size or colour is not one of this product’s — choose another.');
  return { ok: true, product, variant: variant === '' ? undefined : variant };
}

export interface PickerVariant {
  sku: string;
  /** "Sand / M", "M" or "One size". */
  label: string;
  priceCents: number;
  /** Units a reader can buy now. */
  available: number;
}

export interface PickerProduct {
  slug: string;
  name: string;
  brand: { slug: string; name: string };
  category: { slug: string; name: string };
  imagePath: string;
  /** Units a reader can buy now, over every active variant. */
  available: number;
  /** What the card's price line shows ("from" when variants differ). */
  price: PriceSummary;
  /** Active variants, in the card's display order. */
  variants: PickerVariant[];
}

export interface PickerResult {
  products: PickerProduct[];
  /** Categories that have an active product, in the shop's order (the picker's filter). */
  categories: { slug: string; name: string }[];
}

/** `%`, `_` and the escape character itself match literally inside a LIKE pattern. */
const likeContains = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Active products matching `q` (case-insensitively: SQLite folds ASCII letters only) in the
 * product's name, its brand's or category's name, or one of its active SKUs; best matches first
 * (a SKU typed exactly, then names that start with the words, then the rest by name). An empty
 * `q` lists the newest products, as the shop does.
 * @example await searchPickerProducts(db, { q: 'linen', category: null }) // { products: [...], categories: [...] }
 */
export async function searchPickerProducts(
  db: Db,
  { q, category, limit = PICKER_LIMIT, now = Date.now() }: { q: string; category: string | null; limit?: number; now?: number },
): Promise<PickerResult> {
  const take = Math.max(1, Math.min(PICKER_LIMIT, Math.floor(limit)));
  const text = q.trim().toLowerCase();
  const hasVariant = sql`exists (select 1 from "variants" v where v."product_id" = ${products.id} and v."active" = 1)`;
  const where: SQL[] = [eq(products.active, true), hasVariant];
  if (category !== null) where.push(eq(categories.slug, category));

  let order: SQL[];
  if (text === '') {
    order = [sql`${products.createdAt} desc`, sql`${products.id} desc`];
  } else {
    const like = likeContains(text);
    const skuMatch = (pattern: string) =>
      sql`exists (select 1 from "variants" v where v."product_id" = ${products.id} and v."active" = 1 and lower(v."sku") like ${pattern} escape '\\')`;
    where.push(
      sql`(lower(${products.name}) like ${like} escape '\\' or lower(${brands.name}) like ${like} escape '\\' or lower(${categories.name}) like ${like} escape '\\' or ${skuMatch(like)})`,
    );
    const exactSku = sql`exists (select 1 from "variants" v where v."product_id" = ${products.id} and v."active" = 1 and lower(v."sku") = ${text})`;
    const prefix = `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    order = [
      sql`case when ${exactSku} then 0 when lower(${products.name}) like ${prefix} escape '\\' then 1 when lower(${products.name}) like ${like} escape '\\' then 2 else 3 end`,
      asc(products.name),
      asc(products.id),
    ];
  }

  const [rows, cats] = await Promise.all([
    db
      .select({ slug: products.slug })
      .from(products)
      .innerJoin(brands, eq(brands.id, products.brandId))
      .innerJoin(categories, eq(categories.id, products.categoryId))
      .where(and(...where))
      .orderBy(...order)
      .limit(take),
    db
      .selectDistinct({ slug: categories.slug, name: categories.name, position: categories.position })
      .from(categories)
      .innerJoin(products, and(eq(products.categoryId, categories.id), eq(products.active, true), hasVariant))
      .orderBy(asc(categories.position), asc(categories.name)),
  ]);

  const views = await getProductsBySlug(db, rows.map((r) => r.slug), now);
  const found: PickerProduct[] = [];
  for (const { slug } of rows) {
    const view = views.get(slug);
    const picked = view ? pickerProduct(view) : undefined;
    if (picked) found.push(picked);
  }
  return { products: found, categories: cats.map(({ slug, name }) => ({ slug, name })) };
}

/** A product as the picker shows it, or undefined when a reader could not be shown it. */
function pickerProduct(p: ProductView): PickerProduct | undefined {
  const price = priceSummary(p.variants);
  if (!p.active || price === null) return undefined;
  return {
    slug: p.slug,
    name: p.name,
    brand: p.brand,
    category: p.category,
    imagePath: p.imagePath,
    available: totalAvailable(p.variants),
    price,
    variants: p.variants.map((v) => ({ sku: v.sku, label: variantLabel(v), priceCents: v.priceCents, available: Math.max(0, v.available) })),
  };
}

/** The JSON the studio's picker reads (`/studio/api/products`). */
export interface PickerJson {
  products: {
    slug: string;
    name: string;
    brand: string;
    category: string;
    priceLabel: string;
    image: { src: string; alt: string } | null;
    available: boolean;
    variants: { sku: string; label: string; priceLabel: string; available: boolean }[];
  }[];
  categories: { slug: string; name: string }[];
}

/**
 * The picker's answer with prices in the shop's money format (`money` is the page's formatter).
 * @example pickerJson(result, money).products[0].priceLabel // 'From $49.00'
 */
export function pickerJson(result: PickerResult, money: (minor: number) => string): PickerJson {
  return {
    products: result.products.map((p) => ({
      slug: p.slug,
      name: p.name,
      brand: p.brand.name,
      category: p.category.name,
      priceLabel: `${p.price.varies ? 'From ' : ''}${money(p.price.fromCents)}`,
      image: p.imagePath ? { src: p.imagePath, alt: p.name } : null,
      available: p.available > 0,
      variants: p.variants.map((v) => ({ sku: v.sku, label: v.label, priceLabel: money(v.priceCents), available: v.available > 0 })),
    })),
    categories: result.categories,
  };
}
