/**
 * Sale rows for the catalog read, the bag and placing an order. Loads every schedule of many
 * products at once (a fixed number of queries per page, however many cards it shows), and counts
 * flash-sale units the way availability counts stock: only orders that are paid or still hold a
 * live reservation, so a lapsed or canceled order gives its units back with no write (rule 8).
 */
import { and, eq, gt, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../db.ts';
import { flashSaleTakes, presales, presaleTakes, priceSchedules } from '../../../db/schema/index.ts';
import { coversVariant, nextBoundary, priceVariant, productSale, saleRefusal, type AppliedSale, type PricedVariant, type SaleRefusalReason, type SaleView, type Schedule } from './pricing.ts';
import { presaleBoundary, presaleView, type Presale, type PresaleView } from './presale.ts';

export interface ProductSales {
  schedules: Schedule[];
  /** Flash units taken per schedule id. */
  taken: Map<number, number>;
  presale: Presale | undefined;
  presaleTaken: number;
}

/** The order of a take row counts: paid (and not refunded in full), or pending with a live hold. */
function liveOrderSql(orderIdCol: SQL | string, now: number): SQL {
  const col = typeof orderIdCol === 'string' ? sql.raw(orderIdCol) : orderIdCol;
  return sql`exists (select 1 from "orders" o where o."id" = ${col} and (o."status" in ('paid', 'partially_refunded') or (o."status" = 'pending' and exists (select 1 from "stock_reservations" r where r."order_id" = o."id" and r."status" = 'active' and r."expires_at" > ${now}))))`;
}

const scheduleColumns = {
  id: priceSchedules.id,
  productId: priceSchedules.productId,
  variantId: priceSchedules.variantId,
  kind: priceSchedules.kind,
  priceCents: priceSchedules.priceCents,
  startsAt: priceSchedules.startsAt,
  endsAt: priceSchedules.endsAt,
  unitsAllotted: priceSchedules.unitsAllotted,
  perBuyerLimit: priceSchedules.perBuyerLimit,
  canceledAt: priceSchedules.canceledAt,
};

/** Schedules not canceled and not over, flash units taken, and the presale, for these products (four small indexed queries, in parallel). */
export async function loadSales(db: DbOrTx, productIds: readonly number[], now: number): Promise<Map<number, ProductSales>> {
  const ids = [...new Set(productIds)];
  const out = new Map<number, ProductSales>();
  if (ids.length === 0) return out;
  const [schedules, taken, pres, presTaken] = await Promise.all([
    db
      .select(scheduleColumns)
      .from(priceSchedules)
      .where(and(inArray(priceSchedules.productId, ids), isNull(priceSchedules.canceledAt), gt(priceSchedules.endsAt, now))),
    db
      .select({ scheduleId: flashSaleTakes.scheduleId, units: sql<number>`sum(${flashSaleTakes.qty})` })
      .from(flashSaleTakes)
      .innerJoin(priceSchedules, eq(priceSchedules.id, flashSaleTakes.scheduleId))
      .where(and(inArray(priceSchedules.productId, ids), isNull(priceSchedules.canceledAt), gt(priceSchedules.endsAt, now), liveOrderSql('"flash_sale_takes"."order_id"', now)))
      .groupBy(flashSaleTakes.scheduleId),
    db
      .select()
      .from(presales)
      .where(and(inArray(presales.productId, ids), isNull(presales.canceledAt), or(isNull(presales.closesAt), gt(presales.closesAt, now)))),
    db
      .select({ presaleId: presaleTakes.presaleId, units: sql<number>`sum(${presaleTakes.qty})` })
      .from(presaleTakes)
      .innerJoin(presales, eq(presales.id, presaleTakes.presaleId))
      .where(and(inArray(presales.productId, ids), isNull(presales.canceledAt), liveOrderSql('"presale_takes"."order_id"', now)))
      .groupBy(presaleTakes.presaleId),
  ]);
  const entry = (id: number) => {
    let e = out.get(id);
    if (!e) out.set(id, (e = { schedules: [], taken: new Map(), presale: undefined, presaleTaken: 0 }));
    return e;
  };
  const productOf = new Map<number, number>();
  for (const s of schedules) {
    entry(s.productId).schedules.push(s);
    productOf.set(s.id, s.productId);
  }
  for (const t of taken) {
    const pid = productOf.get(t.scheduleId);
    if (pid !== undefined) entry(pid).taken.set(t.scheduleId, Number(t.units));
  }
  for (const p of pres) {
    const e = entry(p.productId);
    // One presale per product at a time (the admin form refuses a second); the earliest wins if two slipped in.
    if (!e.presale || p.id < e.presale.id) e.presale = p;
  }
  for (const t of presTaken) {
    for (const e of out.values()) if (e.presale?.id === t.presaleId) e.presaleTaken = Number(t.units);
  }
  return out;
}

export interface PricedProduct {
  variants: Map<number, PricedVariant>;
  sale: SaleView | null;
  presale: PresaleView | null;
  /** Next moment anything price- or sale-related changes, or null. */
  validUntil: number | null;
}

const pick = (p: PricedVariant) => ({ priceCents: p.priceCents, compareAtCents: p.compareAtCents });

/** Prices a product's variants at `now` from its loaded sales (pure). */
export function priceProduct(
  variants: readonly { id: number; priceCents: number; compareAtCents: number | null }[],
  sales: ProductSales | undefined,
  now: number,
): PricedProduct {
  const schedules = sales?.schedules ?? [];
  const taken = sales?.taken ?? new Map<number, number>();
  const priced = new Map(variants.map((v) => [v.id, priceVariant(v, schedules, now, taken)]));
  const bounds = [nextBoundary(schedules, now), presaleBoundary(sales?.presale, now)].filter((t): t is number => t !== null);
  const sale = productSale(variants, schedules, now, taken);
  const at = nextBoundary(schedules, now);
  if (sale && at !== null) {
    sale.next = {
      at,
      prices: variants.map((v) => ({ id: v.id, ...pick(priceVariant(v, schedules, at, taken)) })),
      sale: productSale(variants, schedules, at, taken),
    };
  }
  return {
    variants: priced,
    sale,
    presale: presaleView(sales?.presale, now, sales?.presaleTaken ?? 0),
    validUntil: bounds.length ? Math.min(...bounds) : null,
  };
}

/**
 * Units a buyer already holds at each of these flash sales' prices — by canonical email, or by
 * account when signed in (either matches: ADR 0012). Call inside the transaction that records the
 * new take.
 */
export async function buyerTaken(
  tx: DbOrTx,
  scheduleIds: readonly number[],
  buyer: { email: string; userId: number | null },
  now: number,
): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  if (scheduleIds.length === 0) return out;
  const who = buyer.userId !== null ? or(eq(flashSaleTakes.email, buyer.email), eq(flashSaleTakes.userId, buyer.userId)) : eq(flashSaleTakes.email, buyer.email);
  const rows = await tx
    .select({ scheduleId: flashSaleTakes.scheduleId, units: sql<number>`sum(${flashSaleTakes.qty})` })
    .from(flashSaleTakes)
    .where(and(inArray(flashSaleTakes.scheduleId, [...scheduleIds]), who, liveOrderSql('"flash_sale_takes"."order_id"', now)))
    .groupBy(flashSaleTakes.scheduleId);
  for (const r of rows) out.set(r.scheduleId, Number(r.units));
  return out;
}

/** Schedules by id (a buyer's claimed sales, to explain why one no longer applies). */
export async function schedulesById(db: DbOrTx, ids: readonly number[]): Promise<Schedule[]> {
  if (ids.length === 0) return [];
  return db.select(scheduleColumns).from(priceSchedules).where(inArray(priceSchedules.id, [...ids]));
}

export async function recordFlashTakes(
  tx: DbOrTx,
  rows: readonly { scheduleId: number; orderId: number; orderLineId: number; email: string; userId: number | null; qty: number }[],
  now: number,
): Promise<void> {
  if (rows.length === 0) return;
  await tx.insert(flashSaleTakes).values(rows.map((r) => ({ ...r, createdAt: now })));
}

/** The earliest start or end after `now` of any schedule or presale window in the shop (the render cache's global bound), or +∞. */
export async function nextSaleBoundary(db: DbOrTx, now: number): Promise<number> {
  const [s, p] = await Promise.all([
    db
      .select({ at: sql<number | null>`min(case when ${priceSchedules.startsAt} > ${now} then ${priceSchedules.startsAt} else ${priceSchedules.endsAt} end)` })
      .from(priceSchedules)
      .where(and(isNull(priceSchedules.canceledAt), gt(priceSchedules.endsAt, now)))
      .get(),
    db
      .select({ at: sql<number | null>`min(case when ${presales.opensAt} > ${now} then ${presales.opensAt} else ${presales.closesAt} end)` })
      .from(presales)
      .where(and(isNull(presales.canceledAt), gt(presales.closesAt, now)))
      .get(),
  ]);
  return Math.min(s?.at ?? Number.POSITIVE_INFINITY, p?.at ?? Number.POSITIVE_INFINITY);
}

/** A bag line as the flash-sale check sees it (the bag's own view, priced at `now` inside the transaction). */
export interface SaleCheckLine {
  productId: number;
  variantId: number;
  title: string;
  qty: number;
  unitPriceCents: number;
  sale: AppliedSale | null | undefined;
}

export type SaleCheck =
  | { ok: true; takes: { scheduleId: number; lineIndex: number; qty: number }[] }
  | { ok: false; reason: SaleRefusalReason; message: string; title: string };

/**
 * The flash-sale limits of an order about to be placed, checked INSIDE the transaction that
 * reserves its stock and records the takes (rule 11: no check-then-write): for every line priced
 * at a flash sale, the units left and the buyer's own limit (canonical email or account); for every
 * sale the buyer was shown (`claimed`, from the checkout summary) that no longer prices their line,
 * why (not started, ended, units gone). A cheaper markdown taking over is not a refusal.
 */
export async function checkFlashSales(
  tx: DbOrTx,
  {
    lines,
    claimed,
    buyer,
    now,
    formatTime,
  }: {
    lines: readonly SaleCheckLine[];
    claimed: readonly number[];
    buyer: { email: string; userId: number | null };
    now: number;
    formatTime: (ms: number) => string;
  },
): Promise<SaleCheck> {
  const appliedIds = new Set(lines.flatMap((l) => (l.sale?.kind === 'flash' ? [l.sale.scheduleId] : [])));
  const ids = [...new Set([...appliedIds, ...claimed])];
  if (ids.length === 0) return { ok: true, takes: [] };
  const [schedules, mine] = await Promise.all([schedulesById(tx, ids), buyerTaken(tx, [...appliedIds], buyer, now)]);
  const byId = new Map(schedules.map((s) => [s.id, s]));
  for (const id of claimed) {
    if (appliedIds.has(id)) continue;
    const s = byId.get(id);
    if (!s) continue;
    const covered = lines.filter((l) => l.productId === s.productId && coversVariant(s, l.variantId));
    if (covered.length === 0) continue; // the line left the bag: nothing was promised for it
    if (covered.every((l) => l.unitPriceCents <= s.priceCents)) continue; // a markdown as low or lower took over
    const refusal = saleRefusal(s, { now, applied: false, wanted: covered.reduce((n, l) => n + l.qty, 0), mine: 0, left: 0, formatTime });
    if (refusal) return { ok: false, ...refusal, title: covered[0]!.title };
  }
  const takes: { scheduleId: number; lineIndex: number; qty: number }[] = [];
  for (const id of appliedIds) {
    const s = byId.get(id);
    if (!s) throw new Error(`flash sale ${id} priced a line but is not in the database`);
    const mineLines = lines.map((l, i) => ({ l, i })).filter(({ l }) => l.sale?.scheduleId === id);
    const wanted = mineLines.reduce((n, { l }) => n + l.qty, 0);
    const refusal = saleRefusal(s, { now, applied: true, wanted, mine: mine.get(id) ?? 0, left: mineLines[0]!.l.sale!.unitsLeft, formatTime });
    if (refusal) return { ok: false, ...refusal, title: mineLines[0]!.l.title };
    for (const { l, i } of mineLines) takes.push({ scheduleId: id, lineIndex: i, qty: l.qty });
  }
  return { ok: true, takes };
}

/**
 * A product's presale as the bag, the order and the payment see it at `now` (ADR 0055): open or
 * full (an upcoming one sells nothing yet). While it is open every unit of the product sold is a
 * pre-order, taken from the cap and shipped on `shipsOn`, not from stock.
 */
export interface OpenPresale {
  presaleId: number;
  shipsOn: string;
  /** Cap − units of paid orders and of pending orders with a live hold. */
  unitsLeft: number;
}

/** The open presale in a product's loaded sales, or null (pure). */
export function openPresale(sales: ProductSales | undefined, now: number): OpenPresale | null {
  const v = presaleView(sales?.presale, now, sales?.presaleTaken ?? 0);
  if (!v || v.state === 'upcoming') return null;
  return { presaleId: v.presaleId, shipsOn: v.shipsOn, unitsLeft: v.unitsLeft };
}

/** Presale units held by this bag's own pending orders with a live hold, per presale id (they count as available to it). */
export async function ownPresaleHeld(db: DbOrTx, cartId: string, presaleIds: readonly number[], now: number): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  if (presaleIds.length === 0) return out;
  const rows = await db
    .select({ presaleId: presaleTakes.presaleId, units: sql<number>`sum(${presaleTakes.qty})` })
    .from(presaleTakes)
    .where(
      and(
        inArray(presaleTakes.presaleId, [...new Set(presaleIds)]),
        // Table-qualified: in a select from `presale_takes` alone Drizzle leaves column names bare.
        sql`exists (select 1 from "orders" o where o."id" = "presale_takes"."order_id" and o."status" = 'pending' and o."cart_id" = ${cartId} and exists (select 1 from "stock_reservations" r where r."order_id" = o."id" and r."status" = 'active' and r."expires_at" > ${now}))`,
      ),
    )
    .groupBy(presaleTakes.presaleId);
  for (const r of rows) out.set(r.presaleId, Number(r.units));
  return out;
}

/** Records the pre-order units of an order being placed, each with the ship date promised now. */
export async function recordPresaleTakes(
  tx: DbOrTx,
  takes: readonly { presaleId: number; orderId: number; orderLineId: number; qty: number; shipsOn: string }[],
  now: number,
): Promise<void> {
  if (takes.length === 0) return;
  await tx.insert(presaleTakes).values(takes.map((t) => ({ ...t, createdAt: now })));
}

/** The promised ship date of each pre-ordered line of these orders (order line id → YYYY-MM-DD). */
export async function presaleShipDates(db: DbOrTx, orderIds: readonly number[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  if (orderIds.length === 0) return out;
  const rows = await db
    .select({ lineId: presaleTakes.orderLineId, shipsOn: presaleTakes.shipsOn })
    .from(presaleTakes)
    .where(inArray(presaleTakes.orderId, [...new Set(orderIds)]));
  for (const r of rows) out.set(r.lineId, r.shipsOn);
  return out;
}

/**
 * The pre-order lines of an order, with the units their presale could still give them if their hold
 * has lapsed (a late payment): cap − the live takes of other orders, 0 once the presale is over.
 */
export async function presaleLinesOf(tx: DbOrTx, orderId: number, now: number): Promise<Map<number, { shipsOn: string; room: number }>> {
  const takes = await tx
    .select({ lineId: presaleTakes.orderLineId, presaleId: presaleTakes.presaleId, shipsOn: presaleTakes.shipsOn, cap: presales.capUnits, canceledAt: presales.canceledAt, closesAt: presales.closesAt })
    .from(presaleTakes)
    .innerJoin(presales, eq(presales.id, presaleTakes.presaleId))
    .where(eq(presaleTakes.orderId, orderId));
  const out = new Map<number, { shipsOn: string; room: number }>();
  for (const t of takes) {
    let room = 0;
    if (t.canceledAt === null && (t.closesAt === null || t.closesAt > now)) {
      const others = await tx
        .select({ units: sql<number>`coalesce(sum(${presaleTakes.qty}), 0)` })
        .from(presaleTakes)
        .where(and(eq(presaleTakes.presaleId, t.presaleId), sql`${presaleTakes.orderId} <> ${orderId}`, liveOrderSql('"presale_takes"."order_id"', now)))
        .get();
      room = Math.max(0, t.cap - Number(others?.units ?? 0));
    }
    out.set(t.lineId, { shipsOn: t.shipsOn, room });
  }
  return out;
}

/**
 * SQL: the product (by its id column) has an open presale with units left at `now` — for the shop's
 * "in stock" filter, where a pre-order counts as buyable (ADR 0055).
 */
export function openPresaleSql(productIdCol: string, now: number): SQL {
  return sql`exists (select 1 from "presales" ps where ps."product_id" = ${sql.raw(productIdCol)} and ps."canceled_at" is null and (ps."opens_at" is null or ps."opens_at" <= ${now}) and (ps."closes_at" is null or ps."closes_at" > ${now}) and ps."cap_units" > coalesce((select sum(t."qty") from "presale_takes" t where t."presale_id" = ps."id" and ${liveOrderSql('t."order_id"', now)}), 0))`;
}

/**
 * A refund of `qty` unshipped units of a pre-ordered line gives them back to its presale's cap: the
 * take shrinks (to 0 at most — the row stays, with the ship date the line was promised). No-op for
 * a line that was not pre-ordered.
 */
export async function releasePresaleUnits(tx: DbOrTx, orderLineId: number, qty: number): Promise<void> {
  if (qty <= 0) return;
  await tx.update(presaleTakes).set({ qty: sql`max(0, ${presaleTakes.qty} - ${qty})` }).where(eq(presaleTakes.orderLineId, orderLineId));
}
