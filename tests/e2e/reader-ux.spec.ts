/**
 * What a reader meets on a phone (390 px) and a laptop (1366 px): the shop's layout and filters, the
 * signed-in header, size choice on cards, stock messages, the bag drawer's focus and the way back
 * from the bag — with JavaScript on and off, in real Chromium against the built server.
 *
 * Shared server and DB: this file adds to its own bags only (fresh contexts) and changes no stock.
 */
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { DEMO_CREATOR_PASSWORD } from '../../scripts/seed/fixtures.ts';
import { e2eDb, login, newPage } from './helpers/browser.ts';

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

const POST = 'autumn-capsule-wardrobe';
/** The post's first card: merino-crewneck in Oat, five sizes (the creator named MCN-OAT-M). */
const MERINO = `article.tile[data-product="merino-crewneck"]`;

/** A variant with a few units free right now (on hand − live holds), sized, on an active product. */
async function lowStockVariant(): Promise<{ sku: string; product: string; colour: string | null; available: number }> {
  const db = await e2eDb();
  const rs = await db.$client.execute({
    sql: `select v.sku, p.slug, v.colour, v.stock_on_hand - coalesce((select sum(r.qty) from stock_reservations r
            where r.variant_id = v.id and r.status = 'active' and r.expires_at > ?), 0) as available
          from variants v join products p on p.id = v.product_id
          where v.active = 1 and p.active = 1 and v.size is not null and p.slug not like 'e2e-%'
          and (select count(*) from variants o where o.product_id = p.id and o.colour is v.colour) > 1
          group by v.id having available between 2 and 4 order by p.slug desc, v.sku limit 1`,
    args: [Date.now()],
  });
  const r = rs.rows[0];
  if (!r) throw new Error('the seed has no sized variant with 2–4 units free');
  return { sku: String(r.sku), product: String(r.slug), colour: r.colour === null ? null : String(r.colour), available: Number(r.available) };
}

describe('size choice', () => {
  test('cards preselect no size; without JavaScript "Add to bag" asks on a page of its own, then adds what was chosen', async () => {
    const page = await newPage({ viewport: PHONE, javaScriptEnabled: false });
    await page.goto(`/posts/${POST}`);
    const tile = page.locator(MERINO).first();
    expect(await tile.locator('input[name="sku"]').count()).toBeGreaterThan(1);
    expect(await tile.locator('input[name="sku"]:checked').count()).toBe(0);
    expect(await page.locator('.prose input[type="radio"][name="sku"]:checked').count()).toBe(0);

    await Promise.all([page.waitForURL((u) => u.pathname === '/bag/add'), tile.getByRole('button', { name: 'Add to bag' }).click()]);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Choose a size');
    expect(await page.locator('[data-bag-count]').innerText()).toBe('0'); // nothing was added
    const ask = page.locator(MERINO);
    expect(await ask.locator('input[name="sku"]').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value))).toEqual(
      await tile.locator('input[name="sku"]').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value)),
    );
    // The way back leads to the card the reader was at, in the post.
    const back = page.getByRole('link', { name: /^Back to “/ });
    expect(await back.getAttribute('href')).toBe(`/posts/${POST}#card-${POST}-0`);
    // Its form still carries the card, so the line is credited to the post.
    expect(await ask.locator('.tile__form input[name="post"]').inputValue()).toBe(POST);
    expect(await ask.locator('.tile__form input[name="card"]').inputValue()).toBe('0');

    await ask.locator('label', { has: page.locator('input[value="MCN-OAT-M"]') }).click();
    await Promise.all([page.waitForURL((u) => u.pathname === '/bag'), ask.getByRole('button', { name: 'Add to bag' }).click()]);
    expect(await page.locator('li.line[data-sku]').evaluateAll((els) => els.map((e) => e.getAttribute('data-sku')))).toEqual(['MCN-OAT-M']);
  });

  test('with JavaScript: the question is an inline message at the card, nothing is posted until a size is picked', async () => {
    const page = await newPage({ viewport: LAPTOP });
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const posts: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST') posts.push(new URL(r.url()).pathname);
    });
    await page.goto(`/posts/${POST}`);
    const tile = page.locator(MERINO).first();
    await tile.getByRole('button', { name: 'Add to bag' }).click();
    const message = tile.locator('[data-add-message]');
    await expect.poll(() => message.innerText()).toBe('Choose a size first.');
    expect(await message.getAttribute('role')).toBe('status');
    // Focus goes to the sizes, described by the message.
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).toBe('sku');
    expect(await tile.locator('fieldset').getAttribute('aria-describedby')).toBe(await message.getAttribute('id'));
    expect(posts).toEqual([]);
    expect(await page.getByRole('dialog').count()).toBe(0);

    await tile.locator('label', { has: page.locator('input[value="MCN-OAT-S"]') }).click();
    expect(await message.innerText()).toBe('');
    await tile.getByRole('button', { name: 'Add to bag' }).click();
    await expect.poll(() => page.locator('[data-bag-count]').innerText()).toBe('1');
    expect(posts).toEqual(['/bag/add']);
    expect(dialogs).toEqual([]);
  });

  test('a shop filter by size preselects that size on the tiles that have it', async () => {
    const page = await newPage({ viewport: LAPTOP, javaScriptEnabled: false });
    await page.goto('/shop?size=M');
    const tiles = page.locator('.grid article.tile');
    const chosen = await tiles.evaluateAll((els) =>
      els
        .filter((t) => t.querySelectorAll('input[type="radio"][name="sku"]').length > 1)
        .map((t) => {
          const checked = t.querySelector<HTMLInputElement>('input[name="sku"]:checked');
          return checked ? checked.closest('label')?.querySelector('span')?.textContent : null;
        }),
    );
    // Tiles with M in stock have it chosen; the others (M sold out) have nothing chosen, never another size.
    expect(chosen.filter((c) => c === 'M').length).toBeGreaterThan(0);
    expect(chosen.filter((c) => c !== 'M' && c !== null)).toEqual([]);
    const mInStockUnchosen = await tiles.evaluateAll(
      (els) =>
        els.filter((t) => {
          const m = [...t.querySelectorAll<HTMLInputElement>('input[type="radio"][name="sku"]')].find((r) => r.closest('label')?.querySelector('span')?.textContent === 'M');
          return m !== undefined && !m.disabled && !m.checked;
        }).length,
    );
    expect(mInStockUnchosen).toBe(0);
    // Without the filter, none is chosen.
    await page.goto('/shop');
    expect(await page.locator('.grid input[type="radio"][name="sku"]:checked').count()).toBe(0);
  });
});

describe('stock messages', () => {
  test('with JavaScript, adding more than is left is an inline message at the card, never an alert()', async () => {
    const v = await lowStockVariant();
    const page = await newPage({ viewport: PHONE });
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(`/products/${v.product}?colour=${encodeURIComponent(v.colour ?? '')}&sku=${v.sku}`);
    const form = page.locator('form.buy');
    expect(await form.locator('input[name="sku"]:checked').inputValue()).toBe(v.sku);
    // The quantity field offers no more than there is of any size shown.
    expect(Number(await page.getByLabel('Quantity').getAttribute('max'))).toBeLessThanOrEqual(10);
    await page.getByLabel('Quantity').fill(String(v.available));
    await form.getByRole('button', { name: 'Add to bag' }).click();
    await expect.poll(() => page.locator('[data-bag-count]').first().innerText()).toBe(String(v.available));
    await page.getByRole('dialog').waitFor({ state: 'visible' });
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await page.getByLabel('Quantity').fill('1');
    await form.getByRole('button', { name: 'Add to bag' }).click();
    const message = form.locator('[data-add-message]');
    await expect.poll(() => message.innerText()).toBe(`Only ${v.available} left — there is not enough stock for that quantity.`);
    expect(await message.getAttribute('role')).toBe('status');
    expect(await page.locator('[data-bag-count]').first().innerText()).toBe(String(v.available));
    expect(dialogs).toEqual([]);
  });

  test('the bag offers quantities up to what can be bought; a larger one is refused at its line', async () => {
    const v = await lowStockVariant();
    const page = await newPage({ viewport: PHONE, javaScriptEnabled: false });
    await page.goto(`/products/${v.product}?colour=${encodeURIComponent(v.colour ?? '')}&sku=${v.sku}`);
    await Promise.all([page.waitForURL((u) => u.pathname === '/bag'), page.locator('form.buy').getByRole('button', { name: 'Add to bag' }).click()]);
    const line = page.locator(`li.line[data-sku="${v.sku}"]`);
    const select = line.getByLabel('Quantity');
    const offered = await select.locator('option').evaluateAll((els) => els.map((e) => Number((e as HTMLOptionElement).value)));
    expect(offered).toEqual(Array.from({ length: v.available }, (_, i) => i + 1));

    // A hand-made request for more (an old tab, a crafted form): refused next to the line, nothing changed.
    await select.evaluate((s, n) => {
      const o = document.createElement('option');
      o.value = String(n);
      o.textContent = String(n);
      s.append(o);
      (s as HTMLSelectElement).value = String(n);
    }, v.available + 1);
    await Promise.all([page.waitForLoadState('load'), line.getByRole('button', { name: 'Update' }).click()]);
    const refused = page.locator(`li.line[data-sku="${v.sku}"] .line__error[role="alert"]`);
    expect(await refused.innerText()).toBe(`Only ${v.available} left — choose ${v.available} or fewer. Nothing was changed.`);
    expect(await page.locator(`li.line[data-sku="${v.sku}"]`).getByLabel('Quantity').inputValue()).toBe('1');
    const o = await overflow(page);
    expect(o.scrollWidth, JSON.stringify(o.wide)).toBe(390);
  });
});

describe('bag drawer and the way back', () => {
  test('the drawer keeps focus inside while open; Escape closes it and focus returns to the button used', async () => {
    const page = await newPage({ viewport: PHONE });
    await page.goto(`/posts/${POST}`);
    const tile = page.locator(MERINO).first();
    await tile.locator('label', { has: page.locator('input[value="MCN-OAT-L"]') }).click();
    const add = tile.getByRole('button', { name: 'Add to bag' });
    await add.click();
    const dialog = page.getByRole('dialog', { name: /Your bag/ });
    await dialog.waitFor({ state: 'visible' });
    await dialog.getByRole('link', { name: 'Check out' }).waitFor();
    const inside = () => page.evaluate(() => document.activeElement?.closest('[role="dialog"]') !== null);
    // Forwards past the last control and backwards past the first: focus never leaves the panel.
    const seen = new Set<string>();
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press('Tab');
      expect(await inside(), `Tab ${i + 1}`).toBe(true);
      seen.add(await page.evaluate(() => document.activeElement?.textContent?.trim() ?? ''));
    }
    expect(seen.has('Check out')).toBe(true);
    expect(seen.has('View bag')).toBe(true);
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press('Shift+Tab');
      expect(await inside(), `Shift+Tab ${i + 1}`).toBe(true);
    }
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await add.evaluate((b) => b === document.activeElement)).toBe(true);
  });

  test('without JavaScript the bag has "Continue shopping" back to the post (and card) or product of the newest line', async () => {
    const page = await newPage({ viewport: PHONE, javaScriptEnabled: false });
    // From the product page first, then from the post: the newest line is the post's.
    await page.goto('/products/merino-crewneck?colour=Oat&sku=MCN-OAT-XS');
    await Promise.all([page.waitForURL((u) => u.pathname === '/bag'), page.locator('form.buy').getByRole('button', { name: 'Add to bag' }).click()]);
    const back = page.locator('[data-continue-shopping]');
    expect(await back.innerText()).toBe('Continue shopping');
    expect(await back.getAttribute('href')).toBe('/products/merino-crewneck');

    await page.goto(`/posts/${POST}`);
    const tile = page.locator(MERINO).first();
    await tile.locator('label', { has: page.locator('input[value="MCN-OAT-M"]') }).click();
    await Promise.all([page.waitForURL((u) => u.pathname === '/bag'), tile.getByRole('button', { name: 'Add to bag' }).click()]);
    expect(await back.getAttribute('href')).toBe(`/posts/${POST}#card-${POST}-0`);
    await Promise.all([page.waitForURL((u) => u.pathname === `/posts/${POST}`), back.click()]);
    expect(new URL(page.url()).hash).toBe(`#card-${POST}-0`);
    expect(await page.locator(`#card-${POST}-0`).count()).toBe(1);
  });
});
