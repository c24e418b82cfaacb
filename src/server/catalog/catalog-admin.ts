/**
 * Catalog writes (admin): price, compare-at, stock on hand (compare-and-set), active flags. Every write bumps the
 * catalog version in the same transaction, so cached pages showing the old value stop being served
 * at the commit (ADR 0003). Bad input → `{ ok: false }` and nothing is written.
 */
import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db.ts';
import { products, variants } from '../../../db/schema/index.ts';
import { bumpCatalogVersion } from './catalog-store.ts';
import { fieldErrorsFromZod, type FieldErrors } from '../shared/index.ts';

export const MAX_PRICE_CENTS = 10_000_000; // 100,000.00 in minor units
export const MAX_STOCK = 1_000_000;

const price = (label: string) =>
  z
    .number({ error: `${label} must be an amount of money.` })
    .int(`${label} must be a whole number of minor units.`)
    .min(0, `${label} cannot be negative.`)
    .max(MAX_PRICE_CENTS, `${label} is too high.`);

export const variantUpdateSchema = z
  .object({
    priceCents: price('The price').optional(),
    compareAtCents: price('The compare-at price').nullable().optional(),
    stockOnHand: z
      .number({ error: 'On hand must be a number of units.' })
      .int('On hand must be a whole number of units.')
      .min(0, 'On hand cannot be negative.')
      .max(MAX_STOCK, `On hand must be at most ${MAX_STOCK} units.`)
      .optional(),
    /**
     * Compare-and-set: the stock on hand the admin saw. The new number is written only if the
     * shelf still holds exactly this, checked inside the UPDATE itself, so a sale or refund between
     * reading the page and saving is never overwritten.
     */
    stockWas: z.number().int().min(0).optional(),
    active: z.boolean().optional(),
  })
  .strict();

export type VariantUpdate = z.infer<typeof variantUpdateSchema>;

export type UpdateResult =
  | { ok: true }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'invalid'; fieldErrors: FieldErrors }
  | { ok: false; reason: 'stock_changed'; stockOnHand: number };

export async function updateVariant(db: Db, sku: string, input: unknown): Promise<UpdateResult> {
  const parsed = variantUpdateSchema.safeParse(input);
  if (!parsed.success) return { ok: false, reason: 'invalid', fieldErrors: fieldErrorsFromZod(parsed.error) };
  const { stockWas, ...patch } = parsed.data;
  return db.transaction(async (tx): Promise<UpdateResult> => {
    const row = await tx.select({ id: variants.id, priceCents: variants.priceCents, stockOnHand: variants.stockOnHand }).from(variants).where(eq(variants.sku, sku)).get();
    if (!row) return { ok: false, reason: 'not_found' };
    const newPrice = patch.priceCents ?? row.priceCents;
    if (patch.compareAtCents != null && patch.compareAtCents <= newPrice) {
      return { ok: false, reason: 'invalid', fieldErrors: { compareAtCents: 'The compare-at price must be above the price (or empty for no sale).' } };
    }
    if (Object.keys(patch).length === 0) return { ok: true };
    const guard = patch.stockOnHand !== undefined && stockWas !== undefined ? and(eq(variants.id, row.id), eq(variants.stockOnHand, stockWas)) : eq(variants.id, row.id);
    const res = await tx.update(variants).set(patch).where(guard).returning({ id: variants.id });
    if (res.length === 0) {
      const now = await tx.select({ stockOnHand: variants.stockOnHand }).from(variants).where(eq(variants.id, row.id)).get();
      return { ok: false, reason: 'stock_changed', stockOnHand: now?.stockOnHand ?? row.stockOnHand };
    }
    await bumpCatalogVersion(tx);
    return { ok: true };
  });
}

export async function setProductActive(db: Db, slug: string, active: boolean): Promise<UpdateResult> {
  return db.transaction(async (tx) => {
    // An archived product is never switched back on here: unarchive it first (ADR 0043).
    const res = await tx.update(products).set({ active }).where(active ? and(eq(products.slug, slug), isNull(products.archivedAt)) : eq(products.slug, slug)).returning({ id: products.id });
    if (res.length === 0) return { ok: false, reason: 'not_found' } as const;
    await bumpCatalogVersion(tx);
    return { ok: true } as const;
  });
}
