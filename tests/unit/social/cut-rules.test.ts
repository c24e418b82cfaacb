import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DAILY_HELP_LIMIT,
  NEW_HELPER_WINDOW_MS,
  cutSchedule,
  cutState,
  helpAllowedToday,
  isNewHelper,
  pickCut,
  priceAfter,
  shopDay,
} from '../../../src/server/social/cut-rules.ts';

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/** Random valid launches: start − floor ≥ helps, floor sometimes 0. */
const launchArb = fc
  .record({
    helps: fc.integer({ min: 1, max: 100 }),
    floorCents: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 50_000 })),
    extra: fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 5_000 }), fc.integer({ min: 0, max: 2_000_000 })),
  })
  .map(({ helps, floorCents, extra }) => ({ helps, floorCents, startCents: floorCents + helps + extra }));

describe('cutSchedule examples', () => {
  it('shares 5000 over 3 helps by weights 3:2:1, largest remainder', () => {
    // weights 3, 2, 1 (sum 6); exact shares 5000·3/6 = 2500, 5000·2/6 = 1666.67, 5000·1/6 = 833.33
    // floors 2500 + 1666 + 833 = 4999: the 1 left goes to the largest remainder, .67 (cut 1)
    expect(cutSchedule({ startCents: 5000, floorCents: 0, helps: 3 })).toEqual([2500, 1667, 833]);
  });
  it('breaks equal remainders towards the earlier cut', () => {
    // 9 over 3:2:1 → 4.5, 3, 1.5; floors 4 + 3 + 1 = 8; remainders .5 (cut 0) and .5 (cut 2) tie → cut 0
    expect(cutSchedule({ startCents: 1009, floorCents: 1000, helps: 3 })).toEqual([5, 3, 1]);
    // 7 over 3:2:1 → 3.5, 2.33, 1.17; floors 3 + 2 + 1 = 6; the 1 left goes to .5 (cut 0)
    expect(cutSchedule({ startCents: 7, floorCents: 0, helps: 3 })).toEqual([4, 2, 1]);
  });
  it('is exact when the weights divide evenly', () => {
    // 10 over 4:3:2:1 (sum 10)
    expect(cutSchedule({ startCents: 2010, floorCents: 2000, helps: 4 })).toEqual([4, 3, 2, 1]);
    // 1 help takes the whole discount
    expect(cutSchedule({ startCents: 12345, floorCents: 345, helps: 1 })).toEqual([12000]);
  });
  it('keeps every cut at least 1 when shares would fall under a unit', () => {
    // 3 over 3:2:1 → 1.5, 1, 0.5: plain largest remainder would give [2, 1, 0]. Cut 2 is fixed at 1;
    // 2 over 3:2 → 1.2, 0.8: cut 1 is fixed at 1; 1 over 3 → cut 0 = 1.
    expect(cutSchedule({ startCents: 3, floorCents: 0, helps: 3 })).toEqual([1, 1, 1]);
    // 4 over 3:2:1 → 2, 1.33, 0.67: cut 2 fixed at 1; 3 over 3:2 → 1.8, 1.2 → floors 1, 1, the 1 left to cut 0
    expect(cutSchedule({ startCents: 104, floorCents: 100, helps: 3 })).toEqual([2, 1, 1]);
    // start − floor == helps: one unit each
    expect(cutSchedule({ startCents: 100, floorCents: 0, helps: 100 })).toEqual(new Array(100).fill(1));
  });
  it.each([
    [{ startCents: 1000, floorCents: 1000, helps: 3 }, 'must be above the floor'],
    [{ startCents: 900, floorCents: 1000, helps: 3 }, 'must be above the floor'],
    [{ startCents: 1000, floorCents: 0, helps: 0 }, 'from 1 to 100'],
    [{ startCents: 1000, floorCents: 0, helps: 101 }, 'from 1 to 100'],
    [{ startCents: 1000, floorCents: 0, helps: 2.5 }, 'from 1 to 100'],
    [{ startCents: 1002, floorCents: 1000, helps: 3 }, 'at least one minor unit per help'],
    [{ startCents: 10.5, floorCents: 0, helps: 3 }, 'whole minor units'],
    [{ startCents: 1000, floorCents: Number.NaN, helps: 3 }, 'whole minor units'],
    [{ startCents: 1000, floorCents: -1, helps: 3 }, 'cannot be negative'],
  ])('refuses %j with a RangeError', (input, message) => {
    expect(() => cutSchedule(input)).toThrow(RangeError);
    expect(() => cutSchedule(input)).toThrow(message);
  });
});

describe('cutSchedule properties', () => {
  it('has `helps` integer cuts, each ≥ 1, non-increasing, summing to start − floor exactly', () => {
    fc.assert(
      fc.property(launchArb, (launch) => {
        const cuts = cutSchedule(launch);
        expect(cuts).toHaveLength(launch.helps);
        expect(sum(cuts)).toBe(launch.startCents - launch.floorCents);
        cuts.forEach((c, i) => {
          expect(Number.isInteger(c)).toBe(true);
          expect(c).toBeGreaterThanOrEqual(1);
          if (i > 0) expect(c).toBeLessThanOrEqual(cuts[i - 1]!);
        });
      }),
      { numRuns: 500 },
    );
  });
  it('is plain largest remainder (each cut within one unit of its exact share) when every share is ≥ 1', () => {
    fc.assert(
      fc.property(launchArb, ({ startCents, floorCents, helps }) => {
        const total = startCents - floorCents;
        const weightSum = (helps * (helps + 1)) / 2;
        fc.pre(total >= weightSum);
        const cuts = cutSchedule({ startCents, floorCents, helps });
        cuts.forEach((c, i) => {
          // c − exact in (−1, 1), compared in integers: c·W − total·w
          const diff = c * weightSum - total * (helps - i);
          expect(Math.abs(diff)).toBeLessThan(weightSum);
          // largest remainder only ever rounds up from the floor
          expect(c).toBeGreaterThanOrEqual(Math.floor((total * (helps - i)) / weightSum));
        });
        // the units left after the floors went to the largest remainders, ties to the earlier cut: in
        // that order, the cuts rounded up are exactly the first ones
        const rem = (i: number) => (total * (helps - i)) % weightSum;
        const byRemainder = cuts.map((_, i) => i).sort((a, b) => rem(b) - rem(a) || a - b);
        const roundedUp = byRemainder.map((i) => cuts[i]! * weightSum > total * (helps - i));
        const ups = roundedUp.filter(Boolean).length;
        expect(roundedUp).toEqual(roundedUp.map((_, k) => k < ups));
      }),
      { numRuns: 500 },
    );
  });
});

describe('pickCut, priceAfter and cutState', () => {
  const schedule = [2500, 1667, 833];
  it('gives a new helper the largest cut left and a returning helper the smallest', () => {
    expect(pickCut(schedule, [], true)).toBe(0);
    expect(pickCut(schedule, [], false)).toBe(2);
    expect(pickCut(schedule, [0], true)).toBe(1);
    expect(pickCut(schedule, [2], false)).toBe(1);
    expect(pickCut(schedule, [1], true)).toBe(0);
    expect(pickCut(schedule, [1], false)).toBe(2);
    expect(pickCut(schedule, [0, 2], false)).toBe(1);
    expect(pickCut(schedule, [0, 1, 2], true)).toBeNull();
    expect(pickCut(schedule, [2, 0, 1], false)).toBeNull();
  });
  it('takes the used cuts off the start price', () => {
    expect(priceAfter(5000, schedule, [])).toBe(5000);
    expect(priceAfter(5000, schedule, [2])).toBe(5000 - 833);
    expect(priceAfter(5000, schedule, [0, 2])).toBe(5000 - 2500 - 833);
    expect(priceAfter(5000, schedule, [0, 1, 2])).toBe(0);
  });
  it('says what the page says: the price, the cut so far, the helps left and the next cut', () => {
    const launch = { startCents: 6000, floorCents: 1000, schedule };
    expect(cutState({ ...launch, usedIndexes: [] })).toEqual({
      priceCents: 6000,
      cutCents: 0,
      helpsLeft: 3,
      reachedFloor: false,
      nextCutRange: { min: 833, max: 2500 },
    });
    expect(cutState({ ...launch, usedIndexes: [2] })).toEqual({
      priceCents: 6000 - 833,
      cutCents: 833,
      helpsLeft: 2,
      reachedFloor: false,
      nextCutRange: { min: 1667, max: 2500 },
    });
    expect(cutState({ ...launch, usedIndexes: [0, 2] })).toEqual({
      priceCents: 6000 - 2500 - 833,
      cutCents: 3333,
      helpsLeft: 1,
      reachedFloor: false,
      nextCutRange: { min: 1667, max: 1667 },
    });
    expect(cutState({ ...launch, usedIndexes: [0, 1, 2] })).toEqual({
      priceCents: 1000,
      cutCents: 5000,
      helpsLeft: 0,
      reachedFloor: true,
      nextCutRange: null,
    });
  });
  it('throws on bugs: unknown or repeated indexes, a schedule that does not add up', () => {
    expect(() => pickCut(schedule, [3], true)).toThrow(RangeError);
    expect(() => pickCut(schedule, [-1], true)).toThrow('not in a schedule of 3 cuts');
    expect(() => priceAfter(5000, schedule, [1, 1])).toThrow('used twice');
    expect(() => cutState({ startCents: 5000, floorCents: 1, schedule, usedIndexes: [] })).toThrow('adds up to 5000, not start − floor (4999)');
  });
  it('reaches the floor in exactly `helps` helps whatever the mix of new and returning helpers, never below it', () => {
    fc.assert(
      fc.property(
        launchArb.chain((launch) => fc.record({ launch: fc.constant(launch), newness: fc.array(fc.boolean(), { minLength: launch.helps, maxLength: launch.helps }) })),
        ({ launch, newness }) => {
          const schedule = cutSchedule(launch);
          const used: number[] = [];
          let price = launch.startCents;
          for (const [k, isNew] of newness.entries()) {
            const before = cutState({ ...launch, schedule, usedIndexes: used });
            expect(before.helpsLeft).toBe(launch.helps - k);
            expect(before.reachedFloor).toBe(false);
            expect(before.priceCents).toBe(price);
            const i = pickCut(schedule, used, isNew);
            expect(i).not.toBeNull();
            expect(used).not.toContain(i);
            // the cut taken is within the range the page announced, at the end the helper's kind picks
            expect(schedule[i!]).toBe(isNew ? before.nextCutRange!.max : before.nextCutRange!.min);
            used.push(i!);
            price -= schedule[i!]!;
            expect(price).toBeGreaterThanOrEqual(launch.floorCents);
            expect(priceAfter(launch.startCents, schedule, used)).toBe(price);
          }
          expect(price).toBe(launch.floorCents);
          expect(cutState({ ...launch, schedule, usedIndexes: used })).toMatchObject({ priceCents: launch.floorCents, helpsLeft: 0, reachedFloor: true, nextCutRange: null });
          expect(pickCut(schedule, used, true)).toBeNull();
          expect(pickCut(schedule, used, false)).toBeNull();
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('new helpers and the daily limit', () => {
  const now = Date.UTC(2024, 5, 15, 12);
  it('counts an account as new for under 7 days, and only if it has never helped', () => {
    expect(NEW_HELPER_WINDOW_MS).toBe(604_800_000);
    expect(isNewHelper({ accountCreatedAt: now, earlierHelps: 0, now })).toBe(true);
    expect(isNewHelper({ accountCreatedAt: now - NEW_HELPER_WINDOW_MS + 1, earlierHelps: 0, now })).toBe(true);
    expect(isNewHelper({ accountCreatedAt: now - NEW_HELPER_WINDOW_MS, earlierHelps: 0, now })).toBe(false);
    expect(isNewHelper({ accountCreatedAt: now - 60_000, earlierHelps: 1, now })).toBe(false);
    expect(isNewHelper({ accountCreatedAt: now - 30 * 86_400_000, earlierHelps: 0, now })).toBe(false);
  });
  it('allows 3 launches helped per shop day', () => {
    expect(DAILY_HELP_LIMIT).toBe(3);
    expect([0, 1, 2, 3, 4].map(helpAllowedToday)).toEqual([true, true, true, false, false]);
  });
});

describe('shopDay', () => {
  it('puts the same instant on different days in Auckland and Los Angeles', () => {
    const at = Date.UTC(2024, 5, 15, 13); // 2024-06-15 13:00Z = 16 June 01:00 NZST (+12) = 15 June 06:00 PDT (−7)
    expect(shopDay(at, 'Pacific/Auckland')).toBe('2024-06-16');
    expect(shopDay(at, 'America/Los_Angeles')).toBe('2024-06-15');
    expect(shopDay(at, 'UTC')).toBe('2024-06-15');
    const early = Date.UTC(2024, 0, 1, 5); // 1 Jan 05:00Z = 1 Jan 18:00 NZDT (+13) = 31 Dec 21:00 PST (−8)
    expect(shopDay(early, 'Pacific/Auckland')).toBe('2024-01-01');
    expect(shopDay(early, 'America/Los_Angeles')).toBe('2023-12-31');
  });
  it('turns the day at local midnight across daylight-saving changes', () => {
    const la = 'America/Los_Angeles';
    // 10 March 2024 (spring forward) is 23 hours long: midnight PST = 08:00Z, the next midnight PDT = 07:00Z
    expect(shopDay(Date.UTC(2024, 2, 10, 8) - 1, la)).toBe('2024-03-09');
    expect(shopDay(Date.UTC(2024, 2, 10, 8), la)).toBe('2024-03-10');
    expect(shopDay(Date.UTC(2024, 2, 11, 7) - 1, la)).toBe('2024-03-10');
    expect(shopDay(Date.UTC(2024, 2, 11, 7), la)).toBe('2024-03-11');
    // 3 November 2024 (fall back) is 25 hours long: midnight PDT = 07:00Z, the next midnight PST = 08:00Z
    expect(shopDay(Date.UTC(2024, 10, 3, 7) - 1, la)).toBe('2024-11-02');
    expect(shopDay(Date.UTC(2024, 10, 3, 7), la)).toBe('2024-11-03');
    expect(shopDay(Date.UTC(2024, 10, 4, 8) - 1, la)).toBe('2024-11-03');
    expect(shopDay(Date.UTC(2024, 10, 4, 8), la)).toBe('2024-11-04');
    const akl = 'Pacific/Auckland';
    // 7 April 2024 (NZDT +13 → NZST +12 at 03:00): midnight = 6 April 11:00Z, the next midnight = 7 April 12:00Z
    expect(shopDay(Date.UTC(2024, 3, 6, 11) - 1, akl)).toBe('2024-04-06');
    expect(shopDay(Date.UTC(2024, 3, 6, 11), akl)).toBe('2024-04-07');
    expect(shopDay(Date.UTC(2024, 3, 7, 12) - 1, akl)).toBe('2024-04-07');
    expect(shopDay(Date.UTC(2024, 3, 7, 12), akl)).toBe('2024-04-08');
    // 29 September 2024 (NZST +12 → NZDT +13 at 02:00): midnight = 28 Sept 12:00Z, the next = 29 Sept 11:00Z
    expect(shopDay(Date.UTC(2024, 8, 28, 12) - 1, akl)).toBe('2024-09-28');
    expect(shopDay(Date.UTC(2024, 8, 28, 12), akl)).toBe('2024-09-29');
    expect(shopDay(Date.UTC(2024, 8, 29, 11) - 1, akl)).toBe('2024-09-29');
    expect(shopDay(Date.UTC(2024, 8, 29, 11), akl)).toBe('2024-09-30');
  });
  it('matches a fixed offset in zones without daylight saving (property)', () => {
    const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) }), (at) => {
        expect(shopDay(at, 'UTC')).toBe(isoDay(at));
        expect(shopDay(at, 'Asia/Kolkata')).toBe(isoDay(at + 5.5 * 3_600_000));
        expect(shopDay(at, 'Asia/Tokyo')).toBe(isoDay(at + 9 * 3_600_000));
        expect(shopDay(at, 'Pacific/Honolulu')).toBe(isoDay(at - 10 * 3_600_000));
      }),
      { numRuns: 500 },
    );
  });
  it('never goes back a day, and Auckland is never behind Los Angeles (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2010, 0, 1), max: Date.UTC(2035, 0, 1) }), fc.integer({ min: 0, max: 3 * 86_400_000 }), (at, later) => {
        for (const zone of ['America/Los_Angeles', 'Pacific/Auckland', 'Europe/London']) {
          expect(shopDay(at + later, zone) >= shopDay(at, zone)).toBe(true);
        }
        const akl = shopDay(at, 'Pacific/Auckland');
        const la = shopDay(at, 'America/Los_Angeles');
        expect(akl >= la).toBe(true);
        // 19–21 hours apart, so at most one day apart
        expect(Date.parse(akl) - Date.parse(la)).toBeLessThanOrEqual(86_400_000);
      }),
      { numRuns: 300 },
    );
  });
  it('refuses an unknown time zone or a non-instant', () => {
    expect(() => shopDay(0, 'Mars/Olympus_Mons')).toThrow(RangeError);
    expect(() => shopDay(0, 'Mars/Olympus_Mons')).toThrow('"Mars/Olympus_Mons" is not an IANA time zone');
    expect(() => shopDay(0, '')).toThrow(RangeError);
    expect(() => shopDay(Number.NaN, 'UTC')).toThrow(RangeError);
  });
});
