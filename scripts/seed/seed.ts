/**
 * Deterministic demo seed: catalog, creators, demo logins. Runs only on an empty database
 * (`seedIfEmpty`) so that `npm start` never overwrites a shop's real data.
 */
import { count, eq } from 'drizzle-orm';
import type { Db } from '../../src/server/db.ts';
import { hashPassword } from '../../src/server/auth/index.ts';
import { coupons, creators, cutOffers, groupOffers, products, users } from '../../db/schema/index.ts';
import { BRANDS, CATEGORIES, CREATORS, PRODUCTS } from './catalog-data.ts';
import { insertProduct, upsertBrand, upsertCategory } from '../../db/factories/factories.ts';
import { DEMO_ADMIN, DEMO_CREATOR_PASSWORD, DEMO_SHOP_COUPON, referralCodeFor } from './fixtures.ts';

const SEEDED_AT = Date.UTC(2026, 9, 1);

export async function seedDemo(db: Db): Promise<{ products: number; creators: number; users: number }> {
  const adminHash = await hashPassword(DEMO_ADMIN.password);
  const creatorHash = await hashPassword(DEMO_CREATOR_PASSWORD);
  await db.transaction(async (tx) => {
    for (const [i, c] of CATEGORIES.entries()) await upsertCategory(tx, c.slug, c.name, i);
    for (const b of BRANDS) await upsertBrand(tx, b.slug, b.name);
    for (const [i, p] of PRODUCTS.entries()) await insertProduct(tx, p, SEEDED_AT + i * 3_600_000);
    await tx.insert(users).values({ email: DEMO_ADMIN.email, passwordHash: adminHash, role: 'admin', createdAt: SEEDED_AT });
    await tx.insert(coupons).values(DEMO_SHOP_COUPON);
    // A help-cut to try (/products/canvas-market-tote, and its card in a post): friends cut $59 to $5 in 5 helps.
    const tote = await tx.select({ id: products.id }).from(products).where(eq(products.slug, 'canvas-market-tote')).get();
    if (tote) {
      await tx.insert(cutOffers).values({
        productId: tote.id,
        startPriceCents: 5900,
        floorPriceCents: 500,
        helpsNeeded: 5,
        durationMinutes: 24 * 60,
        setAsideUnits: 10,
        perReaderLaunches: 1,
        onTimeout: 'buy_at_reached',
        active: true,
        createdAt: SEEDED_AT,
        updatedAt: SEEDED_AT,
      });
    }
    // A group buy to try (/products/cashmere-scarf and its cards): 3 people at $99 instead of $129.
    const scarf = await tx.select({ id: products.id }).from(products).where(eq(products.slug, 'cashmere-scarf')).get();
    if (scarf) {
      await tx.insert(groupOffers).values({ productId: scarf.id, groupSize: 3, priceCents: 9900, durationMinutes: 24 * 60, perBuyerLimit: 1, maxUnits: null, active: true, createdAt: SEEDED_AT, updatedAt: SEEDED_AT });
    }
    for (const c of CREATORS) {
      const code = referralCodeFor(c.handle);
      const row = await tx
        .insert(creators)
        .values({ handle: c.handle, displayName: c.displayName, createdAt: SEEDED_AT, referralCode: code })
        .returning({ id: creators.id })
        .get();
      // Each creator's personal code: 15% off for their audience, credits them.
      await tx.insert(coupons).values({
        code: `${code}15`,
        kind: 'percent',
        percentOff: 15,
        perEmailLimit: 1,
        creatorId: row.id,
        createdAt: SEEDED_AT,
      });
      await tx
        .insert(users)
        .values({ email: c.email, passwordHash: creatorHash, role: 'creator', creatorId: row.id, createdAt: SEEDED_AT });
    }
  });
  return { products: PRODUCTS.length, creators: CREATORS.length, users: CREATORS.length + 1 };
}

export async function isEmpty(db: Db): Promise<boolean> {
  const row = await db.select({ n: count() }).from(products).get();
  return (row?.n ?? 0) === 0;
}
