/**
 * Smoke: the built site (NODE_ENV=production, fresh seeded DB) serves its home page and a real 404.
 */
import { describe, expect, test } from 'vitest';
import { collectPageErrors, newPage } from './helpers/browser.ts';

describe('smoke', () => {
  test('home page loads with a <main> landmark and a working skip link', async () => {
    const page = await newPage();
    const errors = collectPageErrors(page);
    const res = await page.goto('/');
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-type']).toMatch(/^text\/html/);

    await expect.poll(() => page.getByRole('main').count()).toBe(1);
    const main = page.getByRole('main');
    const mainId = await main.getAttribute('id');
    expect(mainId).toBeTruthy();

    // The skip link is the first focusable element and points at <main>.
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLAnchorElement | null;
      return el ? { tag: el.tagName, href: el.getAttribute('href'), text: el.textContent?.trim() } : null;
    });
    expect(focused?.tag).toBe('A');
    expect(focused?.href).toBe(`#${mainId}`);
    expect(focused?.text).toMatch(/skip/i);

    // Activating it moves focus into <main>.
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.closest('main') !== null)).toBe(true);

    expect(errors).toEqual([]);
  });

  test('an unknown URL answers 404', async () => {
    const page = await newPage();
    const res = await page.goto('/this-page-does-not-exist-' + Date.now());
    expect(res?.status()).toBe(404);
  });
});
