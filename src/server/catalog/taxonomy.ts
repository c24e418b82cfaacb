/**
 * Brands and categories in the admin: list (with product counts), create, rename, merge. A merge
 * moves every product of one into the other, then deletes the merged one — in one transaction,
 * bumping the catalog version (cards and shop filters show brand and category names). A category's
 * commission rate moves with it when the one kept has none; when both have one, the merge is
 * refused (which rate applies is the admin's decision, at /admin/creators).
 */
import { asc, eq, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db.ts';
import { brands, categories, categoryCommissionRates, products } from '../../../db/schema/index.ts';
import { refuse, type Refusal } from '../shared/index.ts';
import { bumpCatalogVersion } from './catalog-store.ts';
import { slugFromTitle } from './product-input.ts';

export type TaxonomyKind = 'brand' | 'category';
export interface TaxonomyRow {
  id: number;
  slug: string;
  name: string;
  products: number;
}

export const MAX_TAXONOMY_NAME = 60;
const WORD: Record<TaxonomyKind, string> = { brand: 'brand', category: 'category' };
const table = (kind: TaxonomyKind) => (kind === 'brand' ? brands : categories);

export async function listTaxonomy(db: DbOrTx, kind: TaxonomyKind): Promise<TaxonomyRow[]> {
  const t = table(kind);
  // Table-qualified on purpose: in a select from one table Drizzle leaves column names bare, and a
  // bare "id" inside the subquery would mean the product's own id.
  const fk = sql.raw(kind === 'brand' ? 'p."brand_id"' : 'p."category_id"');
  const own = sql.raw(kind === 'brand' ? '"brands"."id"' : '"categories"."id"');
  return db
    .select({ id: t.id, slug: t.slug, name: t.name, products: sql<number>`(select count(*) from "products" p where ${fk} = ${own})` })
    .from(t)
    .orderBy(asc(t.name));
}

export type TaxonomyResult = { ok: true; row: { id: number; name: string } } | Refusal<'invalid' | 'taken' | 'not_found' | 'not_allowed'>;

function nameProblem(kind: TaxonomyKind, name: string): string | null {
  if (!name) return `Give the ${WORD[kind]} a name.`;
  if (name.length > MAX_TAXONOMY_NAME) return `A ${WORD[kind]} name can have at most ${MAX_TAXONOMY_NAME} characters.`;
  if (!slugFromTitle(name)) return 'Use at least two letters or digits in the name.';
  return null;
}

async function clash(db: DbOrTx, kind: TaxonomyKind, name: string, slug: string, self: number | null): Promise<string | null> {
  const t = table(kind);
  const rows = await db.select({ id: t.id, name: t.name, slug: t.slug }).from(t);
  const hit = rows.find((r) => r.id !== self && (r.slug === slug || r.name.toLowerCase() === name.toLowerCase()));
  return hit ? `There is already a ${WORD[kind]} called ${hit.name}${hit.name.toLowerCase() === name.toLowerCase() ? '' : ` (at the same address, /${hit.slug})`}: merge into it instead.` : null;
}

export async function createTaxonomy(db: Db, kind: TaxonomyKind, rawName: string): Promise<TaxonomyResult> {
  const name = rawName.trim().replace(/\s+/g, ' ');
  const p = nameProblem(kind, name);
  if (p) return refuse('invalid', p, { name: p });
  const slug = slugFromTitle(name);
  return db.transaction(async (tx) => {
    const c = await clash(tx, kind, name, slug, null);
    if (c) return refuse('taken', c, { name: c });
    const row = await tx.insert(table(kind)).values({ name, slug }).returning({ id: table(kind).id, name: table(kind).name }).get();
    return { ok: true as const, row };
  });
}

/** Renames (the address — the shop filter's slug — stays, so links keep working). */
export async function renameTaxonomy(db: Db, kind: TaxonomyKind, id: number, rawName: string): Promise<TaxonomyResult> {
  const name = rawName.trim().replace(/\s+/g, ' ');
  const p = nameProblem(kind, name);
  if (p) return refuse('invalid', p, { [`name_${id}`]: p });
  return db.transaction(async (tx) => {
    const t = table(kind);
    const current = await tx.select({ slug: t.slug }).from(t).where(eq(t.id, id)).get();
    if (!current) return refuse('not_found', `That ${WORD[kind]} no longer exists. Reload the page.`);
    const c = await clash(tx, kind, name, current.slug, id);
    if (c) return refuse('taken', c, { [`name_${id}`]: c });
    const row = await tx.update(t).set({ name }).where(eq(t.id, id)).returning({ id: t.id, name: t.name }).get();
    await bumpCatalogVersion(tx);
    return { ok: true as const, row: row! };
  });
}

/** Moves every product of `fromId` to `intoId`, then deletes `fromId`. */
export async function mergeTaxonomy(db: Db, kind: TaxonomyKind, fromId: number, intoId: number): Promise<TaxonomyResult & { moved?: number; fromName?: string }> {
  if (fromId === intoId) return refuse('invalid', `Choose another ${WORD[kind]} to merge into.`, { [`into_${fromId}`]: `Choose another ${WORD[kind]} to merge into.` });
  return db.transaction(async (tx) => {
    const t = table(kind);
    const from = await tx.select({ id: t.id, name: t.name }).from(t).where(eq(t.id, fromId)).get();
    const into = await tx.select({ id: t.id, name: t.name }).from(t).where(eq(t.id, intoId)).get();
    if (!from || !into) return refuse('not_found', `That ${WORD[kind]} no longer exists. Reload the page.`);
    if (kind === 'category') {
      const rates = await tx.select().from(categoryCommissionRates).where(sql`${categoryCommissionRates.categoryId} in (${fromId}, ${intoId})`);
      const fromRate = rates.find((r) => r.categoryId === fromId);
      const intoRate = rates.find((r) => r.categoryId === intoId);
      if (fromRate && intoRate && fromRate.rateBps !== intoRate.rateBps) {
        const msg = `${from.name} and ${into.name} have different commission rates (${fromRate.rateBps / 100}% and ${intoRate.rateBps / 100}%): remove one at Creators first, then merge.`;
        return refuse('not_allowed', msg, { [`into_${fromId}`]: msg });
      }
      if (fromRate) {
        await tx.delete(categoryCommissionRates).where(eq(categoryCommissionRates.categoryId, fromId));
        if (!intoRate) await tx.insert(categoryCommissionRates).values({ categoryId: intoId, rateBps: fromRate.rateBps });
      }
    }
    const fk = kind === 'brand' ? { brandId: intoId } : { categoryId: intoId };
    const moved = await tx.update(products).set(fk).where(kind === 'brand' ? eq(products.brandId, fromId) : eq(products.categoryId, fromId)).returning({ id: products.id });
    await tx.delete(t).where(eq(t.id, fromId));
    await bumpCatalogVersion(tx);
    return { ok: true as const, row: into, moved: moved.length, fromName: from.name };
  });
}
