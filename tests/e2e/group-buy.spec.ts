/**
 * Group buy as people do it, in Chromium: a creator's post has a card for a product with a group
 * buy of 2; a reader starts a group from that card (authorises on the test payment page), shares
 * the link; a second reader — on a phone — joins from the link and authorises; the group completes,
 * both are charged, and the creator's dashboard shows both lines credited "Group buy" to the post.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { orderLines, orders, products } from '../../db/schema/index.ts';
import { e2eDb, login, newPage } from './helpers/browser.ts';
import { e2eCreator, e2eProduct, uniqueTag } from './helpers/fixtures.ts';
import { e2eApp, e2ePostWithCard, READER_UA } from './helpers/social.ts';
import { saveProductGroupOffer } from '../../src/server/flows/index.ts';

/** SOCIAL_SHOTS=<dir> writes screenshots of the group page. */
const SHOTS = process.env.SOCIAL_SHOTS;
if (SHOTS) mkdirSync(SHOTS, { recursive: true });

async function shipTo(page: Page, email: string, name: string): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Full name').fill(name);
  await page.getByLabel('Street address').fill('12 Harbour Road');
  await page.getByLabel('City').fill('Seattle');
  await page.getByLabel(/State/).fill('WA');
  await page.getByLabel('Postcode').fill('98101');
  await page.getByLabel('Country').selectOption('US');
}

describe('group buy', () => {
  test('a group started from a post card, joined from the shared link, completes and credits both members to the post', async () => {
    const maker = await e2eCreator();
    const item = await e2eProduct({ stock: 6, priceCents: 8000, name: `Group Tote ${uniqueTag().toUpperCase()}` });
    const db = await e2eDb();
    const productId = (await db.select({ id: products.id }).from(products).where(eq(products.slug, item.slug)).get())!.id;
    const offer = await saveProductGroupOffer(await e2eApp(), { productId, fields: { groupSize: '2', groupPrice: '60.00', durationHours: '24', perBuyerLimit: '1', maxUnits: '', variantId: 'all', active: 'on' } });
    expect(offer.ok).toBe(true);
    const post = await e2ePostWithCard(maker, item.slug);
    const tag = uniqueTag();

    // The first reader starts a group from the card (a guest: no account needed to buy).
    const first = await newPage({ userAgent: READER_UA, viewport: { width: 1366, height: 900 } });
    await first.goto(`/posts/${post.slug}`);
    const card = first.locator(`[data-product="${item.slug}"]`).first();
    await Promise.all([first.waitForURL(/\/group\/start/), card.getByRole('button', { name: /Start a group of 2 at \$60\.00 each/ }).click()]);
    await shipTo(first, `first-${tag}@example.com`, 'Fay First');
    await Promise.all([first.waitForURL(/\/pay\/test\//), first.getByRole('button', { name: 'Authorise and start the group' }).click()]);
    expect(await first.locator('main').innerText()).toContain('only authorised');
    await Promise.all([first.waitForURL(/\/group\/[^/]+\?joined=1/), first.getByRole('button', { name: /^Authorise \$65\.95/ }).click()]);
    expect(await first.locator('main').innerText()).toContain('1 seat left of 2.');
    const link = await first.getByLabel(/Share the group’s link/).inputValue();
    const groupPath = new URL(link).pathname;
    const [firstOrder] = await db.select().from(orders).where(eq(orders.email, `first-${tag}@example.com`));
    expect(firstOrder).toMatchObject({ status: 'pending' }); // authorised, not charged

    // The second reader (on a phone) sees the open group on the product page, then opens the shared link and joins.
    const second = await newPage({ userAgent: READER_UA, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await second.goto(`/products/${item.slug}`);
    const joinable = second.locator('.join-groups');
    expect(await joinable.innerText()).toMatch(/Join a group at \$60\.00[\s\S]*F•••[\s\S]*1 seat left of 2/);
    expect(await joinable.getByRole('link', { name: /Join the group/ }).getAttribute('href')).toBe(groupPath);
    expect(await second.evaluate(() => document.documentElement.scrollWidth), 'the product page fits a phone').toBeLessThanOrEqual(390);
    await second.goto(groupPath);
    expect(await second.locator('main').innerText()).toMatch(/F•••\s*· started it/);
    expect(await second.evaluate(() => document.documentElement.scrollWidth), 'the group page fits a phone').toBeLessThanOrEqual(390);
    if (SHOTS) await second.screenshot({ path: join(SHOTS, 'group-join-390.png'), fullPage: true });
    await shipTo(second, `second-${tag}@example.com`, 'Sol Second');
    await Promise.all([second.waitForURL(/\/pay\/test\//), second.getByRole('button', { name: 'Authorise and join' }).click()]);
    await Promise.all([second.waitForURL(/\/group\//), second.getByRole('button', { name: /^Authorise \$65\.95/ }).click()]);
    await expect.poll(() => second.locator('main').innerText()).toContain('All 2 seats are taken');
    if (SHOTS) await second.screenshot({ path: join(SHOTS, 'group-complete-390.png'), fullPage: true });

    // Both members were charged and both lines credited "group" to the post's card.
    const lines = await db.select({ line: orderLines, status: orders.status }).from(orderLines).innerJoin(orders, eq(orders.id, orderLines.orderId)).where(eq(orderLines.sku, item.sku));
    expect(lines).toHaveLength(2);
    for (const l of lines) {
      expect(l.status).toBe('paid');
      expect(l.line).toMatchObject({ channel: 'group', attributionSource: 'group', sourcePost: post.slug, creditedCreatorId: maker.id, unitPriceCents: 6000 });
    }

    // The creator sees both lines and the group on the dashboard.
    const creator = await newPage();
    await login(creator, { email: maker.email, password: maker.password });
    await creator.goto('/dashboard');
    const credited = creator.locator('#orders tbody tr', { hasText: item.name });
    await expect.poll(() => credited.count()).toBe(2);
    expect(await creator.locator('#orders').innerText()).toMatch(/Group buy/i);
    const social = creator.locator('#social tbody tr', { hasText: post.title });
    expect((await social.locator('td').allTextContents()).map((t) => t.trim())).toEqual(['0', '1', '0', '0', '0', '0']);
  }, 120_000);
});
