/**
 * Buy: from a post's cards to a paid order, with JavaScript and without, the confirmation
 * email in the dev mailbox and the signed order link in it, the admin shipping the order, a bad
 * checkout form, and a declined test payment — against the built server and its seeded database.
 *
 * Shared server and DB: every test stands alone (runnable by itself, in any order). Buyers have
 * unique emails; the purchases from posts take one unit of a few well-stocked SKUs; the shipping and
 * decline tests buy a product of their own, made for them (helpers/fixtures.ts).
 */
import type { Locator, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { e2eDb, login, newPage, openEmail, readOutbox, waitForEmail } from './helpers/browser.ts';
import { e2eProduct } from './helpers/fixtures.ts';

interface Buyer {
  email: string;
  name: string;
  line1: string;
  city: string;
  postcode: string;
  region?: string;
  country: string;
  shipping: 'standard' | 'express';
}

let seq = 0;
function buyer(tag: string, over: Partial<Buyer> = {}): Buyer {
  return {
    email: `e2e-${tag}-${Date.now().toString(36)}-${++seq}@example.com`,
    name: 'Ada Lovelace',
    line1: '12 Analytical Row',
    city: 'London',
    postcode: 'SW1A 1AA',
    country: 'GB',
    shipping: 'standard',
    ...over,
  };
}

/** "$1,234.50" → 123450 (the shop's currency has two decimals). */
function cents(text: string): number {
  const digits = text.replace(/[^\d]/g, '');
  if (!digits) throw new Error(`no price in ${JSON.stringify(text)}`);
  return Number(digits);
}

// ── Database reads (assertions only) ─────────────────────────────────────────────────────────────

interface Stock {
  onHand: number;
  available: number;
  priceCents: number;
}
async function stockOf(sku: string): Promise<Stock> {
  const db = await e2eDb();
  const rs = await db.$client.execute({
    sql: `select v.stock_on_hand, v.price_cents,
            max(v.stock_on_hand - coalesce((select sum(r.qty) from stock_reservations r
              where r.variant_id = v.id and r.status = 'active' and r.expires_at > ?), 0), 0) as available
          from variants v where v.sku = ?`,
    args: [Date.now(), sku],
  });
  const row = rs.rows[0];
  if (!row) throw new Error(`no variant ${sku}`);
  return { onHand: Number(row.stock_on_hand), available: Number(row.available), priceCents: Number(row.price_cents) };
}

interface OrderRow {
  id: number;
  number: string;
  status: string;
  fulfilmentStatus: string;
  email: string;
  totalCents: number;
  subtotalCents: number;
  shippingMethod: string;
  carrier: string | null;
  trackingNumber: string | null;
  lines: { sku: string; qty: number; unitPriceCents: number; sourcePost: string | null; sourceCard: number | null }[];
  reservations: { status: string; qty: number }[];
}
async function orderByNumber(number: string): Promise<OrderRow | undefined> {
  const db = await e2eDb();
  const o = (await db.$client.execute({ sql: 'select * from orders where number = ?', args: [number] })).rows[0];
  if (!o) return undefined;
  const id = Number(o.id);
  const lines = await db.$client.execute({ sql: 'select * from order_lines where order_id = ? order by id', args: [id] });
  const res = await db.$client.execute({ sql: 'select status, qty from stock_reservations where order_id = ? order by id', args: [id] });
  return {
    id,
    number: String(o.number),
    status: String(o.status),
    fulfilmentStatus: String(o.fulfilment_status),
    email: String(o.email),
    totalCents: Number(o.total_cents),
    subtotalCents: Number(o.subtotal_cents),
    shippingMethod: String(o.shipping_method),
    carrier: o.carrier === null ? null : String(o.carrier),
    trackingNumber: o.tracking_number === null ? null : String(o.tracking_number),
    lines: lines.rows.map((l) => ({
      sku: String(l.sku),
      qty: Number(l.qty),
      unitPriceCents: Number(l.unit_price_cents),
      sourcePost: l.source_post === null ? null : String(l.source_post),
      sourceCard: l.source_card === null ? null : Number(l.source_card),
    })),
    reservations: res.rows.map((r) => ({ status: String(r.status), qty: Number(r.qty) })),
  };
}
async function countRows(table: 'orders' | 'stock_reservations' | 'order_lines'): Promise<number> {
  const db = await e2eDb();
  return Number((await db.$client.execute(`select count(*) as n from ${table}`)).rows[0]!.n);
}

// ── Steps a buyer takes ──────────────────────────────────────────────────────────────────────────

const tileAt = (page: Page, position: number) => page.locator(`article.tile[data-card-position="${position}"]`);
const drawerOf = (page: Page) => page.locator('[data-bag-drawer]');

/** Closes the bag drawer if one is open (Escape, as a keyboard user would). */
async function closeDrawer(page: Page): Promise<void> {
  const drawer = drawerOf(page);
  if ((await drawer.count()) === 0) return;
  await page.keyboard.press('Escape');
  await drawer.waitFor({ state: 'detached' });
}

/**
 * Clicks an "Add to bag" button and waits until the add has landed: with the plain form the browser
 * ends on /bag ("Added … to your bag."); with the enhancement it stays put, the header count moves on
 * and a drawer (if the page has one) opens — it is closed again.
 */
async function clickAdd(page: Page, button: Locator): Promise<void> {
  await closeDrawer(page);
  const count = page.locator('[data-bag-count]').first();
  const countBefore = (await count.count()) > 0 ? Number(await count.innerText()) : undefined;
  const posted = page.waitForResponse((r) => new URL(r.url()).pathname === '/bag/add' && r.request().method() === 'POST');
  await button.click();
  const res = await posted;
  expect([200, 303], `POST /bag/add answered ${res.status()}`).toContain(res.status());
  if (res.status() === 303) {
    await page.waitForURL((u) => u.pathname === '/bag');
    expect(await page.getByRole('main').getByRole('status').filter({ hasText: /^Added / }).innerText()).toMatch(/^Added .* to your bag\.$/);
    return;
  }
  expect(((await res.json()) as { ok: boolean }).ok).toBe(true);
  if (countBefore !== undefined) await expect.poll(async () => Number(await count.innerText())).toBeGreaterThan(countBefore);
  await drawerOf(page)
    .waitFor({ state: 'visible', timeout: 5_000 })
    .then(
      () => closeDrawer(page),
      () => undefined, // no drawer on this page
    );
}

/**
 * Adds the card at `position` to the bag with `sku` chosen, the way a reader does: click the size
 * chip (if the card has chips) and "Add to bag"; back on the post afterwards either way.
 */
async function addFromCard(page: Page, post: string, position: number, sku: string): Promise<void> {
  await closeDrawer(page);
  const tile = tileAt(page, position);
  const chips = tile.locator('input[type="radio"][name="sku"]');
  if ((await chips.count()) > 0) {
    await tile.locator('label', { has: page.locator(`input[name="sku"][value="${sku}"]`) }).click();
    expect(await tile.locator('input[name="sku"]:checked').inputValue()).toBe(sku);
  } else {
    expect(await tile.locator('input[name="sku"]').inputValue()).toBe(sku);
  }
  await clickAdd(page, tile.getByRole('button', { name: 'Add to bag' }));
  if (new URL(page.url()).pathname !== `/posts/${post}`) await page.goto(`/posts/${post}`);
}

/**
 * To /bag through the header's bag link. With JavaScript the link may open the drawer instead;
 * then its "View bag" link. Pages without a header bag link: by address.
 */
async function openBag(page: Page): Promise<void> {
  await closeDrawer(page);
  if (new URL(page.url()).pathname === '/bag') return;
  const link = page.locator('a[data-bag-link]').first();
  if ((await link.count()) === 0) {
    await page.goto('/bag');
    return;
  }
  const atBag = page.waitForURL((u) => u.pathname === '/bag').then(() => 'bag' as const);
  const drawer = drawerOf(page).waitFor({ state: 'visible' }).then(() => 'drawer' as const);
  atBag.catch(() => undefined);
  drawer.catch(() => undefined);
  await link.click();
  if ((await Promise.race([atBag, drawer])) === 'drawer') {
    await Promise.all([page.waitForURL((u) => u.pathname === '/bag'), drawerOf(page).getByRole('link', { name: 'View bag' }).click()]);
  }
  expect(new URL(page.url()).pathname).toBe('/bag');
}

async function fillCheckout(page: Page, b: Buyer): Promise<void> {
  await page.getByLabel('Email').fill(b.email);
  await page.getByLabel('Full name').fill(b.name);
  await page.getByLabel('Street address').fill(b.line1);
  await page.getByLabel('City').fill(b.city);
  await page.getByLabel('Postcode').fill(b.postcode);
  if (b.region) await page.getByLabel('State').fill(b.region);
  await page.getByLabel('Country').selectOption(b.country);
  await page.getByRole('radio', { name: b.shipping === 'express' ? /Express delivery/ : /Standard delivery/ }).check();
}

/** Bag → checkout → test payment page; returns the order number and the amount the pay page asks. */
async function checkOut(page: Page, b: Buyer): Promise<{ number: string; totalCents: number }> {
  await Promise.all([page.waitForURL((u) => u.pathname === '/checkout'), page.getByRole('link', { name: 'Check out' }).click()]);
  expect(await page.getByRole('note').filter({ hasText: 'Test mode' }).isVisible()).toBe(true);
  await fillCheckout(page, b);
  const place = page.getByRole('button', { name: /^Continue to test payment/ });
  // What the buyer is shown as the total when they press the button (summary and button label).
  const shownTotal = cents(await page.locator('[data-total]').innerText());
  const buttonTotal = cents((await place.innerText()).split('·').pop()!);
  await Promise.all([page.waitForURL((u) => u.pathname.startsWith('/pay/test/')), place.click()]);
  expect(await page.getByRole('note').first().innerText()).toMatch(/^TEST MODE/);
  const heading = await page.getByRole('heading', { level: 1 }).innerText();
  const number = heading.replace(/^Pay for order\s+/, '').trim();
  expect(number).toMatch(/\S+/);
  const totalCents = cents(await page.locator('.amount').innerText());
  // No surprises in the total: the payment page asks what the checkout showed. Soft, so the
  // rest of the purchase is still checked when this fails.
  expect.soft(buttonTotal, `checkout button said ${buttonTotal}, pay page asks ${totalCents} (${b.shipping} shipping)`).toBe(totalCents);
  expect.soft(shownTotal, `checkout summary said ${shownTotal}, pay page asks ${totalCents} (${b.shipping} shipping)`).toBe(totalCents);
  return { number, totalCents };
}

/** On the test payment page: "Pay", landing on the signed order page. */
async function pay(page: Page): Promise<void> {
  await Promise.all([page.waitForURL((u) => u.pathname.startsWith('/orders/') && u.searchParams.has('t')), page.getByRole('button', { name: /^Pay .*\(test\)$/ }).click()]);
}

/**
 * The whole purchase from a post: two cards (two different products), bag, checkout, payment,
 * confirmation, email, the order link from the email. Asserts money, stock and attribution on the way.
 */
async function buyFromPost(page: Page, o: { post: string; cards: { position: number; sku: string }[]; buyer: Buyer }) {
  const before = new Map<string, Stock>();
  for (const c of o.cards) before.set(c.sku, await stockOf(c.sku));

  const res = await page.goto(`/posts/${o.post}`);
  expect(res?.status()).toBe(200);
  for (const c of o.cards) await addFromCard(page, o.post, c.position, c.sku);

  await openBag(page);
  const lines = page.locator('li.line[data-sku]');
  expect((await lines.evaluateAll((els) => els.map((e) => e.getAttribute('data-sku')))).sort()).toEqual(o.cards.map((c) => c.sku).sort());
  const subtotal = o.cards.reduce((n, c) => n + before.get(c.sku)!.priceCents, 0);
  expect(cents(await page.locator('.summary dl > div', { hasText: 'Subtotal' }).locator('dd').innerText())).toBe(subtotal);

  const { number, totalCents } = await checkOut(page, o.buyer);
  // Checkout reserved the units; nothing is taken off the shelf until payment.
  const pending = await orderByNumber(number);
  expect(pending?.status).toBe('pending');
  expect(pending?.totalCents).toBe(totalCents);
  expect(pending?.subtotalCents).toBe(subtotal);
  expect(pending?.shippingMethod).toBe(o.buyer.shipping);
  expect(pending?.reservations.map((r) => r.status)).toEqual(o.cards.map(() => 'active'));
  for (const c of o.cards) {
    const s = await stockOf(c.sku);
    expect(s.onHand, `${c.sku} on hand while pending`).toBe(before.get(c.sku)!.onHand);
    expect(s.available, `${c.sku} available while pending`).toBe(before.get(c.sku)!.available - 1);
  }

  await pay(page);
  expect(new URL(page.url()).searchParams.get('from')).toBe('checkout');
  expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Thank you — your order is confirmed');
  expect(await page.locator('section.order').getAttribute('data-status')).toBe('paid');
  expect(await page.getByRole('main').getByRole('status').first().innerText()).toBe('Payment: Paid');
  expect((await page.locator('.eyebrow').first().textContent())?.trim()).toBe(`Order ${number}`);
  expect(cents(await page.locator('dl .total dd').innerText())).toBe(totalCents);
  expect(await page.locator('address').innerText()).toContain(o.buyer.line1);

  // Paid: stock taken off the shelf, reservation converted, each line credited to the post and card.
  const paid = await orderByNumber(number);
  expect(paid?.status).toBe('paid');
  expect(paid?.reservations.map((r) => r.status)).toEqual(o.cards.map(() => 'converted'));
  for (const c of o.cards) {
    const s = await stockOf(c.sku);
    expect(s.onHand, `${c.sku} on hand after payment`).toBe(before.get(c.sku)!.onHand - 1);
    expect(s.available).toBe(before.get(c.sku)!.available - 1);
    const line = paid!.lines.find((l) => l.sku === c.sku);
    expect(line, `order line for ${c.sku}`).toMatchObject({ qty: 1, unitPriceCents: before.get(c.sku)!.priceCents, sourcePost: o.post, sourceCard: c.position });
  }

  // The bag is empty again.
  await page.goto('/bag');
  expect(await page.getByText('Your bag is empty.').isVisible()).toBe(true);

  // The confirmation email, and the signed order link in it.
  const row = await waitForEmail(page, { to: o.buyer.email, kind: 'order_confirmation' });
  expect(row.subject).toContain(`Order ${number} confirmed`);
  const email = await openEmail(page, row.id);
  expect(email.text).toContain(number);
  const orderLink = email.links.find((l) => new URL(l).pathname === `/orders/${number}`);
  expect(orderLink, `order link in ${JSON.stringify(email.links)}`).toBeTruthy();
  expect(new URL(orderLink!).searchParams.get('t')).toBeTruthy();
  expect(email.html).toContain(`/orders/${number}?t=`);
  // The link's host is the configured SITE_URL; follow its path and token on this server.
  const signed = new URL(orderLink!);
  const opened = await page.goto(signed.pathname + signed.search);
  expect(opened?.status()).toBe(200);
  expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Paid — being packed');
  expect((await page.locator('.eyebrow').first().textContent())?.trim()).toBe(`Order ${number}`);
  const titles = await page.locator('#items-title + ul.lines li a').allInnerTexts();
  expect(titles).toHaveLength(o.cards.length);
  // Without the token, or with someone else's, the order is not there.
  expect((await page.request.get(signed.pathname)).status()).toBe(404);
  expect((await page.request.get(`${signed.pathname}?t=${'0'.repeat(32)}`)).status()).toBe(404);

  return { number, totalCents, orderPath: signed.pathname + signed.search };
}

/** A paid order of one unit of `product`, bought on its product page; ends on the signed order page. */
async function buyOnProductPage(page: Page, product: { slug: string }, b: Buyer): Promise<{ number: string; orderPath: string }> {
  await page.goto(`/products/${product.slug}`);
  await clickAdd(page, page.getByRole('button', { name: 'Add to bag' }));
  await openBag(page);
  const { number } = await checkOut(page, b);
  await pay(page);
  const at = new URL(page.url());
  return { number, orderPath: at.pathname + at.search };
}

describe('buy', () => {
  test('with JavaScript: two cards from a post → bag → checkout → test payment → confirmation, email and order link', async () => {
    const page = await newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await buyFromPost(page, {
      post: 'saturday-uniform-poplin-and-denim',
      cards: [
        { position: 4, sku: 'POS-WHT-M' }, // the poplin shirt card, as preselected
        { position: 5, sku: 'WLJ-IND-L' }, // the jeans card, another size chosen
      ],
      buyer: buyer('js', { shipping: 'express', country: 'US', city: 'San Francisco', region: 'CA', postcode: '94110' }),
    });
    expect(errors).toEqual([]);
  });

  test('with JavaScript: adding from a card updates the header count in place and opens the bag drawer', async () => {
    const post = 'office-to-dinner-tailoring';
    const page = await newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`/posts/${post}`);
    const postUrl = page.url();
    let navigations = 0;
    page.on('framenavigated', (f) => {
      if (f === page.mainFrame()) navigations++;
    });

    const count = page.locator('[data-bag-count]');
    expect(await count.count()).toBe(1);
    expect(await count.innerText()).toBe('0');

    // First add: the blazer card, the creator's size picked on its chips (cards preselect none).
    const blazer = tileAt(page, 5);
    expect(await blazer.getAttribute('data-product')).toBe('oversized-wool-blazer');
    await blazer.locator('label', { has: page.locator('input[value="OWB-CHA-M"]') }).click();
    const blazerSku = await blazer.locator('input[name="sku"]:checked').inputValue();
    const blazerPrice = (await stockOf(blazerSku)).priceCents;
    const added = page.waitForResponse((r) => new URL(r.url()).pathname === '/bag/add');
    await blazer.getByRole('button', { name: 'Add to bag' }).click();
    expect(await (await added).json()).toMatchObject({ ok: true, count: 1 });
    await expect.poll(() => count.innerText()).toBe('1');
    expect(await page.locator('[data-bag-count-label]').textContent()).toBe(', 1 item');
    expect(await page.locator('[data-bag-status]').textContent()).toBe('Added to your bag.');

    // The drawer opens as a dialog with the line and the subtotal, focus inside it.
    const dialog = page.getByRole('dialog', { name: /Your bag/ });
    await dialog.waitFor({ state: 'visible' });
    await expect.poll(() => dialog.getByRole('heading').innerText()).toBe('Your bag (1)');
    expect(await dialog.getByRole('link', { name: 'Oversized Wool Blazer' }).count()).toBe(1);
    expect(cents(await dialog.locator('.drawer__subtotal strong').innerText())).toBe(blazerPrice);
    expect(await page.evaluate(() => document.activeElement?.closest('[role="dialog"]') !== null)).toBe(true);
    await page.keyboard.press('Escape');
    await drawerOf(page).waitFor({ state: 'detached' });

    // Second add, another card and a size picked on its chips: the count goes to 2, the drawer re-opens.
    const cami = tileAt(page, 6);
    expect(await cami.getAttribute('data-product')).toBe('silk-slip-camisole');
    await cami.locator('label', { has: page.locator('input[value="SSC-CHP-M"]') }).click();
    const camiButton = cami.getByRole('button', { name: 'Add to bag' });
    await camiButton.click();
    await expect.poll(() => count.innerText()).toBe('2');
    await expect.poll(() => dialog.getByRole('heading').innerText()).toBe('Your bag (2)');
    expect(await dialog.getByRole('listitem').count()).toBe(2);
    expect(cents(await dialog.locator('.drawer__subtotal strong').innerText())).toBe(blazerPrice + (await stockOf('SSC-CHP-M')).priceCents);
    // Closing gives focus back to the button that opened it (the dialog pattern), not to <body>.
    // Soft: a failure here is reported, and the rest of the drawer checks still run.
    await dialog.getByRole('button', { name: 'Close bag' }).click();
    await drawerOf(page).waitFor({ state: 'detached' });
    const focused = await page.evaluate(() => {
      const el = document.activeElement;
      return el === document.body || !el ? 'BODY' : `${el.tagName} ${el.textContent?.trim().slice(0, 40)}`;
    });
    expect.soft(await camiButton.evaluate((b) => b === document.activeElement), `focus after closing the drawer is on ${focused}`).toBe(true);

    // None of that navigated.
    expect(navigations).toBe(0);
    expect(page.url()).toBe(postUrl);

    // The header link opens the drawer too; "View bag" goes to the full bag, which agrees.
    await page.locator('a[data-bag-link]').click();
    await dialog.waitFor({ state: 'visible' });
    expect(navigations).toBe(0);
    await Promise.all([page.waitForURL((u) => u.pathname === '/bag'), dialog.getByRole('link', { name: 'View bag' }).click()]);
    expect((await page.locator('li.line[data-sku]').evaluateAll((els) => els.map((e) => e.getAttribute('data-sku')))).sort()).toEqual([blazerSku, 'SSC-CHP-M'].sort());
    expect(await page.locator('[data-bag-count]').innerText()).toBe('2');
    expect(errors).toEqual([]);
  });

  test('without JavaScript: the same purchase with plain forms', async () => {
    const page = await newPage({ javaScriptEnabled: false });
    await buyFromPost(page, {
      post: 'slip-dress-after-dark',
      cards: [
        { position: 4, sku: 'SBD-MID-XS' },
        { position: 7, sku: 'LWD-BGR-M' },
      ],
      buyer: buyer('nojs'),
    });
  });

  test('the admin marks a paid order shipped; the buyer’s signed order page shows the tracking number', async () => {
    // A paid order of its own, bought without JavaScript.
    const buyerPage = await newPage({ javaScriptEnabled: false });
    const b = buyer('ship');
    const shipped = { page: buyerPage, email: b.email, ...(await buyOnProductPage(buyerPage, await e2eProduct({ stock: 5 }), b)) };
    expect((await orderByNumber(shipped.number))?.status).toBe('paid');

    const tracking = `1Z999AA1${Date.now().toString().slice(-10)}`;
    const admin = await newPage();
    await login(admin);
    const res = await admin.goto(`/admin/orders/${shipped.number}`);
    expect(res?.status()).toBe(200);
    expect(await admin.locator('.order-head [data-payment]').innerText()).toMatch(/Paid$/);
    const form = admin.locator('form', { has: admin.getByRole('heading', { name: 'Ship a parcel' }) });
    await form.getByLabel('Carrier').fill('UPS');
    await form.getByLabel('Tracking number').fill(tracking);
    await Promise.all([admin.waitForURL((u) => u.searchParams.get('done') === 'shipped'), form.getByRole('button', { name: 'Ship these items' }).click()]);
    expect(await admin.getByRole('main').getByRole('status').first().innerText()).toMatch(/Parcel shipped/);
    // Payment and fulfilment apart (ADR 0045): still paid, now shipped.
    expect(await admin.locator('.order-head [data-payment]').innerText()).toMatch(/Paid$/);
    expect(await admin.locator('.order-head [data-fulfilment]').innerText()).toMatch(/Shipped$/);

    const order = await orderByNumber(shipped.number);
    expect(order).toMatchObject({ status: 'paid', fulfilmentStatus: 'shipped', carrier: 'UPS', trackingNumber: tracking });

    // The buyer (no JavaScript) reloads the signed link from the email.
    const page = shipped.page;
    const again = await page.goto(shipped.orderPath);
    expect(again?.status()).toBe(200);
    expect(await page.locator('section.order').getAttribute('data-status')).toBe('paid');
    expect(await page.locator('section.order').getAttribute('data-fulfilment')).toBe('shipped');
    expect(await page.getByRole('main').getByRole('status').first().innerText()).toBe('Payment: Paid · Delivery: Shipped');
    expect(await page.locator('[data-tracking]').innerText()).toContain(tracking); // a link to the carrier's page, with its hidden "(track at UPS …)"
    expect(await page.locator('.tracking').innerText()).toContain('Shipped with UPS');

    // And is told by email, with the tracking number.
    const row = await waitForEmail(page, { to: shipped.email, kind: 'order_shipped' });
    const email = await openEmail(page, row.id);
    expect(email.subject).toContain(`Order ${shipped.number} has shipped`);
    expect(email.text).toContain(tracking);
  });

  test('checkout with an invalid email: the error is next to the field and in the summary, and nothing is ordered', async () => {
    const page = await newPage();
    await page.goto('/products/canvas-market-tote?colour=Natural');
    await clickAdd(page, page.getByRole('button', { name: 'Add to bag' }));
    await openBag(page);
    await Promise.all([page.waitForURL((u) => u.pathname === '/checkout'), page.getByRole('link', { name: 'Check out' }).click()]);

    const orders = await countRows('orders');
    const reservations = await countRows('stock_reservations');
    const stock = await stockOf('CMT-NAT-OS');

    const b = buyer('bademail');
    await fillCheckout(page, { ...b, email: 'ada.lovelace@' });
    const [res] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/checkout' && r.request().method() === 'POST'),
      page.getByRole('button', { name: /^Continue to test payment/ }).click(),
    ]);
    await page.waitForLoadState('load');
    expect(res.status()).toBe(400);
    expect(new URL(page.url()).pathname).toBe('/checkout');

    // Next to the field, tied to it for screen readers.
    const field = page.getByLabel('Email');
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    const describedBy = await field.getAttribute('aria-describedby');
    expect(describedBy).toBeTruthy();
    const message = await page.locator(`#${describedBy}`).innerText();
    expect(message).toMatch(/email address like name@example\.com/i);
    expect(await page.locator(`#${describedBy}`).isVisible()).toBe(true);
    // Summarised at the top, linking to the field.
    const summary = page.getByRole('alert');
    expect(await summary.count()).toBe(1);
    const link = summary.getByRole('link', { name: 'Email' });
    expect(await link.getAttribute('href')).toBe('#f-email');
    expect(await summary.innerText()).toContain(message);
    // Only the email is wrong; what the buyer typed is kept.
    expect(await page.locator('[aria-invalid="true"]').count()).toBe(1);
    expect(await field.inputValue()).toBe('ada.lovelace@');
    expect(await page.getByLabel('Full name').inputValue()).toBe(b.name);
    expect(await page.getByLabel('Country').inputValue()).toBe(b.country);

    // Nothing ordered, nothing reserved.
    expect(await countRows('orders')).toBe(orders);
    expect(await countRows('stock_reservations')).toBe(reservations);
    expect(await stockOf('CMT-NAT-OS')).toEqual(stock);
  });

  test('"Decline payment" cancels the order and frees the stock it held', async () => {
    const made = await e2eProduct({ stock: 1 }); // its last unit: held at checkout, free again after the decline
    const sku = made.sku;
    const start = await stockOf(sku);
    expect(start).toEqual({ onHand: 1, available: 1, priceCents: made.priceCents });
    const product = `/products/${made.slug}`;

    const page = await newPage();
    await page.goto(product);
    const left = `Only ${start.available} left`;
    expect(await page.locator('.pdp__info .badge').innerText()).toBe(left);
    await page.getByLabel('Quantity').fill(String(start.available));
    await clickAdd(page, page.getByRole('button', { name: 'Add to bag' }));
    await openBag(page);
    const b = buyer('decline');
    const { number } = await checkOut(page, b);

    // Held: another reader sees it sold out while the buyer is on the payment page.
    const reader = await newPage();
    await reader.goto(product);
    expect(await reader.locator('.pdp__info .badge').innerText()).toBe('Sold out');
    expect(await reader.getByRole('button', { name: 'Sold out' }).isDisabled()).toBe(true);
    expect((await stockOf(sku)).available).toBe(0);

    await Promise.all([page.waitForURL((u) => u.pathname === `/orders/${number}`), page.getByRole('button', { name: 'Decline payment' }).click()]);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Order canceled');
    expect(await page.locator('section.order').getAttribute('data-status')).toBe('canceled');
    expect(await page.getByRole('main').getByRole('status').first().innerText()).toBe('Payment: Canceled');

    const order = await orderByNumber(number);
    expect(order?.status).toBe('canceled');
    expect(order?.reservations.map((r) => r.status)).toEqual(['released']);
    expect(await stockOf(sku)).toEqual(start);

    // The piece is back on sale for everyone.
    await reader.goto(product);
    expect(await reader.locator('.pdp__info .badge').innerText()).toBe(left);
    expect(await reader.getByRole('button', { name: 'Add to bag' }).isEnabled()).toBe(true);
    // No confirmation was sent.
    expect((await readOutbox(reader)).filter((r) => r.to === b.email)).toEqual([]);
  });
});
