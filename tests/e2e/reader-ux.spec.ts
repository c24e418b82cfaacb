/**
 * What a reader meets on a phone (390 px) and a laptop (1366 px): the shop's layout and filters, the
 * signed-in header, size choice on cards, stock messages, the bag drawer's focus and the way back
 * from the bag — with JavaScript on and off, in real Chromium against the built server.
 *
 * Shared server and DB: this file adds to its own bags only (fresh contexts) and changes no stock.
 */
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { DEMO_CREATOR_PASSWORD } from '../../db/seed/fixtures.ts';
import { login, newPage } from './helpers/browser.ts';

const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1366, height: 900 };

/** Elements whose right edge is past the viewport (the reason a page scrolls sideways). */
async function overflow(page: Page): Promise<{ scrollWidth: number; clientWidth: number; wide: string[] }> {
  return page.evaluate(() => {
    const cw = document.documentElement.clientWidth;
    const wide = [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > cw + 1)
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}.${(e as HTMLElement).className}`);
    return { scrollWidth: document.documentElement.scrollWidth, clientWidth: cw, wide };
  });
}

describe('shop layout', () => {
  test('on a phone: nothing wider than the screen, filters folded behind one toggle, products first', async () => {
    const page = await newPage({ viewport: PHONE, javaScriptEnabled: false });
    expect((await page.goto('/shop'))?.status()).toBe(200);
    const o = await overflow(page);
    expect(o, JSON.stringify(o.wide)).toMatchObject({ scrollWidth: 390, clientWidth: 390 });

    // The filters are folded: the first product starts on the first screen.
    const max = page.getByLabel('Max', { exact: true });
    expect(await max.isVisible()).toBe(false);
    const firstTile = page.locator('.grid article.tile').first();
    const top = (await firstTile.boundingBox())!.y;
    expect(top).toBeLessThan(PHONE.height / 2);

    // Opening the toggle (no JavaScript: a <details>) shows every filter, still within the screen.
    await page.getByText('Filters and sort', { exact: true }).click();
    expect(await max.isVisible()).toBe(true);
    const box = (await max.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    expect((await overflow(page)).scrollWidth).toBe(390);

    // Filtering keeps the toggle's count of what is in use.
    await page.goto('/shop?size=M&instock=1');
    expect((await page.locator('summary').textContent())?.replace(/\s+/g, ' ').trim()).toBe('Filters and sort (2 active)');
  });

  test('on a laptop: the filters are an open side column and nothing covers the Max price field', async () => {
    const page = await newPage({ viewport: LAPTOP });
    await page.goto('/shop');
    expect(await page.locator('summary').isVisible()).toBe(false);
    const max = page.getByLabel('Max', { exact: true });
    expect(await max.isVisible()).toBe(true);
    await max.scrollIntoViewIfNeeded();
    const field = (await max.boundingBox())!;
    const grid = (await page.locator('.grid').boundingBox())!;
    expect(field.x + field.width).toBeLessThanOrEqual(grid.x);
    // The field's own right end is what a click there reaches (no product card above it).
    const hit = await page.evaluate(
      ([x, y]) => document.elementFromPoint(x!, y!)?.id ?? null,
      [field.x + field.width - 4, field.y + field.height / 2],
    );
    expect(hit).toBe('max');
    await max.fill('80');
    await max.press('Enter');
    await page.waitForURL(/max=80/);
    expect(new URL(page.url()).searchParams.get('max')).toBe('80');
  });
});

describe('signed-in header on a phone', () => {
  for (const who of [
    { role: 'admin', credentials: undefined, path: '/admin' },
    { role: 'creator', credentials: { email: 'maya-okafor@lookbook.test', password: DEMO_CREATOR_PASSWORD }, path: '/dashboard' },
  ] as const) {
    test(`as ${who.role}: brand, sign out and the bag all fit in 390 px`, async () => {
      const page = await newPage({ viewport: PHONE });
      await login(page, who.credentials);
      await page.goto(who.path);
      const header = page.locator('header.site-header');
      for (const el of [header.locator('.site-header__brand'), header.getByRole('button', { name: 'Sign out' }), header.locator('[data-bag-link]'), header.getByRole('link', { name: 'Shop' })]) {
        const b = (await el.boundingBox())!;
        expect(b.x).toBeGreaterThanOrEqual(0);
        expect(b.x + b.width).toBeLessThanOrEqual(390);
      }
      const width = await header.evaluate((h) => h.scrollWidth);
      expect(width).toBeLessThanOrEqual(390);
    });
  }
});
