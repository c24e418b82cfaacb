/**
 * Accessibility of the pages behind the shop window: bag, checkout, sign-in, the creator dashboard
 * and the admin — axe (WCAG 2 A/AA) finds no serious or critical problem. (Home, post and product
 * pages are checked in browse.spec.ts.)
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { eq } from 'drizzle-orm';
import { products } from '../../db/schema/index.ts';
import { e2eDb, login, newPage } from './helpers/browser.ts';
import { uniqueTag } from './helpers/fixtures.ts';
import { READER_UA, signInByEmail } from './helpers/social.ts';
import { DEMO_CREATOR_PASSWORD } from '../../scripts/seed/fixtures.ts';
import { e2eProduct } from './helpers/fixtures.ts';
import { e2eApp } from './helpers/social.ts';
import { buy } from '../helpers/buy.ts';
import { shipments } from '../../db/schema/index.ts';
import { markParcelDelivered, shipOrder } from '../../src/server/flows/index.ts';

async function seriousProblems(page: Page, path: string): Promise<string[]> {
  const res = await page.goto(path);
  expect(res?.status(), `${path} status`).toBeLessThan(400);
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.nodes.length}): ${v.nodes[0]?.target.join(' ')} — ${v.help}`);
}

describe('accessibility beyond the storefront', () => {
  let reader: Page;
  let creator: Page;
  let admin: Page;
  let member: Page;
  let bargain = '';
  let toteSocial = '';
  beforeAll(async () => {
    // A signed-in reader with a help-cut bargain on the seeded Canvas Market Tote.
    member = await newPage({ userAgent: READER_UA });
    await signInByEmail(member, `a11y-${uniqueTag()}@example.com`, '/products/canvas-market-tote');
    await member.locator('input[name="sku"]').first().check({ force: true });
    await Promise.all([member.waitForURL(/\/cut\//), member.getByRole('button', { name: /Start a bargain/ }).click()]);
    bargain = new URL(member.url()).pathname;
    const tote = await (await e2eDb()).select({ id: products.id }).from(products).where(eq(products.slug, 'canvas-market-tote')).get();
    toteSocial = `/admin/products/${tote!.id}/social`;
    reader = await newPage(); // axe runs in the page, so JavaScript stays on
    // something in the bag, so /bag and /checkout show their forms (LBT-BLK-L: no other spec buys it)
    await reader.goto('/products/leather-belt?colour=Black');
    await reader.locator('input[name="sku"][value="LBT-BLK-L"]').check({ force: true });
    await reader.getByRole('button', { name: 'Add to bag' }).first().click();
    await reader.locator('[data-bag-count]', { hasText: '1' }).first().waitFor();
    creator = await newPage();
    await login(creator, { email: 'jules-laurent@lookbook.test', password: DEMO_CREATOR_PASSWORD });
    admin = await newPage();
    await login(admin);
  });

  test.each(['/bag', '/checkout', '/login', '/sign-in', '/posts'])('reader: %s', async (path) => {
    expect(await seriousProblems(['/login', '/sign-in', '/posts'].includes(path) ? await newPage() : reader, path)).toEqual([]);
  });
  test('signed-in reader: /account and a bargain page', async () => {
    expect(await seriousProblems(member, '/account')).toEqual([]);
    expect(await seriousProblems(member, bargain)).toEqual([]);
    expect(await seriousProblems(await newPage(), bargain)).toEqual([]);
  });
  test('admin: a product’s group buy and help-cut terms', async () => {
    expect(await seriousProblems(admin, toteSocial)).toEqual([]);
  });
  test('admin: a product’s flash sales and markdowns, listed and with a refused form', async () => {
    const sales = toteSocial.replace(/\/social$/, '/sales');
    expect(await seriousProblems(admin, sales)).toEqual([]);
    await admin.locator('#sale-price').fill('0');
    await Promise.all([admin.waitForLoadState('load'), admin.getByRole('button', { name: 'Schedule' }).click()]);
    expect(await admin.locator('.alert').innerText()).toContain('Nothing was scheduled');
    const results = await new AxeBuilder({ page: admin }).withTags(['wcag2a', 'wcag2aa']).analyze();
    expect(results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  });
  test.each(['/dashboard', '/dashboard/invites', '/studio', '/studio/profile'])('creator: %s', async (path) => {
    expect(await seriousProblems(creator, path)).toEqual([]);
  });
  test('reviews: the review form of a delivered purchase, the review policy and the admin queue', async () => {
    const item = await e2eProduct({ stock: 3 });
    const email = `a11y-review-${uniqueTag()}@example.com`;
    const app = await e2eApp();
    const { orderId } = await buy(app, [{ sku: item.sku, qty: 1 }], { email, at: Date.now() });
    expect((await shipOrder(app, { orderId, actor: 'admin:a11y@example.com', carrier: 'UPS', trackingNumber: `1Z${uniqueTag().toUpperCase()}`, lines: 'all' })).ok).toBe(true);
    const parcel = await (await e2eDb()).select().from(shipments).where(eq(shipments.orderId, orderId)).get();
    expect((await markParcelDelivered(app, { orderId, shipmentId: parcel!.id, actor: 'admin:a11y@example.com' })).ok).toBe(true);
    const buyer = await newPage({ userAgent: READER_UA });
    await signInByEmail(buyer, email, '/account');
    expect(await seriousProblems(buyer, `/account/reviews/new?product=${item.slug}`)).toEqual([]);
    expect(await seriousProblems(await newPage(), '/reviews/policy')).toEqual([]);
    expect(await seriousProblems(admin, '/admin/reviews')).toEqual([]);
  });
  test.each(['/admin', '/admin/orders', '/admin/products', '/admin/creators', '/admin/payouts', '/admin/coupons'])('admin: %s', async (path) => {
    expect(await seriousProblems(admin, path)).toEqual([]);
  });
});
