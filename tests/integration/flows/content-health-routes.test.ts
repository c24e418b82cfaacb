/**
 * Content health through Astro's Container API on a real database: the "Swap in" POST route
 * (303 back to the editor with a notice, 404 for someone else's post, nothing written on a
 * refusal) and the ContentHealth section's markup (problems, suggestions, plain forms that work
 * without JavaScript). Sessions, the /studio guard and the origin check are the middleware's.
 */
import { experimental_AstroContainer as AstroContainer } from 'astro/container';
import sharp from 'sharp';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { users } from '../../../db/schema/index.ts';
import { makeCreator, makeProduct, makeVariant } from '../../../db/factories/factories.ts';
import type { SessionUser } from '../../../src/server/auth/index.ts';
import { updateVariant } from '../../../src/server/catalog/index.ts';
import { getStudioPost, listRevisions } from '../../../src/server/content/index.ts';
import { createStudioPost, postHealth, publishStudioPost, saveStudioDraft, uploadStudioImage, type App } from '../../../src/server/flows/index.ts';
import { createTestDb } from '../../helpers/db.ts';
import { testApp } from '../../helpers/app.ts';

const holder = vi.hoisted(() => ({ app: undefined as unknown }));
vi.mock('../../../src/lib/app.ts', () => ({ getApp: async () => holder.app }));
vi.mock('../../../src/lib/content.ts', () => ({ fileSlugs: async () => new Set<string>() }));

const Swap = await import('../../../src/pages/studio/posts/[id]/swap.ts');
const ContentHealth = (await import('../../../src/components/studio/ContentHealth.astro')).default;

const ORIGIN = 'http://127.0.0.1:4321';
let app: App;
let container: AstroContainer;
let ana: SessionUser;
let ben: SessionUser;
let postId: number;

beforeAll(async () => {
  const db = await createTestDb();
  app = testApp(db);
  holder.app = app;
  container = await AstroContainer.create();
  const a = await makeCreator(db, { handle: 'ana-routes' });
  const b = await makeCreator(db, { handle: 'ben-routes' });
  const mk = async (email: string, creatorId: number): Promise<SessionUser> => {
    const row = await db.insert(users).values({ email, passwordHash: 'x', role: 'creator', creatorId, createdAt: 1 }).returning().get();
    return { id: row.id, email, role: 'creator', creatorId };
  };
  ana = await mk('ana@routes.test', a.id);
  ben = await mk('ben@routes.test', b.id);
  await makeProduct(db, { slug: 'linen-shirt', name: 'Linen Shirt', brand: 'tide', category: 'tops', variants: [makeVariant({ sku: 'LS-M', priceCents: 4200, stock: 2 })] });
  await makeProduct(db, { slug: 'tide-polo', name: 'Tide Polo', brand: 'tide', category: 'tops', variants: [makeVariant({ sku: 'TP-M', priceCents: 4500, stock: 5 })] });
  const png = new Uint8Array(await sharp({ create: { width: 400, height: 500, channels: 3, background: '#c9a27e' } }).png().toBuffer());
  const created = await createStudioPost(app, ana);
  if (!created.ok) throw new Error(created.message);
  postId = created.id;
  const up = await uploadStudioImage(app, ana, postId, png);
  if (!up.ok) throw new Error(up.message);
  const saved = await saveStudioDraft(app, ana, postId, {
    fields: { title: 'A shirt for summer', slug: 'a-shirt-for-summer', summary: 'The one shirt I wear all through the summer.', kind: 'look', tags: '', heroMediaId: up.media.id, heroAlt: 'A linen shirt on a chair', body: 'Intro.\n\n<ProductCard product="linen-shirt" />\n' },
    draftVersion: 1,
    fileSlugs: new Set(),
  });
  if (!saved.ok) throw new Error(saved.message);
  const pub = await publishStudioPost(app, ana, postId, { fileSlugs: new Set() });
  if (!pub.ok) throw new Error(pub.message);
  await updateVariant(db, 'LS-M', { stockOnHand: 0 });
});

async function swap(user: SessionUser | null, form: Record<string, string>, id = postId) {
  const request = new Request(`${ORIGIN}/studio/posts/${id}/swap`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ORIGIN }, body: new URLSearchParams(form) });
  const res = await container.renderToResponse(Swap as never, { routeType: 'endpoint', request, params: { id: String(id) }, locals: { user, session: null } as App.Locals });
  return { status: res.status, location: res.headers.get('location') };
}

describe('ContentHealth', () => {
  it('lists the flagged card with its problem and a Swap in form per suggestion', async () => {
    const h = await postHealth(app, ana, postId);
    if (!h.ok) throw new Error(h.message);
    const html = await container.renderToString(ContentHealth, { props: { health: h.health }, request: new Request(`${ORIGIN}/studio/posts/${postId}`) });
    expect(html).toContain('id="content-health"');
    expect(html).toContain('1 card needs attention');
    expect(html).toContain('The Linen Shirt is sold out.');
    expect(html).toContain('A swap is published at once');
    expect(html).toMatch(new RegExp(`<form method="post" action="/studio/posts/${postId}/swap"`));
    expect(html).toContain('name="product" value="tide-polo"');
    expect(html).toContain(`name="draftVersion" value="${h.health.draftVersion}"`);
    expect(html).toContain('$45.00');
  });

  it('shows the notice a swap redirected with, and nothing it does not know', async () => {
    const h = await postHealth(app, ana, postId);
    if (!h.ok) throw new Error(h.message);
    const ok = await container.renderToString(ContentHealth, { props: { health: h.health }, request: new Request(`${ORIGIN}/studio/posts/${postId}?health=published`) });
    expect(ok).toContain('Swapped and published');
    const odd = await container.renderToString(ContentHealth, { props: { health: h.health }, request: new Request(`${ORIGIN}/studio/posts/${postId}?health=%3Cscript%3E`) });
    expect(odd).not.toContain('script');
  });
});

describe('POST /studio/posts/:id/swap', () => {
  it('404 for someone else’s post and writes nothing; sends a signed-out person to log in', async () => {
    const before = await getStudioPost(app.db, postId);
    const r = await swap(ben, { card: '0', product: 'tide-polo', draftVersion: String(before!.draftVersion) });
    expect(r.status).toBe(404);
    expect(await getStudioPost(app.db, postId)).toEqual(before);
    const out = await swap(null, { card: '0', product: 'tide-polo', draftVersion: '1' });
    expect(out.status).toBe(303);
    expect(out.location).toContain('/login');
  });

  it('redirects back with a refusal notice on a stale page, writing nothing', async () => {
    const before = await getStudioPost(app.db, postId);
    const r = await swap(ana, { card: '0', product: 'tide-polo', draftVersion: String(before!.draftVersion - 1) });
    expect(r).toEqual({ status: 303, location: `/studio/posts/${postId}?health=conflict#content-health` });
    expect(await getStudioPost(app.db, postId)).toEqual(before);
  });

  it('swaps and publishes, then redirects back saying so', async () => {
    const before = await getStudioPost(app.db, postId);
    const r = await swap(ana, { card: '0', product: 'tide-polo', draftVersion: String(before!.draftVersion) });
    expect(r).toEqual({ status: 303, location: `/studio/posts/${postId}?health=published#content-health` });
    expect((await getStudioPost(app.db, postId))!.body).toContain('<ProductCard card={0} product="tide-polo" />');
    expect((await listRevisions(app.db, postId)).length).toBe(2);
  });
});
