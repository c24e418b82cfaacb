/**
 * Credit, as people do it: a reader follows a creator's /r/ link, buys on the product page (not
 * from a post card, so the referral link is what credits the line), pays with test payments; the
 * creator logs in and sees the click, the order, the pending commission with its reason, and the
 * chart. The creator is made for this test (helpers/fixtures.ts), so every figure starts at zero
 * whatever else has run.
 *
 * Headless Chromium announces itself as "HeadlessChrome" and is (rightly) treated as a bot by the
 * click pipeline; the reader here uses an ordinary desktop Chrome user agent.
 */
import { describe, expect, test } from 'vitest';
import { login, newPage } from './helpers/browser.ts';
import { e2eCreator } from './helpers/fixtures.ts';

const READER_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';
const SKU = 'LBT-BRN-M'; // Leather Belt, Brown / M: $69.00, 11 in stock in the seed

describe('credit', () => {
  test("a creator's referral link credits the purchase, and the creator sees it on the dashboard", async () => {
    const maker = await e2eCreator();
    const reader = await newPage({ userAgent: READER_UA });
    const email = `e2e-credit-${Date.now().toString(36)}@example.com`;

    // 1. The creator's link: a click is recorded and the reader lands on the product.
    await reader.goto(`/r/${maker.code}?to=/products/leather-belt?colour=Brown`);
    expect(new URL(reader.url()).pathname).toBe('/products/leather-belt');
    const cookies = await reader.context().cookies();
    const ref = cookies.find((c) => c.name === 'lb_ref');
    expect(ref?.httpOnly).toBe(true);
    expect(ref?.sameSite).toBe('Lax');

    // An off-site target is refused: the reader stays on this site (the creator's page).
    const offsite = await newPage({ userAgent: READER_UA });
    await offsite.goto(`/r/${maker.code}?to=//evil.example/phish`);
    expect(new URL(offsite.url()).origin).toBe(new URL(reader.url()).origin);
    expect(new URL(offsite.url()).pathname).toBe(`/creators/${maker.handle}`);

    // 2. Buy on the product page and pay with the test provider.
    await reader.locator(`input[name="sku"][value="${SKU}"]`).check({ force: true });
    await reader.getByRole('button', { name: 'Add to bag' }).first().click();
    // With JavaScript the add is a fetch: wait until the header count says it landed.
    await expect.poll(() => reader.locator('[data-bag-count]').first().innerText()).toBe('1');
    await reader.goto('/checkout');
    await reader.getByLabel('Email').fill(email);
    await reader.getByLabel('Full name').fill('Grace Hopper');
    await reader.getByLabel('Street address').fill('1 Compiler Lane');
    await reader.getByLabel('City').fill('Arlington');
    await reader.getByLabel('State').fill('VA');
    await reader.getByLabel('Postcode').fill('22201');
    await reader.getByLabel('Country').selectOption('US');
    await Promise.all([reader.waitForURL(/\/pay\/test\//), reader.getByRole('button', { name: /Continue to test payment/ }).click()]);
    await Promise.all([reader.waitForURL(/\/orders\//), reader.getByRole('button', { name: /^Pay \$/ }).click()]);
    await expect.poll(() => reader.locator('main').innerText()).toMatch(/Paid/);

    // 3. The creator's dashboard: the click, the order, the pending commission and the reason.
    const creator = await newPage();
    await login(creator, { email: maker.email, password: maker.password });
    await creator.goto('/dashboard');
    const figure = (label: string) => creator.locator('.figure', { has: creator.locator('dt', { hasText: new RegExp(`^${label}$`) }) }).locator('.figure__value').first();
    // One click: the off-site attempt was the same visitor within 30 minutes, so it does not count again.
    expect(await figure('Clicks').innerText()).toBe('1');
    expect(await figure('Orders').innerText()).toBe('1');
    expect(await figure('Attributed sales').innerText()).toBe('$69.00');
    expect(await figure('Pending').innerText()).toBe('$6.90');
    const orders = creator.locator('#orders');
    await expect.poll(() => orders.innerText()).toMatch(/Leather Belt/);
    expect(await orders.innerText()).toMatch(/referral click|link/i);
    // The daily chart (an SVG island, with a table for no-JS and screen readers) has today's order.
    const chart = creator.locator('section.chart');
    expect(await chart.locator('svg').count()).toBe(1);
    const today = new Date().toISOString().slice(0, 10);
    const row = chart.locator('table tbody tr', { has: creator.locator(`time[datetime="${today}"]`) });
    expect((await row.locator('td').allTextContents()).map((t) => t.trim())).toEqual(['1', '1', '$69.00']);
    // Every other day of the range is empty.
    const others = await chart.locator('table tbody tr', { hasNot: creator.locator(`time[datetime="${today}"]`) }).locator('td').allTextContents();
    expect(others.length).toBeGreaterThan(0);
    expect(new Set(others.map((t) => t.trim()))).toEqual(new Set(['0', '$0.00']));
  });
});
