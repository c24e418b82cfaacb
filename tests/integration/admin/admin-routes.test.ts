/**
 * The admin home and the customer pages through Astro's Container API on a real database: status
 * codes, redirects and what the markup says (the period switch, links behind each figure, the
 * customer's orders), in milliseconds and without a browser. The admin guard is the middleware's.
 */
import { experimental_AstroContainer as AstroContainer } from 'astro/container';
import { loadRenderers } from 'astro:container';
import { getContainerRenderer } from '@astrojs/react/container-renderer';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { makeCreator, makeProduct, makeVariant } from '../../../db/factories/factories.ts';
import type { App } from '../../../src/server/flows/index.ts';
import { createTestDb } from '../../helpers/db.ts';
import { testApp } from '../../helpers/app.ts';
import { buy } from '../../helpers/buy.ts';

const holder = vi.hoisted(() => ({ app: undefined as unknown }));
vi.mock('../../../src/lib/app.ts', () => ({ getApp: async () => holder.app }));

const Home = (await import('../../../src/pages/admin/index.astro')).default;
const Customers = (await import('../../../src/pages/admin/customers/index.astro')).default;
const Customer = (await import('../../../src/pages/admin/customers/[email].astro')).default;

const ORIGIN = 'http://127.0.0.1:4321';
const admin = { id: 1, email: 'ops@lookbook.test', role: 'admin', creatorId: null } as App.Locals['user'];
let container: AstroContainer;
let app: App;

async function render(page: typeof Home, path: string, params: Record<string, string> = {}) {
  const res = await container.renderToResponse(page, { request: new Request(`${ORIGIN}${path}`), params, locals: { user: admin, session: null } as App.Locals });
  return { status: res.status, location: res.headers.get('location'), html: await res.text() };
}

beforeAll(async () => {
  const db = await createTestDb();
  app = testApp(db);
  holder.app = app;
  // The header's bag island uses the site's own `client:bag` directive: registered as the integration does.
  container = await AstroContainer.create({
    renderers: await loadRenderers([getContainerRenderer()]),
    manifest: { clientDirectives: new Map([['visible', '(()=>{})'], ['bag', '(()=>{})']]) },
  } as Parameters<typeof AstroContainer.create>[0]);
  await makeCreator(db, { handle: 'ana', displayName: 'Ana Ito' });
  await makeProduct(db, { slug: 'tee', name: 'Organic Cotton Tee', variants: [makeVariant({ sku: 'TEE', priceCents: 4000, stock: 50 })] });
  const now = Date.now();
  // Today (never yesterday, even a minute after midnight UTC), and 3 days ago.
  await buy(app, [{ sku: 'TEE', qty: 2, creator: 'ana' }], { email: 'ada@example.com', at: Math.max(now - 60_000, now - (now % 86_400_000)) });
  await buy(app, [{ sku: 'TEE', qty: 1 }], { email: 'ada@example.com', at: now - 3 * 86_400_000 });
});

describe('/admin', () => {
  it('shows the period and links every figure to its list', async () => {
    const r = await render(Home, '/admin?period=today');
    expect(r.status).toBe(200);
    expect(r.html).toMatch(/<a href="\/admin\?period=today" aria-current="page">Today<\/a>/);
    expect(r.html).toContain('$80.00'); // today: 2 tees
    expect(r.html).toContain('href="/admin/orders?view=to-ship"');
    expect(r.html).toContain('href="/admin/products?stock=low"');
    expect(r.html).toContain('href="/admin/payouts"');
    expect(r.html).toContain('href="/admin/creators/ana"');
    expect((await render(Home, '/admin?period=7d')).html).toContain('$120.00');
  });

  it('a bad period is a 400 with the message and the default figures', async () => {
    const r = await render(Home, '/admin?period=forever');
    expect(r.status).toBe(400);
    expect(r.html).toContain('Period must be one of');
    expect(r.html).toMatch(/aria-current="page">7 days</);
  });
});

describe('/admin/customers', () => {
  it('lists the buyer with a link to their page, and refuses a bad sort with a 400', async () => {
    const r = await render(Customers, '/admin/customers');
    expect(r.status).toBe(200);
    expect(r.html).toContain('href="/admin/customers/ada%40example.com"');
    expect(r.html).toContain('1 customer ·');
    const bad = await render(Customers, '/admin/customers?sort=price');
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('Sort must be one of');
  });

  it("a customer's page, its one URL, and a 404 for anyone else", async () => {
    const r = await render(Customer, '/admin/customers/ada%40example.com', { email: 'ada@example.com' });
    expect(r.status).toBe(200);
    expect(r.html).toContain('<h1 class="customer-email"');
    expect(r.html.match(/href="\/admin\/orders\/LB-[A-Z0-9-]+"/g)).toHaveLength(2);
    const moved = await render(Customer, '/admin/customers/ADA@example.com', { email: 'ADA@example.com' });
    expect({ status: moved.status, location: moved.location }).toEqual({ status: 301, location: '/admin/customers/ada%40example.com' });
    const unknown = await render(Customer, '/admin/customers/bo%40example.com', { email: 'bo@example.com' });
    expect(unknown.status).toBe(404);
    expect(unknown.html).toContain('Customer not found');
  });
});
