/**
 * Counts read by a subquery in a select from one table (Drizzle leaves that table's columns bare,
 * so an outer "id" inside the subquery would silently mean the inner table's id): a board's pieces,
 * a brand's products, a variant's reserved units. Each is checked with ids that do not line up.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Db } from '../../../src/server/db.ts';
import { products } from '../../../db/schema/index.ts';
import { createTestDb } from '../../helpers/db.ts';
import { fillBag, placeTestOrder } from '../../helpers/checkout.ts';
import { makeCreator, makeProduct, makeVariant } from '../../../db/factories/factories.ts';
import { addBoardProduct, boardsOfCreator, createBoard, publicBoards } from '../../../src/server/wishlist/index.ts';
import { getAdminProduct, getCatalogVersion, listTaxonomy } from '../../../src/server/catalog/index.ts';

const T0 = Date.UTC(2026, 11, 4, 10);
let db: Db;
beforeAll(async () => {
  db = await createTestDb();
});

describe('counts by subquery', () => {
  it("a creator's boards count their own pieces", async () => {
    const creator = await makeCreator(db);
    const items = [];
    for (let i = 0; i < 4; i++) items.push(await makeProduct(db, { variants: [makeVariant({ stock: 3 })] }));
    const small = await createBoard(db, creator.id, { name: 'Small', description: '' }, T0);
    const big = await createBoard(db, creator.id, { name: 'Big', description: '' }, T0 + 1);
    const empty = await createBoard(db, creator.id, { name: 'Empty', description: '' }, T0 + 2);
    if (!small.ok || !big.ok || !empty.ok) throw new Error('boards');
    expect((await addBoardProduct(db, creator.id, small.id, items[0]!.slug, T0 + 3)).ok).toBe(true);
    for (const p of items.slice(1)) expect((await addBoardProduct(db, creator.id, big.id, p.slug, T0 + 4)).ok).toBe(true);
    const counts = new Map((await boardsOfCreator(db, creator.id)).map((b) => [b.name, b.items]));
    expect(Object.fromEntries(counts)).toEqual({ Small: 1, Big: 3, Empty: 0 });
    expect((await publicBoards(db, creator.handle)).map((b) => b.name).sort()).toEqual(['Big', 'Small']);
  });

  it("a brand's product count is its own", async () => {
    for (let i = 0; i < 3; i++) await makeProduct(db, { brand: 'counted-brand', variants: [makeVariant({ stock: 1 })] });
    await makeProduct(db, { brand: 'other-counted-brand', variants: [makeVariant({ stock: 1 })] });
    const rows = await listTaxonomy(db, 'brand');
    expect(rows.find((b) => b.slug === 'counted-brand')?.products).toBe(3);
    expect(rows.find((b) => b.slug === 'other-counted-brand')?.products).toBe(1);
  });

  it("a variant's reserved units on the admin product page are its own live holds", async () => {
    const p = await makeProduct(db, { variants: [makeVariant({ size: 'S', stock: 5 }), makeVariant({ size: 'M', stock: 5 })] });
    const placed = await placeTestOrder(db, await fillBag(db, [{ sku: p.variants[1]!.sku, qty: 2 }], T0), { now: T0 });
    expect(placed.ok).toBe(true);
    const admin = (await getAdminProduct(db, p.id, T0 + 1))!;
    expect(admin.variants.map((v) => [v.size, v.reserved, v.available])).toEqual([
      ['S', 0, 5],
      ['M', 2, 3],
    ]);
  });
});

describe('board counts', () => {
  it('count only pieces still on sale, and a board whose pieces are all withdrawn leaves the creator page', async () => {
    const creator = await makeCreator(db);
    const kept = await makeProduct(db, { variants: [makeVariant({ stock: 2 })] });
    const gone = await makeProduct(db, { variants: [makeVariant({ stock: 2 })] });
    const b = await createBoard(db, creator.id, { name: 'Capsule', description: '' }, T0);
    if (!b.ok) throw new Error('board');
    const v0 = await getCatalogVersion(db);
    await addBoardProduct(db, creator.id, b.id, kept.slug, T0 + 1);
    // Each board write bumps the catalog version in its own transaction (cached creator pages refresh).
    expect(await getCatalogVersion(db)).toBeGreaterThan(v0);
    await addBoardProduct(db, creator.id, b.id, gone.slug, T0 + 2);
    expect((await boardsOfCreator(db, creator.id))[0]!.items).toBe(2);
    await db.update(products).set({ active: false }).where(eq(products.id, gone.id));
    expect((await boardsOfCreator(db, creator.id))[0]!.items).toBe(1);
    await db.update(products).set({ archivedAt: T0 }).where(eq(products.id, kept.id));
    expect(await publicBoards(db, creator.handle)).toEqual([]);
  });
});
