/**
 * A buyer show (晒单) as people make it, in Chromium: a reader buys a piece from a card in a
 * creator's post (credited to that post), the shop ships and delivers it, the reader signs in by
 * email link, finds "Write a review" on their account, posts a rating, fit note, text and a photo
 * through the plain multipart form; the admin approves it at /admin/reviews; it then appears on the
 * post that sold it ("Bought from this post — 1 buyer show") and on the product page with
 * "Verified purchase" and the rating in the Product JSON-LD — on pages that were cached before the
 * approval too.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import { describe, expect, test } from 'vitest';
import { orderLines, shipments } from '../../db/schema/index.ts';
import { e2eDb, login, newPage } from './helpers/browser.ts';
import { e2eCreator, e2eProduct, uniqueTag } from './helpers/fixtures.ts';
import { checkoutAndPayAsGuest, e2eApp, e2ePostWithCard, READER_UA, signInByEmail } from './helpers/social.ts';
import { markParcelDelivered, shipOrder } from '../../src/server/flows/index.ts';

/** REVIEW_SHOTS=<dir> writes screenshots at 390 and 1366 px of the form, the product's reviews, the post's buyer shows and the admin queue. */
const SHOTS = process.env.REVIEW_SHOTS;
if (SHOTS) mkdirSync(SHOTS, { recursive: true });
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

describe('buyer shows', () => {
  test('bought from a post card, delivered, reviewed with a photo, approved — shown on the post that sold it and on the product page', async () => {
    const tag = uniqueTag();
    const maker = await e2eCreator();
    const item = await e2eProduct({ stock: 5, priceCents: 5200, name: `Review Tote ${tag.toUpperCase()}` });
    const post = await e2ePostWithCard(maker, item.slug);
    const email = `shows-${tag}@example.com`;
    const text = `Sturdy canvas, holds a laptop and lunch. The strap is comfortable all day. ${tag}`;

    // An anonymous visit caches the post and the product page before any review exists.
    const anon = await newPage({ userAgent: READER_UA });
    await anon.goto(`/posts/${post.slug}`);
    expect(await anon.getByRole('heading', { name: /Bought from this post/ }).count()).toBe(0);
    await anon.goto(`/products/${item.slug}`);
    expect(await anon.locator('#reviews').innerText()).toContain('No reviews yet');

    // The reader buys from the card in the post, as a guest, and pays with test payments.
    const reader = await newPage({ userAgent: READER_UA, viewport: { width: 1366, height: 900 } });
    await reader.goto(`/posts/${post.slug}`);
    const card = reader.locator(`[data-product="${item.slug}"]`).first();
    await card.getByRole('button', { name: 'Add to bag' }).click();
    await expect.poll(() => reader.locator('[data-bag-count]').first().innerText()).toBe('1');
    await checkoutAndPayAsGuest(reader, { email, name: 'Rita Reviewer', line1: '5 Canvas Row' });
    const db = await e2eDb();
    const line = await db.select().from(orderLines).where(eq(orderLines.sku, item.sku)).get();
    expect(line).toMatchObject({ attributionSource: 'post', sourcePost: post.slug, creditedCreatorId: maker.id });

    // Before it ships, the account says when reviewing opens rather than offering it.
    await signInByEmail(reader, email, '/account');
    expect(await reader.getByRole('link', { name: `Write a review of ${item.name}` }).count()).toBe(0);

    // The shop ships the parcel and it is delivered (the admin's workflows).
    const app = await e2eApp();
    const shipped = await shipOrder(app, { orderId: line!.orderId, actor: 'admin:e2e@example.com', carrier: 'UPS', trackingNumber: `1Z${tag.toUpperCase()}`, lines: 'all' });
    expect(shipped.ok).toBe(true);
    const parcel = await db.select().from(shipments).where(eq(shipments.orderId, line!.orderId)).get();
    expect((await markParcelDelivered(app, { orderId: line!.orderId, shipmentId: parcel!.id, actor: 'admin:e2e@example.com' })).ok).toBe(true);

    // The product page (personal, never cached for a signed-in reader) and the account now offer the review.
    await reader.goto(`/products/${item.slug}`);
    expect(await reader.locator('#reviews').getByRole('link', { name: 'Write a review' }).getAttribute('href')).toBe(`/account/reviews/new?product=${item.slug}`);
    // A form with mistakes says so next to the field and writes nothing.
    await reader.goto('/account');
    await Promise.all([reader.waitForURL(/\/account\/reviews\/new/), reader.getByRole('link', { name: `Write a review of ${item.name}` }).click()]);
    await reader.getByLabel('Your review').fill('Too short');
    await Promise.all([reader.waitForLoadState('load'), reader.getByRole('button', { name: 'Post review' }).click()]);
    expect(await reader.locator('#form-errors').innerText()).toMatch(/Choose a rating from 1 to 5 stars[\s\S]*at least 20 characters/);
    if (SHOTS) await reader.screenshot({ path: join(SHOTS, 'review-form-errors-1366.png'), fullPage: true });

    await reader.getByLabel('5 stars — love it').check();
    await reader.getByLabel('True to size').check();
    await reader.getByLabel('Your review').fill(text);
    const photo = await sharp({ create: { width: 800, height: 1000, channels: 3, background: '#9c8b70' } }).jpeg().withExif({ IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '45/1 31/1 0/1' } }).toBuffer();
    await reader.locator('#photos').setInputFiles({ name: 'tote.jpg', mimeType: 'image/jpeg', buffer: photo });
    await Promise.all([reader.waitForURL((u) => u.pathname === '/account' && u.searchParams.get('reviewed') === '1'), reader.getByRole('button', { name: 'Post review' }).click()]);
    expect(await reader.locator('#reviews').innerText()).toMatch(/your review was sent[\s\S]*Waiting for the shop to read it · 1 photo/);

    // Not shown until the shop approves it.
    await anon.goto(`/products/${item.slug}`);
    expect(await anon.locator('#reviews').innerText()).toContain('No reviews yet');

    // The admin approves it from the queue.
    const admin = await newPage({ viewport: { width: 1366, height: 900 } });
    await login(admin);
    await admin.goto('/admin/reviews');
    const entry = admin.locator('.mod-item', { hasText: tag });
    expect(await entry.innerText()).toContain(item.name);
    if (SHOTS) await admin.screenshot({ path: join(SHOTS, 'admin-reviews-1366.png'), fullPage: true });
    await Promise.all([admin.waitForURL((u) => u.searchParams.get('done') === 'approved'), entry.getByRole('button', { name: 'Approve' }).click()]);

    // On the post that sold it, and on the product page — the cached pages were refreshed by the approval.
    await anon.goto(`/posts/${post.slug}`);
    const shows = anon.locator('#buyer-shows');
    expect(await shows.getByRole('heading', { name: 'Bought from this post — 1 buyer show' }).count()).toBe(1);
    const showText = await shows.innerText();
    expect(showText).toContain(text);
    expect(showText).toContain('Verified purchase');
    expect(showText).toContain(item.name);
    expect(showText).toContain('S•••'); // the first letter of the email: no name chosen
    expect(showText).not.toContain(email);
    expect(await shows.locator('img[alt^="Buyer photo"]').count()).toBe(1);
    await anon.goto(`/products/${item.slug}`);
    const reviews = anon.locator('#reviews');
    const reviewText = await reviews.innerText();
    expect(reviewText).toContain('Verified purchase');
    expect(reviewText).toContain('5.0 out of 5');
    expect(reviewText).toContain('One buyer says: true to size');
    expect(reviewText).toContain(text);
    const ld = JSON.parse((await anon.locator('script[type="application/ld+json"]').first().textContent()) ?? '{}');
    expect(ld.aggregateRating).toMatchObject({ ratingValue: 5, reviewCount: 1 });
    // The photo is served from its renditions, without the GPS block the upload had.
    const src = await reviews.locator('img[alt^="Buyer photo"]').getAttribute('src');
    const served = await anon.request.get(src!);
    expect(served.status()).toBe(200);
    expect((await sharp(await served.body()).metadata()).exif).toBeUndefined();

    // On a phone nothing is cut off.
    const phone = await newPage({ userAgent: READER_UA, ...PHONE });
    for (const path of [`/posts/${post.slug}`, `/products/${item.slug}`]) {
      await phone.goto(path);
      expect(await phone.evaluate(() => document.documentElement.scrollWidth), `${path} fits a phone`).toBeLessThanOrEqual(390);
    }
    if (SHOTS) {
      await anon.setViewportSize({ width: 1366, height: 900 });
      await anon.goto(`/products/${item.slug}`);
      await anon.locator('#reviews').screenshot({ path: join(SHOTS, 'product-reviews-1366.png') });
      await anon.goto(`/posts/${post.slug}`);
      await anon.locator('#buyer-shows').screenshot({ path: join(SHOTS, 'post-buyer-shows-1366.png') });
      await phone.goto(`/products/${item.slug}`);
      await phone.locator('#reviews').screenshot({ path: join(SHOTS, 'product-reviews-390.png') });
      await phone.goto(`/posts/${post.slug}`);
      await phone.locator('#buyer-shows').screenshot({ path: join(SHOTS, 'post-buyer-shows-390.png') });
      await reader.setViewportSize({ width: 390, height: 844 });
      await reader.goto(`/account/reviews/new?product=${item.slug}`); // reviewed: leads to the review itself
      await reader.screenshot({ path: join(SHOTS, 'review-edit-390.png'), fullPage: true });
      const adminPhone = await newPage(PHONE);
      await login(adminPhone);
      await adminPhone.goto('/admin/reviews');
      await adminPhone.screenshot({ path: join(SHOTS, 'admin-reviews-390.png'), fullPage: true });
      await adminPhone.context().close();
    }

    // The buyer sees their review is shown; editing it sends it back to the shop.
    await reader.goto('/account');
    expect(await reader.locator('#reviews').innerText()).toContain('Shown on the product page');
    for (const p of [anon, reader, admin, phone]) await p.context().close();
  }, 150_000);
});
