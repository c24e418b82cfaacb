/**
 * Content health on a real migrated database: cards flagged after the shop changes stock, takes a
 * product off sale or reprices it; replacement suggestions in their order; the one-click swap
 * (the card keeps its id, a live post with nothing unpublished is republished at once); and
 * ownership: creator B can neither see nor swap creator A's posts.
 */
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../../db/schema/index.ts';
import { makeCreator, makeProduct, makeVariant } from '../../../db/factories/factories.ts';
import type { SessionUser } from '../../../src/server/auth/index.ts';
import { findReplacements, setProductActive, updateVariant } from '../../../src/server/catalog/index.ts';
import { getStudioPost, listRevisions, readerStudioPosts } from '../../../src/server/content/index.ts';
import {
  createStudioPost,
  creatorHealthCount,
  postHealth,
  publishStudioPost,
  saveStudioDraft,
  studioHealthCounts,
  swapCard,
  uploadStudioImage,
  type App,
} from '../../../src/server/flows/index.ts';
import { createTestDb } from '../../helpers/db.ts';
import { testApp } from '../../helpers/app.ts';

const T0 = Date.UTC(2026, 11, 1, 9);
const NO_FILES = new Set<string>();

let app: App;
let ana: SessionUser;
let ben: SessionUser;
let admin: SessionUser;
let anaCreator: number;
let png: Uint8Array;

async function user(role: 'creator' | 'admin', email: string, creatorId: number | null): Promise<SessionUser> {
  const row = await app.db.insert(users).values({ email, passwordHash: 'x', role, creatorId, createdAt: T0 }).returning().get();
  return { id: row.id, email, role, creatorId };
}

const product = (slug: string, brand: string, category: string, priceCents: number, { stock = 10, active = true, name }: { stock?: number; active?: boolean; name?: string } = {}) =>
  makeProduct(app.db, { slug, name: name ?? slug, brand, category, active, variants: [makeVariant({ sku: `${slug.toUpperCase()}-M`, size: 'M', priceCents, stock })] });

beforeAll(async () => {
  const db = await createTestDb();
  app = testApp(db);
  const a = await makeCreator(db, { handle: 'ana-health', displayName: 'Ana Health' });
  const b = await makeCreator(db, { handle: 'ben-health', displayName: 'Ben Health' });
  anaCreator = a.id;
  ana = await user('creator', 'ana@health.test', a.id);
  ben = await user('creator', 'ben@health.test', b.id);
  admin = await user('admin', 'admin@health.test', null);
  // Replacement candidates for a Tide top at $42.
  await product('linen-shirt', 'tide', 'tops', 4200, { name: 'Linen Shirt' });
  await product('tide-tee', 'tide', 'tops', 3000);
  await product('tide-polo', 'tide', 'tops', 4500, { name: 'Tide Polo' });
  await product('other-shirt', 'acme', 'tops', 4300);
  await product('tide-shorts', 'tide', 'bottoms', 4200);
  await product('acme-coat', 'acme', 'coats', 4200);
  await product('tide-soldout', 'tide', 'tops', 4200, { stock: 0 });
  await product('tide-inactive', 'tide', 'tops', 4200, { active: false });
  // Products the posts below show (each test changes its own).
  await makeProduct(db, { slug: 'flag-shirt', name: 'Flag Shirt', brand: 'tide', category: 'tops', variants: [makeVariant({ sku: 'FS-S', size: 'S', priceCents: 4200, stock: 3 }), makeVariant({ sku: 'FS-M', size: 'M', priceCents: 4200, stock: 3 })] });
  await product('flag-coat', 'north', 'coats', 24000, { name: 'Flag Coat' });
  await product('flag-scarf', 'north', 'scarves', 4200, { name: 'Flag Scarf' });
  await makeProduct(db, { slug: 'flag-sized', name: 'Sized Scarf', brand: 'north', category: 'scarves', variants: [makeVariant({ sku: 'SZ-S', size: 'S', priceCents: 4200, stock: 3 }), makeVariant({ sku: 'SZ-M', size: 'M', priceCents: 4200, stock: 3 })] });
  await product('swap-shirt', 'tide', 'tops', 4200, { name: 'Swap Shirt' });
  await product('swap-coat', 'north', 'coats', 24000, { name: 'Swap Coat' });
  await product('draft-shirt', 'tide', 'tops', 4200, { name: 'Draft Shirt' });
  png = new Uint8Array(await sharp({ create: { width: 400, height: 500, channels: 3, background: '#c9a27e' } }).png().toBuffer());
});

/** A published post of `who`'s with the given body. */
async function publishedPost(who: SessionUser, slug: string, body: string) {
  const created = await createStudioPost(app, who, { now: T0 });
  if (!created.ok) throw new Error(created.message);
  const up = await uploadStudioImage(app, who, created.id, png, { now: T0 });
  if (!up.ok) throw new Error(up.message);
  const saved = await saveStudioDraft(app, who, created.id, {
    fields: { title: 'Tops for the long summer', slug, summary: 'The tops I wear from June to the first cold week.', kind: 'look', tags: 'tops', heroMediaId: up.media.id, heroAlt: 'Three tops on a rail by a window', body },
    draftVersion: 1,
    fileSlugs: NO_FILES,
    now: T0,
  });
  if (!saved.ok) throw new Error(saved.message);
  const pub = await publishStudioPost(app, who, created.id, { fileSlugs: NO_FILES, now: T0 + 1 });
  if (!pub.ok) throw new Error(pub.message);
  return { id: created.id, fields: saved.fields };
}

async function health(who: SessionUser, id: number) {
  const r = await postHealth(app, who, id, { now: T0 + 10 });
  if (!r.ok) throw new Error(r.message);
  return r.health;
}

describe('flags', () => {
  it('flags cards after stock goes to 0, a product is taken off sale, a price changes, an option sells out', async () => {
    const { id } = await publishedPost(
      ana,
      'flags-after-changes',
      'Intro.\n\n<ProductCard product="flag-shirt" />\n\n<ProductCard product="flag-coat" />\n\n<ShopTheLook products={["flag-scarf", "linen-shirt"]} />\n\n<ProductCard product="flag-sized" variant="SZ-M" />\n',
    );
    expect((await health(ana, id)).flagged).toEqual([]);
    expect(await creatorHealthCount(app, anaCreator, { now: T0 + 10 })).toBe(0);

    expect(await updateVariant(app.db, 'FS-S', { stockOnHand: 0 })).toEqual({ ok: true });
    expect(await updateVariant(app.db, 'FS-M', { stockOnHand: 0 })).toEqual({ ok: true });
    expect(await setProductActive(app.db, 'flag-coat', false)).toEqual({ ok: true });
    expect(await updateVariant(app.db, 'FLAG-SCARF-M', { priceCents: 4800 })).toEqual({ ok: true });
    expect(await updateVariant(app.db, 'SZ-M', { stockOnHand: 0 })).toEqual({ ok: true });

    const h = await health(ana, id);
    expect(h.source).toBe('live');
    expect(h.checkedCards).toBe(5);
    expect(h.flagged.map((f) => [f.card, f.slug, f.problems.map((p) => p.kind), f.blocking])).toEqual([
      [0, 'flag-shirt', ['sold_out'], true],
      [1, 'flag-coat', ['inactive'], true],
      [2, 'flag-scarf', ['repriced'], false],
      [4, 'flag-sized', ['variant_sold_out'], false],
    ]);
    expect(h.flagged[2]!.problems[0]!.message).toBe('Now $48.00, was $42.00 when you published.');
    expect(h.flagged[3]!.problems[0]!.message).toMatch(/^The Sized Scarf in size M is sold out/);
    expect(h.flagged[1]!.problems[0]!.message).toBe('The Flag Coat is no longer sold — the shop took it off sale.');
    // Suggestions: in stock, never a product already in the post.
    // Same brand and category, nearest $42 first; linen-shirt is in the post, so never suggested.
    expect(h.flagged[0]!.suggestions.map((s) => s.slug)).toEqual(['swap-shirt', 'draft-shirt', 'tide-polo']);
    expect(h.flagged[0]!.suggestions[0]!.price).toMatch(/^\$\d+\.\d\d$/);
    expect(h.flagged.every((f) => f.inDraft)).toBe(true);
    expect(h.swapPublishes).toBe(true);

    expect(await creatorHealthCount(app, anaCreator, { now: T0 + 10 })).toBe(4);
    expect((await studioHealthCounts(app, ana, { now: T0 + 10 })).get(id)).toBe(4);
    expect((await studioHealthCounts(app, admin, { now: T0 + 10 })).get(id)).toBe(4);
    expect([...(await studioHealthCounts(app, ana, { postIds: [id], now: T0 + 10 }))]).toEqual([[id, 4]]);
  });
});

describe('replacements', () => {
  it('same brand and category first, then same category, then same brand, nearest price first; in stock, active, never the product itself', async () => {
    const target = { slug: 'linen-shirt', brandSlug: 'tide', categorySlug: 'tops', priceCents: 4200 };
    const top3 = (await findReplacements(app.db, [target], { now: T0 })).get('linen-shirt')!;
    // swap-shirt and draft-shirt are $42 like the target; tide-polo $45, tide-tee $30; flag-shirt is sold out.
    expect(top3.map((r) => r.product.slug)).toEqual(['swap-shirt', 'draft-shirt', 'tide-polo']);
    // With the test's own products only: nearest price within the tier.
    const mine = (await findReplacements(app.db, [target], { now: T0, exclude: ['swap-shirt', 'draft-shirt', 'flag-shirt'], limit: 10 })).get('linen-shirt')!;
    expect(mine.map((r) => r.product.slug)).toEqual(['tide-polo', 'tide-tee', 'other-shirt', 'tide-shorts']);
    expect(mine.map((r) => [r.sameBrand, r.sameCategory])).toEqual([[true, true], [true, true], [false, true], [true, false]]);
    expect(mine[0]!.priceCents).toBe(4500);
    const limited = (await findReplacements(app.db, [target], { now: T0, exclude: ['swap-shirt', 'draft-shirt', 'flag-shirt'] })).get('linen-shirt')!;
    expect(limited.map((r) => r.product.slug)).toEqual(['tide-polo', 'tide-tee', 'other-shirt']);
  });
});

describe('swap', () => {
  it('swaps the card in the draft, keeps its id, and publishes it at once', async () => {
    const { id } = await publishedPost(ana, 'swap-publishes', 'Intro.\n\n<ProductCard product="swap-shirt" variant="SWAP-SHIRT-M" />\n\n<ProductCard product="swap-coat" />\n');
    await updateVariant(app.db, 'SWAP-SHIRT-M', { stockOnHand: 0 });
    const h = await health(ana, id);
    const flagged = h.flagged.find((f) => f.slug === 'swap-shirt')!;
    expect(flagged.card).toBe(0);
    expect(flagged.suggestions.length).toBeGreaterThan(0);
    const pick = flagged.suggestions[0]!;
    const before = (await listRevisions(app.db, id)).length;

    const r = await swapCard(app, ana, id, { card: 0, product: pick.slug, draftVersion: h.draftVersion, fileSlugs: NO_FILES, now: T0 + 20 });
    expect(r).toMatchObject({ ok: true, published: true, revision: before + 1 });
    const post = (await getStudioPost(app.db, id))!;
    expect(post.body).toContain(`<ProductCard card={0} product="${pick.slug}" />`);
    expect(post.body).toContain('<ProductCard card={1} product="swap-coat" />');
    const live = (await readerStudioPosts(app.db, T0 + 21)).find((p) => p.postId === id)!;
    expect(live.refs.map((x) => [x.position, x.slug])).toEqual([[0, pick.slug], [1, 'swap-coat']]);
    // Still a post with cards, so readers still see the affiliate disclosure (PostView: refs > 0).
    expect(live.refs.length).toBeGreaterThan(0);
    expect((await health(ana, id)).flagged).toEqual([]);
  });

  it('saves the swap only in the draft when it has unpublished changes', async () => {
    const { id, fields } = await publishedPost(ana, 'swap-draft-only', 'Intro.\n\n<ProductCard product="draft-shirt" />\n');
    await setProductActive(app.db, 'draft-shirt', false);
    const edited = await saveStudioDraft(app, ana, id, { fields: { ...fields, title: 'Tops, edited but not published' }, draftVersion: (await getStudioPost(app.db, id))!.draftVersion, fileSlugs: NO_FILES, now: T0 + 5 });
    if (!edited.ok) throw new Error(edited.message);
    const h = await health(ana, id);
    expect(h.swapPublishes).toBe(false);
    const r = await swapCard(app, ana, id, { card: 0, product: 'tide-tee', draftVersion: h.draftVersion, fileSlugs: NO_FILES, now: T0 + 20 });
    expect(r).toMatchObject({ ok: true, published: false });
    expect((await listRevisions(app.db, id)).length).toBe(1);
    expect((await getStudioPost(app.db, id))!.body).toContain('<ProductCard card={0} product="tide-tee" />');
    const after = await health(ana, id);
    expect(after.flagged[0]).toMatchObject({ slug: 'draft-shirt', inDraft: false, changedInDraft: 'tide-tee' });
  });

  it('refuses a stale page, a sold-out or unknown product and an unknown card, writing nothing', async () => {
    const { id } = await publishedPost(ana, 'swap-refusals', 'Intro.\n\n<ProductCard product="linen-shirt" />\n');
    const before = await getStudioPost(app.db, id);
    const v = before!.draftVersion;
    const tries = [
      [{ card: 0, product: 'tide-tee', draftVersion: v - 1 }, 'conflict'],
      [{ card: 0, product: 'tide-soldout', draftVersion: v }, 'sold_out'],
      [{ card: 0, product: 'tide-inactive', draftVersion: v }, 'invalid'],
      [{ card: 0, product: 'no-such-thing', draftVersion: v }, 'invalid'],
      [{ card: 7, product: 'tide-tee', draftVersion: v }, 'unknown_card'],
      [{ card: 0, product: 'linen-shirt', draftVersion: v }, 'not_allowed'],
    ] as const;
    for (const [input, reason] of tries) {
      const r = await swapCard(app, ana, id, { ...input, fileSlugs: NO_FILES, now: T0 + 30 });
      expect(r, JSON.stringify(input)).toMatchObject({ ok: false, reason });
      if (!r.ok) expect(r.message).not.toMatch(/cents|sql|undefined/i);
    }
    expect(await getStudioPost(app.db, id)).toEqual(before);
    expect((await listRevisions(app.db, id)).length).toBe(1);
  });
});

describe('ownership', () => {
  it('creator B can neither see nor swap creator A’s post; an admin can', async () => {
    const { id } = await publishedPost(ana, 'ana-only-health', 'Intro.\n\n<ProductCard product="tide-shorts" />\n');
    const before = await getStudioPost(app.db, id);
    expect(await postHealth(app, ben, id, { now: T0 + 10 })).toMatchObject({ ok: false, reason: 'not_found' });
    expect(await swapCard(app, ben, id, { card: 0, product: 'tide-tee', draftVersion: before!.draftVersion, fileSlugs: NO_FILES, now: T0 + 10 })).toMatchObject({ ok: false, reason: 'not_found' });
    expect((await studioHealthCounts(app, ben, { now: T0 + 10 })).has(id)).toBe(false);
    expect(await getStudioPost(app.db, id)).toEqual(before);
    expect((await postHealth(app, admin, id, { now: T0 + 10 })).ok).toBe(true);
  });
});
