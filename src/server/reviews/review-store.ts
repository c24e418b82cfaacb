/**
 * Reviews in the database (db/schema/reviews.ts; docs/decisions/0052-verified-buyer-reviews.md):
 * a reader's purchases of a product as the rules see them, writing, editing and deleting one's own
 * review, the approved reviews a page shows, the shop's moderation and readers' reports.
 *
 * A reader's purchases are the orders they placed signed in, and the guest orders placed with
 * their email once it is verified — the same orders their account page shows
 * (src/server/orders/account-orders.ts). Whatever changes what a page shows (approve, hide, an
 * edit or a deletion) bumps the catalog version in the same transaction, so no cached page keeps
 * showing a review the shop hid or its author changed (docs/decisions/0015-render-cache.md).
 */
import { and, asc, desc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import { orderLines, orders, products, reviewPhotos, reviewReports, reviews, shipmentLines, shipments, users, variants, type FitNote, type ReportReason, type ReviewStatus } from '../../../db/schema/index.ts';
import type { DbOrTx } from '../db.ts';
import { bumpCatalogVersion } from '../catalog/index.ts';
import type { MediaInfo } from '../content/index.ts';
import { deleteReaderPhotos, getMediaInfo } from '../media/index.ts';
import { helperLabel } from '../social/index.ts';
import { normaliseEmail } from '../shared/index.ts';
import type { PurchaseLine, ReviewInput } from './review-rules.ts';

export interface Reader {
  userId: number;
  email: string;
  /** The mailbox was proven (a one-time link used): guest orders with this email count too. */
  verified: boolean;
}

export interface Purchase extends PurchaseLine {
  variantId: number;
  productId: number;
  sourcePost: string | null;
  sourceCard: number | null;
  createdAt: number;
}

function ownOrders(reader: Reader) {
  return reader.verified ? or(eq(orders.buyerUserId, reader.userId), eq(orders.email, normaliseEmail(reader.email))) : eq(orders.buyerUserId, reader.userId);
}

/** The reader's order lines of these products (all products when `productIds` is omitted), oldest first, with their parcels. */
export async function purchasesOf(db: DbOrTx, reader: Reader, productIds?: readonly number[]): Promise<Purchase[]> {
  if (productIds && productIds.length === 0) return [];
  const rows = await db
    .select({
      lineId: orderLines.id,
      orderStatus: orders.status,
      qty: orderLines.qty,
      refundedQty: orderLines.refundedQty,
      variantId: orderLines.variantId,
      productId: variants.productId,
      sourcePost: orderLines.sourcePost,
      sourceCard: orderLines.sourceCard,
      createdAt: orders.createdAt,
    })
    .from(orderLines)
    .innerJoin(orders, eq(orders.id, orderLines.orderId))
    .innerJoin(variants, eq(variants.id, orderLines.variantId))
    .where(and(ownOrders(reader), inArray(orders.status, ['paid', 'partially_refunded', 'refunded']), productIds ? inArray(variants.productId, [...productIds]) : undefined))
    .orderBy(asc(orders.createdAt), asc(orderLines.id));
  if (rows.length === 0) return [];
  const parcels = await db
    .select({ lineId: shipmentLines.orderLineId, shippedAt: shipments.shippedAt, deliveredAt: shipments.deliveredAt, returnedAt: shipments.returnedAt })
    .from(shipmentLines)
    .innerJoin(shipments, eq(shipments.id, shipmentLines.shipmentId))
    .where(inArray(shipmentLines.orderLineId, rows.map((r) => r.lineId)));
  return rows.map((r) => ({ ...r, parcels: parcels.filter((p) => p.lineId === r.lineId).map(({ shippedAt, deliveredAt, returnedAt }) => ({ shippedAt, deliveredAt, returnedAt })) }));
}

export interface ProductRef {
  id: number;
  slug: string;
  name: string;
  imagePath: string;
}

export async function productRefBySlug(db: DbOrTx, slug: string): Promise<ProductRef | undefined> {
  return db.select({ id: products.id, slug: products.slug, name: products.name, imagePath: products.imagePath }).from(products).where(eq(products.slug, slug)).get();
}

export async function productRefsById(db: DbOrTx, ids: readonly number[]): Promise<Map<number, ProductRef>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select({ id: products.id, slug: products.slug, name: products.name, imagePath: products.imagePath }).from(products).where(inArray(products.id, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, r]));
}

export interface OwnReview {
  id: number;
  productId: number;
  variantId: number;
  rating: number;
  body: string;
  fit: FitNote | null;
  status: ReviewStatus;
  hideReason: string | null;
  createdAt: number;
  editedAt: number | null;
  photos: MediaInfo[];
}

/** The reader's reviews (of `productId`, or all), newest first. */
export async function reviewsByUser(db: DbOrTx, userId: number, productId?: number): Promise<OwnReview[]> {
  const rows = await db
    .select()
    .from(reviews)
    .where(and(eq(reviews.userId, userId), productId === undefined ? undefined : eq(reviews.productId, productId)))
    .orderBy(desc(reviews.createdAt));
  const photos = await photosOf(db, rows.map((r) => r.id));
  return rows.map((r) => ({
    id: r.id,
    productId: r.productId,
    variantId: r.variantId,
    rating: r.rating,
    body: r.body,
    fit: r.fit,
    status: r.status,
    hideReason: r.hideReason,
    createdAt: r.createdAt,
    editedAt: r.editedAt,
    photos: photos.get(r.id) ?? [],
  }));
}

/** The photos of each review, in order. */
async function photosOf(db: DbOrTx, reviewIds: readonly number[]): Promise<Map<number, MediaInfo[]>> {
  if (reviewIds.length === 0) return new Map();
  const rows = await db.select().from(reviewPhotos).where(inArray(reviewPhotos.reviewId, [...reviewIds])).orderBy(asc(reviewPhotos.reviewId), asc(reviewPhotos.position));
  const infos = await getMediaInfo(db, rows.map((r) => r.mediaId), { anyOwner: true });
  const out = new Map<number, MediaInfo[]>();
  for (const r of rows) {
    const info = infos.get(r.mediaId);
    if (!info) continue;
    const list = out.get(r.reviewId) ?? [];
    list.push(info);
    out.set(r.reviewId, list);
  }
  return out;
}

/**
 * Writes a new review, pending moderation, and its photos (media ids already stored in the same
 * transaction). Returns null when the reader already reviewed this product (the unique index
 * decides, so two submissions at once make one review).
 */
export async function insertReview(
  tx: DbOrTx,
  input: ReviewInput & { userId: number; purchase: Purchase; photoIds: readonly string[]; now: number },
): Promise<number | null> {
  const row = await tx
    .insert(reviews)
    .values({
      userId: input.userId,
      productId: input.purchase.productId,
      variantId: input.purchase.variantId,
      orderLineId: input.purchase.lineId,
      sourcePost: input.purchase.sourcePost,
      sourceCard: input.purchase.sourceCard,
      rating: input.rating,
      body: input.body,
      fit: input.fit,
      status: 'pending',
      createdAt: input.now,
    })
    .onConflictDoNothing({ target: [reviews.userId, reviews.productId] })
    .returning({ id: reviews.id })
    .get();
  if (!row) return null;
  if (input.photoIds.length > 0) await tx.insert(reviewPhotos).values(input.photoIds.map((mediaId, position) => ({ reviewId: row.id, position, mediaId })));
  return row.id;
}

/**
 * The author's edit: new text, rating and fit, photos kept (in order) plus new ones. The review
 * goes back to pending (it is read again before it shows) and a hide reason is cleared. False when
 * it is not the reader's review.
 */
export async function updateOwnReview(
  tx: DbOrTx,
  input: ReviewInput & { userId: number; reviewId: number; photoIds: readonly string[]; now: number },
): Promise<boolean> {
  const r = await tx
    .update(reviews)
    .set({ rating: input.rating, body: input.body, fit: input.fit, status: 'pending', hideReason: null, moderatedAt: null, moderatedBy: null, editedAt: input.now })
    .where(and(eq(reviews.id, input.reviewId), eq(reviews.userId, input.userId)))
    .returning({ id: reviews.id });
  if (r.length === 0) return false;
  const before = (await tx.select({ id: reviewPhotos.mediaId }).from(reviewPhotos).where(eq(reviewPhotos.reviewId, input.reviewId))).map((p) => p.id);
  await tx.delete(reviewPhotos).where(eq(reviewPhotos.reviewId, input.reviewId));
  if (input.photoIds.length > 0) await tx.insert(reviewPhotos).values(input.photoIds.map((mediaId, position) => ({ reviewId: input.reviewId, position, mediaId })));
  // A photo the author dropped is deleted, not left reachable at its address.
  await deleteReaderPhotos(tx, { ids: before.filter((id) => !input.photoIds.includes(id)), uploadedByUserId: input.userId });
  // Open reports were about the old words; the shop reads the new ones anyway (pending).
  await tx.update(reviewReports).set({ resolvedAt: input.now }).where(and(eq(reviewReports.reviewId, input.reviewId), isNull(reviewReports.resolvedAt)));
  await bumpCatalogVersion(tx);
  return true;
}

/** Deletes the reader's own review with its photos and reports. False when it is not theirs. */
export async function deleteOwnReview(tx: DbOrTx, { userId, reviewId }: { userId: number; reviewId: number }): Promise<boolean> {
  const own = await tx.select({ id: reviews.id }).from(reviews).where(and(eq(reviews.id, reviewId), eq(reviews.userId, userId))).get();
  if (!own) return false;
  // Explicit rather than relying on ON DELETE CASCADE, which needs foreign keys switched on.
  const photos = (await tx.select({ id: reviewPhotos.mediaId }).from(reviewPhotos).where(eq(reviewPhotos.reviewId, reviewId))).map((p) => p.id);
  await tx.delete(reviewPhotos).where(eq(reviewPhotos.reviewId, reviewId));
  await tx.delete(reviewReports).where(eq(reviewReports.reviewId, reviewId));
  await tx.delete(reviews).where(eq(reviews.id, reviewId));
  // The photos go with it: a deleted review's pictures are not left reachable at their addresses.
  await deleteReaderPhotos(tx, { ids: photos, uploadedByUserId: userId });
  await bumpCatalogVersion(tx);
  return true;
}

export interface PublicReview {
  id: number;
  /** "M•••": the first letter of the name the reader chose (or of their email), never more. */
  author: string;
  rating: number;
  body: string;
  fit: FitNote | null;
  /** The variant bought, e.g. "M / Oat". */
  size: string | null;
  colour: string | null;
  productId: number;
  sourcePost: string | null;
  createdAt: number;
  editedAt: number | null;
  photos: MediaInfo[];
}

async function approvedWhere(db: DbOrTx, where: ReturnType<typeof and>, limit: number): Promise<PublicReview[]> {
  const rows = await db
    .select({
      id: reviews.id,
      rating: reviews.rating,
      body: reviews.body,
      fit: reviews.fit,
      productId: reviews.productId,
      sourcePost: reviews.sourcePost,
      createdAt: reviews.createdAt,
      editedAt: reviews.editedAt,
      displayName: users.displayName,
      email: users.email,
      size: variants.size,
      colour: variants.colour,
    })
    .from(reviews)
    .innerJoin(users, eq(users.id, reviews.userId))
    .innerJoin(variants, eq(variants.id, reviews.variantId))
    .where(and(eq(reviews.status, 'approved'), where))
    .orderBy(desc(reviews.createdAt), desc(reviews.id))
    .limit(limit);
  const photos = await photosOf(db, rows.map((r) => r.id));
  return rows.map(({ displayName, email, ...r }) => ({ ...r, author: helperLabel({ displayName, email }), photos: photos.get(r.id) ?? [] }));
}

/** A product's approved reviews, newest first. */
export function approvedReviewsOfProduct(db: DbOrTx, productId: number, limit = 20): Promise<PublicReview[]> {
  return approvedWhere(db, and(eq(reviews.productId, productId)), limit);
}

/**
 * Approved reviews of purchases a post's cards sold (order_lines.source_post), newest first. Pass
 * the post's earlier addresses too: a line sold before a rename carries the slug it had then.
 */
export function approvedReviewsFromPost(db: DbOrTx, postSlugs: string | readonly string[], limit = 12): Promise<PublicReview[]> {
  return approvedWhere(db, and(inArray(reviews.sourcePost, typeof postSlugs === 'string' ? [postSlugs] : [...postSlugs])), limit);
}

export interface ReviewStats {
  ratings: number[];
  fit: Record<FitNote, number>;
}

/** Every approved rating of a product and the fit notes, for the summary. */
export async function approvedStats(db: DbOrTx, productId: number): Promise<ReviewStats> {
  const rows = await db.select({ rating: reviews.rating, fit: reviews.fit }).from(reviews).where(and(eq(reviews.productId, productId), eq(reviews.status, 'approved')));
  const fit: Record<FitNote, number> = { small: 0, true: 0, large: 0 };
  for (const r of rows) if (r.fit) fit[r.fit]++;
  return { ratings: rows.map((r) => r.rating), fit };
}

/** How many approved reviews came from a post's cards (under any of its addresses). */
export async function countApprovedFromPost(db: DbOrTx, postSlugs: string | readonly string[]): Promise<number> {
  const slugs = typeof postSlugs === 'string' ? [postSlugs] : [...postSlugs];
  const row = await db.select({ n: sql<number>`count(*)` }).from(reviews).where(and(inArray(reviews.sourcePost, slugs), eq(reviews.status, 'approved'))).get();
  return Number(row?.n ?? 0);
}

// ---------------------------------------------------------------------------------------------
// Moderation and reports
// ---------------------------------------------------------------------------------------------

export interface QueueItem {
  id: number;
  status: ReviewStatus;
  rating: number;
  body: string;
  fit: FitNote | null;
  hideReason: string | null;
  authorEmail: string;
  productName: string;
  productSlug: string;
  variant: string;
  createdAt: number;
  editedAt: number | null;
  photos: MediaInfo[];
  /** Open reports, oldest first. */
  reports: { reason: ReportReason; note: string | null; at: number }[];
}

/**
 * What the shop has to read: reviews with open reports first (most reported first), then pending
 * ones, oldest first.
 */
export async function moderationQueue(db: DbOrTx, { limit = 100 }: { limit?: number } = {}): Promise<QueueItem[]> {
  const open = await db
    .select({ reviewId: reviewReports.reviewId, reason: reviewReports.reason, note: reviewReports.note, at: reviewReports.createdAt })
    .from(reviewReports)
    .where(isNull(reviewReports.resolvedAt))
    .orderBy(asc(reviewReports.createdAt));
  const reportedIds = [...new Set(open.map((r) => r.reviewId))];
  const rows = await db
    .select({
      id: reviews.id,
      status: reviews.status,
      rating: reviews.rating,
      body: reviews.body,
      fit: reviews.fit,
      hideReason: reviews.hideReason,
      authorEmail: users.email,
      productName: products.name,
      productSlug: products.slug,
      size: variants.size,
      colour: variants.colour,
      createdAt: reviews.createdAt,
      editedAt: reviews.editedAt,
    })
    .from(reviews)
    .innerJoin(users, eq(users.id, reviews.userId))
    .innerJoin(products, eq(products.id, reviews.productId))
    .innerJoin(variants, eq(variants.id, reviews.variantId))
    .where(or(eq(reviews.status, 'pending'), reportedIds.length ? inArray(reviews.id, reportedIds) : sql`0`))
    .orderBy(asc(sql`coalesce(${reviews.editedAt}, ${reviews.createdAt})`))
    .limit(limit);
  const photos = await photosOf(db, rows.map((r) => r.id));
  const items = rows.map(({ size, colour, ...r }) => ({
    ...r,
    variant: [size, colour].filter(Boolean).join(' / '),
    photos: photos.get(r.id) ?? [],
    reports: open.filter((o) => o.reviewId === r.id).map(({ reason, note, at }) => ({ reason, note, at })),
  }));
  return items.sort((a, b) => b.reports.length - a.reports.length);
}

export interface RecentModerated {
  id: number;
  status: ReviewStatus;
  rating: number;
  productName: string;
  authorEmail: string;
  hideReason: string | null;
  moderatedAt: number | null;
}

/** The last reviews the shop approved or hid (to undo a slip). */
export async function recentlyModerated(db: DbOrTx, limit = 20): Promise<RecentModerated[]> {
  return db
    .select({ id: reviews.id, status: reviews.status, rating: reviews.rating, productName: products.name, authorEmail: users.email, hideReason: reviews.hideReason, moderatedAt: reviews.moderatedAt })
    .from(reviews)
    .innerJoin(users, eq(users.id, reviews.userId))
    .innerJoin(products, eq(products.id, reviews.productId))
    .where(inArray(reviews.status, ['approved', 'hidden']))
    .orderBy(desc(reviews.moderatedAt), desc(reviews.id))
    .limit(limit);
}

/** Approves a review (pending, reported or hidden); its open reports are resolved. False: no such review. */
export async function setApproved(tx: DbOrTx, { reviewId, actor, now }: { reviewId: number; actor: string; now: number }): Promise<boolean> {
  const r = await tx.update(reviews).set({ status: 'approved', hideReason: null, moderatedAt: now, moderatedBy: actor }).where(eq(reviews.id, reviewId)).returning({ id: reviews.id });
  if (r.length === 0) return false;
  await tx.update(reviewReports).set({ resolvedAt: now }).where(and(eq(reviewReports.reviewId, reviewId), isNull(reviewReports.resolvedAt)));
  await bumpCatalogVersion(tx);
  return true;
}

/** Hides a review with the reason its author sees; its open reports are resolved. False: no such review. */
export async function setHidden(tx: DbOrTx, { reviewId, reason, actor, now }: { reviewId: number; reason: string; actor: string; now: number }): Promise<boolean> {
  const r = await tx.update(reviews).set({ status: 'hidden', hideReason: reason, moderatedAt: now, moderatedBy: actor }).where(eq(reviews.id, reviewId)).returning({ id: reviews.id });
  if (r.length === 0) return false;
  await tx.update(reviewReports).set({ resolvedAt: now }).where(and(eq(reviewReports.reviewId, reviewId), isNull(reviewReports.resolvedAt)));
  await bumpCatalogVersion(tx);
  return true;
}

/** A review a reader may report: approved (shown), with its author. */
export async function reportableReview(db: DbOrTx, reviewId: number): Promise<{ id: number; userId: number; productId: number } | undefined> {
  return db.select({ id: reviews.id, userId: reviews.userId, productId: reviews.productId }).from(reviews).where(and(eq(reviews.id, reviewId), eq(reviews.status, 'approved'))).get();
}

/** Records a report; false when this reader already reported this review (the unique index decides). */
export async function insertReport(tx: DbOrTx, input: { reviewId: number; userId: number; reason: ReportReason; note: string | null; now: number }): Promise<boolean> {
  const row = await tx
    .insert(reviewReports)
    .values({ reviewId: input.reviewId, userId: input.userId, reason: input.reason, note: input.note, createdAt: input.now })
    .onConflictDoNothing({ target: [reviewReports.reviewId, reviewReports.userId] })
    .returning({ id: reviewReports.id })
    .get();
  return row !== undefined;
}
