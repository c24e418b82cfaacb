/**
 * Reads behind the admin's product form and the product page's extras (gallery, former slugs).
 * The form shows every variant, on sale or not, with the stock picture (on hand, held by live
 * reservations, available — docs/architecture.md, rule 2).
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db.ts';
import { brands, categories, orderLines, products, productSlugs, variants } from '../../../db/schema/index.ts';
import { availableSql } from './catalog-store.ts';
import { listProductImages, type GalleryImage } from './product-gallery.ts';
import { RETIRED_POSITION } from './product-write.ts';
import { formatMoneyInput } from './money-input.ts';
import { formatColourValues, type PostedRow } from './product-input.ts';

export interface AdminVariant {
  id: number;
  sku: string;
  size: string | null;
  colour: string | null;
  colourHex: string | null;
  priceCents: number;
  compareAtCents: number | null;
  stockOnHand: number;
  reserved: number;
  available: number;
  active: boolean;
  position: number;
  /** Left the grid in an earlier save: off sale, kept, shown apart from the grid. */
  retired: boolean;
}

export interface AdminProduct {
  id: number;
  slug: string;
  title: string;
  description: string;
  brandId: number;
  brandName: string;
  categoryId: number;
  categoryName: string;
  tags: string[];
  seoTitle: string | null;
  seoDescription: string | null;
  active: boolean;
  archivedAt: number | null;
  imagePath: string;
  variants: AdminVariant[];
  images: GalleryImage[];
  formerSlugs: string[];
  /** Order lines that sold it (a product with orders is archived, never deleted). */
  orderLineCount: number;
}

export async function getAdminProduct(db: DbOrTx, id: number, now = Date.now()): Promise<AdminProduct | null> {
  const p = await db
    .select({
      id: products.id,
      slug: products.slug,
      title: products.name,
      description: products.description,
      brandId: products.brandId,
      brandName: brands.name,
      categoryId: products.categoryId,
      categoryName: categories.name,
      tagsJson: products.tagsJson,
      seoTitle: products.seoTitle,
      seoDescription: products.seoDescription,
      active: products.active,
      archivedAt: products.archivedAt,
      imagePath: products.imagePath,
    })
    .from(products)
    .innerJoin(brands, eq(brands.id, products.brandId))
    .innerJoin(categories, eq(categories.id, products.categoryId))
    .where(eq(products.id, id))
    .get();
  if (!p) return null;
  const vs = await db
    .select({
      id: variants.id,
      sku: variants.sku,
      size: variants.size,
      colour: variants.colour,
      colourHex: variants.colourHex,
      priceCents: variants.priceCents,
      compareAtCents: variants.compareAtCents,
      stockOnHand: variants.stockOnHand,
      active: variants.active,
      position: variants.position,
      // Table-qualified (as in availableSql): in a select from `variants` alone Drizzle leaves
      // column names bare, and a bare "id" inside the subquery would be the reservation's own id.
      reserved: sql<number>`coalesce((select sum(r."qty") from "stock_reservations" r where r."variant_id" = "variants"."id" and r."status" = 'active' and r."expires_at" > ${now}), 0)`,
      available: availableSql(now),
    })
    .from(variants)
    .where(eq(variants.productId, id))
    .orderBy(asc(variants.position), asc(variants.id));
  const former = await db.select({ slug: productSlugs.slug }).from(productSlugs).where(eq(productSlugs.productId, id)).orderBy(asc(productSlugs.createdAt));
  const lines = await db.select({ n: sql<number>`count(*)` }).from(orderLines).innerJoin(variants, eq(variants.id, orderLines.variantId)).where(eq(variants.productId, id)).get();
  let tags: string[] = [];
  try {
    const parsed: unknown = JSON.parse(p.tagsJson);
    if (Array.isArray(parsed)) tags = parsed.filter((t): t is string => typeof t === 'string');
  } catch {
    tags = [];
  }
  const { tagsJson: _t, ...rest } = p;
  return {
    ...rest,
    tags,
    variants: vs.map((v) => ({ ...v, reserved: Number(v.reserved), available: Number(v.available), retired: !v.active && v.position >= RETIRED_POSITION })),
    images: await listProductImages(db, id),
    formerSlugs: former.map((f) => f.slug),
    orderLineCount: Number(lines?.n ?? 0),
  };
}

/**
 * The axes an existing product's grid spans, in first-seen order (variants switched off included,
 * so re-saving the form keeps them in the grid; variants that left the grid not).
 */
export function axesOf(vs: readonly Pick<AdminVariant, 'size' | 'colour' | 'retired'>[]): { sizes: string[]; colours: string[] } {
  const sizes: string[] = [];
  const colours: string[] = [];
  for (const v of vs) {
    if (v.retired) continue;
    if (v.size && !sizes.includes(v.size)) sizes.push(v.size);
    if (v.colour && !colours.includes(v.colour)) colours.push(v.colour);
  }
  return { sizes, colours };
}

/** The colours field of the edit form: each colour with its swatch ("Navy #1f2a44, Sand"). */
export function coloursFieldOf(vs: readonly Pick<AdminVariant, 'colour' | 'colourHex' | 'retired'>[]): string {
  const seen: { colour: string; colourHex: string | null }[] = [];
  for (const v of vs) if (!v.retired && v.colour && !seen.some((s) => s.colour === v.colour)) seen.push({ colour: v.colour, colourHex: v.colourHex });
  return formatColourValues(seen);
}

/** An existing product's variants as the form's rows (money as typed, stock seen). */
export function rowsOf(vs: readonly AdminVariant[], { fractionDigits = 2 }: { fractionDigits?: number } = {}): PostedRow[] {
  return vs.map((v) => ({
    id: String(v.id),
    size: v.size ?? '',
    colour: v.colour ?? '',
    sku: v.sku,
    price: formatMoneyInput(v.priceCents, { fractionDigits }),
    compareAt: v.compareAtCents === null ? '' : formatMoneyInput(v.compareAtCents, { fractionDigits }),
    stock: String(v.stockOnHand),
    stockWas: String(v.stockOnHand),
    active: v.active,
  }));
}

/** The current slug of a product that used to have `slug` (for a 301), or null. */
export async function currentSlugFor(db: DbOrTx, slug: string): Promise<string | null> {
  const row = await db
    .select({ slug: products.slug })
    .from(productSlugs)
    .innerJoin(products, eq(products.id, productSlugs.productId))
    .where(eq(productSlugs.slug, slug))
    .get();
  return row?.slug ?? null;
}

/** A product's gallery and archive state by slug, for the product page. */
export async function productExtras(db: DbOrTx, slug: string): Promise<{ id: number; archived: boolean; images: GalleryImage[]; seoTitle: string | null; seoDescription: string | null } | null> {
  const p = await db.select({ id: products.id, archivedAt: products.archivedAt, seoTitle: products.seoTitle, seoDescription: products.seoDescription }).from(products).where(and(eq(products.slug, slug))).get();
  if (!p) return null;
  return { id: p.id, archived: p.archivedAt !== null, images: await listProductImages(db, p.id), seoTitle: p.seoTitle, seoDescription: p.seoDescription };
}
