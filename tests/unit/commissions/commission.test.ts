/** Commission arithmetic and rounding, reversal proportions, lock window, override expiry. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  approvalAt,
  balances,
  commissionFor,
  DAY_MS,
  effectiveRateBps,
  entryStatus,
  lineNet,
  overrideApplies,
  overrideEndsAt,
  overrideFor,
  reversalTarget,
} from '../../../src/server/commissions/index.ts';

describe('commission arithmetic', () => {
  it('is computed on the net after discounts, rounded down to the minor unit', () => {
    expect(lineNet({ subtotalCents: 11900, discountCents: 1785 })).toBe(10115);
    expect(commissionFor(10115, 1000)).toBe(1011); // 1011.5 → 1011
    expect(commissionFor(999, 1250)).toBe(124); // 124.875 → 124
    expect(commissionFor(0, 1000)).toBe(0);
  });
  it('refuses fractions and negatives (a bug, not a price)', () => {
    expect(() => commissionFor(10.5, 1000)).toThrow(RangeError);
    expect(() => commissionFor(-1, 1000)).toThrow(RangeError);
  });
  it('never exceeds the exact value nor falls a cent short of it (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 5000 }), (base, rate) => {
        const c = commissionFor(base, rate);
        const exact = (base * rate) / 10_000;
        expect(c).toBeLessThanOrEqual(exact);
        expect(exact - c).toBeLessThan(1);
      }),
    );
  });
  it('rate: category override, else creator rate, else default', () => {
    expect(effectiveRateBps({ categoryRateBps: 500, creatorRateBps: 1500, defaultRateBps: 1000 })).toBe(500);
    expect(effectiveRateBps({ categoryRateBps: null, creatorRateBps: 1500, defaultRateBps: 1000 })).toBe(1500);
    expect(effectiveRateBps({ categoryRateBps: null, creatorRateBps: null, defaultRateBps: 1000 })).toBe(1000);
    expect(effectiveRateBps({ categoryRateBps: 0, creatorRateBps: 1500, defaultRateBps: 1000 })).toBe(0);
  });
});

describe('reversals', () => {
  it('reverse in proportion to the refunded net, and a full refund reverses exactly', () => {
    expect(reversalTarget(1000, 10000, 0)).toBe(0);
    expect(reversalTarget(1000, 10000, 2500)).toBe(250);
    expect(reversalTarget(1011, 10115, 10115)).toBe(1011);
    expect(reversalTarget(1011, 10115, 99999)).toBe(1011);
  });
  it('cumulative targets never decrease as more is refunded (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100000 }), fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: 1_000_000 }), (sale, base, a, b) => {
        const [lo, hi] = a < b ? [a, b] : [b, a];
        expect(reversalTarget(sale, base, lo)).toBeLessThanOrEqual(reversalTarget(sale, base, hi));
        expect(reversalTarget(sale, base, hi)).toBeLessThanOrEqual(sale);
      }),
    );
  });
});

describe('lock window and status', () => {
  const paid = Date.UTC(2026, 9, 1);
  it('approves lockDays after payment, decided where read', () => {
    const at = approvalAt(paid, 30);
    expect(at).toBe(paid + 30 * DAY_MS);
    expect(entryStatus({ availableAt: at, paidOut: false }, at - 1)).toBe('pending');
    expect(entryStatus({ availableAt: at, paidOut: false }, at)).toBe('approved');
    expect(entryStatus({ availableAt: at, paidOut: true }, at - 1)).toBe('paid');
  });
  it('balances always equal the sum of the ledger', () => {
    const now = paid + 40 * DAY_MS;
    const entries = [
      { amountCents: 1000, availableAt: paid + 30 * DAY_MS, paidOut: false },
      { amountCents: -250, availableAt: paid + 30 * DAY_MS, paidOut: false },
      { amountCents: 500, availableAt: now + DAY_MS, paidOut: false },
      { amountCents: 700, availableAt: paid, paidOut: true },
    ];
    const b = balances(entries, now);
    expect(b).toEqual({ pendingCents: 500, approvedCents: 750, paidCents: 700 });
    expect(b.pendingCents + b.approvedCents + b.paidCents).toBe(entries.reduce((s, e) => s + e.amountCents, 0));
  });
});

describe('one-level override', () => {
  it('is 10% of the invitee commission, rounded down', () => {
    expect(overrideFor(1011)).toBe(101);
    expect(overrideFor(9)).toBe(0);
  });
  it('lasts 6 calendar months from joining', () => {
    const joined = Date.UTC(2026, 0, 15, 10);
    expect(overrideEndsAt(joined)).toBe(Date.UTC(2026, 6, 15, 10));
    expect(overrideApplies(joined, Date.UTC(2026, 6, 15, 9, 59))).toBe(true);
    expect(overrideApplies(joined, Date.UTC(2026, 6, 15, 10))).toBe(false);
    expect(overrideApplies(joined, joined - 1)).toBe(false);
  });
  it('clamps month ends (31 Aug + 6 months = 28 Feb)', () => {
    expect(new Date(overrideEndsAt(Date.UTC(2026, 7, 31))).toISOString().slice(0, 10)).toBe('2027-02-28');
  });
});
