/**
 * What a buyer sees of an order (the signed status page) and what the test payment page needs.
 */
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../db.ts';
import { orderEvents, orderLines, orders } from '../../../db/schema/index.ts';
import type { OrderStatus } from '../../../db/schema/commerce.ts';

export interface BuyerOrderView {
  id: number;
  number: string;
  email: string;
  status: OrderStatus;
  /** Pending and past its reservation: the buyer did not pay in time. */
  lapsed: boolean;
  currency: string;
  subtotalCents: number;
  discountCents: number;
  shippingCents: number;
  totalCents: number;
  refundedCents: number;
  couponCode: string | null;
  shippingLabel: string;
  shipTo: { name: string; line1: string; line2: string | null; city: string; region: string | null; postcode: string; country: string };
  carrier: string | null;
  trackingNumber: string | null;
  createdAt: number;
  reservationExpiresAt: number;
  provider: 'test' | 'stripe';
  providerSessionId: string | null;
  /** The money moved at some point (so a confirmation or refund email exists). */
  wasPaid: boolean;
  /** A payment came in that the shop owes back (late or superseded), not refunded yet. */
  needsRefund: boolean;
  /** The buyer placed the same bag again as this order: this one was replaced. */
  supersededBy: { number: string } | null;
  lines: { id: number; title: string; variantLabel: string; productSlug: string; imagePath: string | null; qty: number; unitPriceCents: number; subtotalCents: number; refundedQty: number }[];
  history: { at: number; status: OrderStatus }[];
}

async function view(db: Db, where: ReturnType<typeof eq>, now: number): Promise<BuyerOrderView | undefined> {
  const o = await db.select().from(orders).where(where).get();
  if (!o) return undefined;
  const [lines, events] = await Promise.all([
    db.select().from(orderLines).where(eq(orderLines.orderId, o.id)).orderBy(asc(orderLines.id)),
    db.select().from(orderEvents).where(eq(orderEvents.orderId, o.id)).orderBy(asc(orderEvents.at), asc(orderEvents.id)),
  ]);
  return {
    id: o.id,
    number: o.number,
    email: o.email,
    status: o.status,
    lapsed: o.status === 'pending' && now >= o.reservationExpiresAt,
    currency: o.currency,
    subtotalCents: o.subtotalCents,
    discountCents: o.discountCents,
    shippingCents: o.shippingCents,
    totalCents: o.totalCents,
    refundedCents: o.refundedCents,
    couponCode: o.couponCode,
    shippingLabel: o.shippingLabel,
    shipTo: { name: o.shipName, line1: o.shipLine1, line2: o.shipLine2, city: o.shipCity, region: o.shipRegion, postcode: o.shipPostcode, country: o.shipCountry },
    carrier: o.carrier,
    trackingNumber: o.trackingNumber,
    createdAt: o.createdAt,
    reservationExpiresAt: o.reservationExpiresAt,
    provider: o.provider,
    providerSessionId: o.providerSessionId,
    wasPaid: o.paidAt !== null || o.refundedCents > 0 || o.needsRefund || o.providerPaymentId !== null,
    needsRefund: o.needsRefund,
    supersededBy:
      o.supersededByOrderId === null ? null : ((await db.select({ number: orders.number }).from(orders).where(eq(orders.id, o.supersededByOrderId)).get()) ?? null),
    lines: lines.map((l) => ({
      id: l.id,
      title: l.title,
      variantLabel: l.variantLabel,
      productSlug: l.productSlug,
      imagePath: l.imagePath,
      qty: l.qty,
      unitPriceCents: l.unitPriceCents,
      subtotalCents: l.subtotalCents,
      refundedQty: l.refundedQty,
    })),
    history: events.filter((e) => e.toStatus !== null).map((e) => ({ at: e.at, status: e.toStatus as OrderStatus })),
  };
}

export function getOrderByNumber(db: Db, number: string, now = Date.now()) {
  return view(db, eq(orders.number, number), now);
}

export function getOrderBySession(db: Db, sessionId: string, now = Date.now()) {
  return view(db, eq(orders.providerSessionId, sessionId), now);
}
