/**
 * Every admin page on a phone (390 × 844), signed in as the admin: the page never scrolls sideways
 * (document width ≤ 390 px; wide tables scroll inside their own labelled region) and axe (WCAG 2
 * A/AA) finds no serious or critical problem. Detail pages (an order, a creator, a payout batch, a
 * customer) are reached through the first link of their list, as a person would; the spec makes
 * them first (a creator's sale 40 days ago, past the lock window, paid out in a batch; a sale today
 * to a long email address; a creator with a long display name).
 *
 * ADMIN_SHOTS=<dir> also writes a full-page PNG of each page at 390 and 1366 px there.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { e2eDb, login, newPage } from './helpers/browser.ts';
import { e2eCreator, e2eProduct } from './helpers/fixtures.ts';
import { testApp } from '../helpers/app.ts';
import { buy } from '../helpers/buy.ts';
import { eq } from 'drizzle-orm';
import { creators } from '../../db/schema/index.ts';
import { createPayoutBatch, previewPayoutBatch } from '../../src/server/commissions/index.ts';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 900 };
const SHOTS = process.env.ADMIN_SHOTS;
if (SHOTS) mkdirSync(SHOTS, { recursive: true });

const LISTS = [
  '/admin',
  '/admin?period=today',
  '/admin?period=30d',
  '/admin/orders',
  '/admin/orders?view=to-ship',
  '/admin/products',
  '/admin/products/new',
  '/admin/products/import',
  '/admin/catalog',
  '/admin/customers',
  '/admin/coupons',
  '/admin/creators',
  '/admin/payouts',
];
/** A detail page: the first link of a list that matches. */
const DETAILS: { name: string; list: string; link: string }[] = [
  { name: 'order', list: '/admin/orders', link: 'table a[href^="/admin/orders/"]' },
  { name: 'packing slip', list: '/admin/orders', link: 'table a[href^="/admin/orders/"]' },
  { name: 'product', list: '/admin/products', link: 'table a[href^="/admin/products/"]' },
  { name: 'creator', list: '/admin/creators', link: 'table a[href^="/admin/creators/"]' },
  { name: 'payout', list: '/admin/payouts', link: 'table a[href^="/admin/payouts/"]:not([href$=".csv"])' },
  { name: 'customer', list: '/admin/customers', link: 'table a[href^="/admin/customers/"]' },
];

const slug = (path: string) => path.replace(/^\/+/, '').replace(/[^a-z0-9]+/gi, '-') || 'home';

async function check(page: Page, path: string): Promise<{ width: number; problems: string[] }> {
  const res = await page.goto(path);
  expect(res?.status(), `${path} status`).toBeLessThan(400);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  if (width > PHONE.width && page.viewportSize()?.width === PHONE.width) {
    // Say what sticks out (outside the scrolling table regions), so a failure names the culprit.
    const culprits = await page.evaluate((max) => {
      const out: string[] = [];
      for (const el of document.querySelectorAll<HTMLElement>('body *')) {
        if (el.closest('.admin-table-wrap')) continue;
        const r = el.getBoundingClientRect();
        if (r.right > max + 0.5) out.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${[...el.classList].join('.')} right=${Math.round(r.right)}`);
      }
      return out.slice(0, 8);
    }, PHONE.width);
    console.log(`${path} is ${width}px wide:`, culprits);
  }
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  const problems = axe.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.nodes.length}): ${v.nodes[0]?.target.join(' ')} — ${v.help}`);
  if (SHOTS) await page.screenshot({ path: join(SHOTS, `${slug(path)}-390.png`), fullPage: true });
  return { width, problems };
}

describe('admin on a phone', () => {
  let phone: Page;
  let desktop: Page;
  const details = new Map<string, string>();

  beforeAll(async () => {
    const db = await e2eDb();
    const app = testApp(db);
    const creator = await e2eCreator();
    // A long display name: the inviter list on /admin/creators once widened the page past 390 px.
    const other = await e2eCreator();
    await db.update(creators).set({ displayName: 'Alexandra Konstantinopoulou-Whitfield Styling Studio' }).where(eq(creators.id, other.id));
    const product = await e2eProduct({ stock: 20, name: 'Heavyweight Organic Cotton Overshirt With A Long Name' });
    const now = Date.now();
    await buy(app, [{ sku: product.sku, qty: 2, creator: creator.handle }], { email: 'first.buyer@example.com', at: now - 40 * 86_400_000 });
    await buy(app, [{ sku: product.sku, qty: 1, creator: creator.handle }], { email: 'a.rather.long.customer.address+newsletter@example-company.co.uk', at: now - 60_000 });
    const preview = await previewPayoutBatch(db, { thresholdCents: 1 });
    const batch = await createPayoutBatch(db, { thresholdCents: 1, createdBy: 'admin:e2e@lookbook.test', expectFingerprint: preview.fingerprint });
    if (!batch.ok) throw new Error(`payout batch: ${batch.message}`);

    phone = await newPage({ viewport: PHONE, deviceScaleFactor: 1, isMobile: true, hasTouch: true });
    await login(phone);
    desktop = await newPage({ viewport: DESKTOP });
    await login(desktop);
    for (const d of DETAILS) {
      await phone.goto(d.list);
      const href = await phone.locator(d.link).first().getAttribute('href', { timeout: 5_000 }).catch(() => null);
      if (href) details.set(d.name, d.name === 'packing slip' ? `${href}/packing-slip` : href);
    }
  }, 60_000);

  test.each(LISTS)('%s fits 390 px, no serious axe problem', async (path) => {
    const { width, problems } = await check(phone, path);
    expect(width, `${path} is ${width}px wide`).toBeLessThanOrEqual(PHONE.width);
    expect(problems).toEqual([]);
  });

  test.each(DETAILS.map((d) => d.name))('the %s page (first in its list) fits 390 px, no serious axe problem', async (name) => {
    const path = details.get(name);
    expect(path, `no ${name} link in its list`).toBeTruthy();
    const { width, problems } = await check(phone, path!);
    expect(width, `${path} is ${width}px wide`).toBeLessThanOrEqual(PHONE.width);
    expect(problems).toEqual([]);
  });

  test('tables scroll inside a labelled region, and the nav wraps instead of overflowing', async () => {
    await phone.goto('/admin/customers');
    const regions = await phone.locator('.admin-table-wrap').evaluateAll((els) =>
      els.map((el) => ({ role: el.getAttribute('role'), label: el.getAttribute('aria-label'), tabindex: el.getAttribute('tabindex') })),
    );
    expect(regions.length).toBeGreaterThan(0);
    for (const r of regions) expect(r).toEqual({ role: 'region', label: expect.stringMatching(/\S/), tabindex: '0' });
    const nav = await phone.locator('.admin-nav ul').evaluate((ul) => ({ scroll: ul.scrollWidth, client: ul.clientWidth, rows: new Set([...ul.children].map((li) => (li as HTMLElement).offsetTop)).size }));
    expect(nav.scroll).toBeLessThanOrEqual(nav.client);
    expect(nav.rows).toBeGreaterThan(1);
  });

  test('a customer is addressed by their encoded email: another spelling redirects, an unknown one is a 404', async () => {
    const res = await phone.goto('/admin/customers/First.Buyer@Example.com');
    expect(res?.status()).toBe(200);
    expect(new URL(phone.url()).pathname).toBe('/admin/customers/first.buyer%40example.com');
    await expect(phone.locator('h1').innerText()).resolves.toBe('first.buyer@example.com');
    // An encoded "/" stays inside the segment: still this page, just nobody by that address.
    for (const path of ['/admin/customers/nobody%40example.com', '/admin/customers/a%2Fb%40example.com']) {
      const r = await phone.goto(path);
      expect(r?.status(), path).toBe(404);
      await expect(phone.locator('h1').innerText(), path).resolves.toBe('Customer not found');
    }
    // A broken escape never reaches the page: the server refuses the address itself.
    expect((await phone.goto('/admin/customers/%E0%A4%A'))?.status()).toBe(400);
  });

  test('the same pages at 1366 px', async () => {
    for (const path of [...LISTS, ...details.values()]) {
      const res = await desktop.goto(path);
      expect(res?.status(), path).toBeLessThan(400);
      expect(await desktop.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(DESKTOP.width);
      if (SHOTS) await desktop.screenshot({ path: join(SHOTS, `${slug(path)}-1366.png`), fullPage: true });
    }
  });
});
