/**
 * The reader lists stay bounded however many posts there are (docs/benchmarks.md, content at
 * scale), through Astro's Container API: the home shows the lead and the latest 12 and links
 * /posts; a creator's page shows 24 posts a page at ?page= (1 and leading zeros redirect, not a
 * number is 400 in words, past the end 404) and their picks on the first page only; RSS has the
 * latest 50; the sitemap becomes an index of parts of 5,000 past 5,000 addresses, and an unknown
 * part is 404. The posts are made up here (the content index is replaced); the database is real
 * (products, a creator row).
 */
import { experimental_AstroContainer as AstroContainer } from 'astro/container';
import { loadRenderers } from 'astro:container';
import { getContainerRenderer } from '@astrojs/react/container-renderer';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '../../../src/server/db.ts';
import type { CreatorProfile } from '../../../src/lib/content.ts';
import { HOME_LATEST, POSTS_PER_PAGE, RSS_LATEST, SITEMAP_MAX_URLS, type PostSummary } from '../../../src/server/content/index.ts';
import { makeProduct, makeVariant } from '../../../db/factories/factories.ts';
import { createTestDb } from '../../helpers/db.ts';
import { testApp } from '../../helpers/app.ts';

const holder = vi.hoisted(() => ({ db: undefined as unknown, posts: [] as unknown[], creators: new Map<string, unknown>() }));
vi.mock('../../../src/lib/runtime.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../src/lib/runtime.ts')>()),
  getDb: async () => holder.db,
}));
vi.mock('../../../src/lib/content.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../src/lib/content.ts')>()),
  publishedPosts: async () => holder.posts,
  creatorsByHandle: async () => holder.creators,
}));
vi.mock('../../../src/lib/app.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../src/lib/app.ts')>()),
  getApp: async () => testApp(holder.db as Db),
}));

const Home = (await import('../../../src/pages/index.astro')).default;
const Creator = (await import('../../../src/pages/creators/[handle].astro')).default;
const Rss = await import('../../../src/pages/rss.xml.ts');
const Sitemap = await import('../../../src/pages/sitemap.xml.ts');
const SitemapPart = await import('../../../src/pages/sitemaps/[part].xml.ts');

const ORIGIN = 'http://127.0.0.1:4321';
const T0 = Date.UTC(2026, 10, 1);
const HANDLES = ['maya-okafor', 'sam-reyes'] as const;

const profile = (handle: string, name: string): CreatorProfile => ({
  handle,
  name,
  bio: `${name} writes about clothes that last, and how to wear them.`,
  avatar: '/images/creators/placeholder.svg',
  links: [],
  featured: true,
});

/** `n` posts, newest first, alternating between the two creators (maya: 0, 2, 4 …). */
function makePosts(n: number): PostSummary[] {
  return Array.from({ length: n }, (_, i) => ({
    source: 'studio' as const,
    slug: `post-${String(i).padStart(5, '0')}`,
    title: `Post number ${i}`,
    summary: 'A made-up post.',
    creator: HANDLES[i % 2]!,
    kind: 'look' as const,
    published: new Date(T0 - i * 60_000),
    hero: { src: '/images/posts/placeholder.svg', alt: '', width: 1200, height: 1500 },
    tags: [],
    refs: [],
  }));
}

let container: AstroContainer;
beforeAll(async () => {
  holder.db = await createTestDb();
  for (let i = 0; i < 10; i++) await makeProduct(holder.db as Db, { slug: `piece-${i}`, variants: [makeVariant({ sku: `PIECE-${i}`, stock: 5 })] });
  holder.creators = new Map(HANDLES.map((h, i) => [h, profile(h, i === 0 ? 'Maya Okafor' : 'Sam Reyes')]));
  // The header's bag drawer is a React island on the site's own `client:bag` directive.
  container = await AstroContainer.create({
    renderers: await loadRenderers([getContainerRenderer()]),
    manifest: { clientDirectives: new Map([['visible', '(()=>{})'], ['bag', '(()=>{})']]) },
  } as Parameters<typeof AstroContainer.create>[0]);
});
beforeEach(() => {
  holder.posts = makePosts(60); // maya: 30 → two pages (24 + 6)
});

const locals = () => ({ user: null, session: null }) as unknown as App.Locals;
const tiles = (html: string) => [...html.matchAll(/<article class="ptile[^"]*"/g)].length;
const slugsIn = (html: string) => [...new Set([...html.matchAll(/href="\/posts\/(post-\d+)"/g)].map((m) => m[1]))];

async function creatorPage(qs: string, handle = 'maya-okafor') {
  const res = await container.renderToResponse(Creator, { params: { handle }, request: new Request(`${ORIGIN}/creators/${handle}${qs}`), locals: locals() });
  return { status: res.status, location: res.headers.get('location'), html: await res.text() };
}
async function endpoint(mod: unknown, path: string, params: Record<string, string> = {}) {
  const res = await container.renderToResponse(mod as never, { routeType: 'endpoint', params, request: new Request(`${ORIGIN}${path}`), locals: locals() });
  return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
}

describe('home page', () => {
  it('shows the lead and the latest 12, and links every story at /posts', async () => {
    holder.posts = makePosts(500);
    const res = await container.renderToResponse(Home, { request: new Request(`${ORIGIN}/`), locals: locals() });
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(tiles(html)).toBe(1 + HOME_LATEST);
    expect(slugsIn(html)).toEqual(makePosts(1 + HOME_LATEST).map((p) => p.slug));
    expect(html).toMatch(/<a[^>]*href="\/posts"[^>]*>All stories<\/a>/);
    expect(html).toMatch(/href="\/posts"[^>]*>All 500 stories</);
  });
});

describe('a creator’s page, 24 posts a page', () => {
  it('page 1 is the bare address: their newest 24 and a pager to ?page=2', async () => {
    const { status, html } = await creatorPage('');
    expect(status).toBe(200);
    expect(tiles(html)).toBe(POSTS_PER_PAGE);
    expect(slugsIn(html)[0]).toBe('post-00000');
    expect(html).toContain('href="/creators/maya-okafor?page=2"');
    expect(html).toMatch(/<link rel="next" href="\/creators\/maya-okafor\?page=2"/);
    expect(html).toContain('(30, page 1 of 2)');
  });
  it('?page=2 shows the rest, only theirs, with the way back', async () => {
    const { status, html } = await creatorPage('?page=2');
    expect(status).toBe(200);
    expect(tiles(html)).toBe(30 - POSTS_PER_PAGE);
    // maya has every even post: her 25th is post 48.
    expect(slugsIn(html)).toEqual([48, 50, 52, 54, 56, 58].map((i) => `post-000${i}`));
    expect(html).toMatch(/<link rel="prev" href="\/creators\/maya-okafor"/);
    expect(html).toContain('<title>Maya Okafor — page 2');
  });
  it('?page=1 and ?page=02 redirect (301) to the one address of that page', async () => {
    expect(await creatorPage('?page=1')).toMatchObject({ status: 301, location: '/creators/maya-okafor' });
    expect(await creatorPage('?page=02')).toMatchObject({ status: 301, location: '/creators/maya-okafor?page=2' });
  });
  it('shows their picks (at most 8, most featured first) on the first page only', async () => {
    // Every post features piece-0 … piece-9, piece-0 most often.
    holder.posts = makePosts(60).map((p, i) => ({ ...p, refs: [0, 1 + (i % 9)].map((n, position) => ({ slug: `piece-${n}`, component: 'ProductCard', line: 1, position, tagEnd: 0 })) }));
    const first = await creatorPage('');
    expect(first.html).toContain('Maya\'s picks');
    const picks = [...first.html.matchAll(/data-product="(piece-\d+)"/g)].map((m) => m[1]);
    expect(picks).toHaveLength(8);
    expect(picks[0]).toBe('piece-0');
    const second = await creatorPage('?page=2');
    expect(second.status).toBe(200);
    expect(second.html).not.toContain('picks');
    expect(second.html).not.toContain('data-product=');
  });
  it('a page that is not a number is 400, says so, and links page 1', async () => {
    for (const bad of ['abc', '0', '-1', '2.5', '1e3']) {
      const { status, html } = await creatorPage(`?page=${bad}`);
      expect(status, bad).toBe(400);
      expect(html).toContain('That is not a page number.');
      expect(html).toMatch(/<a class="button"[^>]*href="\/creators\/maya-okafor"/);
      expect(html).toContain('noindex');
    }
  });
  it('past the last page is 404; an unknown creator is 404', async () => {
    expect((await creatorPage('?page=3')).status).toBe(404);
    expect((await creatorPage('?page=2', 'nobody-here')).status).toBe(404);
  });
  it('a creator with no posts has one page that says so', async () => {
    holder.posts = [];
    const { status, html } = await creatorPage('');
    expect(status).toBe(200);
    expect(html).toContain('No posts yet.');
    expect(html).not.toContain('?page=2');
  });
});

describe('RSS', () => {
  it('has the latest 50 posts only, newest first', async () => {
    holder.posts = makePosts(1_000);
    const { status, body } = await endpoint(Rss, '/rss.xml');
    expect(status).toBe(200);
    const items = [...body.matchAll(/<item>[\s\S]*?<link>[^<]*\/posts\/(post-\d+)<\/link>/g)].map((m) => m[1]);
    expect(items).toHaveLength(RSS_LATEST);
    expect(items).toEqual(makePosts(RSS_LATEST).map((p) => p.slug));
  });
});

describe('sitemap', () => {
  const locs = (xml: string) => [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]!);

  it('is one <urlset> while it fits, and then has no parts', async () => {
    const { status, type, body } = await endpoint(Sitemap, '/sitemap.xml');
    expect(status).toBe(200);
    expect(type).toBe('application/xml; charset=utf-8');
    expect(body).toContain('<urlset');
    expect(locs(body)).toEqual(expect.arrayContaining([`${ORIGIN}/`, `${ORIGIN}/posts`, `${ORIGIN}/posts/post-00059`, `${ORIGIN}/creators/maya-okafor`]));
    expect((await endpoint(SitemapPart, '/sitemaps/1.xml', { part: '1' })).status).toBe(404);
  });

  it('past 5,000 addresses is an index of parts of at most 5,000, every address in exactly one part', async () => {
    holder.posts = makePosts(SITEMAP_MAX_URLS + 1_200);
    const index = await endpoint(Sitemap, '/sitemap.xml');
    expect(index.status).toBe(200);
    expect(index.body).toContain('<sitemapindex');
    expect(locs(index.body)).toEqual([`${ORIGIN}/sitemaps/1.xml`, `${ORIGIN}/sitemaps/2.xml`]);

    const one = await endpoint(SitemapPart, '/sitemaps/1.xml', { part: '1' });
    const two = await endpoint(SitemapPart, '/sitemaps/2.xml', { part: '2' });
    expect([one.status, two.status]).toEqual([200, 200]);
    expect(one.type).toBe('application/xml; charset=utf-8');
    expect(one.body).toContain('<urlset');
    const all = [...locs(one.body), ...locs(two.body)];
    expect(locs(one.body)).toHaveLength(SITEMAP_MAX_URLS);
    expect(new Set(all).size).toBe(all.length);
    expect(all).toEqual(expect.arrayContaining([`${ORIGIN}/`, `${ORIGIN}/posts/post-00000`, `${ORIGIN}/posts/post-06199`, `${ORIGIN}/creators/sam-reyes`]));
  });

  it('an unknown part, or one not written as paths.sitemapPart writes it, is 404', async () => {
    holder.posts = makePosts(SITEMAP_MAX_URLS + 1_200);
    for (const part of ['3', '0', '01', '-1', 'x']) expect((await endpoint(SitemapPart, `/sitemaps/${part}.xml`, { part })).status, part).toBe(404);
  });
});
