/**
 * The built-in `test` payment provider: the default when no Stripe key is set. Its checkout is a
 * page of this site (/pay/test/<session>), clearly marked as test mode, whose buttons emit the same
 * internal events Stripe's webhooks do — so cart, checkout, fulfilment and commission run end to
 * end with no outside service. No money moves; refunds succeed at once, and so do captures and
 * voids of an authorisation (it keeps no state: a capture after a void is not refused here, as it
 * is by Stripe — tests of that path use the Stripe stub).
 */
import { createHash } from 'node:crypto';
import type { PaymentEvent, PaymentProvider } from './provider.ts';

export const TEST_SESSION_PATTERN = /^test_cs_[A-Za-z0-9_-]{16,40}$/;
/** The payment ids `testPaymentEvent` reports: `test_pi_` + the session's random part. */
export const TEST_PAYMENT_PATTERN = /^test_pi_[A-Za-z0-9_-]{8,40}$/;

function randomId(prefix: string): string {
  return `${prefix}${Buffer.from(crypto.getRandomValues(new Uint8Array(15))).toString('base64url')}`;
}

/** Same key → same id, so a retried capture reports the capture it repeats (as Stripe's idempotency does). */
function keyedId(prefix: string, idempotencyKey: string): string {
  return `${prefix}${createHash('sha256').update(idempotencyKey).digest('base64url').slice(0, 20)}`;
}

export function createTestProvider(): PaymentProvider {
  return {
    name: 'test',
    async createCheckout() {
      const sessionId = randomId('test_cs_');
      return { sessionId, redirectUrl: `/pay/test/${sessionId}` };
    },
    // The test payment page reads the order's state, so a superseded order's page no longer offers Pay.
    async expireCheckout() {},
    async refund({ amountCents }) {
      if (!Number.isInteger(amountCents) || amountCents <= 0) return { ok: false, error: 'refund amount must be a positive integer' };
      return { ok: true, refundId: randomId('test_re_') };
    },
    async capture({ paymentId, amountCents, idempotencyKey }) {
      if (!paymentId) return { ok: false, error: 'there is no authorised test payment to capture' };
      if (!TEST_PAYMENT_PATTERN.test(paymentId)) return { ok: false, error: `not a test payment id: ${paymentId}` };
      if (!Number.isInteger(amountCents) || amountCents <= 0) return { ok: false, error: 'capture amount must be a positive integer' };
      if (!idempotencyKey) return { ok: false, error: 'a capture needs an idempotency key' };
      return { ok: true, captureId: keyedId('test_cap_', idempotencyKey) };
    },
    async voidAuthorization({ paymentId, idempotencyKey }) {
      if (!paymentId) return { ok: false, error: 'there is no authorised test payment to void' };
      if (!TEST_PAYMENT_PATTERN.test(paymentId)) return { ok: false, error: `not a test payment id: ${paymentId}` };
      if (!idempotencyKey) return { ok: false, error: 'a void needs an idempotency key' };
      return { ok: true };
    },
  };
}

export type TestPaymentAction = 'pay' | 'decline' | 'authorise';

/**
 * The event a button on the test payment page emits. The id is derived from the session and the
 * action, so a double-click or a resubmitted form is recognised as the same event.
 * @example testPaymentEvent(7, 'test_cs_abcdefghijklmnop', 'authorise') // { id: 'test_evt_test_cs_abcdefghijklmnop_authorised', type: 'payment_authorized', paymentId: 'test_pi_abcdefghijklmnop', … }
 */
export function testPaymentEvent(orderId: number, sessionId: string, action: TestPaymentAction): PaymentEvent {
  const paymentId = `test_pi_${sessionId.slice(8)}`;
  if (action === 'pay') {
    return { id: `test_evt_${sessionId}_paid`, provider: 'test', type: 'checkout_completed', orderId, paymentId, paid: true };
  }
  if (action === 'authorise') {
    return { id: `test_evt_${sessionId}_authorised`, provider: 'test', type: 'payment_authorized', orderId, paymentId };
  }
  return { id: `test_evt_${sessionId}_declined`, provider: 'test', type: 'payment_failed', orderId };
}
