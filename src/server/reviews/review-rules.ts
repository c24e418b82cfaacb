/**
 * The rules of verified buyer reviews (docs/decisions/0052-verified-buyer-reviews.md). Pure: who
 * may review a purchase and from when, what a review must contain, and how reviews are summed up
 * for a page. Unit-tested in tests/unit/reviews/.
 *
 * A purchase qualifies when its order is paid (or only partly refunded) and this line keeps at
 * least one unit, and a parcel carrying it has been delivered — or shipped at least
 * `afterShippedDays` ago (parcels are not always scanned on arrival). A returned parcel does not
 * count.
 */
import { FIT_NOTES, type FitNote } from '../../../db/schema/reviews.ts';
export { FIT_NOTES, REPORT_REASONS, REVIEW_STATUSES, type FitNote, type ReportReason, type ReviewStatus } from '../../../db/schema/reviews.ts';
import { DAY_MS, refuse, type FieldErrors, type Refusal } from '../shared/index.ts';

export const REVIEW_LIMITS = {
  bodyMin: 20,
  bodyMax: 2000,
  photosMax: 6,
  hideReasonMax: 300,
  reportNoteMax: 500,
} as const;

export interface PurchaseParcel {
  shippedAt: number;
  deliveredAt: number | null;
  returnedAt: number | null;
}

export interface PurchaseLine {
  lineId: number;
  orderStatus: string;
  qty: number;
  refundedQty: number;
  parcels: PurchaseParcel[];
}

/** Where one purchase stands for reviewing. */
export type LineStanding =
  | { kind: 'qualifies'; lineId: number }
  | { kind: 'in_transit'; lineId: number; reviewableAt: number }
  | { kind: 'not_shipped'; lineId: number }
  | { kind: 'returned'; lineId: number }
  | { kind: 'refunded'; lineId: number }
  | { kind: 'not_paid'; lineId: number };

const PAID = new Set(['paid', 'partially_refunded']);

/**
 * @example lineStanding({ lineId: 1, orderStatus: 'paid', qty: 1, refundedQty: 0, parcels: [{ shippedAt: 0, deliveredAt: 5, returnedAt: null }] }, 10, 14) // { kind: 'qualifies', lineId: 1 }
 */
export function lineStanding(line: PurchaseLine, now: number, afterShippedDays: number): LineStanding {
  const { lineId } = line;
  if (line.orderStatus === 'refunded' || (PAID.has(line.orderStatus) && line.refundedQty >= line.qty)) return { kind: 'refunded', lineId };
  if (!PAID.has(line.orderStatus)) return { kind: 'not_paid', lineId };
  if (line.parcels.length === 0) return { kind: 'not_shipped', lineId };
  const kept = line.parcels.filter((p) => p.returnedAt === null);
  if (kept.length === 0) return { kind: 'returned', lineId };
  if (kept.some((p) => p.deliveredAt !== null && p.deliveredAt <= now)) return { kind: 'qualifies', lineId };
  const reviewableAt = Math.min(...kept.map((p) => p.shippedAt)) + afterShippedDays * DAY_MS;
  if (reviewableAt <= now) return { kind: 'qualifies', lineId };
  return { kind: 'in_transit', lineId, reviewableAt };
}

const RANK: Record<LineStanding['kind'], number> = { qualifies: 0, in_transit: 1, not_shipped: 2, returned: 3, refunded: 4, not_paid: 5 };

/**
 * The standing of the best of a reader's purchases of one product: a qualifying one if any (the
 * most recent of them, lines given oldest first), else the one closest to qualifying. Null: none.
 */
export function bestStanding(lines: readonly PurchaseLine[], now: number, afterShippedDays: number): LineStanding | null {
  let best: LineStanding | null = null;
  for (const l of lines) {
    const s = lineStanding(l, now, afterShippedDays);
    const sameRank = best !== null && RANK[s.kind] === RANK[best.kind];
    // Same standing: the later line wins, except that of two in transit the sooner reviewable does.
    const laterOrSooner = sameRank && (s.kind === 'in_transit' && best!.kind === 'in_transit' ? s.reviewableAt < best!.reviewableAt : true);
    if (!best || RANK[s.kind] < RANK[best.kind] || laterOrSooner) best = s;
  }
  return best;
}

export const NOT_ELIGIBLE_MESSAGE = 'You can review this once your order has arrived.';

/** The refusal for a purchase that does not qualify (or no purchase), in the reader's words. */
export function notEligibleRefusal(standing: LineStanding | null, formatDay: (ms: number) => string): Refusal<'not_eligible'> {
  switch (standing?.kind) {
    case 'in_transit':
      return refuse('not_eligible', `${NOT_ELIGIBLE_MESSAGE} If it hasn't been marked delivered, you can review it from ${formatDay(standing.reviewableAt)}.`);
    case 'refunded':
    case 'returned':
      return refuse('not_eligible', 'This purchase was returned or refunded, so it can’t be reviewed.');
    case 'not_paid':
      return refuse('not_eligible', `${NOT_ELIGIBLE_MESSAGE} Reviews come only from buyers of a paid order.`);
    case 'not_shipped':
      return refuse('not_eligible', `${NOT_ELIGIBLE_MESSAGE} It hasn’t shipped yet.`);
    default:
      return refuse('not_eligible', `${NOT_ELIGIBLE_MESSAGE} Only buyers of this piece can review it, signed in with the email they ordered with.`);
  }
}

export const ALREADY_REVIEWED_MESSAGE = 'You’ve already reviewed this — edit your review instead.';

export interface ReviewInput {
  rating: number;
  body: string;
  fit: FitNote | null;
}

/**
 * The fields of the review form, checked; messages next to each field.
 * @example parseReviewInput({ rating: '5', body: 'Soft, warm and it washes well too.', fit: 'true' }) // { ok: true, value: { rating: 5, … } }
 */
export function parseReviewInput(raw: { rating?: unknown; body?: unknown; fit?: unknown }): { ok: true; value: ReviewInput } | Refusal<'invalid'> {
  const errors: FieldErrors = {};
  const ratingText = typeof raw.rating === 'string' ? raw.rating.trim() : typeof raw.rating === 'number' ? String(raw.rating) : '';
  const rating = /^[1-5]$/.test(ratingText) ? Number(ratingText) : null;
  if (ratingText === '') errors.rating = 'Choose a rating from 1 to 5 stars.';
  else if (rating === null) errors.rating = 'A rating is 1 to 5 stars.';
  const body = typeof raw.body === 'string' ? raw.body.normalize('NFC').replace(/\r\n?/g, '\n').trim() : '';
  const length = [...body].length;
  if (length === 0) errors.body = 'Write a few words about the piece.';
  else if (length < REVIEW_LIMITS.bodyMin) errors.body = `Write at least ${REVIEW_LIMITS.bodyMin} characters, so others learn something from it.`;
  else if (length > REVIEW_LIMITS.bodyMax) errors.body = `Keep your review under ${REVIEW_LIMITS.bodyMax} characters (it has ${length}).`;
  const fitText = typeof raw.fit === 'string' ? raw.fit : '';
  const fit = (FIT_NOTES as readonly string[]).includes(fitText) ? (fitText as FitNote) : null;
  if (fitText !== '' && fit === null) errors.fit = 'Choose how it fits: runs small, true to size or runs large.';
  if (Object.keys(errors).length > 0) return refuse('invalid', Object.values(errors).join(' '), errors);
  return { ok: true, value: { rating: rating!, body, fit } };
}

/** The refusal for more photos than a review may carry. */
export function tooManyPhotos(count: number): Refusal<'invalid'> {
  const message = `A review can have up to ${REVIEW_LIMITS.photosMax} photos; you chose ${count}. Remove some and send it again.`;
  return refuse('invalid', message, { photos: message });
}

export const FIT_LABEL: Record<FitNote, string> = { small: 'Runs small', true: 'True to size', large: 'Runs large' };

/**
 * What buyers say about the fit, or null when nobody said. A tie is said as such.
 * @example fitSummary({ small: 1, true: 3, large: 0 }) // 'Most buyers say: true to size'
 */
export function fitSummary(counts: Record<FitNote, number>): string | null {
  const total = counts.small + counts.true + counts.large;
  if (total === 0) return null;
  const sorted = FIT_NOTES.map((f) => [f, counts[f]] as const).sort((a, b) => b[1] - a[1]);
  if (sorted[0]![1] === sorted[1]![1]) return 'Buyers are split on the fit';
  const label = FIT_LABEL[sorted[0]![0]].toLowerCase();
  return total === 1 ? `One buyer says: ${label}` : `Most buyers say: ${label}`;
}

export interface RatingSummary {
  count: number;
  /** Mean to one decimal (4.5), or null without reviews. */
  average: number | null;
}

/** @example ratingSummary([5, 4, 4]) // { count: 3, average: 4.3 } */
export function ratingSummary(ratings: readonly number[]): RatingSummary {
  if (ratings.length === 0) return { count: 0, average: null };
  const sum = ratings.reduce((a, b) => a + b, 0);
  return { count: ratings.length, average: Math.round((sum / ratings.length) * 10) / 10 };
}

/** "4 buyer shows" / "1 buyer show". */
export function buyerShows(n: number): string {
  return `${n} buyer ${n === 1 ? 'show' : 'shows'}`;
}

/** The reason the shop hides a review: required, shown to its author only. */
export function parseHideReason(raw: unknown): { ok: true; reason: string } | Refusal<'invalid'> {
  const reason = typeof raw === 'string' ? raw.normalize('NFC').trim().replace(/\s+/g, ' ') : '';
  if (reason === '') return refuse('invalid', 'Say why the review is hidden; its author sees this.', { reason: 'Say why the review is hidden; its author sees this.' });
  if (reason.length > REVIEW_LIMITS.hideReasonMax) {
    const m = `Keep the reason under ${REVIEW_LIMITS.hideReasonMax} characters.`;
    return refuse('invalid', m, { reason: m });
  }
  return { ok: true, reason };
}
