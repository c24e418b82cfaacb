/**
 * Canceling a pending order: release its reservations and coupon redemption, record why.
 * Idempotent: a second call (or a call after payment) changes nothing.
 */
import { and, eq, lte } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db.ts';
import { couponRedemptions, orderEvents, orders, stockReservations } from '../../../db/schema/index.ts';
import { bumpCatalogVersion } from '../catalog/index.ts';

export async function releaseOrder(
  tx: DbOrTx,
  orderId: number,
  { now, actor, note }: { now: number; actor: string; note: string },
): Promise<{ released: boolean }> {
  const res = await tx
    .update(orders)
    .set({ status: 'canceled', updatedAt: now })
    .where(and(eq(orders.id, orderId), eq(orders.status, 'pending')))
    .returning({ id: orders.id });
  if (res.length === 0) return { released: false };
  await tx
    .update(stockReservations)
    .set({ status: 'released' })
    .where(and(eq(stockReservations.orderId, orderId), eq(stockReservations.status, 'active')));
  await tx.update(couponRedemptions).set({ releasedAt: now }).where(eq(couponRedemptions.orderId, orderId));
  await tx.insert(orderEvents).values({ orderId, at: now, fromStatus: 'pending', toStatus: 'canceled', actor, note });
  await bumpCatalogVersion(tx);
  return { released: true };
}

/** Pending orders whose reservation lapsed a while ago (the grace lets a just-paid event land first). */
export async function cancelLapsedOrders(db: Db, now: number, graceMs = 5 * 60_000): Promise<number> {
  const lapsed = await db
    .select({ id: orders.id })
    .from(orders)
    .where(and(eq(orders.status, 'pending'), lte(orders.reservationExpiresAt, now - graceMs)))
    .limit(200);
  let n = 0;
  for (const o of lapsed) {
    const r = await db.transaction((tx) => releaseOrder(tx, o.id, { now, actor: 'sweeper', note: 'Not paid before the reservation lapsed' }));
    if (r.released) n++;
  }
  return n;
}
