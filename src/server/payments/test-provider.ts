/**
 * The built-in `test` payment provider: the default when no Stripe key is set. Its checkout is a
 * page of this site (/pay/test/<session>), clearly marked as test mode, whose buttons emit the same
 * internal events Stripe's webhooks do — so cart, checkout, fulfilment and commission run end to
 * end with no outside service. No money moves; refunds succeed at once.
 */
import type { PaymentEvent, PaymentProvider } from './provider.ts';

export const TEST_SESSION_PATTERN = /^test_cs_[A-Za-z0-9_-]{16,40}$/;

function randomId(prefix: string): string {
  return `${prefix}${Buffer.from(crypto.getRandomValues(new Uint8Array(15))).toString('base64url')}`;
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
  };
}

export type TestPaymentAction = 'pay' | 'decline';

/**
 * The event a button on the test payment page emits. The id is derived from the session and the
 * action, so a double-click or a resubmitted form is recognised as the same event.
 */
export function testPaymentEvent(orderId: number, sessionId: string, action: TestPaymentAction): PaymentEvent {
  if (action === 'pay') {
    return { id: `test_evt_${sessionId}_paid`, provider: 'test', type: 'checkout_completed', orderId, paymentId: `test_pi_${sessionId.slice(8)}`, paid: true };
  }
  return { id: `test_evt_${sessionId}_declined`, provider: 'test', type: 'payment_failed', orderId };
}
