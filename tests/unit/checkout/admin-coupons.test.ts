import { describe, expect, it } from 'vitest';
import { couponDay, couponLastDay, parseShopCouponForm } from '../../../src/server/checkout/index.ts';

const BASE = { code: 'spring10', kind: 'percent', percentOff: '10', amountOff: '', minSubtotal: '', startsOn: '', endsOn: '', maxRedemptions: '', perEmailLimit: '', active: 'on' };
const parse = (over: Record<string, unknown> = {}) => parseShopCouponForm({ ...BASE, ...over });
const errorsOf = (over: Record<string, unknown>) => {
  const r = parse(over);
  if (r.ok) throw new Error('expected errors');
  return r.errors;
};

describe('parseShopCouponForm', () => {
  it('parses a percent coupon with no limits, upper-casing the code', () => {
    expect(parse()).toEqual({
      ok: true,
      value: {
        code: 'SPRING10',
        kind: 'percent',
        percentOff: 10,
        amountOffCents: null,
        minSubtotalCents: 0,
        startsAt: null,
        endsAt: null,
        maxRedemptions: null,
        perEmailLimit: null,
        active: true,
      },
    });
  });

  it('parses an amount coupon with money text, dates (end day included) and limits', () => {
    const r = parse({ code: ' Ten_Off-2026 ', kind: 'amount', percentOff: 'ignored', amountOff: '$10.00', minSubtotal: '50', startsOn: '2026-03-01', endsOn: '2026-03-31', maxRedemptions: '100', perEmailLimit: '1', active: undefined });
    expect(r).toEqual({
      ok: true,
      value: {
        code: 'TEN_OFF-2026',
        kind: 'amount',
        percentOff: null,
        amountOffCents: 1000,
        minSubtotalCents: 5000,
        startsAt: Date.UTC(2026, 2, 1),
        endsAt: Date.UTC(2026, 3, 1),
        maxRedemptions: 100,
        perEmailLimit: 1,
        active: false,
      },
    });
    if (r.ok) {
      expect(couponDay(r.value.startsAt!)).toBe('2026-03-01');
      expect(couponLastDay(r.value.endsAt!)).toBe('2026-03-31');
    }
  });

  it('accepts a one-day coupon (same start and end day) and 0.29 exactly', () => {
    const r = parse({ kind: 'amount', amountOff: '0.29', startsOn: '2026-05-05', endsOn: '2026-05-05' });
    expect(r).toMatchObject({ ok: true, value: { amountOffCents: 29, startsAt: Date.UTC(2026, 4, 5), endsAt: Date.UTC(2026, 4, 6) } });
  });

  it('reads FormData too', () => {
    const f = new FormData();
    for (const [k, v] of Object.entries(BASE)) f.set(k, v);
    f.delete('active');
    expect(parseShopCouponForm(f)).toMatchObject({ ok: true, value: { code: 'SPRING10', active: false } });
  });

  it.each([
    [{ code: '' }, 'code'],
    [{ code: 'AB' }, 'code'],
    [{ code: 'A'.repeat(41) }, 'code'],
    [{ code: 'HAS SPACE' }, 'code'],
    [{ code: 'ÉTÉ10' }, 'code'],
    [{ kind: 'free' }, 'kind'],
    [{ kind: '' }, 'kind'],
    [{ percentOff: '0' }, 'percentOff'],
    [{ percentOff: '101' }, 'percentOff'],
    [{ percentOff: '12.5' }, 'percentOff'],
    [{ percentOff: '' }, 'percentOff'],
    [{ kind: 'amount', amountOff: '' }, 'amountOff'],
    [{ kind: 'amount', amountOff: '0' }, 'amountOff'],
    [{ kind: 'amount', amountOff: '1,000' }, 'amountOff'],
    [{ kind: 'amount', amountOff: '10.001' }, 'amountOff'],
    [{ kind: 'amount', amountOff: '-5' }, 'amountOff'],
    [{ minSubtotal: 'fifty' }, 'minSubtotal'],
    [{ startsOn: '2026-02-30' }, 'startsOn'],
    [{ endsOn: '31/03/2026' }, 'endsOn'],
    [{ startsOn: '2026-04-02', endsOn: '2026-04-01' }, 'endsOn'],
    [{ maxRedemptions: '0' }, 'maxRedemptions'],
    [{ maxRedemptions: '2.5' }, 'maxRedemptions'],
    [{ perEmailLimit: '-1' }, 'perEmailLimit'],
    [{ perEmailLimit: 'many' }, 'perEmailLimit'],
  ] as const)('refuses %o with a message on %s', (over, field) => {
    const errors = errorsOf(over);
    expect(Object.keys(errors)).toEqual([field]);
    expect(errors[field]).toMatch(/\w/);
  });

  it('reports every bad field at once', () => {
    const errors = errorsOf({ code: 'x', kind: 'amount', amountOff: 'abc', minSubtotal: '1,5', startsOn: 'soon', maxRedemptions: '0', perEmailLimit: 'x' });
    expect(Object.keys(errors).sort()).toEqual(['amountOff', 'code', 'maxRedemptions', 'minSubtotal', 'perEmailLimit', 'startsOn']);
    expect(errors.amountOff).toMatch(/^Amount off: /);
  });
});
