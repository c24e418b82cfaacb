/** The RSS feed: the latest `RSS_LATEST` posts only (older ones are on /posts and in the sitemap). */
import rss from '@astrojs/rss';
import type { APIRoute } from 'astro';
import { creatorsByHandle, publishedPosts } from '../lib/content.ts';
import { shop } from '../lib/runtime.ts';
import { RSS_LATEST } from '../server/content/index.ts';
import { paths } from '../server/shared/index.ts';

export const GET: APIRoute = async (context) => {
  const [posts, creators] = await Promise.all([publishedPosts(), creatorsByHandle()]);
  // Render-cached like the pages: every publish bumps the content version the cache checks.
  context.locals.renderCache = { cacheable: true };
  return rss({
    title: `${shop.name} — stories`,
    description: 'Outfit posts, styling guides and reviews from our creators.',
    site: context.site ?? context.url.origin,
    // Links as the sitemap and canonical links have them (/posts/<slug>, no trailing slash).
    trailingSlash: false,
    items: posts.slice(0, RSS_LATEST).map((p) => ({
      title: p.title,
      description: p.summary,
      link: paths.post(p.slug),
      pubDate: p.published,
      author: creators.get(p.creator)?.name,
      categories: [p.kind, ...p.tags],
    })),
  });
};
