/**
 * One payment provider interface, two implementations (ADR 0006): `test` (built in, no outside
 * service) and `stripe` (Stripe Checkout + webhooks). Providers only move money and report what
 * happened; every state change goes through the payment workflow (src/server/flows/pay.ts).
 *
 * Authorise now, capture later (group buy): a checkout created with `capture: 'manual'` only
 * authorises the card; the provider reports `payment_authorized`, and the money moves when
 * `capture` is called (the group filled) or is released by `voidAuthorization` (it lapsed).
 */

/**
 * How long a manual-capture authorisation can be captured, counted from when the buyer authorised
 * (not from when the checkout session was created). Stripe: "For online card payments, the
 * authorization is valid for 7 days" — after that the PaymentIntent is canceled and the hold released
 * (https://docs.stripe.com/payments/place-a-hold-on-a-payment-method). Some card networks allow less
 * in special cases; callers keep a margin and treat `expired: true` from `capture` as the final word.
 */
export const MANUAL_CAPTURE_WINDOW_MS = 7 * 24 * 60 * 60_000;

export type CaptureMethod = 'automatic' | 'manual';

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

/** `expired`: the authorisation can no longer be captured (voided, lapsed); asking again will not help. */
export type CaptureOutcome = { ok: true; captureId: string } | { ok: false; error: string; expired?: boolean };

/** Voiding an authorisation that is already void is `ok: true`: the hold is gone either way. */
export type VoidOutcome = { ok: true } | { ok: false; error: string };

export interface PaymentProvider {
  readonly name: 'test' | 'stripe';
  /**
   * A checkout session for the order. `attempt` names a new payment for the same order (a retry
   * after the previous session was closed); without it, asking again returns the same session.
   * `capture: 'manual'` only authorises the payment (reported as `payment_authorized`); the money
   * moves on `capture`. Default 'automatic': paid at checkout, as before.
   */
  createCheckout(
    order: OrderForPayment,
    urls: { successUrl: string; cancelUrl: string },
    opts?: { attempt?: string; capture?: CaptureMethod },
  ): Promise<CheckoutSession>;
  refund(args: { orderId: number; paymentId: string | null; amountCents: number; idempotencyKey: string }): Promise<RefundOutcome>;
  /**
   * Closes a checkout session that must no longer be paid (its order was superseded by a new one
   * for the same bag). Throws if the provider refuses (e.g. the session is already complete); a
   * payment that still lands is refunded by the payment workflow.
   */
  expireCheckout(sessionId: string): Promise<void>;
  /**
   * Captures `amountCents` (at most what was authorised; the rest is released) of a manual-capture
   * payment. A retry with the same `idempotencyKey` never captures twice.
   */
  capture(args: { paymentId: string | null; amountCents: number; idempotencyKey: string }): Promise<CaptureOutcome>;
  /** Releases a manual-capture authorisation that will not be captured. */
  voidAuthorization(args: { paymentId: string | null; idempotencyKey: string }): Promise<VoidOutcome>;
}

/**
 * What a provider reports, in the shop's own words. Stripe events map onto these one to one
 * (checkout.session.completed → checkout_completed, or payment_authorized for a manual-capture
 * session, …); the test provider emits them directly.
 */
export type PaymentEvent =
  | { id: string; provider: 'test' | 'stripe'; type: 'checkout_completed'; orderId: number; paymentId: string | null; paid: boolean }
  | { id: string; provider: 'test' | 'stripe'; type: 'payment_succeeded'; orderId: number; paymentId: string | null }
  /** A manual-capture checkout completed: the card is authorised, nothing captured yet. */
  | { id: string; provider: 'test' | 'stripe'; type: 'payment_authorized'; orderId: number; paymentId: string | null }
  | { id: string; provider: 'test' | 'stripe'; type: 'payment_failed'; orderId: number }
  | { id: string; provider: 'test' | 'stripe'; type: 'checkout_expired'; orderId: number }
  | { id: string; provider: 'test' | 'stripe'; type: 'charge_refunded'; orderId: number; amountRefundedCents: number }
  | { id: string; provider: 'test' | 'stripe'; type: 'dispute_created'; orderId: number; amountCents: number };
