/**
 * The admin product list and its CSV in Chromium (docs/decisions/0044-product-csv.md). Without
 * JavaScript: a file with bad rows is checked and every problem listed by line and column, nothing
 * imported; the fixed file imports two new products; the list finds them by search, "Select all on
 * this page" + Deactivate acts on both; the filtered export imports back as "already matches".
 * With JavaScript, by keyboard: search, then Space on "Select all" ticks every row.
 * Its own products (a unique tag): runnable alone, in any order.
 */
import { AxeBuilder } from '@axe-core/playwright';
import { describe, expect, test } from 'vitest';
import { like } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { e2eDb, login, newPage } from './helpers/browser.ts';
import { uniqueTag } from './helpers/fixtures.ts';
import { products } from '../../db/schema/index.ts';

const HEADER = 'handle,title,brand,category,tags,description,seo_title,seo_description,active,archived,sku,size,colour,price,compare_at,stock,variant_active';

/** axe (WCAG 2 A/AA): the serious and critical problems on the page as it is now. */
async function seriousProblems(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

async function checkFile(page: Page, csv: string): Promise<void> {
  await page.goto('/admin/products/import');
  await page.setInputFiles('#import-file', { name: 'products.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await Promise.all([page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame() }), page.getByRole('button', { name: 'Check the file' }).click()]);
  await page.waitForLoadState('load');
}

describe('admin product list and CSV', () => {
  test('without JavaScript: dry run lists every problem, a clean file imports, bulk deactivate on the whole page, the export round-trips', async () => {
    const tag = uniqueTag();
    const page = await newPage({ javaScriptEnabled: false, viewport: { width: 1366, height: 900 } });
    await login(page);
    const db = await e2eDb();
    const a = `e2e-list-${tag}-a`;
    const b = `e2e-list-${tag}-b`;
    const sku = (x: string) => `E2E-${tag.toUpperCase()}-${x}`;
    const good = [
      HEADER,
      `${a},Tag ${tag} tote,oro-studio,bags,"e2e, tote",A sturdy tote.,,,yes,no,${sku('A')},One size,,49.00,,5,yes`,
      `${b},Tag ${tag} pouch,oro-studio,bags,,,,,yes,no,${sku('B')},One size,,19.50,25.00,8,yes`,
    ];
    const bad = [good[0], good[1]!.replace('49.00', '"49,00"'), good[2]!.replace('oro-studio', 'no-such-brand'), good[1]!.replace(`${a},`, `${a}-x,`)].join('\r\n');

    await checkFile(page, bad);
    const rows = await page.locator('#problems-caption').locator('xpath=..').locator('tbody tr').allInnerTexts();
    expect(rows.map((r) => r.replace(/\s+/g, ' ').trim())).toEqual([
      expect.stringMatching(/^2 price Price “49,00”: Use a dot for decimals/),
      expect.stringMatching(/^3 brand Unknown brand “no-such-brand”/),
      expect.stringMatching(new RegExp(`^4 sku The SKU ${sku('A')} is already on line 2 \\(${a}\\)`)),
    ]);
    expect(await page.locator('main [role="alert"]').first().innerText()).toMatch(/Nothing was imported: the file has 3 problems/);
    expect(await db.select().from(products).where(like(products.slug, `e2e-list-${tag}%`))).toEqual([]);

    await checkFile(page, good.join('\r\n'));
    expect(await page.locator('.import-ready').innerText()).toMatch(/2 products \(2 new\) and 2 variants \(2 new\)/);
    await Promise.all([page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame() }), page.getByRole('button', { name: 'Import 2 products' }).click()]);
    await page.waitForLoadState('load');
    expect(await page.locator('main .flash[role="status"]').innerText()).toMatch(/^Imported 2 products \(2 new, 0 updated\) and 2 variants \(2 new, 0 updated\)\./);

    // The list finds them; "Select all on this page" works without JavaScript (the page's ids come with the form).
    await page.goto('/admin/products');
    await page.getByLabel('Search').fill(tag);
    await Promise.all([page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame() }), page.getByRole('button', { name: 'Show' }).click()]);
    await page.waitForLoadState('load');
    expect(new URL(page.url()).searchParams.get('q')).toBe(tag);
    expect(await page.locator('#products-caption').innerText()).toMatch(/^2 products found/);
    expect(await page.getByRole('link', { name: `Tag ${tag} tote` }).getAttribute('href')).toMatch(/^\/admin\/products\/\d+$/);
    await page.getByLabel('Select all 2 on this page').check();
    await page.getByLabel('Action', { exact: true }).selectOption('deactivate');
    await Promise.all([page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame() }), page.getByRole('button', { name: 'Apply', exact: true }).click()]);
    await page.waitForLoadState('load');
    expect(await page.locator('main .flash[role="status"]').innerText()).toBe('2 products deactivated.');
    expect(new URL(page.url()).searchParams.get('q')).toBe(tag); // back on the same list
    expect((await db.select().from(products).where(like(products.slug, `e2e-list-${tag}%`))).map((p) => p.active)).toEqual([false, false]);

    // The filtered export, imported back, changes nothing.
    const res = await page.request.get(`/admin/products/export.csv?q=${tag}`);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toMatch(/^text\/csv/);
    const csv = await res.text();
    expect(csv).toContain(`,${sku('B')},One size,,19.50,25.00,8,yes`);
    await checkFile(page, csv);
    expect(await page.locator('.import-ready').innerText()).toMatch(/importing it changes nothing/);
    expect(await page.getByRole('button', { name: 'Import 0 products' }).isDisabled()).toBe(true);
    await page.context().close();
  });

  test('keyboard: search with Enter, Space on "Select all" ticks every row of the page', async () => {
    const page = await newPage({ viewport: { width: 390, height: 844 } });
    await login(page);
    await page.goto('/admin/products');
    await page.getByLabel('Search').focus();
    await page.keyboard.type('Oro Studio');
    await Promise.all([page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame() }), page.keyboard.press('Enter')]);
    await page.waitForLoadState('load');
    const n = await page.locator('[data-select]').count();
    expect(n).toBeGreaterThan(1);
    await page.locator('[data-select-all]').focus();
    await page.keyboard.press('Space');
    expect(await page.locator('[data-select]:checked').count()).toBe(n);
    expect(await page.locator('[data-selected-count]').innerText()).toBe(`${n} selected`);
    // Nothing on the page scrolls sideways at 390 px; the table scrolls inside its labelled region.
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
    expect(await page.locator('.admin-table-wrap[role="region"]').getAttribute('aria-labelledby')).toBe('products-caption');
    await page.context().close();
  });

  test('axe finds no serious problems on the list with a quick edit open, the dry run and the clean check, on a phone', async () => {
    const page = await newPage({ viewport: { width: 390, height: 844 } });
    await login(page);
    await page.goto('/admin/products?q=Oro%20Studio&stock=low');
    await page.locator('details.quick summary').first().click().catch(() => null);
    expect(await seriousProblems(page)).toEqual([]);
    await checkFile(page, `${HEADER}\nnew-thing,,nobody,bags,,,,,yes,no,NT-1,,,1.2.3,,x,maybe\n`);
    expect(await page.locator('#problems-caption').count()).toBe(1);
    expect(await seriousProblems(page)).toEqual([]);
    const csv = await (await page.request.get('/admin/products/export.csv?brand=oro-studio')).text();
    await checkFile(page, csv);
    expect(await page.locator('.import-ready').count()).toBe(1);
    expect(await seriousProblems(page)).toEqual([]);
    await page.context().close();
  });
});
