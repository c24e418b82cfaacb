/**
 * Pre-orders (预售) as a reader meets them, in Chromium (docs/decisions/0055-presale-selling.md):
 * a product with no stock on pre-order reads "Pre-order — ships on …" and its button says
 * Pre-order; the bag, the checkout summary, the paid order's page and the confirmation email state
 * the ship date; once the cap is sold the next reader finds it full. The same purchase works with
 * JavaScript off. Everything is made here (unique names), so the spec runs alone or in any order.
 */
import { describe, expect, test } from 'vitest';
import { setPresale } from '../../src/server/flows/index.ts';
import { preorderNote, shipDateText, shopDate } from '../../src/server/sales/index.ts';
import { newPage, openEmail, waitForEmail } from './helpers/browser.ts';
import { e2eTwoSizeProduct } from './helpers/fixtures.ts';
import { checkoutAndPayAsGuest, e2eApp, READER_UA } from './helpers/social.ts';

const DAY = 86_400_000;

/** A two-size jacket with no stock, on pre-order up to `cap` units, shipping in 30 days. */
async function preorderJacket(cap: number) {
  const app = await e2eApp();
  const { id, slug, name, skus, tag } = await e2eTwoSizeProduct({ name: 'Pre-order Jacket', stock: 0, priceCents: 12900 });
  const tz = app.config.shop.timeZone;
  const shipsOn = shopDate(Date.now() + 30 * DAY, tz);
  const r = await setPresale(app, { user: { id: 1, role: 'admin' } as never, productId: id, fields: { shipsOn, cap: String(cap) } });
  if (!r.ok) throw new Error(JSON.stringify(r));
  const today = shopDate(Date.now(), tz);
  return { slug, name, skus, shipsOn, words: shipDateText(shipsOn, today), note: preorderNote(shipsOn, today), tag };
}

describe('pre-orders', () => {
  test('sold before stock: the date on the page, bag, checkout, order and email; full once the cap is sold', async () => {
    const jacket = await preorderJacket(2);
    const email = `preorder-${jacket.tag}@example.com`;
    const reader = await newPage({ userAgent: READER_UA, viewport: { width: 390, height: 844 } });
    await reader.goto(`/products/${jacket.slug}`);
    const main = reader.locator('main');
    expect(await main.innerText()).toContain(`Pre-order — ships on ${jacket.words}`);
    expect(await main.innerText()).toContain(`Pre-order: ships from ${jacket.words}.`);
    await reader.locator('label', { has: reader.locator(`input[value="${jacket.skus.M}"]`) }).click();
    await reader.getByLabel('Quantity').fill('2');
    await reader.getByRole('button', { name: 'Pre-order', exact: true }).click();
    // The bag drawer adds without leaving the page: wait until the bag holds the two.
    await expect.poll(async () => (await (await reader.request.get('/bag.json')).json()).count, { timeout: 10_000 }).toBe(2);
    await reader.goto('/bag');
    expect(await main.innerText()).toContain(jacket.note);

    await reader.goto('/checkout');
    expect(await reader.getByRole('complementary').innerText()).toContain(jacket.note);
    await checkoutAndPayAsGuest(reader, { email, name: 'Pat Preorder', line1: '4 Waiting Lane' });
    expect(await main.innerText()).toContain(jacket.note);
    const mail = await waitForEmail(reader, { to: email, kind: 'order_confirmation' });
    expect((await openEmail(reader, mail.id)).text).toContain(jacket.note);

    // The cap (2) is sold: the next reader finds pre-orders full and cannot buy.
    const next = await newPage({ userAgent: READER_UA });
    await next.goto(`/products/${jacket.slug}`);
    expect(await next.locator('main').innerText()).toContain(`Pre-orders are full — ships on ${jacket.words}`);
    expect(await next.getByRole('button', { name: 'Sold out' }).isDisabled()).toBe(true);
  });

  test('with JavaScript off, the pre-order goes in the bag with its date', async () => {
    const jacket = await preorderJacket(5);
    const reader = await newPage({ userAgent: READER_UA, javaScriptEnabled: false });
    await reader.goto(`/products/${jacket.slug}`);
    await reader.locator('label', { has: reader.locator(`input[value="${jacket.skus.S}"]`) }).click();
    await Promise.all([reader.waitForURL((u) => u.pathname === '/bag'), reader.getByRole('button', { name: 'Pre-order', exact: true }).click()]);
    const bag = await reader.locator('main').innerText();
    expect(bag).toContain(jacket.name);
    expect(bag).toContain(jacket.note);
  });
});
