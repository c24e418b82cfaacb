/** The dashboard's input parsing and arithmetic (src/server/commissions/dashboard-range.ts). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  chartTicks,
  dashboardPaths,
  fillDays,
  formatRate,
  MAX_RANGE_DAYS,
  parseDashboardRange,
  parseIsoDayNumber,
  parseLinkPath,
  presetRange,
  rangeOf,
  rangeSearch,
  referralUrl,
} from '../../../src/server/commissions/index.ts';
import { safeTarget } from '../../../src/server/attribution/index.ts';

const NOW = Date.UTC(2026, 10, 23, 15, 30); // 23 Nov 2026, afternoon UTC
const DAY = 86_400_000;
const parse = (qs: string, now = NOW) => parseDashboardRange(new URLSearchParams(qs), now);

describe('parseDashboardRange', () => {
  it('defaults to the last 30 days, today included (UTC)', () => {
    const r = parse('');
    expect(r).toMatchObject({ ok: true, range: { from: '2026-10-25', to: '2026-11-23', days: 30, preset: 30 } });
    if (!r.ok) return;
    expect(r.range.fromMs).toBe(Date.UTC(2026, 9, 25));
    expect(r.range.toMs).toBe(Date.UTC(2026, 10, 24));
    expect(r.range.toDay - r.range.fromDay + 1).toBe(30);
  });

  it.each([7, 30, 90])('preset days=%i ends today', (n) => {
    const r = parse(`days=${n}`);
    expect(r.ok && r.range.days).toBe(n);
    expect(r.ok && r.range.to).toBe('2026-11-23');
    expect(r.ok && r.range.preset).toBe(n);
  });

  it('reads a from/to range with `to` including its whole day', () => {
    const r = parse('from=2026-10-01&to=2026-10-31');
    expect(r).toMatchObject({ ok: true, range: { from: '2026-10-01', to: '2026-10-31', days: 31, preset: null } });
    if (r.ok) expect(r.range.toMs - r.range.fromMs).toBe(31 * DAY);
  });

  it('accepts a one-day range and trims blanks', () => {
    expect(parse('from=+2026-10-01+&to=2026-10-01')).toMatchObject({ ok: true, range: { days: 1 } });
    expect(parse('from=&to=&days=')).toMatchObject({ ok: true, range: { preset: 30 } });
  });

  it.each([
    ['days=14', 'days', 'Period must be one of 7, 30, 90'],
    ['days=7abc', 'days', 'Period must be one of'],
    ['from=2026-02-30&to=2026-03-01', 'from', 'From date is not a real calendar date'],
    ['from=yesterday&to=2026-03-01', 'from', 'From date must be a date like'],
    ['from=2026-03-05&to=2026-03-01', 'from', 'must not be after'],
    ['from=2026-03-01', 'to', 'To date is needed too'],
    ['to=2026-03-01', 'from', 'From date is needed too'],
    ['from=2024-01-01&to=2025-12-31', 'to', `at most ${MAX_RANGE_DAYS} days`],
    ['from=1999-12-31&to=2000-01-02', 'from', 'From date must be 2000-01-01 or later'],
    ['days=7&from=2026-03-01&to=2026-03-02', 'days', 'cannot be combined'],
    [`from=${'9'.repeat(5000)}&to=2026-03-01`, 'from', 'From date must be a date like'],
  ])('%s → a clear message on %s', (qs, field, message) => {
    const r = parse(qs);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const e = r.errors.find((x) => x.field === field);
    expect(e?.message).toContain(message);
    expect(new Set(r.errors.map((x) => x.field)).size).toBe(r.errors.length); // one message per field
  });

  it('ignores every other parameter (there is none that selects a creator)', () => {
    const plain = parse('from=2026-10-01&to=2026-10-31');
    for (const extra of ['creator=2', 'creatorId=2', 'creator_id=2', 'handle=someone', 'user=1', 'as=2']) {
      expect(parse(`from=2026-10-01&to=2026-10-31&${extra}`)).toEqual(plain);
    }
  });

  it('never throws and is ok or lists errors, for any input', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('days', 'from', 'to', 'x'), fc.string({ maxLength: 30 })), fc.integer({ min: 0, max: 4e12 }), (d, now) => {
        const r = parseDashboardRange(new URLSearchParams(d), now);
        if (r.ok) {
          expect(r.range.days).toBeGreaterThanOrEqual(1);
          expect(r.range.days).toBeLessThanOrEqual(MAX_RANGE_DAYS);
          expect(r.range.toMs - r.range.fromMs).toBe(r.range.days * DAY);
        } else expect(r.errors.length).toBeGreaterThan(0);
      }),
    );
  });

  it('round-trips through rangeSearch', () => {
    fc.assert(
      fc.property(fc.integer({ min: 11_000, max: 40_000 }), fc.integer({ min: 0, max: MAX_RANGE_DAYS - 1 }), (from, span) => {
        const range = rangeOf(from, from + span);
        expect(parse(rangeSearch(range))).toEqual({ ok: true, range });
      }),
    );
    const preset = presetRange(7, NOW);
    expect(rangeSearch(preset)).toBe('days=7');
    expect(parse(rangeSearch(preset))).toEqual({ ok: true, range: preset });
  });
});

describe('parseIsoDayNumber', () => {
  it('gives day numbers, and null for impossible dates', () => {
    expect(parseIsoDayNumber('1970-01-02')).toBe(1);
    expect(parseIsoDayNumber('2028-02-29')).not.toBeNull();
    expect(parseIsoDayNumber('2027-02-29')).toBeNull();
    expect(parseIsoDayNumber('2026-13-01')).toBeNull();
  });
});

describe('dashboardPaths', () => {
  it('carry the range and nothing else', () => {
    const r = rangeOf(parseIsoDayNumber('2026-10-01')!, parseIsoDayNumber('2026-10-31')!);
    expect(dashboardPaths.entriesCsv(r)).toBe('/dashboard/export/entries.csv?from=2026-10-01&to=2026-10-31');
    expect(dashboardPaths.postsCsv(presetRange(90, NOW))).toBe('/dashboard/export/posts.csv?days=90');
    expect(dashboardPaths.preset(7)).toBe('/dashboard?days=7');
  });
});

describe('formatRate / chartTicks', () => {
  it('formats a rate, "—" without one', () => {
    expect(formatRate(0.025)).toBe('2.5%');
    expect(formatRate(0.5)).toBe('50%');
    expect(formatRate(1)).toBe('100%');
    expect(formatRate(null)).toBe('—');
  });
  it('gives whole-number ticks for counts (never "0.5 orders") and a round top for money', () => {
    expect(chartTicks(0, true)).toEqual([0, 1]);
    expect(chartTicks(1, true)).toEqual([0, 1]);
    expect(chartTicks(2, true)).toEqual([0, 1, 2]);
    expect(chartTicks(3, true)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(chartTicks(7, true)).toEqual([0, 5, 10]);
    expect(chartTicks(37, true)).toEqual([0, 25, 50]);
    for (let max = 0; max < 500; max++) for (const t of chartTicks(max, true)) expect(Number.isInteger(t)).toBe(true);
    for (let max = 1; max < 500; max++) expect(chartTicks(max, true).at(-1)!).toBeGreaterThanOrEqual(max);
    expect(chartTicks(23_000, false)).toEqual([0, 12_500, 25_000]);
  });
});

describe('fillDays', () => {
  it('has one point per day, zeros where nothing happened', () => {
    const range = rangeOf(20_000, 20_003);
    const days = fillDays(range, { clicks: [{ day: 20_001, clicks: 4 }], orders: [{ day: 20_003, orders: 2, salesCents: 9900 }] });
    expect(days).toEqual([
      { day: '2024-10-04', clicks: 0, orders: 0, salesCents: 0 },
      { day: '2024-10-05', clicks: 4, orders: 0, salesCents: 0 },
      { day: '2024-10-06', clicks: 0, orders: 0, salesCents: 0 },
      { day: '2024-10-07', clicks: 0, orders: 2, salesCents: 9900 },
    ]);
  });
});

describe('parseLinkPath (link builder)', () => {
  const SITE = 'https://shop.example';
  it.each([
    ['/posts/autumn-capsule-wardrobe', '/posts/autumn-capsule-wardrobe'],
    ['  /products/wool-coat?size=M#reviews ', '/products/wool-coat?size=M#reviews'],
    ['https://shop.example/posts/a?x=1', '/posts/a?x=1'],
    ['/posts/caf%C3%A9', '/posts/caf%C3%A9'],
  ])('%s → %s', (input, path) => {
    expect(parseLinkPath(input, SITE)).toEqual({ ok: true, path });
  });

  it('blank means the creator\'s profile (no page)', () => {
    expect(parseLinkPath('', SITE)).toEqual({ ok: true, path: null });
    expect(parseLinkPath('   ', SITE)).toEqual({ ok: true, path: null });
    expect(parseLinkPath(null, SITE)).toEqual({ ok: true, path: null });
    expect(parseLinkPath('/', SITE)).toEqual({ ok: true, path: '/' });
  });

  it.each([
    'https://evil.example/posts/a',
    '/%2F%2Fevil.example',
    '/%5Cevil.example',
    '/.//evil.example',
    'http://shop.example/posts/a', // another origin (scheme)
    'https://shop.example.evil.example/',
    '//evil.example/x',
    '/\\evil.example',
    '\\\\evil.example',
    'javascript:alert(1)',
    'data:text/html,hi',
    'https://user:pw@shop.example/',
    'evil.example/posts',
    'posts/a',
    '/posts/a\nSet-Cookie: x',
    `/${'a'.repeat(600)}`,
    '/r/MAYA?to=/x',
  ])('refuses %s', (input) => {
    const r = parseLinkPath(input, SITE);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message.length).toBeGreaterThan(10);
  });

  it('yields only what the referral route itself follows (safeTarget)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.webPath(), fc.constantFrom('/%2f%2fx', '/a/..//b', '/%252F%252Fx', '/./%5C/x')), (s) => {
        const r = parseLinkPath(s, SITE);
        if (r.ok && r.path !== null) expect(safeTarget(r.path, '#fallback')).toBe(r.path);
      }),
    );
  });

  it('only ever yields a path on the site', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.webUrl(), fc.webPath()), (s) => {
        const r = parseLinkPath(s, SITE);
        if (!r.ok || r.path === null) return;
        expect(r.path.startsWith('/')).toBe(true);
        expect(r.path.startsWith('//')).toBe(false);
        expect(new URL(r.path, SITE).origin).toBe(SITE);
      }),
    );
  });
});

describe('referralUrl', () => {
  it('is absolute, on the site, with the path in ?to=', () => {
    expect(referralUrl('https://shop.example', 'MAYA', null)).toBe('https://shop.example/r/MAYA');
    expect(referralUrl('https://shop.example', 'MAYA', '/')).toBe('https://shop.example/r/MAYA?to=%2F');
    expect(referralUrl('https://shop.example/', 'MAYA', '/posts/a?b=1&c=2#d')).toBe('https://shop.example/r/MAYA?to=%2Fposts%2Fa%3Fb%3D1%26c%3D2%23d');
    const u = new URL(referralUrl('http://127.0.0.1:4321', 'JULES', '/products/x'));
    expect(u.searchParams.get('to')).toBe('/products/x');
    expect(u.pathname).toBe('/r/JULES');
  });
});
