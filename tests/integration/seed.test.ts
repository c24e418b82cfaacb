/** The demo seed and the demo content agree: every card is live, every creator has a DB row. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count } from 'drizzle-orm';
import type { Db } from '../../src/server/db.ts';
import { createTestDb } from '../helpers/db.ts';
import { isEmpty, seedDemo } from '../../scripts/seed/seed.ts';
import { CREATORS, PRODUCTS } from '../../scripts/seed/catalog-data.ts';
import { listCatalogEntries } from '../../src/server/catalog/index.ts';
import { checkContentRefs } from '../../src/server/content/index.ts';
import { creators, products, users, variants } from '../../db/schema/index.ts';

const CONTENT = join(import.meta.dirname, '../../src/content');
let db: Db;
beforeAll(async () => {
  db = await createTestDb();
  expect(await isEmpty(db)).toBe(true);
  await seedDemo(db);
});
afterAll(() => db.$client.close());

describe('demo seed', () => {
  it('loads a shop-sized catalog with sale, low and sold-out stock', async () => {
    expect(await isEmpty(db)).toBe(false);
    expect((await db.select({ n: count() }).from(products).get())?.n).toBe(PRODUCTS.length);
    expect(PRODUCTS.length).toBeGreaterThanOrEqual(30);
    const vs = await db.select().from(variants);
    expect(vs.some((v) => v.compareAtCents !== null && v.compareAtCents > v.priceCents)).toBe(true);
    expect(vs.some((v) => v.stockOnHand > 0 && v.stockOnHand <= 3)).toBe(true);
    expect(vs.some((v) => v.stockOnHand === 0)).toBe(true);
  });
  it('has a DB row and a login for every creator profile in content', async () => {
    const files = readdirSync(join(CONTENT, 'creators')).map((f) => f.replace(/\.json$/, '')).sort();
    expect(files.length).toBeGreaterThanOrEqual(3);
    expect(CREATORS.map((c) => c.handle).sort()).toEqual(files);
    const rows = await db.select({ handle: creators.handle }).from(creators);
    expect(rows.map((r) => r.handle).sort()).toEqual(files);
    const logins = await db.select({ role: users.role }).from(users);
    expect(logins.filter((u) => u.role === 'creator')).toHaveLength(files.length);
    expect(logins.filter((u) => u.role === 'admin')).toHaveLength(1);
  });
  it('every card in every demo post points at a live product', async () => {
    const dir = join(CONTENT, 'posts');
    const posts = readdirSync(dir).filter((f) => f.endsWith('.mdx'));
    expect(posts.length).toBeGreaterThanOrEqual(9);
    const files = posts.map((f) => ({ path: f, text: readFileSync(join(dir, f), 'utf8') }));
    expect(checkContentRefs(files, await listCatalogEntries(db))).toEqual([]);
  });
  it('covers the three kinds of post', () => {
    const dir = join(CONTENT, 'posts');
    const kinds = readdirSync(dir).map((f) => /\nkind:\s*(\w+)/.exec(readFileSync(join(dir, f), 'utf8'))?.[1]);
    for (const k of ['look', 'guide', 'review']) expect(kinds.filter((x) => x === k).length).toBeGreaterThanOrEqual(3);
  });
});
