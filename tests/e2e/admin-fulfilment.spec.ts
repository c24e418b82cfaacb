/**
 * Fulfilment in Chromium (issue 10, ADR 0045): a reader buys two different items (without
 * JavaScript, the plain forms); the admin ships one line as a parcel — the order shows "Partly
 * shipped", still "Paid", and the packing slip lists only what is left — then the other; the order
 * shows "Shipped", the to-ship queue no longer lists it, and the buyer's page shows both parcels
 * with their tracking links. With SHOTS_DIR set, the admin pages and the slip are photographed at
 * 390 and 1366 px wide.
 */
import type { Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { e2eDb, login, newPage } from './helpers/browser.ts';
import { e2eProduct, type E2eProduct } from './helpers/fixtures.ts';

async function addToBag(page: Page, product: E2eProduct): Promise<void> {
  await page.goto(`/products/${product.slug}`);
  await Promise.all([page.waitForURL((u) => u.pathname === '/bag'), page.getByRole('button', { name: 'Add to bag' }).click()]);
}

async function buyTwo(page: Page, a: E2eProduct, b: E2eProduct, email: string): Promise<{ number: string; orderPath: string }> {
  await addToBag(page, a);
  await addToBag(page, b);
  await Promise.all([page.waitForURL((u) => u.pathname === '/checkout'), page.getByRole('link', { name: 'Check out' }).click()]);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Full name').fill('Grace Hopper');
  await page.getByLabel('Street address').fill('7 Compiler Lane');
  await page.getByLabel('City').fill('London');
  await page.getByLabel('Postcode').fill('SW1A 1AA');
  await page.getByLabel('Country').selectOption('GB');
  await page.getByRole('radio', { name: /Standard delivery/ }).check();
  await Promise.all([page.waitForURL((u) => u.pathname.startsWith('/pay/test/')), page.getByRole('button', { name: /^Continue to test payment/ }).click()]);
  const number = (await page.getByRole('heading', { level: 1 }).innerText()).replace(/^Pay for order\s+/, '').trim();
  await Promise.all([page.waitForURL((u) => u.pathname.startsWith('/orders/') && u.searchParams.has('t')), page.getByRole('button', { name: /^Pay .*\(test\)$/ }).click()]);
  const at = new URL(page.url());
  return { number, orderPath: at.pathname + at.search };
}

async function fulfilmentOf(number: string): Promise<{ status: string; fulfilment: string; parcels: number }> {
  const db = await e2eDb();
  const o = (await db.$client.execute({ sql: 'select id, status, fulfilment_status from orders where number = ?', args: [number] })).rows[0]!;
  const n = (await db.$client.execute({ sql: 'select count(*) as n from shipments where order_id = ?', args: [Number(o.id)] })).rows[0]!;
  return { status: String(o.status), fulfilment: String(o.fulfilment_status), parcels: Number(n.n) };
}

async function shoot(page: Page, name: string): Promise<void> {
  const dir = process.env.SHOTS_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  for (const width of [390, 1366]) {
    await page.setViewportSize({ width, height: 900 });
    // Nothing wider than the window (no sideways scroll on a phone).
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect.soft(overflow, `${name} at ${width}px scrolls sideways by ${overflow}px`).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(dir, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

describe('admin fulfilment', () => {
  test('the admin ships one of two lines, then the other; partial then shipped; the buyer sees both parcels', async () => {
    const tee = await e2eProduct({ stock: 5, priceCents: 2610, name: `Organic Cotton Tee ${Date.now().toString(36).toUpperCase()}` });
    const scarf = await e2eProduct({ stock: 5, priceCents: 3900, name: `Silk Scarf ${Date.now().toString(36).toUpperCase()}` });
    const buyer = await newPage({ javaScriptEnabled: false });
    const email = `e2e-fulfil-${Date.now().toString(36)}@example.com`;
    const { number, orderPath } = await buyTwo(buyer, tee, scarf, email);
    expect(await fulfilmentOf(number)).toEqual({ status: 'paid', fulfilment: 'unfulfilled', parcels: 0 });

    const admin = await newPage();
    await login(admin);
    // The order is in the to-ship queue.
    await admin.goto('/admin/orders?view=to-ship');
    expect(await admin.getByRole('heading', { level: 1 }).innerText()).toBe('Orders to ship');
    expect(await admin.getByRole('link', { name: number }).count()).toBe(1);

    await admin.goto(`/admin/orders/${number}`);
    expect(await admin.locator('.order-head [data-payment]').innerText()).toMatch(/Paid$/);
    expect(await admin.locator('.order-head [data-fulfilment]').innerText()).toMatch(/Not shipped$/);
    await shoot(admin, 'order-unfulfilled');

    // Parcel 1: the tee only (the scarf's quantity set to 0).
    const form = admin.locator('form', { has: admin.getByRole('heading', { name: 'Ship a parcel' }) });
    await form.getByLabel(new RegExp(scarf.name)).fill('0');
    await form.getByLabel('Carrier').fill('UPS');
    await form.getByLabel('Tracking number').fill('1Z999AA10123456784');
    await Promise.all([admin.waitForURL((u) => u.searchParams.get('done') === 'shipped-partly'), form.getByRole('button', { name: 'Ship these items' }).click()]);
    expect(await admin.getByRole('main').getByRole('status').first().innerText()).toMatch(/some items are still to ship/);
    expect(await admin.locator('.order-head [data-payment]').innerText()).toMatch(/Paid$/);
    expect(await admin.locator('.order-head [data-fulfilment]').innerText()).toMatch(/Partly shipped$/);
    expect(await fulfilmentOf(number)).toEqual({ status: 'paid', fulfilment: 'partial', parcels: 1 });
    const parcel1 = admin.locator('[data-parcel]').first();
    expect(await parcel1.innerText()).toContain(tee.name);
    expect(await parcel1.getByRole('link', { name: /1Z999AA10123456784/ }).getAttribute('href')).toMatch(/^https:\/\/www\.ups\.com\/track\?/);
    // The history says it in words.
    expect(await admin.locator('.history').innerText()).toContain(`Shipped 1 × ${tee.name} (One size) with UPS, tracking 1Z999AA10123456784; more to ship.`);
    await shoot(admin, 'order-partial');

    // The packing slip lists what is still to pack: the scarf, not the tee; no prices.
    await admin.goto(`/admin/orders/${number}/packing-slip`);
    const slip = await admin.locator('main').innerText();
    expect(slip).toContain(scarf.name);
    expect(slip).not.toContain(tee.name);
    expect(slip).toContain('7 Compiler Lane');
    expect(slip).not.toMatch(/\$\d/);
    await shoot(admin, 'packing-slip');

    // Parcel 2: what is left (the form proposes it), by DHL.
    await admin.goto(`/admin/orders/${number}`);
    const form2 = admin.locator('form', { has: admin.getByRole('heading', { name: 'Ship a parcel' }) });
    expect(await form2.getByLabel(new RegExp(scarf.name)).inputValue()).toBe('1');
    expect(await form2.getByLabel(new RegExp(tee.name)).isDisabled()).toBe(true);
    await form2.getByLabel('Carrier').fill('DHL');
    await form2.getByLabel('Tracking number').fill('JD014600006281230');
    await Promise.all([admin.waitForURL((u) => u.searchParams.get('done') === 'shipped'), form2.getByRole('button', { name: 'Ship these items' }).click()]);
    expect(await admin.locator('.order-head [data-fulfilment]').innerText()).toMatch(/Shipped$/);
    expect(await admin.locator('[data-parcel]').count()).toBe(2);
    expect(await admin.getByRole('heading', { name: 'Ship a parcel' }).count()).toBe(0);
    expect(await fulfilmentOf(number)).toEqual({ status: 'paid', fulfilment: 'shipped', parcels: 2 });

    // An internal note, for the shop only.
    await admin.getByLabel('Add a note').fill('Scarf sent separately: it came from the other warehouse.');
    await Promise.all([admin.waitForURL((u) => u.searchParams.get('done') === 'noted'), admin.getByRole('button', { name: 'Add note' }).click()]);
    expect(await admin.locator('.notes').innerText()).toContain('Scarf sent separately');
    await shoot(admin, 'order-shipped');

    // Off the to-ship queue; the list filters by fulfilment.
    await admin.goto(`/admin/orders?view=to-ship&q=${number}`);
    expect(await admin.getByRole('link', { name: number }).count()).toBe(0);
    await admin.goto(`/admin/orders?fulfilment=shipped&q=${number}`);
    expect(await admin.getByRole('link', { name: number }).count()).toBe(1);
    await shoot(admin, 'orders-list');
    // The CSV of the filtered list: money in shop units.
    const csv = await admin.request.get(`/admin/orders/export.csv?fulfilment=shipped&q=${number}`);
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toMatch(/^text\/csv/);
    const rows = (await csv.text()).replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatch(new RegExp(`^${number},.*,Paid,Shipped,2,USD,\\d+\\.\\d{2},0\\.00,\\d+\\.\\d{2}$`));

    // The buyer (no JavaScript) reloads the signed link: both parcels, each with its tracking link; no notes.
    const res = await buyer.goto(orderPath);
    expect(res?.status()).toBe(200);
    expect(await buyer.locator('section.order').getAttribute('data-status')).toBe('paid');
    expect(await buyer.locator('section.order').getAttribute('data-fulfilment')).toBe('shipped');
    expect(await buyer.getByRole('main').getByRole('status').first().innerText()).toBe('Payment: Paid · Delivery: Shipped');
    const parcels = buyer.locator('[data-parcel]');
    expect(await parcels.count()).toBe(2);
    expect(await parcels.nth(0).innerText()).toContain(tee.name);
    expect(await parcels.nth(0).locator('a[data-tracking]').getAttribute('href')).toMatch(/^https:\/\/www\.ups\.com\//);
    expect(await parcels.nth(1).innerText()).toContain(scarf.name);
    expect(await parcels.nth(1).locator('a[data-tracking]').getAttribute('href')).toMatch(/^https:\/\/www\.dhl\.com\//);
    expect(await buyer.locator('main').innerText()).not.toContain('Scarf sent separately');
    await shoot(buyer, 'buyer-order');
  });
});
