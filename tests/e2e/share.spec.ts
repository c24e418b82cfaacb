/**
 * Share cards and the Share button as people meet them, in Chromium against the built server
 * (ADR 0054): a post's and a product's og:image is a 1200×630 PNG that loads (image/png, strong
 * ETag, 304 on revalidation, the security headers); an unknown slug is a 404; "Share" hands the
 * credited link to the Web Share API, copies it where there is none ("Link copied"), says whose
 * link it is to the creator who wrote the post, and without JavaScript shows the link in a field.
 */
import sharp from 'sharp';
import { describe, expect, test } from 'vitest';
import { baseURL, login, newPage } from './helpers/browser.ts';
import { e2eCreator, e2eProduct } from './helpers/fixtures.ts';
import { e2ePostWithCard, READER_UA } from './helpers/social.ts';

/** SHARE_SHOTS=<dir> writes screenshots of the Share button (390 and 1366 px, JS on and off). */
const SHOTS = process.env.SHARE_SHOTS;

const POST = 'autumn-capsule-wardrobe'; // a seeded post by Maya Okafor (referral code MAYA)

async function ogImage(path: string): Promise<{ image: string; meta: Record<string, string> }> {
  const html = await (await fetch(`${baseURL()}${path}`)).text();
  const meta: Record<string, string> = {};
  for (const m of html.matchAll(/<meta (?:property|name)="([^"]+)" content="([^"]*)"/g)) meta[m[1]!] = m[2]!.replace(/&amp;/g, '&');
  return { image: meta['og:image']!, meta };
}

async function expectCard(url: string): Promise<void> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('image/png');
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('x-frame-options')).toBe('DENY');
  expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
  expect(res.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
  // Served by the card route itself, never replayed by the page render cache (ADR 0054).
  expect(res.headers.get('x-render-cache')).toBeNull();
  const etag = res.headers.get('etag');
  expect(etag).toMatch(/^"[A-Za-z0-9_-]{22}"$/);
  const meta = await sharp(new Uint8Array(await res.arrayBuffer())).metadata();
  expect([meta.format, meta.width, meta.height]).toEqual(['png', 1200, 630]);
  const again = await fetch(url, { headers: { 'If-None-Match': etag! } });
  expect(again.status).toBe(304);
  expect(again.headers.get('etag')).toBe(etag);
}

describe('share cards', () => {
  test("a post's og:image is its 1200×630 PNG card; so is a product's; an unknown slug is a 404", async () => {
    const post = await ogImage(`/posts/${POST}`);
    expect(post.image).toBe(`${baseURL()}/og/posts/${POST}.png`);
    expect(post.meta).toMatchObject({ 'og:image:type': 'image/png', 'og:image:width': '1200', 'og:image:height': '630', 'twitter:card': 'summary_large_image' });
    expect(post.meta['og:image:alt']).toMatch(/by Maya Okafor/);
    await expectCard(post.image);

    const item = await e2eProduct({ stock: 3, priceCents: 7200 });
    const product = await ogImage(`/products/${item.slug}`);
    expect(product.image).toBe(`${baseURL()}/og/products/${item.slug}.png`);
    await expectCard(product.image);

    const creator = await ogImage('/creators/maya-okafor');
    await expectCard(creator.image);

    for (const path of ['/og/posts/no-such-post.png', '/og/products/no-such-product.png', '/og/creators/nobody-here.png', '/og/group/nothing.png', '/og/cut/nothing.png']) {
      expect((await fetch(`${baseURL()}${path}`)).status, path).toBe(404);
    }
  });

  test("Share hands the creator's link to the Web Share API; without it the link is copied", async () => {
    const reader = await newPage({ userAgent: READER_UA, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await reader.addInitScript(() => {
      const shared: ShareData[] = [];
      (window as unknown as { shared: ShareData[] }).shared = shared;
      Object.defineProperty(navigator, 'share', { value: async (data: ShareData) => void shared.push(data), configurable: true });
    });
    await reader.goto(`/posts/${POST}`);
    await reader.getByRole('button', { name: 'Share', exact: true }).click();
    const shared = await reader.evaluate(() => (window as unknown as { shared: ShareData[] }).shared);
    expect(shared).toEqual([{ title: expect.stringContaining('capsule') as unknown as string, url: `${baseURL()}/r/MAYA?to=%2Fposts%2F${POST}` }]);
    if (SHOTS) await reader.screenshot({ path: `${SHOTS}/share-post-390.png` });

    const item = await e2eProduct({ stock: 3 });
    const desk = await newPage({ userAgent: READER_UA, viewport: { width: 1366, height: 900 }, permissions: ['clipboard-read', 'clipboard-write'] });
    await desk.addInitScript(() => {
      // A desktop browser without the Web Share API.
      Object.defineProperty(navigator, 'share', { value: undefined, configurable: true });
    });
    await desk.goto(`/products/${item.slug}`);
    await desk.getByRole('button', { name: 'Share', exact: true }).click();
    await expect.poll(() => desk.getByRole('status').filter({ hasText: 'Link copied' }).count()).toBe(1);
    expect(await desk.evaluate(() => navigator.clipboard.readText())).toBe(`${baseURL()}/products/${item.slug}`);
    if (SHOTS) await desk.screenshot({ path: `${SHOTS}/share-product-1366.png` });
  });

  test('the creator sees whose link it is; without JavaScript the link is in a field to copy', async () => {
    const ana = await e2eCreator();
    const item = await e2eProduct({ stock: 2 });
    const post = await e2ePostWithCard(ana, item.slug);
    const page = await newPage({ viewport: { width: 1366, height: 900 } });
    await login(page, ana);
    await page.goto(`/posts/${post.slug}`);
    const first = ana.displayName.split(' ')[0];
    await expect.poll(() => page.getByRole('button', { name: `Share — credits ${first}` }).count()).toBe(1);
    // On a product page a creator shares their own link, and their own card.
    await page.goto(`/products/${item.slug}`);
    await expect.poll(() => page.getByRole('button', { name: `Share — credits ${first}` }).count()).toBe(1);
    const cardHref = await page.getByRole('link', { name: 'Open the share image', includeHidden: true }).getAttribute('href');
    expect(cardHref).toBe(`/og/products/${item.slug}.png?via=${ana.code}`);
    await expectCard(`${baseURL()}${cardHref}`);

    const noJs = await newPage({ javaScriptEnabled: false, userAgent: READER_UA, viewport: { width: 390, height: 844 } });
    await noJs.goto(`/posts/${post.slug}`);
    expect(await noJs.locator('[data-share-button]').isVisible()).toBe(false); // the script's button stays hidden
    await noJs.locator('summary', { hasText: 'Share' }).click();
    const field = noJs.getByLabel(/Link to share/);
    expect(await field.inputValue()).toBe(`${baseURL()}/r/${ana.code}?to=%2Fposts%2F${post.slug}`);
    expect(await field.getAttribute('readonly')).not.toBeNull();
    if (SHOTS) await noJs.screenshot({ path: `${SHOTS}/share-nojs-390.png` });
  });
});
