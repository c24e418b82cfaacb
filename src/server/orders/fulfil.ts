/**
 * The one path from a payment provider's report to the order (docs/architecture.md, rule 3).
 *
 * `handlePaymentEvent` runs in one write transaction: it records the provider event id first
 * (a repeated delivery is recognised and changes nothing), then applies the event through the
 * state machine, so events can arrive twice and in any order:
 * - paid (completed/succeeded) → `fulfil`: live reservations become sales (stock decremented once);
 *   a payment that arrives after its reservation lapsed (or after the order was canceled) is
 *   honoured from free stock, or, if stock is short, marked `needs_refund` — never sold below zero.
 * - failed / expired → the pending order is canceled and its reservation released; on a paid order
 *   these change nothing.
 * - refunded / disputed → recorded against the order. A refund may be reported before the payment
 *   (Stripe does not order its events): it is recorded on the pending order, and when the payment
 *   then lands `fulfil` applies it — refunded in full → 'refunded', no stock taken, no commission;
 *   in part → paid, then partially refunded with the commission reversed in proportion
 *   (docs/decisions/0035-payment-events-in-any-order.md).
 */
import { and, eq, notInArray, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db.ts';
import { cartLines, orderEvents, orderLines, orders, paymentEvents, stockReservations, variants } from '../../../db/schema/index.ts';
import { availableSql, bumpCatalogVersion } from '../catalog/index.ts';
import type { PaymentEvent } from '../payments/index.ts';
import { releaseOrder } from './release.ts';
import { keepOwedHolds } from './preorders.ts';
import { presaleLinesOf } from '../sales/index.ts';
import { canTransition, statusAfterRefund } from './state.ts';
import { formatMoney } from '../shared/index.ts';

export type EventOutcome =
  | 'duplicate'
  | 'unknown_order'
  | 'fulfilled'
  | 'fulfilled_late'
  | 'needs_refund'
  | 'refunded_before_payment'
  | 'already_paid'
  | 'awaiting_payment'
  | 'released'
  | 'ignored'
  | 'refund_recorded'
  | 'dispute_recorded'
  /** A group seat's card was authorised and is held until the group fills (src/server/social). */
  | 'authorised'
  /** …and it was the last seat: the group filled, captures follow. */
  | 'group_filled'
  /** The authorisation came for a group that had ended or filled (or a seat given up): it is voided. */
  | 'authorisation_voided';

/**
 * What a manual-capture authorisation means for its order, decided by the group-buy workflow
 * (src/server/flows/groups.ts) in this same transaction. Required, like the hooks: an
 * authorisation cannot be recorded without being applied. 'ignored' when the order is no group seat.
 */
export type AuthorisationHook = (tx: Tx, orderId: number, paymentId: string | null) => Promise<'authorised' | 'group_filled' | 'authorisation_voided' | 'ignored'>;

/**
 * What else must be written in the same transaction. Required, and built in one place
 * (src/server/flows/effects.ts): recording a payment without crediting it cannot be written.
 */
export interface FulfilHooks {
  /** The order became paid: credit its lines, enqueue the confirmation. */
  onPaid: (tx: Tx, orderId: number) => Promise<void>;
  /** A refund was recorded from the provider's side: reverse commission. */
  onRefundRecorded: (tx: Tx, orderId: number, refundedCents: number) => Promise<void>;
  /** A dispute was opened: reverse commission. */
  onDispute: (tx: Tx, orderId: number, amountCents: number) => Promise<void>;
}

export async function handlePaymentEvent(
  db: Db,
  event: PaymentEvent,
  { now, hooks, onAuthorized }: { now: number; hooks: FulfilHooks; onAuthorized: AuthorisationHook },
): Promise<{ outcome: EventOutcome; orderId: number | null }> {
  return db.transaction(async (tx) => {
    const seen = await tx.select({ outcome: paymentEvents.outcome }).from(paymentEvents).where(eq(paymentEvents.id, event.id)).get();
    if (seen) return { outcome: 'duplicate' as const, orderId: event.orderId };
    const order = await tx.select().from(orders).where(eq(orders.id, event.orderId)).get();
    const record = async (outcome: EventOutcome) => {
      await tx.insert(paymentEvents).values({
        id: event.id,
        provider: event.provider,
        type: event.type,
        orderId: order ? order.id : null,
        outcome,
        receivedAt: now,
      });
      return { outcome, orderId: order ? order.id : null };
    };
    if (!order) return record('unknown_order');
    const actor = `provider:${event.provider}`;

    switch (event.type) {
      case 'checkout_completed':
        if (!event.paid) {
          // Delayed methods (bank debits): wait for payment_succeeded / payment_failed.
          if (event.paymentId) await tx.update(orders).set({ providerPaymentId: event.paymentId }).where(eq(orders.id, order.id));
          await tx.insert(orderEvents).values({ orderId: order.id, at: now, actor, note: 'Checkout completed; payment is processing' });
          return record('awaiting_payment');
        }
        return record(await fulfil(tx, order.id, event.paymentId, { now, actor, hooks }));
      case 'payment_succeeded':
        return record(await fulfil(tx, order.id, event.paymentId, { now, actor, hooks }));
      case 'payment_failed':
      case 'checkout_expired': {
        const note = event.type === 'payment_failed' ? 'Payment failed or was declined; reservation released' : 'Checkout expired; reservation released';
        const { released } = await releaseOrder(tx, order.id, { now, actor, note });
        return record(released ? 'released' : 'ignored');
      }
      case 'charge_refunded': {
        if (event.amountRefundedCents <= order.refundedCents) return record('ignored');
        const full = statusAfterRefund(order.totalCents, event.amountRefundedCents);
        // A canceled order only ever had money back in full (a late payment); pending has none.
        const to = canTransition(order.status, full) ? full : order.status === 'canceled' ? 'refunded' : order.status;
        await tx
          .update(orders)
          .set({
            refundedCents: Math.min(order.totalCents, event.amountRefundedCents),
            status: to,
            // the money owed back has gone back (e.g. refunded from the provider's dashboard)
            ...(full === 'refunded' ? { needsRefund: false } : {}),
            updatedAt: now,
          })
          .where(eq(orders.id, order.id));
        await tx.insert(orderEvents).values({
          orderId: order.id,
          at: now,
          fromStatus: order.status,
          toStatus: to,
          actor,
          note: `The payment provider recorded a refund: ${formatMoney(event.amountRefundedCents, { currency: order.currency, locale: 'en-US' })} refunded in total`,
        });
        await hooks.onRefundRecorded(tx, order.id, event.amountRefundedCents - order.refundedCents);
        return record('refund_recorded');
      }
      case 'dispute_created':
        await tx.insert(orderEvents).values({ orderId: order.id, at: now, actor, note: `The buyer disputed the payment (${formatMoney(event.amountCents, { currency: order.currency, locale: 'en-US' })}) with their bank` });
        await hooks.onDispute(tx, order.id, event.amountCents);
        return record('dispute_recorded');
      case 'payment_authorized':
        // Nothing is sold on an authorisation: the group-buy workflow holds or voids the seat;
        // the sale happens when the group fills and the capture is reported as payment_succeeded.
        return record(await onAuthorized(tx, order.id, event.paymentId));
    }
  });
}

/**
 * Turns a paid order's reservation into a sale. Safe to run twice: only a pending or canceled order
 * (a late payment) is fulfilled; anything already paid returns 'already_paid'.
 */
export async function fulfil(
  tx: Tx,
  orderId: number,
  paymentId: string | null,
  { now, actor, hooks }: { now: number; actor: string; hooks: FulfilHooks },
): Promise<EventOutcome> {
  const order = await tx.select().from(orders).where(eq(orders.id, orderId)).get();
  if (!order) return 'unknown_order';
  // Paid once already (even if since canceled or refunded): this payment never revives the order.
  if (order.paidAt !== null || (order.status !== 'pending' && order.status !== 'canceled')) return 'already_paid';
  if (order.needsRefund) return 'needs_refund';

  // The provider reported a full refund before this payment: the money is already back, so nothing
  // is sold — the hold is released, no stock is taken, nothing is credited, nothing is owed back.
  if (order.refundedCents > 0 && order.refundedCents >= order.totalCents) {
    await tx
      .update(stockReservations)
      .set({ status: 'released' })
      .where(and(eq(stockReservations.orderId, orderId), eq(stockReservations.status, 'active')));
    await tx
      .update(orders)
      .set({ status: 'refunded', needsRefund: false, updatedAt: now, ...(paymentId ? { providerPaymentId: paymentId } : {}) })
      .where(eq(orders.id, orderId));
    await tx.insert(orderEvents).values({
      orderId,
      at: now,
      fromStatus: order.status,
      toStatus: 'refunded',
      actor,
      note: 'Paid, but the payment had already been refunded in full: no stock taken, no commission',
    });
    await bumpCatalogVersion(tx);
    return 'refunded_before_payment';
  }
  // The buyer placed the same bag again: that later order is the one they meant to pay. A payment
  // that still lands here goes back in full (the payment workflow refunds it and tells the buyer).
  if (order.supersededByOrderId !== null) {
    const later = await tx.select({ number: orders.number }).from(orders).where(eq(orders.id, order.supersededByOrderId)).get();
    if (paymentId) await tx.update(orders).set({ providerPaymentId: paymentId }).where(eq(orders.id, orderId));
    if (order.status === 'pending') await releaseOrder(tx, orderId, { now, actor, note: 'Paid after being superseded' });
    await tx.update(orders).set({ needsRefund: true, updatedAt: now }).where(eq(orders.id, orderId));
    await tx.insert(orderEvents).values({
      orderId,
      at: now,
      actor,
      note: `Paid after the buyer placed the same bag again${later ? ` as order ${later.number}` : ''}: this payment is refunded automatically`,
    });
    return 'needs_refund';
  }
  // The shop canceled this order on purpose: a payment that still arrives goes back, it does not revive it.
  const canceledByShop =
    order.status === 'canceled' &&
    (await tx
      .select({ id: orderEvents.id })
      .from(orderEvents)
      .where(and(eq(orderEvents.orderId, orderId), eq(orderEvents.toStatus, 'canceled'), sql`${orderEvents.actor} like 'admin:%'`))
      .get()) !== undefined;

  const lines = await tx
    .select({
      id: orderLines.id,
      variantId: orderLines.variantId,
      qty: orderLines.qty,
      onHand: variants.stockOnHand,
      available: availableSql(now),
    })
    .from(orderLines)
    .innerJoin(variants, eq(variants.id, orderLines.variantId))
    .where(eq(orderLines.orderId, orderId));
  const live = await tx
    .select({ variantId: stockReservations.variantId, qty: stockReservations.qty })
    .from(stockReservations)
    .where(and(eq(stockReservations.orderId, orderId), eq(stockReservations.status, 'active'), sql`${stockReservations.expiresAt} > ${now}`));
  const held = new Map<number, number>();
  for (const r of live) held.set(r.variantId, (held.get(r.variantId) ?? 0) + r.qty);

  // A line is covered by its own live reservation, or by free stock (available excludes this
  // order's reservations once they have lapsed or been released); and on hand must cover it.
  // A pre-order line (ADR 0055) takes nothing from stock: its own hold, or room left in its
  // presale's cap, covers it.
  const preorders = await presaleLinesOf(tx, orderId, now);
  let late = order.status === 'canceled';
  const coverable = lines.every((l) => {
    const own = held.get(l.variantId) ?? 0;
    if (own < l.qty) late = true;
    const pre = preorders.get(l.id);
    if (pre) return own >= l.qty || pre.room >= l.qty;
    const covered = own >= l.qty || Number(l.available) >= l.qty;
    return covered && l.onHand >= l.qty;
  });

  if (!coverable || canceledByShop) {
    if (paymentId) await tx.update(orders).set({ providerPaymentId: paymentId }).where(eq(orders.id, orderId));
    if (order.status === 'pending') await releaseOrder(tx, orderId, { now, actor, note: 'Payment arrived after the reservation lapsed' });
    await tx.update(orders).set({ needsRefund: true, updatedAt: now }).where(eq(orders.id, orderId));
    await tx.insert(orderEvents).values({
      orderId,
      at: now,
      actor,
      note: canceledByShop ? 'Paid after the shop canceled the order: the payment must be refunded' : 'Paid, but the stock is gone: the payment must be refunded',
    });
    return 'needs_refund';
  }

  for (const l of lines) {
    if (preorders.has(l.id)) continue; // owed: taken from stock when it ships (preorders.ts)
    const res = await tx
      .update(variants)
      .set({ stockOnHand: sql`${variants.stockOnHand} - ${l.qty}` })
      .where(and(eq(variants.id, l.variantId), sql`${variants.stockOnHand} >= ${l.qty}`))
      .returning({ id: variants.id });
    if (res.length === 0) throw new Error(`stock for variant ${l.variantId} changed inside the fulfilment transaction`);
  }
  const owed = lines.filter((l) => preorders.has(l.id));
  if (owed.length) {
    await tx
      .update(stockReservations)
      .set({ status: 'converted' })
      .where(and(eq(stockReservations.orderId, orderId), eq(stockReservations.status, 'active'), notInArray(stockReservations.variantId, owed.map((l) => l.variantId))));
    await keepOwedHolds(tx, orderId, owed, now);
  } else {
    await tx.update(stockReservations).set({ status: 'converted' }).where(and(eq(stockReservations.orderId, orderId), eq(stockReservations.status, 'active')));
  }
  // Lines carry the payment time too, for reports by line (dashboard, trending).
  await tx.update(orderLines).set({ paidAt: now }).where(eq(orderLines.orderId, orderId));
  await tx
    .update(orders)
    .set({ status: 'paid', paidAt: now, updatedAt: now, ...(paymentId ? { providerPaymentId: paymentId } : {}) })
    .where(eq(orders.id, orderId));
  await tx.insert(orderEvents).values({
    orderId,
    at: now,
    fromStatus: order.status,
    toStatus: 'paid',
    actor,
    note:
      owed.length === lines.length
        ? `Paid${late ? ' after the hold lapsed' : ''}; pre-ordered units kept for it until they ship`
        : `${late ? 'Paid after the reservation lapsed; honoured from free stock' : 'Paid; reserved stock sold'}${owed.length ? ', pre-ordered units kept until they ship' : ''}`,
  });
  if (order.cartId) await tx.delete(cartLines).where(eq(cartLines.cartId, order.cartId));
  await bumpCatalogVersion(tx);
  await hooks.onPaid(tx, orderId);
  if (order.refundedCents > 0) {
    // Part of this payment was refunded before it was reported: the sale stands, the refund follows.
    await tx.update(orders).set({ status: 'partially_refunded', updatedAt: now }).where(eq(orders.id, orderId));
    await tx.insert(orderEvents).values({
      orderId,
      at: now,
      fromStatus: 'paid',
      toStatus: 'partially_refunded',
      actor,
      note: `The refund reported before the payment is applied: ${formatMoney(order.refundedCents, { currency: order.currency, locale: 'en-US' })} refunded in total`,
    });
    await hooks.onRefundRecorded(tx, orderId, order.refundedCents);
  }
  return late ? 'fulfilled_late' : 'fulfilled';
}

/** An order's total and what has been refunded of it, for reversing commission in proportion. */
export async function orderTotals(tx: Tx, orderId: number): Promise<{ refundedCents: number; totalCents: number } | undefined> {
  return tx.select({ refundedCents: orders.refundedCents, totalCents: orders.totalCents }).from(orders).where(eq(orders.id, orderId)).get();
}
