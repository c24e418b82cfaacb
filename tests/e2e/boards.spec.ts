/**
 * Creator boards in Chromium (docs/decisions/0053-wishlists-alerts-boards.md): a creator signs in,
 * makes a board at /studio/boards, finds two pieces in the shop and puts them on it, moves one up;
 * the board shows on their public page in that order; a reader buys from the board and the paid
 * line is credited to the creator as "board". Everything is made here, so it runs alone or in any order.
 */
import { eq } from 'drizzle-orm';
import { describe, expect, test } from 'vitest';
import { orderLines } from '../../db/schema/index.ts';
import { e2eDb, login, newPage } from './helpers/browser.ts';
import { e2eCreator, e2eProduct, uniqueTag } from './helpers/fixtures.ts';
import { checkoutAndPayAsGuest, READER_UA } from './helpers/social.ts';

describe('creator boards', () => {
  test('made in the studio, shown on the creator page in order, a purchase from it credited "board"', async () => {
    const maker = await e2eCreator();
    const tag = uniqueTag();
    const first = await e2eProduct({ stock: 5, name: `Board Tote ${tag.toUpperCase()}` });
    const second = await e2eProduct({ stock: 5, name: `Board Clutch ${tag.toUpperCase()}` });

    const studio = await newPage({ viewport: { width: 390, height: 844 } });
    await login(studio, { email: maker.email, password: maker.password });
    await studio.goto('/studio/boards');
    // A board without a name is refused in words, and nothing is made.
    await studio.locator('#bd-name').fill('   ');
    await studio.getByRole('button', { name: 'Create board' }).click();
    await studio.waitForLoadState('load');
    expect(new URL(studio.url()).pathname).toBe('/studio/boards');
    expect(await studio.locator('#bd-name-err').innerText()).toBe('Give the board a name of at least 2 characters.');
    expect(await studio.locator('main').innerText()).not.toContain('Weekend');
    const boardName = `Weekend ${tag}`;
    await studio.locator('#bd-name').fill(boardName);
    await studio.locator('#bd-description').fill('Two bags for a weekend away.');
    await Promise.all([studio.waitForURL((u) => /^\/studio\/boards\/\d+$/.test(u.pathname)), studio.getByRole('button', { name: 'Create board' }).click()]);
    for (const p of [first, second]) {
      await studio.getByLabel('Search the shop').fill(p.name);
      await Promise.all([studio.waitForLoadState('load'), studio.getByRole('button', { name: 'Search' }).click()]);
      await Promise.all([studio.waitForLoadState('load'), studio.getByRole('button', { name: `Add ${p.name} to the board` }).click()]);
      expect(await studio.locator('.flash[role="status"]').innerText()).toContain(`${p.name} added`);
    }
    await Promise.all([studio.waitForLoadState('load'), studio.getByRole('button', { name: `Move ${second.name} up` }).click()]);

    const reader = await newPage({ userAgent: READER_UA, viewport: { width: 1366, height: 900 } });
    await reader.goto(`/creators/${maker.handle}`);
    const boards = reader.locator('section[aria-labelledby="boards-title"]');
    expect(await boards.innerText()).toContain(`${boardName} · 2 pieces`);
    await Promise.all([reader.waitForURL((u) => u.pathname.startsWith(`/creators/${maker.handle}/boards/`)), boards.getByRole('link', { name: boardName }).click()]);
    const order = await reader.locator('article.tile[data-product]').evaluateAll((els) => els.map((e) => e.getAttribute('data-product')));
    expect(order).toEqual([second.slug, first.slug]);
    expect(await reader.locator('main').innerText()).toContain(`credits ${maker.displayName}`);

    await reader.locator(`article.tile[data-product="${first.slug}"]`).getByRole('button', { name: 'Add to bag' }).click();
    await expect.poll(async () => (await (await reader.request.get('/bag.json')).json()).count, { timeout: 10_000 }).toBe(1);
    await checkoutAndPayAsGuest(reader, { email: `board-${tag}@example.com`, name: 'Bo Reader', line1: '2 Board Walk' });

    const db = await e2eDb();
    await expect.poll(async () => (await db.select().from(orderLines).where(eq(orderLines.sku, first.sku)).get())?.attributionSource ?? null).toBe('board');
    const line = (await db.select().from(orderLines).where(eq(orderLines.sku, first.sku)).get())!;
    expect(line.creditedCreatorId).toBe(maker.id);
    expect(line.sourceBoardId).not.toBeNull();
  });
});
