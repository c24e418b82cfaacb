import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { nextBoundary, priceVariant, productSale, saleRefusal, type Schedule } from '../../../src/server/sales/pricing.ts';
import { presaleView, shipDateText, zonedToEpoch, wallClock } from '../../../src/server/sales/presale.ts';

const T0 = Date.UTC(2026, 11, 3, 10, 0, 0);
const HOUR = 3_600_000;
const V = { id: 1, priceCents: 5000, compareAtCents: null };
const none = new Map<number, number>();

function sched(over: Partial<Schedule> = {}): Schedule {
  return { id: 1, productId: 9, variantId: null, kind: 'flash', priceCents: 2900, startsAt: T0, endsAt: T0 + HOUR, unitsAllotted: 20, perBuyerLimit: 2, canceledAt: null, ...over };
}

describe('priceVariant at the boundaries', () => {
  const flash = sched();
  it('1 ms before the start: the regular price, no sale', () => {
    const p = priceVariant(V, [flash], T0 - 1, none);
    expect(p).toEqual({ priceCents: 5000, compareAtCents: null, regularCents: 5000, sale: null });
  });
  it('at the start (inclusive): the sale price, the regular price struck', () => {
    const p = priceVariant(V, [flash], T0, none);
    expect(p.priceCents).toBe(2900);
    expect(p.compareAtCents).toBe(5000);
    expect(p.sale).toMatchObject({ scheduleId: 1, kind: 'flash', endsAt: T0 + HOUR, perBuyerLimit: 2, unitsLeft: 20 });
  });
  it('1 ms before the end: still the sale price; at the end (exclusive) and after: regular', () => {
    expect(priceVariant(V, [flash], T0 + HOUR - 1, none).priceCents).toBe(2900);
    expect(priceVariant(V, [flash], T0 + HOUR, none).priceCents).toBe(5000);
    expect(priceVariant(V, [flash], T0 + HOUR + 1, none).priceCents).toBe(5000);
  });
  it('a canceled sale prices nothing', () => {
    expect(priceVariant(V, [sched({ canceledAt: T0 - HOUR })], T0 + 1, none).sale).toBeNull();
  });
  it('a flash sale whose units are all taken no longer applies; one left still does', () => {
    expect(priceVariant(V, [flash], T0 + 1, new Map([[1, 20]])).priceCents).toBe(5000);
    expect(priceVariant(V, [flash], T0 + 1, new Map([[1, 19]])).sale?.unitsLeft).toBe(1);
  });
  it('a schedule on another variant does not touch this one', () => {
    expect(priceVariant(V, [sched({ variantId: 2 })], T0, none).sale).toBeNull();
    expect(priceVariant(V, [sched({ variantId: 1 })], T0, none).priceCents).toBe(2900);
  });
  it('keeps the variant’s own compare-at when no sale applies', () => {
    expect(priceVariant({ id: 1, priceCents: 5000, compareAtCents: 6500 }, [], T0, none).compareAtCents).toBe(6500);
  });
  it('during a sale the struck price is the regular price, not an older compare-at', () => {
    expect(priceVariant({ id: 1, priceCents: 5000, compareAtCents: 6500 }, [flash], T0, none).compareAtCents).toBe(5000);
  });
});

describe('precedence of overlapping schedules', () => {
  const markdown = sched({ id: 2, kind: 'markdown', priceCents: 4000, unitsAllotted: null, perBuyerLimit: null, startsAt: T0 - HOUR, endsAt: T0 + 5 * HOUR });
  it('a live flash sale below a live markdown wins', () => {
    expect(priceVariant(V, [markdown, sched()], T0, none).sale?.kind).toBe('flash');
  });
  it('before and after the flash sale, the markdown applies', () => {
    expect(priceVariant(V, [markdown, sched()], T0 - 1, none)).toMatchObject({ priceCents: 4000, sale: { kind: 'markdown' } });
    expect(priceVariant(V, [markdown, sched()], T0 + HOUR, none)).toMatchObject({ priceCents: 4000, sale: { kind: 'markdown' } });
  });
  it('a markdown lower than the flash sale wins (the reader never pays more for a “sale”)', () => {
    expect(priceVariant(V, [{ ...markdown, priceCents: 2000 }, sched()], T0, none)).toMatchObject({ priceCents: 2000, sale: { kind: 'markdown' } });
  });
  it('on a tie the markdown wins (no limit binds the buyer)', () => {
    expect(priceVariant(V, [sched(), { ...markdown, priceCents: 2900 }], T0, none).sale?.kind).toBe('markdown');
  });
  it('when the flash units are gone, the markdown applies', () => {
    expect(priceVariant(V, [markdown, sched()], T0, new Map([[1, 20]]))).toMatchObject({ priceCents: 4000, sale: { kind: 'markdown' } });
  });
  it('of two flash sales (product-wide and this variant) the lower price applies', () => {
    const a = sched({ id: 3, priceCents: 3500 });
    const b = sched({ id: 4, variantId: 1, priceCents: 3000 });
    expect(priceVariant(V, [a, b], T0, none).sale?.scheduleId).toBe(4);
  });
});

describe('price bounds', () => {
  it('never above the regular price nor below 1 cent', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: -1000, max: 20_000_000 }), fc.integer({ min: -3, max: 3 }), (regular, sale, dt) => {
        const p = priceVariant({ id: 1, priceCents: regular, compareAtCents: null }, [sched({ priceCents: sale, kind: 'markdown', unitsAllotted: null, perBuyerLimit: null })], T0 + dt, none);
        expect(p.priceCents).toBeGreaterThanOrEqual(1);
        expect(p.priceCents).toBeLessThanOrEqual(regular);
        if (dt < 0) expect(p.priceCents).toBe(regular);
      }),
    );
  });
  it('a sale price at or above the regular price is no sale', () => {
    expect(priceVariant(V, [sched({ priceCents: 5000 })], T0, none).sale).toBeNull();
    expect(priceVariant(V, [sched({ priceCents: 0 })], T0, none).priceCents).toBe(1);
  });
});

describe('nextBoundary', () => {
  const a = sched({ startsAt: T0, endsAt: T0 + HOUR });
  const b = sched({ id: 2, startsAt: T0 + 2 * HOUR, endsAt: T0 + 3 * HOUR });
  it('is the next start, then the end, then the next schedule’s start', () => {
    expect(nextBoundary([a, b], T0 - 1)).toBe(T0);
    expect(nextBoundary([a, b], T0)).toBe(T0 + HOUR);
    expect(nextBoundary([a, b], T0 + HOUR)).toBe(T0 + 2 * HOUR);
    expect(nextBoundary([a, b], T0 + 3 * HOUR)).toBeNull();
  });
  it('ignores canceled schedules', () => {
    expect(nextBoundary([{ ...a, canceledAt: 1 }], T0 - 1)).toBeNull();
  });
});

describe('productSale: what a card says', () => {
  const variants = [V, { id: 2, priceCents: 5500, compareAtCents: null }];
  it('upcoming flash sale: "Starts in" with its price; a markdown is never announced before it starts', () => {
    expect(productSale(variants, [sched()], T0 - 1, none)).toMatchObject({ state: 'upcoming', priceCents: 2900, regularCents: 5000, startsAt: T0 });
    expect(productSale(variants, [sched({ kind: 'markdown', unitsAllotted: null, perBuyerLimit: null })], T0 - 1, none)).toBeNull();
  });
  it('live with units left, then sold out, then nothing after the end', () => {
    expect(productSale(variants, [sched()], T0, new Map([[1, 8]]))).toMatchObject({ state: 'live', unitsLeft: 12, perBuyerLimit: 2 });
    expect(productSale(variants, [sched()], T0, new Map([[1, 20]]))).toMatchObject({ state: 'sold_out', unitsLeft: 0 });
    expect(productSale(variants, [sched()], T0 + HOUR, none)).toBeNull();
  });
  it('a variant-only sale shows that variant’s regular price', () => {
    expect(productSale(variants, [sched({ variantId: 2, priceCents: 3000 })], T0, none)).toMatchObject({ variantId: 2, regularCents: 5500, priceCents: 3000 });
  });
});

describe('saleRefusal: the words a buyer sees', () => {
  const s = sched();
  const base = { applied: true, wanted: 1, mine: 0, left: 20 as number | null, formatTime: () => '10:00 on 3 Dec' };
  it('1 ms before the start', () => {
    expect(saleRefusal(s, { ...base, applied: false, now: T0 - 1 })).toEqual({ reason: 'sale_not_started', message: "This sale hasn't started yet — it starts at 10:00 on 3 Dec." });
  });
  it('at the start it is fine', () => {
    expect(saleRefusal(s, { ...base, now: T0 })).toBeNull();
  });
  it('at the end and 1 ms after', () => {
    expect(saleRefusal(s, { ...base, applied: false, now: T0 + HOUR })?.message).toBe('This sale has ended.');
    expect(saleRefusal(s, { ...base, applied: false, now: T0 + HOUR + 1 })?.reason).toBe('sale_ended');
  });
  it('over the per-buyer limit, counting what they already hold', () => {
    expect(saleRefusal(s, { ...base, now: T0, wanted: 3 })?.message).toBe('You can buy at most 2 at the sale price.');
    expect(saleRefusal(s, { ...base, now: T0, wanted: 2, mine: 1 })?.message).toBe('You can buy at most 2 at the sale price — you already have 1, so 1 more.');
    expect(saleRefusal(s, { ...base, now: T0, wanted: 1, mine: 1 })).toBeNull();
  });
  it('units gone, and fewer left than wanted', () => {
    expect(saleRefusal(s, { ...base, applied: false, now: T0, left: 0 })?.message).toBe('The sale units are all gone.');
    expect(saleRefusal(s, { ...base, now: T0, wanted: 2, left: 1 })?.message).toBe('Only 1 left at the sale price — lower the quantity to continue.');
  });
});

describe('presale', () => {
  const p = { id: 1, productId: 9, shipsOn: '2027-01-12', capUnits: 10, opensAt: T0, closesAt: T0 + 10 * HOUR, canceledAt: null };
  it('upcoming before it opens, open with units left, full at the cap, gone at the close', () => {
    expect(presaleView(p, T0 - 1, 0)?.state).toBe('upcoming');
    expect(presaleView(p, T0, 3)).toMatchObject({ state: 'open', unitsLeft: 7 });
    expect(presaleView(p, T0, 10)?.state).toBe('full');
    expect(presaleView(p, T0 + 10 * HOUR, 0)).toBeNull();
  });
  it('ship dates in words', () => {
    expect(shipDateText('2027-01-12', '2027-01-01')).toBe('12 January');
    expect(shipDateText('2027-01-12', '2026-12-03')).toBe('12 January 2027');
  });
});

describe('times in the shop’s zone', () => {
  it('reads a wall-clock time in a zone as the right instant, both ways', () => {
    expect(zonedToEpoch('2026-01-12', '00:00', 'Asia/Shanghai')).toBe(Date.UTC(2026, 0, 11, 16));
    expect(zonedToEpoch('2026-07-01', '09:30', 'Europe/London')).toBe(Date.UTC(2026, 6, 1, 8, 30));
    expect(zonedToEpoch('2026-12-01', '09:30', 'Europe/London')).toBe(Date.UTC(2026, 11, 1, 9, 30));
    expect(wallClock(Date.UTC(2026, 0, 11, 16), 'Asia/Shanghai')).toEqual({ date: '2026-01-12', time: '00:00' });
  });
  it('refuses impossible dates and times', () => {
    expect(zonedToEpoch('2026-02-31', '10:00', 'UTC')).toBeNull();
    expect(zonedToEpoch('2026-02-01', '24:00', 'UTC')).toBeNull();
    expect(zonedToEpoch('tomorrow', '10:00', 'UTC')).toBeNull();
  });
});
