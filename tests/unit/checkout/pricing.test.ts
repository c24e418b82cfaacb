import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allocateDiscount, computeTotals, evaluateCoupon, parseCountryList, shippingEstimate, type CouponRule, type ShippingMethod } from '../../../src/server/checkout/index.ts';

const standard: ShippingMethod = { id: 'standard', label: 'Standard', priceCents: 595, freeOverCents: 15000, days: '3–5' };
const express: ShippingMethod = { id: 'express', label: 'Express', priceCents: 1495, freeOverCents: null, days: '1–2' };
const coupon = (o: Partial<CouponRule>): CouponRule => ({
  id: 1,
  code: 'SAVE',
  kind: 'percent',
  percentOff: 10,
  amountOffCents: null,
  minSubtotalCents: 0,
  startsAt: null,
  endsAt: null,
  maxRedemptions: null,
  perEmailLimit: null,
  active: true,
  ...o,
});
const usage = { subtotalCents: 10000, now: 1000, redemptions: 0, redemptionsByEmail: 0 };

describe('totals and shipping', () => {
  it('adds shipping unless the discounted subtotal reaches the free threshold', () => {
    expect(computeTotals([{ unitPriceCents: 5000, qty: 2 }], 0, standard)).toEqual({
      subtotalCents: 10000,
      discountCents: 0,
      lineDiscounts: [0],
      shippingCents: 595,
      totalCents: 10595,
    });
    expect(computeTotals([{ unitPriceCents: 15000, qty: 1 }], 0, standard).shippingCents).toBe(0);
    // a discount can take the order back under the threshold
    expect(computeTotals([{ unitPriceCents: 15000, qty: 1 }], 100, standard)).toMatchObject({ shippingCents: 595, totalCents: 15000 - 100 + 595 });
    expect(computeTotals([{ unitPriceCents: 20000, qty: 1 }], 0, express).shippingCents).toBe(1495);
  });
  it('estimates the cheapest method for the bag', () => {
    expect(shippingEstimate([standard, express], 2000)).toMatchObject({ cents: 595, method: { id: 'standard' } });
    expect(shippingEstimate([standard, express], 16000)).toMatchObject({ cents: 0 });
  });
  it('never discounts below zero', () => {
    expect(computeTotals([{ unitPriceCents: 1000, qty: 1 }], 5000, express)).toMatchObject({ discountCents: 1000, totalCents: 1495 });
  });
});

describe('coupon rules', () => {
  it('takes a percent off, rounding down', () => {
    expect(evaluateCoupon(coupon({ percentOff: 15 }), { ...usage, subtotalCents: 3333 })).toEqual({ ok: true, discountCents: 499 });
  });
  it('takes an amount off, capped at the subtotal', () => {
    expect(evaluateCoupon(coupon({ kind: 'amount', percentOff: null, amountOffCents: 2000 }), usage)).toEqual({ ok: true, discountCents: 2000 });
    expect(evaluateCoupon(coupon({ kind: 'amount', percentOff: null, amountOffCents: 2000 }), { ...usage, subtotalCents: 1500 })).toEqual({ ok: true, discountCents: 1500 });
  });
  it.each([
    [{ active: false }, usage, 'inactive'],
    [{ startsAt: 2000 }, usage, 'not_started'],
    [{ endsAt: 1000 }, usage, 'expired'],
    [{ minSubtotalCents: 20000 }, usage, 'min_subtotal'],
    [{ maxRedemptions: 3 }, { ...usage, redemptions: 3 }, 'used_up'],
    [{ perEmailLimit: 1 }, { ...usage, redemptionsByEmail: 1 }, 'email_limit'],
  ] as const)('refuses %j', (rule, use, reason) => {
    expect(evaluateCoupon(coupon(rule), use)).toMatchObject({ ok: false, reason });
  });
  it('is valid from its start to just before its end', () => {
    expect(evaluateCoupon(coupon({ startsAt: 1000, endsAt: 1001 }), usage).ok).toBe(true);
  });
});

describe('discount allocation', () => {
  it('spreads in proportion, exactly', () => {
    expect(allocateDiscount([2500, 1000], 350)).toEqual([250, 100]);
    expect(allocateDiscount([1, 1, 1], 2)).toEqual([1, 1, 0]);
    expect(allocateDiscount([100, 0], 10)).toEqual([10, 0]);
    expect(allocateDiscount([], 10)).toEqual([]);
  });
  it('always sums to the discount and never gives a line more than its subtotal (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 100000 }), { minLength: 1, maxLength: 20 }), fc.integer({ min: 0, max: 3000000 }), (subs, d) => {
        const parts = allocateDiscount(subs, d);
        const total = subs.reduce((a, b) => a + b, 0);
        expect(parts.reduce((a, b) => a + b, 0)).toBe(total === 0 ? 0 : Math.min(d, total));
        parts.forEach((p, i) => {
          expect(p).toBeGreaterThanOrEqual(0);
          expect(p).toBeLessThanOrEqual(subs[i]!);
        });
      }),
    );
  });
});

describe('country list', () => {
  it('parses and rejects', () => {
    expect(parseCountryList(' us, gb ,US')).toEqual(['US', 'GB']);
    expect(() => parseCountryList('US,Germany')).toThrow('"GERMANY" is not a two-letter country code');
    expect(() => parseCountryList(' , ')).toThrow('at least one country');
  });
});
