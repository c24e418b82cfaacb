/**
 * Parcels and notes, read and kept in step (ADR 0045): an order's shipments with the items in each,
 * and `refreshFulfilment`, which every write that changes what is left to ship (a shipment, a
 * delivery, a return, a refund) calls inside its own transaction so orders.fulfilment_status is
 * never out of date.
 */
import { asc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../db.ts';
import { orderLines, orderNotes, orders, shipmentLines, shipments } from '../../../db/schema/index.ts';
import type { FulfilmentStatus } from '../../../db/schema/commerce.ts';
import { carrierName, trackingUrl } from '../shared/index.ts';
import { deriveFulfilment } from './fulfilment.ts';

export interface ShipmentView {
  id: number;
  /** "Parcel 1", "Parcel 2" … in the order they were sent. */
  label: string;
  carrier: string;
  trackingNumber: string;
  /** The carrier's tracking page when the carrier is known (shared/tracking.ts). */
  trackingUrl: string | null;
  shippedAt: number;
  deliveredAt: number | null;
  returnedAt: number | null;
  actor: string;
  lines: { orderLineId: number; qty: number; title: string; variantLabel: string; sku: string }[];
}

/** The parcels of an order, oldest first, each with its items. */
export async function loadShipments(db: DbOrTx, orderId: number): Promise<ShipmentView[]> {
  const rows = await db.select().from(shipments).where(eq(shipments.orderId, orderId)).orderBy(asc(shipments.shippedAt), asc(shipments.id));
  if (rows.length === 0) return [];
  const items = await db
    .select({ shipmentId: shipmentLines.shipmentId, orderLineId: shipmentLines.orderLineId, qty: shipmentLines.qty, title: orderLines.title, variantLabel: orderLines.variantLabel, sku: orderLines.sku })
    .from(shipmentLines)
    .innerJoin(orderLines, eq(orderLines.id, shipmentLines.orderLineId))
    .where(inArray(shipmentLines.shipmentId, rows.map((r) => r.id)))
    .orderBy(asc(shipmentLines.orderLineId));
  return rows.map((r, i) => ({
    id: r.id,
    label: `Parcel ${i + 1}`,
    carrier: carrierName(r.carrier),
    trackingNumber: r.trackingNumber,
    trackingUrl: trackingUrl(r.carrier, r.trackingNumber),
    shippedAt: r.shippedAt,
    deliveredAt: r.deliveredAt,
    returnedAt: r.returnedAt,
    actor: r.actor,
    lines: items.filter((it) => it.shipmentId === r.id).map(({ shipmentId: _, ...rest }) => rest),
  }));
}

/** Recomputes and stores the order's fulfilment state from its lines and parcels; returns it. */
export async function refreshFulfilment(tx: DbOrTx, orderId: number, now: number): Promise<FulfilmentStatus> {
  const [lines, parcels] = await Promise.all([
    tx.select({ id: orderLines.id, qty: orderLines.qty, refundedQty: orderLines.refundedQty }).from(orderLines).where(eq(orderLines.orderId, orderId)),
    loadShipments(tx, orderId),
  ]);
  const status = deriveFulfilment(lines, parcels);
  const current = await tx.select({ f: orders.fulfilmentStatus }).from(orders).where(eq(orders.id, orderId)).get();
  if (current && current.f !== status) await tx.update(orders).set({ fulfilmentStatus: status, updatedAt: now }).where(eq(orders.id, orderId));
  return status;
}

export interface OrderNoteView {
  id: number;
  body: string;
  /** Who wrote it: the admin's email. */
  by: string;
  createdAt: number;
}

/** The shop's internal notes on an order, oldest first. Never shown to the buyer. */
export async function listOrderNotes(db: DbOrTx, orderId: number): Promise<OrderNoteView[]> {
  const rows = await db.select().from(orderNotes).where(eq(orderNotes.orderId, orderId)).orderBy(asc(orderNotes.createdAt), asc(orderNotes.id));
  return rows.map((r) => ({ id: r.id, body: r.body, by: r.actor.replace(/^admin:/, ''), createdAt: r.createdAt }));
}
