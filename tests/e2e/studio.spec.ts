/**
 * The studio, as a creator uses it, end to end: log in, "New post", fill the title, summary, kind,
 * tags, a cover image (a real PNG made here with sharp) and its description, write the post and
 * insert two product cards through the picker (search by name, pick a size, insert), see the
 * autosave, open the private preview (cards shown; noindex, no-store), keep writing (the autosave
 * after Preview is not a conflict), publish. Then a reader opens the post, adds one card to the bag,
 * pays with the test provider, and the creator's dashboard credits the sale to that post and card.
 *
 * Once on a desktop and once on a phone (390 px): nothing may be cut off horizontally on the
 * studio list, the editor, the preview and the post, and axe finds no serious problem in the
 * editor, the picker or the list. Screenshots go to /tmp/shots/ for a person to look at.
 *
 * Also: the plain form without JavaScript (Preview in the same tab, writing on after it saves);
 * two windows on one draft (Preview never makes the writer's own next save a conflict, a real
 * second window still gets one — ADR 0047); a button pressed while the cover is uploading.
 * Everything (creator, products) is made for the test, so each runs alone or in any order.
 *
 * The reader uses an ordinary Chrome user agent: "HeadlessChrome" counts as a bot for credit.
 */
import { mkdirSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page, Response } from 'playwright-core';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { e2eDb, login, newContext, newPage } from './helpers/browser.ts';
import { e2eCreator, e2eTwoSizeProduct, uniqueTag } from './helpers/fixtures.ts';

const READER_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';
const SHOTS = '/tmp/shots';

interface Made {
  slug: string;
  name: string;
  skus: [string, string];
  priceCents: number;
}

/** A product of its own with two sizes (S and M), so the picker has a variant to pick. */
async function twoSizeProduct(word: string, priceCents: number): Promise<Made> {
  const p = await e2eTwoSizeProduct({ name: `Studio ${word}`, stock: 20, priceCents });
  return { slug: p.slug, name: p.name, skus: [p.skus.S, p.skus.M], priceCents };
}

/** Nothing on the page is wider than the window (no sideways scrolling, nothing cut off). */
async function expectNoSidewaysScroll(page: Page, where: string): Promise<void> {
  const m = await page.evaluate(() => {
    const w = window.innerWidth;
    const wide = [...document.querySelectorAll<HTMLElement>('body *')]
      .filter((el) => {
        const r = el.getBoundingClientRect();
        return r.width > 0 && r.right > w + 1 && getComputedStyle(el).position !== 'fixed';
      })
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} (right ${Math.round(el.getBoundingClientRect().right)})`);
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth: w, wide };
  });
  expect(m.scrollWidth, `${where}: page ${m.scrollWidth}px wide in a ${m.innerWidth}px window; wider: ${m.wide.join(', ')}`).toBeLessThanOrEqual(m.innerWidth);
}

/** axe (WCAG 2 A/AA): the serious and critical problems on the page as it is now. */
async function seriousProblems(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.nodes.length}): ${v.nodes[0]?.target.join(' ')} — ${v.help}`);
}

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

/** Opens the picker from the toolbar, searches by name, picks the size, inserts the card. */
async function insertCard(page: Page, product: Made, sku: string, screenshot?: string): Promise<void> {
  await page.getByRole('button', { name: 'Product card', exact: true }).click();
  const picker = page.locator('dialog.pe-picker');
  await picker.waitFor({ state: 'visible' });
  await picker.getByLabel('Search products').fill(product.name);
  const result = picker.locator('button.pe-picker__product', { hasText: product.name });
  await expect.poll(() => picker.locator('button.pe-picker__product').count()).toBe(1);
  await result.click();
  expect(await result.getAttribute('aria-pressed')).toBe('true');
  await picker.locator('label.pe-chip', { has: page.locator(`input[value="${sku}"]`) }).click();
  expect(await picker.locator(`.pe-chips input[value="${sku}"]`).isChecked()).toBe(true);
  // The card as readers will see it, before inserting.
  await picker.locator('article.tile').first().waitFor({ state: 'visible' });
  // Nothing in the dialog is cut off at the sides.
  const fits = await picker.evaluate((d) => ({ scroll: d.scrollWidth, client: d.clientWidth, right: d.getBoundingClientRect().right, inner: innerWidth }));
  expect(fits.scroll, `the picker's content is ${fits.scroll}px wide in ${fits.client}px`).toBeLessThanOrEqual(fits.client);
  expect(fits.right).toBeLessThanOrEqual(fits.inner);
  if (screenshot) {
    expect.soft(await seriousProblems(page), 'axe, the picker open').toEqual([]);
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: `${SHOTS}/${screenshot}.png` });
  }
  await picker.getByRole('button', { name: 'Insert the card' }).click();
  await picker.waitFor({ state: 'detached' });
}

/** The editor's save line says "Saved at …" (after `action`, a save went through with 200). */
async function expectAutosaved(page: Page, action: () => Promise<unknown>): Promise<void> {
  const answers: string[] = [];
  const record = (r: Response) => {
    if (r.url().endsWith('/autosave') && r.request().method() === 'POST') answers.push(String(r.status()));
  };
  page.on('response', record);
  try {
    await action();
    await expect.poll(() => page.locator('.pe-footer .pe-status').innerText(), { timeout: 15_000, message: `autosave answered ${answers.join(', ') || 'nothing'}` }).toMatch(/^Saved at /);
    expect(answers, 'autosave answers').not.toEqual([]);
    expect(answers.every((a) => a === '200'), `autosave answered ${answers.join(', ')}`).toBe(true);
  } finally {
    page.off('response', record);
  }
}

const CASES = [
  { width: 1366, height: 900, label: 'desktop' },
  { width: 390, height: 844, label: 'phone' },
] as const;

describe('studio', () => {
  it.each(CASES)('a creator writes, previews and publishes a post with two cards; a reader buys from it and the sale is credited ($label, $width px)', async ({ width, height, label }) => {
    const viewport = { width, height };
    const maker = await e2eCreator();
    const [shirt, bag] = [await twoSizeProduct('Shirt', 5400), await twoSizeProduct('Tote', 8800)];
    const slug = `studio-e2e-${label}-${uniqueTag()}`;
    const title = `Linen days ${label} ${slug.slice(-6)}`;
    const png = await sharp({ create: { width: 800, height: 1000, channels: 3, background: '#b48a66' } })
      .composite([{ input: Buffer.from('<svg width="800" height="1000"><rect x="200" y="250" width="400" height="500" fill="#f4efe8"/></svg>'), top: 0, left: 0 }])
      .png()
      .toBuffer();

    // ── The creator: the studio list, "New post" ──────────────────────────────────────────────
    const page = await newPage({ viewport });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await login(page, { email: maker.email, password: maker.password });
    await page.goto('/studio');
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Your posts');
    await expectNoSidewaysScroll(page, '/studio');
    await shot(page, `studio-${width}`);
    await Promise.all([page.waitForURL(/\/studio\/posts\/\d+$/), page.getByRole('button', { name: 'New post' }).click()]);
    const editorUrl = page.url();
    const prose = page.locator('.pe-prose[contenteditable="true"]');
    await prose.waitFor({ state: 'visible' });

    // ── The form: title, address, summary, kind, tags, cover and its description ──────────────
    await page.getByLabel('Title', { exact: true }).fill(title);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(title);
    await page.getByLabel('Address').fill(slug);
    await page.getByLabel('Summary').fill('Three linen pieces I wear from June to the first cold week, and how.');
    await page.getByLabel('Kind').selectOption('guide');
    await page.getByLabel('Tags').fill('linen, summer');
    // With JavaScript the cover is uploaded as soon as it is chosen, and shown.
    const coverFile = page.locator('input[type="file"][name="heroFile"]');
    // Not an image: refused at the field, in plain words; nothing changes.
    await coverFile.setInputFiles({ name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('not an image at all') });
    const coverError = page.locator('#f-heroMediaId-error');
    await coverError.waitFor({ state: 'visible' });
    expect(await coverError.innerText()).not.toMatch(/zod|invalid_|undefined|sharp|Error:/i);
    expect(await coverFile.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('input[name="heroMediaId"]').inputValue()).toBe('');
    await coverFile.setInputFiles({ name: 'cover.png', mimeType: 'image/png', buffer: png });
    await coverError.waitFor({ state: 'detached' });
    await expect.poll(() => page.locator('.pe-cover__status').innerText()).toBe('Cover image uploaded.');
    expect(await page.locator('input[name="heroMediaId"]').inputValue()).toMatch(/^[A-Za-z0-9_-]{8,40}$/);
    expect(await coverFile.inputValue()).toBe('');
    await page.locator('[data-cover-preview] img').waitFor({ state: 'visible' });
    await expect.poll(() => page.locator('[data-cover-preview] img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    await page.getByLabel('Describe the cover image').fill('A linen shirt folded on a wooden chair');

    // ── The post: text and two cards from the picker; the autosave writes the card ids ───────
    await expectAutosaved(page, async () => {
      await prose.click();
      await page.keyboard.type('Linen creases, and that is the point. Here is what I reach for.');
      await page.keyboard.press('Enter');
      await insertCard(page, shirt, shirt.skus[1], `picker-${width}`);
      await insertCard(page, bag, bag.skus[0]);
    });
    await expect.poll(() => page.locator('textarea[name="body"]').inputValue()).toMatch(/card=\{0\}[\s\S]*card=\{1\}/);
    const body = await page.locator('textarea[name="body"]').inputValue();
    expect(body).toContain(`product="${shirt.slug}"`);
    expect(body).toContain(`variant="${shirt.skus[1]}"`);
    expect(body).toContain(`product="${bag.slug}"`);
    expect(await page.locator('.pe-root article.tile, .pe-root [data-product]').count()).toBeGreaterThanOrEqual(2);
    // The hint under the editor speaks of its buttons, not of MDX syntax (that is for the plain box).
    expect(await page.locator('#f-body-hint').innerText()).not.toMatch(/<ProductCard|\*\*bold\*\*/);
    await expectNoSidewaysScroll(page, 'the editor');
    expect.soft(await seriousProblems(page), 'axe, the editor with two cards').toEqual([]);
    await shot(page, `editor-${width}`);
    await page.locator('.pe-root article.tile').last().scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/editor-view-${width}.png` }); // the window as the writer sees it (sticky toolbar)

    // ── Preview: a private link in another tab ─────────────────────────────────────────────────
    const previewResponse = page.context().waitForEvent('response', (r) => new URL(r.url()).pathname.startsWith('/preview/') && r.request().method() === 'GET');
    const [preview] = await Promise.all([page.context().waitForEvent('page'), page.getByRole('button', { name: 'Preview' }).click()]);
    const previewRes = await previewResponse;
    await preview.waitForLoadState('load');
    expect(previewRes.status()).toBe(200);
    expect(previewRes.headers()['cache-control']).toMatch(/no-store/);
    expect(previewRes.headers()['x-robots-tag']).toMatch(/noindex/);
    expect(await preview.locator('meta[name="robots"]').getAttribute('content')).toMatch(/noindex/);
    expect(await preview.getByRole('heading', { level: 1 }).innerText()).toBe(title);
    expect(await preview.locator(`article.tile[data-product="${shirt.slug}"]`).count()).toBe(1);
    expect(await preview.locator(`article.tile[data-product="${bag.slug}"]`).count()).toBe(1);
    expect(await preview.getByAltText('A linen shirt folded on a wooden chair').count()).toBeGreaterThan(0);
    await expectNoSidewaysScroll(preview, 'the preview');
    await shot(preview, `preview-${width}`);
    // Not readable at the post's address before publishing.
    expect((await page.request.get(`/posts/${slug}`)).status()).toBe(404);
    await preview.close();

    // ── Back in the editor: writing goes on and saves (no conflict with the Preview's save) ────
    await expectAutosaved(page, async () => {
      await prose.locator('p').last().click();
      await page.keyboard.press('End');
      await page.keyboard.type('Wash cold, dry flat.');
    });
    expect(await page.locator('.pe-status--bad').count()).toBe(0);

    // ── Publish ────────────────────────────────────────────────────────────────────────────────
    await Promise.all([page.waitForURL((u) => u.searchParams.get('done') === 'published'), page.getByRole('button', { name: 'Publish now' }).click()]);
    expect(await page.getByRole('status').filter({ hasText: 'Published' }).innerText()).toMatch(/^Published/);
    expect(new URL(page.url()).pathname).toBe(new URL(editorUrl).pathname);
    expect(errors).toEqual([]);

    // ── A reader: the post, a card into the bag, the test payment ──────────────────────────────
    const reader = await newPage({ viewport, userAgent: READER_UA });
    const res = await reader.goto(`/posts/${slug}`);
    expect(res?.status()).toBe(200);
    expect(await reader.getByRole('heading', { level: 1 }).innerText()).toBe(title);
    const tiles = reader.locator('article.tile[data-card-position]');
    expect(await tiles.evaluateAll((els) => els.map((e) => e.getAttribute('data-product')))).toEqual([shirt.slug, bag.slug]);
    expect(await reader.getByText('Wash cold, dry flat.').count()).toBe(1);
    await expectNoSidewaysScroll(reader, 'the post');
    await shot(reader, `post-${width}`);
    // The reader scrolls past both cards (each is seen: a card view for each).
    await tiles.nth(0).scrollIntoViewIfNeeded();
    await tiles.nth(1).scrollIntoViewIfNeeded();
    const card = reader.locator(`article.tile[data-product="${bag.slug}"]`);
    const position = Number(await card.getAttribute('data-card-position'));
    const chips = card.locator('input[type="radio"][name="sku"]');
    if ((await chips.count()) > 0) await card.locator('label', { has: reader.locator(`input[value="${bag.skus[0]}"]`) }).click();
    const added = reader.waitForResponse((r) => new URL(r.url()).pathname === '/bag/add' && r.request().method() === 'POST');
    await card.getByRole('button', { name: 'Add to bag' }).click();
    expect((await added).status()).toBe(200);
    await expect.poll(() => reader.locator('[data-bag-count]').first().innerText()).toBe('1');
    // The cards seen are beaconed (every 5 s while there is something to send).
    const beacon = await reader.waitForResponse((r) => new URL(r.url()).pathname === '/api/card-events', { timeout: 8_000 });
    expect(await beacon.json()).toMatchObject({ ok: true });
    await reader.goto('/checkout');
    await reader.getByLabel('Email').fill(`e2e-studio-${label}-${uniqueTag()}@example.com`);
    await reader.getByLabel('Full name').fill('Grace Hopper');
    await reader.getByLabel('Street address').fill('1 Compiler Lane');
    await reader.getByLabel('City').fill('Arlington');
    await reader.getByLabel('State').fill('VA');
    await reader.getByLabel('Postcode').fill('22201');
    await reader.getByLabel('Country').selectOption('US');
    await Promise.all([reader.waitForURL(/\/pay\/test\//), reader.getByRole('button', { name: /Continue to test payment/ }).click()]);
    await Promise.all([reader.waitForURL(/\/orders\//), reader.getByRole('button', { name: /^Pay \$/ }).click()]);
    await expect.poll(() => reader.locator('main').innerText()).toMatch(/Paid/);

    // ── The creator's dashboard: the sale, credited to this post and this card ─────────────────
    await page.goto('/dashboard');
    await shot(page, `dashboard-${width}`);
    const price = `$${(bag.priceCents / 100).toFixed(2)}`;
    const postRow = page.locator('#posts tbody tr', { has: page.getByRole('link', { name: title }) });
    expect(await postRow.count()).toBe(1);
    const postCells = (await postRow.locator('td').allInnerTexts()).map((t) => t.trim());
    expect(postCells[4], `orders in ${postCells.join(' | ')}`).toBe('1');
    expect(postCells[5]).toBe(price);
    const cardRow = page.locator('#cards tbody tr', { hasText: `card ${position + 1}` }).filter({ has: page.getByRole('link', { name: title }) });
    expect(await cardRow.count()).toBe(1);
    const cardCells = (await cardRow.locator('td').allInnerTexts()).map((t) => t.trim());
    expect(cardCells[0]).toBe(bag.name);
    expect(cardCells[1], `views in ${cardCells.join(' | ')}`).toBe('1');
    expect(cardCells[5], `orders in ${cardCells.join(' | ')}`).toBe('1');
    expect(cardCells[6]).toBe(price);
    // The other card sold nothing.
    const other = page.locator('#cards tbody tr', { has: page.getByRole('link', { name: title }) }).filter({ hasNotText: `card ${position + 1}` });
    for (const row of await other.all()) expect((await row.locator('td').allInnerTexts())[5]?.trim()).toBe('0');

    // The studio list counts it too.
    await page.goto('/studio');
    const listed = page.locator('tbody tr', { has: page.getByRole('link', { name: title }) });
    expect(await listed.locator('.status').innerText()).toBe('Published');
    expect((await listed.locator('td[data-label="Card views"]').innerText()).trim()).toBe('2');
    expect((await listed.locator('td[data-label="Orders"]').innerText()).trim()).toBe('1');
    expect((await listed.locator('td[data-label="Sales"]').innerText()).trim()).toBe(price);
    await expectNoSidewaysScroll(page, '/studio with a post');
    expect.soft(await seriousProblems(page), 'axe, /studio with a post').toEqual([]);
    await shot(page, `studio-list-${width}`);
  });

  it('without JavaScript: the plain form saves, refuses an unfinished post in plain words, previews and publishes', async () => {
    const maker = await e2eCreator();
    const [coat, scarf] = [await twoSizeProduct('Coat', 19000), await twoSizeProduct('Scarf', 3900)];
    const slug = `studio-e2e-nojs-${uniqueTag()}`;
    const title = `Plain form ${slug.slice(-6)}`;
    const png = await sharp({ create: { width: 600, height: 750, channels: 3, background: '#6b7f8e' } }).png().toBuffer();
    const page = await newPage({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
    await login(page, { email: maker.email, password: maker.password });
    await page.goto('/studio');
    await Promise.all([page.waitForURL(/\/studio\/posts\/\d+$/), page.getByRole('button', { name: 'New post' }).click()]);
    const body = page.locator('textarea[name="body"]');
    expect(await body.isVisible()).toBe(true);

    // Publishing an unfinished post: 400, the form kept, every problem in people's words.
    await page.getByLabel('Title', { exact: true }).fill(title);
    await body.fill(`Autumn, plainly.\n\n<ProductCard product="${coat.slug}" variant="${coat.skus[0]}" />\n\n<ProductCard product="${scarf.slug}" />\n`);
    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && /\/studio\/posts\/\d+$/.test(new URL(r.url()).pathname)),
      page.getByRole('button', { name: 'Publish now' }).click(),
    ]);
    await page.waitForLoadState('load');
    expect(refused.status()).toBe(400);
    const alert = page.getByRole('alert').first();
    const said = await alert.innerText();
    expect(said).toMatch(/Before publishing/);
    expect(said, 'no internal names or validator wording').not.toMatch(/heroMediaId|heroAlt|String must|Required|invalid_type|undefined|null|cents/);
    expect(await page.getByLabel('Title', { exact: true }).inputValue()).toBe(title);
    await expectNoSidewaysScroll(page, 'the editor with errors, no JavaScript');
    await shot(page, 'editor-errors-nojs-390');

    // Finish it and save: the cover goes up with the form, the card ids are written in.
    await page.getByLabel('Address').fill(slug);
    await page.getByLabel('Summary').fill('A coat and a scarf for the first cold mornings, and nothing else.');
    await page.getByLabel('Kind').selectOption('look');
    await page.getByLabel('Tags').fill('autumn');
    await page.locator('input[type="file"][name="heroFile"]').setInputFiles({ name: 'cover.png', mimeType: 'image/png', buffer: png });
    await page.getByLabel('Describe the cover image').fill('A grey coat on a hook');
    await Promise.all([page.waitForURL((u) => u.searchParams.get('done') === 'saved'), page.getByRole('button', { name: 'Save draft' }).click()]);
    expect(await page.getByRole('status').filter({ hasText: 'Draft saved.' }).count()).toBe(1);
    expect(await body.inputValue()).toMatch(/card=\{0\}[\s\S]*card=\{1\}/);
    expect(await page.locator('[data-cover-preview] img').count()).toBe(1);
    expect(await page.locator('input[name="heroMediaId"]').inputValue()).toMatch(/^[A-Za-z0-9_-]{8,40}$/);

    // A change, then Preview: the preview shows it (the form is saved first).
    await page.getByLabel('Summary').fill('A coat and a scarf for the first cold mornings, and nothing more.');
    // Without JavaScript, Preview opens in this tab; "Back to the editor" returns to the saved draft.
    await Promise.all([page.waitForURL(/\/preview\//), page.getByRole('button', { name: 'Preview' }).click()]);
    expect(await page.locator(`article.tile[data-product="${coat.slug}"]`).count()).toBe(1);
    expect(await page.locator(`article.tile[data-product="${scarf.slug}"]`).count()).toBe(1);
    expect(await page.getByText('and nothing more.').count()).toBe(1);
    await Promise.all([page.waitForURL(/\/studio\/posts\/\d+$/), page.getByRole('link', { name: 'Back to the editor' }).click()]);
    // Writing on in the editor's tab after the preview, then saving: saved, not a conflict.
    await body.fill(`${await body.inputValue()}\nA line added after the preview.\n`);
    const [afterPreview] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && /\/studio\/posts\/\d+$/.test(new URL(r.url()).pathname)),
      page.getByRole('button', { name: 'Save draft' }).click(),
    ]);
    await page.waitForLoadState('load');
    expect(afterPreview.status(), await page.getByRole('alert').allInnerTexts().then((t) => t.join(' / '))).toBe(303);
    expect(await body.inputValue()).toContain('A line added after the preview.');

    await Promise.all([page.waitForURL((u) => u.searchParams.get('done') === 'published'), page.getByRole('button', { name: 'Publish now' }).click()]);
    // The revision it kept, on a phone.
    await Promise.all([page.waitForURL(/\/revisions\/\d+$/), page.locator('.ed-revs').getByRole('link', { name: 'View' }).first().click()]);
    await expectNoSidewaysScroll(page, 'a revision, no JavaScript');
    await shot(page, 'revision-nojs-390');
    const reader = await newPage({ javaScriptEnabled: false });
    expect((await reader.goto(`/posts/${slug}`))?.status()).toBe(200);
    expect(await reader.locator('article.tile[data-card-position]').evaluateAll((els) => els.map((e) => e.getAttribute('data-product')))).toEqual([coat.slug, scarf.slug]);
    expect(await reader.getByAltText('A grey coat on a hook').count()).toBeGreaterThan(0);
  });

  it('two windows on one draft: Preview in one does not stop its autosave, but the other window, with older text, is told of the conflict', async () => {
    const maker = await e2eCreator();
    const context = await newContext();
    const first = await context.newPage();
    await login(first, { email: maker.email, password: maker.password });
    await first.goto('/studio');
    await Promise.all([first.waitForURL(/\/studio\/posts\/\d+$/), first.getByRole('button', { name: 'New post' }).click()]);
    const second = await context.newPage();
    await second.goto(first.url());
    for (const p of [first, second]) await p.locator('.pe-prose[contenteditable="true"]').waitFor({ state: 'visible' });

    await expectAutosaved(first, async () => {
      await first.getByLabel('Title', { exact: true }).fill('Written in the first window');
      await first.locator('.pe-prose[contenteditable="true"]').click();
      await first.keyboard.type('First words.');
    });
    // Preview twice, typing in between: this window keeps saving.
    for (const words of [' More words.', ' And more.']) {
      const [preview] = await Promise.all([context.waitForEvent('page'), first.getByRole('button', { name: 'Preview' }).click()]);
      await preview.waitForLoadState('load');
      expect(await preview.getByRole('heading', { level: 1 }).innerText()).toBe('Written in the first window');
      await preview.close();
      await expectAutosaved(first, async () => {
        await first.locator('.pe-prose p').first().click();
        await first.keyboard.press('End');
        await first.keyboard.type(words);
      });
    }

    // The second window still holds the empty draft: its save is refused, and it says so.
    const refused = second.waitForResponse((r) => r.url().endsWith('/autosave') && r.request().method() === 'POST');
    await second.getByLabel('Title', { exact: true }).fill('Written in the second window');
    await second.getByLabel('Summary').focus();
    expect((await refused).status()).toBe(409);
    await expect.poll(() => second.locator('.pe-footer .pe-status').innerText()).toMatch(/^Not saved: This post was saved from another window/);
    expect(await second.locator('.pe-problems').innerText()).toMatch(/reload the page/i);
    const db = await e2eDb();
    const id = Number(new URL(first.url()).pathname.split('/').pop());
    const row = (await db.$client.execute({ sql: 'select title, body from posts where id = ?', args: [id] })).rows[0]!;
    expect(row.title).toBe('Written in the first window');
    expect(String(row.body)).toContain('First words. More words. And more.');
  });

  it('a button pressed while the cover is still uploading waits for it: one upload, and the draft saved with it', async () => {
    const maker = await e2eCreator();
    const page = await newPage();
    await login(page, { email: maker.email, password: maker.password });
    await page.goto('/studio');
    await Promise.all([page.waitForURL(/\/studio\/posts\/\d+$/), page.getByRole('button', { name: 'New post' }).click()]);
    await page.locator('.pe-prose[contenteditable="true"]').waitFor({ state: 'visible' });
    await page.getByLabel('Title', { exact: true }).fill('A slow upload');
    // Hold the upload for a moment, as a slow connection would.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await page.route('**/studio/posts/*/media', async (route) => {
      await held;
      await route.continue();
    });
    const png = await sharp({ create: { width: 500, height: 625, channels: 3, background: '#8e6b7f' } }).png().toBuffer();
    await page.locator('input[type="file"][name="heroFile"]').setInputFiles({ name: 'cover.png', mimeType: 'image/png', buffer: png });
    await expect.poll(() => page.locator('.pe-cover__status').innerText()).toBe('Uploading the cover image…');
    const posted = page.waitForRequest((r) => r.method() === 'POST' && /\/studio\/posts\/\d+$/.test(new URL(r.url()).pathname));
    await page.getByRole('button', { name: 'Save draft' }).click();
    await new Promise((r) => setTimeout(r, 300));
    release();
    const form = await posted;
    expect(form.postData() ?? '').not.toContain('image/png'); // the file is not sent twice
    await page.waitForURL((u) => u.searchParams.get('done') === 'saved');
    const db = await e2eDb();
    const media = await db.$client.execute({ sql: 'select id from media where owner_creator_id = ?', args: [maker.id] });
    expect(media.rows).toHaveLength(1);
    expect(await page.locator('input[name="heroMediaId"]').inputValue()).toBe(String(media.rows[0]!.id));
    expect(await page.locator('[data-cover-preview] img').count()).toBe(1);
  });

  it('the blocks: Move up, Change product ("Use these"), Remove — the saved post follows, card ids kept where the product stays', async () => {
    const maker = await e2eCreator();
    const [a, b, c, d] = [await twoSizeProduct('Belt', 3000), await twoSizeProduct('Cap', 2000), await twoSizeProduct('Sock', 1000), await twoSizeProduct('Glove', 2500)];
    const page = await newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await login(page, { email: maker.email, password: maker.password });
    await page.goto('/studio');
    await Promise.all([page.waitForURL(/\/studio\/posts\/\d+$/), page.getByRole('button', { name: 'New post' }).click()]);
    const prose = page.locator('.pe-prose[contenteditable="true"]');
    await prose.waitFor({ state: 'visible' });
    const body = page.locator('textarea[name="body"]');
    await expectAutosaved(page, async () => {
      await prose.click();
      await page.keyboard.type('Small things.');
      await page.keyboard.press('Enter');
      await insertCard(page, a, a.skus[0]);
      await insertCard(page, b, b.skus[0]);
      await insertCard(page, c, c.skus[1]);
    });
    await expect.poll(() => body.inputValue()).toMatch(/card=\{2\}/);
    const blocks = page.locator('.pe-block--card');
    const order = async () => {
      const text = await body.inputValue();
      return [...text.matchAll(/<ProductCard ([^>]*)\/>/g)].map((m) => {
        const product = /product="([^"]+)"/.exec(m[1]!)?.[1];
        const card = /card=\{(\d+)\}/.exec(m[1]!)?.[1];
        return `${[a, b, c, d].find((p) => p.slug === product)?.name.split(' ')[1] ?? product}#${card ?? '-'}`;
      });
    };
    expect(await order()).toEqual(['Belt#0', 'Cap#1', 'Sock#2']);

    // The sock card up one place.
    await expectAutosaved(page, () => blocks.nth(2).getByRole('button', { name: 'Move up' }).click());
    expect(await order()).toEqual(['Belt#0', 'Sock#2', 'Cap#1']);

    // The belt card shows gloves instead: a new card id (its figures are not the belt's).
    await blocks.nth(0).getByRole('button', { name: 'Change product' }).click();
    const picker = page.locator('dialog.pe-picker');
    await picker.waitFor({ state: 'visible' });
    expect(await picker.getByRole('heading', { level: 2 }).innerText()).toBe('Change the product');
    await picker.getByLabel('Search products').fill(d.name);
    await expect.poll(() => picker.locator('button.pe-picker__product').count()).toBe(1);
    await picker.locator('button.pe-picker__product', { hasText: d.name }).click();
    await expectAutosaved(page, async () => {
      await picker.getByRole('button', { name: 'Use these' }).click();
      await picker.waitFor({ state: 'detached' });
    });
    await expect.poll(order).toEqual(['Glove#3', 'Sock#2', 'Cap#1']);

    // The cap card removed.
    await expectAutosaved(page, () => blocks.nth(2).getByRole('button', { name: 'Remove' }).click());
    expect(await order()).toEqual(['Glove#3', 'Sock#2']);
    expect(await blocks.count()).toBe(2);

    // What was saved is what the editor shows after a reload.
    await page.reload();
    await prose.waitFor({ state: 'visible' });
    expect(await order()).toEqual(['Glove#3', 'Sock#2']);
    await expect.poll(() => blocks.count()).toBe(2);
    expect(errors).toEqual([]);
  });
});
