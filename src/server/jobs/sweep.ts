/**
 * Sweepers (ARCHITECTURE rule 8): they only tidy up. Correctness never depends on them — lapsed
 * reservations already stop counting where read, commission approval is derived where read — and
 * each step is idempotent, so several instances may run them at once.
 */
import { and, eq, lte } from 'drizzle-orm';
import type { Db } from '../db.ts';
import { orders } from '../../../db/schema/index.ts';
import { releaseOrder } from '../orders/release.ts';
import { refundLatePayment, type RefundHooks } from '../orders/refund.ts';
import type { PaymentProvider } from '../checkout/payments.ts';
import { deliverPending } from '../mail/outbox.ts';
import type { MailTransport } from '../mail/transport.ts';
import { deleteExpiredSessions } from '../auth/session.ts';
import { deleteStaleThrottles } from '../auth/rate-limit.ts';

export interface SweepDeps {
  provider: PaymentProvider;
  transport: MailTransport;
  refundHooks?: RefundHooks;
}

export interface SweepReport {
  lapsedOrdersCanceled: number;
  lateRefundsRetried: number;
  lateRefundsFailed: number;
  mailSent: number;
  mailFailed: number;
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

export async function retryLateRefunds(db: Db, provider: PaymentProvider, hooks: RefundHooks | undefined, now: number) {
  const due = await db.select({ id: orders.id }).from(orders).where(eq(orders.needsRefund, true)).limit(50);
  let ok = 0;
  let failed = 0;
  for (const o of due) {
    const r = await refundLatePayment(db, provider, o.id, { now, ...(hooks ? { hooks } : {}) });
    if (r.ok) ok++;
    else failed++;
  }
  return { ok, failed };
}

export async function sweep(db: Db, deps: SweepDeps, now = Date.now()): Promise<SweepReport> {
  const lapsedOrdersCanceled = await cancelLapsedOrders(db, now);
  const refunds = await retryLateRefunds(db, deps.provider, deps.refundHooks, now);
  const mail = await deliverPending(db, deps.transport, { now });
  await deleteExpiredSessions(db, now);
  await deleteStaleThrottles(db, now);
  return { lapsedOrdersCanceled, lateRefundsRetried: refunds.ok, lateRefundsFailed: refunds.failed, mailSent: mail.sent, mailFailed: mail.failed };
}
