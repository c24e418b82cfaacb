/**
 * Authorise now, capture later (group buy): how a manual-capture Checkout completion is read from a
 * signed webhook, the test provider's authorise event, and what `capture` / `voidAuthorization`
 * refuse before asking anyone. No database and no network: the webhook mapping of a completion
 * reads neither (the db handle below throws if touched), and the Stripe client is a recorder.
 */
import Stripe from 'stripe';
import { describe, expect, it, vi } from 'vitest';
import { rid, signStripeEvent, stripeEvents } from '../../helpers/stripe-stub.ts';
import type { Db } from '../../../src/server/db.ts';
import {
  MANUAL_CAPTURE_WINDOW_MS,
  createStripeProvider,
  createTestProvider,
  handleStripeWebhook,
  isExpiredAuthorisationError,
  testPaymentEvent,
  type PaymentEvent,
} from '../../../src/server/payments/index.ts';

const SECRET = 'whsec_test_manual_capture';
const stripe = new Stripe('sk_test_manual_capture');
const noDb = new Proxy({}, { get: (_, key) => { throw new Error(`the database was read (${String(key)})`); } }) as Db;

/** Delivers an event through the real webhook handler, signed like Stripe signs it; returns what was applied. */
async function mapped(event: object): Promise<PaymentEvent | null> {
  const { payload, signature } = signStripeEvent(stripe, event, SECRET);
  let applied: PaymentEvent | null = null;
  const answer = await handleStripeWebhook(noDb, {
    stripe,
    rawBody: payload,
    signature,
    secret: SECRET,
    apply: async (e) => ((applied = e), { outcome: 'applied' }),
    log: { warn() {}, error() {} },
  });
  expect(answer.status).toBe(200);
  return applied;
}

const session = () => ({ orderId: 41, number: 'LB-TEST-0041', sessionId: rid('cs_test_'), paymentIntent: rid('pi_test') });

describe('webhook: checkout.session.completed', () => {
  it('a manual-capture session that is unpaid is an authorisation, with the session’s PaymentIntent', async () => {
    const s = session();
    const event = stripeEvents.manualSessionCompleted(s);
    expect(await mapped(event)).toEqual({ id: event.id, provider: 'stripe', type: 'payment_authorized', orderId: 41, paymentId: s.paymentIntent });
  });

  it('a malformed PaymentIntent id is not passed on', async () => {
    const event = stripeEvents.manualSessionCompleted({ ...session(), paymentIntent: 'ch_wrongkind' });
    expect(await mapped(event)).toMatchObject({ type: 'payment_authorized', paymentId: null });
  });

  it('an automatic session maps as before: paid → checkout_completed paid, unpaid → waits for the async payment', async () => {
    const s = session();
    const paid = stripeEvents.session('checkout.session.completed', s);
    expect(await mapped(paid)).toEqual({ id: paid.id, provider: 'stripe', type: 'checkout_completed', orderId: 41, paymentId: s.paymentIntent, paid: true });
    const unpaid = stripeEvents.session('checkout.session.completed', s, { paymentStatus: 'unpaid' });
    expect(await mapped(unpaid)).toEqual({ id: unpaid.id, provider: 'stripe', type: 'checkout_completed', orderId: 41, paymentId: s.paymentIntent, paid: false });
  });

  it('a manual session reported paid is a completed payment, not an authorisation', async () => {
    const event = stripeEvents.manualSessionCompleted(session());
    event.data.object.payment_status = 'paid';
    expect(await mapped(event)).toMatchObject({ type: 'checkout_completed', paid: true });
  });

  it('the capture flag is read only from a verified body', async () => {
    const event = stripeEvents.session('checkout.session.completed', session(), { paymentStatus: 'unpaid' });
    const { payload, signature } = signStripeEvent(stripe, event, SECRET);
    const forged = payload.replace('"order_number"', '"capture":"manual","order_number"');
    const answer = await handleStripeWebhook(noDb, { stripe, rawBody: forged, signature, secret: SECRET, apply: async () => ({ outcome: 'applied' }), log: { warn() {}, error() {} } });
    expect(answer.status).toBe(400);
  });
});

describe('test provider', () => {
  it("'authorise' emits payment_authorized with ids derived from the session, the same every time", () => {
    const sessionId = 'test_cs_Abc123_-xyzXYZ7890';
    const event = testPaymentEvent(7, sessionId, 'authorise');
    if (event.type !== 'payment_authorized') throw new Error('expected an authorisation');
    expect(event).toEqual({ id: `test_evt_${sessionId}_authorised`, provider: 'test', type: 'payment_authorized', orderId: 7, paymentId: 'test_pi_Abc123_-xyzXYZ7890' });
    expect(testPaymentEvent(7, sessionId, 'authorise')).toEqual(event);
    // Its own id: an authorisation and a payment of the same session are two events.
    expect(testPaymentEvent(7, sessionId, 'pay').id).not.toBe(event.id);
    expect(testPaymentEvent(7, sessionId, 'pay')).toMatchObject({ paymentId: event.paymentId });
  });

  it('captures and voids what it authorised; a repeated capture key reports the same capture', async () => {
    const provider = createTestProvider();
    const { paymentId } = testPaymentEvent(7, 'test_cs_Abc123_-xyzXYZ7890', 'authorise') as { paymentId: string };
    const first = await provider.capture({ paymentId, amountCents: 2500, idempotencyKey: 'group-capture:9' });
    expect(first).toMatchObject({ ok: true, captureId: expect.stringMatching(/^test_cap_/) });
    expect(await provider.capture({ paymentId, amountCents: 2500, idempotencyKey: 'group-capture:9' })).toEqual(first);
    expect(await provider.voidAuthorization({ paymentId, idempotencyKey: 'group-void:9' })).toEqual({ ok: true });
  });

  it.each([
    [{ paymentId: 'test_pi_Abc123xyzXYZ', amountCents: 0, idempotencyKey: 'k' }, /positive integer/],
    [{ paymentId: 'test_pi_Abc123xyzXYZ', amountCents: -100, idempotencyKey: 'k' }, /positive integer/],
    [{ paymentId: 'test_pi_Abc123xyzXYZ', amountCents: 10.5, idempotencyKey: 'k' }, /positive integer/],
    [{ paymentId: 'test_pi_Abc123xyzXYZ', amountCents: Number.NaN, idempotencyKey: 'k' }, /positive integer/],
    [{ paymentId: null, amountCents: 100, idempotencyKey: 'k' }, /no authorised/],
    [{ paymentId: 'pi_3Nreal0000stripe', amountCents: 100, idempotencyKey: 'k' }, /not a test payment/],
    [{ paymentId: 'test_pi_Abc123xyzXYZ', amountCents: 100, idempotencyKey: '' }, /idempotency key/],
  ])('refuses capture %j', async (args, error) => {
    const r = await createTestProvider().capture(args);
    expect(r).toMatchObject({ ok: false, error: expect.stringMatching(error) });
    expect(r).not.toHaveProperty('expired');
  });

  it('refuses to void without a test payment id', async () => {
    const provider = createTestProvider();
    expect(await provider.voidAuthorization({ paymentId: null, idempotencyKey: 'k' })).toMatchObject({ ok: false });
    expect(await provider.voidAuthorization({ paymentId: 'pi_3Nreal0000stripe', idempotencyKey: 'k' })).toMatchObject({ ok: false });
  });
});

describe('stripe provider: refused before Stripe is asked', () => {
  const recorder = () => {
    const calls = { capture: vi.fn(), cancel: vi.fn() };
    const provider = createStripeProvider({ secretKey: 'sk_test_x', siteUrl: 'http://shop.test', stripe: { paymentIntents: calls } as unknown as Stripe });
    return { provider, calls };
  };

  it.each([
    [{ paymentId: 'pi_3Nvalid0000000', amountCents: 0, idempotencyKey: 'k' }, /positive integer/],
    [{ paymentId: 'pi_3Nvalid0000000', amountCents: 99.99, idempotencyKey: 'k' }, /positive integer/],
    [{ paymentId: 'pi_3Nvalid0000000', amountCents: -1, idempotencyKey: 'k' }, /positive integer/],
    [{ paymentId: null, amountCents: 100, idempotencyKey: 'k' }, /no Stripe authorisation/],
    [{ paymentId: 'pi_../../v1/refunds', amountCents: 100, idempotencyKey: 'k' }, /not a Stripe PaymentIntent id/],
    [{ paymentId: 'ch_3Nvalid0000000', amountCents: 100, idempotencyKey: 'k' }, /not a Stripe PaymentIntent id/],
    [{ paymentId: 'pi_3Nvalid0000000', amountCents: 100, idempotencyKey: '' }, /idempotency key/],
  ])('capture %j', async (args, error) => {
    const { provider, calls } = recorder();
    expect(await provider.capture(args)).toMatchObject({ ok: false, error: expect.stringMatching(error) });
    expect(calls.capture).not.toHaveBeenCalled();
  });

  it('voidAuthorization', async () => {
    const { provider, calls } = recorder();
    expect(await provider.voidAuthorization({ paymentId: null, idempotencyKey: 'k' })).toMatchObject({ ok: false });
    expect(await provider.voidAuthorization({ paymentId: 'pi_/x', idempotencyKey: 'k' })).toMatchObject({ ok: false });
    expect(calls.cancel).not.toHaveBeenCalled();
  });

  it('reads an authorisation as expired only when Stripe says it is canceled or lapsed', () => {
    const error = (raw: Record<string, unknown>) => new Stripe.errors.StripeInvalidRequestError({ type: 'invalid_request_error', message: 'refused', ...raw } as never);
    expect(isExpiredAuthorisationError(error({ code: 'payment_intent_unexpected_state', payment_intent: { id: 'pi_x', status: 'canceled' } }))).toBe(true);
    expect(isExpiredAuthorisationError(error({ code: 'charge_expired_for_capture' }))).toBe(true);
    expect(isExpiredAuthorisationError(error({ code: 'payment_intent_unexpected_state', payment_intent: { id: 'pi_x', status: 'succeeded' } }))).toBe(false);
    expect(isExpiredAuthorisationError(error({ code: 'amount_too_large' }))).toBe(false);
    expect(isExpiredAuthorisationError(new Error('socket hang up'))).toBe(false);
  });
});

it('the manual-capture window is Stripe’s 7 days for cards', () => {
  expect(MANUAL_CAPTURE_WINDOW_MS).toBe(7 * 24 * 3_600_000);
});
