/**
 * The admin's sale writes: schedule (refusing a flash sale that overlaps another on the same
 * variant, checked in the transaction that inserts it), cancel, and the presale of a product. The
 * workflow (src/server/flows/sales.ts) bumps the catalog version in the same transaction, so cached
 * pages follow at once.
 */
import { and, asc, desc, eq, gt, isNull, lt, or } from 'drizzle-orm';
import type { DbOrTx } from '../db.ts';
import { presales, priceSchedules } from '../../../db/schema/index.ts';
import type { PresaleInput, ScheduleInput } from './sale-input.ts';
import type { Presale } from './presale.ts';
import type { Schedule } from './pricing.ts';

/** Another flash sale on this product that runs at the same time on a variant this one covers, if any. */
export async function overlappingFlashSale(tx: DbOrTx, productId: number, s: ScheduleInput): Promise<Schedule | undefined> {
  if (s.kind !== 'flash') return undefined;
  const rows = await tx
    .select()
    .from(priceSchedules)
    .where(
      and(
        eq(priceSchedules.productId, productId),
        eq(priceSchedules.kind, 'flash'),
        isNull(priceSchedules.canceledAt),
        lt(priceSchedules.startsAt, s.endsAt),
        gt(priceSchedules.endsAt, s.startsAt),
        s.variantId === null ? undefined : or(isNull(priceSchedules.variantId), eq(priceSchedules.variantId, s.variantId)),
      ),
    )
    .limit(1);
  return rows[0];
}

export async function insertSchedule(tx: DbOrTx, productId: number, s: ScheduleInput, now: number): Promise<number> {
  const row = await tx
    .insert(priceSchedules)
    .values({ productId, ...s, createdAt: now })
    .returning({ id: priceSchedules.id })
    .get();
  return row.id;
}

/** Cancels a schedule of this product; false if there is none to cancel (unknown, another product's, already canceled, over). */
export async function cancelSchedule(tx: DbOrTx, productId: number, scheduleId: number, now: number): Promise<boolean> {
  const res = await tx
    .update(priceSchedules)
    .set({ canceledAt: now })
    .where(and(eq(priceSchedules.id, scheduleId), eq(priceSchedules.productId, productId), isNull(priceSchedules.canceledAt), gt(priceSchedules.endsAt, now)))
    .returning({ id: priceSchedules.id });
  return res.length > 0;
}

/** Every schedule of a product, newest start first (the admin list: upcoming, live, over, canceled). */
export async function listSchedules(db: DbOrTx, productId: number): Promise<Schedule[]> {
  return db.select().from(priceSchedules).where(eq(priceSchedules.productId, productId)).orderBy(desc(priceSchedules.startsAt), desc(priceSchedules.id));
}

/** The product's presale still to come or open, if any. */
export async function currentPresale(db: DbOrTx, productId: number, now: number): Promise<Presale | undefined> {
  const rows = await db
    .select()
    .from(presales)
    .where(and(eq(presales.productId, productId), isNull(presales.canceledAt), or(isNull(presales.closesAt), gt(presales.closesAt, now))))
    .orderBy(asc(presales.id))
    .limit(1);
  return rows[0];
}

/**
 * Saves the product's presale: changes the current one in place (units already pre-ordered keep
 * counting against the cap; orders taken keep the ship date they were promised, ADR 0055) or starts
 * one (closing any that is over).
 */
export async function savePresale(tx: DbOrTx, productId: number, p: PresaleInput, now: number): Promise<number> {
  const current = await currentPresale(tx, productId, now);
  if (current) {
    await tx.update(presales).set({ shipsOn: p.shipsOn, capUnits: p.capUnits, opensAt: p.opensAt, closesAt: p.closesAt }).where(eq(presales.id, current.id));
    return current.id;
  }
  await tx.update(presales).set({ canceledAt: now }).where(and(eq(presales.productId, productId), isNull(presales.canceledAt)));
  const row = await tx
    .insert(presales)
    .values({ productId, ...p, createdAt: now })
    .returning({ id: presales.id })
    .get();
  return row.id;
}

export async function endPresale(tx: DbOrTx, productId: number, now: number): Promise<boolean> {
  const res = await tx.update(presales).set({ canceledAt: now }).where(and(eq(presales.productId, productId), isNull(presales.canceledAt))).returning({ id: presales.id });
  return res.length > 0;
}
