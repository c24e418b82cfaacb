/**
 * The admin home's figures for a period (Today / 7 days / 30 days), and what the shop must act on
 * now (orders to ship, low-stock variants, pending payouts).
 *
 * Definitions: "sales" and "orders" are the creator dashboard's (commissions' SALES_SQL): paid lines,
 * each line's net (subtotal − its share of the discount, before tax and shipping) minus what was
 * refunded on it; an order counts when at least one of its units paid in the period was not
 * refunded. Periods are calendar days in UTC, like every date filter in the shop; today is included.
 *
 * Speed: the period's lines are found through their orders by `orders_fulfilment_idx`
 * (fulfilment_status, paid_at) — every paid order has one of the five fulfilment states, so an IN
 * over them plus the paid_at range is a handful of index seeks — then `order_lines_order_idx`.
 * Orders to ship use the same index; pending payouts are few; low stock reads the variants once
 * with their live reservations (`stock_reservations_live_idx`). Six statements run together, then
 * one for the top products' current names.
 */
import { and, asc, count, desc, eq, gte, inArray, isNotNull, isNull, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db.ts';
import { creators, orderLines, orders, payouts, productSlugs, products, variants } from '../../../db/schema/index.ts';
import { FULFILMENT_STATUSES } from '../../../db/schema/commerce.ts';
import { SALES_SQL } from '../commissions/index.ts';
import { availableSql, LOW_STOCK_THRESHOLD } from '../catalog/index.ts';
import { KEPT_PAYMENT_STATUSES } from '../orders/index.ts';
import { DAY_MS, isoDay, utcDay } from '../shared/index.ts';

export const ADMIN_PERIODS = ['today', '7d', '30d'] as const;
export type AdminPeriod = (typeof ADMIN_PERIODS)[number];
export const DEFAULT_ADMIN_PERIOD: AdminPeriod = '7d';
export const ADMIN_PERIOD_LABELS: Record<AdminPeriod, string> = { today: 'Today', '7d': '7 days', '30d': '30 days' };
const PERIOD_DAYS: Record<AdminPeriod, number> = { today: 1, '7d': 7, '30d': 30 };

/**
 * The orders capability's "to ship" queue, counted: money kept (KEPT_PAYMENT_STATUSES), units still
 * to send, and not a late payment the shop owes back.
 */
export const TO_SHIP_FULFILMENT = ['unfulfilled', 'partial'] as const;

export interface PeriodRange {
  period: AdminPeriod;
  /** YYYY-MM-DD, UTC, inclusive (for the orders list's date filter). */
  from: string;
  to: string;
  /** fromMs ≤ paid_at < toMs. */
  fromMs: number;
  toMs: number;
}

/**
 * The period from `?period=`: absent → the default; anything else but the three values → a refusal.
 * @example parseAdminPeriod('30d') // { ok: true, period: '30d' }
 */
export function parseAdminPeriod(raw: string | null | undefined): { ok: true; period: AdminPeriod } | { ok: false; message: string } {
  const v = raw?.trim();
  if (!v) return { ok: true, period: DEFAULT_ADMIN_PERIOD };
  if ((ADMIN_PERIODS as readonly string[]).includes(v)) return { ok: true, period: v as AdminPeriod };
  return { ok: false, message: `Period must be one of: ${ADMIN_PERIODS.map((p) => `${p} (${ADMIN_PERIOD_LABELS[p]})`).join(', ')}.` };
}

/** Today, or the last 7 / 30 calendar days ending today (UTC). */
export function periodRange(period: AdminPeriod, now: number): PeriodRange {
  const today = utcDay(now);
  const first = today - PERIOD_DAYS[period] + 1;
  return { period, from: isoDay(first), to: isoDay(today), fromMs: first * DAY_MS, toMs: (today + 1) * DAY_MS };
}

export interface TopProductRow {
  productSlug: string;
  /** The catalog product sold under this slug, for its admin page (null: no longer in the catalog). */
  productId: number | null;
  title: string;
  units: number;
  salesCents: number;
}

export interface TopCreatorRow {
  creatorId: number;
  handle: string;
  displayName: string;
  orders: number;
  salesCents: number;
}

export interface AdminHomeFigures {
  range: PeriodRange;
  salesCents: number;
  orders: number;
  /** Sales ÷ orders, rounded to the minor unit; null without orders. */
  averageOrderCents: number | null;
  /** Now, whatever the period. */
  ordersToShip: number;
  /** Active variants on sale with 1 … LOW_STOCK_THRESHOLD available (on hand − live holds). */
  lowStockVariants: number;
  /** Active variants on sale with none available. */
  soldOutVariants: number;
  pendingPayouts: { count: number; amountCents: number };
  topProducts: TopProductRow[];
  topCreators: TopCreatorRow[];
}

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/**
 * The catalog product a line sold, through its slug then as it is now: a product renamed since
 * (its old slug kept in product_slugs) adds up under one row with its current name. Null when the
 * product is no longer in the catalog; such lines group by their slug.
 */
const soldProductId = sql<number | null>`coalesce((select ${products.id} from ${products} where ${products.slug} = ${orderLines.productSlug}), (select ${productSlugs.productId} from ${productSlugs} where ${productSlugs.slug} = ${orderLines.productSlug}))`;
const soldProductKey = sql`coalesce('id:' || ${soldProductId}, 'slug:' || ${orderLines.productSlug})`;

/** Lines of orders paid in the range, through orders_fulfilment_idx (see the header). */
function paidIn(range: PeriodRange) {
  return and(inArray(orders.fulfilmentStatus, [...FULFILMENT_STATUSES]), gte(orders.paidAt, range.fromMs), lt(orders.paidAt, range.toMs), isNotNull(orderLines.paidAt))!;
}

/** The period's sales and orders (exported so a test can check its query plan). */
export function periodTotalsQuery(db: DbOrTx, range: PeriodRange) {
  const { lineSales, countedOrders } = SALES_SQL;
  return db
    .select({ orders: countedOrders, salesCents: sql<number>`coalesce(sum(${lineSales}), 0)` })
    .from(orders)
    .innerJoin(orderLines, eq(orderLines.orderId, orders.id))
    .where(paidIn(range));
}

export async function adminHomeFigures(db: DbOrTx, { period, now = Date.now(), top = 5 }: { period: AdminPeriod; now?: number; top?: number }): Promise<AdminHomeFigures> {
  const range = periodRange(period, now);
  const { lineSales, lineUnits, countedOrders } = SALES_SQL;
  const sales = sql<number>`coalesce(sum(${lineSales}), 0)`;
  const available = availableSql(now);

  const [totals, topProducts, topCreators, toShip, stock, pending] = await Promise.all([
    periodTotalsQuery(db, range).get(),
    db
      .select({
        productSlug: sql<string>`max(${orderLines.productSlug})`,
        productId: sql<number | null>`max(${soldProductId})`,
        title: sql<string>`max(${orderLines.title})`,
        units: sql<number>`sum(${lineUnits})`,
        salesCents: sales,
      })
      .from(orders)
      .innerJoin(orderLines, eq(orderLines.orderId, orders.id))
      .where(paidIn(range))
      .groupBy(soldProductKey)
      .having(sql`sum(${lineSales}) > 0`)
      .orderBy(desc(sales), asc(sql`max(${orderLines.productSlug})`))
      .limit(top),
    db
      .select({ creatorId: creators.id, handle: creators.handle, displayName: creators.displayName, orders: countedOrders, salesCents: sales })
      .from(orders)
      .innerJoin(orderLines, eq(orderLines.orderId, orders.id))
      .innerJoin(creators, eq(creators.id, orderLines.creditedCreatorId))
      .where(paidIn(range))
      .groupBy(creators.id)
      .having(sql`sum(${lineSales}) > 0`)
      .orderBy(desc(sales), asc(creators.handle))
      .limit(top),
    db
      .select({ n: count() })
      .from(orders)
      .where(and(inArray(orders.fulfilmentStatus, [...TO_SHIP_FULFILMENT]), inArray(orders.status, [...KEPT_PAYMENT_STATUSES]), isNotNull(orders.paidAt), eq(orders.needsRefund, false)))
      .get(),
    db
      .select({
        low: sql<number>`coalesce(sum(case when ${available} > 0 and ${available} <= ${LOW_STOCK_THRESHOLD} then 1 else 0 end), 0)`,
        out: sql<number>`coalesce(sum(case when ${available} <= 0 then 1 else 0 end), 0)`,
      })
      .from(variants)
      .innerJoin(products, eq(products.id, variants.productId))
      .where(and(eq(variants.active, true), eq(products.active, true), isNull(products.archivedAt)))
      .get(),
    db
      .select({ n: count(), amount: sql<number>`coalesce(sum(${payouts.amountCents}), 0)` })
      .from(payouts)
      .where(eq(payouts.status, 'pending'))
      .get(),
  ]);

  // A top product's current name (a renamed product shows as it is called now): one read of ≤ `top` rows.
  const ids = topProducts.map((r) => r.productId).filter((id): id is number => id !== null).map(num);
  const names = new Map(
    ids.length === 0 ? [] : (await db.select({ id: products.id, name: products.name }).from(products).where(inArray(products.id, ids))).map((r) => [r.id, r.name] as const),
  );

  const orderCount = num(totals?.orders);
  const salesCents = num(totals?.salesCents);
  return {
    range,
    salesCents,
    orders: orderCount,
    averageOrderCents: orderCount > 0 ? Math.round(salesCents / orderCount) : null,
    ordersToShip: num(toShip?.n),
    lowStockVariants: num(stock?.low),
    soldOutVariants: num(stock?.out),
    pendingPayouts: { count: num(pending?.n), amountCents: num(pending?.amount) },
    topProducts: topProducts.map((r) => {
      const productId = r.productId === null ? null : num(r.productId);
      return { productSlug: r.productSlug, productId, title: (productId !== null ? names.get(productId) : undefined) ?? r.title, units: num(r.units), salesCents: num(r.salesCents) };
    }),
    topCreators: topCreators.map((r) => ({ ...r, orders: num(r.orders), salesCents: num(r.salesCents) })),
  };
}
