/**
 * Verified buyer reviews on a real migrated database, through the workflows: who may review
 * (unpaid, refunded, not shipped, shipped too recently refused; delivered or shipped long enough
 * ago accepted), one review per product, photos through sharp with GPS stripped and bad photos
 * refused with nothing written, moderation (approve, hide with a reason) bumping the render
 * version, reports once per reader, the author's own edit and delete, buyer shows per post and
 * JSON-LD built from approved reviews only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../../src/server/db.ts';
import { createTestDb } from '../../helpers/db.ts';
import { testApp } from '../../helpers/app.ts';
import { buy } from '../../helpers/buy.ts';
import { makeCreator, makeProduct, makeVariant } from '../../../db/factories/factories.ts';
import { media, mediaFiles, reviewPhotos, reviewReports, reviews, shipments, users } from '../../../db/schema/index.ts';
import {
  accountReviews,
  editReview,
  markParcelDelivered,
  moderateReview,
  postBuyerShows,
  productReviews,
  refundOrderByShop,
  reportReview,
  reviewModeration,
  shipOrder,
  submitReview,
  type App,
} from '../../../src/server/flows/index.ts';
import { getRenderVersion } from '../../../src/server/catalog/index.ts';
import { countApprovedFromPost } from '../../../src/server/reviews/index.ts';
import type { SessionUser } from '../../../src/server/auth/index.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 9, 1, 12);
const OLD = Date.UTC(2025, 0, 1);
const BODY = 'Soft, warm and it kept its shape after three washes.';
let db: Db;
let app: App;
let seq = 0;

beforeAll(async () => {
  db = await createTestDb();
  app = testApp(db);
  await makeCreator(db, { handle: 'maya', displayName: 'Maya' });
});
afterAll(() => db.$client.close());

async function reader(name?: string): Promise<SessionUser> {
  const email = `buyer${++seq}@example.com`;
  const [u] = await db.insert(users).values({ email, passwordHash: '', role: 'reader', createdAt: OLD, emailVerifiedAt: OLD, displayName: name ?? null }).returning();
  return { id: u!.id, email, role: 'reader', creatorId: null };
}

async function product() {
  const sku = `REV-${++seq}`;
  const p = await makeProduct(db, { slug: `review-piece-${seq}`, name: `Review Piece ${seq}`, variants: [makeVariant({ sku, priceCents: 4000, stock: 50, size: 'M' })] });
  return { ...p, sku, slug: `review-piece-${seq}` };
}

const ADMIN = 'admin:shop@example.com';

/** A paid order of the product from Maya's post card, optionally shipped / delivered at given times. */
async function purchase(user: SessionUser, sku: string, { pay = true, shippedAt, deliveredAt }: { pay?: boolean; shippedAt?: number; deliveredAt?: number } = {}) {
  const { orderId } = await buy(app, [{ sku, qty: 1, creator: 'maya' }], { email: user.email, at: T0, pay });
  if (shippedAt !== undefined) {
    const s = await shipOrder(app, { orderId, actor: ADMIN, now: shippedAt, carrier: 'DHL', trackingNumber: `TRK${seq}${orderId}`, lines: 'all' });
    if (!s.ok) throw new Error(JSON.stringify(s));
    if (deliveredAt !== undefined) {
      const ship = await db.select().from(shipments).where(eq(shipments.orderId, orderId)).get();
      const d = await markParcelDelivered(app, { orderId, shipmentId: ship!.id, actor: ADMIN, now: deliveredAt });
      if (!d.ok) throw new Error(JSON.stringify(d));
    }
  }
  return orderId;
}

function gradient(width: number, height: number) {
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) raw.set([(x * 255) / width, (y * 255) / height, 90], (y * width + x) * 3);
  return sharp(raw, { raw: { width, height, channels: 3 } });
}
const gpsJpeg = () =>
  gradient(640, 800)
    .jpeg({ quality: 80 })
    .withExif({ IFD0: { Make: 'PhoneCam' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '31/1 13/1 50/1', GPSLongitudeRef: 'E', GPSLongitude: '121/1 28/1 10/1' } })
    .toBuffer();

function reviewRequest(fields: Record<string, string>, photos: { bytes: Uint8Array; name?: string; type?: string }[] = [], keep: string[] = []): Request {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  for (const p of photos) form.append('photos', new File([Buffer.from(p.bytes)], p.name ?? 'photo.jpg', { type: p.type ?? 'image/jpeg' }));
  for (const k of keep) form.append('keep', k);
  return new Request('http://shop.test/account/reviews/new', { method: 'POST', body: form });
}

const counts = async () => ({
  reviews: Number((await db.select({ n: sql<number>`count(*)` }).from(reviews).get())!.n),
  photos: Number((await db.select({ n: sql<number>`count(*)` }).from(reviewPhotos).get())!.n),
  media: Number((await db.select({ n: sql<number>`count(*)` }).from(media).get())!.n),
});

describe('who may review', () => {
  it('refuses no purchase, unpaid, not shipped, shipped fewer than N days ago and refunded — writing nothing', async () => {
    const p = await product();
    const none = await reader();
    const unpaid = await reader();
    await purchase(unpaid, p.sku, { pay: false });
    const unshipped = await reader();
    await purchase(unshipped, p.sku);
    const recent = await reader();
    await purchase(recent, p.sku, { shippedAt: T0 + DAY });
    const refunded = await reader();
    const refundedOrder = await purchase(refunded, p.sku, { shippedAt: T0 + DAY, deliveredAt: T0 + 3 * DAY });
    const rf = await refundOrderByShop(app, { orderId: refundedOrder, actor: ADMIN, now: T0 + 4 * DAY, request: 'all', restock: false });
    expect(rf.ok).toBe(true);

    const before = await counts();
    const now = T0 + 14 * DAY; // 13 days after `recent` shipped
    for (const user of [none, unpaid, unshipped, recent, refunded]) {
      const r = await submitReview(app, { user, productSlug: p.slug, request: reviewRequest({ rating: '5', body: BODY }), now });
      expect(r.ok).toBe(false);
      if (r.ok) continue;
      expect(r.reason).toBe('not_eligible');
      expect(r.message).toMatch(user === refunded ? /returned or refunded/ : /^You can review this once your order has arrived\./);
    }
    const recentR = await submitReview(app, { user: recent, productSlug: p.slug, request: reviewRequest({ rating: '5', body: BODY }), now });
    expect(!recentR.ok && recentR.message).toMatch(/you can review it from /);
    expect(await counts()).toEqual(before);
  });

  it('accepts a delivered purchase, and one shipped N days ago without a delivery scan', async () => {
    const p = await product();
    const delivered = await reader();
    await purchase(delivered, p.sku, { shippedAt: T0 + DAY, deliveredAt: T0 + 2 * DAY });
    const shipped = await reader();
    await purchase(shipped, p.sku, { shippedAt: T0 + DAY });
    const a = await submitReview(app, { user: delivered, productSlug: p.slug, request: reviewRequest({ rating: '4', body: BODY, fit: 'small' }), now: T0 + 2 * DAY });
    expect(a.ok).toBe(true);
    const early = await submitReview(app, { user: shipped, productSlug: p.slug, request: reviewRequest({ rating: '5', body: BODY }), now: T0 + 15 * DAY - 1 });
    expect(early.ok).toBe(false);
    const b = await submitReview(app, { user: shipped, productSlug: p.slug, request: reviewRequest({ rating: '5', body: BODY }), now: T0 + 15 * DAY });
    expect(b.ok).toBe(true);
    const row = await db.select().from(reviews).where(eq(reviews.userId, shipped.id)).get();
    expect(row).toMatchObject({ status: 'pending', rating: 5, sourcePost: 'maya-look', sourceCard: 0 });
  });

  it('honours REVIEW_AFTER_SHIPPED_DAYS', async () => {
    const p = await product();
    const u = await reader();
    await purchase(u, p.sku, { shippedAt: T0 });
    const threeDays = testApp(db, { config: { reviews: { afterShippedDays: 3 } } });
    expect((await submitReview(threeDays, { user: u, productSlug: p.slug, request: reviewRequest({ rating: '3', body: BODY }), now: T0 + 3 * DAY - 1 })).ok).toBe(false);
    expect((await submitReview(threeDays, { user: u, productSlug: p.slug, request: reviewRequest({ rating: '3', body: BODY }), now: T0 + 3 * DAY })).ok).toBe(true);
  });

  it('a guest order counts once the account’s email is verified, not before', async () => {
    const p = await product();
    const u = await reader();
    await db.update(users).set({ emailVerifiedAt: null }).where(eq(users.id, u.id));
    await purchase(u, p.sku, { shippedAt: T0, deliveredAt: T0 + DAY }); // placed as a guest (no buyerUserId)
    const r1 = await submitReview(app, { user: u, productSlug: p.slug, request: reviewRequest({ rating: '5', body: BODY }), now: T0 + 2 * DAY });
    expect(!r1.ok && r1.reason).toBe('not_eligible');
    await db.update(users).set({ emailVerifiedAt: T0 }).where(eq(users.id, u.id));
    expect((await submitReview(app, { user: u, productSlug: p.slug, request: reviewRequest({ rating: '5', body: BODY }), now: T0 + 2 * DAY })).ok).toBe(true);
  });
});

describe('writing a review', () => {
  it('a second review of the same product is refused: edit instead', async () => {
    const p = await product();
    const u = await reader();
    await purchase(u, p.sku, { shippedAt: T0, deliveredAt: T0 + DAY });
    await purchase(u, p.sku, { shippedAt: T0, deliveredAt: T0 + DAY });
    expect((await submitReview(app, { user: u, productSlug: p.slug, request: reviewRequest({ rating: '5', body: BODY }), now: T0 + 2 * DAY })).ok).toBe(true);
    const before = await counts();
    const again = await submitReview(app, { user: u, productSlug: p.slug, request: reviewRequest({ rating: '1', body: BODY }), now: T0 + 2 * DAY });
    expect(again).toMatchObject({ ok: false, reason: 'already_reviewed', message: 'You’ve already reviewed this — edit your review instead.' });
    expect(await counts()).toEqual(before);
  });

  it('refuses bad fields, more than 6 photos, a file that is not an image and one too big — nothing written', async () => {
    const p = await product();
    const u = await reader();
    await purchase(u, p.sku, { shippedAt: T0, deliveredAt: T0 + DAY });
    const now = T0 + 2 * DAY;
    const before = await counts();
    const jpeg = await gpsJpeg();
    const cases: [Request, string, RegExp][] = [
      [reviewRequest({ body: BODY }), 'rating', /Choose a rating/],
      [reviewRequest({ rating: '9', body: BODY }), 'rating', /1 to 5 stars/],
      [reviewRequest({ rating: '4', body: 'Nice' }), 'body', /at least 20/],
      [reviewRequest({ rating: '4', body: 'x'.repeat(2001) }), 'body', /under 2000/],
      [reviewRequest({ rating: '4', body: BODY }, Array.from({ length: 7 }, () => ({ bytes: jpeg }))), 'photos', /up to 6 photos; you chose 7/],
      [reviewRequest({ rating: '4', body: BODY }, [{ bytes: jpeg }, { bytes: new TextEncoder().encode('<html>not a picture</html>'), name: 'x.jpg' }]), 'photos', /^Photo 2: This file isn't an image we can use/],
      [reviewRequest({ rating: '4', body: BODY }, [{ bytes: new Uint8Array(15 * 1024 * 1024 + 1) }]), 'photos', /larger than 15 MB/],
    ];
    for (const [request, field, message] of cases) {
      const r = await submitReview(app, { user: u, productSlug: p.slug, request, now });
      expect(r.ok).toBe(false);
      if (r.ok) continue;
      expect(r.fieldErrors?.[field]).toMatch(message);
    }
    expect(await counts()).toEqual(before);
  });

  it('stores photos through sharp: renditions without EXIF or GPS', async () => {
    const p = await product();
    const u = await reader();
    await purchase(u, p.sku, { shippedAt: T0, deliveredAt: T0 + DAY });
    const jpeg = await gpsJpeg();
    expect((await sharp(jpeg).metadata()).exif?.toString('latin1')).toContain('PhoneCam'); // the input really has EXIF
    const r = await submitReview(app, { user: u, productSlug: p.slug, request: reviewRequest({ rating: '5', body: BODY }, [{ bytes: jpeg }, { bytes: jpeg }]), now: T0 + 2 * DAY });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const photos = await db.select().from(reviewPhotos).where(eq(reviewPhotos.reviewId, r.reviewId));
    expect(photos.map((x) => x.position)).toEqual([0, 1]);
    const files = await db.select().from(mediaFiles).where(eq(mediaFiles.mediaId, photos[0]!.mediaId));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const meta = await sharp(f.bytes).metadata();
      expect(meta.exif).toBeUndefined();
      const latin = Buffer.from(f.bytes).toString('latin1');
      expect(latin).not.toContain('PhoneCam');
      expect(latin).not.toContain('GPS');
    }
  });
});

describe('moderation, display and reports', () => {
  it('pending reviews are not shown; approval shows them on the product and on the post that sold them, and bumps the render version', async () => {
    const p = await product();
    const ana = await reader('Ana');
    const ben = await reader();
    await purchase(ana, p.sku, { shippedAt: T0, deliveredAt: T0 + DAY });
    await purchase(ben, p.sku, { shippedAt: T0, deliveredAt: T0 + DAY });
    const a = await submitReview(app, { user: ana, productSlug: p.slug, request: reviewRequest({ rating: '5', body: BODY, fit: 'true' }), now: T0 + 2 * DAY });
    const b = await submitReview(app, { user: ben, productSlug: p.slug, request: reviewRequest({ rating: '2', body: 'Pilled after a week of wearing it, sadly.', fit: 'true' }), now: T0 + 2 * DAY });
    if (!a.ok || !b.ok) throw new Error('setup');

    let view = await productReviews(app, { productId: p.id, productSlug: p.slug, user: null });
    expect(view.summary).toEqual({ count: 0, average: null });
    expect(view.jsonLd).toEqual({});
    const showsBefore = (await postBuyerShows(app, 'maya-look')).count;

    const queue = await reviewModeration(app);
    expect(queue.queue.map((q) => q.id)).toEqual(expect.arrayContaining([a.reviewId, b.reviewId]));

    const v0 = await getRenderVersion(db);
    const form = (fields: Record<string, string>) => {
      const f = new FormData();
      for (const [k, v] of Object.entries(fields)) f.set(k, v);
      return f;
    };
    expect(await moderateReview(app, { form: form({ action: 'approve', id: String(a.reviewId) }), actor: ADMIN })).toEqual({ ok: true, done: 'approved' });
    expect(await getRenderVersion(db)).toBeGreaterThan(v0);
    // Negative reviews are approved like any other: moderation is not about the rating.
    expect((await moderateReview(app, { form: form({ action: 'approve', id: String(b.reviewId) }), actor: ADMIN })).ok).toBe(true);

    view = await productReviews(app, { productId: p.id, productSlug: p.slug, user: null });
    expect(view.summary).toEqual({ count: 2, average: 3.5 });
    expect(view.fit).toBe('Most buyers say: true to size');
    expect(view.reviews.map((r) => r.author).sort()).toEqual(['A•••', 'B•••']);
    expect(view.jsonLd.aggregateRating).toMatchObject({ ratingValue: 3.5, reviewCount: 2 });
    expect(view.jsonLd.review).toHaveLength(2);
    expect((await postBuyerShows(app, 'maya-look')).count).toBe(showsBefore + 2);
    // Read under several addresses at once (a renamed post's earlier ones): the same reviews.
    expect(await countApprovedFromPost(db, ['maya-look-renamed', 'maya-look'])).toBe(showsBefore + 2);
    expect(await countApprovedFromPost(db, ['maya-look-renamed'])).toBe(0);

    // Hide needs a reason; the author sees it on their account, the page no longer shows the review.
    const noReason = await moderateReview(app, { form: form({ action: 'hide', id: String(b.reviewId), reason: ' ' }), actor: ADMIN });
    expect(!noReason.ok && noReason.fieldErrors?.reason).toMatch(/Say why/);
    const v1 = await getRenderVersion(db);
    expect((await moderateReview(app, { form: form({ action: 'hide', id: String(b.reviewId), reason: 'It names a member of staff.' }), actor: ADMIN })).ok).toBe(true);
    expect(await getRenderVersion(db)).toBeGreaterThan(v1);
    view = await productReviews(app, { productId: p.id, productSlug: p.slug, user: null });
    expect(view.summary).toEqual({ count: 1, average: 5 });
    expect(view.jsonLd.aggregateRating).toMatchObject({ ratingValue: 5, reviewCount: 1 });
    const mine = await accountReviews(app, ben);
    expect(mine.mine[0]).toMatchObject({ status: 'hidden', hideReason: 'It names a member of staff.' });
  });

  it('a reader reports a review once; reported reviews lead the queue with their reasons; the author cannot report their own', async () => {
    const p = await product();
    const author = await reader();
    await purchase(author, p.sku, { shippedAt: T0, deliveredAt: T0 + DAY });
    const r = await submitReview(app, { user: author, productSlug: p.slug, request: reviewRequest({ rating: '5', body: BODY }), now: T0 + 2 * DAY });
    if (!r.ok) throw new Error('setup');
    const f = new FormData();
    f.set('action', 'approve');
    f.set('id', String(r.reviewId));
    await moderateReview(app, { form: f, actor: ADMIN });

    const other = await reader();
    const id = String(r.reviewId);
    expect((await reportReview(app, { user: other, reviewId: id, form: { reason: 'nonsense' }, ip: '203.0.113.7' })).ok).toBe(false);
    expect(await reportReview(app, { user: other, reviewId: id, form: { reason: 'not_genuine', note: 'Same text as another shop.' }, ip: '203.0.113.7' })).toEqual({ ok: true });
    const twice = await reportReview(app, { user: other, reviewId: id, form: { reason: 'spam' }, ip: '203.0.113.7' });
    expect(twice).toMatchObject({ ok: false, reason: 'already_reported' });
    expect((await reportReview(app, { user: author, reviewId: id, form: { reason: 'spam' }, ip: null })).ok).toBe(false);
    expect(await db.select().from(reviewReports).where(eq(reviewReports.reviewId, r.reviewId))).toHaveLength(1);

    const { queue } = await reviewModeration(app);
    expect(queue[0]).toMatchObject({ id: r.reviewId, reports: [{ reason: 'not_genuine', note: 'Same text as another shop.' }] });
  });

  it('reports are throttled per address: the 21st from one address in a day is refused', async () => {
    const p = await product();
    const author = await reader();
    await purchase(author, p.sku, { shippedAt: T0, deliveredAt: T0 + DAY });
    const r = await submitReview(app, { user: author, productSlug: p.slug, request: reviewRequest({ rating: '3', body: BODY }), now: T0 + 2 * DAY });
    if (!r.ok) throw new Error('setup');
    const f = new FormData();
    f.set('action', 'approve');
    f.set('id', String(r.reviewId));
    await moderateReview(app, { form: f, actor: ADMIN });
    const at = T0 + 3 * DAY;
    for (let i = 0; i < 20; i++) expect((await reportReview(app, { user: await reader(), reviewId: String(r.reviewId), form: { reason: 'spam' }, ip: '198.51.100.20', now: at + i })).ok).toBe(true);
    const last = await reportReview(app, { user: await reader(), reviewId: String(r.reviewId), form: { reason: 'spam' }, ip: '198.51.100.20', now: at + 20 });
    expect(last).toMatchObject({ ok: false, reason: 'throttled' });
    expect(await db.select().from(reviewReports).where(eq(reviewReports.reviewId, r.reviewId))).toHaveLength(20);
  });

  it('the author edits (back to pending, photos kept or removed) and deletes their own review; nobody else can', async () => {
    const p = await product();
    const u = await reader();
    const stranger = await reader();
    await purchase(u, p.sku, { shippedAt: T0, deliveredAt: T0 + DAY });
    const jpeg = await gpsJpeg();
    const r = await submitReview(app, { user: u, productSlug: p.slug, request: reviewRequest({ rating: '4', body: BODY }, [{ bytes: jpeg }, { bytes: jpeg }]), now: T0 + 2 * DAY });
    if (!r.ok) throw new Error('setup');
    const f = new FormData();
    f.set('action', 'approve');
    f.set('id', String(r.reviewId));
    await moderateReview(app, { form: f, actor: ADMIN });
    const photos = await db.select().from(reviewPhotos).where(eq(reviewPhotos.reviewId, r.reviewId));

    const notMine = await editReview(app, { user: stranger, reviewId: String(r.reviewId), request: reviewRequest({ rating: '1', body: BODY }) });
    expect(notMine).toMatchObject({ ok: false, reason: 'not_found' });
    const notMineDelete = await editReview(app, { user: stranger, reviewId: String(r.reviewId), request: reviewRequest({ action: 'delete' }) });
    expect(notMineDelete.ok).toBe(false);

    const v0 = await getRenderVersion(db);
    const edited = await editReview(app, { user: u, reviewId: String(r.reviewId), request: reviewRequest({ rating: '3', body: `${BODY} Update: a seam came loose.`, fit: 'large' }, [], [photos[1]!.mediaId]), now: T0 + 5 * DAY });
    expect(edited).toMatchObject({ ok: true, kind: 'saved' });
    expect(await getRenderVersion(db)).toBeGreaterThan(v0);
    const row = await db.select().from(reviews).where(eq(reviews.id, r.reviewId)).get();
    expect(row).toMatchObject({ status: 'pending', rating: 3, fit: 'large', editedAt: T0 + 5 * DAY });
    expect((await db.select().from(reviewPhotos).where(eq(reviewPhotos.reviewId, r.reviewId))).map((x) => x.mediaId)).toEqual([photos[1]!.mediaId]);
    // The dropped photo is deleted with its renditions; the kept one stays.
    const mediaLeft = async () => (await db.select({ id: media.id }).from(media).where(sql`${media.id} in (${sql.join([photos[0]!.mediaId, photos[1]!.mediaId].map((id) => sql`${id}`), sql`, `)})`)).map((m) => m.id);
    expect(await mediaLeft()).toEqual([photos[1]!.mediaId]);
    expect(await db.select().from(mediaFiles).where(eq(mediaFiles.mediaId, photos[0]!.mediaId))).toHaveLength(0);
    expect((await productReviews(app, { productId: p.id, productSlug: p.slug, user: null })).summary.count).toBe(0);

    const bad = await editReview(app, { user: u, reviewId: String(r.reviewId), request: reviewRequest({ rating: '', body: BODY }, [], []) });
    expect(bad.ok).toBe(false);
    // The refused edit gives back the photo choice as sent (here: keep none), so the form shows it again.
    expect(bad).toMatchObject({ keep: [] });
    const badKeeping = await editReview(app, { user: u, reviewId: String(r.reviewId), request: reviewRequest({ rating: '', body: BODY }, [], [photos[1]!.mediaId]) });
    expect(badKeeping).toMatchObject({ ok: false, keep: [String(photos[1]!.mediaId)] });
    expect((await db.select().from(reviews).where(eq(reviews.id, r.reviewId)).get())!.rating).toBe(3);

    expect(await editReview(app, { user: u, reviewId: String(r.reviewId), request: reviewRequest({ action: 'delete' }) })).toMatchObject({ ok: true, kind: 'deleted' });
    expect(await db.select().from(reviews).where(eq(reviews.id, r.reviewId))).toHaveLength(0);
    expect(await db.select().from(reviewPhotos).where(eq(reviewPhotos.reviewId, r.reviewId))).toHaveLength(0);
    expect(await mediaLeft()).toEqual([]);
    expect(await db.select().from(mediaFiles).where(eq(mediaFiles.mediaId, photos[1]!.mediaId))).toHaveLength(0);
    // Deleted, the piece can be reviewed afresh.
    expect((await accountReviews(app, u)).toWrite.map((t) => t.slug)).toContain(p.slug);
  });

  it('the account lists pieces to review and the product page offers the right link to the signed-in reader', async () => {
    const p = await product();
    const u = await reader();
    await purchase(u, p.sku, { shippedAt: T0 + DAY });
    const soon = await productReviews(app, { productId: p.id, productSlug: p.slug, user: u, now: T0 + 2 * DAY });
    expect(soon.viewer?.kind).toBe('wait');
    expect((await accountReviews(app, u, T0 + 2 * DAY)).toWrite.map((t) => t.slug)).not.toContain(p.slug);
    const later = await productReviews(app, { productId: p.id, productSlug: p.slug, user: u, now: T0 + 20 * DAY });
    expect(later.viewer).toEqual({ kind: 'write', href: `/account/reviews/new?product=${p.slug}` });
    expect((await accountReviews(app, u, T0 + 20 * DAY)).toWrite.map((t) => t.slug)).toContain(p.slug);
    const stranger = await productReviews(app, { productId: p.id, productSlug: p.slug, user: await reader(), now: T0 + 20 * DAY });
    expect(stranger.viewer).toBeNull();
  });
});
