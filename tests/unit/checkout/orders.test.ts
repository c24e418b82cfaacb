import { describe, expect, it } from 'vitest';
import { newOrderNumber, normaliseOrderNumber, ORDER_ALPHABET, ORDER_NUMBER_PATTERN } from '../../../src/server/orders/index.ts';
import { canTransition, statusAfterRefund } from '../../../src/server/orders/index.ts';
import { lineRefundAmount, planRefund } from '../../../src/server/orders/index.ts';
import { orderToken, verifyOrderToken } from '../../../src/server/orders/index.ts';
import { parseCheckoutForm } from '../../../src/server/checkout/index.ts';
import { TEST_CHECKOUT } from '../../helpers/checkout.ts';

describe('order numbers', () => {
  it('are readable aloud: no 0/O, 1/I/L or U', () => {
    for (const bad of '01OILU') expect(ORDER_ALPHABET).not.toContain(bad);
    for (let i = 0; i < 200; i++) expect(newOrderNumber()).toMatch(ORDER_NUMBER_PATTERN);
  });
  it('accept what a person types', () => {
    expect(normaliseOrderNumber('lb 7kx4 m2qd')).toBe('LB-7KX4-M2QD');
    expect(normaliseOrderNumber('7KX4M2QD')).toBe('LB-7KX4-M2QD');
    expect(normaliseOrderNumber('LB-7KX4-M2Q0')).toBeNull();
    expect(normaliseOrderNumber('../etc')).toBeNull();
  });
});

describe('order state machine (payment only, ADR 0045)', () => {
  it('allows the forward path and refunds', () => {
    expect(canTransition('pending', 'paid')).toBe(true);
    expect(canTransition('paid', 'partially_refunded')).toBe(true);
    expect(canTransition('partially_refunded', 'refunded')).toBe(true);
    expect(canTransition('paid', 'refunded')).toBe(true);
    expect(canTransition('pending', 'canceled')).toBe(true);
  });
  it('never moves backwards or out of a final state', () => {
    expect(canTransition('paid', 'pending')).toBe(false);
    expect(canTransition('partially_refunded', 'paid')).toBe(false);
    expect(canTransition('refunded', 'paid')).toBe(false);
    expect(canTransition('canceled', 'paid')).toBe(false);
    expect(canTransition('partially_refunded', 'canceled')).toBe(false);
    expect(canTransition('pending', 'refunded')).toBe(false);
  });
  it('names the status after a refund', () => {
    expect(statusAfterRefund(1000, 400)).toBe('partially_refunded');
    expect(statusAfterRefund(1000, 1000)).toBe('refunded');
  });
});

describe('refund amounts', () => {
  const line = { id: 1, qty: 3, refundedQty: 0, subtotalCents: 10000, discountCents: 1000 };
  it('refund unit by unit adds up to the net exactly', () => {
    const a = lineRefundAmount(line, 1);
    const b = lineRefundAmount({ ...line, refundedQty: 1 }, 1);
    const c = lineRefundAmount({ ...line, refundedQty: 2 }, 1);
    expect([a, b, c]).toEqual([3000, 3000, 3000]);
    expect(lineRefundAmount({ ...line, subtotalCents: 1000, discountCents: 0 }, 1) + lineRefundAmount({ ...line, subtotalCents: 1000, discountCents: 0, refundedQty: 1 }, 2)).toBe(1000);
  });
  it('returns shipping only with the last unit, and refuses too many', () => {
    const lines = [line, { id: 2, qty: 1, refundedQty: 0, subtotalCents: 2000, discountCents: 0 }];
    expect(planRefund(lines, [{ lineId: 2, qty: 1 }], { shippingCents: 595, shippingRefunded: false })).toMatchObject({ ok: true, amountCents: 2000, includesShipping: false });
    expect(planRefund(lines, 'all', { shippingCents: 595, shippingRefunded: false })).toMatchObject({ ok: true, amountCents: 9000 + 2000 + 595, includesShipping: true });
    expect(planRefund(lines, [{ lineId: 1, qty: 4 }], { shippingCents: 595, shippingRefunded: false })).toMatchObject({ ok: false, reason: 'too_many' });
    expect(planRefund(lines, [{ lineId: 9, qty: 1 }], { shippingCents: 595, shippingRefunded: false })).toMatchObject({ ok: false, reason: 'unknown_line' });
    expect(planRefund(lines, [], { shippingCents: 595, shippingRefunded: false })).toMatchObject({ ok: false, reason: 'nothing_to_refund' });
  });
});

describe('signed order links', () => {
  it('verify only the right token for the right order', () => {
    const t = orderToken('secret-a', 'LB-2345-6789');
    expect(verifyOrderToken('secret-a', 'LB-2345-6789', t)).toBe(true);
    expect(verifyOrderToken('secret-a', 'LB-2345-678A', t)).toBe(false);
    expect(verifyOrderToken('secret-b', 'LB-2345-6789', t)).toBe(false);
    expect(verifyOrderToken('secret-a', 'LB-2345-6789', `${t.slice(0, -1)}x`)).toBe(false);
    expect(verifyOrderToken('secret-a', 'LB-2345-6789', null)).toBe(false);
    expect(verifyOrderToken('secret-a', 'LB-2345-6789', '')).toBe(false);
  });
});

describe('checkout form', () => {
  const good = { email: ' Reader@Example.com ', name: 'Ada', line1: '1 Main St', city: 'Springfield', region: 'il', postcode: '62701', country: 'US', shippingMethod: 'standard' };
  it('normalises a valid form', () => {
    expect(parseCheckoutForm(good, TEST_CHECKOUT)).toEqual({
      ok: true,
      value: { ...good, email: 'reader@example.com', line2: null, region: 'IL', couponCode: null },
    });
  });
  it('refuses a US address with a made-up ZIP, no state, a one-letter name and a one-character street', () => {
    const r = parseCheckoutForm({ ...good, postcode: 'ABCDE', region: '', name: 'A', line1: '1' }, TEST_CHECKOUT);
    expect(r).toEqual({
      ok: false,
      errors: {
        name: 'Enter your full name as it should appear on the parcel.',
        line1: 'Enter your house number and street.',
        postcode: 'Enter a 5-digit ZIP code, like 11249.',
        region: 'Enter your state, like NY or New York.',
      },
    });
  });
  it('checks the postcode against the chosen country and stores it in its usual form', () => {
    const gb = parseCheckoutForm({ ...good, country: 'GB', region: '', city: 'London', postcode: 'sw1a2aa' }, TEST_CHECKOUT);
    expect(gb.ok && gb.value).toMatchObject({ postcode: 'SW1A 2AA', region: null });
    const de = parseCheckoutForm({ ...good, country: 'DE', region: '', city: 'Berlin', postcode: 'SW1A 2AA' }, TEST_CHECKOUT);
    expect(de).toEqual({ ok: false, errors: { postcode: 'Enter a postcode like 10115.' } });
  });
  it('refuses a street or name without a letter', () => {
    const r = parseCheckoutForm({ ...good, name: '12', line1: '123' }, TEST_CHECKOUT);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(Object.keys(r.errors).sort()).toEqual(['line1', 'name']);
  });
  it('puts a message next to every bad field', () => {
    const r = parseCheckoutForm({ ...good, email: 'nope', country: 'FR', postcode: '!', shippingMethod: 'teleport', name: '', couponCode: 'bad code' }, TEST_CHECKOUT);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(Object.keys(r.errors).sort()).toEqual(['country', 'couponCode', 'email', 'name', 'postcode', 'shippingMethod']);
      expect(r.errors.country).toBe('We do not ship to that country yet.');
    }
  });
});
