/**
 * Customers on a real database: buyers by normalised email (orders, total spent net of refunds,
 * last order, credited creators), search, sort, 50 a page; one customer's page with every order;
 * the customer address (encoding, one URL per address, unknown → not found).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Db } from '../../../src/server/db.ts';
import { createTestDb } from '../../helpers/db.ts';
import { testApp } from '../../helpers/app.ts';
import { makeCreator, makeProduct, makeVariant } from '../../../db/factories/factories.ts';
import { orderLines, orders } from '../../../db/schema/index.ts';
import { customerList, customerPage, refundOrderByShop, type App } from '../../../src/server/flows/index.ts';
import { adminCustomerHref, adminCustomersHref, customerEmailFromSegment, getCustomer, listCustomers, parseCustomerQuery, type CustomerQuery } from '../../../src/server/admin/index.ts';
import { buy } from '../../helpers/buy.ts';

const T0 = Date.UTC(2026, 2, 1, 12);
const DAY = 86_400_000;
const ACTOR = 'admin:ops@lookbook.test';
const SHIPPING = 595; // standard delivery under 150.00

let db: Db;
let app: App;
const q = (qs: string): CustomerQuery => {
  const r = parseCustomerQuery(new URLSearchParams(qs));
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.query;
};

beforeAll(async () => {
  db = await createTestDb();
  app = testApp(db);
  await makeCreator(db, { handle: 'ana', displayName: 'Ana Ito' });
  await makeCreator(db, { handle: 'ben', displayName: 'Ben Ode' });
  await makeProduct(db, { slug: 'tee', name: 'Organic Cotton Tee', variants: [makeVariant({ sku: 'TEE', priceCents: 4000, stock: 500 })] });
  await makeProduct(db, { slug: 'knit', name: 'Merino Knit', variants: [makeVariant({ sku: 'KNIT', priceCents: 9000, stock: 500 })] });

  // Ada: two paid orders under two spellings of one address, credited to Ana and Ben, and one never paid.
  await buy(app, [{ sku: 'TEE', qty: 1, creator: 'ana' }], { email: 'ada@example.com', at: T0 });
  await buy(app, [{ sku: 'KNIT', qty: 1, creator: 'ben' }, { sku: 'TEE', qty: 1 }], { email: '  Ada@Example.COM ', at: T0 + 2 * DAY });
  await buy(app, [{ sku: 'KNIT', qty: 1 }], { email: 'ada@example.com', at: T0 + 3 * DAY, pay: false });
  // Bob: one order of two knits (free shipping), one of them refunded.
  const bob = await buy(app, [{ sku: 'KNIT', qty: 2 }], { email: 'bob+shop@example.org', at: T0 + DAY });
  const line = await db.select().from(orderLines).where(eq(orderLines.orderId, bob.orderId)).get();
  expect(await refundOrderByShop(app, { orderId: bob.orderId, request: [{ lineId: line!.id, qty: 1 }], restock: true, actor: ACTOR, now: T0 + DAY + 1 })).toMatchObject({ ok: true });
  // Carol never paid: not a customer.
  await buy(app, [{ sku: 'TEE', qty: 1 }], { email: 'carol@example.com', at: T0, pay: false });
});

describe('listCustomers', () => {
  it('one row per normalised address: orders, total spent net of refunds, last order, credited creators', async () => {
    const page = await listCustomers(db, q(''));
    expect(page.total).toBe(2);
    expect(page.rows).toEqual([
      {
        email: 'ada@example.com',
        orders: 2,
        // 4000 + 5.95 shipping, then 9000 + 4000 + 5.95 shipping.
        spentCents: 4000 + SHIPPING + 13000 + SHIPPING,
        lastOrderAt: T0 + 2 * DAY,
        firstOrderAt: T0,
        creators: [
          { id: expect.any(Number), handle: 'ana', displayName: 'Ana Ito' },
          { id: expect.any(Number), handle: 'ben', displayName: 'Ben Ode' },
        ],
      },
      // 18000, free shipping, 9000 refunded.
      { email: 'bob+shop@example.org', orders: 1, spentCents: 9000, lastOrderAt: T0 + DAY, firstOrderAt: T0 + DAY, creators: [] },
    ]);
  });

  it('searches by part of the email, in any case', async () => {
    expect((await listCustomers(db, q('q=BOB'))).rows.map((r) => r.email)).toEqual(['bob+shop@example.org']);
    expect((await listCustomers(db, q('q=example.'))).total).toBe(2);
    expect((await listCustomers(db, q('q=carol'))).total).toBe(0);
  });

  it('sorts by last order, orders, total spent or email', async () => {
    const emails = async (s: string) => (await listCustomers(db, q(s))).rows.map((r) => r.email);
    expect(await emails('sort=last')).toEqual(['ada@example.com', 'bob+shop@example.org']);
    expect(await emails('sort=orders')).toEqual(['ada@example.com', 'bob+shop@example.org']);
    expect(await emails('sort=spent')).toEqual(['ada@example.com', 'bob+shop@example.org']);
    expect(await emails('sort=email')).toEqual(['ada@example.com', 'bob+shop@example.org']);
  });

  it('refuses a bad query in words', async () => {
    expect(parseCustomerQuery(new URLSearchParams('sort=price&page=0'))).toEqual({
      ok: false,
      errors: [
        { field: 'sort', message: 'Sort must be one of: last, orders, spent, email' },
        { field: 'page', message: 'Page must be 1 or more' },
      ],
    });
    expect(await customerList(app, new URLSearchParams('page=abc'))).toMatchObject({ ok: false, status: 400 });
  });

  it('50 a page', async () => {
    const db2 = await createTestDb();
    const app2 = testApp(db2);
    await makeProduct(db2, { slug: 'sock', variants: [makeVariant({ sku: 'SOCK', priceCents: 1000, stock: 1000 })] });
    for (let i = 0; i < 53; i++) await buy(app2, [{ sku: 'SOCK', qty: 1 + (i % 3) }], { email: `buyer${String(i).padStart(2, '0')}@example.com`, at: T0 + i * 60_000 });
    const first = await listCustomers(db2, q(''));
    expect({ total: first.total, pages: first.pages, rows: first.rows.length, top: first.rows[0]!.email }).toEqual({ total: 53, pages: 2, rows: 50, top: 'buyer52@example.com' });
    const second = await listCustomers(db2, q('page=2'));
    expect(second.rows.map((r) => r.email)).toEqual(['buyer02@example.com', 'buyer01@example.com', 'buyer00@example.com']);
    // By total spent: 3 socks (3000 + shipping) first, then by latest order.
    expect((await listCustomers(db2, q('sort=spent'))).rows[0]).toMatchObject({ email: 'buyer50@example.com', spentCents: 3000 + SHIPPING });
    expect((await listCustomers(db2, q('sort=email&page=2'))).rows.map((r) => r.email)).toEqual(['buyer50@example.com', 'buyer51@example.com', 'buyer52@example.com']);
  });
});

describe('a customer page', () => {
  it("lists every order of the address, newest first, with the paid figures on top", async () => {
    const c = await getCustomer(db, 'ADA@example.com');
    expect(c).toMatchObject({ email: 'ada@example.com', orders: 2, spentCents: 4000 + 13000 + 2 * SHIPPING, name: 'Ada Reader' });
    expect(c!.orderList.map((o) => [o.status, o.items, o.totalCents, o.creators])).toEqual([
      ['pending', 1, 9000 + SHIPPING, []],
      ['paid', 2, 13000 + SHIPPING, ['Ben Ode']],
      ['paid', 1, 4000 + SHIPPING, ['Ana Ito']],
    ]);
    const numbers = await db.select({ number: orders.number }).from(orders).where(eq(orders.email, 'ada@example.com'));
    expect(c!.orderList.map((o) => o.number).sort()).toEqual(numbers.map((n) => n.number).sort());
  });

  it('an address with no paid order, or none at all, is not a customer', async () => {
    expect(await getCustomer(db, 'carol@example.com')).toBeNull();
    expect(await getCustomer(db, 'nobody@example.com')).toBeNull();
  });

  it('the workflow: found, the one URL of an address, or not found', async () => {
    expect(adminCustomerHref('bob+shop@example.org')).toBe('/admin/customers/bob%2Bshop%40example.org');
    expect(await customerPage(app, 'bob%2Bshop%40example.org')).toMatchObject({ kind: 'found', customer: { email: 'bob+shop@example.org', orders: 1 } });
    // Typed by hand: an unescaped "@" or capitals → redirected to the one URL.
    expect(await customerPage(app, 'Bob+shop@example.org')).toEqual({ kind: 'redirect', to: '/admin/customers/bob%2Bshop%40example.org' });
    expect(await customerPage(app, 'carol%40example.com')).toEqual({ kind: 'not_found' });
    expect(await customerPage(app, '%E0%A4%A')).toEqual({ kind: 'not_found' }); // a broken escape
    expect(await customerPage(app, '42')).toEqual({ kind: 'not_found' }); // not an address (and never an id)
  });

  it('an address with "/", "?", "#" or "%" stays in its own path segment', () => {
    const weird = 'a/b?c#d%e@example.com';
    const href = adminCustomerHref(weird);
    expect(href).toBe('/admin/customers/a%2Fb%3Fc%23d%25e%40example.com');
    const segment = href.slice('/admin/customers/'.length);
    expect(segment).not.toMatch(/[/?#]/);
    expect(customerEmailFromSegment(segment)).toEqual({ email: weird, canonicalPath: true });
    expect(adminCustomersHref({ q: 'ada', sort: 'spent', page: 2 })).toBe('/admin/customers?q=ada&sort=spent&page=2');
  });
});

