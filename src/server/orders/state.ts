/**
 * The order's payment state machine (ADR 0045: where the parcels are is apart, in fulfilment.ts):
 *   pending → paid
 *   pending → canceled            (declined, expired, or canceled by the shop before payment)
 *   paid    → canceled            (canceled by the shop before anything shipped: stock released, money refunded)
 *   paid/partially_refunded → partially_refunded | refunded
 * Anything else is refused, so a late or repeated event can never move an order backwards.
 */
import type { OrderStatus } from '../../../db/schema/commerce.ts';

const NEXT: Record<OrderStatus, readonly OrderStatus[]> = {
  pending: ['paid', 'canceled'],
  paid: ['canceled', 'refunded', 'partially_refunded'],
  partially_refunded: ['refunded', 'partially_refunded'],
  // Only a late payment on a canceled order (no stock left) is refunded after cancelation.
  canceled: ['refunded'],
  refunded: [],
};

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return NEXT[from].includes(to);
}

/** The payment state in words (the buyer's page, the admin's badges and filters). */
export const STATUS_LABEL: Record<OrderStatus, string> = {
  pending: 'Awaiting payment',
  paid: 'Paid',
  canceled: 'Canceled',
  refunded: 'Refunded',
  partially_refunded: 'Partially refunded',
};

/** Statuses whose money is (at least partly) still with the shop: refunds and shipping apply. */
export const KEPT_PAYMENT_STATUSES: readonly OrderStatus[] = ['paid', 'partially_refunded'];

/** Status after a refund: everything paid back → refunded, else partially refunded. */
export function statusAfterRefund(totalCents: number, refundedCents: number): 'refunded' | 'partially_refunded' {
  return refundedCents >= totalCents ? 'refunded' : 'partially_refunded';
}
