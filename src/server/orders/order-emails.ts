/**
 * Builds the order emails from the database and puts them in the outbox, inside the transaction
 * that made the change (transactional outbox, ADR 0005).
 */
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../db.ts';
import { orderLines, orders } from '../../../db/schema/index.ts';
import { enqueueEmail } from '../mail/index.ts';
import { orderConfirmationEmail, orderRefundedEmail, orderShippedEmail, type OrderEmailData } from '../mail/index.ts';
import { orderPath, orderToken } from './order-links.ts';
import { carrierName } from '../shared/index.ts';
import { preorderNote, presaleShipDates } from '../sales/index.ts';

export interface EmailContext {
  shopName: string;
  locale: string;
  siteUrl: string;
  linkSecret: string;
}

async function emailData(tx: DbOrTx, orderId: number, ctx: EmailContext): Promise<OrderEmailData & { orderId: number }> {
  const o = await tx.select().from(orders).where(eq(orders.id, orderId)).get();
  if (!o) throw new Error(`order ${orderId} not found for email`);
  const lines = await tx.select().from(orderLines).where(eq(orderLines.orderId, orderId)).orderBy(orderLines.id);
  const shipDates = await presaleShipDates(tx, [orderId]);
  const today = new Date(o.createdAt).toISOString().slice(0, 10);
  return {
    orderId,
    shopName: ctx.shopName,
    number: o.number,
    email: o.email,
    currency: o.currency,
    locale: ctx.locale,
    lines: lines.map((l) => ({
      title: l.title,
      variantLabel: l.variantLabel,
      qty: l.qty,
      unitPriceCents: l.unitPriceCents,
      subtotalCents: l.subtotalCents,
      note: shipDates.has(l.id) ? preorderNote(shipDates.get(l.id)!, today) : null,
    })),
    subtotalCents: o.subtotalCents,
    discountCents: o.discountCents,
    shippingCents: o.shippingCents,
    totalCents: o.totalCents,
    shippingLabel: o.shippingLabel,
    shipTo: { name: o.shipName, line1: o.shipLine1, line2: o.shipLine2, city: o.shipCity, region: o.shipRegion, postcode: o.shipPostcode, country: o.shipCountry },
    orderUrl: new URL(orderPath(o.number, orderToken(ctx.linkSecret, o.number)), ctx.siteUrl).href,
  };
}

export async function enqueueConfirmation(tx: DbOrTx, orderId: number, ctx: EmailContext, now = Date.now()): Promise<void> {
  const d = await emailData(tx, orderId, ctx);
  const mail = orderConfirmationEmail(d);
  await enqueueEmail(tx, { to: d.email, ...mail, kind: 'order_confirmation', orderId }, now);
}

/**
 * The "shipped" email for one parcel: its carrier, tracking number and the items in it (a partial
 * shipment lists only what is in this parcel).
 */
export async function enqueueShipped(
  tx: DbOrTx,
  orderId: number,
  ctx: EmailContext,
  shipment: { carrier: string; trackingNumber: string; items: readonly { title: string; variantLabel: string; qty: number; unitPriceCents: number }[] },
  now = Date.now(),
): Promise<void> {
  const d = await emailData(tx, orderId, ctx);
  const lines = shipment.items.map((i) => ({ title: i.title, variantLabel: i.variantLabel, qty: i.qty, unitPriceCents: i.unitPriceCents, subtotalCents: i.unitPriceCents * i.qty }));
  const mail = orderShippedEmail({ ...d, lines, carrier: carrierName(shipment.carrier), trackingNumber: shipment.trackingNumber });
  await enqueueEmail(tx, { to: d.email, ...mail, kind: 'order_shipped', orderId }, now);
}

export async function enqueueRefunded(
  tx: DbOrTx,
  orderId: number,
  ctx: EmailContext,
  refund: { amountCents: number; lines: { lineId: number; qty: number; amountCents: number }[] },
  now = Date.now(),
): Promise<void> {
  const d = await emailData(tx, orderId, ctx);
  const all = await tx.select().from(orderLines).where(eq(orderLines.orderId, orderId));
  const o = await tx.select({ refundedCents: orders.refundedCents, supersededBy: orders.supersededByOrderId }).from(orders).where(eq(orders.id, orderId)).get();
  const later = o?.supersededBy ? await tx.select({ number: orders.number }).from(orders).where(eq(orders.id, o.supersededBy)).get() : undefined;
  const mail = orderRefundedEmail({
    ...d,
    ...(later
      ? { reason: `You placed the same bag again as order ${later.number}, so this earlier order was replaced and is not sent. Its payment came in afterwards, so we have refunded it in full. Order ${later.number} is not affected.` }
      : {}),
    refundedCents: refund.amountCents,
    totalRefundedCents: o?.refundedCents ?? refund.amountCents,
    refundedLines: refund.lines.map((r) => {
      const l = all.find((x) => x.id === r.lineId);
      return { title: l?.title ?? 'Item', variantLabel: l?.variantLabel ?? '', qty: r.qty, refundedCents: r.amountCents };
    }),
  });
  await enqueueEmail(tx, { to: d.email, ...mail, kind: 'order_refunded', orderId }, now);
}
