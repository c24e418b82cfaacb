/**
 * The shop admin's order tools: list and search (payment and fulfilment filters, the "to ship"
 * queue, the CSV export), the detail view, and the actions — ship some or all of the lines as a
 * parcel, mark a parcel delivered or returned, add an internal note, cancel, refund. DB in, plain
 * values out; pages only parse the form and map the result to a message.
 *
 * Payment and fulfilment are apart (ADR 0045): `orders.status` is the payment state (state.ts);
 * `orders.fulfilment_status` is derived from the parcels (fulfilment.ts) and refreshed by every
 * write that changes what is left to ship, in the same transaction.
 *
 * Every action checks the state machine (state.ts) inside its write, and a refused action returns
 * `{ ok: false, reason, message }` having written nothing.
 *
 * Canceling a paid order (state.ts: paid → canceled, "stock released, money refunded"). The money
 * moves through `refundOrder` (request 'all', restock) — provider first, then the record — and the
 * cancelation is written by its `onRefunded` hook, inside the same transaction as the refund record:
 * the order ends `canceled` (not `refunded`, which has no way out), refunded_cents = total, every
 * line refunded and restocked, the coupon redemption released (schema: "canceled … no longer
 * counts"), and ONE history entry paid → canceled carrying the refund's note. The hook re-checks
 * that the refund started from `paid` and nothing has shipped; if the order moved meanwhile (a
 * parcel sent or the order canceled by someone else), it rolls the whole record back and the admin is told. Any money the provider already moved
 * carries the same idempotency key as the other attempt, and Stripe's `charge.refunded` webhook
 * records it (fulfil.ts), so nothing is refunded twice.
 *
 * Double submits: actions on one order run one at a time in this process (`withOrderLock`), so a
 * double-clicked "Refund" re-reads the order after the first one committed and is refused or
 * re-planned. Across instances, refundOrder's provider idempotency key keeps the money right.
 */
import { and, asc, count, desc, eq, gte, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx, Tx } from '../db.ts';
import {
  couponRedemptions,
  creators,
  orderEvents,
  orderLines,
  orderNotes,
  orders,
  paymentEvents,
  shipmentLines,
  shipments,
  stockReservations,
  variants,
  type FulfilmentStatus,
  type OrderStatus,
} from '../../../db/schema/index.ts';
import type { PaymentProvider } from '../payments/index.ts';
import { ADMIN_ORDERS_PAGE_SIZE, compactOrderNumberSearch, type RefundRequest } from './admin-query.ts';
import { enqueueShipped, type EmailContext } from './order-emails.ts';
import { normaliseOrderNumber } from './order-number.ts';
import { planRefund, refundOrder, type RefundHooks } from './refund.ts';
import { releaseOrder } from './release.ts';
import { canTransition, KEPT_PAYMENT_STATUSES, STATUS_LABEL } from './state.ts';
import { FULFILMENT_LABEL, historyEntry, itemsInWords, planShipment, shippedQtyByLine, toShipQty, type HistoryEntry } from './fulfilment.ts';
import { listOrderNotes, loadShipments, refreshFulfilment, type OrderNoteView, type ShipmentView } from './shipments.ts';
import { carrierName } from '../shared/index.ts';
import { presaleShipDates, shipDateText, shopDate } from '../sales/index.ts';
import { owedUnits, settleOwed, takeFromStock } from './preorders.ts';

// ---------------------------------------------------------------------------------------------
// Listing

export interface ListOrdersFilter {
  status?: OrderStatus | undefined;
  fulfilment?: FulfilmentStatus | undefined;
  /** The "to ship" queue: money kept, units still to send, oldest payment first. */
  toShip?: boolean | undefined;
  /** Created at ≥ fromMs. */
  fromMs?: number | undefined;
  /** Created at < toMs. */
  toMs?: number | undefined;
  /** Order number (any case, dashes optional, may be partial) or part of the email. */
  q?: string | undefined;
  page: number;
  pageSize?: number;
}

export interface AdminOrderRow {
  id: number;
  number: string;
  createdAt: number;
  email: string;
  status: OrderStatus;
  fulfilmentStatus: FulfilmentStatus;
  paidAt: number | null;
  currency: string;
  itemCount: number;
  totalCents: number;
  refundedCents: number;
}

export interface AdminOrderPage {
  rows: AdminOrderRow[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
}

function listWhere(filter: Omit<ListOrdersFilter, 'page' | 'pageSize'>): SQL | undefined {
  const conds: SQL[] = [];
  if (filter.status) conds.push(eq(orders.status, filter.status));
  if (filter.fulfilment) conds.push(eq(orders.fulfilmentStatus, filter.fulfilment));
  if (filter.toShip) {
    conds.push(inArray(orders.status, [...KEPT_PAYMENT_STATUSES]));
    conds.push(inArray(orders.fulfilmentStatus, ['unfulfilled', 'partial']));
    // A late payment the shop owes back is refunded, not shipped.
    conds.push(eq(orders.needsRefund, false));
  }
  if (filter.fromMs !== undefined) conds.push(gte(orders.createdAt, filter.fromMs));
  if (filter.toMs !== undefined) conds.push(lt(orders.createdAt, filter.toMs));
  const q = filter.q?.trim();
  if (q) {
    // instr() rather than LIKE: the search text is matched literally (no % or _ wildcards).
    const byEmail = sql`instr(lower(${orders.email}), ${q.toLowerCase()}) > 0`;
    const compact = compactOrderNumberSearch(q);
    conds.push(compact ? or(byEmail, sql`instr(replace(${orders.number}, '-', ''), ${compact}) > 0`)! : byEmail);
  }
  return conds.length ? and(...conds) : undefined;
}

/**
 * Newest first (the "to ship" queue: oldest payment first), filtered and paginated, with the total
 * count of matching orders.
 */
export async function listOrders(db: DbOrTx, filter: ListOrdersFilter): Promise<AdminOrderPage> {
  const pageSize = filter.pageSize ?? ADMIN_ORDERS_PAGE_SIZE;
  const page = Math.max(1, Math.floor(filter.page));
  const where = listWhere(filter);
  const totalRow = await db.select({ n: count() }).from(orders).where(where).get();
  const total = totalRow?.n ?? 0;
  const rows = await db
    .select({
      id: orders.id,
      number: orders.number,
      createdAt: orders.createdAt,
      email: orders.email,
      status: orders.status,
      fulfilmentStatus: orders.fulfilmentStatus,
      paidAt: orders.paidAt,
      currency: orders.currency,
      totalCents: orders.totalCents,
      refundedCents: orders.refundedCents,
      // A join, not a correlated subquery: in a one-table select Drizzle leaves column names
      // unqualified, and `"order_id" = "id"` inside a subquery would bind to the subquery's table.
      itemCount: sql<number>`coalesce(sum(${orderLines.qty}), 0)`,
    })
    .from(orders)
    .leftJoin(orderLines, eq(orderLines.orderId, orders.id))
    .where(where)
    .groupBy(orders.id)
    .orderBy(...(filter.toShip ? [asc(orders.paidAt), asc(orders.id)] : [desc(orders.createdAt), desc(orders.id)]))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  return {
    rows: rows.map((r) => ({ ...r, itemCount: Number(r.itemCount) })),
    total,
    page,
    pageSize,
    pageCount: Math.max(1, Math.ceil(total / pageSize)),
  };
}

// ---------------------------------------------------------------------------------------------
// Detail

type OrderRow = typeof orders.$inferSelect;
type OrderLineRow = typeof orderLines.$inferSelect;

export interface AdminOrderLine extends OrderLineRow {
  /** Subtotal − the line's share of the discount: what refunding every unit returns. */
  netCents: number;
  remainingQty: number;
}

/** A line with what has gone out: units in parcels, and units still to ship. */
export interface AdminShippingLine extends AdminOrderLine {
  shippedQty: number;
  toShipQty: number;
  /** A pre-order's promised ship date (YYYY-MM-DD, shop time zone), ADR 0055; null for a line from stock. */
  shipsOn: string | null;
}

/** A line on the detail page: also the handle of the creator credited (attribution, ADR 0008). */
export interface AdminOrderDetailLine extends AdminShippingLine {
  creditedCreatorHandle: string | null;
}

export type ReservationState = 'active' | 'expired' | 'converted' | 'released';

export interface AdminOrderActions {
  /** Some units can go in a parcel now. */
  ship: boolean;
  /** Parcels that can be marked delivered / returned. */
  deliver: number[];
  markReturned: number[];
  /** What "Cancel" would do, or null when the order cannot be canceled. */
  cancel: null | { kind: 'release'; units: number } | { kind: 'refund'; amountCents: number; units: number };
  refund: boolean;
}

export interface AdminOrderDetail {
  order: OrderRow;
  statusLabel: string;
  fulfilmentLabel: string;
  lines: AdminOrderDetailLine[];
  shipments: ShipmentView[];
  notes: OrderNoteView[];
  paymentEvents: (typeof paymentEvents.$inferSelect)[];
  history: (typeof orderEvents.$inferSelect)[];
  /** The history in people's words (fulfilment.ts), oldest first. */
  historyEntries: HistoryEntry[];
  reservations: { id: number; sku: string; qty: number; status: ReservationState; expiresAt: number; createdAt: number }[];
  actions: AdminOrderActions;
}

/** One order for the admin detail page, by number (typed any case, dashes optional). */
export async function getOrderDetail(db: DbOrTx, number: string, now = Date.now()): Promise<AdminOrderDetail | null> {
  const n = normaliseOrderNumber(number) ?? number;
  const order = await db.select().from(orders).where(eq(orders.number, n)).get();
  if (!order) return null;
  const [lines, events, history, reservations, parcels, notes] = await Promise.all([
    db.select().from(orderLines).where(eq(orderLines.orderId, order.id)).orderBy(orderLines.id),
    db.select().from(paymentEvents).where(eq(paymentEvents.orderId, order.id)).orderBy(paymentEvents.receivedAt, paymentEvents.id),
    db.select().from(orderEvents).where(eq(orderEvents.orderId, order.id)).orderBy(orderEvents.at, orderEvents.id),
    db
      .select({
        id: stockReservations.id,
        sku: variants.sku,
        qty: stockReservations.qty,
        status: stockReservations.status,
        expiresAt: stockReservations.expiresAt,
        createdAt: stockReservations.createdAt,
      })
      .from(stockReservations)
      .innerJoin(variants, eq(variants.id, stockReservations.variantId))
      .where(eq(stockReservations.orderId, order.id))
      .orderBy(stockReservations.id),
    loadShipments(db, order.id),
    listOrderNotes(db, order.id),
  ]);
  const shipped = shippedQtyByLine(parcels);
  const shipDates = await presaleShipDates(db, [order.id]);
  const creditedIds = [...new Set(lines.map((l) => l.creditedCreatorId).filter((id): id is number => id !== null))];
  const handles = new Map(
    creditedIds.length ? (await db.select({ id: creators.id, handle: creators.handle }).from(creators).where(inArray(creators.id, creditedIds))).map((c) => [c.id, c.handle]) : [],
  );
  const adminLines = lines.map((l) => ({
    ...l,
    netCents: l.subtotalCents - l.discountCents,
    remainingQty: l.qty - l.refundedQty,
    shippedQty: shipped.get(l.id) ?? 0,
    toShipQty: toShipQty(l, shipped.get(l.id) ?? 0),
    shipsOn: shipDates.get(l.id) ?? null,
    creditedCreatorHandle: l.creditedCreatorId === null ? null : (handles.get(l.creditedCreatorId) ?? null),
  }));
  return {
    order,
    statusLabel: STATUS_LABEL[order.status],
    fulfilmentLabel: FULFILMENT_LABEL[order.fulfilmentStatus],
    lines: adminLines,
    shipments: parcels,
    notes,
    paymentEvents: events,
    history,
    historyEntries: history.map(historyEntry),
    reservations: reservations.map((r) => ({
      ...r,
      // Expiry needs no write (docs/architecture.md, rule 8): an active row past its time simply no longer holds stock.
      status: r.status === 'active' && r.expiresAt <= now ? 'expired' : r.status,
    })),
    actions: availableActions(order, adminLines, parcels),
  };
}

const REFUNDABLE = KEPT_PAYMENT_STATUSES;

/** Pure: which actions the detail page offers for an order in this state. */
export function availableActions(
  order: Pick<OrderRow, 'status' | 'needsRefund' | 'totalCents' | 'refundedCents' | 'shippingCents'>,
  lines: readonly AdminShippingLine[],
  parcels: readonly Pick<ShipmentView, 'id' | 'deliveredAt' | 'returnedAt'>[],
): AdminOrderActions {
  const remaining = lines.reduce((n, l) => n + l.remainingQty, 0);
  let cancel: AdminOrderActions['cancel'] = null;
  if (order.status === 'pending') {
    cancel = { kind: 'release', units: lines.reduce((n, l) => n + l.qty, 0) };
  } else if (order.status === 'paid' && parcels.length === 0 && canTransition('paid', 'canceled')) {
    const plan = planRefund(lines, 'all', { shippingCents: order.shippingCents, shippingRefunded: order.refundedCents >= order.totalCents });
    if (plan.ok) cancel = { kind: 'refund', amountCents: Math.min(plan.amountCents, order.totalCents - order.refundedCents), units: remaining };
  }
  return {
    ship: shipRefusal(order, lines) === null,
    deliver: parcels.filter((p) => p.deliveredAt === null && p.returnedAt === null).map((p) => p.id),
    markReturned: parcels.filter((p) => p.returnedAt === null).map((p) => p.id),
    cancel,
    refund: REFUNDABLE.includes(order.status) && order.refundedCents < order.totalCents && remaining > 0,
  };
}

// ---------------------------------------------------------------------------------------------
// Actions

export type AdminRefusalReason =
  | 'not_found'
  | 'invalid'
  | 'not_allowed'
  | 'conflict'
  | 'nothing_to_refund'
  | 'unknown_line'
  | 'too_many'
  | 'not_refundable'
  | 'provider_failed';


export type AdminRefusal = { ok: false; reason: AdminRefusalReason; message: string; fieldErrors?: Record<string, string> };

function refuse(reason: AdminRefusalReason, message: string, fieldErrors?: Record<string, string>): AdminRefusal {
  return fieldErrors ? { ok: false, reason, message, fieldErrors } : { ok: false, reason, message };
}

const locks = new Map<number, Promise<unknown>>();

/** Runs admin actions on one order one after another in this process (double submits). */
async function withOrderLock<T>(orderId: number, fn: () => Promise<T>): Promise<T> {
  const prev = locks.get(orderId) ?? Promise.resolve();
  const run = prev.then(fn, fn);
  const tail = run.catch(() => undefined);
  locks.set(orderId, tail);
  try {
    return await run;
  } finally {
    if (locks.get(orderId) === tail) locks.delete(orderId);
  }
}

const printable = (s: string) => !/[\u0000-\u001f\u007f]/.test(s);

export const shipmentSchema = z.object({
  carrier: z
    .string({ error: 'Enter the carrier.' })
    .trim()
    .min(1, 'Enter the carrier.')
    .max(60, 'Keep the carrier under 60 characters.')
    .refine(printable, 'The carrier contains characters that cannot be printed.'),
  trackingNumber: z
    .string({ error: 'Enter the tracking number.' })
    .trim()
    .min(1, 'Enter the tracking number.')
    .max(64, 'Keep the tracking number under 64 characters.')
    .regex(/^[A-Za-z0-9][A-Za-z0-9 -]*$/, 'Tracking numbers use letters, digits, spaces and dashes only.')
    .min(4, 'That tracking number is too short.'),
});

function shipRefusal(order: Pick<OrderRow, 'status' | 'needsRefund'>, lines: readonly Pick<AdminShippingLine, 'toShipQty'>[]): string | null {
  if (!KEPT_PAYMENT_STATUSES.includes(order.status)) {
    if (order.status === 'pending') return 'This order has not been paid yet, so it cannot be shipped.';
    return `A ${STATUS_LABEL[order.status].toLowerCase()} order cannot be shipped.`;
  }
  if (order.needsRefund) return 'The payment for this order is owed back to the buyer, so it is not shipped.';
  if (lines.every((l) => l.toShipQty <= 0)) return 'Everything on this order has already been shipped or refunded; there is nothing left to ship.';
  return null;
}

async function loadLines(tx: DbOrTx, orderId: number): Promise<AdminShippingLine[]> {
  const [lines, parcels, shipDates] = await Promise.all([
    tx.select().from(orderLines).where(eq(orderLines.orderId, orderId)).orderBy(orderLines.id),
    loadShipments(tx, orderId),
    presaleShipDates(tx, [orderId]),
  ]);
  const shipped = shippedQtyByLine(parcels);
  return lines.map((l) => ({
    ...l,
    shipsOn: shipDates.get(l.id) ?? null,
    netCents: l.subtotalCents - l.discountCents,
    remainingQty: l.qty - l.refundedQty,
    shippedQty: shipped.get(l.id) ?? 0,
    toShipQty: toShipQty(l, shipped.get(l.id) ?? 0),
  }));
}

export type ShipResult = { ok: true; shipmentId: number; fulfilmentStatus: FulfilmentStatus } | AdminRefusal;

/** What goes in the parcel: everything left to ship, or some units of some lines. */
export type ShipmentRequest = 'all' | { lineId: number; qty: number }[];

/**
 * Sends a parcel: the chosen units (never more than ordered − refunded − already shipped) with
 * carrier and tracking number. One transaction writes the shipment and its items, the order's
 * fulfilment state, a history entry in words and the "shipped" email in the outbox; a refusal
 * writes nothing. orders.carrier/tracking_number keep the latest parcel for older readers.
 */
export async function markShipped(
  db: Db,
  {
    orderId,
    carrier,
    trackingNumber,
    lines: request,
    actor,
    now = Date.now(),
    emailCtx,
    timeZone = 'UTC',
  }: {
    orderId: number;
    carrier: unknown;
    trackingNumber: unknown;
    lines: ShipmentRequest;
    actor: string;
    now?: number;
    emailCtx: EmailContext;
    /** The shop's time zone: a pre-order ships from its ship date there. */
    timeZone?: string;
  },
): Promise<ShipResult> {
  const parsed = shipmentSchema.safeParse({ carrier, trackingNumber });
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {};
    for (const i of parsed.error.issues) fieldErrors[String(i.path[0])] ??= i.message;
    return refuse('invalid', Object.values(fieldErrors).join(' '), fieldErrors);
  }
  const parcel = parsed.data;
  return withOrderLock(orderId, () =>
    db.transaction(async (tx): Promise<ShipResult> => {
      const order = await tx.select().from(orders).where(eq(orders.id, orderId)).get();
      if (!order) return refuse('not_found', 'No such order.');
      const lines = await loadLines(tx, orderId);
      const why = shipRefusal(order, lines);
      if (why) return refuse('not_allowed', why);
      const plan = planShipment(lines, await loadShipments(tx, orderId), request);
      if (!plan.ok) return refuse(plan.reason === 'nothing_to_ship' ? 'invalid' : plan.reason, plan.message, plan.fieldErrors);
      // Pre-ordered units (ADR 0055) ship from their promised date, taken from stock as they go.
      const today = shopDate(now, timeZone);
      const fromStock: { variantId: number; qty: number }[] = [];
      for (const p of plan.lines) {
        const line = lines.find((l) => l.id === p.orderLineId)!;
        const shipsOn = line.shipsOn;
        if (shipsOn === null) continue;
        const name = `${line.title}${line.variantLabel ? ` (${line.variantLabel})` : ''}`;
        if (today < shipsOn) return refuse('not_allowed', `${name} is a pre-order that ships on ${shipDateText(shipsOn, today)}: it can go in a parcel from that day.`);
        const qty = Math.min(await owedUnits(tx, orderId, line.variantId), p.qty);
        if (qty === 0) continue;
        const onHand = (await tx.select({ n: variants.stockOnHand }).from(variants).where(eq(variants.id, line.variantId)).get())?.n ?? 0;
        if (onHand < qty) return refuse('not_allowed', `Record the arrived stock of ${name} first: ${qty} to send, ${onHand} on hand.`);
        fromStock.push({ variantId: line.variantId, qty });
      }
      for (const f of fromStock) {
        if (!(await takeFromStock(tx, f.variantId, f.qty))) throw new Error(`stock of variant ${f.variantId} changed inside the shipping transaction`);
        await settleOwed(tx, orderId, f.variantId, f.qty, 'converted');
      }
      const [row] = await tx.insert(shipments).values({ orderId, carrier: parcel.carrier, trackingNumber: parcel.trackingNumber, shippedAt: now, actor }).returning({ id: shipments.id });
      const shipmentId = row!.id;
      await tx.insert(shipmentLines).values(plan.lines.map((l) => ({ shipmentId, orderLineId: l.orderLineId, qty: l.qty })));
      const fulfilmentStatus = await refreshFulfilment(tx, orderId, now);
      await tx.update(orders).set({ carrier: parcel.carrier, trackingNumber: parcel.trackingNumber, updatedAt: now }).where(eq(orders.id, orderId));
      const items = plan.lines.map((p) => ({ ...lines.find((l) => l.id === p.orderLineId)!, qty: p.qty }));
      await tx.insert(orderEvents).values({
        orderId,
        at: now,
        actor,
        note: `Shipped ${itemsInWords(items)} with ${carrierName(parcel.carrier)}, tracking ${parcel.trackingNumber}${fulfilmentStatus === 'partial' ? '; more to ship' : ''}`,
      });
      await enqueueShipped(tx, orderId, emailCtx, { ...parcel, items }, now);
      return { ok: true, shipmentId, fulfilmentStatus };
    }),
  );
}

export type ParcelResult = { ok: true; fulfilmentStatus: FulfilmentStatus } | AdminRefusal;

async function parcelOf(tx: DbOrTx, orderId: number, shipmentId: number) {
  return tx.select().from(shipments).where(and(eq(shipments.id, shipmentId), eq(shipments.orderId, orderId))).get();
}

/** A parcel arrived. */
export async function markDelivered(db: Db, { orderId, shipmentId, actor, now = Date.now() }: { orderId: number; shipmentId: number; actor: string; now?: number }): Promise<ParcelResult> {
  return withOrderLock(orderId, () =>
    db.transaction(async (tx): Promise<ParcelResult> => {
      const p = await parcelOf(tx, orderId, shipmentId);
      if (!p) return refuse('not_found', 'That parcel is not on this order. Reload the order and try again.');
      if (p.returnedAt !== null) return refuse('not_allowed', 'This parcel came back to the shop, so it cannot be marked delivered.');
      if (p.deliveredAt !== null) return refuse('not_allowed', 'This parcel is already marked delivered.');
      await tx.update(shipments).set({ deliveredAt: now }).where(eq(shipments.id, shipmentId));
      const fulfilmentStatus = await refreshFulfilment(tx, orderId, now);
      await tx.insert(orderEvents).values({ orderId, at: now, actor, note: `Parcel with ${carrierName(p.carrier)} tracking ${p.trackingNumber} marked delivered` });
      return { ok: true, fulfilmentStatus };
    }),
  );
}

/**
 * A parcel came back to the shop. Money and stock are not touched: the admin refunds (with
 * restock) what came back as a separate, confirmed step.
 */
export async function markReturned(db: Db, { orderId, shipmentId, actor, now = Date.now() }: { orderId: number; shipmentId: number; actor: string; now?: number }): Promise<ParcelResult> {
  return withOrderLock(orderId, () =>
    db.transaction(async (tx): Promise<ParcelResult> => {
      const p = await parcelOf(tx, orderId, shipmentId);
      if (!p) return refuse('not_found', 'That parcel is not on this order. Reload the order and try again.');
      if (p.returnedAt !== null) return refuse('not_allowed', 'This parcel is already marked returned.');
      await tx.update(shipments).set({ returnedAt: now }).where(eq(shipments.id, shipmentId));
      const fulfilmentStatus = await refreshFulfilment(tx, orderId, now);
      await tx.insert(orderEvents).values({ orderId, at: now, actor, note: `Parcel with ${carrierName(p.carrier)} tracking ${p.trackingNumber} came back to the shop` });
      return { ok: true, fulfilmentStatus };
    }),
  );
}

export const orderNoteSchema = z
  .string({ error: 'Write the note first.' })
  .trim()
  .min(1, 'Write the note first.')
  .max(2000, 'Keep the note under 2,000 characters.')
  .refine((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s), 'The note contains characters that cannot be shown.');

export type NoteResult = { ok: true; noteId: number } | AdminRefusal;

/** An internal note on the order (the shop's eyes only; never on the buyer's page or in an email). */
export async function addOrderNote(db: Db, { orderId, body, actor, now = Date.now() }: { orderId: number; body: unknown; actor: string; now?: number }): Promise<NoteResult> {
  const parsed = orderNoteSchema.safeParse(body);
  if (!parsed.success) {
    const message = parsed.error.issues[0]?.message ?? 'The note could not be saved.';
    return refuse('invalid', message, { note: message });
  }
  const exists = await db.select({ id: orders.id }).from(orders).where(eq(orders.id, orderId)).get();
  if (!exists) return refuse('not_found', 'No such order.');
  const [row] = await db.insert(orderNotes).values({ orderId, body: parsed.data, actor, createdAt: now }).returning({ id: orderNotes.id });
  return { ok: true, noteId: row!.id };
}

/** Thrown inside a refund transaction to roll it back when the order moved under us. */
class OrderChanged extends Error {
  constructor(readonly detail: string) {
    super(detail);
  }
}

export type CancelResult = { ok: true; status: 'canceled'; refundedCents: number } | AdminRefusal;

/**
 * Cancels an order the shop will not fulfil.
 * - pending: the reservation and coupon redemption are released (releaseOrder); no money was taken.
 * - paid (not shipped): refunded in full and every unit restocked, then `canceled` (see the header).
 * Anything else is refused: a shipped order is refunded (with restock when it comes back) instead.
 */
export async function cancelOrder(
  db: Db,
  provider: PaymentProvider,
  { orderId, actor, now = Date.now(), hooks }: { orderId: number; actor: string; now?: number; hooks: RefundHooks },
): Promise<CancelResult> {
  return withOrderLock(orderId, async (): Promise<CancelResult> => {
    const order = await db.select().from(orders).where(eq(orders.id, orderId)).get();
    if (!order) return refuse('not_found', 'No such order.');

    if (order.status === 'pending') {
      return db.transaction(async (tx): Promise<CancelResult> => {
        const { released } = await releaseOrder(tx, orderId, { now, actor, note: 'Canceled by the shop before payment; reservation released' });
        if (!released) return refuse('conflict', 'The order changed while it was being canceled (it may just have been paid). Reload it and check.');
        return { ok: true, status: 'canceled', refundedCents: 0 };
      });
    }

    if (order.status !== 'paid' || !canTransition(order.status, 'canceled')) return refuse('not_allowed', cancelRefusal(order.status));
    if (order.fulfilmentStatus !== 'unfulfilled') return refuse('not_allowed', cancelRefusal('shipped'));

    const result = await refundOrder(db, provider, {
      orderId,
      request: 'all',
      restock: true,
      actor,
      now,
      hooks: {
        onRefunded: async (tx, id, lines, amountCents) => {
          const ev = await tx.select().from(orderEvents).where(eq(orderEvents.orderId, id)).orderBy(desc(orderEvents.id)).limit(1).get();
          // refundOrder has just written its event: it must be ours, and must start from `paid`.
          if (!ev || ev.fromStatus !== 'paid' || ev.toStatus !== 'refunded' || ev.actor !== actor) throw new OrderChanged(ev?.fromStatus ?? 'unknown');
          // A parcel sent by someone else meanwhile: a shipped order is refunded, never canceled.
          const parcel = await tx.select({ id: shipments.id }).from(shipments).where(eq(shipments.orderId, id)).limit(1).get();
          const shippedMeanwhile = await tx.select({ f: orders.fulfilmentStatus }).from(orders).where(eq(orders.id, id)).get();
          if (parcel || (shippedMeanwhile && shippedMeanwhile.f !== 'unfulfilled')) throw new OrderChanged('shipped');
          await tx.update(orders).set({ status: 'canceled', updatedAt: now }).where(and(eq(orders.id, id), eq(orders.status, 'refunded')));
          await tx
            .update(orderEvents)
            .set({ toStatus: 'canceled', note: `Canceled by the shop before shipping. ${ev.note ?? ''}`.trim() })
            .where(eq(orderEvents.id, ev.id));
          await tx.update(couponRedemptions).set({ releasedAt: now }).where(and(eq(couponRedemptions.orderId, id), isNull(couponRedemptions.releasedAt)));
          await hooks.onRefunded(tx, id, lines, amountCents);
        },
      },
    }).catch((err: unknown) => {
      if (err instanceof OrderChanged) return null;
      throw err;
    });
    if (result === null) {
      return refuse(
        'conflict',
        'The order changed while it was being canceled (it was shipped, refunded or canceled at the same moment), so the cancelation was not recorded. Reload the order and check its status and payment events.',
      );
    }
    if (!result.ok) return refuse(result.reason, result.message);
    return { ok: true, status: 'canceled', refundedCents: result.amountCents };
  });
}

function cancelRefusal(status: OrderStatus | 'shipped'): string {
  switch (status) {
    case 'shipped':
      return 'A shipped order cannot be canceled. Refund it instead (and restock when the items come back).';
    case 'partially_refunded':
      return 'This order has been partly refunded. Refund the rest instead, with restock if the items are still here.';
    case 'canceled':
      return 'This order is already canceled.';
    case 'refunded':
      return 'This order has been refunded in full; there is nothing left to cancel.';
    default:
      return `A ${status} order cannot be canceled.`;
  }
}

export type RefundPreview =
  | {
      ok: true;
      amountCents: number;
      includesShipping: boolean;
      restock: boolean;
      lines: { lineId: number; qty: number; amountCents: number; title: string; variantLabel: string; sku: string }[];
    }
  | AdminRefusal;

/** What a refund would do, priced exactly as refundOrder will (for the confirmation step). */
export async function previewRefund(
  db: DbOrTx,
  { orderId, request, restock }: { orderId: number; request: RefundRequest; restock: boolean },
): Promise<RefundPreview> {
  const order = await db.select().from(orders).where(eq(orders.id, orderId)).get();
  if (!order) return refuse('not_found', 'No such order.');
  if (!REFUNDABLE.includes(order.status)) return refuse('not_refundable', `A ${STATUS_LABEL[order.status].toLowerCase()} order cannot be refunded.`);
  const lines = await loadLines(db, orderId);
  const plan = planRefund(lines, request, { shippingCents: order.shippingCents, shippingRefunded: order.refundedCents >= order.totalCents });
  if (!plan.ok) return refuse(plan.reason, plan.message);
  const amountCents = Math.min(plan.amountCents, order.totalCents - order.refundedCents);
  if (amountCents <= 0) return refuse('nothing_to_refund', 'This order has been refunded in full.');
  return {
    ok: true,
    amountCents,
    includesShipping: plan.includesShipping,
    restock,
    lines: plan.lines.map((p) => {
      const l = lines.find((x) => x.id === p.lineId)!;
      return { ...p, title: l.title, variantLabel: l.variantLabel, sku: l.sku };
    }),
  };
}

/**
 * Pure: the sentence the confirmation shows.
 * @example refundSummary({ lines: 2, amountCents: 8400, includesShipping: false, restock: true }, fmt) // "Refund 2 lines, $84.00, and restock"
 */
export function refundSummary(
  { lines, amountCents, includesShipping, restock }: { lines: number; amountCents: number; includesShipping: boolean; restock: boolean },
  formatMoney: (cents: number) => string,
): string {
  const what = `${lines} ${lines === 1 ? 'line' : 'lines'}${includesShipping ? ' and shipping' : ''}`;
  return `Refund ${what}, ${formatMoney(amountCents)}, ${restock ? 'and restock' : 'without restocking'}`;
}

/** Pure: what "Cancel order" will do, in words. */
export function cancelSummary(cancel: NonNullable<AdminOrderActions['cancel']>, formatMoney: (cents: number) => string): string {
  const items = (n: number) => `${n} ${n === 1 ? 'item' : 'items'}`;
  if (cancel.kind === 'release') return `Cancel the order and release the ${items(cancel.units)} held for it. No payment has been taken.`;
  return `Cancel the order, refund ${formatMoney(cancel.amountCents)} in full, and return ${items(cancel.units)} to stock.`;
}

export type AdminRefundResult = { ok: true; amountCents: number; status: 'refunded' | 'partially_refunded' } | AdminRefusal;

/**
 * Refunds in full or per line, optionally restocking, through refundOrder. The extra check in the
 * hook rolls the record back if a concurrent refund (another instance) would push a line past its
 * quantity.
 */
export async function refundOrderAsAdmin(
  db: Db,
  provider: PaymentProvider,
  {
    orderId,
    request,
    restock,
    actor,
    now = Date.now(),
    hooks,
  }: { orderId: number; request: RefundRequest; restock: boolean; actor: string; now?: number; hooks: RefundHooks },
): Promise<AdminRefundResult> {
  return withOrderLock(orderId, async (): Promise<AdminRefundResult> => {
    const result = await refundOrder(db, provider, {
      orderId,
      request,
      restock,
      actor,
      now,
      hooks: {
        onRefunded: async (tx: Tx, id, lines, amountCents) => {
          const over = await tx
            .select({ id: orderLines.id })
            .from(orderLines)
            .where(and(eq(orderLines.orderId, id), sql`${orderLines.refundedQty} > ${orderLines.qty}`))
            .get();
          if (over) throw new OrderChanged('over_refunded');
          await hooks.onRefunded(tx, id, lines, amountCents);
        },
      },
    }).catch((err: unknown) => {
      if (err instanceof OrderChanged) return null;
      throw err;
    });
    if (result === null) {
      return refuse('conflict', 'Another refund of this order landed at the same moment, so this one was not recorded. Reload the order and check what is left to refund.');
    }
    if (!result.ok) return refuse(result.reason, result.message);
    return result;
  });
}
