/**
 * Browse: posts with live product cards, the product page's colour and size picker, shop
 * filters, sign-in for admins and creators, feeds, keyboard and an axe check — in real Chromium
 * against the built server and its seeded database.
 *
 * Shared server and DB: every test stands alone (runnable by itself, in any order). A test that needs
 * a piece sold out or low sets that stock itself (helpers/fixtures.ts `setStock`), and every change
 * (stock, a price, a product's active flag) is undone before its test ends. It buys nothing.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { DEMO_CREATOR_PASSWORD } from '../../scripts/seed/fixtures.ts';
import { CREATORS, PRODUCTS } from '../../scripts/seed/catalog-data.ts';
import { collectPageErrors, e2eDb, login, newPage } from './helpers/browser.ts';
import { setStock } from './helpers/fixtures.ts';

const POST = 'autumn-capsule-wardrobe';

interface VariantRow {
  sku: string;
  product: string;
  colour: string | null;
  size: string | null;
  priceCents: number;
  compareAtCents: number | null;
  available: number;
  active: boolean;
  productActive: boolean;
}

/** Sets every variant of these products to `n` on hand; returns the undo (see setStock). */
async function stockAll(slugs: string[], n: number): Promise<() => Promise<void>> {
  const skus = (await Promise.all(slugs.map(variantsOf))).flat().map((v) => v.sku);
  return setStock(Object.fromEntries(skus.map((sku) => [sku, n])));
}

/** Variants as the database has them now, with availability = on hand − live reservations. */
async function variantsOf(productSlug: string): Promise<VariantRow[]> {
  const db = await e2eDb();
  const rs = await db.$client.execute({
    sql: `select v.sku, p.slug as product, v.colour, v.size, v.price_cents, v.compare_at_cents, v.active, p.active as product_active,
            max(v.stock_on_hand - coalesce((select sum(r.qty) from stock_reservations r
              where r.variant_id = v.id and r.status = 'active' and r.expires_at > ?), 0), 0) as available
          from variants v join products p on p.id = v.product_id
          where p.slug = ? group by v.id order by v.position, v.id`,
    args: [Date.now(), productSlug],
  });
  return rs.rows.map((r) => ({
    sku: String(r.sku),
    product: String(r.product),
    colour: r.colour === null ? null : String(r.colour),
    size: r.size === null ? null : String(r.size),
    priceCents: Number(r.price_cents),
    compareAtCents: r.compare_at_cents === null ? null : Number(r.compare_at_cents),
    available: Number(r.available),
    active: Boolean(Number(r.active)),
    productActive: Boolean(Number(r.product_active)),
  }));
}

/** "$1,234.50" → 123450 (the shop's currency has two decimals). */
function cents(text: string): number {
  const digits = text.replace(/[^\d]/g, '');
  if (!digits) throw new Error(`no price in ${JSON.stringify(text)}`);
  return Number(digits);
}

/** The price a card should show: the cheapest purchasable active variant (ProductTile/priceSummary). */
function expectedCardPrice(rows: VariantRow[]): { fromCents: number; varies: boolean; compareAtCents: number | null } {
  const live = rows.filter((r) => r.active);
  const buyable = live.filter((r) => r.available > 0);
  const pool = buyable.length ? buyable : live;
  const cheapest = pool.reduce((a, b) => (b.priceCents < a.priceCents ? b : a));
  return {
    fromCents: cheapest.priceCents,
    varies: live.some((r) => r.priceCents !== cheapest.priceCents),
    compareAtCents: cheapest.compareAtCents !== null && cheapest.compareAtCents > cheapest.priceCents ? cheapest.compareAtCents : null,
  };
}

const card = (page: Page, product: string) => page.locator(`article.tile[data-product="${product}"]`).first();

// One signed-in admin tab for the whole file (one login; login is rate limited).
let adminPage: Page | undefined;
async function admin(): Promise<Page> {
  if (!adminPage) {
    adminPage = await newPage();
    await login(adminPage);
  }
  return adminPage;
}

/** Submits an admin form and waits for the POST-redirect-GET to land (the URL may already look alike). */
async function submitAndLand(page: Page, submit: () => Promise<void>): Promise<void> {
  const landed = page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame() });
  await submit();
  await landed;
  await page.waitForLoadState('load');
}

/**
 * Saves a variant's price on /admin/products the way an admin does: search its SKU (the row's quick
 * edit opens for an exact SKU), type the price, press Enter.
 */
async function adminSetPrice(sku: string, price: string): Promise<void> {
  const page = await admin();
  await page.goto(`/admin/products?q=${encodeURIComponent(sku)}`);
  const input = page.locator(`#v-${sku}-price`);
  await input.fill(price);
  await submitAndLand(page, () => input.press('Enter'));
  expect(new URL(page.url()).searchParams.get('saved')).toBe(sku);
  expect(await page.locator('main .flash[role="status"]').innerText()).toMatch(new RegExp(`^(Saved ${sku}: price|Nothing changed on ${sku})\\.$`));
}

/** Activates or deactivates one product from the list: find it, tick its box, choose the bulk action, Apply. */
async function adminSetProductActive(slug: string, name: string, active: boolean): Promise<void> {
  const page = await admin();
  await page.goto(`/admin/products?q=${encodeURIComponent(name)}`);
  expect(await page.locator('.product-list__name .mono', { hasText: slug }).count()).toBe(1);
  await page.getByRole('checkbox', { name: `Select ${name}`, exact: true }).check();
  await page.getByLabel('Action', { exact: true }).selectOption(active ? 'activate' : 'deactivate');
  await submitAndLand(page, () => page.getByRole('button', { name: 'Apply', exact: true }).click());
  expect(new URL(page.url()).searchParams.get('done')).toBe(active ? 'activate' : 'deactivate');
  expect(await page.locator('main .flash[role="status"]').innerText()).toBe(`1 product ${active ? 'activated' : 'deactivated'}.`);
}

describe('browse', () => {
  test('a post shows its cards in place, with prices, names and stock straight from the database', async () => {
    const page = await newPage();
    const errors = collectPageErrors(page);
    const res = await page.goto(`/posts/${POST}`);
    expect(res?.status()).toBe(200);

    // The affiliate disclosure: one visible line near the top.
    const disclosure = page.locator('.post__disclosure');
    await expect.poll(() => disclosure.isVisible()).toBe(true);
    expect(await disclosure.innerText()).toMatch(/commission/i);

    // Every card of the MDX, numbered in order (7 ProductCards + a 3-piece ShopTheLook).
    const tiles = page.locator('.prose article.tile[data-product]');
    expect(await tiles.count()).toBe(10);
    const positions = await tiles.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-card-position'))));
    expect(positions).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);

    const slugs = await tiles.evaluateAll((els) => els.map((e) => e.getAttribute('data-product')!));
    for (const slug of new Set(slugs)) {
      const tile = card(page, slug);
      const rows = await variantsOf(slug);
      const expected = expectedCardPrice(rows);
      const seed = PRODUCTS.find((p) => p.slug === slug)!;
      expect(await tile.locator('.tile__name').innerText(), slug).toBe(seed.name);
      const price = tile.locator('.price').first();
      expect(cents(await price.locator('.price__now').innerText()), `${slug} price`).toBe(expected.fromCents);
      expect(/from/i.test(await price.innerText()), `${slug} "From"`).toBe(expected.varies);
      if (expected.compareAtCents !== null) {
        expect(cents(await price.locator('s').innerText()), `${slug} compare-at`).toBe(expected.compareAtCents);
        const percent = Math.floor(((expected.compareAtCents - expected.fromCents) * 100) / expected.compareAtCents);
        expect(await price.locator('.saving').innerText()).toBe(`Save ${percent}%`);
      } else {
        expect(await price.locator('s').count(), `${slug} has no compare-at`).toBe(0);
      }
      // Size chips are the variants of the shown colour; sold-out ones are disabled.
      const radios = tile.locator('input[type="radio"][name="sku"]');
      for (const radio of await radios.all()) {
        const sku = await radio.getAttribute('value');
        const row = rows.find((r) => r.sku === sku);
        expect(row, `${slug}: chip ${sku} is a real variant`).toBeTruthy();
        expect(await radio.isDisabled(), `${sku} disabled iff sold out`).toBe(row!.available <= 0);
      }
      // The add form carries the post and the card, never a price.
      const form = tile.locator('form[action="/bag/add"]');
      expect(await form.locator('input[name="post"]').inputValue()).toBe(POST);
      expect(await form.locator('input[name="card"]').inputValue()).toBe(await tile.getAttribute('data-card-position'));
      expect(await form.locator('input[name*="price" i]').count()).toBe(0);
    }

    // The card shows the colour of the SKU the creator named (MCN-OAT-M: Oat); the size is the reader's.
    const first = card(page, 'merino-crewneck');
    expect(await first.locator('input[name="colour"]').inputValue()).toBe('Oat');
    expect(await first.locator('input[name="sku"]:checked').count()).toBe(0);
    expect((await variantsOf('merino-crewneck')).find((v) => v.sku === 'MCN-OAT-M')?.priceCents).toBe(
      cents(await first.locator('.price__now').innerText()),
    );

    // "Shop this post" lists every piece once, with its price.
    const rail = page.getByRole('complementary', { name: 'Shop this post' });
    expect(await rail.getByRole('listitem').count()).toBe(new Set(slugs).size);
    expect(await rail.getByRole('link', { name: 'Fine Merino Crewneck' }).count()).toBe(1);
    expect(errors).toEqual([]);
  });

  test('a price changed in the admin shows on the post at the next load (the cached page is not stale)', async () => {
    const sku = 'MCN-OAT-M';
    const before = (await variantsOf('merino-crewneck')).find((v) => v.sku === sku)!;
    const original = (before.priceCents / 100).toFixed(2);
    const lowered = before.priceCents - 2000;

    const reader = await newPage();
    await reader.goto(`/posts/${POST}`);
    const second = await reader.goto(`/posts/${POST}`);
    expect(second?.headers()['x-render-cache'], 'anonymous post pages come from the render cache').toBe('hit');
    expect(cents(await card(reader, 'merino-crewneck').locator('.price__now').innerText())).toBe(before.priceCents);

    try {
      await adminSetPrice(sku, (lowered / 100).toFixed(2));
      expect((await variantsOf('merino-crewneck')).find((v) => v.sku === sku)?.priceCents).toBe(lowered);

      await reader.reload();
      const price = card(reader, 'merino-crewneck').locator('.price');
      expect(cents(await price.locator('.price__now').innerText())).toBe(lowered);
      expect(await price.innerText()).toMatch(/^From/); // the other merino variants still cost more
      // The product page prices the chosen size from the database too.
      await reader.goto(`/products/merino-crewneck?colour=Oat&sku=${sku}`);
      expect(await reader.locator('form.buy input[name="sku"]:checked').inputValue()).toBe(sku);
      expect(cents(await reader.locator('.pdp__price .price__now').innerText())).toBe(lowered);
    } finally {
      await adminSetPrice(sku, original);
    }
    expect((await variantsOf('merino-crewneck')).find((v) => v.sku === sku)?.priceCents).toBe(before.priceCents);
    await reader.goto(`/posts/${POST}`);
    expect(cents(await card(reader, 'merino-crewneck').locator('.price__now').innerText())).toBe(before.priceCents);
  });

  test('stock badges: a sold-out piece cannot be added, a low one says how many are left, a removed one is "no longer available"', async () => {
    const page = await newPage();
    const tanSku = (await variantsOf('leather-shoulder-bag')).find((v) => v.colour === 'Tan')!.sku;
    const restoreVest = await stockAll(['alpaca-blend-vest'], 0);
    const restoreTan = await setStock({ [tanSku]: 2 });
    try {
      // Sold out (every alpaca vest variant has 0 on hand).
      await page.goto('/posts/how-to-layer-knitwear');
      const vest = card(page, 'alpaca-blend-vest');
      expect((await variantsOf('alpaca-blend-vest')).every((v) => v.available === 0)).toBe(true);
      expect(await vest.locator('.badge').innerText()).toBe('Sold out');
      const add = vest.locator('.tile__form button[type="submit"]');
      expect(await add.isDisabled()).toBe(true);
      expect(await add.innerText()).toBe('Sold out');
      for (const r of await vest.locator('input[name="sku"][type="radio"]').all()) expect(await r.isDisabled()).toBe(true);
      // A well-stocked card on the same post shows no badge and can be added.
      const shirt = card(page, 'poplin-oversized-shirt');
      expect(await shirt.locator('.badge').count()).toBe(0);
      expect(await shirt.locator('.tile__form button[type="submit"]').isEnabled()).toBe(true);

      // Low stock: the tan shoulder bag has 2 — the product page says so, from the database.
      expect((await variantsOf('leather-shoulder-bag')).find((v) => v.sku === tanSku)?.available).toBe(2);
      await page.goto('/products/leather-shoulder-bag?colour=Tan');
      expect(await page.locator('.pdp__info .badge').innerText()).toBe('Only 2 left');
    } finally {
      await restoreTan();
      await restoreVest();
    }

    // Removed from sale in the admin: the card gives way to a calm notice; the product page is a 410.
    try {
      await adminSetProductActive('leather-shoulder-bag', 'Leather Shoulder Bag', false);
      const res = await page.goto(`/posts/${POST}`);
      expect(res?.status()).toBe(200);
      expect(await card(page, 'leather-shoulder-bag').count()).toBe(0);
      const gone = page.locator('[data-unavailable="leather-shoulder-bag"]');
      expect(await gone.innerText()).toMatch(/Leather Shoulder Bag\s+is no longer available/);
      expect(await gone.getByRole('link', { name: /browse the shop/i }).getAttribute('href')).toBe('/shop');
      expect(await page.locator('.prose article.tile[data-product]').count()).toBe(9);
      const pdp = await page.goto('/products/leather-shoulder-bag');
      expect(pdp?.status()).toBe(410);
      expect(await page.getByRole('main').getByRole('status').first().innerText()).toMatch(/no longer available/);
      expect(await page.getByRole('button', { name: /add to bag/i }).count()).toBe(0);
    } finally {
      await adminSetProductActive('leather-shoulder-bag', 'Leather Shoulder Bag', true);
    }
    await page.goto(`/posts/${POST}`);
    expect(await card(page, 'leather-shoulder-bag').count()).toBe(1);
    expect(await page.locator('[data-unavailable]').count()).toBe(0);
  });

  test('from a card to the product page: colour swatches change the URL and the image, sold-out sizes are disabled', async () => {
    // Forest L and XL sold out, S in stock, whatever ran before.
    const forestSkus = (await variantsOf('merino-crewneck')).filter((v) => v.colour === 'Forest');
    const restore = await setStock(Object.fromEntries(forestSkus.map((v) => [v.sku, v.size === 'L' || v.size === 'XL' ? 0 : 3])));
    try {
      const page = await newPage();
      const errors = collectPageErrors(page);
      await page.goto(`/posts/${POST}`);
      await Promise.all([page.waitForURL('**/products/merino-crewneck'), card(page, 'merino-crewneck').getByRole('link', { name: 'Fine Merino Crewneck', exact: true }).click()]);
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Fine Merino Crewneck');

      const main = page.locator('img.pdp__main');
      const firstSrc = await main.getAttribute('src');
      expect(firstSrc).toContain('merino-crewneck-oat');
      expect(await page.locator('.picker__label').first().innerText()).toBe('Colour: Oat');

      // Pick Forest: a plain link, so the choice is in the URL.
      await Promise.all([page.waitForURL((u) => u.searchParams.get('colour') === 'Forest'), page.getByRole('link', { name: 'Forest', exact: true }).click()]);
      expect(new URL(page.url()).pathname).toBe('/products/merino-crewneck');
      expect(await page.locator('.picker__label').first().innerText()).toBe('Colour: Forest');
      expect(await page.getByRole('link', { name: 'Forest', exact: true }).getAttribute('aria-current')).toBe('true');
      const src = await main.getAttribute('src');
      expect(src).not.toBe(firstSrc);
      expect(src).toContain('merino-crewneck-forest');
      expect(await main.getAttribute('alt')).toBe('Fine Merino Crewneck in Forest');
      expect(await main.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);

      // Sizes of the Forest colourway; the ones with nothing available (L and XL) are disabled.
      const forest = (await variantsOf('merino-crewneck')).filter((v) => v.colour === 'Forest');
      const radios = page.locator('form.buy input[type="radio"][name="sku"]');
      expect(await radios.evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value))).toEqual(forest.map((v) => v.sku));
      const soldOut = forest.filter((v) => v.available <= 0).map((v) => v.sku);
      expect(forest.filter((v) => v.available <= 0).map((v) => v.size)).toEqual(['L', 'XL']);
      for (const v of forest) {
        const radio = page.locator(`form.buy input[name="sku"][value="${v.sku}"]`);
        expect(await radio.isDisabled(), v.sku).toBe(v.available <= 0);
        if (v.available <= 0) expect(await radio.locator('xpath=..').innerText()).toMatch(/Sold out/);
      }
      // Pick a size that is in stock (click its chip, as a person would).
      const pick = forest.find((v) => v.available > 0 && v.size === 'S')!;
      await page.locator('form.buy label.size', { has: page.locator(`input[value="${pick.sku}"]`) }).click();
      expect(await page.locator('form.buy input[name="sku"]:checked').inputValue()).toBe(pick.sku);
      // Clicking a disabled chip changes nothing.
      await page.locator(`form.buy input[name="sku"][value="${soldOut[0]}"]`).locator('xpath=..').click({ force: true });
      expect(await page.locator('form.buy input[name="sku"]:checked').inputValue()).toBe(pick.sku);
      expect(await page.getByRole('button', { name: 'Add to bag' }).isEnabled()).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await restore();
    }
  });

  test('the shop filters by category and stock and sorts by price, all in the URL', async () => {
    const restore = await stockAll(['alpaca-blend-vest'], 0); // one knitwear piece sold out
    try {
      const page = await newPage();
      await page.goto('/shop');
      const form = page.getByRole('form', { name: 'Filter products' });
      await form.getByRole('checkbox', { name: /^Knitwear/ }).check();
      await form.getByRole('checkbox', { name: 'In stock only' }).check();
      await form.getByLabel('Sort by').selectOption({ label: 'Price: low to high' });
      const [res] = await Promise.all([page.waitForNavigation(), form.getByRole('button', { name: 'Apply' }).click()]);
      expect(res?.status()).toBe(200);

      const url = new URL(page.url());
      expect(url.pathname).toBe('/shop');
      expect(url.searchParams.getAll('category')).toEqual(['knitwear']);
      expect(url.searchParams.get('instock')).toBe('1');
      expect(url.searchParams.get('sort')).toBe('price-asc');

      // What the database says: active knitwear with something available, cheapest first.
      const knitwear = PRODUCTS.filter((p) => p.category === 'knitwear');
      const expected: { slug: string; fromCents: number }[] = [];
      for (const p of knitwear) {
        const rows = (await variantsOf(p.slug)).filter((r) => r.active && r.productActive && r.available > 0);
        if (rows.length) expected.push({ slug: p.slug, fromCents: Math.min(...rows.map((r) => r.priceCents)) });
      }
      expected.sort((a, b) => a.fromCents - b.fromCents);
      expect(expected.length).toBeGreaterThan(1);
      expect(expected.length).toBeLessThan(knitwear.length); // the sold-out vest is filtered out

      const tiles = page.locator('article.tile[data-product]');
      expect(await tiles.evaluateAll((els) => els.map((e) => e.getAttribute('data-product')))).toEqual(expected.map((e) => e.slug));
      const shown = (await tiles.locator('.price__now').allInnerTexts()).map(cents);
      expect(shown).toEqual(expected.map((e) => e.fromCents));
      expect(await page.locator('.shop__head [role="status"]').innerText()).toBe(`${expected.length} pieces`);
      // The form remembers the choice; the active filter can be removed with one link.
      expect(await form.getByRole('checkbox', { name: /^Knitwear/ }).isChecked()).toBe(true);
      expect(await form.getByLabel('Sort by').inputValue()).toBe('price-asc');
      expect(await page.getByRole('link', { name: 'Remove filter Knitwear' }).count()).toBe(1);

      // Without "in stock only" the sold-out vest is back.
      await page.goto('/shop?category=knitwear&sort=price-asc');
      expect(await page.locator('article.tile[data-product="alpaca-blend-vest"]').count()).toBe(1);
    } finally {
      await restore();
    }
  });

  test('a value a shared link cannot use falls back to the default with a quiet note, never an error page', async () => {
    const page = await newPage();
    await page.goto('/shop');
    const form = page.getByRole('form', { name: 'Filter products' });
    await form.getByLabel('Min').fill('200');
    await form.getByLabel('Max').fill('100');
    const [res] = await Promise.all([page.waitForNavigation(), form.getByRole('button', { name: 'Apply' }).click()]);
    expect(res?.status()).toBe(200);
    const note = page.getByRole('note', { name: 'About this link' });
    expect(await note.innerText()).toBe('The lowest price was above the highest, so the two were swapped.');
    expect(await form.getByLabel('Min').inputValue()).toBe('100');
    expect(await form.getByLabel('Max').inputValue()).toBe('200');
    expect(await page.getByRole('alert').count()).toBe(0);

    const bad = await page.goto('/shop?sort=cheapest&category=knitwear');
    expect(bad?.status()).toBe(200);
    expect(await note.innerText()).toBe('We do not have the sort “cheapest”, so the newest pieces come first.');
    expect(await page.locator('article.tile').count()).toBeGreaterThan(0);
    expect(await form.getByLabel('Sort by').inputValue()).toBe('new');

    const unknown = await page.goto('/shop?category=spacesuits');
    expect(unknown?.status()).toBe(200);
    expect(await note.innerText()).toBe('There is no category “spacesuits”, so it was left out.');
    expect(await page.locator('article.tile').count()).toBeGreaterThan(0);
    // No validator wording or field names reach the page.
    expect(await page.locator('main').innerText()).not.toMatch(/Invalid option|expected one of|Minimum price minimum/);
  });

  test('the demo admin signs in and reaches /admin', async () => {
    const page = await admin();
    const res = await page.goto('/admin');
    expect(res?.status()).toBe(200);
    expect(new URL(page.url()).pathname).toBe('/admin');
    expect(await page.title()).toContain('Admin');
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Overview');
  });

  test('a creator signs in to /dashboard and is refused /admin with a 403', async () => {
    const creator = CREATORS[0]!;
    const page = await newPage();
    const landed = await login(page, { email: creator.email, password: DEMO_CREATOR_PASSWORD });
    expect(landed.pathname).toBe('/dashboard');
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(`Hello, ${creator.displayName}`);
    const res = await page.goto('/admin');
    expect(res?.status()).toBe(403);
    expect(new URL(page.url()).pathname).toBe('/admin');
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toMatch(/isn’t part of your account/);
    // Signed out, /admin sends you to sign in.
    const anon = await newPage();
    await anon.goto('/admin');
    expect(new URL(anon.url()).pathname).toBe('/login');
  });

  test('RSS and the sitemap answer well-formed XML', async () => {
    const page = await newPage();
    await page.goto('/');
    const parse = (xml: string) =>
      page.evaluate((x) => {
        const doc = new DOMParser().parseFromString(x, 'application/xml');
        return { error: doc.querySelector('parsererror')?.textContent ?? null, root: doc.documentElement.nodeName };
      }, xml);

    const rss = await page.request.get('/rss.xml');
    expect(rss.status()).toBe(200);
    expect(rss.headers()['content-type']).toMatch(/xml/);
    const feed = await rss.text();
    expect(await parse(feed)).toEqual({ error: null, root: 'rss' });
    expect(feed).toContain(`/posts/${POST}`);
    expect((feed.match(/<item>/g) ?? []).length).toBeGreaterThan(5);

    const sm = await page.request.get('/sitemap.xml');
    expect(sm.status()).toBe(200);
    expect(sm.headers()['content-type']).toMatch(/xml/);
    const map = await sm.text();
    expect(await parse(map)).toEqual({ error: null, root: 'urlset' });
    expect(map).toContain(`/posts/${POST}</loc>`);
    expect(map).toContain('/products/merino-crewneck</loc>');
    expect(map).not.toContain('/products/linen-drawstring-trousers<'); // inactive in the seed
  });

  test('keyboard: the skip link on a post is the first stop and moves focus into the content', async () => {
    const page = await newPage();
    await page.goto(`/posts/${POST}`);
    await page.keyboard.press('Tab');
    const skip = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      const r = el.getBoundingClientRect();
      return { tag: el.tagName, href: el.getAttribute('href'), text: el.textContent?.trim(), visible: r.width > 0 && r.height > 0 && r.top >= 0 && r.left >= 0 && r.top < innerHeight };
    });
    expect(skip).toEqual({ tag: 'A', href: '#main', text: 'Skip to content', visible: true });
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    // The next Tab lands inside the content, not back in the header.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.closest('main') !== null && document.activeElement !== document.querySelector('main'))).toBe(true);
  });

  test.each([
    ['home', '/'],
    ['a post', `/posts/${POST}`],
    ['a product page', '/products/merino-crewneck?colour=Forest'],
  ])('axe finds no serious or critical problems on %s', async (_name, path) => {
    const page = await newPage();
    const res = await page.goto(path);
    expect(res?.status()).toBe(200);
    const result = await new AxeBuilder({ page }).analyze();
    const bad = result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')} — ${n.failureSummary?.replace(/\s+/g, ' ')}`) }));
    expect(bad).toEqual([]);
  });
});
