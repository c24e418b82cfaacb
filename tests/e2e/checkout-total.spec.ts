/**
 * "No surprises in the total" without JavaScript: the checkout summary is computed for the shipping
 * method shown; a buyer who picks another method (which costs more) is asked to confirm the new
 * total before anything is ordered, and then pays exactly that. Uses LBT-BLK-S (Leather Belt,
 * Black / S, $69.00, 9 in stock), which no other spec buys.
 */
import { describe, expect, test } from 'vitest';
import { newPage } from './helpers/browser.ts';

const cents = (text: string) => Number(text.replace(/[^\d]/g, ''));

describe('checkout total without JavaScript', () => {
  test('a changed shipping method must be confirmed, then the payment asks exactly the confirmed total', async () => {
    const page = await newPage({ javaScriptEnabled: false });
    await page.goto('/products/leather-belt?colour=Black');
    await page.locator('input[name="sku"][value="LBT-BLK-S"]').check({ force: true });
    await Promise.all([page.waitForURL(/\/bag/), page.getByRole('button', { name: 'Add to bag' }).first().click()]);
    await page.goto('/checkout');
    const shownFirst = cents(await page.locator('[data-total]').innerText());
    expect(shownFirst).toBe(6900 + 595); // standard shipping is what the summary shows by default

    await page.getByLabel('Email').fill(`e2e-total-${Date.now().toString(36)}@example.com`);
    await page.getByLabel('Full name').fill('Katherine Johnson');
    await page.getByLabel('Street address').fill('1 Orbit Way');
    await page.getByLabel('City').fill('Hampton');
    await page.getByLabel('State').fill('VA');
    await page.getByLabel('Postcode').fill('23666');
    await page.getByLabel('Country').selectOption('US');
    await page.getByRole('radio', { name: /Express delivery/ }).check();
    await page.getByRole('button', { name: /Continue to test payment/ }).click();

    // Not placed: the page says the total changed and shows the new one.
    expect(new URL(page.url()).pathname).toBe('/checkout');
    expect(await page.getByRole('alert').innerText()).toMatch(/Your total is now \$83\.95/);
    const confirmed = cents(await page.locator('[data-total]').innerText());
    expect(confirmed).toBe(6900 + 1495);

    await Promise.all([page.waitForURL(/\/pay\/test\//), page.getByRole('button', { name: /Continue to test payment/ }).click()]);
    expect(cents(await page.locator('.amount').innerText())).toBe(confirmed);
  });
});
