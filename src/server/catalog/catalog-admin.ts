/**
 * Catalog writes (admin): price, compare-at, stock on hand, active flags. Every write bumps the
 * catalog version in the same transaction, so cached pages showing the old value stop being served
 * at the commit (ADR 0003). Bad input → `{ ok: false }` and nothing is written.
 */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db.ts';
import { products, variants } from '../../../db/schema/index.ts';
import { bumpCatalogVersion } from './catalog-store.ts';

const MAX_PRICE = 10_000_000; // 100,000.00 in minor units
const MAX_STOCK = 1_000_000;

export const variantUpdateSchema = z
  .object({
    priceCents: z.number().int().min(0).max(MAX_PRICE).optional(),
    compareAtCents: z.number().int().min(0).max(MAX_PRICE).nullable().optional(),
    stockOnHand: z.number().int().min(0).max(MAX_STOCK).optional(),
    active: z.boolean().optional(),
  })
  .strict();

export type VariantUpdate = z.infer<typeof variantUpdateSchema>;

export type UpdateResult = { ok: true } | { ok: false; reason: 'not_found' | 'invalid'; errors?: string[] };

export async function updateVariant(db: Db, sku: string, input: unknown): Promise<UpdateResult> {
  const parsed = variantUpdateSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, reason: 'invalid', errors: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) };
  }
  const patch = parsed.data;
  return db.transaction(async (tx) => {
    const row = await tx.select({ id: variants.id, priceCents: variants.priceCents }).from(variants).where(eq(variants.sku, sku)).get();
    if (!row) return { ok: false, reason: 'not_found' } as const;
    const price = patch.priceCents ?? row.priceCents;
    if (patch.compareAtCents != null && patch.compareAtCents <= price) {
      return { ok: false, reason: 'invalid', errors: ['compareAtCents: must be above the price (or empty for no sale)'] } as const;
    }
    if (Object.keys(patch).length === 0) return { ok: true } as const;
    await tx.update(variants).set(patch).where(eq(variants.id, row.id));
    await bumpCatalogVersion(tx);
    return { ok: true } as const;
  });
}

export async function setProductActive(db: Db, slug: string, active: boolean): Promise<UpdateResult> {
  return db.transaction(async (tx) => {
    const res = await tx.update(products).set({ active }).where(eq(products.slug, slug)).returning({ id: products.id });
    if (res.length === 0) return { ok: false, reason: 'not_found' } as const;
    await bumpCatalogVersion(tx);
    return { ok: true } as const;
  });
}
