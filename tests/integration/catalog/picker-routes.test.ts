/**
 * The studio picker's routes through Astro's Container API on a real database: the products JSON
 * and the card preview fragment (statuses, what a reader would see, no post credit). Sessions and
 * the /studio role guard are the middleware's (tests/e2e); here `locals.user` is given directly.
 */
import { experimental_AstroContainer as AstroContainer } from 'astro/container';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { makeProduct, makeVariant } from '../../../db/factories/factories.ts';
import type { Db } from '../../../src/server/db.ts';
import type { SessionUser } from '../../../src/server/auth/index.ts';
import { formatMoney } from '../../../src/server/shared/index.ts';
import { createTestDb } from '../../helpers/db.ts';

// The routes take the process's database and formatter from src/lib/runtime.ts; here this file's.
const holder = vi.hoisted(() => ({ db: undefined as unknown }));
vi.mock('../../../src/lib/runtime.ts', async () => {
  const { formatMoney: format } = await import('../../../src/server/shared/index.ts');
  const actual = await vi.importActual<Record<string, unknown>>('../../../src/lib/runtime.ts');
  return { ...actual, getDb: async () => holder.db, money: (minor: number) => format(minor, { currency: 'USD', locale: 'en-US' }) };
});

const Products = await import('../../../src/pages/studio/api/products.ts');
const CardPreview = (await import('../../../src/pages/studio/api/card-preview.astro')).default;

const ORIGIN = 'http://127.0.0.1:4321';
const creator: SessionUser = { id: 1, email: 'dora@creators.test', role: 'creator', creatorId: 1 };
let container: AstroContainer;

beforeAll(async () => {
  const db: Db = await createTestDb();
  holder.db = db;
  container = await AstroContainer.create();
  await makeProduct(db, {
    slug: 'linen-shirt',
    name: 'Linen Shirt',
    brand: 'atelier-nord',
    category: 'tops',
    variants: [makeVariant({ sku: 'LIN-S', size: 'S', priceCents: 8900, stock: 3 }), makeVariant({ sku: 'LIN-M', size: 'M', priceCents: 8900, stock: 0 })],
  });
  await makeProduct(db, { slug: 'retired-coat', name: 'Retired Coat', active: false, variants: [makeVariant({ sku: 'RET-1', stock: 2 })] });
});

async function products(qs: string, user: SessionUser | null = creator) {
  const res = await container.renderToResponse(Products as never, { routeType: 'endpoint', request: new Request(`${ORIGIN}/studio/api/products${qs}`), locals: { user, session: null } as App.Locals });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> & { products?: { slug: string; priceLabel: string }[] } };
}

async function preview(qs: string, user: SessionUser | null = creator) {
  const res = await container.renderToResponse(CardPreview, { request: new Request(`${ORIGIN}/studio/api/card-preview${qs}`), locals: { user, session: null } as App.Locals });
  return { status: res.status, headers: res.headers, html: await res.text() };
}

describe('GET /studio/api/products', () => {
  it('answers the matching products with prices in the shop format, never cached', async () => {
    const { status, headers, body } = await products('?q=linen');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toBe('application/json');
    expect(headers.get('cache-control')).toBe('private, no-store');
    expect(body.products!.map((p) => [p.slug, p.priceLabel])).toEqual([['linen-shirt', formatMoney(8900, { currency: 'USD', locale: 'en-US' })]]);
    expect(body.categories).toEqual([{ slug: 'tops', name: 'Tops' }]);
  });
  it('refuses a search over 80 characters (400, in words) and a request without a user (401)', async () => {
    const long = await products(`?q=${'a'.repeat(81)}`);
    expect(long.status).toBe(400);
    expect(long.body).toMatchObject({ ok: false, message: expect.stringContaining('80 characters') });
    expect((await products('?q=linen', null)).status).toBe(401);
  });
});

describe('GET /studio/api/card-preview', () => {
  it('renders the reader card with live stock and no post source (a preview credits nobody)', async () => {
    const { status, headers, html } = await preview('?product=linen-shirt&variant=LIN-S');
    expect(status).toBe(200);
    expect(headers.get('cache-control')).toBe('private, no-store');
    expect(html).not.toMatch(/<!doctype|<head/i); // a fragment
    expect(html).toContain('data-card-preview="linen-shirt"');
    expect(html).toContain('Linen Shirt');
    expect(html).toMatch(/name="sku" value="LIN-M"[^>]*disabled/); // sold out now
    expect(html).not.toMatch(/name="post"|name="card"/);
  });
  it('404 for an unknown or inactive product, 400 for what is not a slug or SKU, 401 without a user', async () => {
    const gone = await preview('?product=retired-coat');
    expect(gone.status).toBe(404);
    expect(gone.html).toContain('not for sale');
    expect((await preview('?product=nope')).status).toBe(404);
    const bad = await preview('?product=%3Cscript%3E');
    expect(bad.status).toBe(400);
    expect(bad.html).not.toContain('<script>');
    expect((await preview('?product=linen-shirt&variant=a%20b')).status).toBe(400);
    expect((await preview('?product=linen-shirt', null)).status).toBe(401);
  });
});
