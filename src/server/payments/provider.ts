/**
 * One payment provider interface, two implementations (ADR 0006): `test` (built in, no outside
 * service) and `stripe` (Stripe Checkout + webhooks). Providers only move money and report what
 * happened; every state change goes through the payment workflow (src/server/flows/pay.ts).
 */

export interface OrderForPayment {
  id: number;
  number: string;
  email: string;
  currency: string;
  totalCents: number;
  shippingCents: number;
  discountCents: number;
  /** Server prices (rule 1). */
  lines: { title: string; variantLabel: string; unitPriceCents: number; qty: number; discountCents: number }[];
  shippingLabel: string;
  expiresAt: number;
}

export interface CheckoutSession {
  /** Where to send the buyer to pay. */
  redirectUrl: string;
  sessionId: string;
}

export type RefundOutcome = { ok: true; refundId: string } | { ok: false; error: string };

export interface PaymentProvider {
  readonly name: 'test' | 'stripe';
  /**
   * A checkout session for the order. `attempt` names a new payment for the same order (a retry
   * after the previous session was closed); without it, asking again returns the same session.
   */
  createCheckout(order: OrderForPayment, urls: { successUrl: string; cancelUrl: string }, opts?: { attempt?: string }): Promise<CheckoutSession>;
  refund(args: { orderId: number; paymentId: string | null; amountCents: number; idempotencyKey: string }): Promise<RefundOutcome>;
  /**
   * Closes a checkout session that must no longer be paid (its order was superseded by a new one
   * for the same bag). Throws if the provider refuses (e.g. the session is already complete); a
   * payment that still lands is refunded by the payment workflow.
   */
  expireCheckout(sessionId: string): Promise<void>;
}

/**
 * What a provider reports, in the shop's own words. Stripe events map onto these one to one
 * (checkout.session.completed → checkout_completed, …); the test provider emits them directly.
 */
export type PaymentEvent =
  | { id: string; provider: 'test' | 'stripe'; type: 'checkout_completed'; orderId: number; paymentId: string | null; paid: boolean }
  | { id: string; provider: 'test' | 'stripe'; type: 'payment_succeeded'; orderId: number; paymentId: string | null }
  | { id: string; provider: 'test' | 'stripe'; type: 'payment_failed'; orderId: number }
  | { id: string; provider: 'test' | 'stripe'; type: 'checkout_expired'; orderId: number }
  | { id: string; provider: 'test' | 'stripe'; type: 'charge_refunded'; orderId: number; amountRefundedCents: number }
  | { id: string; provider: 'test' | 'stripe'; type: 'dispute_created'; orderId: number; amountCents: number };
