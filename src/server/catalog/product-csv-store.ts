/**
 * The product CSV's database side (docs/decisions/0044-product-csv.md): the catalog snapshot the
 * check runs against, the export's read, and the import — one transaction that creates or updates
 * products by handle and variants by SKU, writes only what differs, and bumps the catalog version
 * when anything changed (the render cache stays strict, ADR 0003).
 *
 * Stock is never blindly overwritten: a variant's on-hand number is written only when the file's
 * number differs from what the shelf held when the file was checked (`stockSeen`), and only if the
 * shelf still holds that (compare-and-set in the UPDATE). A sale in between aborts the whole import
 * with the SKU and the new number; nothing is written.
 *
 * The dry run is the same transaction, rolled back: what it reports is exactly what the import would
 * do.
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db.ts';
import { brands, categories, products, productSlugs, variants } from '../../../db/schema/index.ts';
import { refuse, type Refusal } from '../shared/index.ts';
import { bumpCatalogVersion } from './catalog-store.ts';
import type { CatalogSnapshot, ExportProduct, PlannedProduct } from './product-csv.ts';
import { PLACEHOLDER_IMAGE } from './product-write.ts';

export async function loadCatalogSnapshot(db: DbOrTx): Promise<CatalogSnapshot> {
  const [b, c, p, former, v] = await Promise.all([
    db.select({ id: brands.id, slug: brands.slug, name: brands.name }).from(brands),
    db.select({ id: categories.id, slug: categories.slug, name: categories.name }).from(categories),
    db.select({ id: products.id, slug: products.slug, name: products.name }).from(products),
    db.select({ slug: productSlugs.slug, id: products.id, name: products.name, current: products.slug }).from(productSlugs).innerJoin(products, eq(products.id, productSlugs.productId)),
    db
      .select({ id: variants.id, sku: variants.sku, productId: variants.productId, stockOnHand: variants.stockOnHand, productSlug: products.slug, productName: products.name })
      .from(variants)
      .innerJoin(products, eq(products.id, variants.productId)),
  ]);
  return {
    brands: b,
    categories: c,
    products: new Map(p.map((x) => [x.slug, { id: x.id, name: x.name }])),
    formerSlugs: new Map(former.filter((f) => f.slug !== f.current).map((f) => [f.slug, { id: f.id, name: f.name, slug: f.current }])),
    skus: new Map(v.map((x) => [x.sku.toUpperCase(), { id: x.id, productId: x.productId, productSlug: x.productSlug, productName: x.productName, stockOnHand: x.stockOnHand }])),
  };
}

const parseTagsJson = (json: string): string[] => {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((t): t is string => typeof t === 'string') : [];
  } catch {
    return [];
  }
};

/** Products (all of them, or those with `ids`) with their variants, for the export: two queries. */
export async function loadExportProducts(db: DbOrTx, ids?: readonly number[]): Promise<ExportProduct[]> {
  if (ids && ids.length === 0) return [];
  const where = ids ? inArray(products.id, [...ids]) : undefined;
  const rows = await db
    .select({
      id: products.id,
      slug: products.slug,
      name: products.name,
      brandSlug: brands.slug,
      categorySlug: categories.slug,
      tagsJson: products.tagsJson,
      description: products.description,
      seoTitle: products.seoTitle,
      seoDescription: products.seoDescription,
      active: products.active,
      archivedAt: products.archivedAt,
    })
    .from(products)
    .innerJoin(brands, eq(brands.id, products.brandId))
    .innerJoin(categories, eq(categories.id, products.categoryId))
    .where(where)
    .orderBy(asc(products.slug));
  const vrows = await db
    .select()
    .from(variants)
    .where(ids ? inArray(variants.productId, [...ids]) : undefined)
    .orderBy(asc(variants.productId), asc(variants.position), asc(variants.id));
  const byProduct = new Map<number, ExportProduct['variants']>();
  for (const v of vrows) {
    const list = byProduct.get(v.productId) ?? [];
    list.push({ sku: v.sku, size: v.size, colour: v.colour, priceCents: v.priceCents, compareAtCents: v.compareAtCents, stockOnHand: v.stockOnHand, active: v.active });
    byProduct.set(v.productId, list);
  }
  return rows.map((r) => ({
    slug: r.slug,
    name: r.name,
    brandSlug: r.brandSlug,
    categorySlug: r.categorySlug,
    tags: parseTagsJson(r.tagsJson),
    description: r.description,
    seoTitle: r.seoTitle,
    seoDescription: r.seoDescription,
    active: r.active,
    archived: r.archivedAt !== null,
    variants: byProduct.get(r.id) ?? [],
  }));
}

export interface ImportOutcome {
  created: number;
  updated: number;
  unchanged: number;
  variantsCreated: number;
  variantsUpdated: number;
  /** Stock numbers the import changes, in people's words ("TEE-S: on hand 4 → 10"). */
  stockChanges: string[];
}

export type ImportResult = ({ ok: true } & ImportOutcome) | Refusal<'conflict'>;

/** Rows per IN (…) list (well under SQLite's bound-parameter limit). */
const CHUNK = 500;

class StockMoved extends Error {
  constructor(
    readonly sku: string,
    readonly was: number,
    readonly now: number,
  ) {
    super('stock moved');
  }
}
class DryRun extends Error {
  constructor(readonly outcome: ImportOutcome) {
    super('dry run');
  }
}


/**
 * Applies a checked plan in one transaction (or, with `dryRun`, works it out and rolls it back).
 * Writes only fields that differ; `updated_at` is set on products it changes; the catalog version is
 * bumped once when anything changed.
 */
export async function applyProductImport(db: Db, plan: readonly PlannedProduct[], { now = Date.now(), dryRun = false }: { now?: number; dryRun?: boolean } = {}): Promise<ImportResult> {
  try {
    const outcome = await db.transaction(async (tx) => {
      const o: ImportOutcome = { created: 0, updated: 0, unchanged: 0, variantsCreated: 0, variantsUpdated: 0, stockChanges: [] };
      // The file's products and their variants as they are now, read in a few queries (a shop of
      // 5,000 products is compared in memory; only what differs is written).
      const bySlug = new Map<string, typeof products.$inferSelect>();
      const slugs = plan.map((p) => p.slug);
      for (let i = 0; i < slugs.length; i += CHUNK) for (const r of await tx.select().from(products).where(inArray(products.slug, slugs.slice(i, i + CHUNK)))) bySlug.set(r.slug, r);
      const ids = [...bySlug.values()].map((r) => r.id);
      const variantById = new Map<number, typeof variants.$inferSelect>();
      const lastPosition = new Map<number, number>();
      for (let i = 0; i < ids.length; i += CHUNK) {
        for (const v of await tx.select().from(variants).where(inArray(variants.productId, ids.slice(i, i + CHUNK)))) {
          variantById.set(v.id, v);
          lastPosition.set(v.productId, Math.max(lastPosition.get(v.productId) ?? -1, v.position));
        }
      }
      for (const p of plan) {
        const tagsJson = JSON.stringify(p.tags);
        let productId: number;
        let touched = false;
        const current = bySlug.get(p.slug);
        if (!current) {
          const archived = p.archived ?? false;
          const row = await tx
            .insert(products)
            .values({
              slug: p.slug,
              name: p.title,
              brandId: p.brandId,
              categoryId: p.categoryId,
              description: p.description,
              imagePath: PLACEHOLDER_IMAGE,
              active: archived ? false : (p.active ?? true),
              createdAt: now,
              archivedAt: archived ? now : null,
              seoTitle: p.seoTitle,
              seoDescription: p.seoDescription,
              tagsJson,
            })
            .returning({ id: products.id })
            .get();
          productId = row.id;
          o.created++;
        } else {
          productId = current.id;
          const set: Partial<typeof products.$inferInsert> = {};
          if (current.name !== p.title) set.name = p.title;
          if (current.brandId !== p.brandId) set.brandId = p.brandId;
          if (current.categoryId !== p.categoryId) set.categoryId = p.categoryId;
          if (current.description !== p.description) set.description = p.description;
          if (current.seoTitle !== p.seoTitle) set.seoTitle = p.seoTitle;
          if (current.seoDescription !== p.seoDescription) set.seoDescription = p.seoDescription;
          if (JSON.stringify(parseTagsJson(current.tagsJson)) !== tagsJson) set.tagsJson = tagsJson;
          if (p.archived === true && current.archivedAt === null) set.archivedAt = now;
          if (p.archived === false && current.archivedAt !== null) set.archivedAt = null;
          const willBeArchived = set.archivedAt !== undefined ? set.archivedAt !== null : current.archivedAt !== null;
          const active = willBeArchived ? false : (p.active ?? current.active);
          if (active !== current.active) set.active = active;
          if (Object.keys(set).length) {
            await tx.update(products).set({ ...set, updatedAt: now }).where(eq(products.id, productId));
            touched = true;
          }
        }

        let position = lastPosition.get(productId) ?? -1;
        for (const v of p.variants) {
          const found = v.existing ? variantById.get(v.existing.id) : undefined;
          const cur = found && found.productId === productId ? found : undefined;
          if (!cur) {
            await tx.insert(variants).values({
              productId,
              sku: v.sku,
              size: v.size,
              colour: v.colour,
              priceCents: v.priceCents,
              compareAtCents: v.compareAtCents,
              stockOnHand: v.stockOnHand,
              position: ++position,
              active: v.active,
            });
            o.variantsCreated++;
            touched = true;
            continue;
          }
          const set: Partial<typeof variants.$inferInsert> = {};
          if (cur.size !== v.size) set.size = v.size;
          if (cur.colour !== v.colour) set.colour = v.colour;
          if (cur.priceCents !== v.priceCents) set.priceCents = v.priceCents;
          if (cur.compareAtCents !== v.compareAtCents) set.compareAtCents = v.compareAtCents;
          if (cur.active !== v.active) set.active = v.active;
          const seen = v.existing!.stockSeen;
          const stockChange = v.stockOnHand !== seen;
          if (stockChange) set.stockOnHand = v.stockOnHand;
          if (Object.keys(set).length === 0) continue;
          // Compare-and-set: the shelf must still hold what it held when the file was checked.
          const res = await tx
            .update(variants)
            .set(set)
            .where(stockChange ? and(eq(variants.id, cur.id), eq(variants.stockOnHand, seen)) : eq(variants.id, cur.id))
            .returning({ id: variants.id });
          if (res.length === 0) throw new StockMoved(v.sku, seen, cur.stockOnHand);
          if (stockChange) o.stockChanges.push(`${v.sku}: on hand ${seen} → ${v.stockOnHand}`);
          o.variantsUpdated++;
          touched = true;
        }
        if (current && touched) {
          o.updated++;
          await tx.update(products).set({ updatedAt: now }).where(eq(products.id, productId));
        } else if (current) o.unchanged++;
      }
      if (o.created || o.updated) await bumpCatalogVersion(tx);
      if (dryRun) throw new DryRun(o);
      return o;
    });
    return { ok: true, ...outcome };
  } catch (e) {
    if (e instanceof DryRun) return { ok: true, ...e.outcome };
    if (e instanceof StockMoved) {
      return refuse('conflict', `On hand of ${e.sku} changed from ${e.was} to ${e.now} since the file was checked (a sale, refund or another edit). Nothing was imported: check the file again.`);
    }
    if (String((e as Error)?.message ?? '').includes('UNIQUE constraint failed')) {
      return refuse('conflict', 'A product or SKU in the file was added by someone else since the file was checked. Nothing was imported: check the file again.');
    }
    throw e;
  }
}
