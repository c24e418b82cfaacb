/**
 * The product list, its CSV export and the import page through Astro's Container API on a real
 * database: status codes, redirects and what the markup says, without a browser. The admin guard
 * and the origin check are the middleware's.
 */
import { experimental_AstroContainer as AstroContainer } from 'astro/container';
import { loadRenderers } from 'astro:container';
import { getContainerRenderer } from '@astrojs/react/container-renderer';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { makeProduct, makeVariant } from '../../../db/factories/factories.ts';
import { products } from '../../../db/schema/index.ts';
import type { App } from '../../../src/server/flows/index.ts';
import { createTestDb } from '../../helpers/db.ts';
import { testApp } from '../../helpers/app.ts';

const holder = vi.hoisted(() => ({ app: undefined as unknown }));
vi.mock('../../../src/lib/app.ts', () => ({ getApp: async () => holder.app }));

const List = (await import('../../../src/pages/admin/products/index.astro')).default;
const Import = (await import('../../../src/pages/admin/products/import.astro')).default;
const Export = await import('../../../src/pages/admin/products/export.csv.ts');

const ORIGIN = 'http://127.0.0.1:4321';
const admin = { id: 1, email: 'ops@lookbook.test', role: 'admin', creatorId: null } as App.Locals['user'];
let container: AstroContainer;
let app: App;
let coatId: number;

async function render(page: typeof List, path: string, init: RequestInit = {}) {
  const res = await container.renderToResponse(page, { request: new Request(`${ORIGIN}${path}`, init), locals: { user: admin, session: null } as App.Locals });
  return { status: res.status, location: res.headers.get('location'), html: await res.text() };
}

beforeAll(async () => {
  const db = await createTestDb();
  app = testApp(db);
  holder.app = app;
  container = await AstroContainer.create({
    renderers: await loadRenderers([getContainerRenderer()]),
    manifest: { clientDirectives: new Map([['visible', '(()=>{})'], ['bag', '(()=>{})']]) },
  } as Parameters<typeof AstroContainer.create>[0]);
  coatId = (await makeProduct(db, { slug: 'wool-coat', name: 'Wool Coat', brand: 'north', variants: [makeVariant({ sku: 'COAT-S', size: 'S', priceCents: 30000, stock: 2 }), makeVariant({ sku: 'COAT-M', size: 'M', priceCents: 32000, stock: 9 })] })).id;
  await makeProduct(db, { slug: 'linen-shirt', name: 'Linen Shirt', brand: 'acme', variants: [makeVariant({ sku: 'LS-S', size: 'S', priceCents: 4500, stock: 10 })] });
});

describe('/admin/products', () => {
  it('lists products with their summaries, each linking to its editor', async () => {
    const r = await render(List, '/admin/products');
    expect(r.status).toBe(200);
    expect(r.html).toContain(`href="/admin/products/${coatId}"`);
    expect(r.html).toContain('2 products · page 1 of 1');
    expect(r.html).toContain('$300.00 – $320.00');
    expect(r.html).toMatch(/>1 low</);
    expect(r.html).toContain('aria-labelledby="products-caption"');
    expect(r.html).toContain('href="/admin/products/export.csv"');
  });

  it('a bad address value is a 400 naming it, and the list is shown without it', async () => {
    const r = await render(List, '/admin/products?stock=lots&sort=colour&brand=nobody');
    expect(r.status).toBe(400);
    expect(r.html).toContain('Stock must be in stock, low stock or out of stock');
    expect(r.html).toContain('Sort by title, price, stock or last updated');
    expect(r.html).toContain('There is no brand “nobody”');
    expect(r.html).toContain('2 products · page 1 of 1');
    const past = await render(List, '/admin/products?page=4');
    expect(past.status).toBe(404);
    expect(past.html).toContain('This list has only one page.');
  });

  it('a bulk action redirects back to the same list and says what happened', async () => {
    const body = new URLSearchParams([['action', 'bulk'], ['bulk', 'deactivate'], ['id', String(coatId)], ['back', '?q=coat']]);
    const r = await render(List, '/admin/products', { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN } });
    expect(r.status).toBe(303);
    expect(r.location).toBe('/admin/products?q=coat&done=deactivate&n=1&of=1');
    const after = await render(List, r.location!);
    expect(after.html).toContain('1 product deactivated.');
    expect(after.html).toContain('Inactive');
    expect((await app.db.select().from(products).where(eq(products.id, coatId)).get())!.active).toBe(false);
    const none = await render(List, '/admin/products', { method: 'POST', body: new URLSearchParams([['action', 'bulk'], ['bulk', 'activate']]), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(none.status).toBe(400);
    expect(none.html).toContain('Select at least one product first');
  });

  it('a stale stock number is refused with the new number, and the quick edit stays open', async () => {
    const body = new URLSearchParams([['action', 'variant'], ['sku', 'COAT-M'], ['price', '320.00'], ['compareAt', ''], ['stock', '20'], ['stockWas', '7'], ['active', 'on'], ['back', '?q=coat']]);
    const r = await render(List, '/admin/products', { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(r.status).toBe(409);
    expect(r.html).toContain('On hand changed from 7 to 9 while the page was open');
    expect(r.html).toMatch(/<details class="quick"[^>]* open/);
  });
});

describe('/admin/products/export.csv', () => {
  it('answers the CSV (BOM, UTF-8, attachment), or a plain-text 400 for a bad filter', async () => {
    const res = await container.renderToResponse(Export as never, { routeType: 'endpoint', request: new Request(`${ORIGIN}/admin/products/export.csv?brand=acme`), locals: { user: admin, session: null } as App.Locals });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="products-\d{4}-\d{2}-\d{2}-filtered\.csv"$/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the BOM
    const text = new TextDecoder().decode(bytes);
    expect(text).toContain('linen-shirt,Linen Shirt,acme');
    const bad = await container.renderToResponse(Export as never, { routeType: 'endpoint', request: new Request(`${ORIGIN}/admin/products/export.csv?stock=lots`), locals: { user: admin, session: null } as App.Locals });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/^Stock must be/);
  });
});

describe('/admin/products/import', () => {
  const upload = (csv: string) => {
    const f = new FormData();
    f.append('action', 'check');
    f.append('file', new File([csv], 'products.csv', { type: 'text/csv' }));
    return f;
  };
  it('the dry run lists problems with a 400, then a clean file offers the import, which redirects with what it did', async () => {
    const header = 'handle,title,brand,category,tags,description,seo_title,seo_description,active,archived,sku,size,colour,price,compare_at,stock,variant_active';
    const bad = await render(Import, '/admin/products/import', { method: 'POST', body: upload(`${header}\nnew-bag,,acme,tops,,,,,yes,no,BAG-1,,,9.99,,x,yes\n`) });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('Nothing was imported: the file has 2 problems.');
    expect(bad.html).toMatch(/<td class="num"[^>]*>2<\/td><td class="mono"[^>]*>title<\/td><td[^>]*>Missing title\.<\/td>/);

    const clean = await render(Import, '/admin/products/import', { method: 'POST', body: upload(`${header}\nnew-bag,New Bag,acme,tops,,,,,yes,no,BAG-1,,,9.99,,4,yes\n`) });
    expect(clean.status).toBe(200);
    expect(clean.html).toContain('The file is clean');
    const csv = /name="csv" value="([^"]+)"/.exec(clean.html)?.[1];
    const seen = /name="seen" value="([^"]*)"/.exec(clean.html)?.[1]?.replace(/&quot;/g, '"');
    expect(csv && seen !== undefined).toBeTruthy();
    const done = await render(Import, '/admin/products/import', { method: 'POST', body: new URLSearchParams({ action: 'import', csv: csv!, seen: seen! }), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(done.status).toBe(303);
    const after = await render(Import, done.location!);
    expect(after.html).toContain('Imported 1 product (1 new, 0 updated) and 1 variant (1 new, 0 updated).');
    expect(await app.db.select().from(products).where(eq(products.slug, 'new-bag')).get()).toMatchObject({ name: 'New Bag', imagePath: '/images/products/placeholder.svg' });
  });
  it('refuses a file that is not UTF-8 text in words', async () => {
    const f = new FormData();
    f.append('action', 'check');
    f.append('file', new File([new Uint8Array([0xff, 0xfe, 0x00, 0xd8])], 'x.csv'));
    const r = await render(Import, '/admin/products/import', { method: 'POST', body: f });
    expect(r.status).toBe(400);
    expect(r.html).toContain('The file is not UTF-8 text.');
  });
});
