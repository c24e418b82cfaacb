import { describe, expect, it } from 'vitest';
import { bestStanding, buyerShows, fitSummary, lineStanding, notEligibleRefusal, parseHideReason, parseReviewInput, ratingSummary, reviewsJsonLd, REVIEW_LIMITS, type PurchaseLine } from '../../../src/server/reviews/index.ts';

const DAY = 86_400_000;
const NOW = 100 * DAY;
const line = (over: Partial<PurchaseLine> = {}): PurchaseLine => ({ lineId: 1, orderStatus: 'paid', qty: 1, refundedQty: 0, parcels: [], ...over });
const parcel = (shippedAt: number, deliveredAt: number | null = null, returnedAt: number | null = null) => ({ shippedAt, deliveredAt, returnedAt });

describe('lineStanding', () => {
  it('a delivered line of a paid order qualifies', () => {
    expect(lineStanding(line({ parcels: [parcel(NOW - 3 * DAY, NOW - DAY)] }), NOW, 14).kind).toBe('qualifies');
  });
  it('a line shipped N days ago qualifies without a delivery scan; one ms short does not', () => {
    expect(lineStanding(line({ parcels: [parcel(NOW - 14 * DAY)] }), NOW, 14).kind).toBe('qualifies');
    expect(lineStanding(line({ parcels: [parcel(NOW - 14 * DAY + 1)] }), NOW, 14)).toEqual({ kind: 'in_transit', lineId: 1, reviewableAt: NOW + 1 });
  });
  it('unpaid, refunded, fully refunded lines, unshipped and returned parcels do not qualify', () => {
    expect(lineStanding(line({ orderStatus: 'pending', parcels: [parcel(0, 1)] }), NOW, 14).kind).toBe('not_paid');
    expect(lineStanding(line({ orderStatus: 'canceled' }), NOW, 14).kind).toBe('not_paid');
    expect(lineStanding(line({ orderStatus: 'refunded', parcels: [parcel(0, 1)] }), NOW, 14).kind).toBe('refunded');
    expect(lineStanding(line({ orderStatus: 'partially_refunded', qty: 2, refundedQty: 2, parcels: [parcel(0, 1)] }), NOW, 14).kind).toBe('refunded');
    expect(lineStanding(line({ orderStatus: 'partially_refunded', qty: 2, refundedQty: 1, parcels: [parcel(0, 1)] }), NOW, 14).kind).toBe('qualifies');
    expect(lineStanding(line(), NOW, 14).kind).toBe('not_shipped');
    expect(lineStanding(line({ parcels: [parcel(0, 1, 2)] }), NOW, 14).kind).toBe('returned');
  });
  it('a delivery time in the future does not count yet', () => {
    expect(lineStanding(line({ parcels: [parcel(NOW - DAY, NOW + 1)] }), NOW, 14).kind).toBe('in_transit');
  });
});

describe('bestStanding', () => {
  it('any qualifying purchase wins; otherwise the soonest reviewable', () => {
    const a = line({ lineId: 1, orderStatus: 'refunded' });
    const b = line({ lineId: 2, parcels: [parcel(NOW - 2 * DAY)] });
    const c = line({ lineId: 3, parcels: [parcel(NOW - 5 * DAY)] });
    expect(bestStanding([a, b, c], NOW, 14)).toEqual({ kind: 'in_transit', lineId: 3, reviewableAt: NOW + 9 * DAY });
    const d = line({ lineId: 4, parcels: [parcel(NOW - 5 * DAY, NOW - DAY)] });
    expect(bestStanding([a, b, d, c], NOW, 14)).toEqual({ kind: 'qualifies', lineId: 4 });
    expect(bestStanding([], NOW, 14)).toBeNull();
  });
  it('the refusal says why in words and when reviewing opens', () => {
    const r = notEligibleRefusal({ kind: 'in_transit', lineId: 1, reviewableAt: NOW }, () => 'Apr 10');
    expect(r.reason).toBe('not_eligible');
    expect(r.message).toMatch(/^You can review this once your order has arrived\. .*from Apr 10\.$/);
    expect(notEligibleRefusal(null, String).message).toMatch(/^You can review this once your order has arrived\./);
  });
});

describe('parseReviewInput', () => {
  const body = 'Soft, warm, and it kept its shape after washing.';
  it('accepts a rating 1–5, text and an optional fit note', () => {
    expect(parseReviewInput({ rating: '5', body: `  ${body}  `, fit: 'true' })).toEqual({ ok: true, value: { rating: 5, body, fit: 'true' } });
    expect(parseReviewInput({ rating: '1', body, fit: '' })).toEqual({ ok: true, value: { rating: 1, body, fit: null } });
  });
  it('refuses a missing or out-of-range rating, short or long text and an unknown fit, each next to its field', () => {
    expect(parseReviewInput({ body }).ok).toBe(false);
    const missing = parseReviewInput({ rating: '', body });
    expect(!missing.ok && missing.fieldErrors?.rating).toBe('Choose a rating from 1 to 5 stars.');
    for (const rating of ['0', '6', '4.5', 'five', '-1']) {
      const r = parseReviewInput({ rating, body });
      expect(!r.ok && r.fieldErrors?.rating).toBe('A rating is 1 to 5 stars.');
    }
    const short = parseReviewInput({ rating: '4', body: 'Nice.' });
    expect(!short.ok && short.fieldErrors?.body).toMatch(/at least 20 characters/);
    const long = parseReviewInput({ rating: '4', body: 'x'.repeat(REVIEW_LIMITS.bodyMax + 1) });
    expect(!long.ok && long.fieldErrors?.body).toMatch(/under 2000 characters \(it has 2001\)/);
    const fit = parseReviewInput({ rating: '4', body, fit: 'huge' });
    expect(!fit.ok && fit.fieldErrors?.fit).toMatch(/runs small, true to size or runs large/);
  });
  it('counts characters, not UTF-16 units (emoji and CJK text)', () => {
    expect(parseReviewInput({ rating: '5', body: '面料很舒服，尺码标准，洗了三次也没有变形，推荐购买！' }).ok).toBe(true);
    expect(parseReviewInput({ rating: '5', body: '😀'.repeat(REVIEW_LIMITS.bodyMax) }).ok).toBe(true);
  });
});

describe('summaries', () => {
  it('fit: the most said, one voice, or a tie', () => {
    expect(fitSummary({ small: 1, true: 3, large: 0 })).toBe('Most buyers say: true to size');
    expect(fitSummary({ small: 1, true: 0, large: 0 })).toBe('One buyer says: runs small');
    expect(fitSummary({ small: 2, true: 0, large: 2 })).toBe('Buyers are split on the fit');
    expect(fitSummary({ small: 0, true: 0, large: 0 })).toBeNull();
  });
  it('rating: mean to one decimal; none without reviews', () => {
    expect(ratingSummary([5, 4, 4])).toEqual({ count: 3, average: 4.3 });
    expect(ratingSummary([])).toEqual({ count: 0, average: null });
    expect(buyerShows(1)).toBe('1 buyer show');
    expect(buyerShows(4)).toBe('4 buyer shows');
  });
  it('JSON-LD: aggregateRating only when there are reviews', () => {
    expect(reviewsJsonLd({ count: 0, average: null }, [])).toEqual({});
    const ld = reviewsJsonLd({ count: 2, average: 4.5 }, [{ rating: 5, author: 'M•••', body: 'Lovely and warm all winter long.', createdAt: Date.UTC(2026, 10, 2) }]);
    expect(ld.aggregateRating).toEqual({ '@type': 'AggregateRating', ratingValue: 4.5, reviewCount: 2, bestRating: 5, worstRating: 1 });
    expect(ld.review?.[0]).toMatchObject({ '@type': 'Review', author: { name: 'M•••' }, datePublished: '2026-11-02', reviewRating: { ratingValue: 5 } });
  });
  it('a hide reason is required and short', () => {
    expect(parseHideReason('  Shares a phone number ')).toEqual({ ok: true, reason: 'Shares a phone number' });
    expect(parseHideReason('').ok).toBe(false);
    expect(parseHideReason('x'.repeat(301)).ok).toBe(false);
  });
});
