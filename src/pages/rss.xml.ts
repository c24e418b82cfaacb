import rss from '@astrojs/rss';
import type { APIRoute } from 'astro';
import { creatorsByHandle, publishedPosts } from '../lib/content.ts';
import { shop } from '../lib/runtime.ts';
import { paths } from '../server/shared/index.ts';

export const GET: APIRoute = async (context) => {
  const [posts, creators] = await Promise.all([publishedPosts(), creatorsByHandle()]);
  return rss({
    title: `${shop.name} — stories`,
    description: 'Outfit posts, styling guides and reviews from our creators.',
    site: context.site ?? context.url.origin,
    // Links as the sitemap and canonical links have them (/posts/<slug>, no trailing slash).
    trailingSlash: false,
    items: posts.map((p) => ({
      title: p.title,
      description: p.summary,
      link: paths.post(p.slug),
      pubDate: p.published,
      author: creators.get(p.creator)?.name,
      categories: [p.kind, ...p.tags],
    })),
  });
};
