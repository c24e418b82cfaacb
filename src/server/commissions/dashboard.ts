/**
 * The creator dashboard's reads (numbers first, one chart, then dense tables).
 *
 * Who: every function takes the creator's id as its own argument and every statement is filtered
 * by it. The page passes `Astro.locals.user.creatorId` — never a value from the URL — so creator A
 * can never read creator B's rows (tests/integration/commissions/dashboard.test.ts records every
 * statement and checks it).
 *
 * Speed as the shop grows: nothing here reads the raw `clicks` table or scans other creators'
 * rows. Clicks and card interactions come from the daily rollups (`click_daily`, `card_daily`,
 * primary key / index led by creator_id and day); credited order lines from the index
 * `order_lines(credited_creator_id, paid_at)`; excluded self-referrals from
 * `order_lines(source_creator_id, paid_at)` and `orders(email)`; the ledger from
 * `commission_entries(creator_id, created_at)`. So a query's cost follows the
 * creator's activity in the chosen days, not the size of the history (bench/dashboard.ts).
 * One read follows the creator's whole history: the use of their personal code (orders has no
 * index on the code's creator and time). The balances, a sum over the whole ledger by nature, are
 * read from the payouts plus the entries since the last one (see commissionBalances).
 *
 * Money: "sales" are a line's net (subtotal − its share of the discount, before tax and shipping,
 * the commission base of ADR 0009) minus what was refunded on it; a refund recorded only for the
 * whole order (e.g. from the provider's dashboard) counts when it refunds the order in full.
 * Figures are by the day of payment (UTC), the day the attribution was decided.
 */
import { and, asc, desc, eq, gt, gte, inArray, isNull, lt, sql, type SQL } from 'drizzle-orm';
import QRCode from 'qrcode';
import type { DbOrTx } from '../db.ts';
import {
  cardDaily,
  clickDaily,
  commissionEntries,
  couponRedemptions,
  coupons,
  creators,
  orderLines,
  orders,
  payoutItems,
  payouts,
  products,
} from '../../../db/schema/index.ts';
import { DAY_MS } from '../shared/index.ts';
import { formatMoney, type MoneyFormat } from '../shared/index.ts';
import { settlementStatus, type LedgerBalances, type SettlementStatus } from './payouts.ts';
import { csvFilename, decimal, toCsv, type CsvValue } from './csv.ts';
import { fillDays, referralUrl, type DailyPoint, type DashboardRange } from './dashboard-range.ts';
import type { CreditSourceKind } from './credit-reason.ts';
export { explainCredit, plural, type CreditFacts, type CreditSourceKind, type CreditWording } from './credit-reason.ts';

export type CreatorId = number;

// ---------------------------------------------------------------------------------------------
// Shared SQL pieces

const lineNet = sql`(${orderLines.subtotalCents} - ${orderLines.discountCents})`;
/** Refunded money on a line: its own refunds, or all of it when the whole order was refunded. */
const lineRefunded = sql`(case when ${orders.refundedCents} > 0 and ${orders.refundedCents} >= ${orders.totalCents} then ${lineNet} else min(${orderLines.refundedCents}, ${lineNet}) end)`;
const lineSales = sql`(${lineNet} - ${lineRefunded})`;
const lineUnits = sql`(${orderLines.qty} - ${orderLines.refundedQty})`;
/** The creator's own sale and reversal entries for the line (overrides belong to the inviter's table). */
const lineCommission = (creatorId: CreatorId) =>
  sql`(select coalesce(sum(ce.amount_cents), 0) from commission_entries ce where ce.order_line_id = ${orderLines.id} and ce.creator_id = ${creatorId} and ce.kind in ('sale', 'reversal'))`;

/** Lines credited to the creator and paid within the range (index order_lines_credit_idx). */
function creditedIn(creatorId: CreatorId, range: DashboardRange): SQL {
  return and(eq(orderLines.creditedCreatorId, creatorId), gte(orderLines.paidAt, range.fromMs), lt(orderLines.paidAt, range.toMs))!;
}

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/**
 * An order counts for the creator when at least one unit credited to them was paid in the range and
 * not refunded: so "orders" is never more than "items", and a refunded order leaves both.
 */
const countedOrders = sql<number>`count(distinct case when ${lineUnits} > 0 then ${orderLines.orderId} end)`;

/**
 * The same definitions for the shop's own figures (the admin home, customers): one meaning of
 * "sales" and "orders" everywhere. Each expects `order_lines` joined to `orders`.
 */
export const SALES_SQL = { lineNet, lineRefunded, lineSales, lineUnits, countedOrders } as const;

/**
 * Every figure on the dashboard, defined once: the queries below compute exactly these, and the
 * page shows these sentences under "How these are counted".
 */
export const FIGURE_DEFINITIONS = {
  clicks: 'Clicks: visits through your referral links, counted once per visitor a few minutes apart; bots and link previews are left out.',
  cardViews: 'Card views and card clicks: how often readers saw and clicked the product cards in your posts.',
  adds: 'Add-to-bags: pieces added to a bag from the cards in your posts.',
  orders: 'Orders: paid orders with at least one item credited to you that was not refunded, by the day of payment.',
  items: 'Items: the units credited to you in those orders, minus units refunded.',
  conversion:
    'Link conversion: of the clicks on your links in these dates, the share that led to an order credited to you through that link. Orders from post cards and codes need no click, so they are not in it; it is never above 100%.',
  addRate: 'Add rate: add-to-bags ÷ card views for the same cards and dates.',
  sales: 'Attributed sales: what the credited items sold for after discounts and refunds, before tax and shipping.',
  commission: 'Commission: your share of those sales; pending until the return window closes, then approved, then paid.',
} as const;

/**
 * Share of clicks that converted (see FIGURE_DEFINITIONS.conversion); null without clicks.
 * Capped at 1 as a guard: a click counted on another day's rollup cannot make it pass 100%.
 * @example linkConversion(3, 120) // 0.025
 */
export function linkConversion(convertedClicks: number, clicks: number): number | null {
  if (clicks <= 0) return null;
  return Math.min(1, convertedClicks / clicks);
}

/** Add-to-bags ÷ card views (see FIGURE_DEFINITIONS.addRate); null without views. */
export function addRate(adds: number, views: number): number | null {
  if (views <= 0) return null;
  return Math.min(1, adds / views);
}

// ---------------------------------------------------------------------------------------------
// Who

export interface CreatorSummary {
  id: number;
  handle: string;
  displayName: string;
  referralCode: string | null;
  /** The creator's personal discount codes (coupons.creator_id). */
  codes: { code: string; label: string; active: boolean }[];
}

/** How money is written for people on the dashboard (the shop's currency and locale). */
const DEFAULT_MONEY: MoneyFormat = { currency: 'USD', locale: 'en-US' };

export async function creatorSummary(db: DbOrTx, creatorId: CreatorId, money: MoneyFormat = DEFAULT_MONEY): Promise<CreatorSummary | null> {
  const [c, codes] = await Promise.all([
    db
      .select({ id: creators.id, handle: creators.handle, displayName: creators.displayName, referralCode: creators.referralCode })
      .from(creators)
      .where(eq(creators.id, creatorId))
      .get(),
    db
      .select({ code: coupons.code, kind: coupons.kind, percentOff: coupons.percentOff, amountOffCents: coupons.amountOffCents, active: coupons.active })
      .from(coupons)
      .where(eq(coupons.creatorId, creatorId))
      .orderBy(asc(coupons.code)),
  ]);
  if (!c) return null;
  return {
    ...c,
    codes: codes.map((k) => ({
      code: k.code,
      label: k.kind === 'percent' ? `${k.percentOff}% off` : `${formatMoney(k.amountOffCents ?? 0, money)} off`,
      active: k.active,
    })),
  };
}

/** Display names of creators by id (for telling credit reasons in words); unknown ids are left out. */
export async function creatorNames(db: DbOrTx, ids: readonly (number | null)[]): Promise<Map<number, string>> {
  const unique = [...new Set(ids.filter((x): x is number => x !== null))];
  if (unique.length === 0) return new Map();
  const rows = await db.select({ id: creators.id, name: creators.displayName }).from(creators).where(inArray(creators.id, unique));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/**
 * Product titles by slug, for cards that have not sold yet (sold lines carry their own title);
 * a product no longer in the catalog or switched off is `null` ("No longer available").
 */
export async function productTitles(db: DbOrTx, slugs: readonly string[]): Promise<Map<string, string | null>> {
  const unique = [...new Set(slugs)];
  const out = new Map<string, string | null>(unique.map((s) => [s, null]));
  if (unique.length === 0) return out;
  const rows = await db.select({ slug: products.slug, name: products.name, active: products.active }).from(products).where(inArray(products.slug, unique));
  for (const r of rows) out.set(r.slug, r.active ? r.name : null);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Clicks and card interactions (rollups)

/** Counted referral clicks per day (click_daily: primary key creator_id, day, post). */
export async function clicksByDay(db: DbOrTx, creatorId: CreatorId, range: DashboardRange): Promise<{ day: number; clicks: number }[]> {
  const rows = await db
    .select({ day: clickDaily.day, clicks: sql<number>`sum(${clickDaily.clicks})` })
    .from(clickDaily)
    .where(and(eq(clickDaily.creatorId, creatorId), gte(clickDaily.day, range.fromDay), lt(clickDaily.day, range.toDay + 1)))
    .groupBy(clickDaily.day)
    .orderBy(asc(clickDaily.day));
  return rows.map((r) => ({ day: r.day, clicks: num(r.clicks) }));
}

/** Counted referral clicks per post ('' = a link not made for a post). */
export async function clicksByPost(db: DbOrTx, creatorId: CreatorId, range: DashboardRange): Promise<{ post: string; clicks: number }[]> {
  const rows = await db
    .select({ post: clickDaily.post, clicks: sql<number>`sum(${clickDaily.clicks})` })
    .from(clickDaily)
    .where(and(eq(clickDaily.creatorId, creatorId), gte(clickDaily.day, range.fromDay), lt(clickDaily.day, range.toDay + 1)))
    .groupBy(clickDaily.post);
  return rows.map((r) => ({ post: r.post, clicks: num(r.clicks) }));
}

export interface CardInteraction {
  post: string;
  card: number;
  views: number;
  clicks: number;
  adds: number;
}

/** Card views, clicks and add-to-bags per post and card (card_daily, index creator_id, day). */
export async function cardInteractions(db: DbOrTx, creatorId: CreatorId, range: DashboardRange): Promise<CardInteraction[]> {
  const rows = await db
    .select({
      post: cardDaily.post,
      card: cardDaily.card,
      views: sql<number>`sum(${cardDaily.views})`,
      clicks: sql<number>`sum(${cardDaily.clicks})`,
      adds: sql<number>`sum(${cardDaily.adds})`,
    })
    .from(cardDaily)
    .where(and(eq(cardDaily.creatorId, creatorId), gte(cardDaily.day, range.fromDay), lt(cardDaily.day, range.toDay + 1)))
    .groupBy(cardDaily.post, cardDaily.card);
  return rows.map((r) => ({ post: r.post, card: r.card, views: num(r.views), clicks: num(r.clicks), adds: num(r.adds) }));
}

// ---------------------------------------------------------------------------------------------
// Credited sales

export interface SalesFigures {
  orders: number;
  units: number;
  /** Net of discounts, minus refunds. */
  salesCents: number;
  refundedCents: number;
  /** The creator's sale entries minus reversals for these lines. */
  commissionCents: number;
}

/** Orders and sales per day of payment. */
export async function salesByDay(
  db: DbOrTx,
  creatorId: CreatorId,
  range: DashboardRange,
): Promise<{ day: number; orders: number; salesCents: number }[]> {
  // A literal divisor: a bound JS number arrives as a REAL, and the day would not be a whole number.
  const day = sql<number>`(${orderLines.paidAt} / ${sql.raw(String(DAY_MS))})`;
  const rows = await db
    .select({ day, orders: countedOrders, salesCents: sql<number>`sum(${lineSales})` })
    .from(orderLines)
    .innerJoin(orders, eq(orders.id, orderLines.orderId))
    .where(creditedIn(creatorId, range))
    .groupBy(day)
    .orderBy(asc(day));
  return rows.map((r) => ({ day: num(r.day), orders: num(r.orders), salesCents: num(r.salesCents) }));
}

function salesColumns(creatorId: CreatorId) {
  return {
    orders: countedOrders,
    units: sql<number>`sum(${lineUnits})`,
    salesCents: sql<number>`sum(${lineSales})`,
    refundedCents: sql<number>`sum(${lineRefunded})`,
    commissionCents: sql<number>`sum(${lineCommission(creatorId)})`,
  };
}

const toFigures = (r: { orders: unknown; units: unknown; salesCents: unknown; refundedCents: unknown; commissionCents: unknown }): SalesFigures => ({
  orders: num(r.orders),
  units: num(r.units),
  salesCents: num(r.salesCents),
  refundedCents: num(r.refundedCents),
  commissionCents: num(r.commissionCents),
});

/** Totals over the range (distinct orders counted once even when several lines are credited). */
export async function salesTotals(db: DbOrTx, creatorId: CreatorId, range: DashboardRange): Promise<SalesFigures> {
  const r = await db.select(salesColumns(creatorId)).from(orderLines).innerJoin(orders, eq(orders.id, orderLines.orderId)).where(creditedIn(creatorId, range)).get();
  return toFigures(r ?? { orders: 0, units: 0, salesCents: 0, refundedCents: 0, commissionCents: 0 });
}

/**
 * Referral clicks in the range that led to an order credited to the creator through the link
 * (FIGURE_DEFINITIONS.conversion): distinct clicks, each clicked and paid within the range.
 */
export async function convertedClicks(db: DbOrTx, creatorId: CreatorId, range: DashboardRange): Promise<number> {
  const r = await db
    .select({ n: sql<number>`count(distinct ${orders.refClickId})` })
    .from(orderLines)
    .innerJoin(orders, eq(orders.id, orderLines.orderId))
    .where(and(creditedIn(creatorId, range), eq(orderLines.attributionSource, 'link'), gte(orders.refClickedAt, range.fromMs), lt(orders.refClickedAt, range.toMs)))
    .get();
  return num(r?.n);
}

export type CreditSource = 'post' | 'board' | 'code' | 'link';

/** Sources credited to a post's card: bought from it directly, in a group, or through a help-cut. */
const FROM_POST_SOURCES = ['post', 'group', 'cut'] as const;
const FROM_POST = sql.raw(`(${FROM_POST_SOURCES.map((s) => `'${s}'`).join(', ')})`);

/** Per attribution source and post: the rows of "which post sold" (code and link lines have no post). */
export async function salesByPost(
  db: DbOrTx,
  creatorId: CreatorId,
  range: DashboardRange,
): Promise<({ source: CreditSource; post: string | null } & SalesFigures)[]> {
  // A sale through a group or a help-cut started from a post's card is that post's sale.
  // Bought from the wishlist (ADR 0053): the post it was saved from sold it; saved from a board or
  // bought from one, it is the creator's boards' sale.
  const fromPost = sql`(${orderLines.attributionSource} in ${FROM_POST} or (${orderLines.attributionSource} = 'saved' and ${orderLines.sourcePost} is not null))`;
  const source = sql<string | null>`case when ${fromPost} then 'post' when ${orderLines.attributionSource} in ('saved', 'board') then 'board' else ${orderLines.attributionSource} end`;
  const post = sql<string | null>`case when ${fromPost} then ${orderLines.sourcePost} end`;
  const rows = await db
    .select({ source, post, ...salesColumns(creatorId) })
    .from(orderLines)
    .innerJoin(orders, eq(orders.id, orderLines.orderId))
    .where(creditedIn(creatorId, range))
    .groupBy(source, post);
  return rows.map((r) => ({ source: (r.source ?? 'post') as CreditSource, post: r.post, ...toFigures(r) }));
}

/** Per post card ("which card sold"), with the products sold from it. */
export async function salesByCard(
  db: DbOrTx,
  creatorId: CreatorId,
  range: DashboardRange,
): Promise<({ post: string; card: number; products: string[] } & SalesFigures)[]> {
  const rows = await db
    .select({
      post: orderLines.sourcePost,
      card: orderLines.sourceCard,
      // JSON, not group_concat: a product title may contain the separator.
      products: sql<string>`json_group_array(distinct ${orderLines.title})`,
      ...salesColumns(creatorId),
    })
    .from(orderLines)
    .innerJoin(orders, eq(orders.id, orderLines.orderId))
    .where(and(creditedIn(creatorId, range), inArray(orderLines.attributionSource, [...FROM_POST_SOURCES])))
    .groupBy(orderLines.sourcePost, orderLines.sourceCard);
  return rows
    .filter((r) => r.post !== null && r.card !== null)
    .map((r) => ({ post: r.post!, card: r.card!, products: (JSON.parse(r.products) as string[]).sort(), ...toFigures(r) }));
}

export interface TopProduct extends SalesFigures {
  productSlug: string;
  title: string;
}

export async function topProducts(db: DbOrTx, creatorId: CreatorId, range: DashboardRange, limit = 10): Promise<TopProduct[]> {
  const sales = sql<number>`sum(${lineSales})`;
  const rows = await db
    .select({ productSlug: orderLines.productSlug, title: sql<string>`max(${orderLines.title})`, ...salesColumns(creatorId) })
    .from(orderLines)
    .innerJoin(orders, eq(orders.id, orderLines.orderId))
    .where(creditedIn(creatorId, range))
    .groupBy(orderLines.productSlug)
    .orderBy(desc(sales), asc(orderLines.productSlug))
    .limit(limit);
  return rows.map((r) => ({ productSlug: r.productSlug, title: r.title, ...toFigures(r) }));
}

export interface LineRow {
  lineId: number;
  orderNumber: string;
  paidAt: number;
  title: string;
  variantLabel: string;
  qty: number;
  refundedQty: number;
  netCents: number;
  refundedCents: number;
  salesCents: number;
  source: CreditSourceKind;
  ref: string | null;
  /** The reason stored at payment (audit text); pages show `explainCredit` of the fields below. */
  reason: string;
  post: string | null;
  card: number | null;
  couponCode: string | null;
  refClickedAt: number | null;
  commissionCents: number;
  /** Bought from the wishlist (when saved) or a board (which, by name) — ADR 0053. */
  savedAt: number | null;
  boardId: number | null;
  boardName: string | null;
}

function lineColumns(creatorId: CreatorId) {
  return {
    lineId: orderLines.id,
    orderNumber: orders.number,
    paidAt: sql<number>`${orderLines.paidAt}`,
    title: orderLines.title,
    variantLabel: orderLines.variantLabel,
    qty: orderLines.qty,
    refundedQty: orderLines.refundedQty,
    netCents: sql<number>`${lineNet}`,
    refundedCents: sql<number>`${lineRefunded}`,
    salesCents: sql<number>`${lineSales}`,
    source: sql<CreditSourceKind>`coalesce(${orderLines.attributionSource}, 'none')`,
    ref: orderLines.attributionRef,
    reason: sql<string>`coalesce(${orderLines.attributionReason}, '')`,
    post: orderLines.sourcePost,
    card: orderLines.sourceCard,
    couponCode: orders.couponCode,
    refClickedAt: orders.refClickedAt,
    commissionCents: sql<number>`${lineCommission(creatorId)}`,
    savedAt: orderLines.sourceSavedAt,
    boardId: orderLines.sourceBoardId,
    boardName: sql<string | null>`(select b.name from boards b where b.id = ${orderLines.sourceBoardId})`,
  };
}

/** The credited lines with the reason, newest first; `total` is the count in the range. */
export async function creditedLines(
  db: DbOrTx,
  creatorId: CreatorId,
  range: DashboardRange,
  { limit = 100 }: { limit?: number } = {},
): Promise<{ total: number; lines: LineRow[] }> {
  const [lines, count] = await Promise.all([
    db
      .select(lineColumns(creatorId))
      .from(orderLines)
      .innerJoin(orders, eq(orders.id, orderLines.orderId))
      .where(creditedIn(creatorId, range))
      .orderBy(desc(orderLines.paidAt), desc(orderLines.id))
      .limit(limit),
    db.select({ n: sql<number>`count(*)` }).from(orderLines).where(creditedIn(creatorId, range)).get(),
  ]);
  return { total: num(count?.n), lines: lines.map((l) => ({ ...l, paidAt: num(l.paidAt), netCents: num(l.netCents), refundedCents: num(l.refundedCents), salesCents: num(l.salesCents), commissionCents: num(l.commissionCents) })) };
}

/**
 * Lines that would have been the creator's but were excluded as self-referrals (docs/architecture.md,
 * rule 4): `attribution_source = 'excluded'` and the precedence post → code → link names them.
 * Candidates come from two indexed paths — their posts' cards (source_creator_id, paid_at), and
 * orders placed with one of their login emails (orders.email), which is what made them
 * self-referrals — and the precedence check keeps only the lines that were theirs to lose.
 */
export async function excludedLines(db: DbOrTx, creatorId: CreatorId, range: DashboardRange, { limit = 100 }: { limit?: number } = {}): Promise<LineRow[]> {
  const inRange = sql`ol.paid_at >= ${range.fromMs} and ol.paid_at < ${range.toMs} and ol.attribution_source = 'excluded'`;
  const candidates = sql`${orderLines.id} in (
    select ol.id from order_lines ol where ol.source_creator_id = ${creatorId} and ${inRange}
    union
    select ol.id from orders oo join order_lines ol on ol.order_id = oo.id
      where oo.email in (select u.email from users u where u.creator_id = ${creatorId}) and ${inRange}
  )`;
  // A post's card or a board (ADR 0053) comes first, as in the decision itself.
  const wouldHaveBeen = sql`coalesce(case when ${orderLines.sourcePost} is not null or ${orderLines.sourceBoardId} is not null then ${orderLines.sourceCreatorId} end, ${orders.codeCreatorId}, ${orders.refCreatorId})`;
  const rows = await db
    .select(lineColumns(creatorId))
    .from(orderLines)
    .innerJoin(orders, eq(orders.id, orderLines.orderId))
    .where(and(candidates, eq(orderLines.attributionSource, 'excluded'), sql`${wouldHaveBeen} = ${creatorId}`))
    .orderBy(desc(orderLines.paidAt), desc(orderLines.id))
    .limit(limit);
  return rows.map((l) => ({ ...l, paidAt: num(l.paidAt), netCents: num(l.netCents), refundedCents: num(l.refundedCents), salesCents: num(l.salesCents), commissionCents: 0 }));
}

export interface CodeUse {
  orderNumber: string;
  paidAt: number;
  code: string;
  status: string;
  /** Order subtotal minus the discount the code gave. */
  orderNetCents: number;
  discountCents: number;
  /** How many of the order's lines were credited to the creator (a post card of another creator wins over a code). */
  creditedLines: number;
  lines: number;
}

/**
 * Paid orders that used one of the creator's personal codes (coupons.creator_id), newest first.
 * Starts from coupon_redemptions(coupon_id, …) for the creator's coupons — written as `coupon_id in
 * (…)` so that SQLite, which has no statistics here, does not scan every order instead. This
 * follows every use of the code ever made and keeps the range: orders has no index on the code's
 * creator and the payment time (see docs/benchmarks.md).
 */
export async function codeUsage(
  db: DbOrTx,
  creatorId: CreatorId,
  range: DashboardRange,
  { limit = 50 }: { limit?: number } = {},
): Promise<{ orders: number; discountCents: number; orderNetCents: number; recent: CodeUse[] }> {
  // orders.code_creator_id is set at checkout from the code's creator; the index
  // (code_creator_id, paid_at) keeps this read to the creator's window however long the history.
  const where = and(eq(orders.codeCreatorId, creatorId), gte(orders.paidAt, range.fromMs), lt(orders.paidAt, range.toMs));
  const [totals, recent] = await Promise.all([
    db
      .select({
        orders: sql<number>`count(*)`,
        discountCents: sql<number>`sum(${orders.discountCents})`,
        orderNetCents: sql<number>`sum(${orders.subtotalCents} - ${orders.discountCents})`,
      })
      .from(orders)
      .where(where)
      .get(),
    db
      .select({
        orderNumber: orders.number,
        paidAt: sql<number>`${orders.paidAt}`,
        code: sql<string>`coalesce(${orders.couponCode}, '')`,
        status: orders.status,
        orderNetCents: sql<number>`${orders.subtotalCents} - ${orders.discountCents}`,
        discountCents: orders.discountCents,
        creditedLines: sql<number>`(select count(*) from order_lines x where x.order_id = "orders"."id" and x.credited_creator_id = ${creatorId})`,
        lines: sql<number>`(select count(*) from order_lines x where x.order_id = "orders"."id")`,
      })
      .from(orders)
      .where(where)
      .orderBy(desc(orders.paidAt), desc(orders.id))
      .limit(limit),
  ]);
  return {
    orders: num(totals?.orders),
    discountCents: num(totals?.discountCents),
    orderNetCents: num(totals?.orderNetCents),
    recent: recent.map((r) => ({ ...r, paidAt: num(r.paidAt), orderNetCents: num(r.orderNetCents), creditedLines: num(r.creditedLines), lines: num(r.lines) })),
  };
}

// ---------------------------------------------------------------------------------------------
// Earnings: the ledger (docs/architecture.md, rule 5)

/** How far back, before the creator's last payout, unsettled entries are still looked for (clock skew between instances). */
export const SETTLED_MARGIN_MS = DAY_MS;

/**
 * The creator's balances now — pending, approved, in a payout, paid — equal to the payouts
 * module's `creatorBalances` (the definition; statuses from `settlementStatus` on top of
 * `entryStatus`), but read in time that does not grow with the creator's history:
 *
 * - paid / in a payout: the sums of their payouts (payouts(creator_id, …)); payouts.ts keeps
 *   `payouts.amount_cents` exactly the sum of the entries a payout settles.
 * - pending / approved: the entries not settled by any payout. A payout made at time T settles
 *   every approved, unsettled entry of the creator (available_at ≤ T), and the ledger never
 *   writes an entry that is available before it is written, so only entries available after the
 *   creator's last payout can be unsettled. They are read through
 *   commission_entries(creator_id, available_at) from that payout's time minus a day (for clocks
 *   of several app instances that disagree a little), skipping any that a payout settled.
 *
 * tests/integration/commissions/dashboard.test.ts checks that this equals `creatorBalances`.
 */
export async function commissionBalances(db: DbOrTx, creatorId: CreatorId, now: number): Promise<LedgerBalances> {
  const settled = await db
    .select({
      paid: sql<number>`coalesce(sum(case when ${payouts.status} = 'paid' then ${payouts.amountCents} else 0 end), 0)`,
      inPayout: sql<number>`coalesce(sum(case when ${payouts.status} = 'pending' then ${payouts.amountCents} else 0 end), 0)`,
      lastAt: sql<number | null>`max(${payouts.createdAt})`,
    })
    .from(payouts)
    .where(eq(payouts.creatorId, creatorId))
    .get();
  const since = settled?.lastAt === null || settled?.lastAt === undefined ? Number.MIN_SAFE_INTEGER : Number(settled.lastAt) - SETTLED_MARGIN_MS;
  const open = await db
    .select({
      pending: sql<number>`coalesce(sum(case when ${commissionEntries.availableAt} > ${now} then ${commissionEntries.amountCents} else 0 end), 0)`,
      approved: sql<number>`coalesce(sum(case when ${commissionEntries.availableAt} <= ${now} then ${commissionEntries.amountCents} else 0 end), 0)`,
    })
    .from(commissionEntries)
    .leftJoin(payoutItems, eq(payoutItems.entryId, commissionEntries.id))
    .where(and(eq(commissionEntries.creatorId, creatorId), gt(commissionEntries.availableAt, since), isNull(payoutItems.entryId)))
    .get();
  return { pendingCents: num(open?.pending), approvedCents: num(open?.approved), inPayoutCents: num(settled?.inPayout), paidCents: num(settled?.paid) };
}

export interface LedgerRow {
  id: number;
  createdAt: number;
  kind: 'sale' | 'reversal' | 'override' | 'override_reversal';
  amountCents: number;
  baseCents: number;
  rateBps: number;
  orderNumber: string;
  currency: string;
  orderLineId: number | null;
  lineTitle: string | null;
  availableAt: number;
  status: SettlementStatus;
  payoutId: number | null;
  note: string;
}

/** Ledger entries written within the range (commission_entries(creator_id, created_at)), newest first. */
export async function ledgerEntries(
  db: DbOrTx,
  creatorId: CreatorId,
  range: DashboardRange,
  now: number,
  { limit }: { limit?: number } = {},
): Promise<{ total: number; entries: LedgerRow[] }> {
  const where = and(eq(commissionEntries.creatorId, creatorId), gte(commissionEntries.createdAt, range.fromMs), lt(commissionEntries.createdAt, range.toMs));
  const q = db
    .select({
      id: commissionEntries.id,
      createdAt: commissionEntries.createdAt,
      kind: commissionEntries.kind,
      amountCents: commissionEntries.amountCents,
      baseCents: commissionEntries.baseCents,
      rateBps: commissionEntries.rateBps,
      orderNumber: orders.number,
      currency: orders.currency,
      orderLineId: commissionEntries.orderLineId,
      lineTitle: sql<string | null>`case when ${orderLines.id} is null then null else ${orderLines.title} || ' — ' || ${orderLines.variantLabel} end`,
      availableAt: commissionEntries.availableAt,
      payoutId: payoutItems.payoutId,
      payoutStatus: payouts.status,
      note: commissionEntries.note,
    })
    .from(commissionEntries)
    .innerJoin(orders, eq(orders.id, commissionEntries.orderId))
    .leftJoin(orderLines, eq(orderLines.id, commissionEntries.orderLineId))
    .leftJoin(payoutItems, eq(payoutItems.entryId, commissionEntries.id))
    .leftJoin(payouts, eq(payouts.id, payoutItems.payoutId))
    .where(where)
    .orderBy(desc(commissionEntries.createdAt), desc(commissionEntries.id));
  const [rows, count] = await Promise.all([
    limit === undefined ? q : q.limit(limit),
    db.select({ n: sql<number>`count(*)` }).from(commissionEntries).where(where).get(),
  ]);
  return {
    total: num(count?.n),
    entries: rows.map(({ payoutStatus, ...r }) => ({ ...r, status: settlementStatus({ availableAt: r.availableAt, payoutStatus: payoutStatus ?? null }, now) })),
  };
}

/** Commission written within the range, by kind (what the range earned, before approval). */
export async function ledgerInRange(
  db: DbOrTx,
  creatorId: CreatorId,
  range: DashboardRange,
): Promise<{ saleCents: number; reversalCents: number; overrideCents: number; netCents: number }> {
  const rows = await db
    .select({ kind: commissionEntries.kind, amount: sql<number>`sum(${commissionEntries.amountCents})` })
    .from(commissionEntries)
    .where(and(eq(commissionEntries.creatorId, creatorId), gte(commissionEntries.createdAt, range.fromMs), lt(commissionEntries.createdAt, range.toMs)))
    .groupBy(commissionEntries.kind);
  const by = new Map(rows.map((r) => [r.kind, num(r.amount)]));
  const saleCents = by.get('sale') ?? 0;
  const reversalCents = by.get('reversal') ?? 0;
  const overrideCents = (by.get('override') ?? 0) + (by.get('override_reversal') ?? 0);
  return { saleCents, reversalCents, overrideCents, netCents: saleCents + reversalCents + overrideCents };
}

export interface PayoutRow {
  id: number;
  createdAt: number;
  amountCents: number;
  status: 'pending' | 'paid';
  reference: string | null;
  paidAt: number | null;
  entries: number;
}

/** The creator's payouts, newest first (payouts(creator_id, created_at)). */
export async function payoutHistory(db: DbOrTx, creatorId: CreatorId, { limit = 24 }: { limit?: number } = {}): Promise<PayoutRow[]> {
  const rows = await db
    .select({
      id: payouts.id,
      createdAt: payouts.createdAt,
      amountCents: payouts.amountCents,
      status: payouts.status,
      reference: payouts.reference,
      paidAt: payouts.paidAt,
      // Table-qualified: in a select from `payouts` alone Drizzle leaves column names bare, and a
      // bare "id" inside the subquery would be the payout item's own id.
      entries: sql<number>`(select count(*) from payout_items pi where pi.payout_id = "payouts"."id")`,
    })
    .from(payouts)
    .where(eq(payouts.creatorId, creatorId))
    .orderBy(desc(payouts.createdAt), desc(payouts.id))
    .limit(limit);
  return rows.map((r) => ({ ...r, entries: num(r.entries) }));
}

// ---------------------------------------------------------------------------------------------
// The page: one call

export interface PostRow extends SalesFigures {
  /** Content id of the post, or null for the creator's code / plain links. */
  post: string | null;
  /** 'post' rows, or the code / link rows for lines credited without a post. */
  source: CreditSource;
  linkClicks: number;
  cardViews: number;
  cardClicks: number;
  adds: number;
}

export interface CardRow extends SalesFigures {
  post: string;
  card: number;
  products: string[];
  views: number;
  clicks: number;
  adds: number;
}

const zeroSales = (): SalesFigures => ({ orders: 0, units: 0, salesCents: 0, refundedCents: 0, commissionCents: 0 });

/**
 * Earlier addresses of renamed studio posts → their current one (the content capability's
 * `formerSlugs`). Credit is recorded under the address a reader bought from; the dashboard, its CSV
 * and the studio's numbers add a post's addresses up under the one it has now.
 */
export type SlugAliases = ReadonlyMap<string, string>;
const NO_ALIASES: SlugAliases = new Map();
const canonicalSlug = (aliases: SlugAliases, slug: string) => aliases.get(slug) ?? slug;

/** Joins the rollups and the credited sales into one row per post (plus code/link rows), busiest first. */
export function mergePostRows(
  clicks: readonly { post: string; clicks: number }[],
  cards: readonly CardInteraction[],
  sales: readonly ({ source: CreditSource; post: string | null } & SalesFigures)[],
  aliases: SlugAliases = NO_ALIASES,
): PostRow[] {
  const rows = new Map<string, PostRow>();
  const key = (source: CreditSource, post: string | null) => (source === 'post' ? `post:${post}` : source);
  const get = (source: CreditSource, raw: string | null) => {
    const post = raw === null ? null : canonicalSlug(aliases, raw);
    const k = key(source, post);
    let r = rows.get(k);
    if (!r) {
      r = { post: source === 'post' ? post : null, source, linkClicks: 0, cardViews: 0, cardClicks: 0, adds: 0, ...zeroSales() };
      rows.set(k, r);
    }
    return r;
  };
  for (const c of clicks) get(c.post === '' ? 'link' : 'post', c.post === '' ? null : c.post).linkClicks += c.clicks;
  for (const c of cards) {
    const r = get('post', c.post);
    r.cardViews += c.views;
    r.cardClicks += c.clicks;
    r.adds += c.adds;
  }
  for (const s of sales) {
    const r = get(s.source, s.post);
    r.orders += s.orders;
    r.units += s.units;
    r.salesCents += s.salesCents;
    r.refundedCents += s.refundedCents;
    r.commissionCents += s.commissionCents;
  }
  const order: Record<CreditSource, number> = { post: 0, board: 1, code: 2, link: 3 };
  return [...rows.values()].sort(
    (a, b) => order[a.source] - order[b.source] || b.salesCents - a.salesCents || b.linkClicks + b.cardViews - (a.linkClicks + a.cardViews) || (a.post ?? '').localeCompare(b.post ?? ''),
  );
}

export function mergeCardRows(
  cards: readonly CardInteraction[],
  sales: readonly ({ post: string; card: number; products: string[] } & SalesFigures)[],
  aliases: SlugAliases = NO_ALIASES,
): CardRow[] {
  const rows = new Map<string, CardRow>();
  const get = (raw: string, card: number) => {
    const post = canonicalSlug(aliases, raw);
    const k = `${post}#${card}`;
    let r = rows.get(k);
    if (!r) {
      r = { post, card, products: [], views: 0, clicks: 0, adds: 0, ...zeroSales() };
      rows.set(k, r);
    }
    return r;
  };
  // Additive: a renamed post's card has rows under each address it was published at.
  for (const c of cards) {
    const r = get(c.post, c.card);
    r.views += c.views;
    r.clicks += c.clicks;
    r.adds += c.adds;
  }
  for (const s of sales) {
    const r = get(s.post, s.card);
    r.products = [...new Set([...r.products, ...s.products])];
    r.orders += s.orders;
    r.units += s.units;
    r.salesCents += s.salesCents;
    r.refundedCents += s.refundedCents;
    r.commissionCents += s.commissionCents;
  }
  return [...rows.values()].sort((a, b) => b.salesCents - a.salesCents || b.adds - a.adds || b.views - a.views || a.post.localeCompare(b.post) || a.card - b.card);
}

export interface ReferralLink {
  /** The page it opens; null = the creator's profile. */
  path: string | null;
  url: string;
  /** Server-rendered QR code of `url` (qrcode's SVG: modules as one path, no script). */
  qrSvg: string;
}

export async function referralLinkFor(siteUrl: string, code: string, path: string | null): Promise<ReferralLink> {
  const url = referralUrl(siteUrl, code, path);
  const qrSvg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2, color: { dark: '#161514', light: '#ffffff' } });
  return { path, url, qrSvg };
}

export interface Dashboard {
  creator: CreatorSummary;
  range: DashboardRange;
  figures: {
    clicks: number;
    cardViews: number;
    cardClicks: number;
    adds: number;
    orders: number;
    units: number;
    salesCents: number;
    refundedCents: number;
    /** Clicks in the range that led to a link-credited order (FIGURE_DEFINITIONS.conversion). */
    convertedClicks: number;
    /** convertedClicks ÷ clicks, null without clicks; never above 1. */
    conversion: number | null;
    /** Commission on the range's credited sales (sale − reversals). */
    commissionCents: number;
  };
  balances: LedgerBalances;
  earnedInRange: Awaited<ReturnType<typeof ledgerInRange>>;
  daily: DailyPoint[];
  posts: PostRow[];
  cards: CardRow[];
  topProducts: TopProduct[];
  lines: { total: number; lines: LineRow[] };
  excluded: LineRow[];
  codeUsage: Awaited<ReturnType<typeof codeUsage>>;
  ledger: { total: number; entries: LedgerRow[] };
  payouts: PayoutRow[];
  /** The referral link for the link builder's path (null without a referral code). */
  link: ReferralLink | null;
}

export const DASHBOARD_LIMITS = { lines: 100, excluded: 50, entries: 100, codeOrders: 20, payouts: 24, topProducts: 10 } as const;

/**
 * Everything the dashboard page shows, for one creator and one range. `creatorId` must come
 * from the session (`Astro.locals.user.creatorId`); null when there is no such creator.
 */
export async function loadDashboard(
  db: DbOrTx,
  {
    creatorId,
    range,
    now,
    siteUrl,
    linkPath = null,
    money = DEFAULT_MONEY,
    aliases = NO_ALIASES,
  }: { creatorId: CreatorId; range: DashboardRange; now: number; siteUrl: string; linkPath?: string | null; money?: MoneyFormat; aliases?: SlugAliases },
): Promise<Dashboard | null> {
  const creator = await creatorSummary(db, creatorId, money);
  if (!creator) return null;
  const [dayClicks, postClicks, cards, dayOrders, totals, byPost, byCard, top, lines, excluded, code, balances, earned, ledger, payoutRows, link, converted] = await Promise.all([
    clicksByDay(db, creatorId, range),
    clicksByPost(db, creatorId, range),
    cardInteractions(db, creatorId, range),
    salesByDay(db, creatorId, range),
    salesTotals(db, creatorId, range),
    salesByPost(db, creatorId, range),
    salesByCard(db, creatorId, range),
    topProducts(db, creatorId, range, DASHBOARD_LIMITS.topProducts),
    creditedLines(db, creatorId, range, { limit: DASHBOARD_LIMITS.lines }),
    excludedLines(db, creatorId, range, { limit: DASHBOARD_LIMITS.excluded }),
    codeUsage(db, creatorId, range, { limit: DASHBOARD_LIMITS.codeOrders }),
    commissionBalances(db, creatorId, now),
    ledgerInRange(db, creatorId, range),
    ledgerEntries(db, creatorId, range, now, { limit: DASHBOARD_LIMITS.entries }),
    payoutHistory(db, creatorId, { limit: DASHBOARD_LIMITS.payouts }),
    creator.referralCode ? referralLinkFor(siteUrl, creator.referralCode, linkPath) : Promise.resolve(null),
    convertedClicks(db, creatorId, range),
  ]);
  const clicks = dayClicks.reduce((s, d) => s + d.clicks, 0);
  const card = cards.reduce((s, c) => ({ views: s.views + c.views, clicks: s.clicks + c.clicks, adds: s.adds + c.adds }), { views: 0, clicks: 0, adds: 0 });
  return {
    creator,
    range,
    figures: {
      clicks,
      cardViews: card.views,
      cardClicks: card.clicks,
      adds: card.adds,
      orders: totals.orders,
      units: totals.units,
      salesCents: totals.salesCents,
      refundedCents: totals.refundedCents,
      convertedClicks: converted,
      conversion: linkConversion(converted, clicks),
      commissionCents: totals.commissionCents,
    },
    balances,
    earnedInRange: earned,
    daily: fillDays(range, { clicks: dayClicks, orders: dayOrders }),
    posts: mergePostRows(postClicks, cards, byPost, aliases),
    cards: mergeCardRows(cards, byCard, aliases),
    topProducts: top,
    lines,
    excluded,
    codeUsage: code,
    ledger,
    payouts: payoutRows,
    link,
  };
}

// ---------------------------------------------------------------------------------------------
// CSV exports

export interface CsvExport {
  filename: string;
  body: string;
}

const isoTime = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString());

/** Every ledger entry written in the range (no row limit), oldest first. */
export async function entriesCsv(db: DbOrTx, creatorId: CreatorId, range: DashboardRange, now: number): Promise<CsvExport> {
  const { entries } = await ledgerEntries(db, creatorId, range, now);
  const header = ['entry_id', 'created_at', 'kind', 'amount', 'currency', 'base', 'rate_percent', 'order_number', 'order_line_id', 'item', 'status', 'available_at', 'payout_id', 'note'];
  const rows: CsvValue[][] = entries
    .slice()
    .reverse()
    .map((e) => [
      e.id,
      isoTime(e.createdAt),
      e.kind,
      decimal(e.amountCents),
      e.currency,
      decimal(e.baseCents),
      e.rateBps / 100,
      e.orderNumber,
      e.orderLineId,
      e.lineTitle,
      e.status,
      isoTime(e.availableAt),
      e.payoutId,
      e.note,
    ]);
  return { filename: csvFilename('lookbook', 'commission-entries', range.from, range.to), body: toCsv(header, rows) };
}

/** The per-post table (with code and plain-link rows) for the range. */
export async function postsCsv(
  db: DbOrTx,
  creatorId: CreatorId,
  range: DashboardRange,
  { titles = new Map(), aliases = NO_ALIASES }: { titles?: ReadonlyMap<string, string>; aliases?: SlugAliases } = {},
): Promise<CsvExport> {
  const [clicks, cards, sales] = await Promise.all([clicksByPost(db, creatorId, range), cardInteractions(db, creatorId, range), salesByPost(db, creatorId, range)]);
  const rows = mergePostRows(clicks, cards, sales, aliases);
  const header = ['source', 'post', 'title', 'link_clicks', 'card_views', 'card_clicks', 'add_to_bags', 'orders', 'units', 'sales', 'refunded', 'commission', 'add_rate'];
  const label = (r: PostRow) =>
    r.source === 'post' ? (titles.get(r.post ?? '') ?? '') : r.source === 'board' ? 'Your boards (not from a post)' : r.source === 'code' ? 'Your code (not from a post)' : 'Your links (not from a post)';
  return {
    filename: csvFilename('lookbook', 'posts', range.from, range.to),
    body: toCsv(
      header,
      rows.map((r) => {
        const rate = addRate(r.adds, r.cardViews);
        return [
          r.source,
          r.post,
          label(r),
          r.linkClicks,
          r.cardViews,
          r.cardClicks,
          r.adds,
          r.orders,
          r.units,
          decimal(r.salesCents),
          decimal(r.refundedCents),
          decimal(r.commissionCents),
          rate === null ? null : Number(rate.toFixed(4)),
        ];
      }),
    ),
  };
}

// ---------------------------------------------------------------------------------------------
// The studio's post list

export interface PostTotals {
  views: number;
  clicks: number;
  orders: number;
  salesCents: number;
}

/**
 * All-time numbers per post for the studio's list, defined as on the dashboard: card views and
 * clicks from the daily rollups, and orders and sales of lines credited to the post ("post"
 * source) — net of refunds. `creatorId` null: every creator's (the admin's list).
 */
export async function postTotals(db: DbOrTx, posts: readonly string[], creatorId: CreatorId | null, aliases: SlugAliases = NO_ALIASES): Promise<Map<string, PostTotals>> {
  const out = new Map<string, PostTotals>();
  if (posts.length === 0) return out;
  const wanted = new Set(posts);
  const list = [...wanted, ...[...aliases].filter(([, now]) => wanted.has(now)).map(([old]) => old)];
  const [cards, sales] = await Promise.all([
    db
      .select({ post: cardDaily.post, views: sql<number>`sum(${cardDaily.views})`, clicks: sql<number>`sum(${cardDaily.clicks})` })
      .from(cardDaily)
      .where(and(inArray(cardDaily.post, list), creatorId === null ? undefined : eq(cardDaily.creatorId, creatorId)))
      .groupBy(cardDaily.post),
    db
      .select({ post: orderLines.sourcePost, orders: countedOrders, salesCents: sql<number>`sum(${lineSales})` })
      .from(orderLines)
      .innerJoin(orders, eq(orders.id, orderLines.orderId))
      .where(
        and(
          inArray(orderLines.sourcePost, list),
          inArray(orderLines.attributionSource, [...FROM_POST_SOURCES]),
          sql`${orderLines.paidAt} is not null`,
          creatorId === null ? undefined : eq(orderLines.creditedCreatorId, creatorId),
        ),
      )
      .groupBy(orderLines.sourcePost),
  ]);
  const at = (raw: string) => {
    const post = canonicalSlug(aliases, raw);
    let t = out.get(post);
    if (!t) out.set(post, (t = { views: 0, clicks: 0, orders: 0, salesCents: 0 }));
    return t;
  };
  for (const r of cards) {
    const t = at(r.post);
    t.views += num(r.views);
    t.clicks += num(r.clicks);
  }
  for (const r of sales) {
    if (!r.post) continue;
    const t = at(r.post);
    t.orders += num(r.orders);
    t.salesCents += num(r.salesCents);
  }
  return out;
}
