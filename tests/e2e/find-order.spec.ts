/**
 * What a buyer who lost their order email meets, and what a creator reads on a phone: the order
 * page without its link offers "find my order" (a fresh link by email, the same answer whatever is
 * typed), and the creator dashboard at 390 px (labels at 12 px or more, nothing wider than the
 * screen, a chart whose bars can be focused and read). Real Chromium against the built server.
 */
import type { Page } from 'playwright-core';
import { eq, gt } from 'drizzle-orm';
import { describe, expect, onTestFinished, test } from 'vitest';
import { orders, variants } from '../../db/schema/index.ts';
import { releaseOrder } from '../../src/server/orders/index.ts';
import { fillBag, placeTestOrder } from '../helpers/checkout.ts';
import { DEMO_CREATOR_PASSWORD } from '../../scripts/seed/fixtures.ts';
import { e2eDb, login, newPage, openEmail, waitForEmail } from './helpers/browser.ts';

const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1366, height: 900 };

async function pageWidth(page: Page) {
  return page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
}

describe('find my order', () => {
  test('an order page without its link offers a fresh link by email; the link opens the order', async () => {
    // An order of our own, placed through the real checkout functions; released at the end so
    // its hold gives the stock back to the other specs.
    const db = await e2eDb();
    const v = (await db.select({ sku: variants.sku }).from(variants).where(gt(variants.stockOnHand, 5)).limit(1))[0]!;
    const placed = await placeTestOrder(db, await fillBag(db, [{ sku: v.sku, qty: 1 }]), { form: { email: `e2e-find-${Date.now().toString(36)}@example.com`, region: 'NY', postcode: '11249', city: 'Brooklyn' } });
    if (!placed.ok) throw new Error(`placeOrder: ${JSON.stringify(placed)}`);
    onTestFinished(() => db.transaction((tx) => releaseOrder(tx, placed.orderId, { now: Date.now(), actor: 'system', note: 'e2e find-order test order' })).then(() => undefined));
    const order = (await db.select({ number: orders.number, email: orders.email }).from(orders).where(eq(orders.id, placed.orderId)))[0]!;
    const page = await newPage({ viewport: PHONE });
    const res = await page.goto(`/orders/${order.number}`);
    expect(res?.status()).toBe(404);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('This order link is incomplete');
    expect(await page.locator('main').innerText()).not.toMatch(/sold out/i);
    const form = page.getByRole('form', { name: 'Find my order' });
    expect(await form.getByLabel('Order number').inputValue()).toBe(order.number);
    expect(await pageWidth(page)).toEqual({ scroll: 390, client: 390 });
    await page.screenshot({ path: '/tmp/find-order-390.png', fullPage: true });

    // A wrong email gets exactly the same answer as the right one.
    await form.getByLabel('Email you ordered with').fill('nobody@example.com');
    await Promise.all([page.waitForURL((u) => u.pathname === '/orders/find'), form.getByRole('button', { name: 'Email me a link to my order' }).click()]);
    const neutral = await page.locator('main').getByRole('status').innerText();
    expect(neutral).toContain('If that email address and order number belong to an order');

    await page.goto('/orders/find');
    await page.getByLabel('Email you ordered with').fill(order.email.toUpperCase());
    await page.getByLabel('Order number').fill(order.number.toLowerCase());
    await Promise.all([page.waitForURL((u) => u.pathname === '/orders/find'), page.getByRole('button', { name: 'Email me a link to my order' }).click()]);
    expect(await page.locator('main').getByRole('status').innerText()).toBe(neutral);

    const row = await waitForEmail(page, { to: order.email, kind: 'order_link' });
    const mail = await openEmail(page, row.id);
    const link = mail.links.find((l) => new URL(l).pathname === `/orders/${order.number}`)!;
    expect((await page.goto(link))?.status()).toBe(200);
    expect(await page.locator('.eyebrow').first().textContent()).toBe(`Order ${order.number}`);
    // The address reads the way its country writes it.
    expect(await page.locator('address').innerText()).toContain('Brooklyn, NY 11249');
    await page.screenshot({ path: '/tmp/order-390.png', fullPage: true });
    await page.setViewportSize(LAPTOP);
    await page.screenshot({ path: '/tmp/order-1366.png', fullPage: true });
  });

  test('bad input is answered next to the field, and nothing is sent', async () => {
    const page = await newPage({ viewport: LAPTOP, javaScriptEnabled: false });
    await page.goto('/orders/find');
    await page.getByLabel('Email you ordered with').fill('not-an-email');
    await page.getByLabel('Order number').fill('12');
    const [res] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Email me a link to my order' }).click()]);
    expect(res?.status()).toBe(400);
    expect(await page.locator('#find-email-err').innerText()).toBe('Enter an email address like name@example.com.');
    expect(await page.locator('#find-number-err').innerText()).toContain('It looks like LB-7KX4-M2QD');
  });
});

describe('creator dashboard on a phone', () => {
  test('readable at 390 px: labels ≥ 12 px, tables scroll in their own box, chart bars focusable with their value', async () => {
    const page = await newPage({ viewport: PHONE });
    await login(page, { email: 'maya-okafor@lookbook.test', password: DEMO_CREATOR_PASSWORD });
    expect((await page.goto('/dashboard?days=90'))?.status()).toBe(200);
    expect(await pageWidth(page)).toEqual({ scroll: 390, client: 390 });
    const smallest = await page.evaluate(() =>
      Math.min(...[...document.querySelectorAll('.daily-chart__yaxis span, .daily-chart__xaxis span')].map((e) => parseFloat(getComputedStyle(e).fontSize) * (e.getBoundingClientRect().height > 0 ? 1 : Infinity))),
    );
    expect(smallest).toBeGreaterThanOrEqual(12);
    // Whole-number ticks on the orders axis (once the island has hydrated).
    await page.locator('.daily-chart').scrollIntoViewIfNeeded();
    await page.locator('astro-island:not([ssr]) .daily-chart').waitFor();
    await page.getByRole('button', { name: 'Orders', exact: true }).click();
    await page.getByRole('button', { name: 'Orders', exact: true, pressed: true }).waitFor();
    const ticks = await page.locator('.daily-chart__yaxis span').allInnerTexts();
    for (const t of ticks) expect(t).toMatch(/^\d+$/);
    // A bar takes focus and says its day and value.
    const bar = page.locator('.daily-chart__bar[tabindex="0"]');
    await bar.focus();
    expect(await bar.getAttribute('aria-label')).toMatch(/^[A-Z][a-z]{2} \d{1,2}: \d+ orders?$/);
    await page.keyboard.press('ArrowLeft');
    expect(await page.locator('.daily-chart__readout').innerText()).toMatch(/: \d+ orders?$/);
    // Wide tables scroll inside their box, not the page.
    const wraps = await page.locator('.table-wrap').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().right));
    for (const r of wraps) expect(r).toBeLessThanOrEqual(390);
    expect(await page.getByText('How these are counted').count()).toBe(1);
    await page.screenshot({ path: '/tmp/dashboard-390.png', fullPage: true });
    await page.setViewportSize(LAPTOP);
    await page.screenshot({ path: '/tmp/dashboard-1366.png', fullPage: true });
  });
});
