/**
 * What must happen, in the same transaction, when the orders capability records a payment, a
 * refund or a dispute: credit the lines and write the ledger, reverse commission, put the email in
 * the outbox. Built here, once, and handed to the orders capability by the workflows; the orders
 * capability requires them (no optional hooks), so nothing can record a payment without crediting.
 */
import { creditOrderLines, enqueueCreatorSaleEmails, reverseOrderCommissions } from '../commissions/index.ts';
import { enqueueConfirmation, enqueueRefunded, orderTotals, type FulfilHooks, type RefundHooks } from '../orders/index.ts';
import { emailContext, type App } from './app.ts';

export async function paymentEffects(app: App, now: number): Promise<FulfilHooks> {
  const ctx = await emailContext(app);
  return {
    onPaid: async (tx, orderId) => {
      // Attribution is decided once, per line, at payment (docs/architecture.md, rule 4); the sale
      // entries of the ledger follow (rule 5).
      await creditOrderLines(tx, orderId, app.config.credit, now);
      await enqueueCreatorSaleEmails(tx, orderId, { shopName: app.config.shop.name, locale: app.config.shop.locale, siteUrl: app.config.shop.siteUrl }, now);
      await enqueueConfirmation(tx, orderId, ctx, now);
    },
    onRefundRecorded: async (tx, orderId) => {
      const totals = await orderTotals(tx, orderId);
      if (totals) await reverseOrderCommissions(tx, orderId, now, totals);
    },
    onDispute: async (tx, orderId) => {
      await reverseOrderCommissions(tx, orderId, now, 'all');
    },
  };
}

export async function refundEffects(app: App, now: number): Promise<RefundHooks> {
  const ctx = await emailContext(app);
  return {
    onRefunded: async (tx, orderId, lines, amountCents) => {
      await reverseOrderCommissions(tx, orderId, now);
      await enqueueRefunded(tx, orderId, ctx, { amountCents, lines }, now);
    },
  };
}
