/**
 * The order state machine:
 *   pending → paid → shipped → delivered
 *   pending → canceled            (declined, expired, or canceled by the shop before payment)
 *   paid    → canceled            (canceled by the shop before shipping: stock released, money refunded)
 *   paid/shipped/delivered/partially_refunded → partially_refunded | refunded
 * Anything else is refused, so a late or repeated event can never move an order backwards.
 */
import type { OrderStatus } from '../../../db/schema/commerce.ts';

const NEXT: Record<OrderStatus, readonly OrderStatus[]> = {
  pending: ['paid', 'canceled'],
  paid: ['shipped', 'canceled', 'refunded', 'partially_refunded'],
  shipped: ['delivered', 'refunded', 'partially_refunded'],
  delivered: ['refunded', 'partially_refunded'],
  partially_refunded: ['shipped', 'delivered', 'refunded', 'partially_refunded'],
  // Only a late payment on a canceled order (no stock left) is refunded after cancelation.
  canceled: ['refunded'],
  refunded: [],
};

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return NEXT[from].includes(to);
}

export const STATUS_LABEL: Record<OrderStatus, string> = {
  pending: 'Awaiting payment',
  paid: 'Paid — being packed',
  shipped: 'Shipped',
  delivered: 'Delivered',
  canceled: 'Canceled',
  refunded: 'Refunded',
  partially_refunded: 'Partially refunded',
};

/** Status after a refund: everything paid back → refunded, else partially refunded. */
export function statusAfterRefund(totalCents: number, refundedCents: number): 'refunded' | 'partially_refunded' {
  return refundedCents >= totalCents ? 'refunded' : 'partially_refunded';
}
