/**
 * The demo seed's buyer shows: only paid, not refunded orders of readers are shipped, delivered and
 * reviewed, through the same workflows as the admin and the review form; every review is approved
 * and tied to the delivered line it is about.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, inArray } from 'drizzle-orm';
import type { Db } from '../../../src/server/db.ts';
import { createTestDb } from '../../helpers/db.ts';
import { testApp } from '../../helpers/app.ts';
import { buy } from '../../helpers/buy.ts';
import { makeCreator, makeProduct, makeVariant } from '../../../db/factories/factories.ts';
import { orderLines, reviews, shipments, users } from '../../../db/schema/index.ts';
import { refundOrderByShop, type App } from '../../../src/server/flows/index.ts';
import { seedDemoReviews } from '../../../scripts/seed/demo-reviews.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 1);
let db: Db;
let app: App;

beforeAll(async () => {
  db = await createTestDb();
  app = testApp(db);
  await makeCreator(db, { handle: 'maya', displayName: 'Maya' });
});
afterAll(() => db.$client.close());

describe('seedDemoReviews', () => {
  it('reviews delivered, paid orders of readers only — refunded orders and creators buying their own picks are left alone', async () => {
    await makeProduct(db, { slug: 'demo-coat', name: 'Demo Coat', variants: [makeVariant({ sku: 'DEMO-COAT', priceCents: 9000, stock: 50 })] });
    const made: number[] = [];
    for (let i = 0; i < 4; i++) made.push((await buy(app, [{ sku: 'DEMO-COAT', qty: 1, creator: 'maya' }], { email: `reader${i}@example.com`, at: NOW - (40 - i) * DAY })).orderId);
    await buy(app, [{ sku: 'DEMO-COAT', qty: 1 }], { email: 'maya@lookbook.test', at: NOW - 30 * DAY });
    await refundOrderByShop(app, { orderId: made[1]!, actor: 'admin:a@example.com', now: NOW - 35 * DAY, request: 'all', restock: true });

    expect(await seedDemoReviews(app, NOW)).toEqual({ reviews: 3 });
    const rows = await db.select({ r: reviews, email: users.email }).from(reviews).innerJoin(users, eq(users.id, reviews.userId));
    expect(rows.map((x) => x.email).sort()).toEqual(['reader0@example.com', 'reader2@example.com', 'reader3@example.com']);
    expect(rows.every((x) => x.r.status === 'approved' && x.r.sourcePost === 'maya-look')).toBe(true);
    expect(rows.some((x) => x.r.rating <= 2)).toBe(false); // the first three sayings; the low one is the fourth
    const lines = await db.select().from(orderLines).where(inArray(orderLines.id, rows.map((x) => x.r.orderLineId)));
    const parcels = await db.select().from(shipments).where(inArray(shipments.orderId, lines.map((l) => l.orderId)));
    expect(parcels).toHaveLength(3);
    expect(parcels.every((p) => p.deliveredAt !== null && p.deliveredAt <= NOW)).toBe(true);
  });
});
