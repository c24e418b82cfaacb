import { describe, expect, it } from 'vitest';
import { actorInWords, deriveFulfilment, historyEntry, itemsInWords, needsShipping, planShipment, toShipQty } from '../../../src/server/orders/index.ts';

const line = (id: number, qty: number, refundedQty = 0) => ({ id, qty, refundedQty, title: id === 1 ? 'Organic Cotton Tee' : 'Linen Shirt', variantLabel: 'M' });
const parcel = (lines: [number, number][], { deliveredAt = null, returnedAt = null }: { deliveredAt?: number | null; returnedAt?: number | null } = {}) => ({
  deliveredAt,
  returnedAt,
  lines: lines.map(([orderLineId, qty]) => ({ orderLineId, qty })),
});

describe('deriveFulfilment (ADR 0045)', () => {
  const lines = [line(1, 2), line(2, 1)];
  it('is unfulfilled with no parcel, even when everything was refunded', () => {
    expect(deriveFulfilment(lines, [])).toBe('unfulfilled');
    expect(deriveFulfilment([line(1, 2, 2)], [])).toBe('unfulfilled');
  });
  it('is partial while some units are still to ship', () => {
    expect(deriveFulfilment(lines, [parcel([[1, 1]])])).toBe('partial');
    expect(deriveFulfilment(lines, [parcel([[1, 2]])])).toBe('partial');
    // Every parcel delivered does not make a partial order delivered.
    expect(deriveFulfilment(lines, [parcel([[1, 2]], { deliveredAt: 5 })])).toBe('partial');
  });
  it('is shipped when every unit not refunded is in a parcel', () => {
    expect(deriveFulfilment(lines, [parcel([[1, 2]]), parcel([[2, 1]])])).toBe('shipped');
    // The shirt was refunded before it shipped: nothing left to send.
    expect(deriveFulfilment([line(1, 2), line(2, 1, 1)], [parcel([[1, 2]])])).toBe('shipped');
  });
  it('stays shipped when a unit is refunded after it shipped', () => {
    expect(deriveFulfilment([line(1, 2, 1), line(2, 1)], [parcel([[1, 2], [2, 1]])])).toBe('shipped');
  });
  it('is delivered when every parcel not sent back arrived', () => {
    expect(deriveFulfilment(lines, [parcel([[1, 2]], { deliveredAt: 5 }), parcel([[2, 1]])])).toBe('shipped');
    expect(deriveFulfilment(lines, [parcel([[1, 2]], { deliveredAt: 5 }), parcel([[2, 1]], { deliveredAt: 6 })])).toBe('delivered');
    expect(deriveFulfilment(lines, [parcel([[1, 2]], { deliveredAt: 5 }), parcel([[2, 1]], { returnedAt: 6 })])).toBe('delivered');
  });
  it('is returned when every parcel came back', () => {
    expect(deriveFulfilment(lines, [parcel([[1, 2], [2, 1]], { deliveredAt: 5, returnedAt: 9 })])).toBe('returned');
  });
});

describe('toShipQty and planShipment', () => {
  it('never leaves a negative quantity to ship', () => {
    expect(toShipQty(line(1, 3, 1), 1)).toBe(1);
    expect(toShipQty(line(1, 2, 1), 2)).toBe(0);
  });
  it("plans 'all' as everything left, and refuses when nothing is left", () => {
    expect(planShipment([line(1, 2), line(2, 1)], [parcel([[1, 1]])], 'all')).toEqual({ ok: true, lines: [{ orderLineId: 1, qty: 1 }, { orderLineId: 2, qty: 1 }], units: 2 });
    expect(planShipment([line(1, 1)], [parcel([[1, 1]])], 'all')).toMatchObject({ ok: false, reason: 'nothing_to_ship', message: expect.stringMatching(/already been shipped or refunded/) });
  });
  it('refuses more than ordered − refunded − shipped, naming the item (never its id)', () => {
    const r = planShipment([line(1, 3, 1), line(2, 1)], [parcel([[1, 1]])], [{ lineId: 1, qty: 2 }]);
    expect(r).toMatchObject({ ok: false, reason: 'too_many', message: 'Organic Cotton Tee (M): only 1 left to ship, not 2.', fieldErrors: { 'ship-1': 'Organic Cotton Tee (M): only 1 left to ship, not 2.' } });
    expect(planShipment([line(1, 1)], [], [{ lineId: 7, qty: 1 }])).toMatchObject({ ok: false, reason: 'unknown_line' });
    expect(planShipment([line(1, 1)], [], [{ lineId: 1, qty: 0 }])).toMatchObject({ ok: false, reason: 'nothing_to_ship' });
  });
});

describe('needsShipping (the "to ship" queue)', () => {
  it('holds paid or partly refunded orders not fully shipped', () => {
    expect(needsShipping('paid', 'unfulfilled')).toBe(true);
    expect(needsShipping('partially_refunded', 'partial')).toBe(true);
    expect(needsShipping('paid', 'shipped')).toBe(false);
    expect(needsShipping('pending', 'unfulfilled')).toBe(false);
    expect(needsShipping('refunded', 'unfulfilled')).toBe(false);
  });
});

describe('history in words', () => {
  it('shows a refund note as written, without the payment reference, and the admin by email', () => {
    const e = historyEntry({ at: 1, fromStatus: 'paid', toStatus: 'partially_refunded', actor: 'admin:ops@shop.test', note: 'Refunded $26.10 for 1 × Organic Cotton Tee. Payment reference re_test_123.' });
    expect(e).toEqual({ at: 1, text: 'Refunded $26.10 for 1 × Organic Cotton Tee.', by: 'ops@shop.test' });
  });
  it('words a change of state without a note, including the old shipped/delivered statuses', () => {
    expect(historyEntry({ at: 1, fromStatus: 'pending', toStatus: 'paid', actor: 'provider:test', note: null }).text).toBe('Payment received.');
    expect(historyEntry({ at: 1, fromStatus: 'paid', toStatus: 'shipped', actor: 'admin:a@b.c', note: null }).text).toBe('Shipped.');
    expect(historyEntry({ at: 1, fromStatus: null, toStatus: null, actor: 'system', note: null }).text).toBe('Updated.');
  });
  it('never shows a status code, a line id or cents', () => {
    for (const to of ['pending', 'paid', 'canceled', 'refunded', 'partially_refunded', 'shipped', 'delivered']) {
      const t = historyEntry({ at: 1, fromStatus: 'paid', toStatus: to, actor: 'buyer', note: null }).text;
      expect(t).not.toMatch(/_|\bcents?\b|\d/);
    }
  });
  it('names who did it', () => {
    expect(actorInWords('buyer')).toBe('The buyer');
    expect(actorInWords('provider:stripe')).toBe('Stripe');
    expect(actorInWords('sweeper')).toBe('Automatic clean-up');
  });
  it('lists items with quantity and variant', () => {
    expect(itemsInWords([{ qty: 1, title: 'Organic Cotton Tee', variantLabel: '' }, { qty: 2, title: 'Linen Shirt', variantLabel: 'M' }])).toBe('1 × Organic Cotton Tee, 2 × Linen Shirt (M)');
  });
});
