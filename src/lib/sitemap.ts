/**
 * Every address the sitemap lists (src/pages/sitemap.xml.ts and its parts, src/pages/sitemaps/):
 * the home, the shop, the posts index, every post, every creator, every active product — in that
 * order, so a part's contents only move when something is added or removed before it.
 */
import { creatorsByHandle, publishedPosts } from './content.ts';
import { getDb } from './runtime.ts';
import { listProductSlugs } from '../server/catalog/index.ts';
import type { SitemapUrl } from '../server/content/index.ts';
import { paths } from '../server/shared/index.ts';

export async function sitemapUrls(): Promise<SitemapUrl[]> {
  const [posts, creators, products] = await Promise.all([publishedPosts(), creatorsByHandle(), getDb().then(listProductSlugs)]);
  return [
    { loc: paths.home() },
    { loc: paths.shop() },
    { loc: paths.posts() },
    ...posts.map((p) => ({ loc: paths.post(p.slug), lastmod: p.published.toISOString().slice(0, 10) })),
    ...[...creators.keys()].map((h) => ({ loc: paths.creator(h) })),
    ...products.filter((p) => p.active).map((p) => ({ loc: paths.product(p.slug) })),
  ];
}

export const XML_HEADERS = { 'content-type': 'application/xml; charset=utf-8' } as const;
