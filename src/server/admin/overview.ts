/**
 * The admin landing page's numbers. Later issues add orders, revenue and payouts here.
 */
import { count } from 'drizzle-orm';
import { products } from '../../../db/schema/catalog.ts';
import { creators, users } from '../../../db/schema/auth.ts';
import type { DbOrTx } from '../db.ts';

export interface AdminOverview {
  products: number;
  creators: number;
  users: number;
}

export async function getAdminOverview(db: DbOrTx): Promise<AdminOverview> {
  const [p, c, u] = await Promise.all([
    db.select({ n: count() }).from(products).get(),
    db.select({ n: count() }).from(creators).get(),
    db.select({ n: count() }).from(users).get(),
  ]);
  return { products: p?.n ?? 0, creators: c?.n ?? 0, users: u?.n ?? 0 };
}
