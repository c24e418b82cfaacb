/**
 * The shop admin creates a product and a reader buys it (docs/decisions/0043-product-admin.md):
 * the admin — without JavaScript, so the plain forms are what is proven — adds a brand, creates a
 * product with two sizes (the variant grid generated from the sizes), uploads an image with alt
 * text; the product is in /shop and on its product page with the uploaded image (srcset); a reader
 * buys size M with the test payment and the order line is that SKU. Then a slug change redirects,
 * and archiving takes it off sale. Its own brand, product and buyer: runnable alone, in any order.
 */
import { AxeBuilder } from '@axe-core/playwright';
import sharp from 'sharp';
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { e2eDb, login, newPage } from './helpers/browser.ts';
import { uniqueTag } from './helpers/fixtures.ts';

async function pngBytes(): Promise<Buffer> {
  // A real photo-sized PNG: a warm gradient, so the pipeline has something to render.
  const width = 800;
  const height = 1000;
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      raw[i] = 180 + Math.round((x / width) * 60);
      raw[i + 1] = 120 + Math.round((y / height) * 60);
      raw[i + 2] = 90;
    }
  }
  return sharp(raw, { raw: { width, height, channels: 3 } }).png().toBuffer();
}

async function submit(page: Page, name: string | RegExp): Promise<void> {
  await Promise.all([page.waitForLoadState('load'), page.waitForNavigation(), page.getByRole('button', { name }).first().click()]);
}

describe('admin creates a product, a reader buys it', () => {
  test('two sizes and an uploaded image, in the shop, bought with the test payment', async () => {
    const tag = uniqueTag();
    const brand = `Studio ${tag}`;
    const title = `Linen Overshirt ${tag}`;
    const slug = `linen-overshirt-${tag}`.toLowerCase();
    const sku = `OVR-${tag}`.toUpperCase();

    // ── The admin, with JavaScript off: the plain forms ──
    const admin = await newPage({ javaScriptEnabled: false, viewport: { width: 1366, height: 900 } });
    await login(admin);
    await admin.goto('/admin/catalog');
    await admin.getByLabel('New brand', { exact: true }).fill(brand);
    await submit(admin, 'Add brand');
    expect(await admin.locator('.flash').first().innerText()).toContain(`Brand ${brand} added.`);

    await admin.goto('/admin/products/new');
    await admin.getByLabel('Title', { exact: true }).fill(title);
    await admin.getByLabel('Sizes', { exact: true }).fill('S, M');
    await submit(admin, 'Update the variant grid');
    expect(await admin.getByRole('region', { name: /Variants/ }).locator('tbody tr').count()).toBe(2);

    // A bad save first: messages next to the fields, nothing written.
    await admin.getByLabel('S: SKU', { exact: true }).fill(`${sku}-S`);
    await admin.getByLabel('S: price', { exact: true }).fill('1,299');
    await submit(admin, 'Create product');
    expect(await admin.locator('.alert').first().innerText()).toContain('Nothing was saved');
    expect(await admin.locator('#f-brandId-error').innerText()).toBe('Choose a brand.');
    expect(await admin.locator('#f-v0_price-error').innerText()).toContain('no thousands separators');
    expect(await admin.getByLabel('Title', { exact: true }).inputValue()).toBe(title);

    await admin.getByLabel('Brand', { exact: true }).selectOption({ label: brand });
    await admin.getByLabel('Category', { exact: true }).selectOption({ index: 1 });
    await admin.getByLabel('Description', { exact: true }).fill('A light **linen** overshirt.\n\n- Boxy fit\n- Corozo buttons');
    await admin.getByLabel('S: price', { exact: true }).fill('89.00');
    await admin.getByLabel('S: on hand', { exact: true }).fill('4');
    await admin.getByLabel('M: SKU', { exact: true }).fill(`${sku}-M`);
    await admin.getByLabel('M: price', { exact: true }).fill('89.00');
    await admin.getByLabel('M: compare-at price', { exact: true }).fill('120.00');
    await admin.getByLabel('M: on hand', { exact: true }).fill('3');
    await submit(admin, 'Create product');
    expect(new URL(admin.url()).pathname).toMatch(/^\/admin\/products\/\d+$/);
    expect(await admin.locator('.flash').first().innerText()).toContain('Product created');
    const editPath = new URL(admin.url()).pathname;

    // Upload an image through the media pipeline, with alt text.
    await admin.locator('#up-file').setInputFiles({ name: 'overshirt.png', mimeType: 'image/png', buffer: await pngBytes() });
    await admin.getByLabel('Alt text', { exact: true }).fill('Sand linen overshirt, front');
    await submit(admin, 'Upload image');
    expect(await admin.locator('.flash').first().innerText()).toContain('Image added.');
    expect(await admin.locator('#gallery img').first().getAttribute('alt')).toBe('Sand linen overshirt, front');

    // ── A reader ──
    const reader = await newPage({ viewport: { width: 390, height: 844 } });
    const brandSlug = brand.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    await reader.goto(`/shop?brand=${brandSlug}`);
    await expect.poll(() => reader.getByRole('link', { name: title }).count()).toBeGreaterThan(0);
    await Promise.all([reader.waitForURL((u) => u.pathname === `/products/${slug}`), reader.getByRole('link', { name: title }).first().click()]);
    const hero = reader.locator('.pdp__gallery img').first();
    expect(await hero.getAttribute('alt')).toBe('Sand linen overshirt, front');
    expect(await reader.locator('.pdp__gallery source[type="image/avif"]').first().getAttribute('srcset')).toMatch(/\/media\/[A-Za-z0-9_-]+\/\d+\.avif \d+w/);
    expect(await hero.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    expect(await reader.locator('.pdp__prose strong').innerText()).toBe('linen');

    await reader.locator('label.size', { has: reader.locator(`input[value="${sku}-M"]`) }).click();
    expect(await reader.locator('input[name="sku"]:checked').inputValue()).toBe(`${sku}-M`);
    const added = reader.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname.startsWith('/bag'));
    await reader.getByRole('button', { name: 'Add to bag' }).click();
    await added;
    await reader.waitForLoadState('load');
    await expect.poll(async () => (await reader.locator('[data-add-message], [data-bag-status]').allInnerTexts()).join(' ') + ' ' + reader.url()).toMatch(/Added|\/bag/);
    await reader.goto('/bag');
    expect(await reader.locator('main').innerText()).toContain(title);
    await Promise.all([reader.waitForURL((u) => u.pathname === '/checkout'), reader.getByRole('link', { name: 'Check out' }).click()]);
    await reader.getByLabel('Email', { exact: true }).fill(`e2e-product-${tag}@example.com`.toLowerCase());
    await reader.getByLabel('Full name', { exact: true }).fill('Ada Lovelace');
    await reader.getByLabel('Street address', { exact: true }).fill('12 Analytical Row');
    await reader.getByLabel('City', { exact: true }).fill('London');
    await reader.getByLabel('Postcode', { exact: true }).fill('SW1A 1AA');
    await reader.getByLabel('Country', { exact: true }).selectOption('GB');
    await reader.getByRole('radio', { name: /Standard delivery/ }).check();
    await Promise.all([reader.waitForURL((u) => u.pathname.startsWith('/pay/test/')), reader.getByRole('button', { name: /^Continue to test payment/ }).click()]);
    await Promise.all([reader.waitForURL((u) => u.pathname.startsWith('/orders/') && u.searchParams.has('t')), reader.getByRole('button', { name: /^Pay .*\(test\)$/ }).click()]);

    const db = await e2eDb();
    const line = (await db.$client.execute({ sql: `select l.sku, l.qty, o.status from order_lines l join orders o on o.id = l.order_id where l.sku = ?`, args: [`${sku}-M`] })).rows[0];
    expect(line).toMatchObject({ sku: `${sku}-M`, qty: 1 });
    expect(String(line!.status)).toMatch(/paid|processing|confirmed/);
    const stock = (await db.$client.execute({ sql: 'select stock_on_hand from variants where sku = ?', args: [`${sku}-M`] })).rows[0];
    expect(Number(stock!.stock_on_hand)).toBe(2);

    // ── The admin's page still says 3 on hand: saving a new stock number is refused, in words ──
    await admin.getByLabel('M: on hand', { exact: true }).fill('10');
    await submit(admin, 'Save product');
    expect(await admin.locator('#f-v1_stock-error').innerText()).toBe('M: 1 sold since you opened this page: stock is now 2, not 3 — check and save again.');
    expect(Number((await db.$client.execute({ sql: 'select stock_on_hand from variants where sku = ?', args: [`${sku}-M`] })).rows[0]!.stock_on_hand)).toBe(2);

    // ── A new address redirects from the old one; archiving takes it off sale ──
    await admin.goto(editPath);
    await admin.getByLabel('Address', { exact: true }).fill(`${slug}-2`);
    await submit(admin, 'Save product');
    expect(await admin.locator('.flash').first().innerText()).toContain('Saved.');
    const moved = await reader.request.get(`/products/${slug}`, { maxRedirects: 0 });
    expect(moved.status()).toBe(301);
    expect(moved.headers().location).toBe(`/products/${slug}-2`);
    await reader.goto(`/products/${slug}`);
    expect(new URL(reader.url()).pathname).toBe(`/products/${slug}-2`);

    await submit(admin, `Archive ${title}`);
    expect(await admin.locator('.pe-confirm').innerText()).toContain('It leaves the shop for good');
    await submit(admin, `Yes, archive ${title}`);
    expect(await admin.locator('.flash').first().innerText()).toContain('Archived');
    const gone = await reader.goto(`/products/${slug}-2`);
    expect(gone?.status()).toBe(410);
    expect(await reader.locator('main').innerText()).toContain('no longer available');
    expect(await reader.getByRole('button', { name: 'Add to bag' }).count()).toBe(0);
  });
});

describe('the product admin under axe (WCAG 2 A/AA), desktop and phone', () => {
  async function seriousProblems(page: Page): Promise<string[]> {
    const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.nodes.length}): ${v.nodes[0]?.target.join(' ')} — ${v.help}`);
  }

  test.each([1366, 390])('new (with field errors), edit and brands & categories at %i px: no serious problems, no sideways scroll', async (width) => {
    const page = await newPage({ viewport: { width, height: 900 } });
    await login(page);
    await page.goto('/admin/products/new');
    await page.getByLabel('Sizes', { exact: true }).fill('S, M');
    await submit(page, 'Update the variant grid');
    await page.getByLabel('S: price', { exact: true }).fill('1,299');
    await submit(page, 'Create product');
    const checks: [string, string[]][] = [['new with errors', await seriousProblems(page)]];
    const sideways = async () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(await sideways()).toBe(0);
    const db = await e2eDb();
    const id = Number((await db.$client.execute("select id from products where active = 1 order by id limit 1")).rows[0]!.id);
    for (const path of [`/admin/products/${id}`, '/admin/catalog']) {
      await page.goto(path);
      checks.push([path, await seriousProblems(page)]);
      expect(await sideways(), `${path} scrolls sideways`).toBe(0);
    }
    expect(checks.filter(([, p]) => p.length > 0)).toEqual([]);
  });
});
