/**
 * A live sitemap: posts and creators from content, active products from the database.
 * (@astrojs/sitemap only lists prerendered pages; every page here is server-rendered.)
 */
import type { APIRoute } from 'astro';
import { creatorsByHandle, publishedPosts } from '../lib/content.ts';
import { getDb } from '../lib/runtime.ts';
import { listProductSlugs } from '../server/catalog/index.ts';
import { paths } from '../server/shared/index.ts';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

export const GET: APIRoute = async ({ site, url }) => {
  const base = site ?? new URL(url.origin);
  const [posts, creators, products] = await Promise.all([publishedPosts(), creatorsByHandle(), getDb().then(listProductSlugs)]);
  const urls: { loc: string; lastmod?: string }[] = [
    { loc: paths.home() },
    { loc: paths.shop() },
    ...posts.map((p) => ({ loc: paths.post(p.slug), lastmod: p.published.toISOString().slice(0, 10) })),
    ...[...creators.keys()].map((h) => ({ loc: paths.creator(h) })),
    ...products.filter((p) => p.active).map((p) => ({ loc: paths.product(p.slug) })),
  ];
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' +
    urls.map((u) => `  <url><loc>${esc(new URL(u.loc, base).href)}</loc>${u.lastmod ? `<lastmod>${u.lastmod}</lastmod>` : ''}</url>`).join('\n') +
    '\n</urlset>\n';
  return new Response(body, { headers: { 'content-type': 'application/xml; charset=utf-8' } });
};
