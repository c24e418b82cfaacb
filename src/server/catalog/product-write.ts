/**
 * Product writes of the shop admin (docs/decisions/0043-product-admin.md): create, update, archive,
 * unarchive, and the gallery. Each is one transaction that bumps the catalog version, so a cached
 * page showing the old card stops being served at the commit (ADR 0003, 0015).
 *
 * Stable API (the CSV import calls these too):
 *   createProduct(db, input: ProductInput, { now? })            → { ok, product: { id, slug } } | Refusal
 *   updateProduct(db, id, input: ProductInput, { now? })        → { ok, product: { id, slug } } | Refusal
 *   archiveProduct(db, id, { now? }) / unarchiveProduct(db, id) → { ok, product } | Refusal
 * `input` is what parseProductForm (product-input.ts) returns; an importer builds the same shape.
 *
 * Rules kept here, where the database can be asked:
 * - A slug is unique across every product's current and former slugs; a SKU across all variants.
 *   A clash is refused naming the product that has it ("SKU TEE-M is already used by Organic
 *   Cotton Tee"), with the field's message.
 * - A changed slug keeps the old one in `product_slugs`, so /products/<old> redirects (301).
 * - Stock is compare-and-set: a variant's stock is written only when the admin changed it and only
 *   if the shelf still holds what they saw (`UPDATE … WHERE stock_on_hand = seen`). A sale in
 *   between refuses the whole save, saying what changed; nothing is written.
 * - Variants are never deleted (order lines and bags point at them): a row that left the grid is
 *   taken off sale. Products are never deleted either: archived (off the shop for good, kept for
 *   orders and posts). An archived product is never active, so the bag and checkout — which sell
 *   only active products — refuse it.
 */
import { and, asc, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db.ts';
import { brands, categories, productImages, products, productSlugs, variants } from '../../../db/schema/index.ts';
import { refuse, type FieldErrors, type Refusal } from '../shared/index.ts';
import { bumpCatalogVersion } from './catalog-store.ts';
import { variantName, type ProductInput, type VariantInput } from './product-input.ts';

/**
 * The position of a variant that left the grid (its size or colour was taken off the axes): off
 * sale, kept for its orders and bags, not shown in the grid again unless its combination comes back.
 */
export const RETIRED_POSITION = 1000;

/** Where a product without images points its card (public/images/products). */
export const PLACEHOLDER_IMAGE = '/images/products/placeholder.svg';

export type ProductWriteResult =
  | { ok: true; product: { id: number; slug: string } }
  | Refusal<'invalid' | 'taken' | 'not_found' | 'stock_changed' | 'not_allowed'>;

/** Thrown inside a transaction to roll it back with a refusal (never escapes this module). */
class Abort {
  constructor(readonly refusal: Refusal<'invalid' | 'taken' | 'not_found' | 'stock_changed' | 'not_allowed'>) {}
}

async function inTx<T extends { ok: true }>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T | Abort['refusal']> {
  try {
    return await db.transaction(fn);
  } catch (e) {
    if (e instanceof Abort) return e.refusal;
    throw e;
  }
}

const SAVE_FAILED = 'Nothing was saved: fix the highlighted fields.';

/** Brand and category exist; slug and SKUs are free (or this product's own). */
async function checkConflicts(tx: Tx, input: ProductInput, self: number | null): Promise<void> {
  const errors: FieldErrors = {};
  if (!(await tx.select({ id: brands.id }).from(brands).where(eq(brands.id, input.brandId)).get())) errors.brandId = 'That brand no longer exists: choose another.';
  if (!(await tx.select({ id: categories.id }).from(categories).where(eq(categories.id, input.categoryId)).get())) errors.categoryId = 'That category no longer exists: choose another.';

  const current = await tx
    .select({ id: products.id, name: products.name })
    .from(products)
    .where(self === null ? eq(products.slug, input.slug) : and(eq(products.slug, input.slug), ne(products.id, self)))
    .get();
  if (current) errors.slug = `The address /products/${input.slug} is already used by ${current.name}.`;
  else {
    const former = await tx
      .select({ name: products.name })
      .from(productSlugs)
      .innerJoin(products, eq(products.id, productSlugs.productId))
      .where(self === null ? eq(productSlugs.slug, input.slug) : and(eq(productSlugs.slug, input.slug), ne(productSlugs.productId, self)))
      .get();
    if (former) errors.slug = `The address /products/${input.slug} was ${former.name}'s and still redirects there: choose another.`;
  }

  const skus = input.variants.map((v) => v.sku);
  if (skus.length > 0) {
    const clashes = await tx
      .select({ id: variants.id, sku: variants.sku, productId: variants.productId, name: products.name })
      .from(variants)
      .innerJoin(products, eq(products.id, variants.productId))
      .where(inArray(sql`upper(${variants.sku})`, skus));
    for (const c of clashes) {
      const row = input.variants.find((v) => v.sku === c.sku.toUpperCase())!;
      const field = `v${gridIndex(input, row)}_sku`;
      if (self === null || c.productId !== self) {
        errors[field] = `SKU ${row.sku} is already used by ${c.name}.`;
        continue;
      }
      if (row.id === c.id) continue; // the variant keeps its SKU
      // Another variant of this product has it: fine when that one gets a new SKU in this save
      // (a swap), not when it keeps it or has left the grid (variants are kept, SKUs with them).
      const owner = input.variants.find((v) => v.id === c.id);
      if (!owner) errors[field] = `SKU ${row.sku} belongs to a variant of this product that is no longer sold (it keeps its SKU for its orders): choose another.`;
      else if (owner.sku === c.sku.toUpperCase()) errors[field] = `SKU ${row.sku} belongs to ${variantName(owner)} of this product.`;
    }
  }
  if (Object.keys(errors).length > 0) {
    const named = Object.values(errors).find((m) => m.includes('already used by') || m.includes('still redirects'));
    throw new Abort(refuse(named ? 'taken' : 'invalid', named ?? SAVE_FAILED, errors));
  }
}

/** The row number of a variant in the form's grid (the grid of the input's axes). */
export function gridIndex(input: Pick<ProductInput, 'sizes' | 'colours'>, v: Pick<VariantInput, 'size' | 'colour'>): number {
  const cs = input.colours.length > 0 ? input.colours : [null];
  const ss = input.sizes.length > 0 ? input.sizes : [null];
  const c = cs.findIndex((x) => (x ?? '').toLowerCase() === (v.colour ?? '').toLowerCase());
  const s = ss.findIndex((x) => (x ?? '').toLowerCase() === (v.size ?? '').toLowerCase());
  return c * ss.length + s;
}

function productValues(input: ProductInput) {
  return {
    slug: input.slug,
    name: input.title,
    brandId: input.brandId,
    categoryId: input.categoryId,
    description: input.description,
    active: input.active,
    seoTitle: input.seoTitle,
    seoDescription: input.seoDescription,
    tagsJson: JSON.stringify(input.tags),
  };
}

/**
 * Creates a product and its variants.
 * @example const r = await createProduct(db, parsed.value); if (r.ok) redirect(`/admin/products/${r.product.id}`)
 */
export async function createProduct(db: Db, input: ProductInput, { now = Date.now() }: { now?: number } = {}): Promise<ProductWriteResult> {
  if (input.variants.length === 0) return refuse('invalid', 'Give the product at least one variant with a SKU, a price and stock.', { variants: 'Give the product at least one variant with a SKU, a price and stock.' });
  return inTx(db, async (tx) => {
    await checkConflicts(tx, input, null);
    const row = await tx
      .insert(products)
      .values({ ...productValues(input), imagePath: PLACEHOLDER_IMAGE, createdAt: now, updatedAt: now })
      .returning({ id: products.id })
      .get();
    for (const [position, v] of input.variants.entries()) {
      await tx.insert(variants).values({ productId: row.id, ...variantValues(v), stockOnHand: v.stockOnHand, position });
    }
    await bumpCatalogVersion(tx);
    return { ok: true as const, product: { id: row.id, slug: input.slug } };
  });
}

function variantValues(v: VariantInput) {
  return { sku: v.sku, size: v.size, colour: v.colour, priceCents: v.priceCents, compareAtCents: v.compareAtCents, active: v.active, ...(v.colourHex !== undefined ? { colourHex: v.colourHex } : {}) };
}

/**
 * Saves the whole product form over product `id`: fields, slug (the old one kept as a redirect),
 * variants (new ones inserted, changed ones updated, stock compare-and-set, rows that left the grid
 * taken off sale).
 */
export async function updateProduct(db: Db, id: number, input: ProductInput, { now = Date.now() }: { now?: number } = {}): Promise<ProductWriteResult> {
  return inTx(db, async (tx) => {
    const current = await tx.select({ id: products.id, slug: products.slug, archivedAt: products.archivedAt }).from(products).where(eq(products.id, id)).get();
    if (!current) throw new Abort(refuse('not_found', 'That product no longer exists.'));
    if (current.archivedAt !== null && input.active) {
      throw new Abort(refuse('not_allowed', 'An archived product cannot be on sale: unarchive it first.', { active: 'An archived product cannot be on sale: unarchive it first.' }));
    }
    await checkConflicts(tx, input, id);
    const existing = await tx.select({ id: variants.id, sku: variants.sku, stockOnHand: variants.stockOnHand, colour: variants.colour, colourHex: variants.colourHex, imagePath: variants.imagePath }).from(variants).where(eq(variants.productId, id)).orderBy(asc(variants.position), asc(variants.id));
    for (const v of input.variants) {
      if (v.id !== null && !existing.some((e) => e.id === v.id)) throw new Abort(refuse('invalid', 'The form is out of date: reload the page and try again.', { variants: 'The form is out of date: reload the page and try again.' }));
    }

    if (input.slug !== current.slug) {
      // The old address keeps working: recorded as a former slug. Taking back one of this
      // product's own former slugs makes it current again.
      await tx.delete(productSlugs).where(and(eq(productSlugs.slug, input.slug), eq(productSlugs.productId, id)));
      await tx.insert(productSlugs).values({ slug: current.slug, productId: id, createdAt: now }).onConflictDoNothing();
    }
    await tx.update(products).set({ ...productValues(input), updatedAt: now }).where(eq(products.id, id));

    // SKUs may move between this product's variants in one save (rename S→M and M→S): clear the
    // ones being changed first, so the unique index never sees two rows with one SKU.
    const renamed = input.variants.filter((v) => v.id !== null && existing.find((e) => e.id === v.id)!.sku !== v.sku);
    for (const v of renamed) await tx.update(variants).set({ sku: `~${v.id}~${now}` }).where(eq(variants.id, v.id!));

    const stockErrors: FieldErrors = {};
    const messages: string[] = [];
    for (const [position, v] of input.variants.entries()) {
      if (v.id === null) {
        // A new size of a colour the product already has takes that colour's swatch and picture.
        const sameColour = v.colour === null ? undefined : existing.find((e) => e.colour?.toLowerCase() === v.colour!.toLowerCase());
        await tx.insert(variants).values({ productId: id, colourHex: sameColour?.colourHex ?? null, imagePath: sameColour?.imagePath ?? null, ...variantValues(v), stockOnHand: v.stockOnHand, position });
        continue;
      }
      await tx.update(variants).set({ ...variantValues(v), position }).where(eq(variants.id, v.id));
      const wantsStock = v.stockWas === null || v.stockOnHand !== v.stockWas;
      if (!wantsStock) continue;
      const guard = v.stockWas === null ? eq(variants.id, v.id) : and(eq(variants.id, v.id), eq(variants.stockOnHand, v.stockWas));
      const res = await tx.update(variants).set({ stockOnHand: v.stockOnHand }).where(guard).returning({ id: variants.id });
      if (res.length === 0) {
        const shelf = existing.find((e) => e.id === v.id)!.stockOnHand;
        const msg = stockChangedMessage(variantName(v), v.stockWas!, shelf);
        stockErrors[`v${gridIndex(input, v)}_stock`] = msg;
        messages.push(msg);
      }
    }
    if (messages.length > 0) throw new Abort(refuse('stock_changed', messages.length === 1 ? messages[0]! : `Stock changed while the page was open: ${messages.join(' ')}`, stockErrors));

    // Variants that left the grid: off sale, kept (order lines and bags point at them).
    const kept = new Set(input.variants.map((v) => v.id).filter((x) => x !== null));
    const gone = existing.filter((e) => !kept.has(e.id)).map((e) => e.id);
    if (gone.length > 0) await tx.update(variants).set({ active: false, position: RETIRED_POSITION }).where(inArray(variants.id, gone));

    await bumpCatalogVersion(tx);
    return { ok: true as const, product: { id, slug: input.slug } };
  });
}

/**
 * What the admin is told when a sale (or refund, or another edit) moved the shelf under them.
 * @example stockChangedMessage('M', 7, 5) // 'M: 2 sold since you opened this page: stock is now 5, not 7 — check and save again.'
 */
export function stockChangedMessage(name: string, saw: number, now: number): string {
  const what = now < saw ? `${saw - now} sold since you opened this page` : `${now - saw} added since you opened this page (a refund or another edit)`;
  return `${name === 'The product' ? '' : `${name}: `}${what}: stock is now ${now}, not ${saw} — check and save again.`.replace(/^./, (c) => c.toUpperCase());
}

/**
 * Archives a product: off the shop for good (cards say "no longer available", the bag and checkout
 * refuse it), kept because orders and posts point at it.
 */
export async function archiveProduct(db: Db, id: number, { now = Date.now() }: { now?: number } = {}): Promise<ProductWriteResult> {
  return inTx(db, async (tx) => {
    const row = await tx.update(products).set({ archivedAt: now, active: false, updatedAt: now }).where(and(eq(products.id, id), isNull(products.archivedAt))).returning({ id: products.id, slug: products.slug }).get();
    if (!row) {
      const exists = await tx.select({ id: products.id }).from(products).where(eq(products.id, id)).get();
      throw new Abort(exists ? refuse('not_allowed', 'This product is already archived.') : refuse('not_found', 'That product no longer exists.'));
    }
    await bumpCatalogVersion(tx);
    return { ok: true as const, product: row };
  });
}

/** Brings an archived product back as a draft: not on sale until the admin ticks "On sale". */
export async function unarchiveProduct(db: Db, id: number, { now = Date.now() }: { now?: number } = {}): Promise<ProductWriteResult> {
  return inTx(db, async (tx) => {
    const row = await tx.update(products).set({ archivedAt: null, updatedAt: now }).where(and(eq(products.id, id), sql`${products.archivedAt} is not null`)).returning({ id: products.id, slug: products.slug }).get();
    if (!row) {
      const exists = await tx.select({ id: products.id }).from(products).where(eq(products.id, id)).get();
      throw new Abort(exists ? refuse('not_allowed', 'This product is not archived.') : refuse('not_found', 'That product no longer exists.'));
    }
    await bumpCatalogVersion(tx);
    return { ok: true as const, product: row };
  });
}
