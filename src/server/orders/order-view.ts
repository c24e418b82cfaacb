/**
 * What a buyer sees of an order (the signed status page) and what the test payment page needs.
 */
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../db.ts';
import { orderEvents, orderLines, orders } from '../../../db/schema/index.ts';
import type { FulfilmentStatus, OrderStatus } from '../../../db/schema/commerce.ts';
import { FULFILMENT_LABEL } from './fulfilment.ts';
import { loadShipments } from './shipments.ts';
import { STATUS_LABEL } from './state.ts';
import { preorderNote, presaleShipDates } from '../sales/index.ts';

/** A parcel as the buyer sees it: no internal ids or who packed it. */
export interface BuyerParcel {
  label: string;
  carrier: string;
  trackingNumber: string;
  trackingUrl: string | null;
  shippedAt: number;
  deliveredAt: number | null;
  returnedAt: number | null;
  items: { title: string; variantLabel: string; qty: number }[];
}

export interface BuyerOrderView {
  id: number;
  number: string;
  email: string;
  status: OrderStatus;
  fulfilmentStatus: FulfilmentStatus;
  /** Where the parcels are, in words ("Partly shipped"). */
  fulfilmentLabel: string;
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
  /** Every parcel sent, oldest first, each with its tracking link when the carrier is known. */
  parcels: BuyerParcel[];
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
  lines: {
    id: number;
    title: string;
    variantLabel: string;
    productSlug: string;
    imagePath: string | null;
    qty: number;
    unitPriceCents: number;
    subtotalCents: number;
    refundedQty: number;
    /** A pre-order's promise ("Pre-order: ships on 12 January"), ADR 0055. */
    note: string | null;
  }[];
  /** Payment changes and parcels, oldest first, in words ("Parcel 1 shipped with UPS"). */
  history: { at: number; status: OrderStatus | null; text: string }[];
}

async function view(db: Db, where: ReturnType<typeof eq>, now: number): Promise<BuyerOrderView | undefined> {
  const o = await db.select().from(orders).where(where).get();
  if (!o) return undefined;
  const [lines, events, shipped] = await Promise.all([
    db.select().from(orderLines).where(eq(orderLines.orderId, o.id)).orderBy(asc(orderLines.id)),
    db.select().from(orderEvents).where(eq(orderEvents.orderId, o.id)).orderBy(asc(orderEvents.at), asc(orderEvents.id)),
    loadShipments(db, o.id),
  ]);
  const shipDates = await presaleShipDates(db, [o.id]);
  const today = new Date(now).toISOString().slice(0, 10);
  const parcels: BuyerParcel[] = shipped.map((p) => ({
    label: p.label,
    carrier: p.carrier,
    trackingNumber: p.trackingNumber,
    trackingUrl: p.trackingUrl,
    shippedAt: p.shippedAt,
    deliveredAt: p.deliveredAt,
    returnedAt: p.returnedAt,
    items: p.lines.map((l) => ({ title: l.title, variantLabel: l.variantLabel, qty: l.qty })),
  }));
  const one = parcels.length === 1;
  const history: BuyerOrderView['history'] = [
    // Payment changes; 'shipped'/'delivered' in events older than ADR 0045 are told by their parcel below.
    ...events
      .filter((e) => e.toStatus !== null && e.toStatus in STATUS_LABEL)
      .map((e) => ({ at: e.at, status: e.toStatus as OrderStatus, text: STATUS_LABEL[e.toStatus as OrderStatus] })),
    ...parcels.flatMap((p) => [
      { at: p.shippedAt, status: null, text: `${one ? 'Shipped' : `${p.label} shipped`} with ${p.carrier}` },
      ...(p.deliveredAt !== null ? [{ at: p.deliveredAt, status: null, text: `${one ? 'Delivered' : `${p.label} delivered`}` }] : []),
      ...(p.returnedAt !== null ? [{ at: p.returnedAt, status: null, text: `${one ? 'Returned' : `${p.label} returned`} to the shop` }] : []),
    ]),
  ].sort((a, b) => a.at - b.at);
  return {
    id: o.id,
    number: o.number,
    email: o.email,
    status: o.status,
    fulfilmentStatus: o.fulfilmentStatus,
    fulfilmentLabel: FULFILMENT_LABEL[o.fulfilmentStatus],
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
    parcels,
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
      note: shipDates.has(l.id) ? preorderNote(shipDates.get(l.id)!, today) : null,
    })),
    history,
  };
}

export function getOrderByNumber(db: Db, number: string, now = Date.now()) {
  return view(db, eq(orders.number, number), now);
}

export function getOrderBySession(db: Db, sessionId: string, now = Date.now()) {
  return view(db, eq(orders.providerSessionId, sessionId), now);
}
