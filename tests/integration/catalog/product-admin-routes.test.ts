/**
 * The product admin's routes through Astro's Container API on a real database
 * (src/pages/admin/products/new.astro, [id].astro, [id]/images.ts): statuses, redirects, field
 * messages and what is written. The /admin role guard is the middleware's (tests/e2e); here
 * `locals.user` is given directly, and the workflows check it again.
 */
import { experimental_AstroContainer as AstroContainer } from 'astro/container';
import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { makeProduct, makeVariant, upsertBrand, upsertCategory } from '../../../db/factories/factories.ts';
import { productImages, products } from '../../../db/schema/index.ts';
import type { Db } from '../../../src/server/db.ts';
import { createUser, type SessionUser } from '../../../src/server/auth/index.ts';
import { loadRenderers } from 'astro:container';
import { getContainerRenderer } from '@astrojs/react/container-renderer';
import { createTestDb } from '../../helpers/db.ts';

// The pages take the App and the shop from src/lib; here this file's database.
const holder = vi.hoisted(() => ({ db: undefined as unknown }));
vi.mock('../../../src/lib/app.ts', async () => {
  const { testApp } = await import('../../helpers/app.ts');
  return { getApp: async () => testApp(holder.db as Db) };
});
vi.mock('../../../src/lib/runtime.ts', async () => {
  const { formatMoney: format } = await import('../../../src/server/shared/index.ts');
  return { getDb: async () => holder.db, shop: { name: 'Lookbook', currency: 'USD', locale: 'en-US' }, money: (minor: number) => format(minor, { currency: 'USD', locale: 'en-US' }) };
});

const NewPage = (await import('../../../src/pages/admin/products/new.astro')).default;
const EditPage = (await import('../../../src/pages/admin/products/[id].astro')).default;
const Images = await import('../../../src/pages/admin/products/[id]/images.ts');
const CatalogPage = (await import('../../../src/pages/admin/catalog.astro')).default;

const ORIGIN = 'http://127.0.0.1:4321';
let admin: SessionUser;
let container: AstroContainer;
let db: Db;
let brandId: number;
let categoryId: number;
let coatId: number;

const locals = (user: SessionUser | null = admin): App.Locals => ({ user, session: null }) as App.Locals;
const post = (path: string, body: FormData | URLSearchParams) => new Request(`${ORIGIN}${path}`, { method: 'POST', body });
const form = (fields: Record<string, string>) => new URLSearchParams(fields);

beforeAll(async () => {
  db = await createTestDb();
  holder.db = db;
  // The site's own `client:bag` directive (the bag drawer in the header), registered as the integration does.
  container = await AstroContainer.create({
    renderers: await loadRenderers([getContainerRenderer()]),
    manifest: { clientDirectives: new Map([['visible', '(()=>{})'], ['bag', '(()=>{})']]) },
  } as Parameters<typeof AstroContainer.create>[0]);
  const made = await createUser(db, { email: 'admin@lookbook.test', password: 'a long enough password', role: 'admin' });
  if (!made.ok) throw new Error(made.message);
  admin = made.user;
  brandId = await upsertBrand(db, 'atelier-nord');
  categoryId = await upsertCategory(db, 'outerwear');
  coatId = (await makeProduct(db, { slug: 'wool-coat', name: 'Wool Coat', variants: [makeVariant({ sku: 'COAT-M', size: 'M', stock: 2 })] })).id;
});

describe('/admin/products/new', () => {
  it('renders the empty form with a one-row grid', async () => {
    const res = await container.renderToResponse(NewPage, { request: new Request(`${ORIGIN}/admin/products/new`), locals: locals() });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('name="v0_sku"');
    expect(html).not.toContain('name="v1_sku"');
    expect(html).toMatch(/role="region" aria-labelledby="grid-caption"/);
  });

  it('a bad form answers 400 with the messages next to their fields and writes nothing', async () => {
    const before = (await db.select().from(products)).length;
    const res = await container.renderToResponse(NewPage, { request: post('/admin/products/new', form({ intent: 'save', title: '', v0_size: '', v0_colour: '', v0_sku: 'COAT-M', v0_price: '10', v0_stock: '1' })), locals: locals() });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('id="f-title-error"');
    expect(html).toContain('Give the product a title.');
    expect(html).toContain('aria-invalid="true"');
    expect((await db.select().from(products)).length).toBe(before);
  });

  it('a duplicate SKU answers 409 naming the product', async () => {
    const res = await container.renderToResponse(NewPage, {
      request: post('/admin/products/new', form({ intent: 'save', title: 'Coat Two', brandId: String(brandId), categoryId: String(categoryId), v0_size: '', v0_colour: '', v0_sku: 'coat-m', v0_price: '10', v0_stock: '1' })),
      locals: locals(),
    });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain('SKU COAT-M is already used by Wool Coat.');
  });

  it('a good form creates the product and redirects to its edit page (303)', async () => {
    const res = await container.renderToResponse(NewPage, {
      request: post('/admin/products/new', form({ intent: 'save', title: 'Rain Shell', brandId: String(brandId), categoryId: String(categoryId), active: 'on', v0_size: '', v0_colour: '', v0_sku: 'SHELL-1', v0_price: '149.00', v0_stock: '6', v0_active: 'on' })),
      locals: locals(),
    });
    expect(res.status).toBe(303);
    const row = await db.select().from(products).where(eq(products.slug, 'rain-shell')).get();
    expect(res.headers.get('location')).toBe(`/admin/products/${row!.id}?done=created`);
  });

  it('refuses someone who is not the admin, even past the middleware', async () => {
    const creator: SessionUser = { id: 2, email: 'c@x.test', role: 'creator', creatorId: 1 };
    const res = await container.renderToResponse(NewPage, {
      request: post('/admin/products/new', form({ intent: 'save', title: 'Nope', brandId: String(brandId), categoryId: String(categoryId), v0_size: '', v0_colour: '', v0_sku: 'NOPE-1', v0_price: '1', v0_stock: '1' })),
      locals: locals(creator),
    });
    expect(res.status).toBe(403);
    expect(await db.select().from(products).where(eq(products.slug, 'nope')).get()).toBeUndefined();
  });
});

describe('/admin/products/[id] and its gallery', () => {
  it('404s an unknown product', async () => {
    const res = await container.renderToResponse(EditPage, { request: new Request(`${ORIGIN}/admin/products/999`), params: { id: '999' }, locals: locals() });
    expect(res.status).toBe(404);
  });

  it('uploads an image (alt text required), makes it the cover, and shows it', async () => {
    const png = await sharp({ create: { width: 600, height: 750, channels: 3, background: { r: 120, g: 90, b: 60 } } }).png().toBuffer();
    const upload = (alt: string) => {
      const f = new FormData();
      f.append('action', 'upload');
      f.append('file', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'coat.png');
      f.append('alt', alt);
      return container.renderToResponse(Images as never, { routeType: 'endpoint', request: post(`/admin/products/${coatId}/images`, f), params: { id: String(coatId) }, locals: locals() });
    };
    const noAlt = await upload('  ');
    expect(noAlt.status).toBe(303);
    expect(noAlt.headers.get('location')).toBe(`/admin/products/${coatId}?image_error=alt&image=new#gallery`);
    expect(await db.select().from(productImages).where(eq(productImages.productId, coatId))).toHaveLength(0);

    const ok = await upload('Wool coat, front');
    expect(ok.headers.get('location')).toBe(`/admin/products/${coatId}?done=added#gallery`);
    const images = await db.select().from(productImages).where(eq(productImages.productId, coatId));
    expect(images).toMatchObject([{ alt: 'Wool coat, front', position: 0 }]);
    const coat = await db.select().from(products).where(eq(products.id, coatId)).get();
    expect(coat!.imagePath).toMatch(new RegExp(`^/media/${images[0]!.mediaId}/\\d+\\.webp$`));

    const page = await container.renderToResponse(EditPage, { request: new Request(`${ORIGIN}/admin/products/${coatId}?done=added`), params: { id: String(coatId) }, locals: locals() });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Image added.');
    expect(html).toContain('alt="Wool coat, front"');
    expect(html).toMatch(/srcset="\/media\/[A-Za-z0-9_-]+\/\d+\.avif \d+w/);
  });

  it('a file that is not an image is refused in words on the page', async () => {
    const f = new FormData();
    f.append('file', new Blob([new TextEncoder().encode('not an image at all')], { type: 'image/png' }), 'x.png');
    f.append('alt', 'x');
    const res = await container.renderToResponse(Images as never, { routeType: 'endpoint', request: post(`/admin/products/${coatId}/images`, f), params: { id: String(coatId) }, locals: locals() });
    const location = res.headers.get('location')!;
    expect(location).toMatch(/image_error=unsupported&image=new/);
    const page = await container.renderToResponse(EditPage, { request: new Request(`${ORIGIN}${location.replace(/#.*/, '')}`), params: { id: String(coatId) }, locals: locals() });
    expect(await page.text()).toContain('id="up-error"');
  });

  it('archives from the edit page after asking (303) and then offers to unarchive', async () => {
    const ask = await container.renderToResponse(EditPage, { request: post(`/admin/products/${coatId}`, form({ action: 'archive' })), params: { id: String(coatId) }, locals: locals() });
    expect(ask.status).toBe(200);
    expect(await ask.text()).toContain('Yes, archive Wool Coat');
    expect((await db.select().from(products).where(eq(products.id, coatId)).get())!.archivedAt).toBeNull();
    const res = await container.renderToResponse(EditPage, { request: post(`/admin/products/${coatId}`, form({ action: 'archive', confirm: '1' })), params: { id: String(coatId) }, locals: locals() });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/admin/products/${coatId}?done=archived`);
    const page = await container.renderToResponse(EditPage, { request: new Request(`${ORIGIN}/admin/products/${coatId}?done=archived`), params: { id: String(coatId) }, locals: locals() });
    const html = await page.text();
    expect(html).toContain('Unarchive Wool Coat');
    expect(html).toMatch(/id="f-active"[^>]*disabled/);
  });
});

describe('/admin/catalog', () => {
  it('a merge asks first, saying what moves; confirmed, it moves the products and redirects', async () => {
    const fromId = await upsertBrand(db, 'old-name', 'Old Name');
    await makeProduct(db, { slug: 'old-name-tee', brand: 'old-name', variants: [makeVariant({ sku: 'OLD-TEE' })] });
    const fields = { action: 'merge', kind: 'brand', id: String(fromId), into: String(brandId) };
    const ask = await container.renderToResponse(CatalogPage, { request: post('/admin/catalog', form(fields)), locals: locals() });
    expect(ask.status).toBe(200);
    const html = await ask.text();
    expect(html).toContain('Merge Old Name into Atelier Nord?');
    expect(html).toContain('Its 1 product moves');
    const done = await container.renderToResponse(CatalogPage, { request: post('/admin/catalog', form({ ...fields, confirm: '1' })), locals: locals() });
    expect(done.status).toBe(303);
    expect((await db.select().from(products).where(eq(products.slug, 'old-name-tee')).get())!.brandId).toBe(brandId);
    const page = await container.renderToResponse(CatalogPage, { request: new Request(`${ORIGIN}${done.headers.get('location')!.replace(/#.*/, '')}`), locals: locals() });
    expect(await page.text()).toContain('Merged Old Name into Atelier Nord: 1 product moved.');
  });

  it('a duplicate brand name is refused in words with a 409', async () => {
    const res = await container.renderToResponse(CatalogPage, { request: post('/admin/catalog', form({ action: 'create', kind: 'brand', name: 'atelier nord' })), locals: locals() });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain('There is already a brand called Atelier Nord: merge into it instead.');
  });
});
