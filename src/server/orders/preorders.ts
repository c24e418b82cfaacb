/**
 * Pre-ordered units and stock (docs/decisions/0055-presale-selling.md). A pre-order line takes
 * nothing from stock when it is paid: its order's hold on the variant stays active with no expiry
 * (an "owed" hold), so stock recorded when the goods arrive is kept for the pre-orders before anyone
 * else can buy it (availability already subtracts active holds, rule 2). Shipping the line takes the
 * units from stock and shrinks the hold; refunding an unshipped unit shrinks it with nothing to
 * restock.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db.ts';
import { stockReservations, variants } from '../../../db/schema/index.ts';

/** The expiry of an owed hold: the largest instant a Date can hold, so it never lapses. */
export const OWED_HOLD_UNTIL = 8_640_000_000_000_000;

/** On payment: the pre-ordered variants' holds become owed (a late payment whose hold lapsed gets a new one). */
export async function keepOwedHolds(tx: DbOrTx, orderId: number, lines: readonly { variantId: number; qty: number }[], now: number): Promise<void> {
  for (const l of lines) {
    const held = await tx
      .update(stockReservations)
      .set({ expiresAt: OWED_HOLD_UNTIL })
      .where(and(eq(stockReservations.orderId, orderId), eq(stockReservations.variantId, l.variantId), eq(stockReservations.status, 'active')))
      .returning({ id: stockReservations.id });
    if (held.length === 0) {
      await tx.insert(stockReservations).values({ orderId, variantId: l.variantId, qty: l.qty, status: 'active', expiresAt: OWED_HOLD_UNTIL, createdAt: now });
    }
  }
}

/** Units of this order's variant still owed to it (pre-ordered, paid, not yet shipped or refunded). */
export async function owedUnits(tx: DbOrTx, orderId: number, variantId: number): Promise<number> {
  const row = await tx
    .select({ qty: sql<number>`coalesce(sum(${stockReservations.qty}), 0)` })
    .from(stockReservations)
    .where(and(eq(stockReservations.orderId, orderId), eq(stockReservations.variantId, variantId), eq(stockReservations.status, 'active'), eq(stockReservations.expiresAt, OWED_HOLD_UNTIL)))
    .get();
  return Number(row?.qty ?? 0);
}

/** Shrinks the owed hold by up to `qty` units (converted when shipped, released when refunded); returns the units it covered. */
export async function settleOwed(tx: DbOrTx, orderId: number, variantId: number, qty: number, as: 'converted' | 'released'): Promise<number> {
  const hold = await tx
    .select({ id: stockReservations.id, qty: stockReservations.qty })
    .from(stockReservations)
    .where(and(eq(stockReservations.orderId, orderId), eq(stockReservations.variantId, variantId), eq(stockReservations.status, 'active'), eq(stockReservations.expiresAt, OWED_HOLD_UNTIL)))
    .get();
  if (!hold) return 0;
  const covered = Math.min(hold.qty, qty);
  if (covered === hold.qty) await tx.update(stockReservations).set({ status: as }).where(eq(stockReservations.id, hold.id));
  else await tx.update(stockReservations).set({ qty: hold.qty - covered }).where(eq(stockReservations.id, hold.id));
  return covered;
}

/** Takes shipped pre-order units from stock; false (nothing written) when fewer are on hand. */
export async function takeFromStock(tx: DbOrTx, variantId: number, qty: number): Promise<boolean> {
  const res = await tx
    .update(variants)
    .set({ stockOnHand: sql`${variants.stockOnHand} - ${qty}` })
    .where(and(eq(variants.id, variantId), sql`${variants.stockOnHand} >= ${qty}`))
    .returning({ id: variants.id });
  return res.length > 0;
}
