/**
 * Where an order's parcels are, apart from its payment (ADR 0045). Pure: the derivation of the
 * fulfilment state from the lines and their shipments, the check of a shipment against what is
 * left to ship, and the order's history in people's words. shipments.ts does the writes.
 *
 *   unfulfilled  nothing shipped
 *   partial      some units shipped, some still to ship
 *   shipped      every unit not refunded has shipped (a parcel may still be on its way)
 *   delivered    … and every parcel not sent back has arrived
 *   returned     every parcel came back
 *
 * A unit refunded before it shipped no longer needs shipping; a unit refunded after it shipped
 * stays shipped (the refund does not hide that the parcel went out). A returned parcel's units
 * count as shipped: sending them again is a new order, not a second parcel of this one.
 */
import type { FulfilmentStatus, OrderStatus } from '../../../db/schema/commerce.ts';
import { KEPT_PAYMENT_STATUSES, STATUS_LABEL } from './state.ts';

export interface FulfilmentLine {
  id: number;
  qty: number;
  refundedQty: number;
}

export interface FulfilmentShipment {
  deliveredAt: number | null;
  returnedAt: number | null;
  lines: readonly { orderLineId: number; qty: number }[];
}

export const FULFILMENT_LABEL: Record<FulfilmentStatus, string> = {
  unfulfilled: 'Not shipped',
  partial: 'Partly shipped',
  shipped: 'Shipped',
  delivered: 'Delivered',
  returned: 'Returned',
};

/** Units of each line already in a parcel. */
export function shippedQtyByLine(shipments: readonly FulfilmentShipment[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const s of shipments) for (const l of s.lines) out.set(l.orderLineId, (out.get(l.orderLineId) ?? 0) + l.qty);
  return out;
}

/**
 * Units of a line that can still go in a parcel: ordered − refunded − already shipped, never below 0.
 * @example toShipQty({ id: 1, qty: 3, refundedQty: 1 }, 1) // 1
 */
export function toShipQty(line: FulfilmentLine, shippedQty: number): number {
  return Math.max(0, line.qty - line.refundedQty - shippedQty);
}

/**
 * The fulfilment state of an order from its lines and parcels.
 * @example deriveFulfilment([{ id: 1, qty: 2, refundedQty: 0 }], [{ deliveredAt: null, returnedAt: null, lines: [{ orderLineId: 1, qty: 1 }] }]) // 'partial'
 */
export function deriveFulfilment(lines: readonly FulfilmentLine[], shipments: readonly FulfilmentShipment[]): FulfilmentStatus {
  if (shipments.length === 0) return 'unfulfilled';
  if (shipments.every((s) => s.returnedAt !== null)) return 'returned';
  const shipped = shippedQtyByLine(shipments);
  const left = lines.reduce((n, l) => n + toShipQty(l, shipped.get(l.id) ?? 0), 0);
  if (left > 0) return 'partial';
  const out = shipments.filter((s) => s.returnedAt === null);
  return out.every((s) => s.deliveredAt !== null) ? 'delivered' : 'shipped';
}

export type ShipmentPlan =
  | { ok: true; lines: { orderLineId: number; qty: number }[]; units: number }
  | { ok: false; reason: 'nothing_to_ship' | 'unknown_line' | 'too_many'; message: string; fieldErrors?: Record<string, string> };

/**
 * Checks the units asked for against what is left to ship of each line ('all': everything left).
 * Refusals name the item, never a line id.
 */
export function planShipment(
  lines: readonly (FulfilmentLine & { title: string; variantLabel: string })[],
  shipments: readonly FulfilmentShipment[],
  request: 'all' | readonly { lineId: number; qty: number }[],
): ShipmentPlan {
  const shipped = shippedQtyByLine(shipments);
  const left = (l: FulfilmentLine) => toShipQty(l, shipped.get(l.id) ?? 0);
  const wanted = request === 'all' ? lines.map((l) => ({ lineId: l.id, qty: left(l) })).filter((r) => r.qty > 0) : request.filter((r) => r.qty > 0);
  if (wanted.length === 0) {
    const anyLeft = lines.some((l) => left(l) > 0);
    return {
      ok: false,
      reason: 'nothing_to_ship',
      message: anyLeft ? 'Choose at least one item to put in this parcel (a quantity above 0).' : 'Everything on this order has already been shipped or refunded; there is nothing left to ship.',
    };
  }
  const seen = new Set<number>();
  const fieldErrors: Record<string, string> = {};
  const out: { orderLineId: number; qty: number }[] = [];
  for (const r of wanted) {
    const line = lines.find((l) => l.id === r.lineId);
    if (!line || seen.has(r.lineId)) return { ok: false, reason: 'unknown_line', message: 'That item is not on this order. Reload the order and try again.' };
    seen.add(r.lineId);
    const can = left(line);
    if (!Number.isInteger(r.qty) || r.qty > can) {
      const name = `${line.title}${line.variantLabel ? ` (${line.variantLabel})` : ''}`;
      fieldErrors[`ship-${line.id}`] =
        can === 0 ? `${name}: nothing left to ship (already shipped or refunded).` : `${name}: only ${can} left to ship, not ${r.qty}.`;
      continue;
    }
    out.push({ orderLineId: r.lineId, qty: r.qty });
  }
  if (Object.keys(fieldErrors).length) return { ok: false, reason: 'too_many', message: Object.values(fieldErrors).join(' '), fieldErrors };
  return { ok: true, lines: out, units: out.reduce((n, l) => n + l.qty, 0) };
}

/** Whether an order belongs in the "to ship" queue: money kept, units still to send. */
export function needsShipping(status: OrderStatus, fulfilment: FulfilmentStatus): boolean {
  return KEPT_PAYMENT_STATUSES.includes(status) && (fulfilment === 'unfulfilled' || fulfilment === 'partial');
}

/**
 * "2 × Organic Cotton Tee (M), 1 × Linen Shirt (L)": the items of a parcel or refund, in words.
 */
export function itemsInWords(items: readonly { qty: number; title: string; variantLabel: string }[]): string {
  return items.map((i) => `${i.qty} × ${i.title}${i.variantLabel ? ` (${i.variantLabel})` : ''}`).join(', ');
}

// ---------------------------------------------------------------------------------------------
// History in people's words

export interface HistoryEvent {
  at: number;
  fromStatus: string | null;
  toStatus: string | null;
  actor: string;
  note: string | null;
}

export interface HistoryEntry {
  at: number;
  /** What happened, a sentence ("Refunded $26.10 for 1 × Organic Cotton Tee"). */
  text: string;
  /** Who did it, in words ("ops@shop.example", "The buyer", "Stripe"). */
  by: string;
}

/** Statuses an older event may carry (before ADR 0045 'shipped' and 'delivered' were statuses). */
const OLD_LABEL: Record<string, string> = { ...STATUS_LABEL, shipped: 'Shipped', delivered: 'Delivered' };

function transitionInWords(from: string | null, to: string): string {
  if (to === 'pending') return 'Order placed';
  if (to === 'paid') return 'Payment received';
  if (to === 'canceled') return 'Order canceled';
  if (to === 'refunded') return 'Refunded in full';
  if (to === 'partially_refunded') return 'Partly refunded';
  if (to === 'shipped') return 'Shipped';
  if (to === 'delivered') return 'Delivered';
  return from ? `${OLD_LABEL[from] ?? from} → ${OLD_LABEL[to] ?? to}` : (OLD_LABEL[to] ?? to);
}

/** Who did it: an admin by their email, the rest by role. */
export function actorInWords(actor: string): string {
  if (actor.startsWith('admin:')) return actor.slice('admin:'.length);
  if (actor === 'buyer') return 'The buyer';
  if (actor === 'provider:stripe') return 'Stripe';
  if (actor.startsWith('provider:')) return 'Test payments';
  if (actor === 'sweeper') return 'Automatic clean-up';
  return 'The shop system';
}

/**
 * One history row in words: the note when there is one (every note is written as a sentence,
 * e.g. "Refunded $26.10 for 1 × Organic Cotton Tee (M). Payment reference re_…"), else the change
 * of state. Internal references the admin cannot act on are dropped: money is in shop units in
 * the note already, and line ids never appear.
 */
export function historyEntry(e: HistoryEvent): HistoryEntry {
  const note = e.note?.replace(/\s*Payment reference \S+\.?$/, '').trim() || null;
  const text = note ?? (e.toStatus ? transitionInWords(e.fromStatus, e.toStatus) : 'Updated');
  return { at: e.at, text: /[.!?]$/.test(text) ? text : `${text}.`, by: actorInWords(e.actor) };
}
