/**
 * A flash sale as a reader meets it, in Chromium: a sale that starts a few seconds after the post
 * loads. The card and the product page say "starts in …"; the countdown reaches zero and the sale
 * price appears without a reload; the reader adds it to the bag at that price; and a reload with
 * JavaScript off shows the state of that moment (the cache never outlives the boundary).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { describe, expect, test } from 'vitest';
import { products } from '../../db/schema/index.ts';
import { e2eDb, newPage } from './helpers/browser.ts';
import { e2eCreator, e2eProduct, uniqueTag } from './helpers/fixtures.ts';
import { e2ePostWithCard, READER_UA } from './helpers/social.ts';
import { bumpCatalogVersion } from '../../src/server/catalog/index.ts';
import { insertSchedule } from '../../src/server/sales/index.ts';

/** SALES_SHOTS=<dir> writes screenshots of the card and product page in each state. */
const SHOTS = process.env.SALES_SHOTS;
if (SHOTS) mkdirSync(SHOTS, { recursive: true });

describe('flash sale', () => {
  test('"Starts in" before, the sale price at zero without a reload, bought at that price; JavaScript off shows the moment’s state', async () => {
    const maker = await e2eCreator();
    const item = await e2eProduct({ stock: 10, priceCents: 8000, name: `Flash Tote ${uniqueTag().toUpperCase()}` });
    const db = await e2eDb();
    const productId = (await db.select({ id: products.id }).from(products).where(eq(products.slug, item.slug)).get())!.id;
    const post = await e2ePostWithCard(maker, item.slug);
    // Seconds, not minutes, so the test need not wait: written straight through the sales store
    // (the admin form takes minutes), with the catalog version bumped as every sale write does.
    const startsAt = Date.now() + 9_000;
    await db.transaction(async (tx) => {
      await insertSchedule(tx, productId, { kind: 'flash', variantId: null, priceCents: 5000, startsAt, endsAt: startsAt + 3_600_000, unitsAllotted: 5, perBuyerLimit: 2 }, Date.now());
      await bumpCatalogVersion(tx);
    });

    const page = await newPage({ userAgent: READER_UA, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await page.goto(`/posts/${post.slug}`);
    const card = page.locator(`[data-product="${item.slug}"]`).first();
    const before = await card.innerText();
    expect(before).toMatch(/Flash sale\s+\$50\.00 — starts in 0 min 0\d s/i);
    expect(before).toContain('$80.00');
    if (SHOTS) await card.screenshot({ path: join(SHOTS, 'card-upcoming-390.png') });

    // Without JavaScript, before the start: the server's own words, the regular price.
    const noJs = await newPage({ userAgent: READER_UA, javaScriptEnabled: false, viewport: { width: 1366, height: 900 } });
    await noJs.goto(`/products/${item.slug}`);
    const pdpBefore = await noJs.locator('.pdp__info').innerText();
    expect(pdpBefore).toMatch(/\$80\.00[\s\S]*Flash sale\s+\$50\.00 — starts in/i);

    // The countdown reaches zero: the sale price appears on the same page.
    await expect.poll(() => card.locator('[data-sale-next]').isVisible(), { timeout: 15_000, interval: 250 }).toBe(true);
    expect(Date.now()).toBeGreaterThanOrEqual(startsAt);
    const during = await card.innerText();
    expect(during).toMatch(/\$50\.00[\s\S]*Was \$80\.00|\$50\.00[\s\S]*\$80\.00/);
    expect(during).toMatch(/Flash sale — ends in (59 min \d\d s|1 h 0 min) · 5 left · up to 2 each/i);
    expect(during).not.toContain('starts in');
    if (SHOTS) await card.screenshot({ path: join(SHOTS, 'card-live-390.png') });

    // Added to the bag, it is priced at the sale price.
    const added = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname.startsWith('/bag'));
    await card.getByRole('button', { name: 'Add to bag' }).click();
    await added;
    await page.goto('/bag');
    const bag = await page.locator('main').innerText();
    expect(bag).toContain(item.name);
    expect(bag).toContain('$50.00');

    // Reloaded without JavaScript after the start: the sale, as the server renders it now.
    await noJs.reload();
    const pdpDuring = await noJs.locator('.pdp__info').innerText();
    expect(pdpDuring).toMatch(/\$50\.00/);
    expect(pdpDuring).toMatch(/Flash sale — ends in 59 min/i);
    if (SHOTS) await noJs.screenshot({ path: join(SHOTS, 'product-live-1366.png') });
  }, 60_000);
});
