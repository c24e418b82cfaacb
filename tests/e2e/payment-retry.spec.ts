/**
 * Failed or unfinished test payments do not dead-end, at 390 px and 1366 px: "Pay later" leads to
 * an order page that offers "Pay now" while the hold lives (a new payment for the same order);
 * "Decline" says the hold ended and leads back to the bag, whose item is still there; Back from
 * the payment page with the last unit still lets the buyer place the order again (their own hold
 * is theirs). No page mentions a confirmation email before one was sent.
 */
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { e2eDb, newPage } from './helpers/browser.ts';
import { e2eProduct } from './helpers/fixtures.ts';

async function toTestPayment(page: Page, slug: string, email: string): Promise<string> {
  await page.goto(`/products/${slug}`);
  await Promise.all([page.waitForResponse((r) => new URL(r.url()).pathname === '/bag/add' && r.request().method() === 'POST'), page.getByRole('button', { name: 'Add to bag' }).click()]);
  await page.goto('/checkout');
  return place(page, email);
}

async function place(page: Page, email: string): Promise<string> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Full name').fill('Ada Lovelace');
  await page.getByLabel('Street address').fill('12 Analytical Row');
  await page.getByLabel('City').fill('London');
  await page.getByLabel('Postcode').fill('SW1A 1AA');
  await page.getByLabel('Country').selectOption('GB');
  const button = page.getByRole('button', { name: /^Continue to test payment/ });
  expect(await button.isEnabled()).toBe(true);
  await Promise.all([page.waitForURL((u) => u.pathname.startsWith('/pay/test/')), button.click()]);
  return (await page.getByRole('heading', { level: 1 }).innerText()).replace(/^Pay for order\s+/, '').trim();
}

async function statusOf(number: string): Promise<string> {
  const db = await e2eDb();
  return String((await db.$client.execute({ sql: 'select status from orders where number = ?', args: [number] })).rows[0]!.status);
}

const noOverflow = async (page: Page, width: number) => expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);

describe.each([390, 1366])('at %i px', (width) => {
  test('"Pay later", then "Pay now" on the order page pays the same order', async () => {
    const made = await e2eProduct({ stock: 2 });
    const page = await newPage({ viewport: { width, height: 900 } });
    const number = await toTestPayment(page, made.slug, `e2e-later-${width}-${Date.now()}@example.com`);
    expect(await page.locator('main').innerText()).toContain('Pay later keeps them held');
    await Promise.all([page.waitForURL((u) => u.pathname === `/orders/${number}`), page.getByRole('button', { name: 'Pay later' }).click()]);
    const main = await page.locator('section.order').innerText();
    expect(main).toMatch(/Your items are held for you for \d+ more minutes?/);
    expect(main).not.toContain('confirmation email');
    await page.screenshot({ path: `/tmp/order-pay-later-${width}.png`, fullPage: true });
    await noOverflow(page, width);

    await Promise.all([page.waitForURL((u) => u.pathname.startsWith('/pay/test/')), page.getByRole('button', { name: /^Pay now/ }).click()]);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(`Pay for order ${number}`);
    await Promise.all([page.waitForURL((u) => u.pathname === `/orders/${number}`), page.getByRole('button', { name: /^Pay .*\(test\)$/ }).click()]);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Thank you — your order is confirmed');
    expect(await statusOf(number)).toBe('paid');
    expect(await page.locator('section.order').innerText()).toContain('Reply to your confirmation email');
  });

  test('"Decline" says the hold ended and leads back to the bag, which still has the item', async () => {
    const made = await e2eProduct({ stock: 1 });
    const page = await newPage({ viewport: { width, height: 900 } });
    const number = await toTestPayment(page, made.slug, `e2e-declined-${width}-${Date.now()}@example.com`);
    await Promise.all([page.waitForURL((u) => u.pathname === `/orders/${number}`), page.getByRole('button', { name: 'Decline payment' }).click()]);
    const main = await page.locator('section.order').innerText();
    expect(main).toContain('Nothing was charged, and the hold on your items has ended');
    expect(main).not.toContain('confirmation email');
    await page.screenshot({ path: `/tmp/order-declined-${width}.png`, fullPage: true });
    await noOverflow(page, width);
    await Promise.all([page.waitForURL((u) => u.pathname === '/bag'), page.getByRole('link', { name: 'Back to your bag to try again' }).click()]);
    expect(await page.locator('main').innerText()).toContain(made.name);
  });

  test('Back from the payment page with the last unit: the buyer can place the order again', async () => {
    const made = await e2eProduct({ stock: 1 });
    const page = await newPage({ viewport: { width, height: 900 } });
    const email = `e2e-back-${width}-${Date.now()}@example.com`;
    const first = await toTestPayment(page, made.slug, email);
    await page.goto('/bag');
    expect(await page.locator('main').innerText()).not.toMatch(/Sold out/);
    await page.goto('/checkout');
    const second = await place(page, email);
    expect(second).not.toBe(first);
    expect(await statusOf(first)).toBe('canceled');
    await page.screenshot({ path: `/tmp/pay-second-${width}.png`, fullPage: true });
  });
});
