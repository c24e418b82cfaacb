/**
 * Workflows of verified buyer reviews (docs/decisions/0052-verified-buyer-reviews.md): writing,
 * editing and deleting one's own review with photos, what product pages and posts show, a reader's
 * reviews on their account, reports, and the shop's moderation.
 *
 * A review is refused with nothing written unless its author bought the piece, paid, kept it and
 * received it (or it shipped `config.reviews.afterShippedDays` ago). Photos go through the media
 * capability's sharp pipeline (sniffed, size-limited, EXIF and GPS stripped) before the
 * transaction; the review, its photos and their renditions are then written in one transaction —
 * all or nothing.
 */
import { eq } from 'drizzle-orm';
import { users, REPORT_REASONS, type ReportReason } from '../../../db/schema/index.ts';
import { countRequest, normaliseIp, type SessionUser } from '../auth/index.ts';
import { processImage, storeProcessedImage, type ProcessedImage, type UploadRefusal } from '../media/index.ts';
import { formerSlugsOf } from '../content/index.ts';
import {
  ALREADY_REVIEWED_MESSAGE,
  approvedReviewsFromPost,
  approvedReviewsOfProduct,
  approvedStats,
  bestStanding,
  countApprovedFromPost,
  deleteOwnReview,
  fitSummary,
  insertReport,
  insertReview,
  moderationQueue,
  notEligibleRefusal,
  parseHideReason,
  parseReviewInput,
  productRefBySlug,
  productRefsById,
  purchasesOf,
  ratingSummary,
  readReviewForm,
  recentlyModerated,
  reportableReview,
  reviewsByUser,
  reviewsJsonLd,
  REVIEW_LIMITS,
  setApproved,
  setHidden,
  updateOwnReview,
  type OwnReview,
  type ProductRef,
  type PublicReview,
  type QueueItem,
  type RatingSummary,
  type Reader,
  type RecentModerated,
} from '../reviews/index.ts';
import { HOUR_MS, paths, refuse, type FieldErrors, type Refusal } from '../shared/index.ts';
import type { App } from './app.ts';

/** Where review pages live (shared/paths.ts). /account/… is for signed-in people only (the auth middleware). */
export const reviewPaths = {
  write: paths.reviewWrite,
  edit: paths.reviewEdit,
  report: paths.reviewReport,
  policy: paths.reviewPolicy,
  admin: paths.adminReviews,
} as const;

/** Thrown inside a transaction to undo it on purpose; `undone` turns it into null. */
class Undo extends Error {}
function undone(err: unknown): null {
  if (err instanceof Undo) return null;
  throw err;
}

async function readerOf(app: App, user: SessionUser): Promise<Reader> {
  const row = await app.db.select({ verifiedAt: users.emailVerifiedAt }).from(users).where(eq(users.id, user.id)).get();
  return { userId: user.id, email: user.email, verified: (row?.verifiedAt ?? null) !== null };
}

type Eligibility =
  | { ok: true; product: ProductRef; reader: Reader; purchase: Awaited<ReturnType<typeof purchasesOf>>[number] }
  | (Refusal<'not_found' | 'not_eligible' | 'already_reviewed'> & { existingId?: number; product?: ProductRef });

/** May this reader review this product now, and through which purchase. Writes nothing. */
export async function reviewEligibility(app: App, user: SessionUser, productSlug: unknown, now = Date.now()): Promise<Eligibility> {
  const product = typeof productSlug === 'string' && productSlug !== '' ? await productRefBySlug(app.db, productSlug) : undefined;
  if (!product) return refuse('not_found', 'That piece is not in the shop (it may have been renamed). Find it again from your account.');
  const [existing] = await reviewsByUser(app.db, user.id, product.id);
  if (existing) return { ...refuse('already_reviewed', ALREADY_REVIEWED_MESSAGE), existingId: existing.id, product };
  const reader = await readerOf(app, user);
  const lines = await purchasesOf(app.db, reader, [product.id]);
  const standing = bestStanding(lines, now, app.config.reviews.afterShippedDays);
  if (standing?.kind !== 'qualifies') return { ...notEligibleRefusal(standing, (ms) => app.fmt.date(ms)), product };
  return { ok: true, product, reader, purchase: lines.find((l) => l.lineId === standing.lineId)! };
}

/** Every photo through sharp, before any transaction; the first refusal names the photo. */
async function processPhotos(photos: readonly Uint8Array[]): Promise<{ ok: true; processed: ProcessedImage[] } | UploadRefusal> {
  const processed: ProcessedImage[] = [];
  for (const [i, bytes] of photos.entries()) {
    const r = await processImage(bytes);
    if (!r.ok) {
      const message = photos.length > 1 ? `Photo ${i + 1}: ${r.message}` : r.message;
      return { ...r, message, fieldErrors: { photos: message } };
    }
    processed.push(r);
  }
  return { ok: true, processed };
}

export type ReviewFormRefusal = (Refusal | UploadRefusal) & {
  values?: { rating?: string; body?: string; fit?: string };
  /** When editing: the photos the author chose to keep, so a refused edit shows the same choice. */
  keep?: string[];
};
export type SubmitReviewOutcome = { ok: true; reviewId: number; productSlug: string } | ReviewFormRefusal;

function withValues(r: Refusal | UploadRefusal, fields: { rating?: string; body?: string; fit?: string }): ReviewFormRefusal {
  return { ...r, values: { rating: fields.rating, body: fields.body?.slice(0, REVIEW_LIMITS.bodyMax + 500), fit: fields.fit } };
}

/** "Post review": the form as sent (multipart, photos in `photos`). */
export async function submitReview(app: App, { user, productSlug, request, now = Date.now() }: { user: SessionUser; productSlug: unknown; request: Request; now?: number }): Promise<SubmitReviewOutcome> {
  const eligible = await reviewEligibility(app, user, productSlug, now);
  if (!eligible.ok) return eligible;
  const form = await readReviewForm(request);
  if (!form.ok) return form;
  const input = parseReviewInput(form.fields);
  if (!input.ok) return withValues(input, form.fields);
  const photos = await processPhotos(form.photos);
  if (!photos.ok) return withValues(photos, form.fields);
  const id = await app.db.transaction(async (tx) => {
    const photoIds: string[] = [];
    for (const p of photos.processed) photoIds.push((await storeProcessedImage(tx, p, { ownerCreatorId: null, uploadedByUserId: user.id, now })).id);
    const reviewId = await insertReview(tx, { ...input.value, userId: user.id, purchase: eligible.purchase, photoIds, now });
    // A second submission that raced the first: throwing undoes the photos written for it.
    if (reviewId === null) throw new Undo();
    return reviewId;
  }).catch(undone);
  if (id === null) return refuse('already_reviewed', ALREADY_REVIEWED_MESSAGE);
  return { ok: true, reviewId: id, productSlug: eligible.product.slug };
}

export interface OwnReviewPage {
  review: OwnReview;
  product: ProductRef;
}

/** The author's own review with its product, or null when it is not theirs. */
export async function ownReview(app: App, user: SessionUser, rawId: unknown): Promise<OwnReviewPage | null> {
  const id = typeof rawId === 'string' && /^[1-9][0-9]{0,9}$/.test(rawId) ? Number(rawId) : null;
  if (id === null) return null;
  const review = (await reviewsByUser(app.db, user.id)).find((r) => r.id === id);
  if (!review) return null;
  const product = (await productRefsById(app.db, [review.productId])).get(review.productId);
  return product ? { review, product } : null;
}

export type EditReviewOutcome = { ok: true; kind: 'saved' | 'deleted'; productSlug: string } | ReviewFormRefusal;

/**
 * "Save changes" (or "Delete review", action=delete) on the author's review. An edit goes back to
 * pending: the shop reads it again before it shows (ADR 0052).
 */
export async function editReview(app: App, { user, reviewId, request, now = Date.now() }: { user: SessionUser; reviewId: unknown; request: Request; now?: number }): Promise<EditReviewOutcome> {
  const page = await ownReview(app, user, reviewId);
  if (!page) return refuse('not_found', 'That review is not yours, or it was deleted already.');
  const form = await readReviewForm(request);
  if (!form.ok) return form;
  if (form.fields.action === 'delete') {
    const gone = await app.db.transaction((tx) => deleteOwnReview(tx, { userId: user.id, reviewId: page.review.id }));
    if (!gone) return refuse('not_found', 'That review is not yours, or it was deleted already.');
    return { ok: true, kind: 'deleted', productSlug: page.product.slug };
  }
  const input = parseReviewInput(form.fields);
  if (!input.ok) return { ...withValues(input, form.fields), keep: form.keep };
  const kept = page.review.photos.map((p) => p.id).filter((id) => form.keep.includes(id));
  const photos = await processPhotos(form.photos);
  if (!photos.ok) return { ...withValues(photos, form.fields), keep: form.keep };
  const saved = await app.db.transaction(async (tx) => {
    const photoIds = [...kept];
    for (const p of photos.processed) photoIds.push((await storeProcessedImage(tx, p, { ownerCreatorId: null, uploadedByUserId: user.id, now })).id);
    return updateOwnReview(tx, { ...input.value, userId: user.id, reviewId: page.review.id, photoIds, now });
  });
  if (!saved) return refuse('not_found', 'That review is not yours, or it was deleted already.');
  return { ok: true, kind: 'saved', productSlug: page.product.slug };
}

/** What the signed-in reader may do about a product's reviews. */
export type ReviewerAction = { kind: 'write'; href: string } | { kind: 'edit'; href: string; status: OwnReview['status'] } | { kind: 'wait'; message: string } | null;

export interface ProductReviews {
  summary: RatingSummary;
  fit: string | null;
  reviews: PublicReview[];
  /** Members for the Product JSON-LD: `aggregateRating` and `review` from approved reviews only. */
  jsonLd: ReturnType<typeof reviewsJsonLd>;
  viewer: ReviewerAction;
}

/** The product page's review section: approved reviews, the summary, and the reader's own way in. */
export async function productReviews(app: App, { productId, productSlug, user, now = Date.now() }: { productId: number; productSlug: string; user: SessionUser | null; now?: number }): Promise<ProductReviews> {
  const [stats, list] = await Promise.all([approvedStats(app.db, productId), approvedReviewsOfProduct(app.db, productId)]);
  const summary = ratingSummary(stats.ratings);
  let viewer: ReviewerAction = null;
  if (user) {
    const [mine] = await reviewsByUser(app.db, user.id, productId);
    if (mine) viewer = { kind: 'edit', href: reviewPaths.edit(mine.id), status: mine.status };
    else {
      const lines = await purchasesOf(app.db, await readerOf(app, user), [productId]);
      const standing = bestStanding(lines, now, app.config.reviews.afterShippedDays);
      if (standing?.kind === 'qualifies') viewer = { kind: 'write', href: reviewPaths.write(productSlug) };
      else if (standing?.kind === 'in_transit' || standing?.kind === 'not_shipped') viewer = { kind: 'wait', message: notEligibleRefusal(standing, (ms) => app.fmt.date(ms)).message };
    }
  }
  return { summary, fit: fitSummary(stats.fit), reviews: list, jsonLd: reviewsJsonLd(summary, list), viewer };
}

export interface PostBuyerShows {
  count: number;
  reviews: PublicReview[];
  products: Map<number, ProductRef>;
}

/** "Bought from this post — 4 buyer shows": approved reviews of what this post's cards sold. */
export async function postBuyerShows(app: App, postSlug: string): Promise<PostBuyerShows> {
  // Sales made before a studio rename carry the post's earlier address.
  const slugs = [postSlug, ...(await formerSlugsOf(app.db, postSlug))];
  const [count, list] = await Promise.all([countApprovedFromPost(app.db, slugs), approvedReviewsFromPost(app.db, slugs)]);
  return { count, reviews: list, products: await productRefsById(app.db, list.map((r) => r.productId)) };
}

export interface AccountReviews {
  /** Pieces the reader received and has not reviewed yet. */
  toWrite: (ProductRef & { href: string })[];
  mine: (OwnReview & { product: ProductRef | undefined; href: string })[];
}

/** The account page's reviews: what can be reviewed now, and the reader's reviews with their state. */
export async function accountReviews(app: App, user: SessionUser, now = Date.now()): Promise<AccountReviews> {
  const reader = await readerOf(app, user);
  const [lines, mine] = await Promise.all([purchasesOf(app.db, reader), reviewsByUser(app.db, user.id)]);
  const reviewed = new Set(mine.map((r) => r.productId));
  const byProduct = new Map<number, typeof lines>();
  for (const l of lines) if (!reviewed.has(l.productId)) byProduct.set(l.productId, [...(byProduct.get(l.productId) ?? []), l]);
  const qualifying = [...byProduct].filter(([, ls]) => bestStanding(ls, now, app.config.reviews.afterShippedDays)?.kind === 'qualifies').map(([id]) => id);
  const refs = await productRefsById(app.db, [...qualifying, ...mine.map((r) => r.productId)]);
  return {
    toWrite: qualifying.flatMap((id) => {
      const p = refs.get(id);
      return p ? [{ ...p, href: reviewPaths.write(p.slug) }] : [];
    }),
    mine: mine.map((r) => ({ ...r, product: refs.get(r.productId), href: reviewPaths.edit(r.id) })),
  };
}

export const REPORT_REASON_LABEL: Record<ReportReason, string> = {
  not_genuine: 'It doesn’t seem to be from a real buyer',
  offensive: 'It’s offensive or abusive',
  personal_info: 'It shares someone’s personal details',
  spam: 'It’s an advert or spam',
  other: 'Something else',
};

/** Reports a reader may make in a day before being asked to slow down. */
const REPORT_POLICY = { freeAttempts: 20, windowMs: 24 * HOUR_MS, baseDelayMs: 60_000, maxDelayMs: 6 * HOUR_MS };

export type ReportOutcome = { ok: true } | Refusal<'not_found' | 'invalid' | 'already_reported' | 'not_allowed' | 'throttled'>;

/** "Report this review": signed in, once per person and review, throttled per account and address. */
export async function reportReview(
  app: App,
  { user, reviewId, form, ip, now = Date.now() }: { user: SessionUser; reviewId: unknown; form: { reason?: unknown; note?: unknown }; ip: string | null; now?: number },
): Promise<ReportOutcome> {
  const id = typeof reviewId === 'string' && /^[1-9][0-9]{0,9}$/.test(reviewId) ? Number(reviewId) : null;
  const review = id === null ? undefined : await reportableReview(app.db, id);
  if (!review) return refuse('not_found', 'That review is not shown any more (the shop may have hidden it already).');
  if (review.userId === user.id) return refuse('not_allowed', 'This is your own review — edit or delete it from your account instead.');
  const reason = (REPORT_REASONS as readonly string[]).includes(String(form.reason)) ? (form.reason as ReportReason) : null;
  const note = typeof form.note === 'string' ? form.note.normalize('NFC').trim() : '';
  const errors: FieldErrors = {};
  if (!reason) errors.reason = 'Choose what is wrong with the review.';
  if (note.length > REVIEW_LIMITS.reportNoteMax) errors.note = `Keep the note under ${REVIEW_LIMITS.reportNoteMax} characters.`;
  if (!reason || errors.note) return refuse('invalid', Object.values(errors).join(' '), errors);
  const r = await app.db.transaction(async (tx) => {
    for (const key of [`review-report:user:${user.id}`, ...(ip ? [`review-report:ip:${normaliseIp(ip)}`] : [])]) {
      const t = await countRequest(tx, key, REPORT_POLICY, now);
      if (!t.allowed) return refuse('throttled', `You’ve sent a lot of reports today. Try again in ${Math.ceil(t.retryAfterMs / 60_000)} minutes.`);
    }
    const added = await insertReport(tx, { reviewId: review.id, userId: user.id, reason, note: note === '' ? null : note, now });
    // Reported before: nothing is written, the throttle's count included.
    if (!added) throw new Undo();
    return { ok: true as const };
  }).catch(undone);
  return r ?? refuse('already_reported', 'You’ve already reported this review — thank you. The shop will look at it.');
}

export interface ModerationView {
  queue: QueueItem[];
  recent: RecentModerated[];
}

export async function reviewModeration(app: App): Promise<ModerationView> {
  const [queue, recent] = await Promise.all([moderationQueue(app.db), recentlyModerated(app.db)]);
  return { queue, recent };
}

export type ModerateOutcome = { ok: true; done: 'approved' | 'hidden' } | Refusal<'invalid' | 'not_found'>;

/** The admin's "Approve" / "Hide" (action=approve|hide, id, reason). */
export async function moderateReview(app: App, { form, actor, now = Date.now() }: { form: FormData | null; actor: string; now?: number }): Promise<ModerateOutcome> {
  const rawId = form?.get('id');
  const id = typeof rawId === 'string' && /^[1-9][0-9]{0,9}$/.test(rawId) ? Number(rawId) : null;
  const action = form?.get('action');
  if (id === null || (action !== 'approve' && action !== 'hide')) return refuse('invalid', 'That form is not one this page knows. Reload the page and try again.');
  if (action === 'approve') {
    const ok = await app.db.transaction((tx) => setApproved(tx, { reviewId: id, actor, now }));
    return ok ? { ok: true, done: 'approved' } : refuse('not_found', 'That review was deleted by its author.');
  }
  const reason = parseHideReason(form?.get('reason'));
  if (!reason.ok) return reason;
  const ok = await app.db.transaction((tx) => setHidden(tx, { reviewId: id, reason: reason.reason, actor, now }));
  return ok ? { ok: true, done: 'hidden' } : refuse('not_found', 'That review was deleted by its author.');
}
