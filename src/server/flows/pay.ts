/**
 * Workflow: apply a payment provider's event (a webhook delivery, or a button on the test payment
 * page) to its order. One transaction records the event (deduplicated by its id), moves the order
 * through its state machine and writes what follows — credit and ledger on payment, reversals on
 * refunds and disputes, the emails — then, after it commits, a payment that found no stock is
 * refunded automatically (docs/architecture.md, rules 2–5; ADR 0006).
 */
import { handlePaymentEvent, ordersNeedingRefund, refundLatePayment } from '../orders/index.ts';
import type { PaymentEvent } from '../payments/index.ts';
import { deliverMailSoon, type App } from './app.ts';
import { paymentEffects, refundEffects } from './effects.ts';
import { afterGroupAuthorisation, groupAuthorisationHook } from './groups.ts';

export type PaymentEventResult = Awaited<ReturnType<typeof handlePaymentEvent>>;

export async function applyPaymentEvent(app: App, event: PaymentEvent, { now = Date.now() }: { now?: number } = {}): Promise<PaymentEventResult> {
  const result = await handlePaymentEvent(app.db, event, { now, hooks: await paymentEffects(app, now), onAuthorized: groupAuthorisationHook(now) });
  // A group seat's authorisation: after commit, release the hold of a seat that ended, or capture
  // every seat of a group that just filled (also on a redelivery, so a failed step is retried).
  if (event.type === 'payment_authorized' && result.orderId !== null && result.outcome !== 'unknown_order') await afterGroupAuthorisation(app, result.orderId, now);
  // A late payment with no stock left is refunded now. This also runs on a redelivered (duplicate)
  // event, so a refund that failed the first time is retried by the provider's retry; if it fails
  // again we throw, the webhook answers 500 and the provider delivers the event once more.
  if ((result.outcome === 'needs_refund' || result.outcome === 'duplicate') && result.orderId !== null) {
    const refunded = await refundLatePayment(app.db, app.provider, result.orderId, { now, hooks: await refundEffects(app, now) });
    if (!refunded.ok && refunded.message !== 'nothing to refund') {
      deliverMailSoon(app);
      throw new Error(`automatic refund of late payment for order ${result.orderId} failed: ${refunded.message}`);
    }
  }
  deliverMailSoon(app);
  return result;
}

/** Workflow used by the sweeper: retry the automatic refund of late payments that failed before. */
export async function retryLateRefunds(app: App, now: number, limit = 50): Promise<{ ok: number; failed: number }> {
  const due = await ordersNeedingRefund(app.db, limit);
  let ok = 0;
  let failed = 0;
  for (const orderId of due) {
    const r = await refundLatePayment(app.db, app.provider, orderId, { now, hooks: await refundEffects(app, now) });
    if (r.ok) ok++;
    else failed++;
  }
  return { ok, failed };
}
