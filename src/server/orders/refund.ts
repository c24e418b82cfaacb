/**
 * Refunds: full or per line, optionally restocking, through the payment provider.
 *
 * Money first, then the record: the provider is asked to refund (with an idempotency key derived
 * from the order and what has been refunded so far, so a double-click refunds once); only after it
 * succeeds is the refund written. If the write were lost, the provider's `charge.refunded` webhook
 * reconciles the amount (fulfil.ts).
 *
 * Amounts: a line's refundable money is its net (subtotal − its share of the discount); refunding
 * q of its n units returns floor(net·(r+q)/n) − floor(net·r/n) where r units were refunded before,
 * so refunding every unit one by one returns exactly the net. Shipping is returned when the last
 * unit of the order is refunded.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db.ts';
import { orderEvents, orderLines, orders, variants } from '../../../db/schema/index.ts';
import { bumpCatalogVersion } from '../catalog/index.ts';
import type { PaymentProvider } from '../payments/index.ts';
import { KEPT_PAYMENT_STATUSES, STATUS_LABEL, statusAfterRefund } from './state.ts';
import { refreshFulfilment } from './shipments.ts';
import { settleOwed } from './preorders.ts';
import { releasePresaleUnits } from '../sales/index.ts';
import { formatMoney } from '../shared/index.ts';

export interface RefundLineRequest {
  lineId: number;
  qty: number;
}

export interface RefundLineState {
  id: number;
  qty: number;
  refundedQty: number;
  subtotalCents: number;
  discountCents: number;
}

/** Pure: the money for refunding `qty` more units of a line. */
export function lineRefundAmount(line: RefundLineState, qty: number): number {
  const net = line.subtotalCents - line.discountCents;
  const before = Math.floor((net * line.refundedQty) / line.qty);
  const after = Math.floor((net * (line.refundedQty + qty)) / line.qty);
  return after - before;
}

export type RefundPlan =
  | { ok: true; amountCents: number; lines: { lineId: number; qty: number; amountCents: number }[]; includesShipping: boolean }
  | { ok: false; reason: 'nothing_to_refund' | 'unknown_line' | 'too_many'; message: string };

/** Pure: validates a refund request against the lines and prices it. */
export function planRefund(
  lines: readonly RefundLineState[],
  request: readonly RefundLineRequest[] | 'all',
  { shippingCents, shippingRefunded }: { shippingCents: number; shippingRefunded: boolean },
): RefundPlan {
  const wanted =
    request === 'all'
      ? lines.filter((l) => l.qty > l.refundedQty).map((l) => ({ lineId: l.id, qty: l.qty - l.refundedQty }))
      : request.filter((r) => r.qty > 0);
  if (wanted.length === 0) return { ok: false, reason: 'nothing_to_refund', message: 'Choose at least one item to refund.' };
  const seen = new Set<number>();
  const out: { lineId: number; qty: number; amountCents: number }[] = [];
  for (const r of wanted) {
    const line = lines.find((l) => l.id === r.lineId);
    if (!line || seen.has(r.lineId)) return { ok: false, reason: 'unknown_line', message: 'That item is not on this order.' };
    seen.add(r.lineId);
    if (!Number.isInteger(r.qty) || r.qty > line.qty - line.refundedQty) {
      return { ok: false, reason: 'too_many', message: `Only ${line.qty - line.refundedQty} of that item can still be refunded.` };
    }
    out.push({ lineId: r.lineId, qty: r.qty, amountCents: lineRefundAmount(line, r.qty) });
  }
  const remainingAfter = lines.reduce((n, l) => n + l.qty - l.refundedQty - (out.find((o) => o.lineId === l.id)?.qty ?? 0), 0);
  const includesShipping = remainingAfter === 0 && !shippingRefunded && shippingCents > 0;
  const amountCents = out.reduce((s, o) => s + o.amountCents, 0) + (includesShipping ? shippingCents : 0);
  return { ok: true, amountCents, lines: out, includesShipping };
}

export type RefundResult =
  | { ok: true; amountCents: number; status: 'refunded' | 'partially_refunded' }
  | { ok: false; reason: 'not_found' | 'not_refundable' | 'nothing_to_refund' | 'unknown_line' | 'too_many' | 'provider_failed' | 'conflict'; message: string };

export interface RefundHooks {
  /** Inside the transaction that records the refund (e.g. outbox email, commission reversal). */
  onRefunded: (tx: Tx, orderId: number, refunded: { lineId: number; qty: number; amountCents: number }[], amountCents: number) => Promise<void>;
}

export async function refundOrder(
  db: Db,
  provider: PaymentProvider,
  {
    orderId,
    request,
    restock,
    actor,
    now = Date.now(),
    hooks,
  }: { orderId: number; request: RefundLineRequest[] | 'all'; restock: boolean; actor: string; now?: number; hooks: RefundHooks },
): Promise<RefundResult> {
  const order = await db.select().from(orders).where(eq(orders.id, orderId)).get();
  if (!order) return { ok: false, reason: 'not_found', message: 'No such order.' };
  if (!KEPT_PAYMENT_STATUSES.includes(order.status)) return { ok: false, reason: 'not_refundable', message: `A ${STATUS_LABEL[order.status].toLowerCase()} order cannot be refunded.` };
  const lines = await db.select().from(orderLines).where(eq(orderLines.orderId, orderId)).orderBy(orderLines.id);
  const shippingRefunded = order.refundedCents >= order.totalCents;
  const plan = planRefund(lines, request, { shippingCents: order.shippingCents, shippingRefunded });
  if (!plan.ok) return plan;
  const amount = Math.min(plan.amountCents, order.totalCents - order.refundedCents);
  if (amount <= 0) return { ok: false, reason: 'nothing_to_refund', message: 'This order has been refunded in full.' };

  const moved = await provider.refund({
    orderId,
    paymentId: order.providerPaymentId,
    amountCents: amount,
    idempotencyKey: `refund:${order.id}:${order.refundedCents}:${plan.lines.map((l) => `${l.lineId}x${l.qty}`).join(',')}`,
  });
  if (!moved.ok) return { ok: false, reason: 'provider_failed', message: `The payment provider refused the refund: ${moved.error}` };

  return db.transaction(async (tx) => {
    // Re-read inside the transaction: a concurrent refund may have landed meanwhile.
    const fresh = await tx.select().from(orders).where(eq(orders.id, orderId)).get();
    if (!fresh) throw new Error('order vanished during refund');
    if (fresh.refundedCents !== order.refundedCents || fresh.status !== order.status) {
      // Another refund was recorded since we planned this one. The same request used the same
      // idempotency key, so the provider moved the money once; a different one is reconciled by
      // the provider's charge.refunded event. Either way, record nothing twice.
      return { ok: false, reason: 'conflict', message: 'This order changed while the refund was being made; reload it and check the refunded amounts.' } as const;
    }
    const refundedCents = Math.min(fresh.totalCents, fresh.refundedCents + amount);
    const status = statusAfterRefund(fresh.totalCents, refundedCents);
    let stockMoved = false;
    for (const l of plan.lines) {
      await tx
        .update(orderLines)
        .set({ refundedQty: sql`${orderLines.refundedQty} + ${l.qty}`, refundedCents: sql`${orderLines.refundedCents} + ${l.amountCents}` })
        .where(and(eq(orderLines.id, l.lineId), eq(orderLines.orderId, orderId)));
      const line = lines.find((x) => x.id === l.lineId)!;
      // A pre-ordered unit not yet shipped was never taken from stock: refunding it frees its owed
      // hold, and there is nothing to put back (ADR 0055). Only the rest can be restocked.
      const freed = await settleOwed(tx, orderId, line.variantId, l.qty, 'released');
      if (freed > 0) {
        stockMoved = true;
        // The unshipped pre-order units go back to the presale's cap for other buyers.
        await releasePresaleUnits(tx, line.id, freed);
      }
      const unowed = l.qty - freed;
      if (restock && unowed > 0) {
        stockMoved = true;
        await tx.update(variants).set({ stockOnHand: sql`${variants.stockOnHand} + ${unowed}` }).where(eq(variants.id, line.variantId));
      }
    }
    await tx.update(orders).set({ refundedCents, status, updatedAt: now }).where(eq(orders.id, orderId));
    // A unit refunded before it shipped no longer needs shipping (ADR 0045): the rest may now be complete.
    await refreshFulfilment(tx, orderId, now);
    await tx.insert(orderEvents).values({
      orderId,
      at: now,
      fromStatus: fresh.status,
      toStatus: status,
      actor,
      note: `Refunded ${formatMoney(amount, { currency: fresh.currency, locale: 'en-US' })} for ${[...plan.lines.map((l) => { const line = lines.find((x) => x.id === l.lineId)!; return `${l.qty} × ${line.title}${line.variantLabel ? ` (${line.variantLabel})` : ''}`; }), ...(plan.includesShipping ? ['shipping'] : [])].join(', ')}${restock ? ', returned to stock' : ''}. Payment reference ${moved.refundId}.`,
    });
    if (stockMoved) await bumpCatalogVersion(tx);
    await hooks.onRefunded(tx, orderId, plan.lines, amount);
    return { ok: true, amountCents: amount, status } as const;
  });
}

/**
 * A payment that arrived after its stock was gone (fulfil.ts → needs_refund) is returned in full,
 * automatically. Idempotent: an order already refunded is left alone.
 */
export async function refundLatePayment(
  db: Db,
  provider: PaymentProvider,
  orderId: number,
  { now = Date.now(), hooks }: { now?: number; hooks: RefundHooks },
): Promise<{ ok: boolean; message: string }> {
  const order = await db.select().from(orders).where(eq(orders.id, orderId)).get();
  if (!order || !order.needsRefund) return { ok: false, message: 'nothing to refund' };
  if (order.status === 'refunded') return { ok: true, message: 'already refunded' };
  // What is still held: a part the provider already refunded (reported before the payment) is not asked for twice.
  const owed = order.totalCents - order.refundedCents;
  if (owed <= 0) return { ok: true, message: 'already refunded' };
  const moved = await provider.refund({ orderId, paymentId: order.providerPaymentId, amountCents: owed, idempotencyKey: `late-refund:${orderId}` });
  if (!moved.ok) return { ok: false, message: moved.error };
  await db.transaction(async (tx) => {
    const res = await tx
      .update(orders)
      .set({ status: 'refunded', refundedCents: order.totalCents, needsRefund: false, updatedAt: now })
      .where(and(eq(orders.id, orderId), eq(orders.needsRefund, true)))
      .returning({ id: orders.id });
    if (res.length === 0) return;
    await tx.insert(orderEvents).values({
      orderId,
      at: now,
      fromStatus: order.status,
      toStatus: 'refunded',
      actor: 'system',
      note: `Late payment refunded in full: ${formatMoney(owed, { currency: order.currency, locale: 'en-US' })}. Payment reference ${moved.refundId}.`,
    });
    await hooks.onRefunded(tx, orderId, [], owed);
  });
  return { ok: true, message: 'refunded' };
}

/** Orders whose payment must go back (a late payment with no stock), oldest first. */
export async function ordersNeedingRefund(db: Db, limit: number): Promise<number[]> {
  const due = await db.select({ id: orders.id }).from(orders).where(eq(orders.needsRefund, true)).orderBy(orders.id).limit(limit);
  return due.map((o) => o.id);
}
